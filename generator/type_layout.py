"""Black's layout of a long type annotation, computed from the type nodes (no text re-read).

A statement ending in a bracketed type (`Name: TypeAlias = Annotated[str, Field(…)]`, a
model field without a default, a required parameter) that does not fit on a line is
split as black splits it: at the type's last bracket pair, the contents on one line
when they fit there, else one item a line with a trailing comma (a union's members
one a line behind `| `), each item split the same way in turn. A shape this does not
cover gives None, and black formats the statement. tests/generator/test_black_style.py
checks the layouts against black over random type trees.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import layout
from . import typeir as t
from .black_skip import LINE_LENGTH
from .literals import literal
from .typeir import Names, S

_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class Text:
    """A leaf: a name or a literal (`split` when it holds brackets black could split at)."""

    text: str
    split: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """`head[item, …]` or `head(item, …)`: a place black may split. A `display` (a tuple
    literal) split by black always goes one item a line, with a trailing comma."""

    head: str
    opening: str
    items: tuple[Doc, ...]
    closing: str
    display: bool = False


@dataclass(frozen=True, slots=True)
class Members:
    """`a | b | c`: a union's members (split one a line, behind `| `)."""

    items: tuple[Doc, ...]


Doc = Text | Group | Members


def statement(prefix: str, node: t.TypeNode, names: Names, indent: int, suffix: str = "") -> str:
    """`prefix` + the type + `suffix` at `indent`, laid out as black writes it when that is
    known, else on one line (black then formats it)."""
    doc = document(node, names)
    pad = " " * indent
    flat = pad + prefix + _flat(doc) + suffix
    if len(flat) <= LINE_LENGTH or not isinstance(doc, Group) or not flat.isascii():
        return flat
    lines = _lay(prefix, doc, suffix, indent)
    return flat if lines is None else "\n".join(lines)


def field(name: str, node: t.TypeNode, value: t.Expr, names: Names) -> str:
    """A model field with a value, `name: type = value` at 4 spaces, as black writes it:
    `layout.annotated` (split inside `Field(`, or around the value), else, when even
    `name: type = (` is too long, the type split at its own brackets with `] = value` after
    it, or a union in parentheses a member a line with `) = value`; on one line for black
    where the shape is not covered."""
    annotation = node.render(names)
    value_text = value.render(names)
    members = node.rendered_members(names) if isinstance(node, t.Union) else None
    arguments = value.rendered_arguments(names) if isinstance(value, t.Call) else None
    text = layout.annotated(name, annotation, value_text, 4, members, arguments)
    if all(len(line) <= LINE_LENGTH for line in text.split("\n")) or not text.isascii():
        return text
    if len(f"    {name}: {annotation} = (") <= LINE_LENGTH:
        return text
    doc = document(node, names)
    laid: list[str] | None = None
    union = isinstance(doc, Members) and len(f"    ) = {value_text}") <= LINE_LENGTH
    if union or isinstance(doc, Group):
        laid = enclosed_lines(f"{name}: ", node, names, 4, f" = {value_text}", doc)
    return text if laid is None else "\n".join(laid)


def enclosed(prefix: str, node: t.TypeNode, names: Names, indent: int, suffix: str) -> str:
    """`prefix` + the type + `suffix` at `indent` (a field without a value, a call's argument
    `body_type=…,`), laid out as black writes it: split at the type's brackets, or a union
    too long for the line in parentheses (black adds them to an annotation, and keeps
    ours in an argument), on their own line when the members fit there, else a member a
    line; a long name alone in parentheses when it fits there (no `suffix`: black leaves
    `name=Name,` alone). On one line for black where the shape is not covered."""
    doc = document(node, names)
    flat = " " * indent + prefix + _flat(doc) + suffix
    if len(flat) <= LINE_LENGTH or not flat.isascii():
        return flat
    laid = enclosed_lines(prefix, node, names, indent, suffix, doc)
    return flat if laid is None else "\n".join(laid)


