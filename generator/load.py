"""Stage 1, load: read a spec (YAML or JSON), bundle local file `$ref`s, and locate pointers.

Files are read only when they are regular files within `limits.MAX_SPEC_BYTES`
(all of a spec's files together), and parsed by `parse` (YAML 1.2 scalars,
string keys, no duplicate keys, bounded depth and alias expansion).

Source positions are needed only for diagnostics, so they are computed lazily:
`Spec.locate(pointer)` composes the YAML node tree of the file on first use
(JSON files are scanned on demand instead, see `json_positions`).

External `$ref`s (`other.yaml#/components/schemas/Pet`) are bundled into the
root document's `components` by `bundle`, so that later stages see one
self-contained document. The loader is the only component that resolves
references: remote (`http://`, `https://`, `file://`…) references are refused,
never fetched, and file references may not leave the spec's folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .json_positions import JsonPositions
from .limits import MAX_SPEC_BYTES, InputTooLarge, NotRegularFile, read_regular_file
from .parse import parse

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
        "itemSchema",  # OpenAPI 3.2: a media type's schema of each item of a sequence
    }
)
SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
SCHEMA_LIST_KEYS = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})


def example_key(example: Any) -> str | None:
    """The key of an Example Object holding its data: `value`, else OpenAPI 3.2's
    `dataValue` (the test kit answered a made-up value beside it, and lint checked none;
    3.1 audit 18); None when it holds neither (`externalValue` is never fetched)."""
    if isinstance(example, dict):
        return next((key for key in ("value", "dataValue") if key in example), None)
    return None


def is_data_key(key: str, *, in_schema: bool) -> bool:
    """True for keys whose values are literal data (examples, defaults, extensions), never walked.

    Inside a schema `default`, `enum`, `const`, `example(s)` hold instance data; elsewhere
    `default` is a response code and must be walked, and `value`/`example` are data.
    """
    if key.startswith("x-"):
        return True
    if in_schema:
        return key in ("example", "examples", "default", "enum", "const")
    return key in ("example", "value", "dataValue", "serializedValue")


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
    """Escape one JSON-pointer reference token (RFC 6901), and its `%` as a URI fragment's
    (`%25`): a pointer is read as a `$ref`'s fragment is, percent-decoded first
    (`split_pointer`), so a schema named `%41` was looked up as `A` (hostile sweep)."""
    return token.replace("~", "~0").replace("/", "~1").replace("%", "%25")


def unescape_pointer_token(token: str) -> str:
    """Undo `escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def decoded_token(token: str) -> str:
    """One token of a pointer as written (percent-escaped as a fragment is, `~0`/`~1`
    escaped), as the name it is."""
    return unescape_pointer_token(unquote(token))


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a JSON pointer."""
    if len(tokens) == 1:
        token = str(tokens[0])
        if "~" not in token and "/" not in token and "%" not in token:
            return f"{pointer}/{token}"
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without a leading `#`) into unescaped tokens."""
    # (strict: `%FF` is no UTF-8; it resolved to a schema named `Foo\ufffd`, hostile audit 13)
    pointer = unquote(pointer.lstrip("#"), errors="strict")
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    tokens = pointer[1:].split("/")
    if "~" not in pointer:  # nothing escaped (almost always): no token to unescape
        return tokens
    return [unescape_pointer_token(t) for t in tokens]


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


