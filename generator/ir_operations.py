"""Stage 3b: paths → `Operation`s (document-level security schemes and servers: `ir_document`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import typeir as t
from .ir import (
    Operation,
    Pagination,
    Parameter,
)
from .ir_bodies import BodyTranslator
from .ir_document import security_alternatives, text_of
from .ir_media import (
    accept_header,
    content_map,
    request_encoding,
)
from .ir_pagination import detect
from .ir_responses import ResponseTranslator
from .ir_schemas import SchemaTranslator
from .lint import iter_operations, path_item, query_template
from .load import deref, is_openapi_32, join_pointer
from .naming import CLIENT_RESERVED, SIGNATURE_RESERVED, NameScope, Style, styled
from .options import Options
from .schema_defaults import example_text

# Header parameters the HTTP layer owns (OpenAPI says these are ignored as parameters).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_REQUEST_ID_HEADER = re.compile(r"(request|correlation|trace)[-_]?id$", re.IGNORECASE)
_JSON_MEDIA = re.compile(r"^(application/([\w.+-]*\+)?json|text/json)(;.*)?$", re.IGNORECASE)
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "QUERY"})
_FORM_MEDIA = "application/x-www-form-urlencoded"


@dataclass
class OperationTranslator:
    """Builds operations; uses the schema translator for every type it meets."""

    document: dict[str, Any]
    schemas: SchemaTranslator
    operation_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.bodies = BodyTranslator(self.document, self.schemas)
        self.response_translator = ResponseTranslator(self.document, self.schemas)

    def _deref(self, node: Any) -> dict[str, Any]:
        return deref(self.document, node)

    @property
    def openapi_32(self) -> bool:
        """True for a 3.2 document, whose new fields (`itemSchema`, `in: querystring`, media
        types by `$ref`) are read; elsewhere they are unknown keys (E201), ignored."""
        return is_openapi_32(self.document)

    def _content(self, holder: dict[str, Any]) -> dict[str, Any]:
        """`ir_media.content_map` of this document."""
        return content_map(self.document, holder)

    def operations(self, options: Options | None = None) -> list[Operation]:
        """The operations of the document `options` select (default: all), in document order,
        with unique method names (`options.rename_operations` maps operationIds to names).

        Every operation's name is claimed, selected or not, so a method keeps its name
        whatever else is selected. `operation_ids` records every operationId seen.
        """
        options = options or Options()
        renames = dict(options.rename_operations)
        method_scope = NameScope(CLIENT_RESERVED)
        # a rename takes its name before derived names do (reserved names still win)
        claimed = {
            operation_id: method_scope.claim(wanted, Style.SNAKE, prefix="call")
            for operation_id, wanted in sorted(renames.items())
        }
        result = []
        for path, method, pointer, raw in iter_operations(self.document):
            operation_id = raw.get("operationId")
            if not isinstance(operation_id, str) or not operation_id.strip():
                operation_id = f"{method.lower()} {path}"
            self.operation_ids.add(operation_id)
            if operation_id in claimed:
                name = claimed[operation_id]
            else:
                name = method_scope.claim(operation_id, Style.SNAKE, prefix="call")
            tags = raw.get("tags")
            tags = [str(tag) for tag in tags] if isinstance(tags, list) else []
            if options.selects(tags, path, operation_id):
                result.append(self._operation(path, method, pointer, raw, name, operation_id))
        return result

    def _operation(
        self,
        path: str,
        method: str,
        pointer: str,
        raw: dict[str, Any],
        name: str,
        operation_id: str,
    ) -> Operation:
        context = styled(operation_id, Style.PASCAL)
        # a spec that declares the Idempotency-Key header owns the `idempotency_key` argument
        merged = self._merged_parameters(path, pointer, raw)
        repaired = query_template(path)
        route = path
        if repaired is not None:  # `/search?q={q}`: `q` is a query parameter (lint: E309)
            route, pairs = repaired
            merged = _query_from_template(merged, pairs, pointer)
        declares_key = any(
            location == "header" and name.lower() == "idempotency-key" for location, name in merged
        )
        reserved = SIGNATURE_RESERVED - {"idempotency_key"} if declares_key else SIGNATURE_RESERVED
        if len(self.bodies.media_choices(raw)) > 1:
            reserved = reserved | {"content_type"}
        if self.response_translator.binary_success(raw):
            reserved = reserved | {"stream"}
        signature = NameScope(reserved)
        parameters = self._parameters(merged, context, signature)
        body = self.bodies.body(raw, context, pointer)
        responses = self.response_translator.responses(raw, context, pointer)
        success = [r for r in responses if r.status.startswith("2")]
        accept = accept_header(
            (m.media_type for r in success for m in r.media),
            (m.media_type for r in responses if r not in success for m in r.media),
        )
        returns = [r.returns or t.NONE for r in success]
        security = raw.get("security", self.document.get("security"))
        alternatives = security_alternatives(self.document, security)
        # as sent: `GET`…, `QUERY`, or a 3.2 additional operation's key, which httpx (like
        # most HTTP clients) sends in upper case: a key written otherwise is reported
        http_method = method.upper()
        if http_method != method:
            self.schemas.registry.notes.append(
                (
                    pointer,
                    "W308",
                    f"additional operation {method!r} is sent as method {http_method!r}:"
                    " httpx sends method names in upper case",
                )
            )
        raw_tags = raw.get("tags")
        tags = (
            tuple(tag for tag in raw_tags if isinstance(tag, str))
            if isinstance(raw_tags, list)
            else ()
        )
        return Operation(
            name=name,
            operation_id=operation_id,
            http_method=http_method,
            path=route,
            summary=text_of(raw, "summary"),
            description=text_of(raw, "description"),
            parameters=tuple(parameters),
            body=body,
            responses=tuple(responses),
            return_type=t.union(returns) if returns else t.NONE,
            security=tuple(alternatives),
            deprecated=bool(raw.get("deprecated")),
            idempotent=http_method in _IDEMPOTENT_METHODS,
            declares_idempotency_key=declares_key,
            pagination=self._pagination(method.lower(), pointer, raw, parameters, context),
            tags=tags,
            accept=accept,
        )

    def _pagination(
        self,
        method: str,
        pointer: str,
        raw: dict[str, Any],
        parameters: list[Parameter],
        context: str,
    ) -> Pagination | None:
        """The operation's pagination, when its spec shows one (see ir_pagination)."""
        responses = raw.get("responses")
        success = None
        for status, entry in responses.items() if isinstance(responses, dict) else []:
            response = self._deref(entry)
            content = self._content(response)
            if not str(status).startswith("2") or not content:
                continue
            media_type, media = _pick_media(content)
            if _encoding(media_type) == "json" and isinstance(media.get("schema"), dict):
                at = join_pointer(pointer, "responses", status, "content", media_type, "schema")
                success = (media["schema"], at, response)
            break
        query = [p.wire_name for p in parameters if p.location == "query"]
        found = detect(self.document, method, raw, query, success)
        if found is None:
            return None
        item = self.schemas.annotation(found.items_schema, context + "Item", found.items_pointer)
        return Pagination(found.scheme, found.items, found.param, found.field, found.id_field, item)

    def _merged_parameters(
        self, path: str, pointer: str, raw: dict[str, Any]
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(in, name) → (parameter, pointer): the path item's, overridden by the operation's."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        item_pointer, item = path_item(self.document, path)
        sources = [(item.get("parameters"), join_pointer(item_pointer, "parameters"))]
        sources.append((raw.get("parameters"), join_pointer(pointer, "parameters")))
        for parameters, list_pointer in sources:
            for index, entry in enumerate(parameters if isinstance(parameters, list) else []):
                parameter = self._deref(entry)
                name, location = parameter.get("name"), parameter.get("in")
                locations = _LOCATIONS_32 if self.openapi_32 else _LOCATIONS
                if isinstance(name, str) and location in locations:
                    if location == "header" and name.lower() in IGNORED_HEADERS:
                        continue
                    key = (str(location), name)
                    merged[key] = (parameter, join_pointer(list_pointer, index))
        return merged

    def _parameters(
        self,
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]],
        context: str,
        signature: NameScope,
    ) -> list[Parameter]:
        ordered = sorted(merged.values(), key=lambda item: (not _is_required(item[0]), 0))
        result = []
        for parameter, param_pointer in ordered:
            wire, location = str(parameter["name"]), str(parameter["in"])
            schema = parameter.get("schema")
            if not isinstance(schema, dict):
                first: Any = next(iter(self._content(parameter).values()), {})
                schema = first.get("schema", {}) if isinstance(first, dict) else {}
            querystring = location == "querystring"
            if querystring:
                if not self._sends_querystring(parameter, param_pointer):
                    continue
                location = "query"  # an object in form encoding: each property a query pair
            node = self.schemas.annotation(
                schema, context + styled(wire, Style.PASCAL), join_pointer(param_pointer, "schema")
            )
            required = _is_required(parameter)
            default: t.Lit | t.MemberRef | None = None
            if not required:
                node = t.optional(node)
                default = self.schemas.default_of(schema, node)
            style = "form" if querystring else parameter.get("style")
            explode = True if querystring else parameter.get("explode")
            default_style = "form" if location in ("query", "cookie") else "simple"
            result.append(
                Parameter(
                    name=signature.claim(wire, Style.SNAKE, prefix="param"),
                    wire_name=wire,
                    location=location,
                    type=node,
                    required=required,
                    default=default,
                    description=text_of(parameter, "description")
                    or text_of(self._deref(schema), "description"),
                    explode=explode
                    if isinstance(explode, bool)
                    else (style or default_style) == "form",
                    style=style if isinstance(style, str) else default_style,
                    request_id=location == "header" and bool(_REQUEST_ID_HEADER.search(wire)),
                    example=example_text(parameter, self._deref)
                    or example_text(self._deref(schema), self._deref),
                )
            )
        return result

    def _sends_querystring(self, parameter: dict[str, Any], pointer: str) -> bool:
        """Can the client send this 3.2 `in: querystring` parameter (the whole query string,
        one schema)? It can when that is an object in form encoding: its properties become
        the query's pairs. Otherwise the parameter is left out, with a warning (W307)."""
        content = self._content(parameter)
        media_type, media = next(iter(content.items()), ("", {}))
        schema = self.schemas.registry.deref(media.get("schema")) if isinstance(media, dict) else {}
        kind = schema.get("type")
        is_object = kind == "object" or (kind is None and "properties" in schema)
        if str(media_type).lower().startswith(_FORM_MEDIA) and is_object:
            return True
        name = parameter.get("name")
        what = f"media type {media_type!r}" if media_type else "no media type"
        shape = "an object schema" if is_object else "a schema that is not an object"
        self.schemas.registry.notes.append(
            (
                pointer,
                "W307",
                f"querystring parameter {name!r} ({what}, {shape}) cannot be sent by the client,"
                f" which encodes a query string only from an object in {_FORM_MEDIA}:"
                " the parameter is left out of the method",
            )
        )
        return False


