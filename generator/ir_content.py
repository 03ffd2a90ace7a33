"""Stage 3 data: request bodies, responses and their media types, webhooks (see ir_media,
ir_bodies and ir_webhooks for how they are decided). Part of the IR: `ir` re-exports them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .typeir import S, TypeNode

# what the async client returns where the sync client returns a `BinaryResponse` or a
# `Stream[T]`: the types whose methods it can run (`aread`, `async for`)
ASYNC_RESULTS = {S.BINARY_RESPONSE: S.ASYNC_BINARY_RESPONSE, S.STREAM: S.ASYNC_STREAM}


def async_result(node: TypeNode) -> TypeNode:
    """What the async client's method returns where the sync client's returns `node`."""
    return t.with_symbols(node, ASYNC_RESULTS)


def received_as_is(method: str, status: str, beside_body: bool) -> bool:
    """Does a success response declared without content return what arrives, typed `Any`
    (the runtime returns a body the spec leaves out as received: JSON as data, text, else a
    `BinaryResponse`)? Not a 204, 205 or 304, nor a HEAD's answer, which carry none; nor,
    but for a GET's, one `beside_body` (beside a success that declares content: Azure's
    202 beside its 200 model keeps the method `Model | None`)."""
    if method.upper() == "HEAD" or status in ("204", "205", "304"):
        return False
    return method.upper() == "GET" or not beside_body


@dataclass(frozen=True)
class ResponseMedia:
    """One media type a response may come in, and how it is parsed (see ir_media)."""

    media_type: str
    parse: str  # "json" | "any" | "text" | "binary" | "sse" | "sse-event" | "jsonl"
    # json: the body; sse: an event's data (None: text); sse-event (OpenAPI 3.2 itemSchema):
    # an event; jsonl: one item; else None
    type: TypeNode | None
    # the preferred JSON body's schema again in another form (Vonage's `application/xml`
    # beside its JSON, ASP.NET's `text/plain`): not in the method's type (UX audit 13) nor
    # asked for (`Accept`), nor one the runtime picks: an answer in it is off the spec,
    # refused under `strict_response_validation`, else returned as received with the
    # lenient warning (hostile audit 16)
    restated: bool = False

    @property
    def returns(self) -> TypeNode:
        """What a sync client's method returns for a body of this media type (the async
        client's: `async_result`)."""
        if self.parse in ("json", "any"):
            return self.type or t.ANY
        if self.parse == "text":
            return t.STR
        if self.parse == "sse":
            event = t.Subscript(S.SERVER_SENT_EVENT, (self.type or t.STR,))
            return t.Subscript(S.STREAM, (event,))
        if self.parse in ("jsonl", "sse-event"):
            return t.Subscript(S.STREAM, (self.type or t.ANY,))
        return t.Named(S.BINARY_RESPONSE)

    @property
    def streamed(self) -> bool:
        """True for sequential media types: the body is never read whole."""
        return self.parse in ("sse", "sse-event", "jsonl")


@dataclass(frozen=True)
class PartEncoding:
    """The spec's `encoding` of one property of a form or multipart body."""

    name: str  # the property's wire name
    content_type: str | None
    headers: tuple[tuple[str, str], ...]  # (name, value) fixed by the header's schema
    style: str | None
    explode: bool | None

    def as_data(self) -> dict[str, Any]:
        """The runtime's view: the spec's keys, only those given."""
        data: dict[str, Any] = {}
        if self.content_type is not None:
            data["contentType"] = self.content_type
        if self.headers:
            data["headers"] = dict(self.headers)
        if self.style is not None:
            data["style"] = self.style
        if self.explode is not None:
            data["explode"] = self.explode
        return data


@dataclass(frozen=True)
class Webhook:
    """One webhook or callback the package parses (`<package>.webhooks.parse`)."""

    name: str  # the spec's webhook name, or `<operationId>.<callback>` (+ ` METHOD`)
    method: str
    type: TypeNode  # the payload's type
    signature: tuple[tuple[str, Any], ...] | None  # the x-webhook-signature, checked
    description: str

    @property
    def signature_data(self) -> dict[str, Any] | None:
        """The signature declaration as the runtime reads it."""
        return None if self.signature is None else dict(self.signature)


