"""What a resource module's template writes: its imports, and each method's text once.

A resource module (`resources/<module>.py`) holds the resource's sync and async classes and
their raw-response views. Each operation's signature, call arguments and docstring are the
same text in both classes: they are decided here once, from the IR and the module's
`Scope`. The raw-response views are not written method by method: they wrap the methods of
a raw twin with the runtime's `to_raw_response_wrapper` (typed with `ParamSpec`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import layout, type_layout
from . import typeir as t
from .black_skip import LINE_LENGTH
from .filters import docstring
from .imports import all_sorted, member_key, render_imports
from .ir import BodyField, Operation, Parameter
from .ir_content import async_result
from .ir_polling import Polling
from .ir_resources import Resource
from .literals import literal
from .naming_reserved import RESOURCE_MODULES
from .render import Scope
from .typeir import S, Symbol

# what a resource module's fixed text uses, with operations / without
_OPERATION_SYMBOLS = (
    S.ANY,
    S.MAPPING,
    S.CAST,
    S.CACHE,
    S.NOT_GIVEN,
    S.NOT_GIVEN_TYPE,
    S.OPERATION_INFO,
    S.TO_RAW,
    S.ASYNC_TO_RAW,
)
_RESOURCE_SYMBOLS = (S.CACHED_PROPERTY, S.SYNC_RESOURCE, S.ASYNC_RESOURCE)
_NOT_GIVEN = t.Named(S.NOT_GIVEN_TYPE)


@dataclass(frozen=True)
class MethodText:
    """Source fragments of one operation's method, in one module's spellings."""

    positional: str  # the positional parameter lines (after `self,`)
    keywords: str  # the keyword-only parameter lines of the method
    field_keywords: str  # …of the first overload: the body's required fields required
    # …of the first overload split in two where a `stream` field chooses the answer
    # (`Operation.stream_switch`): `stream: Literal[True]`, then `Literal[False]` or none
    stream_keywords: str
    answer_keywords: str
    stream_returns: str  # their `) -> TYPE:` lines, sync and async
    answer_returns: str
    async_stream_returns: str
    async_answer_returns: str
    body_keywords: str  # …of the second overload: `body=` required, no fields
    bare_keywords: str  # …of the third (`bodiless`): neither fields nor a body
    call: str  # the argument lines of the request (`path={…}`, `body=…`, …)
    returns: str  # the sync method's `) -> TYPE:` line(s) (not a page's)
    returns_literal: str  # the return type as a string literal (the `cast` target)
    async_returns: str  # the async method's (`AsyncBinaryResponse` for `BinaryResponse`…)
    async_returns_literal: str
    sync_page_literal: str
    async_page_literal: str
    parameter_checks: str  # the `parameters=(…),` line(s) of the OperationInfo
    styles: str  # the `styles=(…),` line(s) of the OperationInfo
    reserved: str  # the `reserved=(…),` line(s) of the OperationInfo
    raw_sync: str  # `self.NAME = to_raw_response_wrapper(raw.NAME)` in the raw view
    raw_async: str
    docstring: str
    sync_page: str  # a paged method's `) -> PAGE:` line(s)
    async_page: str


def resource_context(resource: Resource) -> dict[str, Any]:
    """What `resources/resource.py.jinja` needs beyond the package context."""
    ops = resource.operations
    nodes = [node for op in ops for node in op.type_nodes()]
    declared = {*t.symbols_of(nodes), *_RESOURCE_SYMBOLS}
    if ops:
        declared.update(_OPERATION_SYMBOLS)
    if any(op.pagination is not None for op in ops):
        declared.update((S.PAGE_INFO, S.SYNC_PAGE, S.ASYNC_PAGE))
    if any(op.polling is not None for op in ops):
        declared.update((S.POLLER, S.ASYNC_POLLER))
    if any(op.overloaded for op in ops):
        declared.add(S.OVERLOAD)
    if any(op.deprecated for op in ops):
        declared.add(S.DEPRECATED)
    if any(op.body_fields for op in ops):
        declared.add(S.REQUEST_BODY)
    # enums whose members are parameter defaults are needed when the module runs
    eager = sorted(
        {p.default.model for op in ops for p in op.parameters if isinstance(p.default, t.MemberRef)}
    )
    annotated = t.models_of(n for op in ops for n in _annotation_nodes(op))
    lazy = sorted(annotated - set(eager))
    children = {f".{c.module}": [c.class_of(False), c.class_of(True)] for c in resource.children}
    classes = [resource.class_of(a, r) for r in (False, True) for a in (False, True)]
    local = {*t.models_of(nodes), *classes, *(n for names in children.values() for n in names)}
    members = {op.name for op in ops} | {c.attribute for c in resource.children}
    uses_list = any(isinstance(n, t.Generic) and n.origin == "list" for n in t.walk(nodes))
    shadowed = {"list"} & members if uses_list else set()
    if children:
        declared.add(S.TYPE_CHECKING)
    scope = Scope(local, declared, shadowed)
    signatures = LazyModelScope(local, declared, shadowed, lazy)
    httpx, builtins = RESOURCE_MODULES
    modules = [httpx] if ops else []
    if shadowed:
        modules.append(builtins)
    block = scope.import_block(
        declared,
        {"..models": eager} if eager else None,
        depth=2,
        modules=modules,
        aliased={"..": [("models", MODELS_ALIAS)]} if lazy else None,
    )
    if children:
        imported = {m: {(n, n): None for n in names} for m, names in children.items()}
        block += "\n\nif " + scope.symbol(S.TYPE_CHECKING) + ":\n"
        block += render_imports(imported, indent=4)
    return {
        "resource": resource,
        "scope": scope,
        "resource_imports": block,
        "resource_all": all_sorted(classes if ops else classes[:2]),
        "op_models": {op.name: [m for m in _info_models(op) if m not in eager] for op in ops},
        "texts": {op.name: method_text(op, signatures, runtime=scope) for op in ops},
        "begin_texts": {
            op.name: begin_text(op, signatures, scope) for op in ops if op.polling is not None
        },
    }


MODELS_ALIAS = "_models"


class LazyModelScope(Scope):
    """The spellings of a resource module's signatures: a model the module does not import
    when it runs (the models load with the first call) is an attribute of the lazily loading
    models package, `_models.Pet`, which `typing.get_type_hints`, `inspect.signature(...,
    eval_str=True)` and `pydantic.validate_call` resolve; a name imported for type checkers
    only was a NameError to them (install audit). Type checkers read both alike."""

    def __init__(
        self,
        local: Iterable[str],
        declared: Iterable[Symbol],
        shadowed: Iterable[str],
        lazy: Iterable[str],
    ) -> None:
        super().__init__(local, declared, shadowed)
        self._lazy = frozenset(lazy)

    def model(self, name: str) -> str:
        """`_models.Name` for a model loaded lazily, else its own name."""
        return f"{MODELS_ALIAS}.{name}" if name in self._lazy else name


def _annotation_nodes(op: Operation) -> list[t.TypeNode]:
    """The types a method's signature names (not its error bodies)."""
    nodes = [p.annotation for p in op.parameters]
    nodes.extend(f.type for f in op.body_fields)
    if op.body is not None:
        nodes.append(op.body_parameter_type)
    if op.pagination is None:
        nodes.extend((op.returns(False), op.returns(True)))
    else:
        nodes.extend((op.page_type(False), op.page_type(True)))
    if op.polling is not None:
        nodes.extend((op.polling.poller_type(False), op.polling.poller_type(True)))
    return nodes


