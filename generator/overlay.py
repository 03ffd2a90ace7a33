"""Stage 3 (entry): the configuration's per-operation overrides laid over the document.

`resources` (operationId → `customers.sources`) and `pagination` (operationId → an
`x-pagination` value: a mapping, or `false`) say what an operation's `x-sdk-resource` and
`x-pagination` extensions would say; they win over the spec's own. Keys are operationIds
or glob patterns of them (an exact key wins over patterns; among patterns, the first in
sorted order).

The document is not changed: the operations concerned, and the mappings above them on
their pointers, are copied, everything else is shared. Nothing is resolved here: the
pointers are those `lint.iter_operations` reports (the loader has bundled every reference).
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .lint import iter_operations
from .load import deref, split_pointer

__all__ = [
    "AUTHORIZATION_SCHEME",
    "authorization_overlay",
    "duplicate_schemes_overlay",
    "operation_parameters",
    "override_operations",
    "unrequired_schemes_overlay",
    "with_all",
]

AUTHORIZATION_SCHEME = "authorization"


def override_operations(
    document: dict[str, Any],
    resources: Iterable[tuple[str, str]] = (),
    pagination: Iterable[tuple[str, str]] = (),
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The document with the overrides laid over its operations, and the configuration
    keys that matched no operation, as (table, key): `("resources", "GetFoo*")`.

    `pagination` values are JSON text (as `Options` keeps them hashable).
    """
    tables = {
        "resources": ("x-sdk-resource", {key: value for key, value in resources}),
        "pagination": (
            "x-pagination",
            {key: json.loads(value) for key, value in pagination},
        ),
    }
    if not any(table for _, table in tables.values()):
        return document, []
    writes: dict[str, dict[str, Any]] = {}
    used: set[tuple[str, str]] = set()
    for path, method, pointer, raw in iter_operations(document):
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str):
            operation_id = f"{method.lower()} {path}"
        for label, (extension, table) in tables.items():
            key = _match(table, operation_id)
            if key is not None:
                used.add((label, key))
                writes.setdefault(pointer, {})[extension] = table[key]
    unmatched = [
        (label, key)
        for label, (_, table) in tables.items()
        for key in sorted(table)
        if (label, key) not in used
    ]
    changed: list[tuple[list[str], Mapping[str, Any]]] = [
        (split_pointer(pointer), values) for pointer, values in writes.items()
    ]
    result: dict[str, Any] = _with_all(document, changed)
    return result, unmatched


_OAUTH1 = re.compile(r"\boauth\s*1(?:\.0a?)?\b", re.IGNORECASE)


def authorization_overlay(document: dict[str, Any]) -> dict[str, Any]:
    """The document with an `Authorization` header parameter read as a credential, where no
    security scheme of the spec sends that header: OpenAPI ignores such a parameter, so the
    method took no argument and the client sent nothing (payrun.io's 389 operations, India's
    health-stack APIs: every call went out unauthenticated). An API-key scheme
    `authorization` (sent as given: `Client(authorization="Bearer …")`, or
    `$<PKG>_AUTHORIZATION`) is added, and the operations declaring the parameter require it
    beside any scheme they name (an optional parameter: when configured). Where the document
    says nothing else of security (no scheme, no requirement anywhere), the other operations
    send it too when configured (Zuora's: 51 of 428 operations declare the header, and the
    accounts, subscriptions and payments went out without it: 401). Unchanged when a scheme
    already sends the header.

    Without such a parameter, a header parameter named as an API key (`x-api-key`,
    `apikey`, `X-Auth-Token`…: the most declared) that no scheme sends is read the same way,
    its scheme named as the header (`Client(x_api_key=…)`, `$<PKG>_X_API_KEY`): NOWPayments'
    key was a per-call argument of 11 of its 16 methods, and nothing on the client (UX audit
    8; 20 directory specs declare no scheme for such a header). So is, beside it, each header
    named as a credential that (nearly) every operation requires (`_credential_headers`):
    Postmark's `X-Postmark-Server-Token` (`Client(x_postmark_server_token=…)`) was an
    argument of each of its 43 methods, with no variable, and not redacted (UX audit 14)."""
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    declared = declared if isinstance(declared, dict) else {}
    said = bool(declared) or bool(_list(document.get("security")))
    said = said or any(_list(raw.get("security")) for *_, raw in iter_operations(document))
    result = document
    for header in _credential_headers(document, declared):
        result = _header_overlay(result, header, said)
    return result


