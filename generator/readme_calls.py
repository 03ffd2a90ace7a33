"""The README's calls: one operation called with example arguments, laid out as black lays
it out, and what the snippet does with the result (`readme` decides which calls to show)."""

from __future__ import annotations

import itertools

from . import layout
from . import typeir as t
from .examples import Examples, Unsatisfiable
from .ir import Operation
from .naming import variable_name

# names the snippets use themselves: a result is never called so
TAKEN = ("client", "patient", "raw", "page", "item", "event", "stream", "response", "main")


def streamed(op: Operation) -> bool:
    """Does a success response of `op` stream (events, JSON Lines) as the server answers
    the call? Its preferred media type does: one that offers a stream beside JSON gets
    JSON (UX audit 7: Zuora's charge metrics, shown as a stream, answered JSON)."""
    return any(r.media and r.media[0].streamed for r in op.success_responses)


class CallWriter:
    """Writes calls of operations with example values (`examples.Examples`)."""

    def __init__(self, examples: Examples) -> None:
        self.examples = examples
        # the README's variables and what each holds: one bound again to another type
        # fails `mypy --strict` on the user's script (`result`, then `result` of a list)
        self.bound: dict[str, object] = {}

    def bind(self, holds: object, *names: str) -> str:
        """A variable for `holds` (a type, or a key standing for one): the first of `names`
        that is free or holds the same already (an empty one is skipped), else the first
        numbered (`result_2`)."""
        names = tuple(name for name in names if name)
        for name in names:
            if self.bound.setdefault(name, holds) == holds:
                return name
        for number in itertools.count(2):
            name = f"{names[0]}_{number}"
            if self.bound.setdefault(name, holds) == holds:
                return name
        raise AssertionError("unreachable")  # pragma: no cover

    def item_variable(self, op: Operation, node: object) -> str:
        """The loop variable of `op`'s items (`node`: their type, or a key standing for it)."""
        named = node.name if isinstance(node, t.ModelRef) else ""
        return self.bind(
            node, "item", variable_name(named, TAKEN) if named else "", f"{op.name}_item"
        )

    def argument_items(self, op: Operation, full: bool = True) -> list[tuple[str, object]]:
        """The call's arguments, as (`name=` or "" for a positional one, example value):
        required parameters, and the body (keyword arguments when its properties are),
        filled with example values; not `full`: only the body's required properties (the
        snippets after the first stay short)."""
        found: list[tuple[str, object]] = []
        for index, parameter in enumerate(op.parameters):
            if not parameter.required:
                continue
            value = self.value(
                parameter.type,
                example=parameter.example,
                hint=parameter.wire_name,
                fill=parameter.location == "path",  # an empty object would leave no segment
            )
            found.append(("" if index < op.positional else f"{parameter.name}=", value))
        body = op.body
        if body is not None:
            value = self.value(body.type, example=body.example)
            names = {f.alias: f.name for f in op.body_fields}
            required = {f.alias for f in op.body_fields if f.required}
            if not full and isinstance(value, dict) and set(value) <= set(names):
                value = {k: v for k, v in value.items() if k in required}
            if body.encoding == "multipart" and isinstance(value, dict):
                # its files too (Asana's upload, every field optional, was `body={}`)
                for field in op.body_fields:
                    if field.alias not in value:
                        sent = self.value(field.type)
                        if isinstance(sent, bytes):
                            value = {**value, field.alias: sent}
            if isinstance(value, dict) and value and set(value) <= set(names):
                found.extend((f"{names[k]}=", v) for k, v in value.items())
            elif not (isinstance(value, dict) and not value and not body.required):
                found.append(("body=", value))
        return found

    def value(
        self, node: t.TypeNode, example: str | None = None, hint: str = "", fill: bool = False
    ) -> object:
        """An example value sent as `node` (None when none can be built)."""
        try:
            return self.examples.value(node, sending=True, example=example, hint=hint, fill=fill)
        except Unsatisfiable:
            return None

    def laid_out_call(
        self,
        prefix: str,
        op: Operation,
        receiver: str,
        full: bool,
        indent: int,
        callee: str | None = None,
    ) -> list[str]:
        """`prefix receiver.<resource>.<method>(arguments)` (or `prefix callee(arguments)`)
        at `indent`, returned without that indentation: laid out as black lays it out
        (`layout.data_call`), else on one line for black to format."""
        callee = callee or f"{receiver}.{op.qualified_name}"
        return laid_out(prefix + callee, self.argument_items(op, full), indent)

    def use(
        self,
        op: Operation,
        receiver: str = "client",
        asynchronous: bool = False,
        full: bool = False,
        indent: int = 0,
    ) -> list[str]:
        """Statements calling `op` and printing what it returns, to go at `indent`."""
        waiting = "await " if asynchronous else ""
        prefix = "async " if asynchronous else ""
        if streamed(op):
            events = any(m.parse.startswith("sse") for r in op.success_responses for m in r.media)
            stream = self.bind(("stream", op.return_type), "stream", f"{op.name}_stream")
            each = self.bind(
                ("each", op.return_type), "event" if events else "item", f"{op.name}_item"
            )
            head = f"{prefix}with {waiting}{receiver}.{op.qualified_name}"
            return [
                *laid_out(head, self.argument_items(op, full), indent, f" as {stream}:"),
                f"    {prefix}for {each} in {stream}:",
                f"        print({each})",
            ]
        if op.pagination is not None:
            item = self.item_variable(op, op.pagination.item_type)
            head = f"{prefix}for {item} in {receiver}.{op.qualified_name}"
            return [
                *laid_out(head, self.argument_items(op, full), indent, ":"),
                f"    print({item})",
            ]
        if op.return_type == t.NONE:
            return self.laid_out_call(waiting, op, receiver, full, indent)
        returned = t.without_none(op.return_type)
        named = returned.name if isinstance(returned, t.ModelRef) else "result"
        variable = self.bind(
            op.return_type,
            variable_name(named, TAKEN),
            variable_name(op.qualified_name.replace(".", "_") + "_result", TAKEN),
        )
        statement = self.laid_out_call(f"{variable} = {waiting}", op, receiver, full, indent)
        return [*statement, f"print({variable})"]


def laid_out(
    head: str, arguments: list[tuple[str, object]], indent: int = 0, tail: str = ""
) -> list[str]:
    """The lines of `head(arguments)tail` to go at `indent` (returned without it), as
    `layout.data_call_or_line` writes them."""
    text = layout.data_call_or_line(head, arguments, indent, tail)
    return [line[indent:] for line in text.split("\n")]