def _info_models(op: Operation) -> list[str]:
    """The models an operation's `OperationInfo` names (its responses, body, parameters)."""
    nodes = [m.type for r in op.responses for m in r.media if m.type is not None]
    if op.body is not None:
        nodes.append(op.body.type)
        nodes.extend(node for _, node in op.body.variant_types)
    nodes.extend(p.type for p in op.parameters)
    return sorted(t.models_of(nodes), key=member_key)  # as isort orders imported names


def begin_text(op: Operation, scope: Scope, runtime: Scope | None = None) -> MethodText:
    """The fragments of a long-running `op`'s `begin_…` method (see `method_text`): its
    keywords end with `polling_interval`, it returns a poller."""
    assert op.polling is not None
    return method_text(op, scope, op.polling, runtime)


def method_text(
    op: Operation, scope: Scope, polling: Polling | None = None, runtime: Scope | None = None
) -> MethodText:
    """The fragments of `op`'s method as `scope`'s module writes them (of its `begin_…`
    method with its `polling`); `runtime` spells what runs in the `OperationInfo` (its
    parameters' types, the models its function imports), `scope` by default."""
    positional = [_line(scope, p.name, p.annotation, None) for p in op.positional_parameters]
    params = [_parameter(p, scope) for p in op.keyword_parameters]
    not_given = scope.symbol(S.NOT_GIVEN)
    optional_fields = [
        _line(scope, f.name, t.union([f.type, _NOT_GIVEN]), not_given) for f in op.body_fields
    ]
    required_fields = [
        _line(scope, f.name, f.type, None) if f.required else line
        for f, line in zip(op.body_fields, optional_fields, strict=True)
    ]
    switch = op.stream_switch if polling is None else None
    chosen: dict[str, list[str]] = {"stream": required_fields, "answer": required_fields}
    if switch is not None:
        answer = t.union([t.LiteralType((False,), guarded=False), _NOT_GIVEN])
        for form, line in (
            ("stream", _line(scope, switch[0], t.LiteralType((True,), guarded=False), None)),
            ("answer", _line(scope, switch[0], answer, not_given)),
        ):
            chosen[form] = [
                line if f.name == switch[0] else text
                for f, text in zip(op.body_fields, required_fields, strict=True)
            ]
    tail = _fixed_tail(op, scope)
    if polling is not None:
        tail.append("        polling_interval: float | None = None,")
    body: list[str] = []
    if op.body is not None:
        optional = not op.body.required or bool(op.body_fields)
        body.append(_line(scope, "body", op.body_parameter_type, "None" if optional else None))
    paged = op.pagination is not None
    # (a page's is its page type)
    returned = None if paged else (op.returns(False), op.returns(True))
    text = op.page_docstring if paged else op.docstring
    if polling is not None:
        returned = (polling.poller_type(False), polling.poller_type(True))
        text = polling.docstring(op.docstring)
    pages = (op.page_type(False), op.page_type(True)) if paged else None
    return MethodText(
        positional=_lines(positional),
        keywords=_lines([*params, *optional_fields, *body, *tail]),
        field_keywords=_lines([*params, *required_fields, *tail]),
        stream_keywords=_lines([*params, *chosen["stream"], *tail]),
        answer_keywords=_lines([*params, *chosen["answer"], *tail]),
        stream_returns="" if switch is None else _returns(switch[1], scope),
        answer_returns="" if switch is None else _returns(switch[2], scope),
        async_stream_returns="" if switch is None else _returns(async_result(switch[1]), scope),
        async_answer_returns="" if switch is None else _returns(async_result(switch[2]), scope),
        body_keywords=_lines(
            [*params, _line(scope, "body", op.body.accepts, None), *tail] if op.body else []
        ),
        bare_keywords=_lines([*params, _line(scope, "body", t.NONE, "None"), *tail]),
        call=_call(op, scope, 20 if paged or polling else 16),
        returns="" if returned is None else _returns(returned[0], scope),
        returns_literal="" if returned is None else literal(returned[0].render(scope)),
        async_returns="" if returned is None else _returns(returned[1], scope),
        async_returns_literal="" if returned is None else literal(returned[1].render(scope)),
        docstring=docstring(text, 8),
        sync_page="" if pages is None else _returns(pages[0], scope),
        async_page="" if pages is None else _returns(pages[1], scope),
        sync_page_literal="" if pages is None else literal(pages[0].render(scope)),
        async_page_literal="" if pages is None else literal(pages[1].render(scope)),
        raw_sync=_raw_assignment(op.name, scope.symbol(S.TO_RAW)),
        raw_async=_raw_assignment(op.name, scope.symbol(S.ASYNC_TO_RAW)),
        styles=layout.tuple_rows(
            "styles=", [[literal(v) for v in row] for row in op.parameter_styles], 8, ","
        ),
        reserved=layout.tuple_rows(
            "reserved=", [[literal(v) for v in row] for row in op.reserved_parameters], 8, ","
        ),
        # (without `| None`: a None is never checked, and pyright refuses `Annotated[…] | None`
        # as a value, 460 errors in Stripe's package: typing audit 22)
        parameter_checks=type_layout.tuple_entries(
            "parameters=",
            [
                ([literal(p.location), literal(p.wire_name)], t.without_none(p.type))
                for p in op.parameters
            ],
            runtime or scope,
        ),
    )


