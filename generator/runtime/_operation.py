"""What the spec says about one operation (`OperationInfo`): the data the request loop
works from, one constant per operation in the resource modules.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic_core import ValidationError

from . import _lazy, errors
from ._sentinels import is_class

__all__ = ["STREAM_KINDS", "OperationInfo"]

STREAM_KINDS = ("sse", "sse-event", "jsonl")
"""Parse kinds of a body that is a stream of events or items (left on the connection)."""


@dataclass(frozen=True)
class OperationInfo:
    """What the spec says about one operation: the data the request loop works from."""

    method: str
    path: str
    responses: Mapping[str, tuple[str, Any]]  # status -> (parse kind, type)
    # status -> ((media type, parse kind, type), ...) of responses with several media types
    media: Mapping[str, tuple[tuple[str, str, Any], ...]] = field(default_factory=dict)
    accept: str = "application/json"  # the media types the responses declare, JSON first
    # request media type -> property -> the spec's `encoding` (contentType, headers, style,
    # explode) of form and multipart bodies
    encodings: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    security: tuple[tuple[str, ...], ...] = ()
    body_type: Any = None
    # the spec's `requestBody.required`: `body=None` is refused (JSON `null` where the body's
    # schema allows it), where an optional body given None is left out
    body_required: bool = False
    encoding: str = "json"
    content_type: str | None = None
    # (media type, encoding) a call may choose with `content_type=`, when the spec gives several
    content_types: tuple[tuple[str, str], ...] = ()
    # media type -> body type, for the media types whose body has another type than body_type
    body_types: Mapping[str, Any] = field(default_factory=dict)
    # (location, wire name, type) of every parameter: values are checked before sending
    parameters: tuple[tuple[str, str, Any], ...] = ()
    idempotent: bool = True
    request_id_headers: tuple[str, ...] = ()
    # (location, wire name, style, explode) of parameters not serialised the default way
    styles: tuple[tuple[str, str, str, bool], ...] = ()
    # (location, wire name) of parameters sent with RFC 3986's reserved characters as they
    # are (`allowReserved`; a path's `x-ms-skip-url-encoding`: its `/`s stay separators)
    reserved: tuple[tuple[str, str], ...] = ()
    # (location, wire name) of required parameters but the path's (which all are): a None
    # given for one is refused, not left out
    required: tuple[tuple[str, str], ...] = ()
    # (location, wire name) of AutoRest client parameters (Azure's `subscriptionId`): the
    # client's value unless the call gives one
    client_parameters: tuple[tuple[str, str, bool], ...] = ()  # (location, name, required)
    # the operation's own server (Stripe's uploads: files.stripe.com), used while the
    # client's base URL is the spec's default
    server: str | None = None
    # (property, value, response key) where a success status's body says the call failed as
    # the spec's error response does (Slack's `200 {"ok": false, "error": …}`): an error
    failure: tuple[str, Any, str] | None = None

    @functools.cached_property
    def sends_headers(self) -> bool:
        """Whether the operation has header or cookie parameters (a credential of the same
        name then defers to the call's argument: `argument_wins`)."""
        return any(location in ("header", "cookie") for location, _, _ in self.parameters)

    @functools.cached_property
    def takes_files(self) -> bool:
        """Whether one of the body's media types is raw bytes (a file's name may pick it:
        `media_type_for`)."""
        return any(encoding == "binary" for _, encoding in self.content_types)

    @functools.cached_property
    def may_stream(self) -> bool:
        """Whether a response may be left on the connection (`_lazy._responses.streams_body`): a
        stream of events or items, or binary; most operations have none, and their
        responses are read without looking their status up once more."""
        kinds = {kind for kind, _ in self.responses.values()}
        kinds.update(kind for choices in self.media.values() for _, kind, _ in choices)
        return not kinds.isdisjoint((*STREAM_KINDS, "binary"))

    @functools.cached_property
    def secret_parameters(self) -> frozenset[tuple[str, str]]:
        """(location, wire name) of the parameters typed as secrets (`SecretString`) or named
        as secrets: their values join a request's secrets (redacted from errors and logs)."""
        _lazy.load_request_modules()
        return frozenset(
            (where, name)
            for where, name, kind in self.parameters
            if _lazy._wire.is_secret_parameter(name, kind)
        )

    def as_get(self) -> OperationInfo:
        """This operation fetching a URL it was given (a next-page link, a long-running
        operation's resource) with a GET and no body, its responses read as its own."""
        if self.method == "GET" and self.body_type is None:
            return self
        return replace(
            self,
            method="GET",
            body_type=None,
            encoding="json",
            content_type=None,
            content_types=(),
            body_types={},
            encodings={},
            idempotent=True,
        )

    def as_monitor(self) -> OperationInfo:
        """A GET of a long-running operation's status monitor: any JSON body."""
        return replace(self.as_get(), responses={"2XX": ("json", Any)}, media={})

    def style_of(self, location: str, name: str) -> tuple[str, bool]:
        """How a parameter is serialised: its OpenAPI `style` and `explode`."""
        for where, wire_name, style, explode in self.styles:
            if where == location and wire_name == name:
                return style, explode
        return ("form", True) if location in ("query", "cookie") else ("simple", False)

    def encoded_as(self, content_type: str | None, body: Any = None) -> OperationInfo:
        """This operation with its body sent as `content_type` (one the spec lists); when
        None, as the body given implies (see `media_type_for`), else the default."""
        if content_type is None:
            content_type = self.media_type_for(body)
        if content_type is None or content_type == self.content_type:
            return self
        for media_type, encoding in self.content_types:
            if media_type == content_type:
                body_type = self.body_types.get(media_type, self.body_type)
                return replace(
                    self, content_type=media_type, encoding=encoding, body_type=body_type
                )
        for media_type, encoding in self.content_types:  # a type a wildcard covers
            if "*" in media_type and encoding in ("binary", "text") and _media_type(content_type):
                _lazy.load_request_modules()
                if _lazy._files.media_covers(media_type, content_type):
                    body_type = self.body_types.get(media_type, self.body_type)
                    return replace(
                        self, content_type=content_type, encoding=encoding, body_type=body_type
                    )
        choices = ", ".join(m for m, _ in self.content_types) or str(self.content_type)
        if "*" in choices:
            choices += " (a media type, type/subtype, that a wildcard covers)"
        raise errors.RequestValidationError(f"content_type must be one of: {choices}")

    def media_type_for(self, body: Any) -> str | None:
        """The media type a body given without `content_type=` is sent as, when the spec's
        media types take different bodies: the first whose type the body is (a model of
        it, text for text, bytes, a file or an iterable for raw bytes; for a file, the
        first that takes its name's media type: a GIF went out labelled `image/png`), else
        the first structured one it validates as (past the first, only one whose model
        declares every key of the body: Velo's payout, refused by its JSON model for an
        `amount` of 12.99, went as multipart, whose open object took anything; payments
        audit 21); None (the default, whose errors are then raised) when none fits."""
        if body is None or len(self.content_types) < 2:
            return None
        _lazy.load_request_modules()  # callable before any request was sent
        if self.takes_files:
            files = _lazy._files
            guessed = files.guessed_media(body) if files.is_raw_content(body) else None
            if guessed:  # (a file's name: its type, where listed)
                for media_type, encoding in self.content_types:
                    if encoding == "binary" and files.media_covers(media_type, guessed):
                        return media_type
        if not self.body_types:
            return None
        structured = []
        for media_type, encoding in self.content_types:
            type_ = self.body_types.get(media_type, self.body_type)
            if encoding == "text" and isinstance(body, str):
                return media_type
            if encoding == "binary" and _lazy._files.is_raw_content(body):
                return media_type
            if encoding in ("json", "form", "multipart"):
                if is_class(type_) and isinstance(body, type_):
                    return media_type
                structured.append((media_type, type_))
        for index, (media_type, type_) in enumerate(structured):
            if index and not _declares_keys(type_, body):
                continue
            try:
                _lazy._wire.validate_python(type_, body)
            except (ValidationError, ValueError):
                continue
            return media_type
        return None


def _media_type(text: Any) -> bool:
    """Is `text` a media type, `type/subtype` with parameters (and nothing that would end
    the header: a line break, a control character)?"""
    return isinstance(text, str) and _MEDIA_TYPE.fullmatch(text) is not None


# RFC 9110's `type "/" subtype *( OWS ";" OWS parameter )`, printable ASCII only, no `*`;
# a parameter's value is a token or a quoted string, neither holding a `;` (a value that
# could hold one made the match exponential in the number of parameters)
_TOKEN = r"[!#$%&'+.^_`|~\w-]+"
_MEDIA_TYPE = re.compile(
    rf"[\w.+-]+/[\w.+-]+(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"[^\"\\;\x00-\x1f\x7f]*\"))*",
    re.ASCII,
)


def _declares_keys(type_: Any, body: Any) -> bool:
    """Whether `type_` is a model declaring every key of the mapping `body` (by the spec's
    name or the attribute's)."""
    fields = getattr(type_, "model_fields", None)
    if not isinstance(fields, dict) or not isinstance(body, Mapping):
        return False
    from ._types import field_wire_name  # (loaded with the request modules: no cost)

    names = set(fields)
    names.update(field_wire_name(name, info) for name, info in fields.items())
    return all(key in names for key in body)
