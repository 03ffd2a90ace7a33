"""Parse one spec file's text (YAML or JSON) into plain data, within the limits of `limits`.

YAML is read with the C loader and YAML 1.2 core-schema scalars: `2023-01-15`
stays a string and `yes`/`no`/`on`/`off` stay strings, as every JSON-Schema tool
reads them. Mapping keys become strings (`200:` is "200").

Untrusted text cannot make parsing misbehave:
- a key given twice in one mapping (YAML or JSON) is an error naming both lines;
- integer literals longer than `MAX_INT_DIGITS` are refused where they stand
  (Python refuses to print them, and arithmetic on them is slow);
- after parsing, one iterative pass checks the nesting depth (`MAX_DEPTH`) and
  how much YAML aliases expand the document (`MAX_ALIAS_NODES`, the "billion
  laughs" attack), copying YAML data into fresh, unshared containers as it goes.

Every problem is raised as a `SpecError` with a located E002 (syntax) or E004
(limit) diagnostic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .json_positions import find_duplicate_key, line_col
from .limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_INT_DIGITS

_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Problem(yaml.YAMLError):
    """A located problem found while constructing YAML data (duplicate key, long integer)."""

    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class SpecLoader(_BASE_LOADER):  # type: ignore[misc]
    """Safe YAML loader: YAML 1.2 core-schema scalars, no duplicate keys, bounded integers."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, Any] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                    continue
                key = key_text(self.construct_object(key_node, deep=True))
                if key in first_seen:
                    first = first_seen[key].start_mark
                    raise _Problem(
                        "E002",
                        f"invalid YAML: duplicate key {key!r} (first at line {first.line + 1},"
                        f" again at line {key_node.start_mark.line + 1})",
                        key_node.start_mark,
                    )
                first_seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


SpecLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", _INT_TAG, _FLOAT_TAG)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
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
        SpecLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, (_tag, _pattern))


def _too_long(text: str, mark: Any) -> _Problem:
    digits = len(text.lstrip("+-"))
    return _Problem(
        "E004",
        f"integer literal with {digits:,} digits: the limit is {MAX_INT_DIGITS:,}",
        mark,
    )


def _construct_int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    if len(text.lstrip("+-")) > MAX_INT_DIGITS:
        raise _too_long(text, node.start_mark)
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


