"""JSON Schema `pattern`s: ECMA-262 regular expressions, run on a linear-time engine.

JSON Schema (and so OpenAPI) patterns are ECMA-262 regular expressions. Python's
`re` both reads them differently (`\\d` matches any Unicode digit, `\\p{L}` is an
error) and backtracks: `^(a+)+$` against a long string runs for hours. This
module translates a pattern into the syntax of Rust's `regex` crate, which
pydantic-core compiles and which matches in time linear in the input, and runs
it there.

    translate(pattern) -> str | None    the Rust-regex equivalent, None when impossible
    compiles(pattern) -> bool           runs here: `matcher` is not None
    model_pieces(pattern) -> list|None  (must match?, Rust regex) pieces for generated models
    explain(pattern) -> str | None      why a pattern cannot be run (None when it can)
    matcher(pattern) -> Matcher | None  a compiled pattern: `.search(text)`, `.weight`
    is_valid(pattern) -> bool           ECMA-262 syntax, whether or not it runs here

ECMA-262 semantics are kept where the engines differ: `\\d`, `\\w` and `\\b` are
ASCII, `\\s` is ECMA's white-space set, `.` excludes only line terminators,
`$` is the end of input. The lenient Annex B syntax real specs rely on is
accepted (`[\\w-\\.]`, `\\/`, `\\-`, a `{` that is not a quantifier, `\\cX`,
`\\uXXXX`, legacy octal escapes), as are `\\u{...}`, `\\p{...}` and named groups.
POSIX names that are not ECMA-262 property names, such as `\\p{Print}` or
`\\p{Alnum}` (Java's spelling, frequent in specs), mean their ASCII classes. Backreferences and lookarounds have no
linear-time equivalent: for those, `translate` returns None and `explain` says so,
except for lookaheads right after a leading `^`, which `matcher` runs as a
conjunction of linear-time matches (see `Matcher`).
"""

from __future__ import annotations

import collections
from typing import Any

from .ecma_regex import (
    Translation,
    _split_lookaheads,
    _translate,
)


def translate(pattern: str) -> str | None:
    """The Rust-regex syntax of an ECMA-262 `pattern`, or None when it has none."""
    result = _translate(pattern)
    return result.rust if isinstance(result, Translation) else None


def explain(pattern: str, *, compile: bool = True) -> str | None:
    """Why `pattern` cannot be run here (invalid, or unsupported); None when it can.

    With `compile=False` the pattern is only translated, not compiled: a pattern over the
    engine's size limit then passes (compiling a large pattern takes milliseconds).
    """
    if not compile:
        return None if _pieces(pattern) is not None else _reason(pattern)
    if matcher(pattern) is not None:
        return None
    return _reason(pattern)


def _reason(pattern: str) -> str:
    result = _translate(pattern)
    return result if isinstance(result, str) else "it is too large for the regex engine"


def weight(pattern: str) -> int:
    """The estimated compiled size of `pattern` (0 when it cannot be run here)."""
    pieces = _pieces(pattern)
    return sum(translation.weight for _, translation in pieces) if pieces is not None else 0


def compiles(pattern: str) -> bool:
    """True when `pattern` can be run here (the linear-time engine compiles what it means)."""
    return matcher(pattern) is not None


def is_valid(pattern: str) -> bool:
    """True when `pattern` is ECMA-262 syntax (even if the engine cannot run it)."""
    result = _translate(pattern)
    return not (isinstance(result, str) and result.startswith("invalid"))


class Matcher:
    """A compiled pattern. `search(text)`: does the pattern match anywhere in `text`?

    Usually one Rust regex. A pattern that starts with `^` and lookaheads
    (`^(?=.*[0-9])(?!.*\\s).{8,}$`, frequent for passwords) is run as a conjunction
    of regexes anchored at the start: each `(?=A)` must match, each `(?!B)` must not,
    and the rest must.
    """

    def __init__(self, parts: list[tuple[bool, Any]], weight: int) -> None:
        self._parts = parts  # (must match, compiled validator)
        self.weight = weight

    def search(self, text: str) -> bool | None:
        """True/False as ECMA-262 `RegExp.test` would answer; None when `text` cannot be
        matched here (it holds a lone surrogate, which no UTF-8 engine can see)."""
        from pydantic_core import ValidationError

        for expected, validator in self._parts:
            try:
                validator.validate_python(text)
                found = True
            except ValidationError as exc:
                if not any(e["type"] == "string_pattern_mismatch" for e in exc.errors()):
                    return None
                found = False
            if found is not expected:
                return False
        return True


