"""Stage 3b, responses: an operation's responses → `Response`s, each media type parsed how
and into what type (`ir_media` ranks and classifies the media types)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from . import typeir as t
from .ir import Response, ResponseMedia
from .ir_document import DocumentReader, text_of
from .ir_media import is_json, json_media, response_kind, says_nothing, sequential_item
from .ir_media import rank as media_rank
from .ir_schemas import SchemaTranslator
from .load import example_key, join_pointer
from .schema_defaults import json_text


@dataclass
class ResponseTranslator(DocumentReader):
    """Translates the responses of operations; uses the schema translator for their types."""

    schemas: SchemaTranslator

    def _examples(self, media: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        """The media type's examples as (name, JSON text), `example` first."""
        found: list[tuple[str, str]] = []
        if "example" in media:
            found.append(("example", json_text(media["example"])))
        examples = media.get("examples")
        for name, raw in examples.items() if isinstance(examples, dict) else []:
            example = self._deref(raw)
            key = example_key(example)
            if key is not None:
                found.append((str(name), json_text(example[key])))
        return tuple(found)

    def responses(
        self, raw: dict[str, Any], context: str, pointer: str, head: bool = False, path: str = ""
    ) -> list[Response]:
        """The operation's responses, by status (`default` last), each with its media types;
        none has content where HTTP forbids it (`head`: a HEAD operation's, and 204, 205 and
        304 answers), whatever the spec declares: the server's empty 204 is what it means.
        `path`: a GET's, whose download's undeclared success body is binary
        (`binary_success`)."""
        responses = raw.get("responses")
        download = bool(path) and _names_a_download(path)
        download = download and _no_success_body(responses, self._has_content)
        lines = marked_streaming(raw)
        result = []
        for status, entry in responses.items() if isinstance(responses, dict) else []:
            response = self._deref(entry)
            content = None if head or str(status) in _EMPTY else self._content(response)
            media: list[ResponseMedia] = []
            examples: tuple[tuple[str, str], ...] = ()
            if isinstance(content, dict) and content:
                ranked = self._ranked_media(content)
                examples = self._examples(ranked[0][1])
                suffix = "Response" if str(status).startswith("2") else f"Error{status}"
                at = join_pointer(pointer, "responses", status, "content")
                bodies = _Bodies()
                for index, (media_type, entry_media) in enumerate(ranked):
                    last = index == len(ranked) - 1  # (most responses have one media type)
                    same = bodies.find(media_type, entry_media, index, remember=not last)
                    if same is not None:  # JSON and `text/json` with one schema: translated once
                        # (restating the JSON body as that one does: Kubernetes' protobuf after
                        # its YAML made every method `Pod | BinaryResponse`; UX audit 18)
                        media.append(replace(media[same], media_type=media_type))
                        continue
                    found = self._response_media(
                        media_type,
                        entry_media,
                        context + suffix,
                        join_pointer(at, media_type),
                        lines=lines and str(status).upper().startswith("2"),
                    )
                    if index and _restates(media[0], ranked[0][1], found, entry_media):
                        found = replace(found, restated=True)
                    media.append(found)
            if download and str(status).upper() in ("200", "2XX"):  # (a 202 is "not yet")
                media = [ResponseMedia("application/octet-stream", "binary", None)]
            first = media[0] if media else None
            result.append(
                Response(
                    status=str(status),
                    description=text_of(response, "description"),
                    type=first.type if first else None,
                    content_type=first.media_type if first else None,
                    parse=first.parse if first else "none",
                    examples=examples,
                    alternatives=tuple(media[1:]),
                )
            )
        if not head and _redirects_only(responses, self._has_content):
            result.append(_FOLLOWED)
        return sorted(result, key=lambda r: (r.status == "default", r.status))

    def failure(self, raw: dict[str, Any]) -> tuple[str, Any, str] | None:
        """Where a 2xx body says the call failed (see `failure_marker`)."""
        responses = raw.get("responses")
        bodies: list[tuple[str, dict[str, Any]]] = []
        for status, entry in responses.items() if isinstance(responses, dict) else []:
            found = json_media(self._content(self._deref(entry)))
            if found is not None:  # (the typed one, where one says nothing: Zuora's `{}`)
                bodies.append((str(status), self._schema_of(found[1])))
        return failure_marker(bodies, self._deref)

    def binary_success(self, raw: dict[str, Any], head: bool = False, path: str = "") -> bool:
        """Does a success response declare a binary media type (the method takes `stream=`)?
        Also a GET of a download whose success declares no body at all: a path ending in
        `archive`, `download`, `export`… (GitLab's `GET …/repository/archive`, read whole into
        memory and past the size limit without `stream=True`: UX audit 12)."""
        responses = raw.get("responses")
        if not head and _redirects_only(responses, self._has_content):
            return True
        if path and _names_a_download(path) and _no_success_body(responses, self._has_content):
            return True
        for status, entry in responses.items() if isinstance(responses, dict) else []:
            if head or str(status) in _EMPTY:
                continue
            content = self._content(self._deref(entry))
            if str(status).startswith("2") and isinstance(content, dict):
                preferred = json_media(content)  # (XML restating its schema is no download)
                restated = preferred[1].get("schema") if preferred is not None else None
                for media_type, media in content.items():
                    schema = self._schema_of(media) if isinstance(media, dict) else {}
                    if restated and isinstance(media, dict) and media.get("schema") == restated:
                        continue
                    if response_kind(str(media_type), schema) == "binary":
                        return True
        return False

    def _response_media(
        self, media_type: str, media: dict[str, Any], name: str, pointer: str, lines: bool = False
    ) -> ResponseMedia:
        """How a body of `media_type` is parsed, and into what type (see ir_media); `lines`:
        the operation is marked a stream of JSON lines (`marked_streaming`), so its JSON is
        JSON Lines, each line the schema's."""
        schema = media.get("schema")
        kind = response_kind(media_type, self._schema_of(media))
        if lines and kind == "json":
            kind = "jsonl"
        node: t.TypeNode | None = None
        if kind in ("json", "any"):
            node = self.schemas.annotation(
                schema if isinstance(schema, dict) else {}, name, join_pointer(pointer, "schema")
            )
        elif kind in ("sse", "jsonl"):
            item, key = sequential_item(media, self.openapi_32)
            data = _json_data_schema(self._deref(item)) if kind == "sse" else None
            if key == "itemSchema" and data is not None:
                # a 3.2 event whose `data` is JSON of a `contentSchema` (as the 3.2 spec's own
                # example writes it): its data typed by that schema, as a 3.1 event stream's
                # schema types it (it was `data: str`, unchecked; 3.1 audit 18)
                at = join_pointer(pointer, "itemSchema", "properties", "data", "contentSchema")
                return ResponseMedia(
                    media_type, kind, self.schemas.annotation(data, name + "Event", at)
                )
            if isinstance(item, dict) and item:
                node = self.schemas.annotation(
                    item, name + ("Event" if kind == "sse" else "Item"), join_pointer(pointer, key)
                )
                if kind == "sse" and key == "itemSchema":
                    kind = "sse-event"  # OpenAPI 3.2: the schema of a whole event
                elif kind == "sse" and node == t.STR:
                    node = None  # events' data as text
        elif kind == "text":
            node = t.STR
        return ResponseMedia(media_type, kind, node)

    def _ranked_media(self, content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """A response's media types, preferred first (JSON, streams, text, binary), each
        with its media type object."""
        entries = [(str(k), v if isinstance(v, dict) else {}) for k, v in content.items()]
        return sorted(
            entries,
            key=lambda item: (media_rank(item[0], self._schema_of(item[1])), says_nothing(item[1])),
        )

    def _has_content(self, entry: Any) -> bool:
        """Does a response object declare a body (a media type)?"""
        content = self._content(self._deref(entry))
        return isinstance(content, dict) and bool(content)

    def _schema_of(self, media: dict[str, Any]) -> dict[str, Any]:
        return self._deref(media.get("schema"))


# vendor extensions marking an operation whose JSON success is a stream of JSON lines
# (one value a line, blank keep-alive lines between, never-ending) under the JSON media
# type: Twitter's 7 `…/stream` GETs (`x-twitter-streaming: true`), whose call buffered the
# endless body or raised "Invalid JSON" (UX audit 15). The directory has no other marker
# saying so (stream-io's `x-stream-*` name its product).
_STREAMING_MARKERS = ("x-twitter-streaming",)


def _json_data_schema(event: Any) -> dict[str, Any] | None:
    """The `contentSchema` of an event schema's `data` property that holds JSON text
    (`contentMediaType: application/json`), else None."""
    properties = event.get("properties") if isinstance(event, dict) else None
    data = properties.get("data") if isinstance(properties, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("contentSchema"), dict):
        return None
    media = data.get("contentMediaType")
    return data["contentSchema"] if isinstance(media, str) and is_json(media) else None


def marked_streaming(operation: Any) -> bool:
    """Does the operation carry a vendor marker (`_STREAMING_MARKERS`) saying its JSON
    success is a stream of JSON lines?"""
    return isinstance(operation, dict) and any(
        operation.get(marker) is True for marker in _STREAMING_MARKERS
    )


# statuses whose answers HTTP forbids to carry content
_EMPTY = frozenset({"204", "205", "304"})
_REDIRECTS = frozenset({"301", "302", "303", "307", "308", "3XX"})

# what an operation documenting only a redirect returns: the target's body, followed
# (GitHub's archive downloads, Twilio's signed links), unread until asked
_FOLLOWED = Response(
    status="2XX",
    description="What the redirect leads to (followed: to another origin without credentials).",
    type=None,
    content_type="application/octet-stream",
    parse="binary",
)


# the last segment of a path that downloads what its spec leaves undeclared
_DOWNLOADS = frozenset(
    {"download", "archive", "blob", "export", "artifacts", "zipball", "tarball", "content"}
)


def _names_a_download(path: str) -> bool:
    """Does the path's last segment (not a parameter, any format extension left out) name a
    download (`…/repository/archive`, `…/files/{id}/content`, `…/archive.zip`)?"""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return names_a_stream(path) or (
        "{" not in last and last.partition(".")[0].lower() in _DOWNLOADS
    )


def names_a_stream(path: str) -> bool:
    """Does the path end in `stream` (ElevenLabs' `POST …/text-to-speech/{id}/stream`)? (Of
    a POST, only this names what comes back: `archive`, `export`, `download` are as often
    what the request does, Circuit's archiving a conversation, Orthanc's export to a
    modality.)"""
    return path.rstrip("/").rsplit("/", 1)[-1].lower() == "stream"


def _no_success_body(responses: Any, has_content: Callable[[Any], bool]) -> bool:
    """Does the operation declare a success and no body for any (GitLab's `200: {description}`)?"""
    if not isinstance(responses, dict):
        return False
    successes = [e for s, e in responses.items() if str(s).startswith("2")]
    return bool(successes) and not any(has_content(e) for e in successes)


def _redirects_only(responses: Any, has_content: Callable[[Any], bool]) -> bool:
    """Does an operation document redirects and no success with a body (its answer is
    elsewhere)? Box's download documents a 302 and a 202 without content ("not ready yet,
    retry"): the file came back after the redirect as a 200, parsed as the `default` error's
    JSON."""
    if not isinstance(responses, dict):
        return False
    statuses = {str(s).upper(): entry for s, entry in responses.items()}
    if not statuses.keys() & _REDIRECTS:
        return False
    return not any(s.startswith("2") and has_content(e) for s, e in statuses.items())


class _Bodies:
    """The media types of one response met so far, to tell which earlier one carries the
    same body as the next: the same schema the same way (JSON and `text/json`, say), the
    type translated once; an untyped one (`{}`) after a typed one of the same kind is that
    body too (Zuora's `application/json: {schema: {}}` beside its model: the method returned
    `Any`, the union of both). Looked up by kind and schema: comparing each media type with
    every earlier one was quadratic (4,000 of one response took 15 s; hostile audit 17)."""

    def __init__(self) -> None:
        self._said: dict[str, int] = {}  # kind: the first that types its body
        self._schemas: dict[tuple[str, Any], int] = {}  # (kind, frozen schema): the first

    def find(self, media_type: str, media: Any, index: int, remember: bool = True) -> int | None:
        """The index of the first earlier media type whose body `media`'s (at `index`) is,
        else None; with `remember`, `media` is one of the earlier ones for those after it."""
        if not isinstance(media, dict) or (not remember and not self._schemas):
            return None  # (nothing before it, nothing after it)
        kind = response_kind(media_type, None)
        key = (kind, _frozen(media.get("schema")))
        said = not says_nothing(media)
        found = None
        if not media.get("itemSchema"):
            found = self._schemas.get(key)
            if not said and self._said.get(kind) is not None:
                found = min(self._said[kind], found if found is not None else index)
        if remember:
            self._schemas.setdefault(key, index)
            if said:
                self._said.setdefault(kind, index)
        return found


def _frozen(value: Any) -> Any:
    """`value` as a hashable one equal where the values are equal (mappings as sets of their
    items, lists as tuples, sets as frozen ones)."""
    if isinstance(value, dict):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, (set, frozenset)):  # (YAML's `!!set`)
        return frozenset(_frozen(item) for item in value)
    return value


