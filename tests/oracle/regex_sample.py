"""Strings that match (or miss) a regular expression, for schema-driven payloads.

A tiny generator over the parsed form of a Python regex (`re._parser`): it
walks the pattern and emits one character per atom, repeating each repeated
atom `min + extra` times, so that a caller can ask for longer and longer
matches until one satisfies the `minLength`/`maxLength` beside the pattern.
Every candidate is checked with `re.search` (JSON Schema patterns are
unanchored searches), so an unsupported construct only costs a candidate.
"""

from __future__ import annotations

import functools
import re
import string
import sys
from collections.abc import Callable, Iterator
from typing import Any

if sys.version_info >= (3, 11):  # the parser lives in re._parser (sre_parse warns when imported)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p

_CANDIDATE_CHARS = "a0A_-.x1Z " + string.ascii_letters + string.digits + string.punctuation
_CATEGORY_SAMPLES = {
    _c.CATEGORY_DIGIT: re.compile(r"\d"),
    _c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _c.CATEGORY_WORD: re.compile(r"\w"),
    _c.CATEGORY_NOT_WORD: re.compile(r"\W"),
    _c.CATEGORY_SPACE: re.compile(r"\s"),
    _c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
}


class _Unsupported(Exception):
    pass


class _TooLong(Exception):
    pass


_MAX_LENGTH = 400


def _in_set(items: list[tuple[Any, Any]]) -> Callable[[str], bool]:
    negate = bool(items) and items[0][0] is _c.NEGATE
    body = items[1:] if negate else items

    def member(char: str) -> bool:
        code = ord(char)
        hit = False
        for op, av in body:
            if op is _c.LITERAL:
                hit = code == av
            elif op is _c.RANGE:
                hit = av[0] <= code <= av[1]
            elif op is _c.CATEGORY:
                sample = _CATEGORY_SAMPLES.get(av)
                if sample is None:
                    raise _Unsupported(str(av))
                hit = bool(sample.fullmatch(char))
            else:
                raise _Unsupported(str(op))
            if hit:
                break
        return hit != negate

    return member


def _differs(code: int, char: str) -> bool:
    return ord(char) != code


def _pick(member: Callable[[str], bool]) -> str:
    for char in _CANDIDATE_CHARS:
        if member(char):
            return char
    raise _Unsupported("no printable character in the set")


def _emit(parsed: Any, extra: int, branch: int, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, av in parsed:
        if op is _c.LITERAL:
            out.append(chr(av))
        elif op is _c.NOT_LITERAL:
            out.append(_pick(functools.partial(_differs, av)))
        elif op is _c.ANY:
            out.append("a")
        elif op is _c.IN:
            out.append(_pick(_in_set(av)))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            low, high, sub = av
            count = low + extra
            if high is not _c.MAXREPEAT:
                count = min(count, high)
            parts = []
            for _ in range(count):
                parts.append(_emit(sub, extra, branch, groups))
                if sum(map(len, parts)) > _MAX_LENGTH:
                    raise _TooLong
            out.append("".join(parts))
        elif op is _c.SUBPATTERN:
            group, _add, _del, sub = av
            text = _emit(sub, extra, branch, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is _c.BRANCH:
            _, alternatives = av
            out.append(
                _emit(alternatives[min(branch, len(alternatives) - 1)], extra, branch, groups)
            )
        elif op is _c.GROUPREF:
            out.append(groups.get(av, ""))
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # anchors and lookarounds consume nothing; the final check decides
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.append(_emit(av, extra, branch, groups))
        else:
            raise _Unsupported(str(op))
    return "".join(out)


def matching_strings(pattern: str, limit: int = 48) -> Iterator[str]:
    """Distinct strings that `re.search(pattern)` accepts, shortest-ish first."""
    try:
        compiled = re.compile(pattern)
        parsed = _p.parse(pattern)
    except (re.error, TypeError, ValueError):
        return
    seen: set[str] = set()
    for extra in range(limit):
        for branch in range(3):
            try:
                text = _emit(parsed, extra, branch, {})
            except _TooLong:
                return  # a larger `extra` only makes longer strings
            except (_Unsupported, RecursionError):
                return
            if len(text) > _MAX_LENGTH:
                return
            if text not in seen and compiled.search(text):
                seen.add(text)
                yield text


def matching_string(pattern: str, accept: Callable[[str], bool] = lambda s: True) -> str | None:
    """A string matching `pattern` for which `accept` holds, or None."""
    for text in matching_strings(pattern):
        if accept(text):
            return text
    return None


def non_matching_string(pattern: str, accept: Callable[[str], bool] = lambda s: True) -> str | None:
    """A string `pattern` does not match (`re.search`) for which `accept` holds, or None."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    seeds = ["!", "~", "a", "A", "0", "-", " ", "é", "\n", "."]
    for length in range(0, 40):
        for seed in seeds:
            text = (seed * length) if length else ""
            if not compiled.search(text) and accept(text):
                return text
    return None
