"""What the operations template writes once per operation and repeats in its four methods.

Each operation becomes four methods (sync, async, and their raw-response twins) whose
signatures, wire arguments and docstrings are the same text: it is decided here once,
from the IR and the module's `Scope`, instead of four times by template macros.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import layout, type_layout
from . import typeir as t
from .filters import docstring
from .ir import Operation, Parameter
from .literals import literal
from .render import Scope
from .typeir import S


@dataclass(frozen=True)
class OperationText:
    """Source fragments of one operation's methods, in one module's spellings."""

    parameters: str  # the keyword-parameter lines after `*,`, each ending in a newline
    wire: str  # the `path=…`, `query=…`, `headers=…`, `cookies=…` argument lines
    returns: str
    raw_returns: str
    returns_literal: str  # `returns` as a string literal (the `cast` target)
    raw_returns_literal: str
    docstring: str
    raw_docstring: str
    page_docstring: str
    sync_page: str
    async_page: str
    parameter_checks: str  # the `parameters=(…),` line(s) of the OperationInfo


def operation_text(op: Operation, scope: Scope) -> OperationText:
    """The fragments of `op`'s methods as `scope`'s module writes them."""
    lines = [_parameter(p, scope) for p in op.parameters]
    if op.body is not None:
        lines.append(
            _line(scope, "body", op.body_parameter_type, None if op.body.required else "None")
        )
        if op.body.content_types:
            lines.append(_line(scope, "content_type", op.body.content_type_choice, "None"))
    if op.binary_success:
        lines.append("        stream: bool = False,")
    lines.append(f"        extra_headers: {scope.symbol(S.MAPPING)}[str, str] | None = None,")
    if op.takes_idempotency_key:
        lines.append("        idempotency_key: str | None = None,")
    not_given = scope.symbol(S.NOT_GIVEN_TYPE)
    lines.append(
        f"        timeout: float | httpx.Timeout | {not_given} | None = {scope.symbol(S.NOT_GIVEN)},"
    )
    returns = op.return_type.render(scope)
    raw_returns = op.raw_return_type.render(scope)
    paged = op.pagination is not None
    return OperationText(
        parameters="".join(line + "\n" for line in lines),
        wire="".join(
            _wire(keyword, parameters)
            for keyword, parameters in (
                ("path", op.path_parameters),
                ("query", op.query_parameters),
                ("headers", op.header_parameters),
                ("cookies", op.cookie_parameters),
            )
        ),
        returns=returns,
        raw_returns=raw_returns,
        returns_literal=literal(returns),
        raw_returns_literal=literal(raw_returns),
        docstring=docstring(op.docstring, 8),
        raw_docstring=docstring(op.raw_docstring, 8),
        page_docstring=docstring(op.page_docstring, 8) if paged else "",
        sync_page=op.page_type(False).render(scope) if paged else "",
        async_page=op.page_type(True).render(scope) if paged else "",
        parameter_checks=type_layout.tuple_entries(
            "parameters=",
            [([literal(p.location), literal(p.wire_name)], p.type) for p in op.parameters],
            scope,
        ),
    )


def _parameter(p: Parameter, scope: Scope) -> str:
    default = None if p.required or p.default is None else p.default.render(scope)
    return _line(scope, p.name, p.type, default)


def _line(scope: Scope, name: str, node: t.TypeNode, default: str | None) -> str:
    if default is None:
        return type_layout.statement(f"{name}: ", node, scope, 8, ",")
    members = node.rendered_members(scope) if isinstance(node, t.Union) else None
    return layout.parameter(name, node.render(scope), default, members=members)


def _wire(keyword: str, parameters: tuple[Parameter, ...]) -> str:
    """`keyword={wire name: argument, …},` over lines, as the call writes it."""
    if not parameters:
        return ""
    items = "".join(f"                    {literal(p.wire_name)}: {p.name},\n" for p in parameters)
    return f"                {keyword}={{\n{items}                }},\n"