@dataclass
class SourceFile:
    """One file of a spec: its bytes, parsed data and (lazily) its text and YAML node tree.

    Read from disk, a file keeps its bytes and lets go of its text once parsed: the text is
    decoded again only when a diagnostic needs a position (GitHub's 13 MB spec holds an
    emoji, so its text takes four bytes a character: 52 MB kept for nothing)."""

    path: Path
    display: str
    text: str
    data: Any
    size: int = 0  # bytes read
    raw: bytes = field(default=b"", repr=False)  # the file's bytes, when `text` was let go
    _nodes: Any = field(default=None, repr=False)
    _nodes_failed: bool = field(default=False, repr=False)
    _json: JsonPositions | None = field(default=None, repr=False)
    _indexed: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict, repr=False)
    # `$anchor` name -> where it is declared (see `anchors`), once the loader looked
    anchors: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the node at `pointer`, or of its deepest existing parent."""
        if self.path.suffix.lower() == ".json":
            return self._json_position(pointer)
        root = self._compose()
        if root is None:
            return (1, 1)
        import yaml  # (imported by `_compose`)

        node = root
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return (line, col)
        for token in tokens:
            child = None
            if isinstance(node, yaml.MappingNode):
                found = self._members(node).get(token)
                if found is not None:
                    key_node, child = found
                    line = key_node.start_mark.line + 1
                    col = key_node.start_mark.column + 1
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

    def _members(self, node: Any) -> dict[str, tuple[Any, Any]]:
        """A mapping node's keys → (key node, value node), indexed once (the last key wins:
        a mapping's own keys follow those that parsing put first for a `<<` merge)."""
        members = self._indexed.get(id(node))
        if members is None:
            members = {}
            for key_node, value_node in node.value:  # duplicates are refused: except
                # those of a `<<` merge, put first by parsing: the mapping's own key wins
                members[str(key_node.value)] = (key_node, value_node)
            self._indexed[id(node)] = members
        return members

    def full_text(self) -> str:
        """The file's text (decoded again from its bytes when it was let go)."""
        if not self.text and self.raw:
            self.text = self.raw.decode("utf-8-sig")
        return self.text

    def content(self) -> bytes:
        """The file's bytes (encoded from its text for a file not read from disk): searched
        rather than the text, a quarter of its size, or less."""
        return self.raw or self.text.encode()

    def mentions(self, *words: bytes) -> bool:
        """Does the file hold any of these byte strings?"""
        content = self.content()
        return any(word in content for word in words)

    def _json_position(self, pointer: str) -> tuple[int, int]:
        if self._json is None:
            self._json = JsonPositions(self.full_text())
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            tokens = []
        return self._json.position(tokens)

    def keep(self, nodes: Any) -> None:
        """Keep the YAML node tree the file's data was built from."""
        self._nodes = nodes
        self._nodes_failed = nodes is None

    def _compose(self) -> Any:
        if self._nodes is None and not self._nodes_failed:
            import yaml

            from .parse_yaml import SpecLoader

            try:
                self._nodes = yaml.compose(self.full_text(), Loader=SpecLoader)
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
    # what loading set aside without refusing (the lint reports them with its own findings)
    notes: list[Diagnostic] = field(default_factory=list)

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
        best = pointer  # the longest prefix of `pointer` that came from another file
        while best and best not in self.origins:
            best = best[: max(best.rfind("/"), 0)]
        if best:
            source, origin_pointer = self.origins[best]
            inner = origin_pointer + pointer[len(best) :]
        else:
            source, inner = self.root, pointer
        line, col = source.position(inner)
        return Location(source.display, line, col, pointer)

    @property
    def size(self) -> int:
        """The bytes of the spec's files together (what the size-bound limits scale with)."""
        return sum(source.size for source in self.files.values())

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


