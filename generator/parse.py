"""Parse one spec file's text (YAML or JSON) into plain data, within the limits of `limits`.

YAML is read with the C loader and YAML 1.2 core-schema scalars: `2023-01-15`
stays a string and `yes`/`no`/`on`/`off` stay strings, as every JSON-Schema tool
reads them. Mapping keys become strings (`200:` is "200"). YAML 1.1 types that make no
JSON value (`!!binary`, `!!timestamp`, `!!set`, `!!omap`, `!!pairs`) are refused at their
tag (E002), like an unknown tag.

Untrusted text cannot make parsing misbehave:
- a key given twice in one mapping (YAML or JSON) is an error naming both lines;
- JSON's `NaN`, `Infinity` and `-Infinity`, which Python's `json` reads but JSON does
  not have, are refused where they stand;
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

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .json_positions import find_duplicate_key, line_col
from .limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    max_pointer_chars,
    pointer_message,
    pointer_token_length,
)


def too_long_message(text: str) -> str:
    """The E004 message of an integer literal longer than MAX_INT_DIGITS."""
    digits = len(text.lstrip("+-"))
    return f"integer literal with {digits:,} digits: the limit is {MAX_INT_DIGITS:,}"


def error(code: str, shown: str, line: int, col: int, message: str) -> SpecError:
    """A SpecError of one located error diagnostic."""
    return SpecError([Diagnostic(code, Severity.ERROR, Location(shown, line, col), message)])


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
    *,
    json_constants: bool = False,
) -> Any:
    """Parse a spec file's text: JSON for `.json`, else YAML; SpecError when it is unusable.

    `locate(pointer)` gives the (line, column) of a JSON pointer in this text; it is
    used only to place limit errors found after parsing. `on_nodes` receives a YAML
    file's node tree, which the data was built from (its marks place diagnostics), so
    that a file with many diagnostics is not composed a second time for them.
    `json_constants` accepts JSON's non-standard `NaN` and `Infinity` (for the generator's
    own snapshot of a YAML spec holding `.nan` or `.inf`).
    """
    budget = max_pointer_chars(len(text))
    try:
        if path.suffix.lower() == ".json":
            return normalize(_parse_json(text, shown, json_constants), copy=False, budget=budget)
        from .parse_yaml import parse_yaml  # (PyYAML: ~9 ms a JSON spec does not need)

        return normalize(parse_yaml(text, shown, on_nodes), copy=True, budget=budget)
    except _Located as exc:
        line, col = locate(exc.pointer)
        location = Location(shown, line, col, exc.pointer)
        raise SpecError([Diagnostic(exc.code, Severity.ERROR, location, exc.message)]) from None


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


class _JsonConstant(Exception):
    pass


def _json_constant(text: str) -> Any:
    raise _JsonConstant(text)


_LONG_INT = re.compile(rf"-?[0-9]{{{MAX_INT_DIGITS + 1},}}")
# a string, or one of the tokens Python's `json` reads beyond the standard
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _constant_position(text: str) -> int:
    """Where the first `NaN`/`Infinity` token outside a string starts (0 if none is found)."""
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1):
            return match.start(1)
    return 0


def _parse_json(text: str, shown: str, constants: bool = False) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_int=_json_int,
            parse_constant=float if constants else _json_constant,
        )
    except json.JSONDecodeError as exc:
        raise error("E002", shown, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        message = f"invalid JSON: nested deeper than {MAX_DEPTH} levels"
        raise error("E004", shown, 1, 1, message) from None
    except _DuplicateJsonKey:
        found = find_duplicate_key(text)
        key, first, second = found if found else ("?", 0, 0)
        (line1, _), (line2, col2) = line_col(text, first), line_col(text, second)
        message = (
            f"invalid JSON: duplicate key {key!r} (first at line {line1}, again at line {line2})"
        )
        raise error("E002", shown, line2, col2, message) from None
    except _JsonIntTooLong as exc:
        match = _LONG_INT.search(text)
        line, col = line_col(text, match.start()) if match else (1, 1)
        raise error("E004", shown, line, col, too_long_message(str(exc))) from None
    except _JsonConstant as exc:  # Python's `json` reads them; JSON has no NaN or infinity
        line, col = line_col(text, _constant_position(text))
        message = f"invalid JSON: {exc} is not a JSON value (JSON numbers are finite)"
        raise error("E002", shown, line, col, message) from None


def normalize(root: Any, *, copy: bool, budget: int | None = None) -> Any:
    """Check depth and alias expansion of parsed data; with `copy`, rebuild it with string keys.
    With a `budget`, the JSON pointers of the containers may add up to that many characters
    at most (`limits.max_pointer_chars`), counted from their lengths in the same pass.

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
    budget = budget if budget is not None else -1
    if not copy:
        _check_depth(root, budget)
        return root
    new_root: Any = {} if isinstance(root, dict) else []
    # (source container, its copy, depth, its pointer's length, chain of (id, key, parent))
    stack: list[tuple[Any, Any, int, int, Any]] = [(root, new_root, 1, 0, (id(root), None, None))]
    seen: set[int] = set()
    expanded = total = 0
    while stack:
        source, target, depth, length, chain = stack.pop()
        if depth > MAX_DEPTH:
            raise _Located("E004", _depth_message(source, chain[2]), _pointer(chain))
        total += length
        if 0 <= budget < total:
            raise _Located("E004", pointer_message(budget), "")
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
                size = length + 1 + pointer_token_length(name)
                pending.append((value, child, depth + 1, size, (id(value), name, chain)))
            if isinstance(target, dict):
                target[name] = child
            else:
                target.append(child)
        stack.extend(reversed(pending))
    return new_root


def _check_depth(root: Any, budget: int = -1) -> None:
    """E004 when containers nest deeper than MAX_DEPTH (the first in document order), or
    when their JSON pointers add up to more than `budget` characters (unless negative)."""
    stack_: list[tuple[Any, int, int]] = [(root, 1, 0)]
    pop, push = stack_.pop, stack_.append
    total = 0
    while stack_:
        node, depth, length = pop()
        if depth > MAX_DEPTH:
            break
        total += length
        if 0 <= budget < total:
            raise _Located("E004", pointer_message(budget), "")
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    push((value, depth + 1, length + 1 + pointer_token_length(key)))
        else:
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    push((value, depth + 1, length + 1 + len(str(index))))
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