def _header_overlay(document: dict[str, Any], header: str, said: bool) -> dict[str, Any]:
    """The document with `header` a credential (`authorization_overlay`): an API-key scheme
    sending it, required by the operations declaring the parameter, beside what they
    require; by the others too, when configured, unless the document `said` anything of
    security."""
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    declared = declared if isinstance(declared, dict) else {}
    key = AUTHORIZATION_SCHEME if header.lower() == "authorization" else header.lower()
    if key in declared:
        return document
    writes: dict[str, list[dict[str, Any]]] = {}
    described = ""
    others: list[tuple[str, list[dict[str, Any]]]] = []  # those not declaring the header
    for path, _method, pointer, raw in iter_operations(document):
        found = [p for p in _parameters(document, path, raw) if _is_header(p, header)]
        security = raw.get("security", document.get("security"))
        requirements = [r for r in _list(security) if isinstance(r, dict)] or [{}]
        with_it = [{**r, key: []} for r in requirements]
        if not found:
            # sent when configured, beside the credentials another header's scheme gave it
            others.append((pointer, [*with_it, *requirements]))
            continue
        described = described or str(found[0].get("description") or "")
        # an optional parameter: sent when configured, the spec's requirements otherwise
        optional = not any(p.get("required") is True for p in found)
        writes[pointer] = [*with_it, *requirements] if optional else with_it
    if not writes:
        return document
    for pointer, requirements in others if not said else ():
        writes[pointer] = requirements
    scheme: dict[str, Any] = {"type": "apiKey", "in": "header", "name": header}
    if header.lower() == "authorization" and _OAUTH1.search(described):
        # a signature per request (PayRun.io's "The OAuth 1 authorization header"), which no
        # fixed value can be: an `http` scheme of its word, for an `httpx.Auth` that signs
        # (its consumer key went out as the header's whole value; payments audit 21)
        scheme = {"type": "http", "scheme": "OAuth"}
    if described:
        scheme["description"] = described
    schemes = {**declared, key: scheme}
    held = components if isinstance(components, dict) else {}
    result = {**document, "components": {**held, "securitySchemes": schemes}}
    changed: list[tuple[list[str], Mapping[str, Any]]] = [
        (split_pointer(pointer), {"security": requirements})
        for pointer, requirements in writes.items()
    ]
    written: dict[str, Any] = _with_all(result, changed)
    return written


