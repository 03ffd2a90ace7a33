"""Source positions inside a JSON text, found without building a node tree.

Composing a YAML node tree of a 13 MB JSON spec takes seconds; diagnostics only
need the positions of a few pointers. `JsonPositions` scans one container at a
time, on demand, and remembers where each member starts: values it does not
descend into are skipped by the C JSON scanner.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from json import decoder

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# the C string scanner behind json.loads (typeshed does not declare it)
_scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]


class JsonPositions:
    """Lazily indexed positions of the members of a (valid) JSON text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts: list[int] | None = None
        # value offset of a container -> member name (or index) -> (member offset, value offset)
        self._members: dict[int, dict[str, tuple[int, int]]] = {}

    def position(self, tokens: list[str]) -> tuple[int, int]:
        """1-based (line, column) of the member at `tokens`, or of its deepest existing parent."""
        offset = self._skip(0)
        found = offset
        for token in tokens:
            members = self._container(offset)
            if members is None or token not in members:
                break
            found, offset = members[token]
        return self._line_col(found)

    def _skip(self, index: int) -> int:
        match = _WHITESPACE.match(self._text, index)
        return match.end() if match else index

    def _container(self, start: int) -> dict[str, tuple[int, int]] | None:
        if start in self._members:
            return self._members[start]
        text = self._text
        if start >= len(text) or text[start] not in "{[":
            return None
        members: dict[str, tuple[int, int]] = {}
        is_object = text[start] == "{"
        closing = "}" if is_object else "]"
        index = self._skip(start + 1)
        count = 0
        try:
            while index < len(text) and text[index] != closing:
                member_start = index
                if is_object:
                    name, index = _scanstring(text, index + 1)
                    index = self._skip(index)
                    index = self._skip(index + 1)  # the ':'
                else:
                    name = str(count)
                    count += 1
                members.setdefault(name, (member_start, index))
                _, index = _DECODER.raw_decode(text, index)
                index = self._skip(index)
                if index < len(text) and text[index] == ",":
                    index = self._skip(index + 1)
        except (ValueError, IndexError):
            pass  # not valid JSON past this point: keep what was found
        self._members[start] = members
        return members

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


_TOKEN = re.compile(r'[ \t\n\r]*(?:([{}\[\],:])|(")|([^ \t\n\r{}\[\],:"]+))')


def find_duplicate_key(text: str) -> tuple[str, int, int] | None:
    """The first key given twice in one JSON object: (key, first offset, second offset).

    One pass over the tokens with an explicit stack (any depth); used only to place
    the error once the parser has seen a duplicate, so it may assume valid JSON.
    """
    stack: list[dict[str, int] | None] = []  # per open container: its keys (None: an array)
    expect_key = False
    index = 0
    while index < len(text):
        match = _TOKEN.match(text, index)
        if match is None or match.end() == index:
            break
        punct, quote = match.group(1), match.group(2)
        start = match.start(match.lastindex or 0)
        index = match.end()
        if quote:
            try:
                value, index = _scanstring(text, index)
            except ValueError:
                return None
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                if value in keys:
                    return value, keys[value], start
                keys[value] = start
                expect_key = False
        elif punct in ("{", "["):
            stack.append({} if punct == "{" else None)
            expect_key = punct == "{"
        elif punct in ("}", "]"):
            if stack:
                stack.pop()
            expect_key = False
        elif punct == ",":
            expect_key = bool(stack) and stack[-1] is not None
    return None
