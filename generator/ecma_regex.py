"""ECMA-262 patterns translated into the syntax of Rust's `regex` crate (see `patterns`).

The translator keeps ECMA-262 semantics where the engines differ and reports what has no
linear-time equivalent (backreferences, lookarounds other than leading lookaheads, which
`patterns.Matcher` runs as a conjunction). `patterns` compiles and caches the results.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 10_000
"""Longer patterns are not translated (no real spec comes near)."""

_DIGIT = "0-9"
_WORD = "0-9A-Za-z_"
_SPACE = (
    r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"
)
_CLASS_ESCAPES = {
    "d": f"[{_DIGIT}]",
    "D": f"[^{_DIGIT}]",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
}
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\x0c", "v": "\x0b"}
# POSIX classes in Java's spelling: not ECMA-262 names, but frequent in specs. (`Lower`,
# `Upper`, `Alpha` and `ASCII` are ECMA-262 aliases of Unicode properties: not here.)
_POSIX = {
    "Digit": "[0-9]",
    "Alnum": "[a-zA-Z0-9]",
    "Punct": r"[!-/:-@\[-`\{-~]",
    "Graph": "[!-~]",
    "Print": "[ -~]",
    "Blank": r"[ \t]",
    "Cntrl": r"[\x00-\x1F\x7F]",
    "XDigit": "[0-9a-fA-F]",
    "Space": r"[ \t\n\x0B\x0C\r]",
}
_META = frozenset("\\.+*?()|[]{}^$#&-~")
_DOT = r"[^\n\r\x{2028}\x{2029}]"
_ANY = r"[\x00-\x{10FFFF}]"
_NOTHING = r"[^\x00-\x{10FFFF}]"
_PROPERTY_WEIGHT = 40  # a Unicode class compiles to many UTF-8 automaton states
_QUANTIFIER = re.compile(r"\{([0-9]+)(?:(,)([0-9]*))?\}")
_GROUP_NAME = re.compile(r"\(\?P?<([^>=!]*)>")
_DIGITS = re.compile(r"[0-9]+")
_OCTAL = re.compile(r"[0-7]{1,3}")
_MAX_WEIGHT = 10**12
_SURROGATE = re.compile("[\ud800-\udfff]")
_SYNTAX = frozenset("\\[()|*+?{.^$")  # what `_Translator.run` reads as more than a literal
_LITERALS = re.compile(r"[^\\\[()|*+?{.^$]+")


class Unsupported(Exception):
    """A valid pattern that the linear-time engine cannot run (backreference, lookaround)."""


class Invalid(Exception):
    """Not an ECMA-262 regular expression."""


@dataclass(frozen=True)
class Translation:
    """A pattern in Rust-regex syntax, and an estimate of its compiled size (states)."""

    rust: str
    weight: int


def _split_lookaheads(pattern: str) -> list[tuple[bool, str]] | None:
    """`^(?=A)(?!B)R` as [(True, "^(?:A)"), (False, "^(?:B)"), (True, "^(?:R)")], else None."""
    if not pattern.startswith("^(?"):
        return None
    pieces: list[tuple[bool, str]] = []
    i = 1
    while pattern.startswith(("(?=", "(?!"), i):
        end = _group_end(pattern, i)
        if end is None:
            return None
        pieces.append((pattern[i + 2] == "=", "^(?:" + pattern[i + 3 : end] + ")"))
        i = end + 1
    rest = pattern[i:]
    if not pieces or _has_top_level_bar(rest):
        return None
    return [*pieces, (True, "^(?:" + rest + ")")]


def _scan(pattern: str, start: int) -> Iterator[tuple[int, int]]:
    """(index, group depth relative to `start`) of each character outside classes and escapes."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += {"(": 1, ")": -1}.get(char, 0)
            yield i, depth
        i += 1


