"""The configuration: `[tool.billing-sdkgen]` in pyproject.toml, validated, located, resolved.

```toml
[tool.billing-sdkgen]
specs = ["specs"]          # spec files, or folders of *.yaml/*.yml/*.json
output = "generated"       # one project folder per spec, named after its package
formatter = "black"        # black | ruff | none
templates = "sdk-templates"  # templates that replace the built-in ones (same names)
strict-responses = false   # true: clients raise on a response body off the spec

[tool.billing-sdkgen.spec.stripe]   # options of specs/stripe.yaml (keyed by file stem)
package = "stripe_lite"
client = "Stripe"          # Stripe and AsyncStripe (Client/AsyncClient stay as aliases)
include = { tags = ["Customers"], operation-ids = ["GetCharges*"] }
rename-models = { customer = "StripeCustomer" }
resources = { GetCustomersCustomerSources = "customers.sources" }  # as x-sdk-resource
pagination = { "ListEvents*" = { scheme = "page", items = "data" }, GetFoo = false }
```

The table is checked against `config.schema.json` (shipped beside this module);
every problem is a diagnostic `pyproject.toml:LINE:COL: E810 …` located at the
key it is about (TOML offers no positions, so the key is found by a line scan
that follows table headers and dotted keys; inline tables point at their key). A table
that passed is remembered in the cache folder (`config-valid/`, by a hash of the schema
and the table), so that an unchanged configuration is not checked on every run.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .limits import MAX_CONFIG_BYTES, InputTooLarge, NotRegularFile, read_regular_file
from .options import Options, Selection

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TABLE = ("tool", "billing-sdkgen")
SCHEMA_FILE = Path(__file__).resolve().parent / "config.schema.json"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_KEY = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")


@dataclass(frozen=True)
class Config:
    """A read configuration: where it came from and what it says."""

    file: Path | None = None  # None: no configuration found
    specs: tuple[Path, ...] = ()  # as configured (files or folders), absolute
    output: Path | None = None
    defaults: Options = field(default_factory=Options)
    per_spec: tuple[tuple[str, Options], ...] = ()

    def options_for(self, spec_path: Path) -> Options:
        """The options of one spec: its own table over the global ones."""
        return dict(self.per_spec).get(spec_path.stem, self.defaults)


def _error(file: Path, line: int, message: str, hint: str = "", col: int = 1) -> SpecError:
    location = Location(str(file), line, col)
    return SpecError([Diagnostic("E810", Severity.ERROR, location, message, hint)])


def _dotted(text: str) -> tuple[list[str], str] | None:
    """Split `a."b c".d = …` into its keys and the rest; None when it is not a key."""
    keys = []
    while True:
        match = _KEY.match(text)
        if match is None:
            return None
        keys.append(next(g for g in match.groups() if g is not None))
        text = text[match.end() :]
        if not text.startswith("."):
            return keys, text
        text = text[1:]


def locate(text: str, path: Sequence[str]) -> int:
    """The 1-based line that best matches the TOML key `path` (the longest prefix found)."""
    best_line, best = 1, -1
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inner = stripped.strip("[]").strip() if "]" in stripped else ""
            parsed = _dotted(inner)
            table = parsed[0] if parsed else []
            full = table
        else:
            parsed = _dotted(line)
            if parsed is None or not parsed[1].startswith("="):
                continue
            full = table + parsed[0]
        matched = 0
        for have, want in zip(full, path, strict=False):
            if have != want:
                break
            matched += 1
        if matched == len(full) and matched > best:
            best_line, best = number, matched
    return best_line


def option_location(options: Options, keys: Sequence[str], fallback: str) -> Location:
    """Where the key `keys` of the table `options` were read from is in their configuration
    file (the table's line, or the file's first, when the key itself is not there); the
    file `fallback` (the spec) when no configuration file gave them."""
    if options.config_file is None:
        return Location(fallback)
    try:
        text = Path(options.config_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Location(options.config_file)
    line = locate(text, [*(options.config_table or TABLE), *keys])
    return Location(options.config_file, line)


_VALID_FOLDER = "config-valid"  # in the cache folder: the tables that passed the schema


def _valid_marker(table: dict[str, Any]) -> Path | None:
    """The cache folder's file that says `table` passed the schema: named after a hash of
    the schema and the table's `repr` (which tells a TOML date from a string), so another
    schema, or any change to the table, is checked again. None when it cannot be named."""
    import hashlib

    from .paths import cache_root

    try:
        data = SCHEMA_FILE.read_bytes() + b"\0" + repr(table).encode("utf-8", "surrogatepass")
    except (OSError, RecursionError):
        return None
    return cache_root() / _VALID_FOLDER / hashlib.sha256(data).hexdigest()[:32]


def _remember_valid(marker: Path) -> None:
    """Leave the marker of a valid table (a folder that cannot be written: nothing kept)."""
    from .paths import private_cache_folder

    if private_cache_folder(_VALID_FOLDER) is not None:
        with contextlib.suppress(OSError):
            marker.touch()


@functools.cache
def _fast_validator() -> Any:
    """The schema in jsonschema-rs: every valid configuration is checked in ~1 ms after a
    25 ms import, where importing jsonschema took 72 ms of each `generate` and `check` run.
    (Its patterns' `$` is the end of the text, Python's also matches before a final newline:
    what it accepts, jsonschema accepts too.)"""
    import jsonschema_rs

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema)


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a `[tool.billing-sdkgen]` table."""
    from .locations import nearest_config

    found = nearest_config(str(start))
    return None if found is None else Path(found)