def _returns(node: t.TypeNode, scope: Scope) -> str:
    """A method's `) -> TYPE:` line at 4 spaces, the type split at its brackets as black
    splits a long one."""
    return type_layout.statement(") -> ", node, scope, 4, ":")


def _raw_assignment(name: str, wrapper: str) -> str:
    """`self.NAME = wrapper(raw.NAME)` in the raw view's `__init__`, as black splits it."""
    return layout.prefixed_call(f"self.{name} = ", wrapper, [f"raw.{name}"], 8)


def _fixed_tail(op: Operation, scope: Scope) -> list[str]:
    """`content_type=`, `stream=`, `extra_headers=`, `extra_query=`, `extra_body=`,
    `idempotency_key=`, `timeout=`."""
    lines = []
    if op.body is not None and op.body.content_types:
        lines.append(_line(scope, "content_type", op.body.content_type_choice, "None"))
    if op.binary_success:
        lines.append("        stream: bool = False,")
    mapping, any_ = scope.symbol(S.MAPPING), scope.symbol(S.ANY)
    lines.append(f"        extra_headers: {mapping}[str, str] | None = None,")
    lines.append(f"        extra_query: {mapping}[str, {any_}] | None = None,")
    lines.append(f"        extra_body: {mapping}[str, {any_}] | None = None,")
    if op.takes_idempotency_key:
        lines.append("        idempotency_key: str | None = None,")
    not_given = scope.symbol(S.NOT_GIVEN_TYPE)
    lines.append(
        f"        timeout: float | httpx.Timeout | {not_given} | None = {scope.symbol(S.NOT_GIVEN)},"
    )
    return lines


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _parameter(p: Parameter, scope: Scope) -> str:
    default = None if p.required or p.default is None else p.default.render(scope)
    return _line(scope, p.name, p.annotation, default)