def _group_end(pattern: str, start: int) -> int | None:
    """The index of the `)` closing the group that opens at `start`."""
    for index, depth in _scan(pattern, start):
        if depth == 0:
            return index
    return None


def _has_top_level_bar(pattern: str) -> bool:
    return any(pattern[i] == "|" and depth == 0 for i, depth in _scan(pattern, 0))


@functools.lru_cache(maxsize=4096)
def _translate(pattern: str) -> Translation | str:
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"it is longer than {MAX_PATTERN_LENGTH:,} characters"
    if _SURROGATE.search(pattern):
        return "it holds a lone surrogate"
    try:
        return _Translator(pattern).run()
    except Invalid as exc:
        return f"invalid regular expression: {exc}"
    except Unsupported as exc:
        return f"{exc}, which the linear-time regex engine does not support"


def _literal(char: str, in_class: bool = False) -> str:
    """One character as Rust-regex syntax."""
    if char in _META or (in_class and char == "^"):
        return "\\" + char
    if char.isprintable() and char not in "\u2028\u2029":
        return char
    return f"\\x{{{ord(char):X}}}"


class _Frame:
    """One group level while translating: its output and size so far, and its last atom."""

    def __init__(self) -> None:
        self.weight = 0
        self.last: int | None = None  # weight of the atom a quantifier would repeat


