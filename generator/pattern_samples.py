"""Strings a model's pattern may match, for synthesised examples (`examples.py`).

The models' patterns are in the syntax of Rust's `regex` crate (`patterns.translate`).
`samples(pattern)` reads the common part of that syntax (literals and escapes,
classes, nested classes, `\\d`/`\\w`/`\\s`/`\\p{…}`, groups, alternation, the
quantifiers, anchors) and writes the shortest strings it describes: each class
gives one character (a letter or a digit where it can), each repetition its least
count, each alternation its first and its last branch. Longer variants repeat the
unbounded parts, to reach a minimum length. Nothing is random.

A sample is a guess, not a proof: the caller checks it with the real engine
(`examples.Examples` does). A pattern using syntax not read here gives no samples.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["samples"]

# characters tried, in order, for a class: a letter or a digit reads best
_PREFERRED = "aA1x0_-. "
_DIGITS = ((ord("0"), ord("9")),)
_WORD = ((ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z")), (ord("_"), ord("_")))
_SPACE = ((ord(" "), ord(" ")), (ord("\t"), ord("\r")))
_LETTERS = ((ord("A"), ord("Z")), (ord("a"), ord("z")))
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "0": "\0"}
_MAX_REPEAT = 64  # repetitions written at most (a sample is for reading, not for filling)


class _Unread(Exception):
    """Syntax this reader does not know: no samples."""


Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Class:
    """One character out of a set of ranges (complemented when `negated`); `others` are
    more sets it holds, each complemented or not (`[\\S\\s]`, `[[^ab]c]`)."""

    ranges: Ranges
    negated: bool = False
    others: tuple[tuple[Ranges, bool], ...] = ()

    def pick(self) -> str:
        """The preferred character of the set."""
        for char in _PREFERRED:
            if self._holds(ord(char)):
                return char
        if not self.negated and self.ranges:
            return chr(self.ranges[0][0])
        raise _Unread("no character found for a class")

    def _holds(self, code: int) -> bool:
        parts = ((self.ranges, False), *self.others)
        inside = any(
            any(low <= code <= high for low, high in ranges) != negated for ranges, negated in parts
        )
        return inside != self.negated


@dataclass(frozen=True)
class _Repeat:
    """`node{least,most}` (`most` None: unbounded)."""

    node: _Node
    least: int
    most: int | None


@dataclass(frozen=True)
class _Sequence:
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Choice:
    branches: tuple[_Node, ...]


_Node = _Class | _Repeat | _Sequence | _Choice | str


def samples(pattern: str, min_length: int = 0) -> list[str]:
    """Candidate strings for the Rust-syntax `pattern` (see the module doc), shortest first;
    empty when the pattern uses syntax not read here."""
    try:
        tree = _Parser(pattern).parse()
    except (_Unread, IndexError, ValueError):
        return []
    found: list[str] = []
    try:
        shortest = len(_write(tree, 0, False))
    except _Unread:
        shortest = 0
    # one unbounded repetition grown by the length missing reaches a minimum exactly; of
    # one that grows by several characters (`(?:[a-z]{4})*`), the least that reaches it
    extras = [0, 1, max(0, min_length - shortest), min_length]
    extras += [e for e in (_reaching(tree, min_length, last) for last in (False, True)) if e]
    for extra in dict.fromkeys(extras):
        for last in (False, True):
            try:
                text = _write(tree, extra, last)
            except _Unread:
                continue
            if text not in found:
                found.append(text)
    return found


def _reaching(tree: _Node, min_length: int, last: bool) -> int | None:
    """The least `extra` whose text is `min_length` long or longer (a text grows with its
    `extra`), by bisection; None when none up to `min_length` is."""
    low, high = 0, max(1, min_length)
    try:
        if len(_write(tree, high, last)) < min_length:
            return None
        while low < high:
            middle = (low + high) // 2
            if len(_write(tree, middle, last)) >= min_length:
                high = middle
            else:
                low = middle + 1
    except _Unread:
        return None
    return low


def _write(node: _Node, extra: int, last: bool) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, _Class):
        return node.pick()
    if isinstance(node, _Sequence):
        return "".join(_write(item, extra, last) for item in node.items)
    if isinstance(node, _Choice):
        return _write(node.branches[-1 if last else 0], extra, last)
    most = node.least + extra if node.most is None else min(node.most, node.least + extra)
    count = min(max(node.least, most), _MAX_REPEAT)
    return "".join(_write(node.node, extra, last) for _ in range(count))


class _Parser:
    """A recursive-descent reader of the Rust regex syntax this module understands."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def parse(self) -> _Node:
        node = self._choice()
        if self.at != len(self.text):
            raise _Unread(f"unexpected {self.text[self.at]!r}")
        return node

    def _peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def _take(self) -> str:
        char = self.text[self.at]
        self.at += 1
        return char

    def _choice(self) -> _Node:
        branches = [self._sequence()]
        while self._peek() == "|":
            self.at += 1
            branches.append(self._sequence())
        return branches[0] if len(branches) == 1 else _Choice(tuple(branches))

    def _sequence(self) -> _Node:
        items: list[_Node] = []
        while self._peek() not in ("", "|", ")"):
            atom = self._atom()
            items.append(self._quantified(atom))
        return _Sequence(tuple(items))

    def _quantified(self, atom: _Node) -> _Node:
        char = self._peek()
        if char in ("*", "+", "?"):
            self.at += 1
            least, most = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and self._counted():
            least, most = self._counts()
        else:
            return atom
        if self._peek() in ("?", "+"):
            self.at += 1  # lazy or possessive: the same strings
        return _Repeat(atom, least, most)

    def _counted(self) -> bool:
        end = self.text.find("}", self.at)
        inner = self.text[self.at + 1 : end] if end > 0 else ""
        return bool(inner) and all(part.strip().isdigit() or not part for part in inner.split(","))

    def _counts(self) -> tuple[int, int | None]:
        end = self.text.index("}", self.at)
        inner = self.text[self.at + 1 : end]
        self.at = end + 1
        low, comma, high = inner.partition(",")
        least = int(low) if low.strip() else 0
        if not comma:
            return least, least
        return least, int(high) if high.strip() else None

    def _atom(self) -> _Node:
        char = self._take()
        if char in ("^", "$"):
            return ""
        if char == ".":
            return _Class(((ord("\n"), ord("\n")),), negated=True)
        if char == "[":
            return self._class()
        if char == "(":
            return self._group()
        if char == "\\":
            return self._escape(in_class=False)
        if char in ("*", "+", "?"):
            raise _Unread("a quantifier without an atom")
        return char

    def _group(self) -> _Node:
        if self._peek() == "?":
            self.at += 1
            if self._peek() in ("P", "<"):
                self.at = self.text.index(">", self.at) + 1  # a named group
            else:
                while self._peek() not in (":", ")"):  # flags: (?i) or (?i:…)
                    self.at += 1
                if self._take() == ")":
                    return ""
        node = self._choice()
        if self._take() != ")":
            raise _Unread("an unclosed group")
        return node

    def _escape(self, in_class: bool) -> _Node:
        char = self._take()
        classes = {"d": (_DIGITS, False), "w": (_WORD, False), "s": (_SPACE, False)}
        classes.update({k.upper(): (v, True) for k, (v, _) in classes.items()})
        if char in classes:
            ranges, negated = classes[char]
            return _Class(ranges, negated)
        if char in ("p", "P"):
            if self._peek() == "{":
                self.at = self.text.index("}", self.at) + 1
            else:
                self.at += 1
            return _Class(_LETTERS, negated=char == "P")
        if char in ("b", "B", "A", "z") and not in_class:
            return ""
        if char == "x":
            if self._peek() == "{":
                end = self.text.index("}", self.at)
                code, self.at = self.text[self.at + 1 : end], end + 1
            else:
                code, self.at = self.text[self.at : self.at + 2], self.at + 2
            return chr(int(code, 16))
        if char in _ESCAPED:
            return _ESCAPED[char]
        if char.isalnum():
            raise _Unread(f"escape \\{char}")
        return char

    def _class(self) -> _Class:
        negated = self._peek() == "^"
        if negated:
            self.at += 1
        ranges: list[tuple[int, int]] = []
        others: list[tuple[Ranges, bool]] = []
        first = True
        while first or self._peek() != "]":
            if not self._peek():
                raise _Unread("an unclosed class")
            first = False
            if self.text.startswith("[:", self.at):
                raise _Unread("a POSIX class")
            if self._peek() == "[":
                self.at += 1
                inner = self._class()
                if inner.others:
                    raise _Unread("a nested class of several sets")
                others.append((inner.ranges, inner.negated))
                continue
            if self.text.startswith(("&&", "--", "~~"), self.at):
                raise _Unread("a class operation")
            low = self._class_char()
            if isinstance(low, _Class):
                others.append((low.ranges, low.negated))
                continue
            if self._peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                high = self._class_char()
                if isinstance(high, _Class):
                    raise _Unread("a range to a class")
                ranges.append((ord(low), ord(high)))
            else:
                ranges.append((ord(low), ord(low)))
        self.at += 1
        return _Class(tuple(ranges), negated, tuple(others))

    def _class_char(self) -> str | _Class:
        char = self._take()
        if char != "\\":
            return char
        escaped = self._escape(in_class=True)
        if isinstance(escaped, _Class):
            return escaped
        if isinstance(escaped, str) and len(escaped) == 1:
            return escaped
        raise _Unread("an escape inside a class")
