"""Python literals for spec values, spelled as black spells them.

Spec text reaches generated code only as these inert literals. Writing them in
black's style (double quotes unless that needs more escapes, `1e20` not `1e+20`)
lets most generated files skip the formatter: see `format.needs_black`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=65536)
def string_literal(text: str) -> str:
    """A string literal holding `text` exactly."""
    literal = repr(text)
    if literal[0] == '"':
        return literal  # repr chose double quotes: the text holds ' but no "
    body = literal[1:-1]
    # black's rule: double quotes unless they need more escapes than single ones do
    # (repr escapes every ' as \' and never escapes ")
    if body.count('"') > body.count("\\'"):
        return literal
    return '"' + body.replace("\\'", "'").replace('"', '\\"') + '"'


def number_literal(value: int | float) -> str:
    """An int or float literal (`float("inf")` and friends where no literal exists).

    `repr` spells an int in digits and a finite float in lower case with a digit on each
    side of its point (`1.0`, `1.5e-07`) or with an exponent (`1e+16`): black's spelling
    differs only in dropping an exponent's `+` (black.numerics; importing it would import
    all of black, ~50 ms of a small spec's run that needs black for nothing else).
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    return repr(value).replace("e+", "e")


def literal(value: Any) -> str:
    """The one literal writer: Python source for JSON data (and tuples and bytes), inert
    whatever it holds.

    Strings, numbers, booleans and None are spelled as black spells them; lists,
    tuples and dicts are written element by element.
    """
    if isinstance(value, dict):
        items = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return scalar_literal(value)


def bytes_literal(data: bytes) -> str:
    """A bytes literal holding `data` exactly (quoted as black quotes it)."""
    text = repr(data)
    if text[1] == '"':
        return text
    body = text[2:-1]
    if body.count('"') > body.count("\\'"):
        return text
    return 'b"' + body.replace("\\'", "'").replace('"', '\\"') + '"'


def scalar_literal(value: Any) -> str:
    """A literal for None, a bool, an int, a float or bytes; anything else becomes a string."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, bytes):
        return bytes_literal(value)
    if isinstance(value, (int, float)):
        return number_literal(value)
    return string_literal(str(value))