def enclosed_lines(
    prefix: str,
    node: t.TypeNode,
    names: Names,
    indent: int,
    suffix: str,
    doc: Doc | None = None,
) -> list[str] | None:
    """The lines `enclosed` splits a statement too long for its line into (a method's
    parameter with a default too: `name: (\n    A\n    | B\n) = NOT_GIVEN,`); None for a
    shape not covered. `doc`: `node`'s layout tree, when already made."""
    doc = document(node, names) if doc is None else doc
    pad = " " * indent
    inner = " " * (indent + 4)
    if isinstance(doc, Text) and not doc.split and not suffix:  # one long name
        fits = len(inner + doc.text) <= LINE_LENGTH
        return [pad + prefix + "(", inner + doc.text, pad + ")"] if fits else None
    if isinstance(doc, Members):
        members = [inner + _flat(doc)] if len(inner + _flat(doc)) <= LINE_LENGTH else None
        members = members or _members(doc, indent + 4)
        return None if members is None else [pad + prefix + "(", *members, pad + ")" + suffix]
    return _lay(prefix, doc, suffix, indent)


def tuple_item(head: str, values: list[str], node: t.TypeNode, names: Names, indent: int) -> str:
    """`head(value, …, type),` at `indent` (a response's `"200": ("json", Type),`), laid out
    as black writes the tuple: one line, else an item a line (the type split at its own
    brackets). On one line for black where the shape is not covered."""
    doc = Group("", "(", (*(Text(v) for v in values), document(node, names)), ")", display=True)
    flat = " " * indent + head + _flat(doc) + ","
    if len(flat) <= LINE_LENGTH or not flat.isascii():
        return flat
    laid = _lay(head, doc, ",", indent)
    return flat if laid is None else "\n".join(laid)


def tuple_entries(head: str, entries: list[tuple[list[str], t.TypeNode]], names: Names) -> str:
    """`head(entry, …),` at 8 spaces, each entry a tuple of literal texts and a type, laid
    out as black writes it: one line when it fits, else an entry a line (each split at
    its own brackets when it is still too long)."""
    docs = [
        Group("", "(", (*(Text(v) for v in values), document(node, names)), ")", display=True)
        for values, node in entries
    ]
    pad = " " * 8
    inner = ", ".join(_flat(doc) for doc in docs)
    flat = f"{pad}{head}({inner},)," if len(docs) == 1 else f"{pad}{head}({inner}),"
    if len(flat) <= LINE_LENGTH or not flat.isascii():
        return flat
    lines = [f"{pad}{head}("]
    for doc in docs:
        laid = _lay("", doc, ",", 12)
        lines.extend(laid if laid is not None else [" " * 12 + _flat(doc) + ","])
    lines.append(f"{pad}),")
    return "\n".join(lines)


def document(node: t.TypeNode, names: Names) -> Doc:
    """The layout tree of a type node (its text, with the places black splits)."""
    if isinstance(node, t.Annotated):
        items: list[Doc] = [document(node.base, names)]
        items.extend(_call(call, names) for call in node.metadata)
        return Group(names.symbol(S.ANNOTATED), "[", tuple(items), "]")
    if isinstance(node, t.Generic) and node.args:
        origin = names.builtin(node.origin)
        return Group(origin, "[", tuple(document(a, names) for a in node.args), "]")
    if isinstance(node, t.Subscript):
        args = tuple(document(a, names) for a in node.args)
        return Group(names.symbol(node.symbol), "[", args, "]")
    if isinstance(node, t.LiteralType):
        values = tuple(Text(literal(v)) for v in node.values)
        literal_group = Group(names.symbol(S.LITERAL), "[", values, "]")
        guard = node.guard()
        if guard is None:
            return literal_group
        check = Text(f"{names.symbol(S.LITERAL_TYPES)}({guard}={literal(False)})")
        return Group(names.symbol(S.ANNOTATED), "[", (literal_group, check), "]")
    if isinstance(node, t.Union) and len(node.members) <= t.WIDE_UNION:
        return Members(tuple(document(m, names) for m in node.members))
    return Text(node.render(names), node.bracketed)


