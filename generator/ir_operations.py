"""Stage 3b: paths → `Operation`s (document-level security schemes and servers: `ir_document`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from . import typeir as t
from .ir import (
    Operation,
    Pagination,
    Parameter,
)
from .ir_bodies import BodyTranslator
from .ir_content import received_as_is
from .ir_document import (
    DocumentReader,
    credential_parameters,
    document_tenant_domain,
    foreign_server,
    security_alternatives,
    servers,
    text_of,
)
from .ir_media import (
    accept_header,
    request_encoding,
    says_nothing,
)
from .ir_pagination import detect
from .ir_parameters import ParameterTranslator, query_from_template
from .ir_polling import is_long_running, polling_of
from .ir_responses import ResponseTranslator, names_a_stream
from .ir_schemas import SchemaTranslator
from .lint import iter_operations, query_template
from .load import join_pointer
from .naming import NameScope, Style, rename_shadowing, split_words, styled
from .naming_reserved import CLIENT_RESERVED, SIGNATURE_RESERVED
from .options import Options

_JSON_MEDIA = re.compile(r"^(application/([\w.+-]*\+)?json|text/json)(;.*)?$", re.IGNORECASE)
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "QUERY"})


def _creates_by_put(http_method: str, raw: dict[str, Any], summary: str | None) -> bool:
    """A PUT the spec says creates something (its operationId's first word, after a method
    prefix such as Zuora's `PUT_`, or its summary's is `create`): not idempotent, whatever
    RFC 9110 says of PUT. Xero creates its invoices and payments with PUT; resent after a
    5xx or a timeout, one call made two invoices (billing audit). It takes an
    `idempotency_key` then, as a POST does (Xero honours the header)."""
    if http_method != "PUT":
        return False
    operation_id = raw.get("operationId")
    first = [w.lower() for w in split_words(operation_id)] if isinstance(operation_id, str) else []
    if first[:1] == ["put"]:
        first = first[1:]
    said = [w.lower() for w in split_words(summary or "")]
    # (an upsert, `createOrUpdateInvoice`, "Creates or updates …", is idempotent: review)
    return (first[:1] == ["create"] and first[1:2] != ["or"]) or (
        said[:1] in (["create"], ["creates"]) and said[1:2] != ["or"]
    )


_IDEMPOTENCY_HEADERS = ("idempotency-key", "x-idempotency-key")  # lower case


@dataclass
class OperationTranslator(DocumentReader):
    """Builds operations; uses the schema translator for every type it meets."""

    schemas: SchemaTranslator
    operation_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.bodies = BodyTranslator(self.document, self.schemas)
        self.response_translator = ResponseTranslator(self.document, self.schemas)
        self.parameter_translator = ParameterTranslator(self.document, self.schemas)

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
        # a spec that declares the Idempotency-Key header owns the `idempotency_key` argument;
        # one that declares `x-idempotency-key` (Open Banking's) has its own, and no second
        # header is sent beside it (UX audit 9)
        merged = self.parameter_translator.merged(path, pointer, raw)
        repaired = query_template(path)
        route = path
        if repaired is not None:  # `/search?q={q}`: `q` is a query parameter (lint: E309)
            route, pairs = repaired
            merged = query_from_template(merged, pairs, pointer)
        body_key = self._body_idempotency_key(raw)
        declares_key = body_key is not None or any(
            location == "header" and name.lower() in _IDEMPOTENCY_HEADERS
            for location, name in merged
        )
        reserved = SIGNATURE_RESERVED - {"idempotency_key"} if declares_key else SIGNATURE_RESERVED
        if len(self.bodies.media_choices(raw)) > 1:
            reserved = reserved | {"content_type"}
        if is_long_running(raw):  # its `begin_…` method takes `polling_interval`
            reserved = reserved | {"polling_interval"}
        head = method.upper() == "HEAD"
        # (a download's undeclared body: a GET's, or a POST to `…/stream`, ElevenLabs'
        # text-to-speech audio, read whole before it returned; media audit 5)
        posting = method.upper() == "POST" and names_a_stream(path)
        getting = path if method.upper() == "GET" or posting else ""
        if self.response_translator.binary_success(raw, head, getting):
            reserved = reserved | {"stream"}
        signature = NameScope(reserved)
        security = raw.get("security", self.document.get("security"))
        alternatives = security_alternatives(self.document, security)
        supplied = credential_parameters(self.document, alternatives)
        parameters = self.parameter_translator.parameters(
            merged, context, signature, supplied, route
        )
        body = self.bodies.body(raw, context, pointer)
        responses = self.response_translator.responses(raw, context, pointer, head, getting)
        success = [r for r in responses if r.status.startswith("2")]
        # (not a media type restating the JSON body: the client asks for the JSON, which is
        # the method's type; XML beside it came back as a `BinaryResponse`: hostile audit 16)
        accept = accept_header(
            (m.media_type for r in success for m in r.media if not m.restated),
            (m.media_type for r in responses if r not in success for m in r.media),
        )
        # without a 2xx, a `default` without content answers successes (Walmart's orders)
        answers = success or [r for r in responses if r.status == "default" and not r.media]
        bodied = any(r.media for r in answers)
        returns = [r.returns or _unsaid(method, r.status, bodied) for r in answers]
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
        operation = Operation(
            name=name,
            operation_id=operation_id,
            http_method=http_method,
            path=route,
            summary=text_of(raw, "summary"),
            description=text_of(raw, "description"),
            parameters=tuple(parameters),
            body=body,
            responses=tuple(responses),
            # (no success declared: a GET's is what arrives, as for one without content)
            return_type=t.union(returns) if returns else _undeclared(method),
            security=tuple(alternatives),
            deprecated=bool(raw.get("deprecated")),
            # (a body that must hold its key sends the same one at every attempt: Square's)
            idempotent=(
                http_method in _IDEMPOTENT_METHODS
                and not _creates_by_put(http_method, raw, text_of(raw, "summary"))
            )
            or body_key is True,
            declares_idempotency_key=declares_key,
            pagination=self._pagination(
                method.lower(), (path, pointer), raw, merged, parameters, context
            ),
            polling=polling_of(raw, responses),
            tags=tags,
            accept=accept,
            server=self._server(path, pointer, raw),
            failure=self.response_translator.failure(raw),
        )
        paged = operation.pagination
        if paged is not None:  # (a paged long-running operation: pages only)
            # a POST search (paged by its body, as detected) is a read: retried as a GET is;
            # one the spec declares paged (`x-pagination`) is not thereby a read
            read = paged.in_body and not isinstance(raw.get("x-pagination"), dict)
            operation = replace(operation, polling=None, idempotent=operation.idempotent or read)
        # an argument called like a name the `cast` target spells (`date` where the method
        # returns `list[date]`) would shadow it there: it gets another name, wire name kept
        renamed = rename_shadowing(
            (p.name for p in parameters), operation.cast_target_names(), reserved
        )
        if renamed:
            kept = tuple(replace(p, name=renamed.get(p.name, p.name)) for p in parameters)
            operation = replace(operation, parameters=kept)
        return operation

    def _body_idempotency_key(self, raw: dict[str, Any]) -> bool | None:
        """Does the JSON body have an `idempotency_key` property (Square's, required on
        payments and orders): True where it must hold it, False where it may, None without
        one? The API's own key then owns the argument: the client's `Idempotency-Key` header
        option took the name, the field became `idempotency_key_`, and Square's own spelling
        was refused as "Field required" (UX audit 6). One the body must hold makes the call
        retried as an idempotent one is (Square's payments were never retried: billing
        audit)."""
        body = self._deref(raw.get("requestBody"))
        content = body.get("content")
        found: bool | None = None
        for media_type, media in content.items() if isinstance(content, dict) else []:
            if "json" in str(media_type).lower() and isinstance(media, dict):
                schema = self._deref(media.get("schema"))
                members = [schema, *(self._deref(m) for m in schema.get("allOf") or [])]
                for member in members:
                    properties = member.get("properties")
                    if isinstance(properties, dict) and "idempotency_key" in properties:
                        listed = member.get("required")
                        must = isinstance(listed, list) and "idempotency_key" in listed
                        found = bool(found) or must
        return found

    def _server(self, path: str, pointer: str, raw: dict[str, Any]) -> str | None:
        """The first absolute server URL the operation, else its path item, declares, when
        it is not the document's first (a relative one is left to the client's base URL)."""
        paths = self.document.get("paths")
        item = paths.get(path) if isinstance(paths, dict) else None
        for owner in (raw, item if isinstance(item, dict) else {}):
            found = servers(owner)
            if found:
                url = found[0].url
                default = servers(self.document)
                if not url.startswith(("https://", "http://")):
                    return None
                if default and default[0].url == url:
                    return None
                tenants = document_tenant_domain(self.document)
                if default and foreign_server(url, default[0].url, tenants):
                    at = pointer if owner is raw else join_pointer("/paths", path)
                    message = (
                        f"the server {url!r} is another site than the API's (or clear text):"
                        " the client's credentials are not sent to it"
                    )
                    self.schemas.registry.notes.append((at + "/servers", "W313", message))
                return url
        return None

    def _pagination(
        self,
        method: str,
        where: tuple[str, str],
        raw: dict[str, Any],
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]],
        parameters: list[Parameter],
        context: str,
    ) -> Pagination | None:
        """The operation's pagination, when its spec shows one (see ir_pagination)."""
        path, pointer = where  # the operation's path, and its JSON pointer
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
        schemas = {
            name: p.get("schema") for (where, name), (p, _) in merged.items() if where == "query"
        }
        query = {p.wire_name: schemas.get(p.wire_name) for p in parameters if p.location == "query"}
        told: list[str] = []
        found = detect(self.document, method, raw, query, success, told, path=path)
        for message in told:  # a declaration that names nothing: detected instead
            self.schemas.registry.notes.append(
                (join_pointer(pointer, "x-pagination"), "W309", message + ": detected instead")
            )
        if found is None:
            return None
        item = self.schemas.annotation(found.items_schema, context + "Item", found.items_pointer)
        return Pagination(
            found.scheme,
            found.items,
            found.param,
            found.field,
            found.id_field,
            item,
            found.before_param,
            found.more_field,
            found.pages_field,
            found.total_field,
            found.pages_header,
            found.first_page,
            marker_field=found.marker[0] if found.marker else None,
            marker_param=found.marker[1] if found.marker else None,
            in_body=found.in_body,
            numbered=found.numbered,
        )


