"""The YAML half of `parse`: the safe loader and its errors as located diagnostics.

Imported only for a YAML file (PyYAML's import is ~9 ms a JSON spec does not pay); see
`parse` for the rules (YAML 1.2 core-schema scalars, no duplicate keys, bounded integers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from .limits import MAX_DEPTH, MAX_INT_DIGITS
from .parse import error, key_text, too_long_message

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
            self.flatten_mapping(node)  # (`<<` merge keys, as SafeConstructor does)
            # keys are their JSON text here, not after: `1` and `true` are two keys
            # ("1", "true"), which a dict of the raw keys would merge (True == 1)
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, (dict, list)):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found unhashable key",
                        key_node.start_mark,
                    )
                mapping[key_text(key)] = self.construct_object(value_node, deep=deep)
            return mapping
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
    return _Problem("E004", too_long_message(text), mark)


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
for _tag in ("bool", "null"):
    _full = f"tag:yaml.org,2002:{_tag}"
    SpecLoader.add_constructor(_full, _scalar_read_as(_full, SpecLoader.yaml_constructors[_full]))


def _refuse_tag(loader: Any, node: Any) -> Any:
    """A YAML 1.1 type outside the core schema OpenAPI's YAML uses (`!!binary` bytes, a
    `!!timestamp` datetime, a `!!set`, `!!omap` or `!!pairs`): no JSON value, so it is
    refused where its tag is (E002), as an unknown tag is, in `lint` and `generate` alike."""
    short = "!!" + str(node.tag).rsplit(":", 1)[-1]
    raise _Problem(
        "E002",
        f"invalid YAML: {short} is not allowed: an OpenAPI document holds JSON values only"
        " (YAML 1.2 core schema); write the value as a string, a sequence or a mapping",
        node.start_mark,
    )


# (an unquoted date or time is a string already: the timestamp resolver is removed above)
for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
    SpecLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def parse_yaml(text: str, shown: str, on_nodes: Callable[[Any], None] | None = None) -> Any:
    """YAML text as plain data (`parse.parse` checks its depth and aliases after); SpecError
    (E002, E004) when it is unusable. `on_nodes` receives the node tree it was built from."""
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
        raise error(exc.code, shown, line, col, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        if "maximum nesting depth" in problem:
            raise error(
                "E004", shown, line, col, f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
            ) from None
        raise error("E002", shown, line, col, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: control characters are not allowed (U+{code:04X})"
        raise error("E002", shown, line, col, message) from None
    except RecursionError:
        message = f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
        raise error("E004", shown, 1, 1, message) from None
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError) as exc:
        # no mark to place it (the known cases are located above): say what failed
        message = f"invalid YAML: the document cannot be read ({type(exc).__name__}: {exc})"
        raise error("E002", shown, 1, 1, message) from None
