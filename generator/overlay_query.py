"""Stage 3 (entry): query parameters that carry the caller's credential, read as one.

Some APIs ask for their key in the query of each call, by parameters rather than by a
security scheme: Weatherbit's `key` on its 47 operations (no scheme), Vonage's
`api_key`/`api_secret` on the account operations its basic scheme does not cover, Trello's
`key` and `token` (two API-key schemes declared and required nowhere, so neither was
required as a pair). Each was a required argument of every method, with nothing on the
client. `query_credentials_overlay` makes such a parameter a credential, as
`overlay.authorization_overlay` does a header: an API-key scheme sending it in the query
(the one the document declares for it, else one named as the parameter), required by the
operations declaring it. The IR then makes the parameter optional in those methods
(`ir_document.credential_parameters`): the client sends the credential unless the call
gives the argument, and either value is a secret of the request (redacted).

Conservative: only a parameter named as a credential (`api_key`, `apiSecret`, `key`,
`token`, `access_token`; not a page token, a signature computed per call, an idempotency
or sort key), a plain string, that (nearly) every operation requires, counting among the
others only those no declared scheme already secures (Vonage's secrets API, under basic
auth), and at least half of all of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .lint import iter_operations
from .load import deref, split_pointer
from .overlay import operation_parameters, with_all

__all__ = ["query_credentials_overlay"]

# a query parameter's name (its words run together, in lower case) that says it holds the
# caller's credential and nothing else: `key`, `api_key`, `apiKey`, `api_secret`, `token`,
# `access_token`, `authtoken`, `secretKey` (not `configuration_token`, AWS AppConfig's
# token of one poll, nor `sig`/`api_sig`, a signature computed per call)
_QUERY_CREDENTIAL = re.compile(
    r"x?(?:api|app|dev|access|auth|client|user|private|secret|subscription|account)?"
    r"(?:key|token|secret)"
)
# what separates a name's words (ASCII only: `\s` took any Unicode space)
_SEPARATORS = re.compile(r"[-_.\s]", re.ASCII)
# the share of the operations not otherwise secured that must require such a parameter…
_CREDENTIAL_SHARE = 0.9
# …and the share of all operations
_OVERALL_SHARE = 0.5


def query_credentials_overlay(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each query parameter that carries the caller's credential
    (`_credential_queries`) sent by an API-key scheme in the query: the declared scheme
    sending it (Trello's `api_key` sends `key`), else one added under the parameter's
    name (`Client(api_key=…)`, `$<PKG>_API_KEY`), required, beside what they require, by
    the operations declaring the parameter as required (sent when configured where one
    declares it optional). Unchanged without such a parameter."""
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    declared = dict(declared) if isinstance(declared, dict) else {}
    names = _credential_queries(document, declared)
    if not names:
        return document
    keys: dict[str, str] = {}  # parameter name → the scheme sending it
    for name, description in names:
        key = _sending(declared, name)
        if key is None:
            key = name
            while key in declared:  # (a scheme of that name sending something else)
                key += "_query"
            scheme = {"type": "apiKey", "in": "query", "name": name}
            if description:
                scheme["description"] = description
            declared[key] = scheme
        keys[name] = key
    held = components if isinstance(components, dict) else {}
    result = {**document, "components": {**held, "securitySchemes": declared}}
    writes: list[tuple[list[str], Mapping[str, Any]]] = []
    for path, _method, pointer, raw in iter_operations(document):
        required: list[str] = []
        optional: list[str] = []
        for parameter in operation_parameters(document, path, raw):
            if isinstance(parameter, dict) and parameter.get("in") == "query":
                key = keys.get(str(parameter.get("name", "")))
                if key is not None:
                    (required if parameter.get("required") is True else optional).append(key)
        if not required and not optional:
            continue
        security = raw.get("security", document.get("security"))
        requirements = [r for r in _list(security) if isinstance(r, dict)] or [{}]
        with_them = [{**r, **{k: [] for k in [*required, *optional]}} for r in requirements]
        if optional:  # sent when configured: the spec's requirements otherwise
            with_them.extend({**r, **{k: [] for k in required}} for r in requirements)
        writes.append((split_pointer(pointer), {"security": _unique(with_them)}))
    written: dict[str, Any] = with_all(result, writes)
    return written


