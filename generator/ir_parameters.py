"""Stage 3b, parameters: an operation's parameters (its path item's, overridden by its own) →
`Parameter`s, each typed and named for the method's signature."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .ir import Parameter
from .ir_document import HTTP_TOKEN, DocumentReader, from_google, mentions_autorest, text_of
from .ir_media import is_json
from .ir_schemas import SchemaTranslator
from .lint import iter_operations, path_item
from .load import join_pointer
from .naming import NameScope, Style, comparison_text, styled
from .schema_defaults import example_text
from .schema_scalars import is_secret, is_sensitive_name

# Header parameters the HTTP layer owns (OpenAPI says these are ignored as parameters).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Headers the transport writes, which a parameter cannot set (W310, left out): a caller's
# `Content-Length` or `Transfer-Encoding` cannot frame the body httpx sends (VTEX's
# `Content-Length: 2183` made h11 refuse the request), `Host` is the base URL's, and
# `Connection` is hop-by-hop.
TRANSPORT_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection"})
# a header or cookie name (RFC 9110's token): any other is refused by the transport at
# every call (`X-Trace\r\nId`, `X Key`), outside the package's errors
_REQUEST_ID_HEADER = re.compile(r"(request|correlation|trace)[-_]?id$", re.IGNORECASE)
_FORM_MEDIA = "application/x-www-form-urlencoded"
# a header every call sends that names whom the calls are for (Xero's `xero-tenant-id`,
# Apideck's `x-apideck-app-id` and `x-apideck-consumer-id`) is a client argument: it is
# required in this share of the operations of a spec with at least `_SHARED_MINIMUM`, and
# its name says whom (`_WHOM`) and is no credential's (`_NOT_SHARED`: those are a security
# scheme's business, redacted; an argument's value is not)
_SHARED_SHARE, _SHARED_MINIMUM = 0.9, 5
_WHOM = re.compile(
    r"tenant|account|org|company|workspace|team|project|app|consumer|customer|partner"
    r"|merchant|site|realm|store|shop|business|instance",
    re.IGNORECASE,
)
# a header that says which version of the API the calls are written for (`Notion-Version`,
# `Stripe-Version`, `anthropic-version`): a client argument on the same terms (UX audit 13)
_VERSION_HEADER = re.compile(r"(?:^|[-_])version$", re.IGNORECASE)
_NOT_SHARED = re.compile(
    r"key|token|secret|passw|auth|session|sig|credential|cookie|bearer|jwt|ticket|nonce"
    r"|user|login|otp|url|uri",
    re.IGNORECASE,
)


# a resource name right after the version, a whole segment, with or without a `:verb`:
# `/v1beta/{name}`, `/v1/{parent}/subscriptions`, `/v1/{name}:undoCancel` (AIP-122)
_GOOGLE_RESOURCE_NAME = re.compile(r"/v\d[^/]*/\{([^{}/]+)\}(?::[^/]*)?(?:/|$)")


def google_resource_name(document: dict[str, Any], route: str) -> str | None:
    """The path parameter of `route` that holds a Google resource name (`billingAccounts/
    012345-567890-ABCDEF`, `partners/p1/subscriptions/s1`), in a document converted from
    Google's discovery format (APIs.guru's `info.x-origin`). Discovery writes such a
    parameter `{+name}`, RFC 6570's reserved expansion, which keeps its `/`s; the conversion
    dropped the `+`, and Google answers a name with `%2F` for its `/`s with 404 (billing
    audit: 201 of the directory's 299 googleapis.com files). None elsewhere."""
    if not from_google(document):
        return None
    match = _GOOGLE_RESOURCE_NAME.match(route)
    return match.group(1) if match else None


# AIP-122's resource name parameters, and a description that says one is (Cloud Billing's
# `billingAccount`: "Resource name of the billing account … `billingAccounts/{…}`")
_RESOURCE_PARAMETERS = frozenset({"name", "parent", "resource"})
_SAYS_RESOURCE_NAME = re.compile(r"resource name|\bformat:|\bform `?[A-Za-z]+/", re.IGNORECASE)


def _names_a_resource(wire: str, description: str | None) -> bool:
    """Is the path parameter `wire` a Google resource name (`{+name}` in discovery), not a
    value of its own after the version (Firebase's `v1/{dynamicLink}/linkStats`, a URL,
    whose `/`s must be encoded: review)?"""
    return wire in _RESOURCE_PARAMETERS or bool(_SAYS_RESOURCE_NAME.search(description or ""))


def _allows_reserved(parameter: dict[str, Any], location: str) -> bool:
    """A query parameter's `allowReserved: true`, or a path parameter's
    `x-ms-skip-url-encoding: true` (AutoRest: the value is not URL-encoded; 285 path
    parameters of the directory's Azure specs, `{scope}` and `{resourceId}` holding `/`s)
    or `allowReserved` (which 3.x defines for the query only)."""
    if location == "query":
        return parameter.get("allowReserved") is True
    if location == "path":
        return True in (parameter.get("x-ms-skip-url-encoding"), parameter.get("allowReserved"))
    return False


@dataclass
class ParameterTranslator(DocumentReader):
    """Translates the parameters of operations; uses the schema translator for their types."""

    schemas: SchemaTranslator

    def merged(
        self, path: str, pointer: str, raw: dict[str, Any]
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(in, name) → (parameter, pointer): the path item's, overridden by the operation's.
        A header's name is compared without case (RFC 9110: `X-Trace` and `x-trace` are one
        header); a parameter a list declares again is left out, the first kept (W316)."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        keys: dict[tuple[str, str], tuple[str, str]] = {}  # (in, a header's lower case) → key
        item_pointer, item = path_item(self.document, path)
        sources = [(item.get("parameters"), join_pointer(item_pointer, "parameters"))]
        sources.append((raw.get("parameters"), join_pointer(pointer, "parameters")))
        for parameters, list_pointer in sources:
            firsts: dict[tuple[str, str], str] = {}  # this list's: (in, folded name) → name
            for index, entry in enumerate(parameters if isinstance(parameters, list) else []):
                parameter = self._deref(entry)
                name, location = parameter.get("name"), parameter.get("in")
                locations = _LOCATIONS_32 if self.openapi_32 else _LOCATIONS
                if isinstance(name, str) and location in locations:
                    at = join_pointer(list_pointer, index)
                    if location == "header" and name.lower() in IGNORED_HEADERS:
                        continue
                    if location == "header" and name.lower() in TRANSPORT_HEADERS:
                        self._left_out(name, at)
                        continue
                    if location in ("header", "cookie") and not HTTP_TOKEN.match(name):
                        self._unsendable(name, str(location), at)
                        continue
                    key = (str(location), name)
                    same = (key[0], name.lower()) if location == "header" else key
                    if same in firsts:
                        self._duplicate(name, firsts[same], key[0], at)
                        continue
                    firsts[same] = name
                    previous = keys.get(same, key)
                    if previous != key:  # the path item's `X-Trace`, the operation's `x-trace`
                        merged = {key if k == previous else k: v for k, v in merged.items()}
                    keys[same] = key
                    merged[key] = (parameter, at)
        return merged

    def parameters(
        self,
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]],
        context: str,
        signature: NameScope,
        supplied: frozenset[tuple[str, str]] = frozenset(),
        route: str = "",
    ) -> list[Parameter]:
        """The method's parameters, required ones first, each named in `signature` and typed
        (`context` names the classes its inline schemas need); a 3.2 `querystring` object
        becomes its properties' query pairs, or is left out (W307). One a credential of the
        operation sends (`supplied`: location, name, a header's in lower case) is optional:
        the client sends the credential unless the call gives the argument. `route`: the
        operation's path (a Google resource name in it keeps its `/`s)."""
        resource_name = google_resource_name(self.document, route) if route else None

        def required_of(parameter: dict[str, Any]) -> bool:
            location, wire = str(parameter["in"]), str(parameter["name"])
            key = wire.lower() if location == "header" else wire
            return _is_required(parameter) and (location, key) not in supplied

        ordered = sorted(merged.values(), key=lambda item: (not required_of(item[0]), 0))
        result = []
        for parameter, param_pointer in ordered:
            wire, location = str(parameter["name"]), str(parameter["in"])
            schema = parameter.get("schema")
            schema_pointer = join_pointer(param_pointer, "schema")
            json_content = False  # described by `content: {application/json: …}`
            if not isinstance(schema, dict):
                media_type, first = next(iter(self._content(parameter).items()), ("", {}))
                schema = first.get("schema", {}) if isinstance(first, dict) else {}
                schema_pointer = join_pointer(param_pointer, "content", str(media_type), "schema")
                json_content = is_json(str(media_type))
            querystring = location == "querystring"
            if querystring:
                if not self._sends_querystring(parameter, param_pointer):
                    continue
                location = "query"  # an object in form encoding: each property a query pair
            if location == "path":
                schema = _without_empty_value(schema)
            spelled = comparison_text(wire, self._dated(schema))
            node = self.schemas.annotation(
                schema,
                context + styled(spelled, Style.PASCAL),
                join_pointer(param_pointer, "schema"),
            )
            required = required_of(parameter)
            client = self._is_client(parameter, location, schema)
            client_required = client and required  # (refused when neither gives it)
            if client:  # the client's value unless the call gives one
                required = False
            default: t.Lit | t.MemberRef | None = None
            description = text_of(parameter, "description") or text_of(
                self._deref(schema), "description"
            )
            api_version = self._api_version(wire, location, schema) if required else None
            if api_version is not None:
                required, default = False, t.Lit(api_version)
                told = f"Defaults to the spec's version, {api_version} (AutoRest's convention)."
                description = f"{description.rstrip()} {told}" if description else told
            elif not required:
                node = t.optional(node)
                default = self.schemas.default_of(schema, node, schema_pointer)
                if _given(default) and wire.lower() != "api-version":
                    # the server's own: sent only where the caller gives it (UX audit 10:
                    # VTEX's defaults are examples, and a list went out with 20 filters);
                    # a secret's is not shown (hostile audit 13)
                    if not _secret_parameter(wire, self._deref(schema)):
                        description = _told_default(description, self._deref(schema))
                    default = t.Lit(None)
            elif not client:  # a required one with a default (Codat's `page`): sent unless given
                fallback: t.Lit | t.MemberRef = t.Lit(None)
                # (not a path's: its default is a sample as often as not, VTEX's `insert
                # identifier here`, and calls went to it; regression audit 2)
                if location != "path" and _fills_its_default(wire, self._deref(schema)):
                    fallback = self.schemas.default_of(schema, node, schema_pointer)
                if not _given(fallback) and location in ("query", "header"):
                    fallback = self._constant(schema, node, schema_pointer)
                if _given(fallback):
                    required, default = False, fallback
            style = "form" if querystring else parameter.get("style")
            explode = True if querystring else parameter.get("explode")
            if json_content and not querystring:
                # OpenAPI: serialised by its media type, i.e. as JSON text under its own name
                style, explode = "json", False
            default_style = "form" if location in ("query", "cookie") else "simple"
            result.append(
                Parameter(
                    name=signature.claim(spelled, Style.SNAKE, prefix="param"),
                    wire_name=wire,
                    location=location,
                    type=node,
                    required=required,
                    default=default,
                    description=description,
                    explode=explode
                    if isinstance(explode, bool)
                    else (style or default_style) == "form",
                    style=style if isinstance(style, str) else default_style,
                    request_id=location == "header" and bool(_REQUEST_ID_HEADER.search(wire)),
                    allow_reserved=_allows_reserved(parameter, location)
                    or (
                        location == "path"
                        and wire == resource_name
                        and _names_a_resource(wire, description)
                    ),
                    example=example_text(parameter, self._deref)
                    or example_text(self._deref(schema), self._deref),
                    client=client,
                    client_required=client_required,
                )
            )
        return result

    def _constant(
        self, schema: dict[str, Any], node: t.TypeNode, pointer: str
    ) -> t.Lit | t.MemberRef:
        """The one value a parameter's schema allows (a `const`, or an `enum` of one), as its
        default: AWS's `X-Amz-Target: secretsmanager.GetRandomPassword`, required of each
        of 5,560 operations of 131 directory specs, had to be typed by hand (UX audit 11)."""
        resolved = self._deref(schema)
        values = resolved.get("enum")
        if "const" in resolved:
            value = resolved["const"]
        elif isinstance(values, list) and len(values) == 1:
            value = values[0]
        else:
            return t.Lit(None)
        return self.schemas.default_of({**resolved, "default": value}, node, pointer)

    @functools.cached_property
    def _autorest(self) -> bool:
        return mentions_autorest(self.document)

    @functools.cached_property
    def _global_parameters(self) -> frozenset[int]:
        """Ids of the parameters a document speaking AutoRest declares in `components`
        (its global `parameters`, which AutoRest makes client parameters by default)."""
        if not self._autorest:
            return frozenset()
        components = self.document.get("components")
        found = components.get("parameters") if isinstance(components, dict) else None
        return frozenset(id(v) for v in found.values()) if isinstance(found, dict) else frozenset()

    @functools.cached_property
    def _shared(self) -> frozenset[tuple[str, str]]:
        """(location, lower-case name) of the parameters whom the calls are for (see
        `_SHARED_SHARE`): required plain strings in nearly every operation, not HTTP's own
        nor credentials; headers (Xero's tenant), and outside AutoRest's documents (which
        say their client parameters themselves) path and query ones too (Twilio's
        `AccountSid`, Keycloak's `realm`, Google's `project`)."""
        found: dict[tuple[str, str], int] = {}
        count = 0
        locations = ("header",) if self._autorest else ("header", "path", "query")
        for path, _, _, raw in iter_operations(self.document):
            count += 1
            _, item = path_item(self.document, path)
            names = set()
            for entries in (item.get("parameters"), raw.get("parameters")):
                for entry in entries if isinstance(entries, list) else ():
                    if not isinstance(entry, dict):
                        continue
                    parameter = self._deref(entry) if "$ref" in entry else entry
                    location, name = parameter.get("in"), parameter.get("name")
                    # (a version header counts given or not: Notion's optional
                    # `Notion-Version`, which its API requires, on 12 of its 13 operations)
                    versioned = location == "header" and _VERSION_HEADER.search(str(name))
                    if location in locations and (_is_required(parameter) or versioned):
                        if isinstance(name, str) and self._plain(parameter.get("schema")):
                            names.add((str(location), name.lower()))
            for key in names:
                found[key] = found.get(key, 0) + 1
        if count < _SHARED_MINIMUM:
            return frozenset()
        return frozenset(
            (location, name)
            for (location, name), uses in found.items()
            if uses >= _SHARED_SHARE * count
            and (_WHOM.search(name) or (location == "header" and _VERSION_HEADER.search(name)))
            and not _NOT_SHARED.search(name)
            and not _REQUEST_ID_HEADER.search(name)
            and not (location == "header" and name in self._scheme_headers)
        )

    @functools.cached_property
    def _scheme_headers(self) -> frozenset[str]:
        """The headers (lower case) an API key security scheme sends: a credential, which
        the client's own argument gives (Apideck's `consumerId` scheme is the header its
        operations also require as a parameter: two constructor arguments for one value)."""
        components = self.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        return frozenset(
            str(raw.get("name", "")).lower()
            for raw in (schemes.values() if isinstance(schemes, dict) else ())
            if isinstance(raw, dict) and raw.get("in") == "header"
        )

    def _plain(self, schema: Any) -> bool:
        """Is the schema a plain string (no enum, const, default or format to keep)?"""
        resolved = self._deref(schema)
        if not isinstance(resolved, dict) or resolved.get("type", "string") != "string":
            return False
        return not ({"enum", "const", "default", "format"} & resolved.keys())

    def _is_client(self, parameter: dict[str, Any], location: str, schema: Any) -> bool:
        """Is this a client parameter: one whom every call is for (`_shared`),
        or AutoRest's: marked `x-ms-parameter-location: client`, or global and unmarked
        (AutoRest's default), or ARM's `subscriptionId`? Only a plain string in the path,
        the query or a header (not `api-version`, which defaults to the spec's version),
        since the client takes it as a string."""
        if (location, str(parameter.get("name")).lower()) in self._shared:
            return True
        marked = parameter.get("x-ms-parameter-location")
        if marked == "client" or (
            # ARM's `/subscriptions/{subscriptionId}/…`, which converted specs often inline
            marked is None and parameter.get("name") == "subscriptionId" and location == "path"
        ):
            if not self._autorest:
                return False
        elif marked is not None or id(parameter) not in self._global_parameters:
            return False
        if location not in ("path", "query", "header") or parameter.get("name") == "api-version":
            return False
        return self._plain(schema)

    def _api_version(self, wire: str, location: str, schema: Any) -> str | None:
        """The default of a required `api-version` query parameter that has none: the
        spec's `info.version`, which AutoRest's clients send ("used as the default value for
        Azure clients where api-version is passed in the querystring"; ~300 of the
        directory's Azure specs declare it so). Only for a plain string (no enum, const or
        pattern to contradict it)."""
        if location != "query" or wire != "api-version":
            return None
        info = self.document.get("info")
        version = info.get("version") if isinstance(info, dict) else None
        resolved = self._deref(schema)
        if not (isinstance(version, str) and version.strip() and isinstance(resolved, dict)):
            return None
        if resolved.get("type", "string") != "string":
            return None
        if {"enum", "const", "pattern", "default"} & resolved.keys():
            return None
        return version

    def _left_out(self, name: str, pointer: str) -> None:
        """Note (W310, once a parameter) a header parameter the transport writes itself."""
        note = (
            pointer,
            "W310",
            f"header parameter {name!r} is written by the HTTP transport (it frames or routes"
            " the request): the parameter is left out of the method",
        )
        if note not in self.schemas.registry.notes:  # a path item's: once, not per operation
            self.schemas.registry.notes.append(note)

    def _duplicate(self, name: str, first: str, location: str, pointer: str) -> None:
        """Note (W316, once a parameter) one a parameter list declares again: the same name
        in the same location, a header's without case (`x-trace` after `X-Trace`)."""
        said = (
            f"{location} parameter {name!r} is declared twice in one list"
            if name == first
            else f"header parameter {name!r} names the header {first!r} declared before it"
            " (HTTP compares header names without case)"
        )
        message = f"{said}: the first is kept, this one is left out of the method"
        note = (pointer, "W316", message)
        if note not in self.schemas.registry.notes:  # a path item's: once, not per operation
            self.schemas.registry.notes.append(note)

    def _unsendable(self, name: str, location: str, pointer: str) -> None:
        """Note (W311, once a parameter) a header or cookie name HTTP cannot carry."""
        note = (
            pointer,
            "W311",
            f"{location} parameter {name!r} is not an HTTP token (a space, a control"
            " character, a separator): no request can carry it, the parameter is left out",
        )
        if note not in self.schemas.registry.notes:
            self.schemas.registry.notes.append(note)

    def _dated(self, schema: Any) -> bool:
        """Is this parameter a date or a date-time (its comparisons read before/after)?"""
        target = self._deref(schema) if isinstance(schema, dict) else None
        return isinstance(target, dict) and target.get("format") in ("date", "date-time")

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


