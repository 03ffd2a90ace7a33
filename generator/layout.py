"""Black's layout for the few statement shapes whose length depends on the spec.

The renderer writes generated code the way black would write it, so that most
files need no formatting pass (see `format.needs_black`). Fixed template text is
already in black's style; these helpers lay out the statements that grow with
the spec: imports, `__all__` lists, class headers and model fields. A statement
with no layout here (a long nested annotation, say) is left on one line, and
black formats its file. tests/generator/test_black_style.py checks each layout
against black over a grid of lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .black_skip import LINE_LENGTH
from .literals import literal


def from_import(module: str, names: list[str], indent: int = 0) -> str:
    """`from module import a, b`, or black's exploded form when that is too long."""
    pad = " " * indent
    line = f"{pad}from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    exploded = "".join(f"{pad}    {name},\n" for name in names)
    return f"{pad}from {module} import (\n{exploded}{pad})"


def sequence(
    head: str, items: list[str], indent: int = 0, brackets: str = "[]", tail: str = ""
) -> str:
    """A collection literal `head[a, b]tail` (e.g. `__all__ = [...]`).

    Too long for one line, black puts each item on its own line with a trailing comma.
    """
    pad = " " * indent
    opening, closing = brackets[0], brackets[1]
    line = f"{pad}{head}{opening}{', '.join(items)}{closing}{tail}"
    if len(line) <= LINE_LENGTH or not items:
        return line
    exploded = "".join(f"{pad}    {item},\n" for item in items)
    return f"{pad}{head}{opening}\n{exploded}{pad}{closing}{tail}"


def wide_union(head: str, members: list[str]) -> str:
    """`Name: TypeAlias = Union[...]` (`head` up to `Union`), a member a line, always.

    A union wider than `typeir.WIDE_UNION` is subscripted, not chained with `|` (a long
    chain nests the compiler's recursion), which ruff's UP007 reports on a package for
    Python 3.10: the opening line says `noqa` for it. The trailing commas keep black from
    joining the members back under the comment.
    """
    exploded = "".join(f"    {member},\n" for member in members)
    return f"{head}[  # noqa: UP007\n{exploded}]"


def wide_annotated_union(
    head: str, union: str, members: list[str], metadata: list[str]
) -> str | None:
    """`Name: TypeAlias = Annotated[` (`head`) + a `wide_union` and its metadata, each on a
    line, as black keeps them (trailing commas); None when a metadata line is too long
    for black to leave as it is."""
    if any(len(f"    {meta},") > LINE_LENGTH for meta in metadata):
        return None
    exploded = "".join(f"        {member},\n" for member in members)
    meta = "".join(f"    {text},\n" for text in metadata)
    return f"{head}[\n    {union}[  # noqa: UP007\n{exploded}    ],\n{meta}]"


def frozenset_of(head: str, items: list[str], indent: int = 4) -> str:
    """`head` + `frozenset((a, b))`, split as black splits it when too long: the tuple on a
    line of its own when it fits there, else one item a line."""
    pad = " " * indent
    inner = f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    line = f"{pad}{head}frozenset({inner})"
    if len(line) <= LINE_LENGTH:
        return line
    if len(pad) + 4 + len(inner) <= LINE_LENGTH:
        return f"{pad}{head}frozenset(\n{pad}    {inner}\n{pad})"
    exploded = "".join(f"{pad}        {item},\n" for item in items)
    return f"{pad}{head}frozenset(\n{pad}    (\n{exploded}{pad}    )\n{pad})"


