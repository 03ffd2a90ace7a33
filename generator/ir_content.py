"""Stage 3 data: how bodies of each media type are sent and received (see ir_media for how
they are decided). Part of the IR: `ir` re-exports both classes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .typeir import S, TypeNode


@dataclass(frozen=True)
class ResponseMedia:
    """One media type a response may come in, and how it is parsed (see ir_media)."""

    media_type: str
    parse: str  # "json" | "text" | "binary" | "sse" | "sse-event" | "jsonl"
    # json: the body; sse: an event's data (None: text); sse-event (OpenAPI 3.2 itemSchema):
    # an event; jsonl: one item; else None
    type: TypeNode | None

    @property
    def returns(self) -> TypeNode:
        """What a method returns for a body of this media type."""
        if self.parse == "json":
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
