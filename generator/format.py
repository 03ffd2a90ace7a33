"""Stage 5, format: black, in-process and pinned, in parallel across cores, cached.

The templates, literal filters and `layout` already write black's style: double
quotes, black's number spellings, exploded brackets with magic trailing commas,
PEP 257 docstrings. A statement in which every line fits (or is one black cannot
split: docstring text, a single string or name) is therefore left as rendered;
black formats the others, one top-level statement (or one member of a long class)
at a time (which ones: `black_skip.needs_black`). `BILLING_SDKGEN_BLACK=all` formats
every file whole; the tests check that black would change nothing in the packages they
build, and `bench/check_format.py` does the same for any output folder.

A cache maps the hash of unformatted source to black's output, so unchanged
files are never formatted twice (across runs too).
"""

from __future__ import annotations

import functools
import importlib
import itertools
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .black_skip import LINE_LENGTH, needs_black, with_docstring_state
from .paths import cache_root

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

_PARALLEL_THRESHOLD = 400_000  # characters of Python below which one process is faster
_POOL_THRESHOLD = 20_000  # the same when a pool is already running
_BIG_FILE = 60_000  # characters: a file this big is a job of its own; smaller ones are batched


FORMAT_ALL_ENV = "BILLING_SDKGEN_BLACK"  # "all": black formats every file


def _cache_dir() -> Path:
    return cache_root() / f"black-{_black_version()}-{LINE_LENGTH}"


@functools.cache
def _black_version() -> str:
    """black's version (read once: every formatting batch of a worker needs it): black's own
    `__version__` once black is imported, else the one-line module black reads it from
    (`_black_version`, beside the package: importing black itself is ~45 ms), else its
    distribution's metadata (importing importlib.metadata: ~6 ms)."""
    imported = sys.modules.get("black")
    if imported is not None:
        return str(imported.__version__)
    try:
        spelled = importlib.import_module("_black_version").version
    except (ImportError, AttributeError):
        pass
    else:
        return str(spelled)
    from importlib.metadata import version

    return version("black")


