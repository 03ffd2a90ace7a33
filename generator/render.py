"""Stage 4, render: the IR → file contents, through the Jinja templates in `templates/`.

One environment (compiled once, `StrictUndefined`). Spec text reaches a
template only through the escaping filters below: `pyrepr` for literals,
`docstring` for docstrings, `comment` for one-line comments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from . import layout
from .ir import Api, Operation, OperationChunk
from .ir_modules import ModelModule
from .literals import scalar_literal

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def pyrepr(value: Any) -> str:
    """A Python literal for a str/int/float/bool/None or a tuple/list of them (never code).

    Literals are spelled as black spells them (double quotes unless that needs more
    escapes, `1e20` not `1e+20`), so that output without long lines is already formatted.
    """
    if isinstance(value, (tuple, list)):
        inner = ", ".join(pyrepr(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    return scalar_literal(value)


def _escape_char(char: str) -> str:
    if char in "\n\t":
        return char
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
        code = ord(char)
        return (
            f"\\x{code:02x}"
            if code < 0x100
            else f"\\u{code:04x}"
            if code < 0x10000
            else f"\\U{code:08x}"
        )
    return char


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring literal whose content is inert whatever `text` holds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "\n".join(
        line if line.replace("\t", " ").isprintable() else "".join(map(_escape_char, line))
        for line in text.split("\n")
    )
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if not lines or lines == [""]:
        lines = ["(No description in the spec.)"]
    lines[1:] = _dedent(lines[1:])
    pad = " " * indent
    if len(lines) == 1:
        line = lines[0]
        trailing_backslashes = len(line[:-1]) - len(line[:-1].rstrip("\\"))
        if line.endswith('"') and trailing_backslashes % 2 == 0:
            # a final quote would merge with the closing quotes (and black pads it): escape it
            line = line[:-1] + "\\x22"
        return f'"""{line}"""'
    body = "\n".join((pad + line) if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""'


def _dedent(lines: list[str]) -> list[str]:
    """Remove the common indentation of docstring lines, as black (and PEP 257) would."""
    expanded = []
    for line in lines:
        stripped = line.lstrip()
        if stripped and stripped != line:
            line = line[: len(line) - len(stripped)].expandtabs() + stripped
        expanded.append(line)
    indents = [len(line) - len(line.lstrip()) for line in expanded if line.strip()]
    common = min(indents, default=0)
    return [line[common:] for line in expanded]


def tomlstr(text: str) -> str:
    """A TOML basic string holding `text` exactly (a lone surrogate, which neither TOML nor
    UTF-8 can hold, becomes U+FFFD)."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif "\ud800" <= char <= "\udfff":
            out.append("\\ufffd")
        elif not char.isprintable() or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def mdtext(text: str) -> str:
    """Inline Markdown text: one line, no HTML, no table or code breaks."""
    text = comment(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("`", "'")


def comment(text: str) -> str:
    """One line of comment text: newlines and control characters removed."""
    return "".join(c if c.isprintable() else " " for c in text.replace("\n", " "))


@dataclass(frozen=True)
class Mode:
    """Names that differ between the sync and async renderings of one template."""

    client: str
    base_class: str
    label: str
    http_client: str
    def_: str
    await_: str
    sleep: str
    close: str
    enter: str
    exit: str
    close_response: str
    read: str

    @property
    def label_title(self) -> str:
        """`Synchronous` / `Asynchronous`."""
        return self.label.capitalize()


SYNC = Mode(
    "Client",
    "SyncAPIClient",
    "synchronous",
    "httpx.Client",
    "def",
    "",
    "time.sleep",
    "close",
    "__enter__",
    "__exit__",
    "close",
    "read",
)
ASYNC = Mode(
    "AsyncClient",
    "AsyncAPIClient",
    "asynchronous",
    "httpx.AsyncClient",
    "async def",
    "await ",
    "asyncio.sleep",
    "aclose",
    "__aenter__",
    "__aexit__",
    "aclose",
    "aread",
)


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment (templates compiled once per process)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["tomlstr"] = tomlstr
    env.filters["mdtext"] = mdtext
    env.globals["layout"] = layout
    env.filters["as_itself"] = lambda name: f"{name} as {name}"  # explicit re-export
    return env


# name used in generated code -> the import that provides it
_IMPORTS: dict[str, str] = {
    "_dt": "import datetime as _dt",
    "_uuid": "import uuid as _uuid",
    "Annotated": "from typing import Annotated",
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "ClassVar": "from typing import ClassVar",
    "TypeAlias": "from typing import TypeAlias",
    "cast": "from typing import cast",
    "Mapping": "from collections.abc import Mapping",
    "httpx": "import httpx",
    "Field": "from pydantic import Field",
    "ConfigDict": "from pydantic import ConfigDict",
    "RootModel": "from pydantic import RootModel",
    "Tag": "from pydantic import Tag",
    "Discriminator": "from pydantic import Discriminator",
    "ApiModel": "from ._types import ApiModel",
    "ApiEnum": "from ._types import ApiEnum",
    "ApiIntEnum": "from ._types import ApiIntEnum",
    "EmailStr": "from ._types import EmailStr",
    "DateTime": "from ._types import DateTime",
    "secret_pattern": "from ._types import secret_pattern",
    "SecretString": "from ._types import SecretString",
    "discriminate_by": "from ._types import discriminate_by",
    "NOT_GIVEN": "from ._types import NOT_GIVEN",
    "NotGiven": "from ._types import NotGiven",
}
_THIRD_PARTY = ("httpx", "pydantic")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def import_block(
    source_texts: list[str], extra: dict[str, list[str]] | None = None, *, depth: int = 1
) -> str:
    """isort-style import lines for the helper names used in `source_texts`.

    `extra` maps a module to further names to import from it (e.g. `.models`);
    `depth` is how many dots reach the package root (2 inside `models/`).
    """
    used = {w for text in source_texts for w in _WORD.findall(text)}
    plain: set[str] = set()
    from_imports: dict[str, set[str]] = {m: set(n) for m, n in (extra or {}).items() if n}
    for name, line in _IMPORTS.items():
        if name not in used:
            continue
        if line.startswith("import "):
            plain.add(line)
        else:
            module, _, imported = line[len("from ") :].partition(" import ")
            if module.startswith("."):
                module = "." * depth + module[1:]
            from_imports.setdefault(module, set()).add(imported)

    def group_of(module: str) -> int:
        if module.startswith("."):
            return 2
        return 1 if module.split(".")[0] in _THIRD_PARTY else 0

    groups: list[list[str]] = [[], [], []]
    for line in sorted(plain):
        groups[group_of(line.split()[1])].append(line)
    for module in sorted(from_imports, key=lambda m: (m.startswith("."), m)):
        names = sorted(from_imports[module], key=lambda n: (n.lower(), n))
        groups[group_of(module)].append(layout.from_import(module, names))
    return "\n\n".join("\n".join(g) for g in groups if g)


def _model_texts(models: tuple[Any, ...]) -> list[str]:
    texts = []
    for model in models:
        if model.kind == "object" and not model.bases:
            texts.append("ApiModel")
        texts.append(" ".join(model.base_names) if model.kind in ("object", "root") else "")
        texts.append(model.annotation)
        texts.append("ApiIntEnum" if model.kind == "enum" and model.enum_base == "int" else "")
        texts.append("ApiEnum" if model.kind == "enum" and model.enum_base == "str" else "")
        texts.append("TypeAlias" if model.kind == "alias" else "")
        texts.append("ConfigDict" if model.extra == "forbid" and model.kind == "object" else "")
        rules = model.dependent_required or model.required_one_of or model.required_any_of
        texts.append("ClassVar" if model.read_only_fields or rules else "")
        texts.append(f"Field {model.extra_annotation}" if model.extra_annotation else "")
        for field in model.fields:
            texts.append(f"{field.annotation} = {field.value or ''}")
    return texts


def _module_imports(module: ModelModule) -> str:
    """Helper imports plus `from .sibling import …` for one models module."""
    siblings = {f".{name}": list(names) for name, names in module.imports}
    return import_block(_model_texts(module.models), extra=siblings, depth=2)


def _operation_texts(op: Operation) -> list[str]:
    texts = [p.annotation for p in op.parameters]
    texts.extend(r.annotation or "" for r in op.responses)
    if op.body:
        texts.append(op.body.annotation)
        texts.append(op.body.model)
    texts.append(op.return_annotation)
    return texts


def render_package(api: Api) -> dict[str, str]:
    """Render every file of the package; keys are paths relative to the project folder."""
    return dict(iter_render(api))


def iter_render(api: Api) -> Iterator[tuple[str, str]]:
    """(path, text) of every file of the package, one at a time (for streaming)."""
    env = environment()
    model_names = sorted(m.name for m in api.models)
    known = set(model_names)
    op_models = {
        op.name: sorted({w for t in _operation_texts(op) for w in _WORD.findall(t)} & known)
        for op in api.operations
    }
    chunks = api.operation_chunks
    op_chunk = {op.name: chunk.name for chunk in chunks for op in chunk.operations}
    context: dict[str, Any] = {
        "api": api,
        "modes": (SYNC, ASYNC),
        "sync": SYNC,
        "async_": ASYNC,
        "model_names": model_names,
        "client_imports": _client_imports(api),
        "client_doc": _client_doc(api),
        "op_models": op_models,
        "op_chunk": op_chunk,
        "chunks": chunks,
        "bases": _mixins(api, "Operations"),
        "raw_bases": _mixins(api, "RawOperations"),
    }
    package = api.package_name
    files = {
        f"{package}/__init__.py": "__init__.py.jinja",
        f"{package}/_types.py": "_types.py.jinja",
        f"{package}/errors.py": "errors.py.jinja",
        f"{package}/_base_client.py": "_base_client.py.jinja",
        f"{package}/_schemes.py": "_schemes.py.jinja",
        f"{package}/_client.py": "_client.py.jinja",
        f"{package}/_operations/__init__.py": "_operations/__init__.py.jinja",
        f"{package}/models/__init__.py": "models/__init__.py.jinja",
        f"{package}/testing.py": "testing.py.jinja",
        "pyproject.toml": "pyproject.toml.jinja",
        "README.md": "README.md.jinja",
    }
    if api.oauth2_schemes:
        files[f"{package}/_oauth2.py"] = "_oauth2.py.jinja"
    for path, name in files.items():
        yield path, env.get_template(name).render(context)
    yield f"{package}/py.typed", ""
    chunk_template = env.get_template("_operations/part.py.jinja")
    for chunk in chunks:
        chunk_context = {
            **context,
            "chunk": chunk,
            "chunk_imports": _chunk_imports(chunk, op_models),
        }
        yield f"{package}/_operations/{chunk.name}.py", chunk_template.render(chunk_context)
    module_template = env.get_template("models/module.py.jinja")
    for module in api.modules:
        module_context = {**context, "module": module, "module_imports": _module_imports(module)}
        yield f"{package}/models/{module.name}.py", module_template.render(module_context)


def _mixins(api: Api, kind: str) -> dict[str, list[str]]:
    """Base classes of the clients: the operation mixins of every chunk (by mode)."""
    result = {}
    for mode in (SYNC, ASYNC):
        names = [f"{chunk.name}.{mode.label_title}{kind}" for chunk in api.operation_chunks]
        if not names and kind == "Operations":
            names = [mode.base_class]
        result[mode.label_title] = names
    return result


def _client_imports(api: Api) -> str:
    base_names = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "Credential"]
    if any(s.kind == "basic" for s in api.security_schemes):
        base_names.append("BasicCredential")
    if not api.operations:
        base_names += ["AsyncAPIClient", "SyncAPIClient"]
    extra: dict[str, list[str]] = {"._base_client": base_names, "._schemes": ["SCHEMES"]}
    if api.operations:
        extra["._operations"] = [chunk.name for chunk in api.operation_chunks]
    return import_block(["Mapping httpx"], extra=extra)