def _line(scope: Scope, name: str, node: t.TypeNode, default: str | None) -> str:
    prefix = f"{name}: "
    if default is None:
        return type_layout.enclosed(prefix, node, scope, 8, ",")
    members = node.rendered_members(scope) if isinstance(node, t.Union) else None
    line = layout.parameter(name, node.render(scope), default, members=members)
    # a long union (`list[X] | NotGiven | None = NOT_GIVEN`): black puts it in parentheses,
    # on a line of its own when it fits there, else one member a line
    too_long = any(len(text) > LINE_LENGTH for text in line.splitlines())
    if not too_long or not members or len(members) < 2:
        return line
    laid = type_layout.enclosed_lines(prefix, node, scope, 8, f" = {default},")
    return line if laid is None else "\n".join(laid)


def _call(op: Operation, scope: Scope, indent: int) -> str:
    """The request's argument lines: parameters by location, the body, the fixed ones."""
    pad = " " * indent
    text = "".join(
        _wire(keyword, parameters, indent)
        for keyword, parameters in (
            ("path", op.path_parameters),
            ("query", op.query_parameters),
            ("headers", op.header_parameters),
            ("cookies", op.cookie_parameters),
        )
    )
    if op.body is not None:
        text += _body(op.body_fields, op.body.required, scope, indent) if op.body_fields else ""
        text += "" if op.body_fields else f"{pad}body=body,\n"
        if op.body.content_types:
            text += f"{pad}content_type=content_type,\n"
    if op.binary_success:
        text += f"{pad}stream=stream,\n"
    text += f"{pad}extra_headers=extra_headers,\n"
    text += f"{pad}extra_query=extra_query,\n"
    text += f"{pad}extra_body=extra_body,\n"
    if op.takes_idempotency_key:
        text += f"{pad}idempotency_key=idempotency_key,\n"
    return text + f"{pad}timeout=timeout,\n"


def _wire(keyword: str, parameters: tuple[Parameter, ...], indent: int) -> str:
    """`keyword={wire name: argument, …},` over lines, as the call writes it."""
    if not parameters:
        return ""
    pad = " " * indent
    items = "".join(f"{pad}    {literal(p.wire_name)}: {p.name},\n" for p in parameters)
    return f"{pad}{keyword}={{\n{items}{pad}}},\n"


def _body(fields: tuple[BodyField, ...], required: bool, scope: Scope, indent: int) -> str:
    """`body=request_body(body, {wire name: argument, …}, required),` over lines."""
    pad = " " * indent
    items = "".join(f"{pad}        {literal(f.alias)}: {f.name},\n" for f in fields)
    return (
        f"{pad}body={scope.symbol(S.REQUEST_BODY)}(\n"
        f"{pad}    body,\n{pad}    {{\n{items}{pad}    }},\n{pad}    {required},\n{pad}),\n"
    )