def _scalar_read_as(tag: str, construct: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """`construct` for an explicitly tagged scalar (`!!int abc`, `!!bool maybe`), whose
    failure is a located E002 sentence instead of the converter's exception text."""
    short = "!!" + tag.rsplit(":", 1)[-1]

    def checked(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            value = node.value if isinstance(node.value, str) else ""
            raise _Problem(
                "E002",
                f"invalid YAML: {value[:80]!r} cannot be read as {short}",
                node.start_mark,
            ) from None

    return checked


SpecLoader.add_constructor(_INT_TAG, _scalar_read_as(_INT_TAG, _construct_int))
SpecLoader.add_constructor(_FLOAT_TAG, _scalar_read_as(_FLOAT_TAG, _construct_float))
for _tag in ("bool", "timestamp", "binary", "null"):
    _full = f"tag:yaml.org,2002:{_tag}"
    SpecLoader.add_constructor(_full, _scalar_read_as(_full, SpecLoader.yaml_constructors[_full]))


def key_text(key: Any) -> str:
    """A mapping key as the string JSON would use (`200` → "200", `true` → "true")."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


class _Located(Exception):
    """A problem at a JSON pointer of the parsed data (located by the caller)."""

    def __init__(self, code: str, message: str, pointer: str) -> None:
        super().__init__(message)
        self.code, self.message, self.pointer = code, message, pointer


def parse(
    text: str,
    path: Path,
    shown: str,
    locate: Callable[[str], tuple[int, int]],
    on_nodes: Callable[[Any], None] | None = None,
) -> Any:
    """Parse a spec file's text: JSON for `.json`, else YAML; SpecError when it is unusable.

    `locate(pointer)` gives the (line, column) of a JSON pointer in this text; it is
    used only to place limit errors found after parsing. `on_nodes` receives a YAML
    file's node tree, which the data was built from (its marks place diagnostics), so
    that a file with many diagnostics is not composed a second time for them.
    """
    try:
        if path.suffix.lower() == ".json":
            return normalize(_parse_json(text, shown), copy=False)
        return normalize(_parse_yaml(text, shown, on_nodes), copy=True)
    except _Located as exc:
        line, col = locate(exc.pointer)
        location = Location(shown, line, col, exc.pointer)
        raise SpecError([Diagnostic(exc.code, Severity.ERROR, location, exc.message)]) from None


def _error(code: str, shown: str, line: int, col: int, message: str) -> SpecError:
    return SpecError([Diagnostic(code, Severity.ERROR, Location(shown, line, col), message)])


class _DuplicateJsonKey(Exception):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateJsonKey
    return mapping


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonIntTooLong(text)
    return int(text)


class _JsonIntTooLong(Exception):
    pass


_LONG_INT = re.compile(rf"-?[0-9]{{{MAX_INT_DIGITS + 1},}}")


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _error("E002", shown, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        message = f"invalid JSON: nested deeper than {MAX_DEPTH} levels"
        raise _error("E004", shown, 1, 1, message) from None
    except _DuplicateJsonKey:
        found = find_duplicate_key(text)
        key, first, second = found if found else ("?", 0, 0)
        (line1, _), (line2, col2) = line_col(text, first), line_col(text, second)
        message = (
            f"invalid JSON: duplicate key {key!r} (first at line {line1}, again at line {line2})"
        )
        raise _error("E002", shown, line2, col2, message) from None
    except _JsonIntTooLong as exc:
        match = _LONG_INT.search(text)
        line, col = line_col(text, match.start()) if match else (1, 1)
        raise _error("E004", shown, line, col, str(_too_long(str(exc), None).message)) from None


def _parse_yaml(text: str, shown: str, on_nodes: Callable[[Any], None] | None = None) -> Any:
    try:
        if on_nodes is None:
            return yaml.load(text, Loader=SpecLoader)
        loader = SpecLoader(text)  # what yaml.load does, keeping the nodes
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
        on_nodes(node)
        return data
    except _Problem as exc:
        mark = exc.mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _error(exc.code, shown, line, col, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        if "maximum nesting depth" in problem:
            raise _error(
                "E004", shown, line, col, f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
            ) from None
        raise _error("E002", shown, line, col, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: control characters are not allowed (U+{code:04X})"
        raise _error("E002", shown, line, col, message) from None
    except RecursionError:
        message = f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
        raise _error("E004", shown, 1, 1, message) from None
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError) as exc:
        # no mark to place it (the known cases are located above): say what failed
        message = f"invalid YAML: the document cannot be read ({type(exc).__name__}: {exc})"
        raise _error("E002", shown, 1, 1, message) from None


def normalize(root: Any, *, copy: bool) -> Any:
    """Check depth and alias expansion of parsed data; with `copy`, rebuild it with string keys.

    Iterative (no recursion, whatever the depth). YAML aliases make one container
    appear in several places: each appearance after the first counts towards
    `MAX_ALIAS_NODES`, and a container that contains itself is refused. The copy
    shares nothing, so later stages may change one place without changing another.
    Without `copy` (JSON: string keys, no aliases) only the depth is checked.
    A container's pointer is spelled only for a diagnostic: each carries its chain of
    (id, key, parent) links instead.
    """
    if not isinstance(root, (dict, list)):
        return root
    if not copy:
        _check_depth(root)
        return root
    new_root: Any = {} if isinstance(root, dict) else []
    # (source container, its copy, depth, chain of (id, key, parent) links)
    stack: list[tuple[Any, Any, int, Any]] = [(root, new_root, 1, (id(root), None, None))]
    seen: set[int] = set()
    expanded = 0
    while stack:
        source, target, depth, chain = stack.pop()
        if depth > MAX_DEPTH:
            raise _Located("E004", _depth_message(source, chain[2]), _pointer(chain))
        if id(source) in seen:
            expanded += len(source) + 1
            if expanded > MAX_ALIAS_NODES:
                message = (
                    f"YAML aliases expand the document by more than {MAX_ALIAS_NODES:,}"
                    " nodes (a 'billion laughs' document?)"
                )
                raise _Located("E004", message, _pointer(chain))
        else:
            seen.add(id(source))
        items = source.items() if isinstance(source, dict) else enumerate(source)
        pending = []
        for key, value in items:
            name = key_text(key)
            child: Any = value
            if isinstance(value, (dict, list)):
                child = {} if isinstance(value, dict) else []
                pending.append((value, child, depth + 1, (id(value), name, chain)))
            if isinstance(target, dict):
                target[name] = child
            else:
                target.append(child)
        stack.extend(reversed(pending))
    return new_root


def _check_depth(root: Any) -> None:
    """E004 when containers nest deeper than MAX_DEPTH (the first in document order)."""
    stack_: list[tuple[Any, int]] = [(root, 1)]
    pop, push = stack_.pop, stack_.append
    while stack_:
        node, depth = pop()
        if depth > MAX_DEPTH:
            break
        for value in node.values() if isinstance(node, dict) else node:
            if isinstance(value, (dict, list)):
                push((value, depth + 1))
    else:
        return
    # too deep: walk again in document order, keeping the chain that spells the pointer
    stack: list[tuple[Any, int, Any]] = [(root, 1, (id(root), None, None))]
    while stack:
        source, depth, chain = stack.pop()
        if depth > MAX_DEPTH:
            raise _Located("E004", _depth_message(source, chain[2]), _pointer(chain))
        items = source.items() if isinstance(source, dict) else enumerate(source)
        pending = [
            (value, depth + 1, (0, key, chain))
            for key, value in items
            if isinstance(value, (dict, list))
        ]
        stack.extend(reversed(pending))


def _pointer(chain: Any) -> str:
    """The JSON pointer of the container at the end of `chain`."""
    tokens = []
    while chain is not None and chain[1] is not None:
        tokens.append(_escape(key_text(chain[1])))
        chain = chain[2]
    return "".join("/" + token for token in reversed(tokens))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _depth_message(source: Any, ancestors: Any) -> str:
    while ancestors is not None:
        if ancestors[0] == id(source):
            return "invalid YAML: a recursive alias makes the document contain itself"
        ancestors = ancestors[2]
    return f"document nests deeper than the limit of {MAX_DEPTH} levels"
