"""Media types: how each request and response media type is encoded or parsed, and the
`Accept` header an operation sends.

The spec's media type names are data: they reach generated code only as string literals
(`OperationInfo(accept=…, media=…)`), and the runtime matches them against the
`Content-Type` a server actually sends.

Response kinds (`ResponseMedia.parse`):
- `json`: parsed and validated into the schema's type;
- `any`: a wildcard (`*/*`, `application/*`): parsed as `json` when the body is JSON (or
  says no type), else by the `Content-Type` the server sends: text as a `str`, anything else
  as a `BinaryResponse` (the spec allowed any media type: no deviation to refuse);
- `text`: a `str`;
- `binary`: a `BinaryResponse` (read, iterated, written to a file, or streamed);
- `sse`: `text/event-stream`, a `Stream` of `ServerSentEvent[T]` (T: the schema of the
  events' `data`, JSON-decoded; `str` when the schema is a string or absent);
- `jsonl`: JSON Lines / NDJSON / JSON text sequences, a `Stream` of items of the schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .ir_content import PartEncoding
from .load import deref, is_openapi_32

_JSON_MEDIA = re.compile(r"^(application/([\w.+-]*\+)?json|text/json)(;.*)?$", re.IGNORECASE)
# sequential JSON media types: one JSON value a line (or after an RS character)
JSON_LINES = frozenset(
    {
        "application/jsonl",
        "application/x-jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
        "application/x-ndjson",
        "application/ndjson",
        "application/json-seq",
        # newline-delimited too, though `+json` reads as one document: Vercel's deployment
        # events, Spring WebFlux's streams (the client asked for it and failed to parse it)
        "application/stream+json",
        "application/x-json-stream",
    }
)
EVENT_STREAM = "text/event-stream"
ANY_MEDIA = frozenset({"*/*", "application/*"})


def essence(media_type: str) -> str:
    """The media type without parameters, lower case (`Application/JSON; charset=x` →
    `application/json`)."""
    return media_type.split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    """True for `application/json`, `application/<x>+json` and `text/json`."""
    return bool(_JSON_MEDIA.match(media_type.strip()))


def request_encoding(media_type: str) -> str:
    """How a request body of this media type is encoded: json | form | multipart | text |
    binary (a wildcard is sent as JSON)."""
    lowered = essence(media_type)
    if is_json(lowered) or lowered in ANY_MEDIA:
        return "json"
    if lowered == "application/x-www-form-urlencoded":
        return "form"
    if lowered.startswith("multipart/"):
        return "multipart"
    if lowered.startswith("text/"):
        return "text"
    return "binary"


def is_binary_schema(schema: Any) -> bool:
    """A string schema whose value is raw bytes: `format: binary` (3.0), or a
    `contentMediaType` without `contentEncoding` (3.1) that is not JSON or text."""
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "binary":
        return True
    media = schema.get("contentMediaType")
    return (
        isinstance(media, str)
        and "contentEncoding" not in schema
        and not is_json(media)
        and not essence(media).startswith("text/")
    )


def response_kind(media_type: str, schema: Any) -> str:
    """How a response body of this media type and schema is parsed (see the module doc)."""
    lowered = essence(media_type)
    if lowered == EVENT_STREAM:
        return "sse"
    if lowered in JSON_LINES:
        return "jsonl"
    if is_binary_schema(schema):
        return "binary"
    if lowered in ANY_MEDIA:
        return "any"
    if is_json(lowered):
        return "json"
    if lowered.startswith("text/"):
        return "text"
    return "binary"


def content_map(document: dict[str, Any], holder: dict[str, Any]) -> dict[str, Any]:
    """A body's, response's or parameter's `content` map ({} when none); in a 3.2 document,
    media types given by `$ref` (to `components/mediaTypes`) are followed."""
    content = holder.get("content")
    if not isinstance(content, dict):
        return {}
    if not is_openapi_32(document):
        return content
    return {key: deref(document, media) for key, media in content.items()}


def sequential_item(media: dict[str, Any], openapi_32: bool = True) -> tuple[Any, str]:
    """The schema of one item of a sequential media type (`text/event-stream`, JSON Lines)
    and the key it is under: OpenAPI 3.2's `itemSchema` when given (in a 3.2 document: it
    is an unknown key before), else (3.0/3.1) the `schema` itself describes one item (for
    events: their `data`)."""
    if openapi_32 and isinstance(media.get("itemSchema"), dict):
        return media["itemSchema"], "itemSchema"
    return media.get("schema"), "schema"


# keys of a schema object that say nothing of the value (`{description: …}` is `{}`)
_SAYS_NOTHING = frozenset({"description", "title", "example", "examples", "deprecated"})


def says_nothing(media: Any) -> bool:
    """Does a media type object leave its body untyped (no schema, or `{}`)? Zuora declares
    each 200 twice, `application/json: {schema: {}}` then the model under
    `application/json; charset=utf-8`: the typed one is preferred among equals."""
    schema = media.get("schema") if isinstance(media, dict) else None
    return not isinstance(schema, dict) or not set(schema) - _SAYS_NOTHING


def json_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The first JSON media type of a `content` map and its object, a typed one before one
    that says nothing (`says_nothing`); None when it has no JSON."""
    jsons = [
        (str(media_type), media)
        for media_type, media in (content.items() if isinstance(content, dict) else ())
        if "json" in str(media_type).lower() and isinstance(media, dict)
    ]
    return min(jsons, key=lambda item: says_nothing(item[1]), default=None)