def _call(call: t.Call, names: Names) -> Doc:
    """A metadata call; one with a container argument stays text (black splits it), but for
    tuples of scalars (`pattern_check((True, "^a$"))`), which black splits one item a line."""
    values = (*call.args, *(v for _, v in call.kwargs))
    if not all(
        isinstance(v, (*_SCALARS, t.Call, t.Lit, t.MemberRef)) or _flat_tuple(v) for v in values
    ):
        return Text(call.render(names), split=True)
    parts: list[Doc] = [_argument(a, names) for a in call.args]
    for key, value in call.kwargs:
        argument = _argument(value, names)
        if not isinstance(argument, Text):
            return Text(call.render(names), split=True)
        parts.append(Text(f"{key}={argument.text}"))
    return Group(names.symbol(call.symbol), "(", tuple(parts), ")")


def _flat_tuple(value: object) -> bool:
    """A tuple of scalars (`pattern_check`'s `(True, "^a$")`)."""
    return isinstance(value, tuple) and all(isinstance(v, _SCALARS) for v in value)


def _argument(value: object, names: Names) -> Doc:
    if _flat_tuple(value):
        assert isinstance(value, tuple)
        if len(value) < 2:  # `()`, `(x,)`: left to black when too long
            return Text(literal(value), split=True)
        return Group("", "(", tuple(Text(literal(v)) for v in value), ")", display=True)
    if isinstance(value, t.Call):
        return _call(value, names)
    if isinstance(value, t.Lit):
        return Text(value.render(names), not isinstance(value.value, _SCALARS))
    if isinstance(value, t.MemberRef):
        return Text(value.render(names))
    return Text(literal(value))


def _flat(doc: Doc) -> str:
    if isinstance(doc, Text):
        return doc.text
    if isinstance(doc, Members):
        return " | ".join(_flat(item) for item in doc.items)
    return doc.head + doc.opening + ", ".join(_flat(item) for item in doc.items) + doc.closing


def _lay(prefix: str, doc: Doc, suffix: str, indent: int) -> list[str] | None:
    """The lines of `prefix doc suffix` at `indent`, or None for a shape not covered."""
    pad = " " * indent
    line = pad + prefix + _flat(doc) + suffix
    if len(line) <= LINE_LENGTH:
        return [line]
    if isinstance(doc, Text):
        return None if doc.split else [line]
    if isinstance(doc, Members):
        return None
    head = pad + prefix + doc.head + doc.opening
    if len(head) > LINE_LENGTH or not doc.items:
        return None
    inner = " " * (indent + 4)
    body = ", ".join(_flat(item) for item in doc.items)
    tail = pad + doc.closing + suffix
    if len(inner + body) <= LINE_LENGTH and not doc.display:
        return [head, inner + body, tail]
    lines = [head]
    if len(doc.items) == 1 and not doc.display:
        item = doc.items[0]
        laid = (
            _members(item, indent + 4)
            if isinstance(item, Members)
            else _lay("", item, "", indent + 4)
        )
        if laid is None:
            return None
        lines.extend(laid)
    else:
        for item in doc.items:
            if isinstance(item, Members) and len(inner + _flat(item) + ",") > LINE_LENGTH:
                laid = _members(item, indent + 4, ",")  # a member a line, no parentheses
            else:
                laid = _lay("", item, ",", indent + 4)
            if laid is None:
                return None
            lines.extend(laid)
    lines.append(tail)
    return lines


def _members(doc: Members, indent: int, suffix: str = "") -> list[str] | None:
    """A union too long for a line, alone in brackets or an item of them (followed by
    `suffix`): a member a line, behind `| `."""
    lines: list[str] = []
    last = len(doc.items) - 1
    for index, item in enumerate(doc.items):
        if isinstance(item, Members):
            return None
        laid = _lay("| " if index else "", item, suffix if index == last else "", indent)
        if laid is None:
            return None
        lines.extend(laid)
    return lines