def _pick_media(content: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Prefer JSON, then form, multipart, text, anything else (in document order)."""
    ranked = sorted(content.items(), key=lambda item: (_media_rank(item[0]), says_nothing(item[1])))
    media_type, media = ranked[0]
    return str(media_type), media if isinstance(media, dict) else {}


def _media_rank(media_type: str) -> int:
    encoding = _encoding(media_type)
    return ["json", "form", "multipart", "text", "binary"].index(encoding)


def _encoding(media_type: str) -> str:
    return request_encoding(media_type)


def _unsaid(method: str, status: str, beside_body: bool) -> t.TypeNode:
    """What a success response without content returns: what arrives, `Any`, where the
    runtime returns a body as received (`received_as_is`), else None. UX audit 7: Zuora's
    invoice PDFs and GitLab's archives (a GET's 200) were typed `-> None`; UX audit 14: so
    were Walmart's orders (`default: {description: "successful operation"}`, POSTs among
    them) and a POST's 200 whose content the spec omits, and `result["list"]` failed
    `mypy --strict`."""
    return t.ANY if received_as_is(method, status, beside_body) else t.NONE


def _undeclared(method: str) -> t.TypeNode:
    """What an operation declaring no success returns: a GET's is what arrives, `Any` (UX
    audit 13: Vercel's artifact download declares only errors); another's, None."""
    return t.ANY if method.lower() == "get" else t.NONE