def query_from_template(merged: Merged, pairs: tuple[tuple[str, str], ...], at: str) -> Merged:
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


def _given(default: t.Lit | t.MemberRef) -> bool:
    """Does a parameter's default (`default_of`) give a value?"""
    return isinstance(default, t.MemberRef) or default.value is not None


# a required parameter's default the call should choose: a page's size (Postmark's required
# `count` defaulting to 1 paged one item a request) or a date (a spec export's own timestamp,
# as contract-p.fit's `start_date`: regression audit)
_CHOSEN = re.compile(r"count|limit|size|max|top|per_?page", re.IGNORECASE)


def _fills_its_default(wire: str, schema: dict[str, Any]) -> bool:
    """Does a required parameter's default stand for the call (Codat's `page` from 1)? Not
    a credential's (data2crm's sample keys, Oxford Dictionaries' `app_id`/`app_key`: a call
    without the user's own went out under the spec's; regression audit)."""
    dated = schema.get("format") in ("date", "date-time", "time")
    secret = _secret_parameter(wire, schema) or _APP_ID.search(wire) is not None
    return not dated and not secret and _CHOSEN.search(wire) is None


_APP_ID = re.compile(r"(?:app|client|account)[-_]?id", re.IGNORECASE)


def _secret_parameter(wire: str, schema: dict[str, Any]) -> bool:
    """Does a parameter hold a secret, by its schema or its name (`api_key`, `token`'s
    kin, `Authorization`)?"""
    written = schema.get("writeOnly") is True
    credential = _SECRET_WORDS.search(wire) is not None  # (hiding a key's default costs nothing)
    return written or credential or is_secret(schema) or is_sensitive_name(wire, "")


_SECRET_WORDS = re.compile(r"token|secret|passw|key|sig|auth|cred|cookie|session", re.IGNORECASE)


def _told_default(description: str, schema: dict[str, Any]) -> str:
    """The description, with the spec's default of an optional parameter, not sent."""
    shown = json.dumps(schema.get("default"), ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    told = f"Default `{shown}` (the server's: not sent unless given)."
    return f"{description.rstrip()} {told}" if description else told


def _without_empty_value(schema: dict[str, Any]) -> dict[str, Any]:
    """A path parameter's inline enum without `""`, which no call can send (the runtime
    refuses an empty path segment: the request would go to another URL): kompany's
    `enum: ["", "mini", "master"]` typed `""` as valid and the README's example used it
    (UX audit 8)."""
    enum = schema.get("enum")
    if isinstance(enum, list) and "" in enum and any(v != "" for v in enum):
        return {**schema, "enum": [value for value in enum if value != ""]}
    return schema


def _is_required(parameter: dict[str, Any]) -> bool:
    """Path parameters are always required; others when they say so."""
    return parameter.get("in") == "path" or parameter.get("required") is True
