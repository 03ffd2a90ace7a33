"""Stage 3 data: the intermediate representation the templates see (and nothing else).

Frozen dataclasses holding final decisions: Python names, type expressions,
default literals. Spec text (descriptions, titles) is carried raw and escaped by
the template filters; everything that becomes code (names, annotations,
literals) is already safe here. The models (`Model`, `ModelField`, `EnumMember`,
`Default`) live in `ir_models`, a list's `Pagination` in `ir_page`, both re-exported
here; the operations, the client's credentials and servers, and the `Api` that holds
everything are below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import typeir as t
from .ir_content import (
    PartEncoding,
    RequestBody,
    Response,
    ResponseMedia,
    Webhook,
    async_result,
)
from .ir_docs import operation_docstring
from .ir_models import Default, EnumMember, Model, ModelField
from .ir_page import Pagination
from .ir_polling import Polling
from .naming import environment_variable
from .tags import Tag
from .typeir import S, TypeNode

if TYPE_CHECKING:
    from .ir_resources import Resource
    from .ir_servers import ClientParameter, ServerVariable
    from .readme import ReadmeCode

__all__ = [
    "Api",
    "BodyField",
    "Default",
    "EnumMember",
    "Model",
    "ModelField",
    "Operation",
    "Pagination",
    "Parameter",
    "PartEncoding",
    "RequestBody",
    "Response",
    "ResponseMedia",
    "SecurityScheme",
    "Server",
    "Tag",
    "Webhook",
]


@dataclass(frozen=True)
class Parameter:
    """One operation parameter, as a keyword argument of the generated method."""

    name: str  # Python argument name
    wire_name: str
    location: str  # "path" | "query" | "header" | "cookie"
    type: TypeNode  # `| None` included when optional
    required: bool
    default: t.Lit | t.MemberRef | None  # the default when optional (`None` → not sent)
    description: str
    explode: bool = True
    style: str = "form"  # OpenAPI's style; "json" for `content: {application/json: …}`
    request_id: bool = False  # a request/correlation id header the client fills when absent
    # sent with RFC 3986's reserved characters as they are: a query parameter's
    # `allowReserved`, a path parameter's `x-ms-skip-url-encoding` (Azure's `{scope}`,
    # `subscriptions/…/resourceGroups/…`: its `/`s stay separators)
    allow_reserved: bool = False
    example: str | None = None  # the parameter's (or its schema's) example, as JSON text
    # what the argument's annotation says where validating it accepts more than `type`
    # spells (an enum's values, a string for a UUID: `ir_signatures.signature`); None: `type`
    argument: TypeNode | None = None
    # an AutoRest client parameter (Azure's `subscriptionId`): a client argument, which the
    # call may override (`Api.client_parameters`)
    client: bool = False
    client_required: bool = False  # a client parameter the spec requires

    @property
    def annotation(self) -> TypeNode:
        """The argument's annotation in the method's signature."""
        return self.type if self.argument is None else self.argument


@dataclass(frozen=True)
class BodyField:
    """A top-level property of an object request body, as a keyword argument of the method."""

    name: str  # Python argument name (decided in the method's signature scope)
    alias: str  # the property's wire name
    type: TypeNode  # what the argument accepts (`| None` only where the spec allows null)
    required: bool  # the body model requires it
    description: str


@dataclass(frozen=True)
class Operation:
    """One API operation, rendered as a method of its resource class (sync and async)."""

    name: str  # Python method name, unique in its resource
    operation_id: str
    http_method: str  # upper case
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    return_type: TypeNode
    security: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of scheme keys
    deprecated: bool = False
    idempotent: bool = True
    declares_idempotency_key: bool = False  # the spec has an Idempotency-Key header parameter
    pagination: Pagination | None = None
    polling: Polling | None = None  # a long-running operation: its `begin_…` method
    tags: tuple[str, ...] = ()  # the spec's tags, in its order (see `Api.tags` for the tree)
    resource: tuple[str, ...] = ()  # attribute path from the client: ("customers", "sources")
    positional: int = 0  # the first `positional` parameters (path ones) are positional
    body_fields: tuple[BodyField, ...] = ()  # keyword arguments filling an object body
    accept: str = "application/json"  # the Accept header (ir_media.accept_header)
    # the operation's own server (its `servers`, else its path item's), when it is another
    # absolute URL than the document's first: Stripe's uploads go to files.stripe.com
    server: str | None = None
    # (the body's property, its value, the response key) where a success status's body
    # says the call failed, as the spec's error response does (Slack's `ok: false`)
    failure: tuple[str, Any, str] | None = None

    @property
    def binary_success(self) -> bool:
        """True when a success response may be binary: the method takes `stream=` (not for
        one restating the JSON body, Vonage's XML: it is read whole, as received)."""
        media = (m for r in self.success_responses for m in r.media)
        return any(m.parse == "binary" and not m.restated for m in media)

    @property
    def media_choices(self) -> tuple[tuple[str, tuple[ResponseMedia, ...]], ...]:
        """(status, media types) of each response with several media types (the runtime
        picks one by the response's Content-Type). Not those restating the JSON body
        (`ResponseMedia.restated`): an answer in one is off the method's type, refused under
        `strict_response_validation`, else returned as received with the lenient warning."""
        choices = [(r.status, tuple(m for m in r.media if not m.restated)) for r in self.responses]
        return tuple((status, media) for status, media in choices if len(media) > 1)

    def returns(self, asynchronous: bool) -> TypeNode:
        """What the sync (`return_type`) or the async client's method returns, pages aside:
        the async one returns `AsyncBinaryResponse` and `AsyncStream[T]` where the sync one
        returns `BinaryResponse` and `Stream[T]`."""
        return async_result(self.return_type) if asynchronous else self.return_type

    def page_type(self, asynchronous: bool) -> TypeNode:
        """`SyncPage[Item]` / `AsyncPage[Item]` of a paginated operation."""
        assert self.pagination is not None
        symbol = S.ASYNC_PAGE if asynchronous else S.SYNC_PAGE
        return t.Subscript(symbol, (self.pagination.item_type,))

    def cast_target_names(self) -> frozenset[str]:
        """The names the methods' `cast` targets spell (their return types, sync and async,
        their pages' types): mypy reads them in the method's own scope, where no argument
        may take one."""
        nodes = [self.return_type, self.returns(True)]
        if self.pagination is not None:
            nodes += [self.page_type(False), self.page_type(True)]
        if self.polling is not None:
            nodes += [self.polling.poller_type(False), self.polling.poller_type(True)]
        return t.spelled_names(nodes)

    @property
    def info_function(self) -> str:
        """Name of the cached module-level function that builds this operation's `OperationInfo`."""
        return "_op_" + self.name

    @property
    def route_pattern(self) -> str:
        """A regex matching request paths of this operation (used by the test kit)."""
        route, mark, fixed = self.path.partition("?")
        parts = re.split(r"({[^{}]+})", route)
        pattern = "".join(
            "[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
        )
        # a query written into the path (`/rest?method=x`) is sent first, before the others
        query = rf"\?{re.escape(fixed)}(?:&.*)?" if mark else ""
        return f"^(.*?){pattern}{query}$"  # (the server's path, before the operation's)

    @property
    def route_specificity(self) -> int:
        """Literal characters in the path: more specific routes are matched first."""
        return len(re.sub(r"{[^{}]+}", "", self.path))

    @property
    def default_status(self) -> str:
        """The status the test kit answers with: the first 2xx response, else the first one."""
        success = self.success_responses
        statuses = [r.status for r in (success or self.responses)]
        return statuses[0] if statuses else "200"

    @property
    def qualified_name(self) -> str:
        """`customers.sources.list`: how the method is reached from the client."""
        return ".".join((*self.resource, self.name))

    @property
    def body_parameter_type(self) -> TypeNode:
        """What the `body=` argument accepts (`| None` when it may be left out: the body is
        optional, or keyword arguments may give it instead)."""
        if self.body is None:
            return t.NONE
        optional = not self.body.required or bool(self.body_fields)
        return t.optional(self.body.accepts) if optional else self.body.accepts

    @property
    def stream_switch(self) -> tuple[str, TypeNode, TypeNode] | None:
        """(the body field's argument, what a stream returns, what the rest does) where a
        boolean body property `stream` chooses between a stream of events and the JSON
        answer (OpenAI's `create(stream=True)`): the field form is overloaded on it, as
        openai-python's methods are, so that `with ….create(…, stream=True) as events:`
        type-checks (it was the union's `ChatCompletion`, no context manager; media audit).
        Only where the body's required fields make the method overloaded already."""
        if not self.overloaded or self.pagination is not None or self.polling is not None:
            return None
        field = next(
            (
                f
                for f in self.body_fields
                if f.alias == "stream" and not f.required and t.without_none(f.type) == t.BOOL
            ),
            None,
        )
        node = self.return_type
        members = node.members if isinstance(node, t.Union) else (node,)
        streams = [m for m in members if isinstance(m, t.Subscript) and m.symbol == S.STREAM]
        rest = [m for m in members if m not in streams]
        if field is None or not streams or not rest:
            return None
        return field.name, t.union(streams), t.union(rest)

    @property
    def overloaded(self) -> bool:
        """True when the method has typed forms: the body's required fields as required
        keyword arguments, or a whole `body=` (a body with required fields), and no body
        at all where the spec does not require one (`bodiless`)."""
        return self.body is not None and any(f.required for f in self.body_fields)

    @property
    def bodiless(self) -> bool:
        """True when an overloaded method has a third form, without a body: the spec does
        not mark the body required (Twilio's and Adyen's never do) though its schema has
        required fields, which the first form then asks for, as the runtime does."""
        return self.overloaded and self.body is not None and not self.body.required

    @property
    def positional_parameters(self) -> tuple[Parameter, ...]:
        """Parameters taken by position (the path's, in path order), before `*`."""
        return self.parameters[: self.positional]

    @property
    def keyword_parameters(self) -> tuple[Parameter, ...]:
        """Parameters taken by keyword only."""
        return self.parameters[self.positional :]

    def type_nodes(self) -> list[TypeNode]:
        """Every type the operation's code names."""
        nodes = [node for p in self.parameters for node in (p.type, p.annotation)]
        # what the responses are parsed as (`OperationInfo`); what the method returns is its
        # return type, or its pages' (an error's or a page's other media types return nothing:
        # a `BinaryResponse` of an XML error was imported for no use, ruff's F401)
        nodes.extend(m.type for r in self.responses for m in r.media if m.type is not None)
        if self.body is not None:
            nodes.extend(self.body.type_nodes())
            if self.body.content_types:
                nodes.append(self.body.content_type_choice)
        nodes.extend(f.type for f in self.body_fields)
        if self.stream_switch is not None:  # (its overloads' `Literal[True]`)
            nodes.append(t.LiteralType((True,), guarded=False))
        if self.pagination is None:
            nodes.extend((self.return_type, self.returns(True)))
        else:
            nodes.extend((self.page_type(False), self.page_type(True)))
        if self.polling is not None:
            nodes.extend((self.polling.poller_type(False), self.polling.poller_type(True)))
        return nodes

    def _located(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        """Parameters sent in the query string."""
        return self._located("query")

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        """Parameters sent as headers."""
        return self._located("header")

    @property
    def cookie_parameters(self) -> tuple[Parameter, ...]:
        """Parameters sent as cookies."""
        return self._located("cookie")

    @property
    def request_id_headers(self) -> tuple[str, ...]:
        """Header names the client fills with a fresh UUID when the caller gives none."""
        return tuple(p.wire_name for p in self.parameters if p.request_id)

    @property
    def takes_idempotency_key(self) -> bool:
        """Does the method add the runtime's `idempotency_key` argument (non-idempotent methods
        whose spec does not declare the header itself)?"""
        return not self.idempotent and not self.declares_idempotency_key

    @property
    def client_parameters(self) -> tuple[tuple[str, str, bool], ...]:
        """(location, wire name, required) of the parameters the client gives unless the
        call does."""
        return tuple(
            (p.location, p.wire_name, p.client_required) for p in self.parameters if p.client
        )

    @property
    def reserved_parameters(self) -> tuple[tuple[str, str], ...]:
        """(location, wire name) of the parameters sent with reserved characters as they
        are (`Parameter.allow_reserved`)."""
        return tuple((p.location, p.wire_name) for p in self.parameters if p.allow_reserved)

    @property
    def required_parameters(self) -> tuple[tuple[str, str], ...]:
        """(location, wire name) of the required parameters besides the path's (always
        required) that a call must give: not a client parameter's (the client's value) nor a
        request id header (the client's own when absent)."""
        return tuple(
            (p.location, p.wire_name)
            for p in self.parameters
            if p.required and p.location != "path" and not p.client and not p.request_id
        )

    @property
    def parameter_styles(self) -> tuple[tuple[str, str, str, bool], ...]:
        """(location, wire name, style, explode) of each parameter not serialised the default
        way for its location (`form` exploded for query and cookie, `simple` otherwise)."""
        styled: list[tuple[str, str, str, bool]] = []
        for p in self.parameters:
            default = ("form", True) if p.location in ("query", "cookie") else ("simple", False)
            if (p.style, p.explode) != default:
                styled.append((p.location, p.wire_name, p.style, p.explode))
        return tuple(styled)

    @property
    def docstring(self) -> str:
        """The method docstring: summary, description, arguments, return value, errors."""
        return operation_docstring(self)

    @property
    def page_function(self) -> str:
        """Name of the cached module-level function that builds this operation's `PageInfo`."""
        return "_page_" + self.name

    @property
    def page_docstring(self) -> str:
        """Docstring of a paginated method: the operation's, plus how to page."""
        return (
            self.docstring
            + "\n\nPaginated: returns the first page, fetched when first used (`await` it\n"
            + "on the async client). Iterating it (`for` / `async for`) yields every item\n"
            + "of every page; `.items`, `.has_next_page()`, `.next_page()` and\n"
            + "`.raw_response` work page by page."
        )

    @property
    def success_responses(self) -> tuple[Response, ...]:
        """The 2xx responses, in status order."""
        return tuple(r for r in self.responses if r.status.startswith("2"))

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        """Parameters that fill the path template."""
        return tuple(p for p in self.parameters if p.location == "path")


@dataclass(frozen=True)
class SecurityScheme:
    """A credential the client accepts: its constructor argument and how it is sent."""

    key: str  # the spec's scheme name
    argument: str  # Python constructor argument name
    kind: str  # "bearer" | "basic" | "api_key" | "oauth2" | "http" (another HTTP scheme)
    location: str  # "header" | "query" | "cookie"
    wire_name: str  # header / query / cookie name
    description: str
    token_url: str | None = None  # OAuth2 client-credentials token endpoint
    # an "http" scheme's name as the spec spells it (`OAuth`, `Negotiate`): the word of
    # its `Authorization` header, whose value the SDK cannot compute (a signature)
    http_scheme: str = ""

    @property
    def env_var_read(self) -> bool:
        """Is the credential read from an environment variable when not given? Not that
        of another HTTP scheme: a fixed value cannot be a per-request signature."""
        return self.kind != "http"


@dataclass(frozen=True)
class Server:
    """A server URL with its variables' defaults applied."""

    url: str
    description: str


@dataclass(frozen=True)
class Api:
    """Everything the templates need to render one package."""

    package_name: str
    distribution_name: str
    title: str
    version: str
    description: str
    spec_file: str
    generator_version: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    models: tuple[Model, ...]
    operations: tuple[Operation, ...]
    tags: tuple[Tag, ...] = ()  # declared tags, in document order, with their hierarchy (3.2)
    readme: ReadmeCode | None = None  # the README's code (`readme.readme_code`)
    modules: tuple[Any, ...] = ()  # ir_modules.ModelModule, in file order
    client_name: str = "Client"  # the sync client class (naming.client_class_names)
    async_client_name: str = "AsyncClient"
    package_version: str = ""  # decided by `release` from info.version and the API diff
    resources: tuple[Resource, ...] = ()  # the client's resources (each holds its children)
    webhooks: tuple[Webhook, ...] = ()  # webhooks and callbacks (`<package>/webhooks.py`)
    # the clients' default `strict_response_validation` (configuration: `strict-responses`)
    strict_responses: bool = False
    # the security requirement of calls to undocumented endpoints (`client.get(path)`…)
    security: tuple[tuple[str, ...], ...] = ()
    # the first server's URL with its variables in braces, and the variables the clients
    # take as arguments (`ir_servers`)
    server_template: str = ""
    server_variables: tuple[ServerVariable, ...] = ()
    # the domain of tenants' hosts where the first server's host begins with a variable
    # (`myshopify.com`): another host there gets no credentials (`ir_document.tenant_domain`)
    tenant_domain: str = ""
    # a `mutualTLS` scheme is declared: the client certificate is the http client's (README)
    mutual_tls: bool = False
    # AutoRest's client parameters (`subscription_id`): client arguments (`ir_servers`)
    client_parameters: tuple[ClientParameter, ...] = ()

    @property
    def webhook_event_type(self) -> TypeNode:
        """What `webhooks.parse` returns: any webhook's payload type."""
        return t.union([w.type for w in self.webhooks])

    @property
    def client_aliases(self) -> bool:
        """True when the clients are renamed: `Client`/`AsyncClient` then alias them."""
        return self.client_name != "Client"

    @property
    def all_resources(self) -> tuple[Resource, ...]:
        """Every resource, parents before their children, in document order."""
        found: list[Resource] = []
        stack = list(reversed(self.resources))
        while stack:
            resource = stack.pop()
            found.append(resource)
            stack.extend(reversed(resource.children))
        return tuple(found)

    def env_var(self, argument: str) -> str:
        """The environment variable the clients read `argument` from when not given
        (`naming.environment_variable`: `<PACKAGE>_<ARGUMENT>`)."""
        return environment_variable(self.package_name, argument)

    @property
    def paginated(self) -> bool:
        """True when some operation pages (the package then ships `_pagination.py`)."""
        return any(op.pagination is not None for op in self.operations)

    @property
    def polls(self) -> bool:
        """True when some operation is long-running (the package then ships `_polling.py`)."""
        return any(op.polling is not None for op in self.operations)

    @property
    def version_pep440(self) -> str:
        """The package's version (`release`), else the spec's version normalised to PEP 440
        (`v1.0` → `1.0`), else 0.0.0."""
        from .distribution import pep440_version

        return self.package_version or pep440_version(self.version)[0]

    @property
    def default_base_url(self) -> str:
        """The first server's URL, or an empty string when the spec names none."""
        return self.servers[0].url if self.servers else ""

    @property
    def routes(self) -> tuple[Operation, ...]:
        """Operations ordered for route matching: most specific path first."""
        return tuple(sorted(self.operations, key=lambda op: -op.route_specificity))

    @property
    def downloads(self) -> tuple[Operation, ...]:
        """Operations that may return a `BinaryResponse` (they take `stream=`)."""
        return tuple(op for op in self.operations if op.binary_success)

    @property
    def uploads(self) -> tuple[Operation, ...]:
        """Operations that send a file: a raw body, or a multipart one with a file field (a
        multipart body of text fields only, Stripe's `files.create` among them, is not)."""
        return tuple(op for op in self.operations if self._sends_files(op))

    def _sends_files(self, op: Operation) -> bool:
        body = op.body
        if body is None or not body.uploads:
            return False
        if "binary" in ([e for _, e in body.content_types] or [body.encoding]):
            return True
        by_name = {model.name: model for model in self.models}
        pending, seen = list(body.type_nodes()), set[str]()
        while pending:  # the body's types, and the fields of the models they name
            found = t.symbols_of(pending)
            if S.FILE_INPUT in found or S.BINARY_CONTENT in found:
                return True
            names = t.models_of(pending) - seen
            seen |= names
            pending = [
                node for name in names if name in by_name for node in by_name[name].type_nodes()
            ]
        return False

    @property
    def streaming(self) -> tuple[Operation, ...]:
        """Operations that return a `Stream` of events or items."""
        return tuple(
            op
            for op in self.operations
            if any(m.streamed for r in op.success_responses for m in r.media)
        )

    @property
    def oauth2_schemes(self) -> tuple[SecurityScheme, ...]:
        """Schemes with an OAuth2 client-credentials token endpoint."""
        return tuple(s for s in self.security_schemes if s.token_url)
