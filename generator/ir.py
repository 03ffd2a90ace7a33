"""Stage 3 data: the intermediate representation the templates see (and nothing else).

Frozen dataclasses holding final decisions: Python names, type expressions,
default literals. Spec text (descriptions, titles) is carried raw and escaped by
the template filters; everything that becomes code (names, annotations,
literals) is already safe here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .literals import string_literal


@dataclass(frozen=True)
class ModelField:
    """One attribute of a generated pydantic model."""

    name: str  # Python attribute name
    alias: str  # the spec's property name (wire name)
    annotation: str  # full type expression, `| None` included when it may be None
    default: str | None  # Python source of the default; None means required
    description: str
    read_only: bool = False
    write_only: bool = False
    secret: bool = False
    deprecated: bool = False

    @property
    def required(self) -> bool:
        """True when the field has no default."""
        return self.default is None

    @property
    def value(self) -> str | None:
        """What is assigned after the annotation: `None`, `Field(...)`, or nothing (None)."""
        arguments = []
        if self.default is not None and (self.default != "None" or self.alias != self.name):
            arguments.append(f"default={self.default}")
        if self.alias != self.name:
            arguments.append(f"alias={string_literal(self.alias)}")
        if self.deprecated:
            arguments.append("deprecated=True")
        if arguments:
            return f"Field({', '.join(arguments)})"
        return "None" if self.default == "None" else None

    @property
    def docstring(self) -> str:
        """The attribute docstring: the spec's description plus what the field is."""
        notes = []
        if self.read_only:
            notes.append("Read-only: set by the server, never sent in requests.")
        if self.write_only:
            notes.append("Write-only: sent in requests, never returned.")
        if self.secret:
            notes.append("Secret: masked in repr, str and logs.")
        return "\n\n".join([t for t in (self.description, " ".join(notes)) if t])


@dataclass(frozen=True)
class EnumMember:
    """One member of a generated enum: its Python name and its value literal."""

    name: str
    literal: str


@dataclass(frozen=True)
class Model:
    """A generated type: a pydantic model (`object`), an enum, or a type alias."""

    name: str
    kind: str  # "object" | "enum" | "alias" | "root"
    description: str
    source: str  # JSON pointer of the schema it comes from
    fields: tuple[ModelField, ...] = ()
    bases: tuple[str, ...] = ()
    extra: str = "allow"  # "allow" | "forbid"
    extra_annotation: str | None = None  # value type of typed additionalProperties
    enum_base: str = "str"
    members: tuple[EnumMember, ...] = ()
    annotation: str = ""  # alias / root models: the aliased type
    read_only_fields: tuple[str, ...] = ()
    dependent_required: tuple[tuple[str, tuple[str, ...]], ...] = ()
    depends_on: tuple[str, ...] = ()
    required_one_of: tuple[tuple[str, ...], ...] = ()  # exactly one set must be fully given
    required_any_of: tuple[tuple[str, ...], ...] = ()  # at least one set must be fully given

    @property
    def docstring(self) -> str:
        """The class docstring: the spec's description, or what the class stands for."""
        return self.description or f"The `{self.source.rsplit('/', 1)[-1]}` schema."

    @property
    def base_names(self) -> list[str]:
        """The class's bases, as source text each."""
        if self.kind == "root":
            return ["RootModel[Any]"]
        return list(self.bases) if self.bases else ["ApiModel"]


@dataclass(frozen=True)
class Parameter:
    """One operation parameter, as a keyword argument of the generated method."""

    name: str  # Python argument name
    wire_name: str
    location: str  # "path" | "query" | "header" | "cookie"
    annotation: str  # without `| None`
    required: bool
    default: str | None  # Python source of the default when optional (None → not sent)
    description: str
    explode: bool = True
    style: str = "form"
    request_id: bool = False  # a request/correlation id header the client fills when absent


@dataclass(frozen=True)
class RequestBody:
    """The request body of an operation."""

    annotation: str  # what `body=` accepts
    model: str  # the type the body is validated into
    content_type: str
    encoding: str  # "json" | "form" | "multipart" | "text" | "binary"
    required: bool
    description: str


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: str  # "200", "4XX", "default"
    description: str
    annotation: str | None  # parsed type, None when there is no body to parse
    content_type: str | None
    parse: str  # "json" | "text" | "binary" | "none"
    examples: tuple[tuple[str, str], ...] = ()  # (name, the example value as JSON text)