def _restates(
    first: ResponseMedia, first_media: dict[str, Any], other: ResponseMedia, media: dict[str, Any]
) -> bool:
    """Does `other` (a later media type of one response) carry the preferred JSON body's
    own schema in another form (Vonage's balance as `application/xml` beside its JSON: the
    method was `AccountBalance | BinaryResponse`, and every caller had to narrow)? The
    client asks for the JSON only; such a body is off the spec (`Operation.media_choices`)."""
    schema = first_media.get("schema")
    if first.parse != "json" or other.parse in ("json", "any") or other.streamed:
        return False
    return isinstance(schema, dict) and bool(schema) and media.get("schema") == schema


def failure_marker(
    bodies: list[tuple[str, dict[str, Any]]], deref: Callable[[Any], dict[str, Any]]
) -> tuple[str, Any, str] | None:
    """(property, value, status) where the first 2xx JSON body requires a property of one
    constant value and an error response's body (`default`, 4XX, 5XX) has it with another:
    Slack answers errors as `200 {"ok": false, "error": …}`, its spec saying `ok: true` for
    the success and `ok: false` for `default`. `bodies` are (status, schema) in order."""
    success = next((schema for status, schema in bodies if status.startswith("2")), None)
    if success is None:
        return None
    required = success.get("required")
    properties = success.get("properties")
    if not isinstance(properties, dict) or not isinstance(required, list):
        return None
    for status, schema in bodies:
        others = schema.get("properties")
        if status.startswith(("1", "2", "3")) or not isinstance(others, dict):
            continue
        for name in [n for n in required if isinstance(n, str) and n in others]:
            ours, theirs = _constant(deref(properties[name])), _constant(deref(others[name]))
            if ours is not None and theirs is not None and _differ(ours[0], theirs[0]):
                return (name, theirs[0], status)
    return None


def _differ(one: Any, other: Any) -> bool:
    return (type(one), one) != (type(other), other)  # `True` is not `1`


def _constant(schema: dict[str, Any]) -> tuple[Any] | None:
    """(value,) of a schema allowing one scalar value (`const`, or an `enum` of one)."""
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list) and len(values) == 1:
        value = values[0]
        if value is None or isinstance(value, (str, int, float, bool)):
            return (value,)
    return None