def unrequired_schemes_overlay(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every credential it declares sent when configured, where it
    declares schemes and requires none anywhere (no `security` at its root or on any
    operation): Taxamo declares its `Token` API key and requires it nowhere, so the client
    offered `api_key=` and `$<PKG>_API_KEY` and sent it on none of its 36 operations (UX
    audit 9: every call got 401). An API declares a scheme to be used; the credential goes
    only to the API's own origin, as any does.

    The requirement is each combination of the schemes, the most first, then none
    (`_combinations`): the client sends the first whose credentials are all configured, so
    every one configured goes out. Billbee's key header and HTTP Basic, both needed on each
    call, were alternatives, and the Basic credential configured beside the key was never
    sent (UX audit 15: 401 on every call; 15 directory specs declare several schemes and
    require none). Schemes sending the same header (two on `Authorization`) stay
    alternatives of each other."""
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(declared, dict) or not declared or "security" in document:
        return document
    if any("security" in raw for _path, _method, _pointer, raw in iter_operations(document)):
        return document
    alternatives: list[dict[str, Any]] = [
        {name: [] for name in names} for names in _combinations(declared)
    ]
    return {**document, "security": [*alternatives, {}]}


# schemes declared and required nowhere that are combined (more are alternatives alone:
# 2**n requirements; the directory's most is 3)
_MAX_COMBINED = 6


def _combinations(declared: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The non-empty combinations of the declared schemes, the largest first (in declared
    order within a size), none holding two that send the same header, query parameter or
    cookie (`_slot`); each scheme alone where there are over `_MAX_COMBINED`."""
    names = [str(name) for name in declared]
    if len(names) > _MAX_COMBINED:
        return [(name,) for name in names]
    found: list[tuple[str, ...]] = []
    for size in range(len(names), 0, -1):
        for combination in itertools.combinations(names, size):
            slots = [_slot(declared[name]) for name in combination]
            if len(set(slots)) == len(slots):
                found.append(combination)
    return found


def _slot(scheme: Any) -> tuple[str, str]:
    """Where a scheme sends its credential: ("header", "authorization") for HTTP and OAuth2
    schemes, an API key's location and name (a header's in lower case)."""
    if not isinstance(scheme, dict) or _sends_authorization(scheme):
        return ("header", "authorization")
    location, name = str(scheme.get("in", "")), str(scheme.get("name", ""))
    return (location, name.lower() if location == "header" else name)


def duplicate_schemes_overlay(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each security scheme that repeats an earlier one under a name
    differing only by case or punctuation (Telnyx's `BearerAuth` and `bearerAuth`, both
    HTTP bearer) folded into that one: the operations requiring it require the first. They
    were two credentials, `bearer_auth=` and `bearer_auth_=` (`$…_BEARER_AUTH_`), and with
    the README's variable 18 of Telnyx's operations went out without one (UX audit 12)."""
    components = document.get("components")
    if not isinstance(components, dict):
        return document
    declared = components.get("securitySchemes")
    if not isinstance(declared, dict) or len(declared) < 2:
        return document
    first: dict[tuple[str, str], str] = {}  # (folded name, definition) → the first key
    aliases: dict[str, str] = {}
    for key, raw in declared.items():
        if not isinstance(raw, dict):
            continue
        folded = re.sub(r"[^0-9a-z]", "", str(key).lower())
        definition = json.dumps(
            {k: v for k, v in raw.items() if k != "description"}, sort_keys=True, default=str
        )
        found = first.setdefault((folded, definition), str(key))
        if found != key:
            aliases[str(key)] = found
    slots = {
        str(key): _slot(scheme) for key in declared if (scheme := deref(document, declared[key]))
    }
    lists = [("", document["security"])] if "security" in document else []
    lists += [
        (p, raw["security"]) for _, _, p, raw in iter_operations(document) if "security" in raw
    ]
    rewritten = [(p, _requirements(found, aliases, slots)) for p, found in lists]
    if not aliases and all(new == old for (_, new), (_, old) in zip(rewritten, lists, strict=True)):
        return document
    # a scheme every requirement of which was rewritten into another is no credential of its own
    required = {str(name) for _, found in lists for name in _names_in(found)}
    still = {str(name) for _, found in rewritten for name in _names_in(found)}
    gone = set(aliases) | (required - still)
    kept = {k: v for k, v in declared.items() if k not in gone}
    result = {**document, "components": {**components, "securitySchemes": kept}}
    changed: list[tuple[list[str], Mapping[str, Any]]] = [
        (split_pointer(pointer), {"security": new})
        for (pointer, new), (_, old) in zip(rewritten, lists, strict=True)
        if new != old
    ]
    written: dict[str, Any] = _with_all(result, changed)
    return written


def _names_in(requirements: Any) -> Iterator[Any]:
    """The scheme names a list of security requirements names."""
    for requirement in requirements if isinstance(requirements, list) else ():
        if isinstance(requirement, dict):
            yield from requirement


def _requirements(
    requirements: Any, aliases: Mapping[str, str], slots: Mapping[str, tuple[str, str]]
) -> Any:
    """Security requirements with each folded scheme's name replaced by its first's, and,
    within one requirement, each scheme that sends its credential where an earlier one
    does (`_slot`) folded into that one: Google's APIs require `Oauth2` and `Oauth2c`
    together (two OAuth2 flows, one `Authorization: Bearer` header: 264 directory specs),
    and the client refused every call given one token ("also needs the credentials:
    Oauth2c"), or sent one of two configured (UX audit 18)."""
    if not isinstance(requirements, list):
        return requirements
    renamed = []
    for requirement in requirements:
        if not isinstance(requirement, dict):
            renamed.append(requirement)
            continue
        merged: dict[str, Any] = {}
        holder: dict[tuple[str, str], str] = {}  # a slot → the scheme of the requirement on it
        for name, scopes in requirement.items():
            target = aliases.get(name, name)
            slot = slots.get(target)
            if slot is not None:
                target = holder.setdefault(slot, target)
            merged[target] = _list(merged.get(target)) + _list(scopes)
        renamed.append(merged)
    return renamed


# header parameters named as an API key or a token (read as one where no scheme sends them)
_KEY_HEADER = re.compile(
    r"(?:x-)?(?:api[-_]?key|apikey|api[-_]?token|auth[-_]?token|access[-_]?token)", re.IGNORECASE
)
# a word of a header's name (split at `-`, `_`, `.`) that says it holds a credential
# (`X-Postmark-Server-Token`, `WM_SEC.ACCESS_TOKEN`, `ev-api-key`, `apisecret`, `AppKey`)…
_CREDENTIAL_WORD = re.compile(
    r"(?:api|app|dev|access|auth|client|user|bearer)?(?:key|token|secret)"
    r"|sig|signature|authorization|authentication",
    re.IGNORECASE,
)
# …unless another says it is one a call or a page is given, not the caller's own
# (`Idempotency-Key`, `X-Next-Page-Token`, `X-CSRF-Token`, `X-Upload-Token`)
_PER_CALL_WORD = re.compile(
    r"idempoten\w*|page|next|continu\w*|cursor|c?srf|xsrf|nonce|request|correlation|trace"
    r"|refresh|sync|captcha|lock|lease|upload|resume|dedup\w*|etag|partition|sort|routing"
    r"|cache|encryption|verification|verify|reset|confirm\w*|invit\w*|otp|webhook|hook",
    re.IGNORECASE,
)
# the share of a document's operations that must require such a header
_CREDENTIAL_SHARE = 0.9


def _credential_headers(document: dict[str, Any], declared: Mapping[str, Any]) -> list[str]:
    """The headers parameters send as credentials that no declared scheme sends: that of
    `_credential_header`, and each named as a credential (`_CREDENTIAL_WORD`, not
    `_PER_CALL_WORD`) that (nearly) every operation requires (Postmark's
    `X-Postmark-Server-Token` on its 43 operations, Walmart's `WM_SEC.ACCESS_TOKEN`), in
    the order first declared."""
    first = _credential_header(document, declared)
    headers = [first] if first is not None else []
    sent = _scheme_headers(declared)
    if any(_sends_authorization(s) for s in declared.values()):
        sent.add("authorization")
    required: dict[str, list[Any]] = {}  # lower-cased name -> [count, first spelling]
    operations = 0
    for path, _method, _pointer, raw in iter_operations(document):
        operations += 1
        names: dict[str, str] = {}  # lower-cased name -> spelling
        for parameter in _parameters(document, path, raw):
            if not isinstance(parameter, dict) or parameter.get("in") != "header":
                continue
            name = str(parameter.get("name", ""))
            if parameter.get("required") is True and _names_credential(name):
                names.setdefault(name.lower(), name)
        for lower, name in names.items():
            required.setdefault(lower, [0, name])[0] += 1
    taken = {h.lower() for h in headers} | sent
    for lower, (count, name) in required.items():
        if lower not in taken and count >= _CREDENTIAL_SHARE * operations:
            headers.append(name)
    return headers


def _names_credential(name: str) -> bool:
    """Does a header's name say it holds the caller's credential (`_CREDENTIAL_WORD`)?"""
    words = re.split(r"[-_.\s]+", name)
    if any(_PER_CALL_WORD.fullmatch(word) for word in words):
        return False
    return any(_CREDENTIAL_WORD.fullmatch(word) for word in words)


def _scheme_headers(declared: Mapping[str, Any]) -> set[str]:
    """The headers (lower case) the declared API-key schemes send."""
    return {
        str(s.get("name", "")).lower()
        for s in declared.values()
        if isinstance(s, dict)
        and str(s.get("type", "")).lower() == "apikey"
        and s.get("in") == "header"
    }


def _credential_header(document: dict[str, Any], declared: Mapping[str, Any]) -> str | None:
    """The header a parameter sends as a credential that no declared scheme sends:
    `Authorization` where some operation declares it, else the header named as an API key
    that the most operations declare (as first spelled); None without either."""
    sent = _scheme_headers(declared)
    authorization_sent = any(_sends_authorization(s) for s in declared.values())
    keys: dict[str, list[Any]] = {}  # lower-cased name -> [count, first spelling]
    for path, _method, _pointer, raw in iter_operations(document):
        for parameter in _parameters(document, path, raw):
            if not isinstance(parameter, dict) or parameter.get("in") != "header":
                continue
            name = str(parameter.get("name", ""))
            if name.lower() == "authorization":
                if authorization_sent:
                    continue
                return name
            if _KEY_HEADER.fullmatch(name) and name.lower() not in sent:
                keys.setdefault(name.lower(), [0, name])[0] += 1
    if not keys:
        return None
    return str(max(keys.values(), key=lambda entry: entry[0])[1])


def _parameters(document: dict[str, Any], path: str, raw: dict[str, Any]) -> list[Any]:
    """An operation's parameters and its path item's, resolved."""
    item = deref(document, document["paths"].get(path))
    entries = [*_list(item.get("parameters")), *_list(raw.get("parameters"))]
    return [deref(document, entry) for entry in entries]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_header(parameter: Any, name: str) -> bool:
    return (
        isinstance(parameter, dict)
        and parameter.get("in") == "header"
        and str(parameter.get("name", "")).lower() == name.lower()
    )


def _sends_authorization(scheme: Any) -> bool:
    """Does a declared security scheme send the `Authorization` header?"""
    if not isinstance(scheme, dict):
        return False
    kind = str(scheme.get("type", "")).lower()
    if kind in ("http", "oauth2", "openidconnect"):
        return True
    named = str(scheme.get("name", "")).lower() == "authorization"
    return kind == "apikey" and scheme.get("in") == "header" and named


def _match(table: Mapping[str, Any], operation_id: str) -> str | None:
    """The key of `table` that names `operation_id`: itself, else the first pattern."""
    if operation_id in table:
        return operation_id
    return next((k for k in sorted(table) if fnmatch.fnmatchcase(operation_id, k)), None)


def _with_all(node: Any, writes: list[tuple[list[str], Mapping[str, Any]]]) -> Any:
    """A copy of `node` with each write's `values` set in the mapping at its tokens (copy on
    write), each container on the way copied once: a write at a time copied the `paths` for
    each operation written, quadratic in the operations."""
    if not writes:
        return node
    here: dict[str, Any] = {}
    below: dict[str, list[tuple[list[str], Mapping[str, Any]]]] = {}
    for tokens, values in writes:
        if tokens:
            below.setdefault(tokens[0], []).append((tokens[1:], values))
        else:
            here.update(values)
    if isinstance(node, list):
        copied = list(node)
        for head, items in below.items():
            copied[int(head)] = _with_all(node[int(head)], items)
        return copied
    found = {**node, **here}
    for head, items in below.items():
        found[head] = _with_all(node[head], items)
    return found


# shared with `overlay_query` (query parameters read as credentials)
operation_parameters = _parameters
with_all = _with_all
