"""Stage 3b: OpenAPI 3.1 `webhooks` and operations' `callbacks` → `Webhook`s: the requests
the API sends to its users, their payload types, and how they are signed.

Signatures are declared with the `x-webhook-signature` extension (the webhook's operation,
else its path item, else the document):

    x-webhook-signature: standard-webhooks          # webhook-id / -timestamp / -signature
    x-webhook-signature: {scheme: standard-webhooks, tolerance: 300}
    x-webhook-signature: {scheme: hmac-sha256, header: X-Hub-Signature-256,
                          prefix: "sha256=", encoding: hex}     # or base64

A value the generator does not understand makes the webhook unverifiable (parsing it
raises) and is a W306 warning; so is a webhook whose payload is not JSON (left out), and a
name two webhooks would share (two callbacks `onEvent` of operations sharing an operationId,
a webhook `x POST` beside `x`'s POST): the later one is `name 2` (`WEBHOOKS` has one entry
each, in document order).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .ir_content import Webhook
from .ir_media import request_encoding
from .ir_schemas import SchemaTranslator
from .lint import iter_operations
from .load import deref, join_pointer
from .naming import NameScope, Style, styled

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMES = ("standard-webhooks", "hmac-sha256")
EXTENSION = "x-webhook-signature"


def translate_webhooks(document: dict[str, Any], schemas: SchemaTranslator) -> list[Webhook]:
    """Every webhook and callback of the document with a JSON payload, in document order."""
    root_signature = document.get(EXTENSION)
    found: list[Webhook] = []
    keys = NameScope()  # the names `WEBHOOKS` is keyed by: each given once
    hooks = document.get("webhooks")
    for name, raw in hooks.items() if isinstance(hooks, dict) else []:
        pointer = join_pointer("/webhooks", str(name))
        found.extend(_path_item(document, schemas, str(name), raw, pointer, root_signature, keys))
    for _path, _method, pointer, operation in iter_operations(document):
        callbacks = operation.get("callbacks")
        operation_id = operation.get("operationId") or f"{_method} {_path}"
        for callback, raw in callbacks.items() if isinstance(callbacks, dict) else []:
            entry = deref(document, raw)
            for expression, item in entry.items():
                at = join_pointer(pointer, "callbacks", str(callback), str(expression))
                name = f"{operation_id}.{callback}"
                found.extend(_path_item(document, schemas, name, item, at, root_signature, keys))
    return found


def _path_item(
    document: dict[str, Any],
    schemas: SchemaTranslator,
    name: str,
    raw: Any,
    pointer: str,
    root_signature: Any,
    keys: NameScope,
) -> Iterator[Webhook]:
    item = deref(document, raw)
    methods = [m for m in _METHODS if isinstance(item.get(m), dict)]
    for method in methods:
        operation = item[method]
        at = join_pointer(pointer, method)
        key = name if len(methods) == 1 else f"{name} {method.upper()}"
        body = deref(document, operation.get("requestBody"))
        raw_content = body.get("content")
        content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
        media = [m for m in content if request_encoding(str(m)) == "json"]
        if not media:
            if content:
                schemas.registry.notes.append(
                    (at, "W306", f"webhook {key}: only JSON payloads are parsed; left out")
                )
            continue
        key = _unique_key(keys, key, at, schemas)
        schema = content[media[0]].get("schema") if isinstance(content[media[0]], dict) else None
        node = schemas.annotation(
            schema if isinstance(schema, dict) else {},
            styled(key, Style.PASCAL) + "Event",
            join_pointer(at, "requestBody", "content", str(media[0]), "schema"),
        )
        declared = operation.get(EXTENSION, item.get(EXTENSION, root_signature))
        signature = _signature(declared, key, at, schemas)
        description = operation.get("description") or operation.get("summary") or ""
        yield Webhook(key, method.upper(), node, signature, str(description).strip())


def _unique_key(keys: NameScope, key: str, pointer: str, schemas: SchemaTranslator) -> str:
    """`key`, or `key 2`, `key 3`… when a webhook before took it (W306 then)."""
    unique, counter = key, 2
    while not keys.is_free(unique):
        unique, counter = f"{key} {counter}", counter + 1
    keys.reserve(unique)
    if unique != key:
        message = (
            f"webhook {key}: another webhook or callback has this name; this one is {unique!r}"
        )
        schemas.registry.notes.append((pointer, "W306", message))
    return unique


# what a signature's `header` (an HTTP token) and `prefix` (`sha256=`, `v1,`) may hold
_SIGNATURE_TEXT = {
    "header": re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"),
    "prefix": re.compile(r"[\x20-\x7e]*"),
}


def _signature(
    declared: Any, name: str, pointer: str, schemas: SchemaTranslator
) -> tuple[tuple[str, Any], ...] | None:
    """The checked declaration: known keys with values of the right type, or
    `{scheme: unsupported}` (parsing then refuses the webhook) and a W306 warning."""
    if declared is None:
        return None
    if isinstance(declared, str):
        declared = {"scheme": declared}
    checked: dict[str, Any] = {}
    if isinstance(declared, dict) and declared.get("scheme") in _SCHEMES:
        checked["scheme"] = declared["scheme"]
        tolerance = declared.get("tolerance")
        if (
            isinstance(tolerance, (int, float))
            and not isinstance(tolerance, bool)
            and tolerance > 0
        ):
            checked["tolerance"] = tolerance
        for key in ("header", "prefix"):
            value = declared.get(key)
            if isinstance(value, str) and _SIGNATURE_TEXT[key].fullmatch(value):
                checked[key] = value
            elif key in declared:  # (a lone surrogate in `prefix` raised a UnicodeEncodeError)
                schemas.registry.notes.append(
                    (
                        pointer,
                        "W306",
                        f"webhook {name}: {EXTENSION} {key} must be "
                        + ("an HTTP header name" if key == "header" else "printable ASCII")
                        + "; the default is used",
                    )
                )
        if declared.get("encoding") in ("hex", "base64"):
            checked["encoding"] = declared["encoding"]
        return tuple(checked.items())
    schemas.registry.notes.append(
        (
            pointer,
            "W306",
            f"webhook {name}: {EXTENSION} is not understood (schemes: {', '.join(_SCHEMES)}); "
            "parsing it will refuse every payload",
        )
    )
    return (("scheme", "unsupported"),)
