"""Stage 1, load: read a spec (YAML or JSON), bundle local file `$ref`s, and locate pointers.

Parsing uses the C YAML loader (or `json` for `.json` files) with YAML 1.2-style
scalars: `2023-01-15` stays a string and `yes`/`no`/`on`/`off` stay strings,
as every JSON-Schema tool reads them. Mapping keys are strings (`200:` is "200").

Source positions are needed only for diagnostics, so they are computed lazily:
`Spec.locate(pointer)` composes the YAML node tree of the file on first use
(JSON files are scanned on demand instead, see `json_positions`).

External `$ref`s (`other.yaml#/components/schemas/Pet`) are bundled into the
root document's `components` so that later stages see one self-contained
document; remote (`http://`, `https://`) references are refused, never fetched,
and file references may not leave the spec's folder.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .json_positions import JsonPositions

_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


class _SpecLoader(_BASE_LOADER):  # type: ignore[misc]
    """Safe YAML loader with YAML 1.2 core-schema booleans and no timestamp parsing."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in _SpecLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 core schema: booleans, integers and floats as every JSON-Schema tool reads them
# (no sexagesimal `12:30`, no octal `017`, no `1_000`; `1e3` is a number)
_CORE_SCALARS = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT_TAG, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (
        _FLOAT_TAG,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
]
for _tag, _pattern, _firsts in reversed(_CORE_SCALARS):  # first listed wins
    for _first in _firsts:
        _SpecLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, (_tag, _pattern))


def _construct_int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _construct_float(loader: Any, node: Any) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


_SpecLoader.add_constructor(_INT_TAG, _construct_int)
_SpecLoader.add_constructor(_FLOAT_TAG, _construct_float)

SCHEMA_VALUED_KEYS = frozenset(
    {
        "schema",
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
    }
)
SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
SCHEMA_LIST_KEYS = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})


def is_data_key(key: str, *, in_schema: bool) -> bool:
    """True for keys whose values are literal data (examples, defaults, extensions), never walked.

    Inside a schema `default`, `enum`, `const`, `example(s)` hold instance data; elsewhere
    `default` is a response code and must be walked, and `value`/`example` are data.
    """
    if key.startswith("x-"):
        return True
    if in_schema:
        return key in ("example", "examples", "default", "enum", "const")
    return key in ("example", "value")


def walk_nodes(
    node: Any, pointer: str = "", in_schema: bool = False
) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Yield (pointer, mapping, is-a-schema) for every mapping of a document, in order.

    Literal data (examples, defaults, enums, extensions) is never entered, and the
    names inside `properties` (or `components/schemas`) are names, not keywords: a
    property called `default` or `example` is walked like any other.
    """
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk_nodes(item, join_pointer(pointer, index), in_schema)
        return
    if not isinstance(node, dict):
        return
    yield pointer, node, in_schema
    for key, value in node.items():
        if (
            not isinstance(value, (dict, list))
            or key == "$ref"
            or is_data_key(key, in_schema=in_schema)
        ):
            continue
        child = join_pointer(pointer, key)
        names_schemas = (in_schema and key in SCHEMA_MAP_KEYS) or (
            key == "schemas" and pointer == "/components"
        )
        if names_schemas and isinstance(value, dict):
            for name, sub in value.items():
                yield from walk_nodes(sub, join_pointer(child, name), True)
        else:
            is_schema = key in SCHEMA_VALUED_KEYS or key in SCHEMA_LIST_KEYS
            yield from walk_nodes(value, child, is_schema)


def escape_pointer_token(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo `escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a JSON pointer."""
    if len(tokens) == 1:
        token = str(tokens[0])
        if "~" not in token and "/" not in token:
            return f"{pointer}/{token}"
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without a leading `#`) into unescaped tokens."""
    pointer = unquote(pointer.lstrip("#"))
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape_pointer_token(t) for t in pointer[1:].split("/")]


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Return the node at `pointer` inside `document`; KeyError when it is absent."""
    node = document
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def deref(document: Any, node: Any, limit: int = 32) -> dict[str, Any]:
    """Follow local `$ref`s from `node`; the mapping reached, or {} when one does not resolve."""
    for _ in range(limit):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        try:
            node = resolve_pointer(document, node["$ref"])
        except (KeyError, ValueError):
            return {}
    return node if isinstance(node, dict) else {}