_LOCATIONS = ("path", "query", "header", "cookie")

Merged = dict[tuple[str, str], tuple[dict[str, Any], str]]


def _query_from_template(merged: Merged, pairs: tuple[tuple[str, str], ...], at: str) -> Merged:
    """The parameters with each (query name, template name) of a path's query part as a
    query parameter: the one declared under the query name, else the declared path or query
    parameter of the template's name renamed, else a required string."""
    result = dict(merged)
    for key, name in pairs:
        declared = result.pop(("path", name), None)
        if ("query", key) in result:
            continue
        if declared is None and ("query", name) in result:
            declared = result.pop(("query", name))
        if declared is not None:
            parameter, where = declared
            result[("query", key)] = ({**parameter, "in": "query", "name": key}, where)
        else:
            schema = {"type": "string"}
            synthetic = {"name": key, "in": "query", "required": True, "schema": schema}
            result[("query", key)] = (synthetic, at)
    return result


_LOCATIONS_32 = (*_LOCATIONS, "querystring")


def _is_required(parameter: dict[str, Any]) -> bool:
    """Path parameters are always required; others when they say so."""
    return parameter.get("in") == "path" or parameter.get("required") is True


def _pick_media(content: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Prefer JSON, then form, multipart, text, anything else (in document order)."""
    ranked = sorted(content.items(), key=lambda item: _media_rank(item[0]))
    media_type, media = ranked[0]
    return str(media_type), media if isinstance(media, dict) else {}


def _media_rank(media_type: str) -> int:
    encoding = _encoding(media_type)
    return ["json", "form", "multipart", "text", "binary"].index(encoding)


def _encoding(media_type: str) -> str:
    return request_encoding(media_type)