def load_config(file: Path | None) -> Config:
    """Read and check the configuration in `file` (None: no configuration, the defaults)."""
    if file is None:
        return Config()
    try:
        # a regular file within a limit: a FIFO hung, `/dev/zero` ran out of memory
        text = read_regular_file(file, MAX_CONFIG_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError, NotRegularFile, InputTooLarge) as exc:
        raise _error(file, 1, f"cannot read the configuration: {exc}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise _error(file, line, f"invalid TOML: {exc}", col=col) from None
    except RecursionError:  # arrays nested thousands deep: tomllib's parser recurses
        raise _error(file, 1, "invalid TOML: nested too deeply") from None
    tools = document.get(TABLE[0], {})
    if not isinstance(tools, dict):  # (`tool = "none"`: an AttributeError traceback before)
        raise _error(file, locate(text, [TABLE[0]]), f"`{TABLE[0]}` is not a table")
    table = tools.get(TABLE[1])
    if table is None:
        return Config(file=file)
    problems: list[tuple[list[str], str]] = []  # (path in the table, message)
    marker = _valid_marker(table)
    # this very table passed this very schema before: not checked again (~10 ms of import)
    known = marker is not None and marker.exists()
    if not known and not _fast_validator().is_valid(table):  # jsonschema, for the messages
        errors = sorted(_validator().iter_errors(table), key=lambda e: list(map(str, e.path)))
        problems = [([str(p) for p in e.absolute_path], e.message) for e in errors]
        if not problems:  # what only the fast one refuses: a pattern's `$` before a final
            # newline, which Python's `re` matches (`distribution = "a\n"`: hostile audit 17)
            problems = [
                ([str(p) for p in e.instance_path], e.message)
                for e in _fast_validator().iter_errors(table)
            ]
    elif not known and marker is not None:
        _remember_valid(marker)
    if problems:
        found = []
        for inside, said in problems:
            path = [*TABLE, *inside]
            location = Location(str(file), locate(text, path), 1)
            message = f"{'.'.join(path)}: {said}"
            found.append(Diagnostic("E810", Severity.ERROR, location, message))
        raise SpecError(found)
    return _resolve(file, text, table)


def _options(
    base: Options, table: dict[str, Any], folder: Path, file: Path, where: Sequence[str] = TABLE
) -> Options:
    def selection(key: str) -> Selection:
        raw = table.get(key, {})
        return Selection(
            tags=tuple(raw.get("tags", ())),
            paths=tuple(raw.get("paths", ())),
            operation_ids=tuple(raw.get("operation-ids", ())),
        )

    templates = base.templates
    if "templates" in table:
        templates = (folder / table["templates"]).resolve()
    ref_root = base.ref_root
    if "ref-root" in table:
        ref_root = (folder / table["ref-root"]).resolve()
    return Options(
        package=table.get("package"),
        distribution=table.get("distribution"),
        client=table.get("client"),
        include=selection("include"),
        exclude=selection("exclude"),
        rename_models=tuple(sorted(table.get("rename-models", {}).items())),
        rename_operations=tuple(sorted(table.get("rename-operations", {}).items())),
        resources=tuple(sorted(table.get("resources", {}).items())),
        pagination=tuple(
            sorted(
                (k, json.dumps(v, sort_keys=True)) for k, v in table.get("pagination", {}).items()
            )
        ),
        templates=templates,
        formatter=table.get("formatter", base.formatter),
        house_style=table.get("house-style", base.house_style),
        strict_responses=table.get("strict-responses", base.strict_responses),
        config_file=str(file),
        config_table=tuple(where),
        ref_root=ref_root,
    )


def _check_templates(options: Options, file: Path, text: str, key: list[str]) -> None:
    if options.templates is not None and not options.templates.is_dir():
        message = f"template folder {options.templates} does not exist"
        raise _error(file, locate(text, key), message)


def _check_distribution(options: Options, file: Path, text: str, path: list[str]) -> None:
    """E810 for a distribution name whose install would replace pip, httpx, pydantic…"""
    from .distribution import distribution_name_problem

    problem = options.distribution and distribution_name_problem(options.distribution)
    if problem:
        message = f"{'.'.join(path)}: {options.distribution!r} {problem}"
        raise _error(file, locate(text, path), message, "choose another distribution name")


def _resolve(file: Path, text: str, table: dict[str, Any]) -> Config:
    folder = file.resolve().parent
    defaults = _options(Options(), {k: v for k, v in table.items() if k != "spec"}, folder, file)
    _check_templates(defaults, file, text, [*TABLE, "templates"])
    per_spec = []
    _check_distribution(defaults, file, text, [*TABLE, "distribution"])
    for stem, spec_table in sorted(table.get("spec", {}).items()):
        options = _options(defaults, spec_table, folder, file, [*TABLE, "spec", stem])
        _check_distribution(options, file, text, [*TABLE, "spec", stem, "distribution"])
        _check_templates(options, file, text, [*TABLE, "spec", stem, "templates"])
        per_spec.append((stem, options))
    specs = tuple((folder / entry).resolve() for entry in table.get("specs", ()))
    output = (folder / table["output"]).resolve() if "output" in table else None
    config = Config(file, specs, output, defaults, tuple(per_spec))
    known = {p.stem for p in config_spec_files(config, check=False)}
    for stem, _ in per_spec:
        if config.specs and stem not in known:
            line = locate(text, [*TABLE, "spec", stem])
            hint = "keys of [tool.billing-sdkgen.spec] are spec file names without their suffix"
            raise _error(file, line, f"no configured spec is named {stem!r}", hint)
    return config


def config_spec_files(config: Config, *, check: bool = True) -> list[Path]:
    """Every spec file the configuration names (folders expanded, sorted within each)."""
    found: list[Path] = []
    for entry in config.specs:
        if entry.is_dir():
            found.extend(sorted(p for p in entry.iterdir() if p.suffix.lower() in SPEC_SUFFIXES))
        elif entry.is_file() or not check:
            found.append(entry)
        else:
            assert config.file is not None
            text = config.file.read_text(encoding="utf-8")
            line = locate(text, [*TABLE, "specs"])
            raise _error(config.file, line, f"configured spec {entry} does not exist")
    return found