@dataclass(frozen=True)
class Operation:
    """One API operation, rendered as a method on `Client` and `AsyncClient`."""

    name: str  # Python method name
    operation_id: str
    http_method: str  # upper case
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    return_annotation: str
    security: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of scheme keys
    deprecated: bool = False
    idempotent: bool = True

    @property
    def info_function(self) -> str:
        """Name of the cached module-level function that builds this operation's `OperationInfo`."""
        return "_op_" + self.name

    @property
    def route_pattern(self) -> str:
        """A regex matching request paths of this operation (used by the test kit)."""
        parts = re.split(r"({[^{}]+})", self.path)
        pattern = "".join(
            "[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
        )
        return f"^(?:.*?){pattern}$"

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
    def raw_return_annotation(self) -> str:
        """Return type of the raw-response variant."""
        return f"RawResponse[{self.return_annotation}]"

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
    def unexploded_query(self) -> tuple[str, ...]:
        """Query parameters whose arrays are comma-joined (`explode: false`)."""
        return tuple(p.wire_name for p in self.query_parameters if not p.explode)

    @property
    def deep_object_query(self) -> tuple[str, ...]:
        """Query parameters serialised as `name[key]=value`."""
        return tuple(p.wire_name for p in self.query_parameters if p.style == "deepObject")

    @property
    def docstring(self) -> str:
        """The method docstring: summary, description, arguments, return value, errors."""
        parts = [t for t in (self.summary, self.description) if t]
        if not parts:
            parts.append(f"{self.http_method} {self.path}")
        args = [f"{p.name}: {p.description or p.wire_name} ({p.location})" for p in self.parameters]
        if self.body is not None:
            args.append(f"body: {self.body.description or 'The request body.'}")
        args.append("extra_headers: Headers to add to the request.")
        if not self.idempotent:
            args.append("idempotency_key: Sent as `Idempotency-Key`; makes the call safe to retry.")
        args.append("timeout: Override the client's timeout for this call.")
        parts.append("Args:\n" + "\n".join("    " + a for a in args))
        returns = [f"{r.status}: {r.description}" for r in self.success_responses if r.description]
        if returns:
            parts.append("Returns:\n" + "\n".join("    " + r for r in returns))
        raises = [
            f"{r.status}: {r.description}" for r in self.responses if not r.status.startswith("2")
        ]
        if raises:
            parts.append(
                "Raises:\n    APIStatusError (subclass by status) for:\n"
                + "\n".join("        " + r for r in raises)
            )
        return "\n\n".join(parts)

    @property
    def raw_docstring(self) -> str:
        """Docstring of the raw-response variant."""
        return f"`{self.name}`, returning the `RawResponse`: status code, headers and parsed body."

    @property
    def success_responses(self) -> tuple[Response, ...]:
        """The 2xx responses, in status order."""
        return tuple(r for r in self.responses if r.status.startswith("2"))

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        """Parameters that fill the path template."""
        return tuple(p for p in self.parameters if p.location == "path")


# small modules: black is superlinear in file size, and small modules format in parallel
OPERATIONS_PER_MODULE = 10


@dataclass(frozen=True)
class OperationChunk:
    """A group of operations rendered as one `_operations/<name>.py` module of mixins."""

    name: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SecurityScheme:
    """A credential the client accepts: its constructor argument and how it is sent."""

    key: str  # the spec's scheme name
    argument: str  # Python constructor argument name
    kind: str  # "bearer" | "basic" | "api_key" | "oauth2" | "openid"
    location: str  # "header" | "query" | "cookie"
    wire_name: str  # header / query / cookie name
    description: str
    token_url: str | None = None  # OAuth2 client-credentials token endpoint


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
    usage_example: str = ""
    partial_update_example: str = ""
    modules: tuple[Any, ...] = ()  # ir_modules.ModelModule, in file order

    @property
    def version_pep440(self) -> str:
        """The spec's version normalised to PEP 440 (`v1.0` → `1.0`), else 0.0.0."""
        from .distribution import pep440_version

        return pep440_version(self.version)[0]

    @property
    def default_base_url(self) -> str:
        """The first server's URL, or an empty string when the spec names none."""
        return self.servers[0].url if self.servers else ""

    @property
    def operation_chunks(self) -> tuple[OperationChunk, ...]:
        """Operations in groups of `OPERATIONS_PER_MODULE`, one `_operations/` module each."""
        size = OPERATIONS_PER_MODULE
        return tuple(
            OperationChunk(f"part_{index + 1:03d}", self.operations[start : start + size])
            for index, start in enumerate(range(0, len(self.operations), size))
        )

    @property
    def routes(self) -> tuple[Operation, ...]:
        """Operations ordered for route matching: most specific path first."""
        return tuple(sorted(self.operations, key=lambda op: -op.route_specificity))

    @property
    def oauth2_schemes(self) -> tuple[SecurityScheme, ...]:
        """Schemes with an OAuth2 client-credentials token endpoint."""
        return tuple(s for s in self.security_schemes if s.token_url)
