"""The README's calls: one operation called with example arguments, laid out as black lays
it out, and what the snippet does with the result (`readme` decides which calls to show)."""

from __future__ import annotations

from collections.abc import Iterable

from . import layout
from . import typeir as t
from .black_skip import LINE_LENGTH
from .examples import Examples, Unsatisfiable
from .ir import Operation
from .literals import literal
from .naming import variable_name

# names the snippets use themselves: a result is never called so
TAKEN = ("client", "patient", "raw", "page", "item", "event", "stream", "response", "main")


def streamed(op: Operation) -> bool:
    """Does a success response of `op` stream (events, JSON Lines)?"""
    return any(m.streamed for r in op.success_responses for m in r.media)


class CallWriter:
    """Writes calls of operations with example values (`examples.Examples`)."""

    def __init__(self, examples: Examples) -> None:
        self.examples = examples

    def arguments(self, op: Operation, full: bool = True) -> list[str]:
        """The call's arguments: required parameters, and the body (keyword arguments when
        its properties are), filled with example values; not `full`: only the body's
        required properties (the snippets after the first stay short)."""
        found = []
        for index, parameter in enumerate(op.parameters):
            if not parameter.required:
                continue
            value = self.value(
                parameter.type,
                example=parameter.example,
                hint=parameter.wire_name,
                fill=parameter.location == "path",  # an empty object would leave no segment
            )
            text = literal(value)
            found.append(text if index < op.positional else f"{parameter.name}={text}")
        body = op.body
        if body is not None:
            value = self.value(body.type, example=body.example)
            names = {f.alias: f.name for f in op.body_fields}
            required = {f.alias for f in op.body_fields if f.required}
            if not full and isinstance(value, dict) and set(value) <= set(names):
                value = {k: v for k, v in value.items() if k in required}
            if isinstance(value, dict) and value and set(value) <= set(names):
                found.extend(f"{names[k]}={literal(v)}" for k, v in value.items())
            elif not (isinstance(value, dict) and not value and not body.required):
                found.append(f"body={literal(value)}")
        return found

    def value(
        self, node: t.TypeNode, example: str | None = None, hint: str = "", fill: bool = False
    ) -> object:
        """An example value sent as `node` (None when none can be built)."""
        try:
            return self.examples.value(node, sending=True, example=example, hint=hint, fill=fill)
        except Unsatisfiable:
            return None

    def call(
        self, op: Operation, receiver: str = "client", extra: Iterable[str] = (), full: bool = False
    ) -> str:
        """`receiver.<resource>.<method>(arguments)`."""
        arguments = ", ".join([*self.arguments(op, full), *extra])
        return f"{receiver}.{op.qualified_name}({arguments})"

    def laid_out_call(
        self, prefix: str, op: Operation, receiver: str, full: bool, indent: int
    ) -> list[str]:
        """`prefix receiver.<resource>.<method>(arguments)` at `indent` (returned without
        that indentation), split at the call's bracket as black splits it when too long and
        the head fits (`layout.call`); with a bracketed or non-ASCII argument (a body
        mapping, say), on one line: black formats it."""
        arguments = self.arguments(op, full)
        head = f"{prefix}{receiver}.{op.qualified_name}"
        flat = f"{head}({', '.join(arguments)})"
        if (
            indent + len(flat) <= LINE_LENGTH
            or indent + len(head) + 1 > LINE_LENGTH
            or not flat.isascii()
            or any(bracket in flat[len(head) + 1 : -1] for bracket in "()[]{}")
        ):
            return [flat]
        return [line[indent:] for line in layout.call(head, arguments, indent).split("\n")]

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
            awaited = waiting + self.call(op, receiver, full=full)
            events = any(m.parse.startswith("sse") for r in op.success_responses for m in r.media)
            each = "event" if events else "item"
            return [
                f"{prefix}with {awaited} as stream:",
                f"    {prefix}for {each} in stream:",
                f"        print({each})",
            ]
        if op.pagination is not None:
            return [f"{prefix}for item in {self.call(op, receiver, full=full)}:", "    print(item)"]
        if op.return_type == t.NONE:
            return self.laid_out_call(waiting, op, receiver, full, indent)
        returned = t.without_none(op.return_type)
        named = returned.name if isinstance(returned, t.ModelRef) else "result"
        variable = variable_name(named, TAKEN)
        statement = self.laid_out_call(f"{variable} = {waiting}", op, receiver, full, indent)
        return [*statement, f"print({variable})"]