MAX_CACHED_MATCHERS = 4096
MAX_CACHED_WEIGHT = 100_000
"""Total weight of the compiled patterns kept: a unit of weight costs up to about 1 KiB once
compiled and run (`^(?:[a-z]{1,100}){1,90}$`, weight 9,000, takes 1.7 MiB), so thousands of
large distinct patterns, which a count-bounded cache kept (3.6 GiB), stay near 100 MiB."""

_matchers: collections.OrderedDict[str, Matcher | None] = collections.OrderedDict()
_cached_weight = 0


def matcher(pattern: str) -> Matcher | None:
    """The compiled `pattern` (cached, least recently used first out, bounded by count and
    weight), or None when it cannot be run here."""
    global _cached_weight
    if pattern in _matchers:
        _matchers.move_to_end(pattern)
        return _matchers[pattern]
    compiled = _compile(pattern)
    _matchers[pattern] = compiled
    _cached_weight += compiled.weight if compiled is not None else 0
    while len(_matchers) > 1 and (
        len(_matchers) > MAX_CACHED_MATCHERS or _cached_weight > MAX_CACHED_WEIGHT
    ):
        _, evicted = _matchers.popitem(last=False)
        _cached_weight -= evicted.weight if evicted is not None else 0
    return compiled


# Work the models' patterns may cost to prove they compile, in weight units (a unit costs
# roughly a microsecond to compile): a spec with thousands of heavy patterns would otherwise
# spend minutes here. Past it, a pattern heavier than LIGHT_WEIGHT is left out of the model
# (W405, like W403); lighter ones, which the translator's syntax makes safe, stay unchecked.
MODEL_COMPILE_BUDGET = 2_000_000
LIGHT_WEIGHT = 64
OVER_BUDGET = "over budget"


class CompileBudget:
    """What one generation has spent proving its patterns compile (deterministic: weight)."""

    def __init__(self, limit: int | None = None) -> None:
        self.left = MODEL_COMPILE_BUDGET if limit is None else limit

    def model_pieces(self, pattern: str) -> list[tuple[bool, str]] | str | None:
        """`model_pieces(pattern)`, or OVER_BUDGET when proving it would exceed the budget."""
        pieces = _pieces(pattern)
        if pieces is None:
            return None
        cost = sum(translation.weight for _, translation in pieces)
        if not is_compiled(pattern):
            if cost > self.left:
                if cost > LIGHT_WEIGHT:
                    return OVER_BUDGET
                return [(expected, t.rust) for expected, t in pieces]
            self.left -= cost
        return model_pieces(pattern)


def model_pieces(pattern: str) -> list[tuple[bool, str]] | None:
    """What generated models check for `pattern`: (must match?, Rust regex) pieces, as
    `Matcher` runs them; None when the pattern cannot be run here."""
    if matcher(pattern) is None:
        return None
    pieces = _pieces(pattern)
    return None if pieces is None else [(expected, t.rust) for expected, t in pieces]


def is_compiled(pattern: str) -> bool:
    """True when `matcher(pattern)` is cached (it costs nothing to get)."""
    return pattern in _matchers


def _pieces(pattern: str) -> list[tuple[bool, Translation]] | None:
    """The translations `Matcher` runs for `pattern` (must match?, translation), or None."""
    result = _translate(pattern)
    if not isinstance(result, str):
        return [(True, result)]
    split = _split_lookaheads(pattern)
    if split is None:
        return None
    pieces = []
    for expected, piece in split:
        translation = _translate(piece)
        if isinstance(translation, str):
            return None
        pieces.append((expected, translation))
    return pieces


def _compile(pattern: str) -> Matcher | None:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    pieces = _pieces(pattern)
    if pieces is None:
        return None
    parts, weight = [], 0
    for expected, translation in pieces:
        try:
            validator = SchemaValidator(
                core_schema.str_schema(pattern=translation.rust, regex_engine="rust-regex")
            )
        except SchemaError:
            return None  # over the engine's size limit
        parts.append((expected, validator))
        weight += translation.weight
    return Matcher(parts, weight)