def read_source(
    path: Path,
    display: str | None = None,
    limit: int | None = None,
    *,
    keep_nodes: bool = False,
    json_constants: bool = False,
) -> SourceFile:
    """Read and parse one file of at most `limit` bytes (default: `MAX_SPEC_BYTES`);
    SpecError with a diagnostic on failure. `keep_nodes`: keep a YAML file's node tree
    for diagnostic positions (else it is composed again when the first one is asked)."""
    shown = display or _display_name(path)
    limit = MAX_SPEC_BYTES if limit is None else limit
    try:
        raw = read_regular_file(path, limit)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _read_error(shown, "E001", f"cannot read file: {reason}") from None
    except NotRegularFile as exc:
        raise _read_error(shown, "E001", f"cannot read file: {exc}") from None
    except InputTooLarge as exc:
        raise _read_error(
            shown,
            "E004",
            f"{exc}: a spec and its files may hold at most {MAX_SPEC_BYTES:,} bytes together",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"file is not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise _read_error(shown, "E001", message) from None
    source = SourceFile(path=path, display=shown, text=text, data=None, size=len(raw), raw=raw)
    keep = source.keep if keep_nodes else None
    source.data = parse(text, path, shown, source.position, keep, json_constants=json_constants)
    source.text = ""  # decoded again from `raw` if a position is asked (`full_text`)
    return source


def _read_error(shown: str, code: str, message: str) -> SpecError:
    return SpecError([Diagnostic(code, Severity.ERROR, Location(shown), message)])


SUPPORTED_VERSIONS = re.compile(r"^3\.[012]\.\d+$")


def is_openapi_32(document: dict[str, Any]) -> bool:
    """True for an OpenAPI 3.2 document: its new fields are read only there (elsewhere they
    are unknown keys, reported by E201 and ignored)."""
    return str(document.get("openapi", "")).startswith("3.2.")


def load_spec(
    path: str | Path,
    *,
    keep_nodes: bool = False,
    ref_root: Path | None = None,
    json_constants: bool = False,
) -> Spec:
    """Load a spec file and bundle its local file `$ref`s; raise SpecError on bad input.

    `keep_nodes`: keep the root file's YAML node tree from parsing (see `read_source`),
    for the lint, which places many diagnostics; generation places few, and frees it.
    `ref_root`: the folder file references may read from (default: the spec's folder).
    `json_constants`: accept JSON's non-standard `NaN` and `Infinity` (a snapshot's)."""
    path = Path(path)
    root = read_source(path, str(path), keep_nodes=keep_nodes, json_constants=json_constants)
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
            message = "Swagger 2.0 is not supported: convert it to OpenAPI 3.x first"
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
                    f"unsupported OpenAPI version {version!r}: expected 3.0.x, 3.1.x or 3.2.x",
                )
            ]
        )
    spec = Spec(root=root, document=data, files={path.resolve(): root})
    from .ignored_headers import drop_ignored_headers

    for pointer in drop_ignored_headers(data):
        spec.notes.append(
            spec.diagnostic(
                "W108",
                pointer,
                "a `$ref` in a `Content-Type` header of a response or an encoding is not "
                "followed: OpenAPI says such a header is ignored (the HTTP layer sets it), "
                "so the header was dropped",
                warning=True,
            )
        )
    if ref_root is not None and not _holds(ref_root, path):
        # (one that does not exist, a file, or one beside the spec was taken without a word,
        # and the spec's own sub-folders were then "out of" it: gencli audit)
        message = f"the ref-root {ref_root} is not a folder that holds the spec"
        hint = "give --ref-root (or `ref-root`) a folder above the spec's"
        raise SpecError([Diagnostic("E102", Severity.ERROR, Location(root.display), message, hint)])
    from .anchors import resolve_in_file

    resolve_in_file(root)
    from .spec_bounds import check_counts, check_pointer_chars

    if _may_reference_files(root.content()):
        from .bundle import Bundler

        base = (ref_root or path.parent).resolve()
        Bundler(spec, base, MAX_SPEC_BYTES - root.size).run()
        check_pointer_chars(spec)
    check_counts(spec)
    return spec


def _holds(folder: Path, path: Path) -> bool:
    """Is `folder` a folder that holds the file `path` (at any depth)?"""
    try:
        base = folder.resolve()
        return base.is_dir() and path.resolve().is_relative_to(base)
    except (OSError, ValueError):
        return False


# a `$ref` whose value does not start with `#` (or any escaped character, to be safe)
_NON_LOCAL_REF = re.compile(
    rb"""\$ref['"]?[ \t]*:[ \t]*(?:(?![ \t'"#])|['"](?!#))|\\u0024|\\x24|\\U00000024"""
)


def _may_reference_files(data: bytes) -> bool:
    """False when a file's bytes certainly hold only local `#…` references: nothing to
    bundle (searched in the bytes, a quarter of the text's size when that holds an emoji)."""
    return _NON_LOCAL_REF.search(data) is not None