def _credential_queries(
    document: dict[str, Any], declared: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(name, description) of the query parameters named as a credential
    (`names_query_credential`), plain strings, that at least 90% of the operations no
    declared scheme secures otherwise require, and at least half of all operations: in
    the order first declared."""
    required: dict[str, list[Any]] = {}  # name → [count, description]
    required_unsecured: dict[str, int] = {}  # name → operations requiring it, no scheme securing
    unsecured = 0  # operations no declared scheme secures
    operations = 0
    for path, _method, _pointer, raw in iter_operations(document):
        operations += 1
        names: set[str] = set()
        for parameter in operation_parameters(document, path, raw):
            if not isinstance(parameter, dict) or parameter.get("in") != "query":
                continue
            name = str(parameter.get("name", ""))
            plain = _plain(deref(document, parameter.get("schema")))
            if parameter.get("required") is True and plain and names_query_credential(name):
                if name not in names:
                    entry = required.setdefault(name, [0, ""])
                    entry[0] += 1
                    entry[1] = entry[1] or str(parameter.get("description") or "")
                names.add(name)
        security = raw.get("security", document.get("security"))
        if not _secured(security, declared):
            unsecured += 1
            for name in names:
                required_unsecured[name] = required_unsecured.get(name, 0) + 1
    # operations neither requiring a name nor secured otherwise: counted, not searched for
    # (one pass: a spec spelling `key` 20,000 ways took minutes, hostile audit 16)
    lacking = {name: unsecured - required_unsecured.get(name, 0) for name in required}
    return [
        (name, str(description))
        for name, (count, description) in required.items()
        if count >= _CREDENTIAL_SHARE * (count + lacking[name])
        and count >= _OVERALL_SHARE * operations
    ]


def names_query_credential(name: str) -> bool:
    """Does a query parameter's name say it holds the caller's credential, all of it
    (`_QUERY_CREDENTIAL`: `pageToken`, `next_token`, `idempotency_key` do not)? Words are
    separated by `-`, `_`, `.` and ASCII white space only (`k`, U+2000 then `e.y` is no `key`:
    hostile audit 16). The runtime's `_secret_names.credential_name` reads a
    name the same way, and redacts such a parameter (a test holds the two to one verdict)."""
    return _QUERY_CREDENTIAL.fullmatch(_SEPARATORS.sub("", name).lower()) is not None


def _plain(schema: Any) -> bool:
    """Is a parameter's schema a plain string (a key's: no enum, const or other type)?"""
    if not isinstance(schema, dict):
        return True
    if schema.get("type", "string") not in ("string", ["string"]):
        return False
    return not {"enum", "const"} & schema.keys()


def _secured(security: Any, declared: Mapping[str, Any]) -> bool:
    """Does every alternative of a security requirement name a declared scheme (the
    operation requires one: Vonage's secrets API, its basic scheme)?"""
    alternatives = [r for r in _list(security) if isinstance(r, dict)]
    return bool(alternatives) and all(
        r and all(name in declared for name in r) for r in alternatives
    )


def _sending(declared: Mapping[str, Any], name: str) -> str | None:
    """The key of the declared API-key scheme sending the query parameter `name`."""
    for key, scheme in declared.items():
        if (
            isinstance(scheme, dict)
            and str(scheme.get("type", "")).lower() == "apikey"
            and scheme.get("in") == "query"
            and scheme.get("name") == name
        ):
            return str(key)
    return None


def _unique(requirements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Security requirements without repeats (as JSON), in order."""
    seen: set[str] = set()
    result = []
    for requirement in requirements:
        text = json.dumps(requirement, sort_keys=True, default=str)
        if text not in seen:
            seen.add(text)
            result.append(requirement)
    return result


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