def tuple_rows(head: str, rows: Sequence[Sequence[str]], indent: int = 8, tail: str = ",") -> str:
    """`head((a, b), (c, d))tail`: a tuple literal of tuple literals, as black writes it when
    too long: a row a line (a collection literal is never kept on one indented line), and a
    row still too long there, an item a line. One-element tuples keep their comma."""
    pad = " " * indent

    def flat(items: Sequence[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    texts = [flat(row) for row in rows]
    line = f"{pad}{head}{flat(texts) if texts else '()'}{tail}"
    if len(line) <= LINE_LENGTH or not rows:
        return line
    lines = [f"{pad}{head}("]
    for row, text in zip(rows, texts, strict=True):
        if len(pad) + 4 + len(text) + 1 <= LINE_LENGTH or not row:
            lines.append(f"{pad}    {text},")
        else:
            lines.append(f"{pad}    (")
            lines.extend(f"{pad}        {item}," for item in row)
            lines.append(f"{pad}    ),")
    lines.append(f"{pad}){tail}")
    return "\n".join(lines)


def def_header(name: str, parameters: list[str], returns: str, indent: int = 0) -> str:
    """`def name(parameters) -> returns:`, split as black splits it when too long: the
    parameters one a line (with a trailing comma); with none, the return annotation in
    parentheses on a line of its own."""
    pad = " " * indent
    line = f"{pad}def {name}({', '.join(parameters)}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return line
    if not parameters:
        return f"{pad}def {name}() -> (\n{pad}    {returns}\n{pad}):"
    exploded = "".join(f"{pad}    {parameter},\n" for parameter in parameters)
    tail = f"{pad}) -> {returns}:"
    if len(tail) > LINE_LENGTH and len(pad) + 4 + len(returns) <= LINE_LENGTH:
        tail = f"{pad}) -> (\n{pad}    {returns}\n{pad}):"  # still too long: parenthesised
    return f"{pad}def {name}(\n{exploded}{tail}"


def call(head: str, arguments: list[str], indent: int = 0, tail: str = "") -> str:
    """A call or class header `head(a, b)tail`, split as black splits it when too long.

    The arguments go on one indented line of their own when they fit there (one
    argument always does: black cannot do better), else one per line with a comma.
    """
    pad = " " * indent
    body = ", ".join(arguments)
    line = f"{pad}{head}({body}){tail}"
    if len(line) <= LINE_LENGTH or not arguments:
        return line
    if len(arguments) == 1 or len(pad) + 4 + len(body) <= LINE_LENGTH:
        return f"{pad}{head}(\n{pad}    {body}\n{pad}){tail}"
    exploded = "".join(f"{pad}    {argument},\n" for argument in arguments)
    return f"{pad}{head}(\n{exploded}{pad}){tail}"


def prefixed_call(prefix: str, callee: str, arguments: list[str], indent: int = 0) -> str:
    """`prefix callee(arguments)`, where `prefix` is `return ` or `target = `, split as
    black splits it: at the call's bracket, unless `prefix callee(` is too long and the
    call fits better in parentheses of its own. Only calls with one argument (all the
    renderer writes, and all test_black_style sweeps against black) get the parentheses;
    others are split at the call's bracket, which black may not agree with."""
    pad = " " * indent
    split = call(prefix + callee, arguments, indent)
    body = ", ".join(arguments)
    if len(f"{pad}{prefix}{callee}(") <= LINE_LENGTH or len(f"{pad}{prefix}(") > LINE_LENGTH:
        return split
    if len(arguments) != 1 or len(f"{pad}    {callee}(") > LINE_LENGTH:
        return split
    if len(f"{pad}    {callee}({body})") <= LINE_LENGTH:
        return f"{pad}{prefix}(\n{pad}    {callee}({body})\n{pad})"
    if len(f"{pad}        {body}") > LINE_LENGTH:
        return split  # black then keeps `prefix callee(`
    return f"{pad}{prefix}(\n{pad}    {callee}(\n{pad}        {body}\n{pad}    )\n{pad})"


def class_header(name: str, bases: list[str], indent: int = 0) -> str:
    """`class Name(bases):` (`class Name:` without bases), split as black splits it."""
    if not bases:
        return f"{' ' * indent}class {name}:"
    return call(f"class {name}", bases, indent, ":")


def annotated(
    target: str,
    annotation: str,
    value: str | None,
    indent: int = 4,
    members: Sequence[str] | None = None,
    arguments: Sequence[str] | None = None,
) -> str:
    """A model field `target: annotation = value`, split as black splits it when too long.

    Covered: a `Field(...)` call whose `arguments` (their texts, from the call's IR node)
    are given (split inside its brackets when the head fits: the arguments on one line, else
    one a line; else, bracket-free, wrapped in parentheses, or the annotation is when that
    head does not fit either), a bracket-free value (wrapped in parentheses, or the
    annotation is when that head does not fit), and a bracket-free annotation without a
    value (wrapped in parentheses). `members` are the texts of a top-level union's members
    (from the type node), when the annotation is one.
    """
    pad = " " * indent
    line = f"{pad}{target}: {annotation}" + (f" = {value}" if value is not None else "")
    if len(line) <= LINE_LENGTH:
        return line
    if value is None:
        if _has_brackets(annotation) or len(pad) + 4 + len(annotation) > LINE_LENGTH:
            return line
        return f"{pad}{target}: (\n{pad}    {annotation}\n{pad})"
    if value.startswith("Field(") and arguments:
        head = f"{pad}{target}: {annotation} = Field("
        if len(head) <= LINE_LENGTH:
            body = ", ".join(arguments)
            if len(pad) + 4 + len(body) <= LINE_LENGTH:
                return f"{head}\n{pad}    {body}\n{pad})"
            if all(len(pad) + 5 + len(argument) <= LINE_LENGTH for argument in arguments):
                exploded = "".join(f"{pad}    {argument},\n" for argument in arguments)
                return f"{head}\n{exploded}{pad})"
            return line
        if any(_has_brackets(argument) for argument in arguments):
            return line
    elif _has_brackets(value):
        return line
    head = f"{pad}{target}: {annotation} = ("
    if len(head) <= LINE_LENGTH and len(pad) + 4 + len(value) <= LINE_LENGTH:
        return f"{head}\n{pad}    {value}\n{pad})"
    # neither fits: the annotation goes in parentheses, `) = value` (even `Field(...)`) after
    if len(f"{pad}) = {value}") > LINE_LENGTH:
        return line
    wrapped = _wrapped_annotation(annotation, indent, members)
    return f"{pad}{target}: {wrapped} = {value}" if wrapped else line


def parameter(
    name: str,
    annotation: str,
    default: str | None,
    indent: int = 8,
    members: Sequence[str] | None = None,
) -> str:
    """One line of an exploded signature: `name: annotation = default,`, as black splits it."""
    pad = " " * indent
    rest = f" = {default}," if default is not None else ","
    line = f"{pad}{name}: {annotation}{rest}"
    if len(line) <= LINE_LENGTH or _has_brackets(rest):
        return line
    # black wraps the annotation even when `) = default,` stays too long (a long string)
    wrapped = _wrapped_annotation(annotation, indent, members)
    return f"{pad}{name}: {wrapped}{rest}" if wrapped else line


def assignment(target: str, value: str, indent: int = 4) -> str:
    """`target = value` for a bracket-free value (an enum member), as black splits it."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if len(line) <= LINE_LENGTH or _has_brackets(value):
        return line
    if len(f"{pad}{target} = (") <= LINE_LENGTH and len(pad) + 4 + len(value) <= LINE_LENGTH:
        return f"{pad}{target} = (\n{pad}    {value}\n{pad})"
    return line


def data_call_or_line(
    head: str, arguments: Sequence[tuple[str, Any]], indent: int = 0, tail: str = ""
) -> str:
    """`head(arguments)tail` as `data_call` lays it out, else on one line (which the format
    stage sends to black, where black may choose another layout)."""
    laid = data_call(head, arguments, indent, tail)
    if laid is not None:
        return laid
    flat = ", ".join(f"{prefix}{literal(value)}" for prefix, value in arguments)
    return f"{' ' * indent}{head}({flat}){tail}"


def keyword_call(
    head: str, keywords: Sequence[tuple[str, Any]], indent: int = 0, tail: str = ""
) -> str:
    """`head(name=value, …)tail` of spec data (`data_call_or_line`)."""
    return data_call_or_line(head, [(f"{name}=", v) for name, v in keywords], indent, tail)


def either(target: str, first: str, second: str, indent: int = 0) -> str:
    """`target = first or second` (bracket-free operands but for a call's), as black splits
    it when too long: in parentheses, on one line when it fits there, else split before
    `or`; on one line for black when even `first` does not fit at its indentation."""
    pad = " " * indent
    line = f"{pad}{target} = {first} or {second}"
    if len(line) <= LINE_LENGTH or len(f"{pad}    {first}") > LINE_LENGTH:
        return line
    if len(f"{pad}    {first} or {second}") <= LINE_LENGTH:
        return f"{pad}{target} = (\n{pad}    {first} or {second}\n{pad})"
    return f"{pad}{target} = (\n{pad}    {first}\n{pad}    or {second}\n{pad})"


def or_call(target: str, first: str, callee: str, arguments: str, indent: int = 0) -> str:
    """`target = first or callee(arguments)` (`first` a call of string literals: the
    client's `os.environ.get("…") or server_url(…)`), as black splits it when too long: at
    the last call's bracket, its arguments on a line of their own, when both lines fit;
    on one line for black otherwise."""
    pad = " " * indent
    line = f"{pad}{target} = {first} or {callee}({arguments})"
    head = f"{pad}{target} = {first} or {callee}("
    body = f"{pad}    {arguments}"
    if len(line) <= LINE_LENGTH or not line.isascii():
        return line
    if len(head) > LINE_LENGTH or len(body) > LINE_LENGTH:
        return line  # (black then splits `first` at its own bracket)
    return f"{head}\n{body}\n{pad})"


def data(head: str, value: Any, indent: int = 0, tail: str = "") -> str:
    """`head` + the literal of `value` (spec data: dicts, lists, tuples, scalars) + `tail`,
    split as black splits a collection display that is too long: several items (or a
    one-element tuple) one a line with a trailing comma, a single item on a line of its
    own without one, each item split the same way when still too long there."""
    pad = " " * indent
    line = f"{pad}{head}{literal(value)}{tail}"
    if len(line) <= LINE_LENGTH or not isinstance(value, (dict, list, tuple)) or not value:
        return line
    if isinstance(value, dict):
        opening, closing = "{", "}"
        items = [(f"{literal(key)}: ", item) for key, item in value.items()]
    else:
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        items = [("", item) for item in value]
    comma = "," if len(items) > 1 or isinstance(value, tuple) else ""
    body = "\n".join(data(prefix, item, indent + 4, comma) for prefix, item in items)
    return f"{pad}{head}{opening}\n{body}\n{pad}{closing}{tail}"


def data_call(
    head: str, arguments: Sequence[tuple[str, Any]], indent: int = 0, tail: str = ""
) -> str | None:
    """`head(arguments)tail`, each argument a (`name=` or "", spec data) pair written by the
    literal writer, split as black splits a call too long for its line: at its bracket, the
    arguments on one line of their own when they fit there, else one a line with a trailing
    comma (a single one without), each argument's data split as `data` splits it. None when
    black may choose another layout: `head(` too long, or a non-ASCII character (black
    counts wide characters twice)."""
    pad = " " * indent
    texts = [f"{prefix}{literal(value)}" for prefix, value in arguments]
    line = f"{pad}{head}({', '.join(texts)}){tail}"
    if not line.isascii():
        return None
    if len(line) <= LINE_LENGTH:
        return line
    if not arguments or len(f"{pad}{head}(") > LINE_LENGTH:
        return None
    inner = indent + 4
    body = ", ".join(texts)
    if inner + len(body) <= LINE_LENGTH:
        return f"{pad}{head}(\n{pad}    {body}\n{pad}){tail}"
    comma = "," if len(arguments) > 1 else ""
    lines = "\n".join(data(prefix, value, inner, comma) for prefix, value in arguments)
    return f"{pad}{head}(\n{lines}\n{pad}){tail}"


def _wrapped_annotation(annotation: str, indent: int, members: Sequence[str] | None) -> str | None:
    """`(annotation)` over lines as black writes a long type hint, or None if not covered.

    The annotation on a line of its own when it fits there; a union of bare names
    one member per line otherwise. Brackets are covered only in `X[...] | None`.
    """
    pad = " " * indent
    if _has_brackets(annotation) and not members:
        return None
    if len(pad) + 4 + len(annotation) <= LINE_LENGTH:
        return f"(\n{pad}    {annotation}\n{pad})"
    if not members or len(members) < 2:
        return None
    lines = [members[0]] + [f"| {member}" for member in members[1:]]
    if any(len(pad) + 4 + len(text) > LINE_LENGTH for text in lines if _has_brackets(text)):
        return None  # a member that black would split further
    return "(\n" + "".join(f"{pad}    {text}\n" for text in lines) + f"{pad})"


def _has_brackets(text: str) -> bool:
    return any(bracket in text for bracket in "()[]{}")
