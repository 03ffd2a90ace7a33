"""Black's layout for the few statement shapes whose length depends on the spec.

The renderer writes generated code the way black would write it, so that most
files need no formatting pass (see `format.needs_black`). Fixed template text is
already in black's style; these helpers lay out the statements that grow with
the spec: imports, `__all__` lists and class headers. Any other statement that
grows too long (a long annotated field, say) is left on one line, and black
formats its file.
"""

from __future__ import annotations

from .format import LINE_LENGTH


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


def class_header(name: str, bases: list[str], indent: int = 0) -> str:
    """`class Name(bases):` (`class Name:` without bases), split as black splits it."""
    if not bases:
        return f"{' ' * indent}class {name}:"
    return call(f"class {name}", bases, indent, ":")