def _stringify_keys(node: Any) -> Any:
    """Make every mapping key a string (`200:` in YAML is the response key "200")."""
    if isinstance(node, dict):
        return {_key_text(k): _stringify_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify_keys(v) for v in node]
    return node


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


@dataclass
class SourceFile:
    """One file of a spec: its text, parsed data and (lazily) its YAML node tree."""

    path: Path
    display: str
    text: str
    data: Any
    _nodes: Any = field(default=None, repr=False)
    _nodes_failed: bool = field(default=False, repr=False)
    _json: JsonPositions | None = field(default=None, repr=False)

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the node at `pointer`, or of its deepest existing parent."""
        if self.path.suffix.lower() == ".json":
            return self._json_position(pointer)
        root = self._compose()
        if root is None:
            return (1, 1)
        node = root
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return (line, col)
        for token in tokens:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == token:
                        line = key_node.start_mark.line + 1
                        col = key_node.start_mark.column + 1
                        child = value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and token.isdigit():
                index = int(token)
                if index < len(node.value):
                    child = node.value[index]
                    line = child.start_mark.line + 1
                    col = child.start_mark.column + 1
            if child is None:
                break
            node = child
        return (line, col)

    def _json_position(self, pointer: str) -> tuple[int, int]:
        if self._json is None:
            self._json = JsonPositions(self.text)
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            tokens = []
        return self._json.position(tokens)

    def _compose(self) -> Any:
        if self._nodes is None and not self._nodes_failed:
            try:
                self._nodes = yaml.compose(self.text, Loader=_SpecLoader)
            except yaml.YAMLError:
                self._nodes_failed = True
        return self._nodes


@dataclass
class Spec:
    """A loaded, bundled spec: one self-contained `document` plus where each part came from."""

    root: SourceFile
    document: dict[str, Any]
    files: dict[Path, SourceFile]
    # bundled-document pointer prefix -> (file, pointer inside that file)
    origins: dict[str, tuple[SourceFile, str]] = field(default_factory=dict)
    _nodes: list[tuple[str, dict[str, Any], bool]] | None = field(default=None, repr=False)

    def nodes(self) -> list[tuple[str, dict[str, Any], bool]]:
        """`walk_nodes(document)`, walked once and kept (the lint rules share it)."""
        if self._nodes is None:
            self._nodes = list(walk_nodes(self.document))
        return self._nodes

    @property
    def display(self) -> str:
        """The root file's name as the user gave it (used in every diagnostic)."""
        return self.root.display

    def locate(self, pointer: str) -> Location:
        """Source location (file, line, column) of a pointer into the bundled document."""
        best = ""
        for prefix in self.origins:
            if (pointer == prefix or pointer.startswith(prefix + "/")) and len(prefix) > len(best):
                best = prefix
        if best:
            source, origin_pointer = self.origins[best]
            inner = origin_pointer + pointer[len(best) :]
        else:
            source, inner = self.root, pointer
        line, col = source.position(inner)
        return Location(source.display, line, col, pointer)

    def resolve(self, ref: str) -> Any:
        """Resolve a local `#/…` reference inside the bundled document (KeyError if absent)."""
        return resolve_pointer(self.document, ref)

    def diagnostic(
        self, code: str, pointer: str, message: str, *, warning: bool = False, hint: str = ""
    ) -> Diagnostic:
        """Build a diagnostic located at `pointer` of the bundled document."""
        severity = Severity.WARNING if warning else Severity.ERROR
        return Diagnostic(code, severity, self.locate(pointer), message, hint)


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_source(path: Path, display: str | None = None) -> SourceFile:
    """Read and parse one file; raise SpecError with a located diagnostic on failure."""
    shown = display or _display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SpecError(
            [Diagnostic("E001", Severity.ERROR, Location(shown), f"cannot read file: {reason}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [
                Diagnostic(
                    "E001",
                    Severity.ERROR,
                    Location(shown),
                    f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                )
            ]
        ) from None
    data = _parse(text, path, shown)
    return SourceFile(path=path, display=shown, text=text, data=data)


def _parse(text: str, path: Path, shown: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [
                    Diagnostic(
                        "E002",
                        Severity.ERROR,
                        Location(shown, exc.lineno, exc.colno),
                        f"invalid JSON: {exc.msg}",
                    )
                ]
            ) from None
        except RecursionError:
            raise SpecError(
                [
                    Diagnostic(
                        "E002", Severity.ERROR, Location(shown), "invalid JSON: nested too deeply"
                    )
                ]
            ) from None
    try:
        return _stringify_keys(yaml.load(text, Loader=_SpecLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise SpecError(
            [
                Diagnostic(
                    "E002", Severity.ERROR, Location(shown, line, col), f"invalid YAML: {problem}"
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: control characters are not allowed (U+{code:04X})"
        raise SpecError(
            [Diagnostic("E002", Severity.ERROR, Location(shown, line, col), message)]
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise SpecError(
            [Diagnostic("E002", Severity.ERROR, Location(shown), f"invalid YAML: {exc}")]
        ) from None


SUPPORTED_VERSIONS = re.compile(r"^3\.[01]\.\d+$")


def load_spec(path: str | Path) -> Spec:
    """Load a spec file and bundle its local file `$ref`s; raise SpecError on bad input."""
    path = Path(path)
    root = read_source(path, str(path))
    data = root.data
    if not isinstance(data, dict):
        raise SpecError(
            [
                Diagnostic(
                    "E003",
                    Severity.ERROR,
                    Location(root.display),
                    "not an OpenAPI document: the top level is not a mapping",
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        if "swagger" in data:
            message = "Swagger 2.0 is not supported: convert it to OpenAPI 3.0 or 3.1 first"
            line, col = root.position("/swagger")
        else:
            message = "not an OpenAPI document: no 'openapi' version field"
            line, col = 1, 1
        raise SpecError(
            [Diagnostic("E003", Severity.ERROR, Location(root.display, line, col), message)]
        )
    if not isinstance(version, str) or not SUPPORTED_VERSIONS.match(version):
        line, col = root.position("/openapi")
        raise SpecError(
            [
                Diagnostic(
                    "E003",
                    Severity.ERROR,
                    Location(root.display, line, col, "/openapi"),
                    f"unsupported OpenAPI version {version!r}: expected 3.0.x or 3.1.x",
                )
            ]
        )
    spec = Spec(root=root, document=data, files={path.resolve(): root})
    if _may_reference_files(root.text):
        _Bundler(spec, path.resolve().parent).run()
    return spec


# a `$ref` whose value does not start with `#` (or any escaped character, to be safe)
_NON_LOCAL_REF = re.compile(
    r"""\$ref['"]?[ \t]*:[ \t]*(?:(?![ \t'"#])|['"](?!#))|\\u0024|\\x24|\\U00000024"""
)


def _may_reference_files(text: str) -> bool:
    """False when the text certainly holds only local `#…` references: nothing to bundle."""
    return _NON_LOCAL_REF.search(text) is not None


class _Bundler:
    """Rewrite external file `$ref`s into local `#/components/…` references."""

    def __init__(self, spec: Spec, base_dir: Path) -> None:
        self.spec = spec
        self.base_dir = base_dir
        self.errors: list[Diagnostic] = []
        self.registered: dict[tuple[Path, str], str] = {}
        self.inlining: set[tuple[Path, str]] = set()

    def run(self) -> None:
        self._walk(self.spec.document, self.spec.root, "", "", in_schema=False)
        if self.errors:
            raise SpecError(self.errors)

    def _walk(
        self, node: Any, source: SourceFile, src_ptr: str, doc_ptr: str, *, in_schema: bool
    ) -> None:
        """Visit `node` (which lives in `source` at `src_ptr`, and in the bundle at `doc_ptr`)."""
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(
                    item,
                    source,
                    join_pointer(src_ptr, index),
                    join_pointer(doc_ptr, index),
                    in_schema=in_schema,
                )
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and (not ref.startswith("#") or source is not self.spec.root):
            new_ref = self._rewrite(ref, source, src_ptr, doc_ptr, in_schema=in_schema, holder=node)
            if new_ref is not None:
                node["$ref"] = new_ref
        for key, value in list(node.items()):
            if (
                key == "$ref"
                or not isinstance(value, (dict, list))
                or is_data_key(key, in_schema=in_schema)
            ):
                continue
            child_src, child_doc = join_pointer(src_ptr, key), join_pointer(doc_ptr, key)
            if (
                (key in SCHEMA_MAP_KEYS and in_schema)
                or (key == "schemas" and doc_ptr == "/components")
            ) and isinstance(value, dict):
                # a snapshot: bundling a file may add schemas to this very mapping
                for name, sub in list(value.items()):
                    self._walk(
                        sub,
                        source,
                        join_pointer(child_src, name),
                        join_pointer(child_doc, name),
                        in_schema=True,
                    )
            else:
                child_in_schema = key in SCHEMA_VALUED_KEYS or key in SCHEMA_LIST_KEYS
                self._walk(value, source, child_src, child_doc, in_schema=child_in_schema)

    def _error(self, source: SourceFile, pointer: str, code: str, message: str) -> None:
        line, col = source.position(pointer)
        self.errors.append(
            Diagnostic(code, Severity.ERROR, Location(source.display, line, col, pointer), message)
        )

    def _rewrite(
        self,
        ref: str,
        source: SourceFile,
        src_ptr: str,
        doc_ptr: str,
        *,
        in_schema: bool,
        holder: dict[str, Any],
    ) -> str | None:
        here = join_pointer(src_ptr, "$ref")
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref):
            self._error(
                source,
                here,
                "E101",
                f"remote $ref {ref!r} refused: references are never fetched; download the file next to the spec and reference it by relative path",
            )
            return None
        file_part, _, fragment = ref.partition("#")
        if file_part:
            target = (source.path.parent / unquote(file_part)).resolve()
            try:
                target.relative_to(self.base_dir)
            except ValueError:
                self._error(
                    source,
                    here,
                    "E102",
                    f"$ref {ref!r} leaves the spec's folder: file references must stay under {self.base_dir.name}/",
                )
                return None
        else:
            target = source.path.resolve()
        target_source = self._source(target, source, here, ref)
        if target_source is None:
            return None
        pointer = "/" + fragment.lstrip("/") if fragment else ""
        try:
            resolved = resolve_pointer(target_source.data, pointer)
        except (KeyError, ValueError):
            self._error(
                source,
                here,
                "E103",
                f"$ref {ref!r} does not resolve: no {pointer or '/'} in {target_source.display}",
            )
            return None
        key = (target, pointer)
        if key in self.registered:
            return self.registered[key]
        tokens = split_pointer(pointer)
        if len(tokens) == 3 and tokens[0] == "components":
            section, name = tokens[1], tokens[2]
        elif in_schema:
            section, name = "schemas", tokens[-1] if tokens else target.stem
        else:
            return self._inline(
                ref, resolved, target_source, pointer, doc_ptr, holder, source, here
            )
        local = self._register(section, name, key, resolved, target_source, pointer)
        return local

    def _source(self, target: Path, source: SourceFile, here: str, ref: str) -> SourceFile | None:
        if target in self.spec.files:
            return self.spec.files[target]
        if not target.is_file():
            self._error(
                source, here, "E103", f"$ref {ref!r} does not resolve: file {target.name} not found"
            )
            return None
        try:
            loaded = read_source(target, _display_name(target))
        except SpecError as exc:
            self.errors.extend(exc.diagnostics)
            return None
        self.spec.files[target] = loaded
        return loaded

    def _register(
        self,
        section: str,
        name: str,
        key: tuple[Path, str],
        node: Any,
        source: SourceFile,
        pointer: str,
    ) -> str:
        components = self.spec.document.setdefault("components", {})
        bucket = components.setdefault(section, {})
        unique, counter = name, 2
        while unique in bucket:
            unique, counter = f"{name}{counter}", counter + 1
        local = "#" + join_pointer("/components", section, unique)
        self.registered[key] = local
        bucket[unique] = copy.deepcopy(node)
        doc_ptr = local[1:]
        self.spec.origins[doc_ptr] = (source, pointer)
        self._walk(bucket[unique], source, pointer, doc_ptr, in_schema=section == "schemas")
        return local

    def _inline(
        self,
        ref: str,
        node: Any,
        target: SourceFile,
        pointer: str,
        doc_ptr: str,
        holder: dict[str, Any],
        source: SourceFile,
        here: str,
    ) -> str | None:
        key = (target.path, pointer)
        if key in self.inlining:
            self._error(
                source,
                here,
                "E104",
                f"$ref {ref!r} is circular outside components: point it at components/<section>/<name> instead",
            )
            return None
        if not isinstance(node, dict):
            self._error(source, here, "E103", f"$ref {ref!r} must point at an object")
            return None
        self.inlining.add(key)
        replacement = copy.deepcopy(node)
        holder.pop("$ref", None)
        for k, v in replacement.items():
            holder.setdefault(k, v)
        self.spec.origins[doc_ptr] = (target, pointer)
        self._walk(holder, target, pointer, doc_ptr, in_schema=False)
        self.inlining.discard(key)
        return None
