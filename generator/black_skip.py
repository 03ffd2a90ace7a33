"""Stage 5, format: the skip test, which rendered text black must see (`needs_black`).

The renderer writes black's layout itself (`layout`, `type_layout`); black formats only
the statements where a line may differ from what black writes. A line needs black when
it is too wide (East Asian wide characters count twice) and is not one black leaves as it
is however long: a string or a dotted name alone, the head of an exploded bracket, a
docstring line, a `) -> Name:` tail whose name would not fit on a line of its own, or a
one-argument call split at its bracket exactly as `layout.prefixed_call` writes it. Tabs
and trailing spaces always need black. tests/generator/test_black_style.py checks each
rule against black (sweeps and property tests) and `needs_black` against the rule
applied to every line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

LINE_LENGTH = 100

# lines black leaves alone however long: one string or dotted name (or a dict entry
# with a string key, `name as name`, `keyword="string"` or a `| name` union line),
# optionally followed by a comma, or a call without arguments (`name(),`), or a class
# header without bases (`class Name:`), or an exploded parameter annotated with one name
# (`x: Name,`), or the head of an exploded import, of a class header, of a parenthesised
# annotation, of a `def` whose parameters are exploded or whose return annotation is
# parenthesised, or the `) = "string",` tail of a parenthesised annotation, or a model's
# `__pydantic_extra__` line (its `type: ignore` comment keeps black from splitting it)
_STRING = r"""(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')"""  # unrolled: fast
_NAME = r"[A-Za-z_][\w.]*"
_UNSPLITTABLE = re.compile(
    rf" *(?:{_STRING}(?:: (?:{_STRING}|{_NAME}))?|(?:\| )?{_NAME}(?: as {_NAME}|=(?:{_STRING}|{_NAME}))?),?"
    rf"| *{_NAME}\(\),?"
    r"| *from [\w.]+ import \(| *class \w+[(:]| *\w+: \("
    rf"| *\w+: {_NAME},"  # not a class variable `x: Name`: black parenthesises those
    r"| *(?:async )?def \w+\((?:\) -> \()?"
    rf"| *\) = {_STRING},?"  # the tail of a parenthesised annotation with a long default
    # a one-line statement ending in a `type: ignore` comment (black never splits those):
    # the models' `__pydantic_extra__: dict[str, T] = Field(init=False)  # type: ignore[…]`
    r"| *__pydantic_extra__: [^#\n]*  # type: ignore\[assignment, unused-ignore\]"
)


# a line that may need black: trailing whitespace, a tab, or long enough to be too wide
# (more than LINE_LENGTH characters, or half that with a possibly wide character)
_SUSPECT_LINE = re.compile(
    rf"[ \t]$|\t|^(?!\s*#)(?:.{{{LINE_LENGTH + 1},}}|(?=.*[^\x00-\x7f]).{{{LINE_LENGTH // 2 + 1},}})$",
    re.MULTILINE,
)


def needs_black(source: str) -> bool:
    """False when `source` is written as black writes it, as far as its lines show.

    Every line must fit in LINE_LENGTH columns (East Asian wide characters count
    twice, as black counts them) without trailing whitespace or tabs, except lines
    of docstrings (black re-indents docstrings but never wraps them) and lines black
    cannot split. The renderer guarantees the rest (quotes, numbers, blank lines).

    Only the lines that could matter are walked: those long enough to be too wide (over
    LINE_LENGTH characters, or half that with a non-ASCII character), and those holding
    three quotes (only these open or close a docstring); every line when the text holds a
    tab or a trailing space. The rule applies to each walked line outside docstrings
    (`_line_needs_black`, and `_vouched_call` for a call split at its bracket).
    """
    if not _SUSPECT_LINE.search(source):
        return False
    lines = source.split("\n")
    every = "\t" in source or " \n" in source or source.endswith(" ")
    if every:
        walked: Iterable[int] = range(len(lines))
    else:
        half = LINE_LENGTH // 2  # (inlined `_maybe_wide`: every line of the file is tested)
        walked = [
            i
            for i, line in enumerate(lines)
            if (len(line) > half and (len(line) > LINE_LENGTH or not line.isascii()))
            or '"""' in line
        ]
    inside = False
    for index in walked:
        line = lines[index]
        # without tabs and trailing spaces, only a line that may be too wide can need black,
        # and not one of a docstring (or opening one)
        if (
            (every or (_maybe_wide(line) and not (inside or line.lstrip().startswith('"""'))))
            and _line_needs_black(line, inside)
            and not _vouched_call(lines, index)
        ):
            return True
        if '"""' in line:
            inside = _docstring_state_after(line, inside)
    return inside  # True: a docstring left open


def _maybe_wide(line: str) -> bool:
    """Whether `line` may be wider than LINE_LENGTH (a wide character counts twice)."""
    return len(line) > LINE_LENGTH or (len(line) > LINE_LENGTH // 2 and not line.isascii())


def _line_needs_black(line: str, in_docstring: bool) -> bool:
    """Whether black would change `line` (`in_docstring`: a docstring is open before it)."""
    if in_docstring or line.lstrip().startswith('"""'):
        return line.endswith((" ", "\t"))
    if line.endswith((" ", "\t")) or "\t" in line:
        return True
    if line.lstrip().startswith("#"):
        return False  # black never wraps a comment
    if len(line) > LINE_LENGTH or not line.isascii():
        return (
            _too_wide(line)
            and not _UNSPLITTABLE.fullmatch(line)
            and not _kept_return_annotation(line)
        )
    return False


_RETURNS_TAIL = re.compile(r"( *)\) -> ([A-Za-z_][\w.]*):")


def _kept_return_annotation(line: str) -> bool:
    """`) -> Name:` closing an exploded signature, where black keeps the long line: `Name`
    alone would not fit on a line of its own either (when it would, black parenthesises
    it, as `layout.def_header` does)."""
    tail = _RETURNS_TAIL.fullmatch(line)
    return (
        tail is not None
        and line.isascii()
        and len(tail.group(1)) + 4 + len(tail.group(2)) > LINE_LENGTH
    )


_CALL_HEAD = re.compile(r"( *)(return |[A-Za-z_][\w.]* = )([A-Za-z_]\w*)\(")
_DOTTED_NAME = re.compile(r"[A-Za-z_][\w.]*")


def _vouched_call(lines: list[str], index: int) -> bool:
    """Whether `lines[index]` heads `prefix callee(` / `    argument` / `)`, a call of one
    dotted name laid out exactly as `layout.prefixed_call` lays it out: black keeps that
    head however long (test_black_style sweeps the layout against black). Microsoft
    Graph's raw views hold thousands of `self.<operation> = to_raw_response_wrapper(`."""
    head = _CALL_HEAD.fullmatch(lines[index])
    if head is None or index + 2 >= len(lines):
        return False
    pad, prefix, callee = head.groups()
    argument = lines[index + 1][len(pad) + 4 :]
    statement = lines[index : index + 3]
    if (
        lines[index + 1] != f"{pad}    {argument}"
        or lines[index + 2] != f"{pad})"
        or not _DOTTED_NAME.fullmatch(argument)
        or not all(line.isascii() for line in statement)
    ):
        return False
    from . import layout  # (imported here: layout imports this module)

    return layout.prefixed_call(prefix, callee, [argument], len(pad)) == "\n".join(statement)


def with_docstring_state(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line, with whether it lies inside a docstring opened on an earlier line."""
    inside = False
    for line in lines:
        yield line, inside
        inside = _docstring_state_after(line, inside)


def _docstring_state_after(line: str, inside: bool) -> bool:
    """Whether a docstring is open after `line` (`inside`: whether one was before it).

    Docstrings start their line, and their text never holds three quotes in a row
    (the renderer escapes them), so an odd count of triple quotes opens or closes one.
    """
    if (inside or line.lstrip().startswith('"""')) and line.count('"""') % 2:
        return not inside
    return inside


# black's width table (black/_width_table.py) counts the characters of its ranges, all at or
# above U+1100, as two columns, and every other character as one (a test checks the table)
_FIRST_WIDE = "\u1100"


def _too_wide(line: str) -> bool:
    """Whether `line` is wider than LINE_LENGTH as black measures it (a wide character
    counts twice); black is imported (~50 ms) only when the answer depends on which of the
    line's characters at or above U+1100 (`…`, `→`, CJK) black counts as wide."""
    if len(line) > LINE_LENGTH:
        return True
    if len(line) + sum(1 for char in line if char >= _FIRST_WIDE) <= LINE_LENGTH:
        return False
    from black.strings import str_width

    return int(str_width(line)) > LINE_LENGTH