def rank(media_type: str, schema: Any = None) -> int:
    """Preference among a response's media types: JSON, streams, text, then binary."""
    order = ("json", "any", "sse", "jsonl", "text", "binary")
    return order.index(response_kind(media_type, schema))


def _header_safe(media_type: str) -> bool:
    """True when the media type can go in a header list as it is (printable ASCII, no comma)."""
    return bool(media_type) and all(" " <= c <= "~" and c != "," for c in media_type)


def accept_header(success: Iterable[str], errors: Iterable[str]) -> str:
    """The `Accept` header of an operation: the media types its success responses declare
    (JSON first; when they offer JSON, the others at `q=0.9`), then those only its error
    responses declare; `application/json` when none is declared. A media type that cannot
    be written in a header is left out."""
    wanted: list[str] = []
    for media_type in success:
        media_type = media_type.strip()
        if media_type not in wanted and _header_safe(media_type):
            wanted.append(media_type)
    wanted.sort(key=lambda m: not is_json(m))
    offers_json = any(is_json(m) for m in wanted)
    values = [m if is_json(m) or not offers_json else f"{m};q=0.9" for m in wanted]
    for media_type in errors:
        media_type = media_type.strip()
        if media_type not in wanted and _header_safe(media_type):
            wanted.append(media_type)
            values.append(media_type)
    return ", ".join(values) if values else "application/json"


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def part_encodings(
    media: dict[str, Any], deref: Callable[[Any], dict[str, Any]]
) -> tuple[PartEncoding, ...]:
    """The `encoding` object of a form or multipart media type: per property, its
    `contentType`, the headers whose schema fixes a value (`default`, `const`, a single
    `enum` value), `style` and `explode`. What is not usable in a request is left out."""
    encoding = media.get("encoding")
    found = []
    for name, raw in encoding.items() if isinstance(encoding, dict) else []:
        entry = deref(raw)
        content_type = entry.get("contentType")
        content_type = content_type.strip() if isinstance(content_type, str) else None
        if content_type is not None and not _header_safe(content_type.replace(",", "")):
            content_type = None
        headers = []
        raw_headers = entry.get("headers")
        for header, spec in raw_headers.items() if isinstance(raw_headers, dict) else []:
            value = _fixed_value(deref(deref(spec).get("schema")))
            fine = _HEADER_NAME.match(str(header)) and str(header).lower() != "content-type"
            if fine and value is not None and _header_safe(value.replace(",", "")):
                headers.append((str(header), value))
        style = entry.get("style") if isinstance(entry.get("style"), str) else None
        explode = entry.get("explode") if isinstance(entry.get("explode"), bool) else None
        if style is None and explode is None and isinstance(entry.get("allowReserved"), bool):
            style = "form"  # (any of the three given, the others take their defaults: 3.1.1)
        if content_type or headers or style or explode is not None:
            found.append(PartEncoding(str(name), content_type, tuple(headers), style, explode))
    return tuple(found)


def _fixed_value(schema: dict[str, Any]) -> str | None:
    """The value a header schema fixes, as header text, or None."""
    for key in ("const", "default"):
        if key in schema:
            value = schema[key]
            break
    else:
        enum = schema.get("enum")
        if not (isinstance(enum, list) and len(enum) == 1):
            return None
        value = enum[0]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (str, int, float)) else None