class _Reader:
    """Reads the pattern's escapes and character classes at `i` (the atoms' text)."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    @functools.cached_property
    def groups(self) -> int:
        """Capturing groups in the pattern: counted when a `\\1` needs them (one more pass)."""
        return _count_groups(self.p)

    def _escape(self, in_class: bool = False) -> tuple[str, int]:
        """The escape after a backslash: (Rust text, weight); in a class, text for inside one."""
        p = self.p
        if self.i >= len(p):
            raise Invalid("\\ at end of pattern")
        char = p[self.i]
        self.i += 1
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char], 1
        if char in "pP" and p.startswith("{", self.i):
            return self._property(negated=char == "P")
        if char == "b":  # [\b] is a backspace (outside a class, `run` handles \b)
            return _literal("\b", in_class), 1
        if char in _CONTROL_ESCAPES:
            return _literal(_CONTROL_ESCAPES[char], in_class), 1
        if char == "c":
            if self.i < len(p) and p[self.i].isascii() and p[self.i].isalpha():
                self.i += 1
                return _literal(chr(ord(p[self.i - 1]) % 32), in_class), 1
            self.i -= 1  # Annex B: a backslash that stands for itself
            return _literal("\\", in_class), 1
        if char == "x":
            if re.fullmatch(r"[0-9a-fA-F]{2}", p[self.i : self.i + 2]):
                self.i += 2
                return _literal(chr(int(p[self.i - 2 : self.i], 16)), in_class), 1
            return "x", 1
        if char == "u":
            return _literal(self._unicode_escape(), in_class), 1
        if char == "k" and p.startswith("<", self.i) and _GROUP_NAME.search(p):
            raise Unsupported("it uses a backreference")
        if char.isdigit():
            return self._digit_escape(char, in_class)
        return _literal(char, in_class), 1

    def _unicode_escape(self) -> str:
        p = self.p
        if p.startswith("{", self.i):
            end = p.find("}", self.i)
            digits = p[self.i + 1 : end] if end > 0 else ""
            if not re.fullmatch(r"[0-9a-fA-F]{1,8}", digits) or int(digits, 16) > 0x10FFFF:
                raise Invalid("invalid \\u{...} escape")
            self.i = end + 1
            code = int(digits, 16)
        elif re.fullmatch(r"[0-9a-fA-F]{4}", p[self.i : self.i + 4]):
            code = int(p[self.i : self.i + 4], 16)
            self.i += 4
            low = p[self.i : self.i + 6]
            if 0xD800 <= code <= 0xDBFF and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
                code = 0x10000 + ((code - 0xD800) << 10) + (int(low[2:], 16) - 0xDC00)
                self.i += 6
        else:
            return "u"  # Annex B: an identity escape
        if 0xD800 <= code <= 0xDFFF:
            raise Unsupported("it matches a lone surrogate")
        return chr(code)

    def _digit_escape(self, char: str, in_class: bool) -> tuple[str, int]:
        p = self.p
        if char == "0" and not (self.i < len(p) and p[self.i].isdigit()):
            return _literal("\0", in_class), 1
        digits = _DIGITS.match(p, self.i - 1)
        if char != "0" and not in_class and digits and int(digits[0][:6]) <= self.groups:
            raise Unsupported("it uses a backreference")
        if char in "89":
            return _literal(char, in_class), 1
        octal = _OCTAL.match(p, self.i - 1)[0]  # type: ignore[index]
        if int(octal, 8) > 0o377:
            octal = octal[:2]
        self.i += len(octal) - 1
        return _literal(chr(int(octal, 8)), in_class), 1  # Annex B legacy octal escape

    def _property(self, *, negated: bool) -> tuple[str, int]:
        end = self.p.find("}", self.i)
        if end < 0:
            raise Invalid("unterminated \\p{...}")
        name = self.p[self.i + 1 : end]
        self.i = end + 1
        if name in _POSIX:
            text = _POSIX[name]
            return (text.replace("[", "[^", 1) if negated else text), 1
        if not re.fullmatch(r"[A-Za-z0-9_ =.-]+", name) or not _rust_property(name):
            raise Unsupported(f"it uses the unknown Unicode property {name!r}")
        return f"\\{'P' if negated else 'p'}{{{name}}}", _PROPERTY_WEIGHT

    def _class(self) -> tuple[str, int]:
        p = self.p
        negated = p.startswith("^", self.i)
        if negated:
            self.i += 1
        items: list[str] = []
        weight = 1
        while True:
            if self.i >= len(p):
                raise Invalid("unterminated character class")
            if p[self.i] == "]":
                self.i += 1
                break
            start, start_is_class, start_weight = self._class_atom()
            weight += start_weight - 1
            if (
                p.startswith("-", self.i)
                and self.i + 1 < len(p)
                and p[self.i + 1] != "]"
                and start is not None
            ):
                self.i += 1
                end, end_is_class, _ = self._class_atom()
                if start_is_class or end_is_class or end is None:
                    items += [start_is_class or _literal(start, True), "\\-"]
                    items.append(end_is_class or _literal(end or "", True))
                    continue
                if ord(end) < ord(start):
                    raise Invalid("range out of order in character class")
                items.append(f"{_literal(start, True)}-{_literal(end, True)}")
                continue
            items.append(start_is_class or _literal(start or "", True))
        if not items:
            return (_ANY if negated else _NOTHING), 1
        return "[" + ("^" if negated else "") + "".join(items) + "]", weight

    def _class_atom(self) -> tuple[str | None, str, int]:
        """(the character, or None; or the nested class text; weight) of one class member."""
        char = self.p[self.i]
        self.i += 1
        if char != "\\":
            return char, "", 1
        if self.i < len(self.p) and self.p[self.i] == "-":
            self.i += 1
            return "-", "", 1
        text, weight = self._escape(in_class=True)
        if text.startswith(("[", "\\p{", "\\P{")):
            return None, text, weight
        return _unescape(text), "", 1


class _Translator(_Reader):
    """A single left-to-right pass with an explicit group stack (no recursion): groups,
    alternatives and quantifiers here, each atom's text from `_Reader`."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.out: list[str] = []
        self.frames = [_Frame()]

    def run(self) -> Translation:
        p = self.p
        while self.i < len(p):
            char = p[self.i]
            if char not in _SYNTAX:  # literal characters, up to the next syntax character
                run = _LITERALS.match(p, self.i)[0]  # type: ignore[index]
                self.i += len(run)
                plain = run.isascii() and run.isalnum()
                self.out.append(run if plain else "".join(_literal(c) for c in run))
                frame = self.frames[-1]
                frame.weight += len(run)
                frame.last = 1  # a quantifier repeats the last character only
                continue
            self.i += 1
            if char == "\\" and p[self.i : self.i + 1] in ("b", "B"):
                self.i += 1
                self.out.append(f"(?-u:\\{p[self.i - 1]})")  # ASCII word boundary
                self.frames[-1].last = None
            elif char == "\\":
                self._atom(*self._escape())
            elif char == "[":
                self._atom(*self._class())
            elif char == "(":
                self._open_group()
            elif char == ")":
                self._close_group()
            elif char == "|":
                self.out.append("|")
                self.frames[-1].last = None
            elif char in "*+?":
                self._quantify(char, 0 if char != "+" else 1, None if char != "?" else 1)
            elif char == "{" and (match := _QUANTIFIER.match(p, self.i - 1)):
                self.i = match.end()
                low = int(match[1])
                high = low if not match[2] else (int(match[3]) if match[3] else None)
                if high is not None and high < low:
                    raise Invalid(f"numbers out of order in {match[0]}")
                self._quantify(match[0], low, high)
            elif char == ".":
                self._atom(_DOT, 1)
            elif char in "^$":
                self.out.append(char)
                self.frames[-1].last = None
            else:
                self._atom(_literal(char), 1)
        if len(self.frames) > 1:
            raise Invalid("unterminated group")
        return Translation("".join(self.out), max(self.frames[0].weight, 1))

    def _atom(self, text: str, weight: int) -> None:
        self.out.append(text)
        frame = self.frames[-1]
        frame.weight += weight
        frame.last = weight

    def _quantify(self, text: str, low: int, high: int | None) -> None:
        frame = self.frames[-1]
        if frame.last is None:
            raise Invalid(f"nothing to repeat before {text!r}")
        lazy = self.i < len(self.p) and self.p[self.i] == "?"
        if lazy:
            self.i += 1
        self.out.append(text + ("?" if lazy else ""))
        copies = max(low, high if high is not None else low + 1, 1)
        frame.weight = min(frame.weight + frame.last * (copies - 1), _MAX_WEIGHT)
        frame.last = None  # ECMA-262: a quantifier cannot itself be repeated

    def _open_group(self) -> None:
        p, i = self.p, self.i
        if p.startswith("?", i):
            if p.startswith("?:", i):
                self.i += 2
            elif p.startswith(("?=", "?!", "?<=", "?<!"), i):
                raise Unsupported("it uses a lookaround assertion")
            elif match := _GROUP_NAME.match(p, i - 1):
                if not match[1]:
                    raise Invalid("empty group name")
                self.i = match.end()
            else:
                raise Invalid("invalid group")
        self.out.append("(?:")
        self.frames.append(_Frame())

    def _close_group(self) -> None:
        if len(self.frames) == 1:
            raise Invalid("unmatched ')'")
        inner = self.frames.pop()
        self.out.append(")")
        frame = self.frames[-1]
        frame.last = max(inner.weight, 1)
        frame.weight = min(frame.weight + frame.last, _MAX_WEIGHT)


def _unescape(text: str) -> str:
    """The character a `_literal` text stands for."""
    if text.startswith("\\x{"):
        return chr(int(text[3:-1], 16))
    return text[-1]


def _count_groups(pattern: str) -> int:
    """Capturing groups in `pattern` (backslash escapes and classes skipped)."""
    count, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(" and (not pattern.startswith("?", i + 1) or _GROUP_NAME.match(pattern, i)):
            count += 1
        i += 1
    return count


@functools.lru_cache(maxsize=512)
def _rust_property(name: str) -> bool:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=f"\\p{{{name}}}", regex_engine="rust-regex"))
    except SchemaError:
        return False
    return True
