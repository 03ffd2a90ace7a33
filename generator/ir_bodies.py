"""Stage 3b: request bodies → `RequestBody`: every media type an operation accepts.

The preferred media type (JSON, then form, multipart, text, anything else) is the
default; every other one is a variant the caller picks with `content_type=` (or that
the runtime infers from the body given: a model of that variant, raw bytes, text). A
variant with the preferred one's schema shares its type; another gets its own
(`<Operation>Body<Encoding>`). A media type whose schema the client cannot serialise
(XML, say) takes raw bytes, and a W305 warning says so. An optional body whose every
media type can only be `{}` (Stripe's GET operations declare one) is not offered at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .ir import RequestBody
from .ir_content import PartEncoding, open_choice
from .ir_media import (
    ANY_MEDIA,
    content_map,
    essence,
    is_binary_schema,
    part_encodings,
    request_encoding,
)
from .ir_schemas import SchemaTranslator
from .load import deref, join_pointer
from .naming import Style, styled
from .schema_defaults import example_text

_STRUCTURED = ("json", "form", "multipart")
_RANK = ("json", "form", "multipart", "text", "binary")


@dataclass
class BodyTranslator:
    """Builds request bodies; uses the schema translator for every type it meets."""

    document: dict[str, Any]
    schemas: SchemaTranslator

    def _content(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The request body's media types (`ir_media.content_map`)."""
        return content_map(self.document, deref(self.document, raw.get("requestBody")))

    def media_choices(self, raw: dict[str, Any]) -> list[tuple[str, str]]:
        """(media type, encoding) of every request media type, the preferred one first."""
        content = self._content(raw)
        entries = [(str(m), self._encoding(str(m), self._schema_of(content, m))) for m in content]

        def rank(entry: tuple[str, str]) -> tuple[int, bool]:
            # a JSON Patch (RFC 6902: an array of operations) of a schema that is no array
            # is no default: Kubernetes' PATCHes list it first, and an object went out as one
            # (a 400); its merge patch is the default then (UX audit 18)
            media, encoding = entry
            patch = media.split(";", 1)[0].strip().lower() == "application/json-patch+json"
            schema = deref(self.document, self._schema_of(content, media))
            return _RANK.index(encoding), patch and schema.get("type") != "array"

        return sorted(entries, key=rank)

    def _schema_of(self, content: dict[str, Any], media_type: Any) -> dict[str, Any]:
        """The schema of one request media type; a multipart body's that is a string (a file:
        Jira's attachments) is an object of one part, `file` (RFC 7578's name), which holds
        it: sent as its bytes with a multipart content type and no boundary, the body was
        one no server reads (UX audit 11)."""
        schema = _schema(content.get(media_type))
        if request_encoding(str(media_type)) != "multipart":
            return schema
        resolved = deref(self.document, schema)
        if not isinstance(resolved, dict) or resolved.get("type") != "string":
            return schema
        part = {**resolved, "format": "binary"} if "format" not in resolved else schema
        return {"type": "object", "required": ["file"], "properties": {"file": part}}

    def _encoding(self, media_type: str, schema: dict[str, Any]) -> str:
        """How a body of this media type and schema is encoded: a form or multipart body
        whose schema is plainly no object (`type: string`, `array`, a number) has no
        OpenAPI serialisation into fields; a form body is then the text given, sent as it is
        (spoonacular's `"instructions=…&servings=2"`), a multipart one the raw bytes given.
        They were sent as one invented field `body`. A wildcard (`*/*`) whose schema is
        binary is raw bytes: a file went out as JSON text labelled `application/json`."""
        encoding = request_encoding(media_type)
        if essence(media_type) in ANY_MEDIA and is_binary_schema(deref(self.document, schema)):
            return "binary"  # (`*/*` of `format: binary`: a file's bytes, not JSON)
        if encoding not in ("form", "multipart"):
            return encoding
        resolved = deref(self.document, schema)
        kind = resolved.get("type") if isinstance(resolved, dict) else None
        object_like = kind in (None, "object") or (isinstance(kind, list) and "object" in kind)
        if object_like or "properties" in resolved:
            return encoding
        return "text" if encoding == "form" and kind == "string" else "binary"

    def body(self, raw: dict[str, Any], context: str, pointer: str) -> RequestBody | None:
        """The operation's request body, or None when it declares none."""
        body = deref(self.document, raw.get("requestBody"))
        content = self._content(raw)
        choices = self.media_choices(raw)
        if not choices:
            return None
        if body.get("required") is not True and all(
            encoding in _STRUCTURED and _only_empty(deref(self.document, _schema(content.get(m))))
            for m, encoding in choices
        ):
            return None  # Stripe's GETs: an optional body that can hold nothing is no argument
        at = join_pointer(pointer, "requestBody", "content")
        media_type, encoding = choices[0]
        schema = self._schema_of(content, media_type)
        model, accepts = self._variant(encoding, schema, context + "Body", at, media_type)
        variant_types: list[tuple[str, t.TypeNode]] = []
        accepted = [accepts]
        for other, other_encoding in choices[1:]:
            other_schema = self._schema_of(content, other)
            same = other_schema == schema and {encoding, other_encoding} <= set(_STRUCTURED)
            if same:
                continue
            name = context + "Body" + styled(other_encoding, Style.PASCAL)
            node, other_accepts = self._variant(other_encoding, other_schema, name, at, other)
            if node != model:
                variant_types.append((other, node))
            accepted.append(other_accepts)
        encodings = []
        for choice, choice_encoding in choices:
            entry = content.get(choice)
            if choice_encoding in ("form", "multipart") and isinstance(entry, dict):
                parts = part_encodings(entry, lambda node: deref(self.document, node))
                if parts:
                    encodings.append((choice, parts))
                if choice_encoding == "multipart":
                    self._unwritable_parts(entry, parts, join_pointer(at, choice))
        return RequestBody(
            accepts=t.union(accepted),
            type=model,
            content_type=media_type,
            # (one wildcard of raw bytes or text, `image/*`: the caller may name the type)
            content_types=tuple(choices) if len(choices) > 1 or open_choice(choices) else (),
            encoding=encoding,
            required=body.get("required") is True,
            description=_text(body.get("description")),
            encodings=tuple(encodings),
            variant_types=tuple(variant_types),
            example=example_text(content.get(media_type), lambda node: deref(self.document, node)),
        )

    def _unwritable_parts(
        self, entry: dict[str, Any], parts: tuple[PartEncoding, ...], at: str
    ) -> None:
        """W305 for a multipart property holding objects whose `encoding` names only content
        types JSON text is not (`application/xml`, OpenAPI's own example): the runtime sends
        such a part as the JSON it is, labelled `application/json` (`_files._part_media`)."""
        schema = deref(self.document, entry.get("schema"))
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        for part in parts:
            if part.content_type is None or _fits_json_text(part.content_type):
                continue
            value = deref(self.document, properties.get(part.name))
            if value.get("type") == "array":
                value = deref(self.document, value.get("items"))
            if self._object_like(value):
                self.schemas.registry.notes.append(
                    (
                        join_pointer(at, "encoding", part.name, "contentType"),
                        "W305",
                        f"multipart part {part.name!r} is declared {part.content_type}: the"
                        " client cannot write an object as that; the part is sent as JSON"
                        " (application/json)",
                    )
                )

    def _object_like(self, schema: dict[str, Any], depth: int = 0) -> bool:
        """Does `schema` describe objects: `type: object`, `properties`, or an `allOf`,
        `oneOf` or `anyOf` of such schemas (a composed part was sent as JSON all the same,
        without W305)?"""
        if schema.get("type") == "object" or "properties" in schema:
            return True
        if depth >= 8:  # (a deeper composition is left unsaid)
            return False
        for key in ("allOf", "oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                resolved = [deref(self.document, m) for m in members]
                if all(self._object_like(m, depth + 1) for m in resolved if m):
                    return any(resolved)
        return False

    def _variant(
        self, encoding: str, schema: dict[str, Any], name: str, at: str, media_type: str
    ) -> tuple[t.TypeNode, t.TypeNode]:
        """(the type the body is validated into, what the argument accepts) of one media type."""
        if encoding == "multipart":
            schema = _files_marked(schema)
        if encoding in _STRUCTURED:
            model = self.schemas.annotation(schema, name, join_pointer(at, media_type, "schema"))
            if isinstance(model, t.ModelRef) and self.schemas.kind_of_model(model.name) == "object":
                return model, t.union([model, t.Subscript(t.S.MAPPING, (t.STR, t.ANY))])
            return model, model
        if encoding == "text":  # (bytes: text encoded already, or compressed with the
            # `Content-Encoding` a parameter names: InfluxDB's gzip writes; UX audit 16)
            return t.STR, t.union([t.STR, t.BYTES])
        resolved = deref(self.document, schema)
        # (a multipart body of a string schema: the raw bytes given, their boundary unknown)
        multipart = request_encoding(media_type) == "multipart"
        if (
            resolved
            and not is_binary_schema(resolved)
            and (resolved.get("type") != "string" or multipart)
        ):
            self.schemas.registry.notes.append(
                (
                    join_pointer(at, media_type),
                    "W305",
                    f"request media type {media_type}: the client cannot serialise its schema;"
                    " the body is sent as the raw bytes given",
                )
            )
        if isinstance(resolved, dict) and resolved.get("type") == "string" and not multipart:
            if not is_binary_schema(resolved):  # text in a media type of its own: a `str` too
                # (InfluxDB's `application/vnd.flux` query; UX audit 16), sent in UTF-8
                return t.BYTES, t.union([t.STR, t.Named(t.S.BINARY_CONTENT)])
        return t.BYTES, t.Named(t.S.BINARY_CONTENT)


def _fits_json_text(content_type: str) -> bool:
    """Does a part's declared content type (a comma-separated list in 3.0) list one that
    JSON text is: a JSON type or `text/plain`?"""
    for item in content_type.split(","):
        essence = item.split(";", 1)[0].strip().lower()
        if essence in ("application/json", "text/json", "text/plain") or essence.endswith("+json"):
            return True
    return False


# a multipart part named as a file: its plain string is the file's bytes (RFC 7578's
# `file`), though the spec says no `format: binary`
_FILE_PART = re.compile(r"(?:[a-z0-9]+_)?files?", re.IGNORECASE)


def _files_marked(schema: dict[str, Any]) -> dict[str, Any]:
    """An inline multipart schema whose plain string properties named as a file (`file`,
    `files`, `evidence_file`) are `format: binary`: Stripe's `POST /v1/files` declares
    `file: {type: string}`, which typed the upload as text (an open file was refused; a
    path's text was sent as the file; UX audit 8)."""
    properties = schema.get("properties") if "$ref" not in schema else None
    if not isinstance(properties, dict):
        return schema
    marked = {
        name: {**value, "format": "binary"}
        for name, value in properties.items()
        if _FILE_PART.fullmatch(name)
        and isinstance(value, dict)
        and value.get("type") == "string"
        and not any(key in value for key in ("format", "enum", "const", "pattern", "$ref"))
        and not any(key in value for key in ("contentMediaType", "contentEncoding"))
    }
    return {**schema, "properties": {**properties, **marked}} if marked else schema


def _only_empty(schema: dict[str, Any]) -> bool:
    """An object schema with no property that admits no other (`properties: {}`,
    `additionalProperties: false`, or `maxProperties: 0`): its only value is `{}`."""
    if schema.get("type") != "object" or schema.get("properties") or "$ref" in schema:
        return False
    if any(key in schema for key in ("patternProperties", "allOf", "anyOf", "oneOf")):
        return False
    return schema.get("additionalProperties") is False or schema.get("maxProperties") == 0


def _schema(media: Any) -> dict[str, Any]:
    schema = media.get("schema") if isinstance(media, dict) else None
    return schema if isinstance(schema, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
