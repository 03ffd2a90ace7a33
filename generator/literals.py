"""Python literals for spec values, spelled as black spells them.

Spec text reaches generated code only as these inert literals. Writing them in
black's style (double quotes unless that needs more escapes, `1e20` not `1e+20`)
lets most generated files skip the formatter: see `format.needs_black`.
"""

from __future__ import annotations

import math
from functools import lru_cache


@lru_cache(maxsize=65536)
def string_literal(text: str) -> str:
    """A string literal holding `text` exactly."""
    literal = repr(text)
    if literal[0] == '"' or ('"' not in literal and "\\'" not in literal):
        # repr chose double quotes, or single quotes with nothing to re-escape
        return '"' + literal[1:-1] + '"'
    from black.strings import normalize_string_quotes

    return str(normalize_string_quotes(literal))


def number_literal(value: int | float) -> str:
    """An int or float literal (`float("inf")` and friends where no literal exists)."""
    from black.numerics import format_float_or_int_string, format_scientific_notation

    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    text = repr(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    if "e" in digits:
        return sign + str(format_scientific_notation(digits))
    return sign + str(format_float_or_int_string(digits))