def _chunk_imports(chunk: OperationChunk, op_models: dict[str, list[str]]) -> str:
    texts = [text for op in chunk.operations for text in _operation_texts(op)]
    models = sorted({name for op in chunk.operations for name in op_models[op.name]})
    base = ["AsyncAPIClient", "OperationInfo", "RawResponse", "SyncAPIClient"]
    block = import_block(
        [*texts, "Mapping cast httpx NOT_GIVEN NotGiven"],
        extra={".._base_client": base, "functools": ["cache"], "typing": ["TYPE_CHECKING"]},
        depth=2,
    )
    if models:  # one name a line, as black would write it (black splits long lines slowly)
        names = "".join(f"        {name},\n" for name in models)
        block += f"\n\nif TYPE_CHECKING:\n    from ..models import (\n{names}    )"
    return block


def _client_doc(api: Api) -> str:
    lines = ["Args:"]
    for scheme in api.security_schemes:
        what = {
            "bearer": "bearer token",
            "oauth2": "OAuth2 access token (or an `OAuth2ClientCredentials` helper)",
            "basic": "(username, password) for HTTP basic auth",
            "api_key": f"API key sent as the `{scheme.wire_name}` {scheme.location}",
        }[scheme.kind]
        lines.append(f"    {scheme.argument}: {what}; a string or a callable returning one.")
    lines.append(f"    base_url: defaults to {api.default_base_url or 'the http_client base URL'}.")
    lines.append("    http_client: an httpx client to use (its pool, proxies, transport).")
    lines.append("    timeout: default timeout for every call (seconds or httpx.Timeout).")
    lines.append("    max_retries: retries for connection errors, 408, 409, 429 and 5xx.")
    lines.append("    default_headers: headers sent with every request.")
    return "\n".join(lines)