def format_source(source: str) -> str:
    """Format one Python source text with black (raises black.InvalidInput on bad code)."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(
        target_versions={TargetVersion.PY310},
        line_length=LINE_LENGTH,
        magic_trailing_comma=True,
    )
    return black.format_str(source, mode=mode)


def _key(source: str) -> str:
    import hashlib  # (with `ast`, imported where needed: a renderer whose files need no
    # black, the usual case, imports neither, ~20 ms a child)

    return hashlib.sha256(source.encode()).hexdigest()


def split_blocks(source: str, indent: int = 0) -> list[tuple[str, str]]:
    """Statements of a module (or of a class body), as (code, blank lines after it) pairs.

    A block starts at a line indented by exactly `indent` spaces that follows a
    blank line (outside a docstring); decorators, comments and closing brackets
    stay with their block. Joining every code and its blank lines gives back `source`.
    """
    blocks: list[tuple[str, str]] = []
    code: list[str] = []
    blank: list[str] = []
    prefix = " " * indent
    for line, in_docstring in with_docstring_state(source.splitlines(keepends=True)):
        if not line.strip() and not in_docstring:
            blank.append(line)
            continue
        starts_block = (
            not in_docstring
            and line.startswith(prefix)
            and line[indent : indent + 1] not in (" ", "\t", ")", "]", "}")
        )
        if blank and starts_block and code:
            blocks.append(("".join(code), "".join(blank)))
            code, blank = [], []
        code.extend(blank)
        blank = []
        code.append(line)
    blocks.append(("".join(code), "".join(blank)))
    return blocks


_CLASS_WRAPPER = "class _:\n"  # lets black format one member of a class on its own
_DEF_WRAPPERS = ("class _:\n    def _(self):\n", "class _:\n    async def _(self):\n")
_BIG_CLASS_LINES = 60  # a class this long is formatted member by member (a method: by statement)


def _pieces(code: str) -> list[tuple[str, str, str]]:
    """(code, blank lines after it, the text black formats it after) for one top-level
    block: a long class member by member, and a long method that needs black statement by
    statement (a raw view's `__init__` in Microsoft Graph is 2,000 lines)."""
    if not code.startswith("class ") or code.count("\n") < _BIG_CLASS_LINES:
        return [(code, "", "")]
    pieces: list[tuple[str, str, str]] = []
    for index, (text, blank) in enumerate(split_blocks(code, indent=4)):
        wrapper = _CLASS_WRAPPER if index > 0 else ""
        statements = None
        if wrapper and text.count("\n") >= _BIG_CLASS_LINES and needs_black(text):
            statements = _method_statements(text)
        if statements is None:
            pieces.append((text, blank, wrapper))
            continue
        pieces.extend((statement, "", inner) for statement, inner in statements)
        last, _, inner = pieces[-1]
        pieces[-1] = (last, blank, inner)
    return pieces


def _method_statements(member: str) -> list[tuple[str, str]] | None:
    """A class member that is one method, as (text, wrapper) pieces: its header with the
    first statement, then each further statement (wrapped in a stand-in method); None for
    anything else, or when comments or blank lines sit between its statements."""
    import ast

    try:
        tree = ast.parse(_CLASS_WRAPPER + member)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    members = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    if len(members) != 1 or not isinstance(members[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    body = members[0].body
    lines = member.splitlines(keepends=True)
    ends = [statement.end_lineno or 0 for statement in body]
    if len(body) < 2 or ends[-1] - 2 != len(lines) - 1:
        return None  # (the member's line k is line k + 2 of the parsed text)
    if any(end + 1 != statement.lineno for end, statement in zip(ends, body[1:], strict=False)):
        return None
    wrapper = _DEF_WRAPPERS[isinstance(members[0], ast.AsyncFunctionDef)]
    starts = [statement.lineno - 2 for statement in body[1:]] + [len(lines)]
    pieces = [("".join(lines[: starts[0]]), _CLASS_WRAPPER)]
    pieces.extend(("".join(lines[a:b]), wrapper) for a, b in itertools.pairwise(starts))
    return pieces


def _top_level_statements(code: str) -> list[str] | None:
    """A README snippet's statements (each with its own lines), or None when it does not
    parse, or holds comments or blank lines between statements."""
    import ast

    try:
        body = ast.parse(code).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    lines = code.splitlines(keepends=True)
    ends = [statement.end_lineno or 0 for statement in body]
    if not body or body[0].lineno != 1 or ends[-1] != len(lines):
        return None
    if any(end + 1 != statement.lineno for end, statement in zip(ends, body[1:], strict=False)):
        return None
    starts = [statement.lineno - 1 for statement in body] + [len(lines)]
    return ["".join(lines[a:b]) for a, b in itertools.pairwise(starts)]


def format_files(
    files: Mapping[str, str], pool: Executor | None = None, *, parallel: bool = True
) -> dict[str, str]:
    """Format the `.py` files of a rendered package, and the ```python blocks of its Markdown
    files (the README's snippets); other files pass through unchanged.

    Only the statements that need black go to black, each on its own: a top-level
    statement, or one member of a long class (wrapped in a stand-in class). With a
    `pool` (or when the work is large and `parallel`), they are formatted in parallel,
    biggest first.
    """
    result = dict(files)
    cache = _cache_dir()
    format_all = os.environ.get(FORMAT_ALL_ENV) == "all"
    plans: dict[str, list[tuple[str | None, str, str, str]]] = {}
    units: dict[str, str] = {}
    # a README snippet formatted statement by statement: (unit key or None, statement)
    snippets: dict[str, list[tuple[str | None, str]]] = {}
    documents = []
    for path, source in files.items():
        if path.endswith(".md"):
            documents.append(path)
            for index, match in enumerate(_PYTHON_BLOCK.finditer(source)):
                block = match.group(1)
                if not format_all and not needs_black(block):
                    continue
                statements = None if format_all else _top_level_statements(block)
                if statements is None:
                    units[f"{path}#{index}"] = block
                    continue
                plan_of_block = snippets[f"{path}#{index}"] = []
                for number, statement in enumerate(statements):
                    key = f"{path}#{index}.{number}" if needs_black(statement) else None
                    if key is not None:
                        units[key] = statement
                    plan_of_block.append((key, statement))
            continue
        if not path.endswith(".py") or not source:
            continue
        if format_all:
            pieces = [(source, "", "")]
        elif needs_black(source):
            pieces = []
            for block, blank in split_blocks(source):
                if not needs_black(block):
                    pieces.append((block, blank, ""))
                    continue
                parts = _pieces(block)
                last_code, last_blank, last_wrapper = parts[-1]
                parts[-1] = (last_code, last_blank + blank, last_wrapper)
                pieces.extend(parts)
        else:
            continue
        plan: list[tuple[str | None, str, str, str]] = []
        for index, (code, blank, wrapper) in enumerate(pieces):
            key = None
            if format_all or needs_black(code):
                key = f"{path}:{index}"
                units[key] = wrapper + code
            plan.append((key, code, blank, wrapper))
        plans[path] = plan
    formatted = _format_units(units, cache, pool, parallel)
    for path in documents:
        result[path] = _with_blocks(path, files[path], formatted, snippets)
    for path, plan in plans.items():
        texts = []
        for key, code, blank, wrapper in plan:
            text = code if key is None else formatted[key]
            if text is not None and key is not None:
                text = text[len(wrapper) :] if text.startswith(wrapper) else None
            if text is None:
                break
            texts.append(text + blank)
        else:
            result[path] = "".join(texts)
            continue
        # a statement black cannot take on its own: format the whole module
        result[path] = format_source(files[path])
    return result


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _with_blocks(
    path: str,
    source: str,
    formatted: Mapping[str, str | None],
    snippets: Mapping[str, list[tuple[str | None, str]]],
) -> str:
    """A Markdown file with its ```python blocks as black writes them, whole or statement
    by statement (`snippets`); a block black refuses is kept as it is."""
    index = -1

    def block(match: re.Match[str]) -> str:
        nonlocal index
        index += 1
        name = f"{path}#{index}"
        text = formatted.get(name)
        if name in snippets:
            parts = [
                statement if key is None else formatted[key] for key, statement in snippets[name]
            ]
            text = None if None in parts else "".join(p for p in parts if p is not None)
        return f"```python\n{text if text is not None else match.group(1)}```"

    return _PYTHON_BLOCK.sub(block, source)


class FormatStream:
    """Formats files in a process pool while the rest of the package is still rendering.

    Files are sent in batches of about `batch_chars` characters; each worker runs
    `format_files` on its batch (skip test, black where needed, the cache).
    """

    def __init__(self, pool: Executor, batch_chars: int = 150_000) -> None:
        self._pool = pool
        self._batch_chars = batch_chars
        self._batch: dict[str, str] = {}
        self._size = 0
        self._jobs: list[tuple[dict[str, str], Future[dict[str, str]]]] = []

    def add(self, path: str, text: str) -> None:
        """Queue one rendered file."""
        self._batch[path] = text
        self._size += len(text)
        if self._size >= self._batch_chars:
            self._flush()

    def result(self) -> dict[str, str]:
        """Every file, formatted (waits for the pool)."""
        self._flush()
        formatted: dict[str, str] = {}
        for batch, job in self._jobs:
            batch.update(job.result())
            formatted.update(batch)
        return formatted

    def _flush(self) -> None:
        if self._batch:
            self._jobs.append((self._batch, self._pool.submit(_format_changes, self._batch)))
            self._batch, self._size = {}, 0


def _format_changes(files: dict[str, str]) -> dict[str, str]:
    """The files that formatting changes, formatted (the caller keeps the rest as they are)."""
    return {path: text for path, text in format_files(files).items() if text is not files[path]}


def _format_units(
    units: Mapping[str, str], cache: Path, pool: Executor | None, parallel: bool = True
) -> dict[str, str | None]:
    """black's output for each unit (None where black refused it), through the cache."""
    formatted: dict[str, str | None] = {}
    pending: dict[str, str] = {}
    for key, source in units.items():
        try:
            formatted[key] = (cache / _key(source)).read_text(encoding="utf-8")
        except OSError:
            pending[key] = source
    if not pending:
        return formatted
    order = sorted(pending, key=lambda k: len(pending[k]), reverse=True)
    total = sum(len(s) for s in pending.values())
    workers = min(os.cpu_count() or 1, len(pending))
    if pool is not None and total >= _POOL_THRESHOLD:
        done = _format_in(pool, order, pending)
    elif parallel and total >= _PARALLEL_THRESHOLD and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # (~10 ms: large packages only)

        with ProcessPoolExecutor(max_workers=workers) as own_pool:
            done = _format_in(own_pool, order, pending)
    else:
        done = dict(zip(order, _format_batch([pending[k] for k in order]), strict=True))
    for key, text in done.items():
        formatted[key] = text
        if text is not None:
            _store(cache, _key(pending[key]), text)
    return formatted


def _format_batch(sources: list[str]) -> list[str | None]:
    from black.parsing import InvalidInput

    results: list[str | None] = []
    for source in sources:
        try:
            results.append(format_source(source))
        except InvalidInput:
            results.append(None)
    return results


def _format_in(
    pool: Executor, order: list[str], pending: Mapping[str, str]
) -> dict[str, str | None]:
    """Big files one job each (biggest first), small ones in batches: both cores stay busy."""
    jobs: list[tuple[list[str], Future[list[str | None]]]] = []
    batch: list[str] = []
    batch_size = 0
    for path in order:
        size = len(pending[path])
        if size >= _BIG_FILE:
            jobs.append(([path], pool.submit(_format_batch, [pending[path]])))
            continue
        batch.append(path)
        batch_size += size
        if batch_size >= _BIG_FILE:
            jobs.append((batch, pool.submit(_format_batch, [pending[p] for p in batch])))
            batch, batch_size = [], 0
    if batch:
        jobs.append((batch, pool.submit(_format_batch, [pending[p] for p in batch])))
    formatted: dict[str, str | None] = {}
    for paths, future in jobs:
        formatted.update(zip(paths, future.result(), strict=True))
    return formatted


def _store(cache: Path, key: str, text: str) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{key}.{os.getpid()}"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(cache / key)
    except OSError:
        pass  # the cache is an optimisation only