def open_choice(choices: Iterable[tuple[str, str]]) -> bool:
    """Is one of a body's (media type, encoding) a wildcard sent as raw bytes or text
    (`image/*`, `*/*` of `format: binary`), whose `Content-Type` the caller may choose?"""
    return any("*" in media and encoding in ("binary", "text") for media, encoding in choices)


@dataclass(frozen=True)
class RequestBody:
    """The request body of an operation."""

    accepts: TypeNode  # what `body=` accepts
    type: TypeNode  # the type the body is validated into
    content_type: str
    encoding: str  # "json" | "form" | "multipart" | "text" | "binary"
    required: bool
    description: str
    # (media type, encoding) the caller may choose per call (`content_type=`), when the spec
    # gives several for the same schema; the first is the default
    content_types: tuple[tuple[str, str], ...] = ()
    # (media type, the `encoding` of its properties) of form and multipart media types
    encodings: tuple[tuple[str, tuple[PartEncoding, ...]], ...] = ()
    # (media type, type) of the media types whose body has another type than `type`
    variant_types: tuple[tuple[str, TypeNode], ...] = ()
    example: str | None = None  # the default media type's example, as JSON text

    def type_nodes(self) -> list[TypeNode]:
        """Every type the body names."""
        return [self.accepts, self.type, *(node for _, node in self.variant_types)]

    @property
    def uploads(self) -> bool:
        """True when a media type of the body is multipart or raw bytes."""
        encodings = [e for _, e in self.content_types] or [self.encoding]
        return any(e in ("multipart", "binary") for e in encodings)

    @property
    def encoding_data(self) -> dict[str, dict[str, dict[str, Any]]]:
        """`OperationInfo.encodings`: media type → property → its encoding."""
        return {media: {p.name: p.as_data() for p in parts} for media, parts in self.encodings}

    @property
    def content_type_choice(self) -> TypeNode:
        """The type of the `content_type=` argument: one of the media types, or None; any
        text where one is a wildcard of raw bytes or text (`image/*`: `image/jpeg`)."""
        if open_choice(self.content_types):
            return t.optional(t.STR)
        return t.optional(t.LiteralType(tuple(m for m, _ in self.content_types)))


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: str  # "200", "4XX", "default"
    description: str
    type: TypeNode | None  # parsed type (of the preferred media type), None: nothing to parse
    content_type: str | None
    parse: str  # "json" | "text" | "binary" | "sse" | "jsonl" | "none"
    examples: tuple[tuple[str, str], ...] = ()  # (name, the example value as JSON text)
    # the other media types the response may come in (the runtime picks by Content-Type)
    alternatives: tuple[ResponseMedia, ...] = ()
    # what the test kit answers by default when the response has no example that parses as
    # its type (JSON text): the schemas' examples, else values synthesised from the type
    # (`examples.response_fallback`)
    fallback: str | None = None
    # (media type, JSON text of its items) of the other media types that are streams: what
    # the test kit answers a request that asks for them (`Accept: text/event-stream`; the
    # JSON answer's example came as an event, a chunk it will never be; media audit 9)
    stream_fallbacks: tuple[tuple[str, str], ...] = ()

    @property
    def media(self) -> tuple[ResponseMedia, ...]:
        """Every media type of the response, the preferred one first."""
        if self.content_type is None:
            return ()
        return (ResponseMedia(self.content_type, self.parse, self.type), *self.alternatives)

    @property
    def returns(self) -> TypeNode | None:
        """What a method returns for this response (a union over its media types but those
        restating the JSON body in another form), or None when it has no body."""
        media = [m for m in self.media if not m.restated]
        return t.union([m.returns for m in media]) if media else None

    def type_nodes(self) -> list[TypeNode]:
        """The types the response's parsing and return name."""
        nodes = [m.type for m in self.media if m.type is not None]
        returns = self.returns
        return [*nodes, returns] if returns is not None else nodes
