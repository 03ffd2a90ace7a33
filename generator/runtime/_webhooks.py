"""Webhooks and callbacks: requests the API sends to you, parsed into the spec's models
after their signature is checked.

`<package>.webhooks.parse(payload, headers, secret=...)` (generated) calls `parse_event`
with the package's `WEBHOOKS`. A webhook is signed when its spec says so with the
`x-webhook-signature` extension (on the webhook's operation, its path item, or the
document):

- `standard-webhooks` (or `{scheme: standard-webhooks, tolerance: 300}`): the Standard
  Webhooks headers `webhook-id`, `webhook-timestamp` and `webhook-signature`
  (`v1,<base64 HMAC-SHA256 of "id.timestamp.payload">`, several separated by spaces); the
  secret is the `whsec_`-prefixed base64 key (or raw bytes); the timestamp must be within
  `tolerance` seconds of now (default 300).
- `{scheme: hmac-sha256, header: X-Hub-Signature-256, prefix: "sha256=", encoding: hex}`:
  an HMAC-SHA256 of the raw payload, hex or base64, in one header (GitHub's shape).

Signatures are compared in constant time, the payload is verified before it is parsed,
and no message repeats a secret, a signature or the payload.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import ValidationError

from . import errors
from ._lenient import decode
from ._sentinels import is_class
from ._types import field_wire_name, lenient_parsing
from ._wire import is_model, problems, validate_json

__all__ = [
    "DEFAULT_TOLERANCE",
    "WebhookInfo",
    "parse_event",
    "sign_standard",
    "verify_signature",
]

DEFAULT_TOLERANCE = 300  # seconds a Standard Webhooks timestamp may be off


@dataclass(frozen=True)
class WebhookInfo:
    """One webhook or callback: its name in the spec, the body's type, its signature."""

    name: str
    body_type: Callable[[], Any]  # returns the type (models are imported when first used)
    signature: Mapping[str, Any] | None = field(default=None)  # the x-webhook-signature


def _key(secret: str | bytes) -> bytes:
    """The HMAC key of a secret (`whsec_` + base64, Standard Webhooks', else its bytes); an
    empty one is refused: anyone can sign with it (`whsec_` alone decoded to nothing)."""
    if isinstance(secret, bytes):
        key = secret
    elif secret.startswith("whsec_"):
        try:
            key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError):
            raise errors.WebhookVerificationError("the secret is not valid base64") from None
    else:
        key = secret.encode()
    if not key:
        raise errors.WebhookVerificationError("the webhook secret is empty")
    return key


def sign_standard(secret: str | bytes, message_id: str, timestamp: int, payload: bytes) -> str:
    """The `webhook-signature` value (`v1,<base64>`) Standard Webhooks sends for a payload."""
    signed = f"{message_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _header(headers: Any, name: str) -> str:
    value = _header_map(headers).get(name.lower())
    if not value:
        raise errors.WebhookVerificationError(f"the {name} header is missing")
    return value


def _header_map(headers: Any) -> dict[str, str]:
    """The request's headers by lower-case name: from a mapping (a dict, httpx's or a web
    framework's headers) or (name, value) pairs, text or bytes (ASGI's `scope["headers"]`:
    they raised AttributeError; hostile sweep); None is none."""
    if headers is None:
        return {}
    pairs = headers.items() if callable(getattr(headers, "items", None)) else headers
    found: dict[str, str] = {}
    try:
        for name, value in pairs:
            name = name.decode("latin-1") if isinstance(name, bytes) else name
            value = value.decode("latin-1") if isinstance(value, bytes) else value
            if isinstance(name, str) and isinstance(value, str):
                found[name.lower()] = value
    except (TypeError, ValueError):  # (not pairs: a string, a number)
        raise TypeError("headers must be a mapping or (name, value) pairs") from None
    return found


def _verify_standard(
    signature: Mapping[str, Any],
    payload: bytes,
    headers: Any,
    secret: str | bytes,
    now: float,
) -> None:
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 20:
        raise errors.WebhookVerificationError("the webhook-timestamp header is not a timestamp")
    tolerance = signature.get("tolerance", DEFAULT_TOLERANCE)
    if abs(now - int(stamp)) > tolerance:
        raise errors.WebhookVerificationError("the webhook timestamp is outside the tolerance")
    expected = sign_standard(secret, message_id, int(stamp), payload).encode()
    given = _header(headers, "webhook-signature").split()
    if not any(hmac.compare_digest(expected, candidate.encode()) for candidate in given):
        raise errors.WebhookVerificationError("no webhook signature matches")


def _verify_hmac(
    signature: Mapping[str, Any], payload: bytes, headers: Any, secret: str | bytes
) -> None:
    name = str(signature.get("header", "X-Signature"))
    prefix = str(signature.get("prefix", ""))
    digest = hmac.new(_key(secret), payload, hashlib.sha256).digest()
    encoded = base64.b64encode(digest) if signature.get("encoding") == "base64" else None
    expected = prefix.encode() + (encoded or digest.hex().encode())
    if not hmac.compare_digest(expected, _header(headers, name).strip().encode()):
        raise errors.WebhookVerificationError("the webhook signature does not match")


def verify_signature(
    signature: Mapping[str, Any],
    payload: bytes,
    headers: Mapping[str, str],
    secret: str | bytes | None,
    *,
    now: float | None = None,
) -> None:
    """Raise `WebhookVerificationError` unless `payload` carries a valid signature of the
    declared scheme made with `secret`."""
    if secret is None or secret == "" or secret == b"":
        raise errors.WebhookVerificationError("the webhook is signed: a secret is needed")
    if not isinstance(secret, (str, bytes)):
        raise TypeError("the webhook secret must be text or bytes")
    scheme = signature.get("scheme")
    if scheme == "standard-webhooks":
        _verify_standard(signature, payload, headers, secret, time.time() if now is None else now)
    elif scheme == "hmac-sha256":
        _verify_hmac(signature, payload, headers, secret)
    else:
        raise errors.WebhookVerificationError("the spec's signature scheme is not supported")


def _match(
    candidates: list[WebhookInfo], payload: bytes, every: bool = False
) -> list[tuple[WebhookInfo, Any]]:
    """The webhooks whose body the payload is, with the value: the first only, or `every`
    one; WebhookError when none is.

    The payload is first read as each body is written (enums and constants enforced), then,
    when no body takes it so, leniently (a value the spec does not list yet is kept), but
    never into a body whose constant says another event: a `type` written as a one-value
    `enum`, OpenAPI 3.0's constant, was read leniently too, so an `invoice.voided` event
    came back as the `InvoicePaid` that was tried first (billing audit). Only a field whose
    constant differs between the candidates tells events apart (a `type`): one they all
    share (an `api_version` the server has moved on from) is read leniently as before."""
    found: list[dict[str, Any]] = []
    found_leniently = False
    data: Any = _UNREAD
    telling: frozenset[str] | None = None
    for lenient in (False, True):
        fits: list[tuple[WebhookInfo, Any]] = []
        for info in candidates:
            type_ = info.body_type()
            if lenient:
                if data is _UNREAD:
                    data = decode(payload)  # (UNDECODABLE: the bodies say why)
                if telling is None:
                    telling = _telling_fields([c.body_type() for c in candidates])
                if not _constants_agree(type_, data, telling):
                    continue
            try:
                with lenient_parsing() if lenient else contextlib.nullcontext():
                    value = validate_json(type_, payload)
            except ValidationError as exc:
                # the first body's problems, read leniently where one was (its constants
                # agree with the payload: the event it says it is)
                if not found or (lenient and not found_leniently):
                    found, found_leniently = problems(exc), lenient
                continue
            fits.append((info, value))
            if not every:
                return fits
        if fits:
            return fits
    where = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in found)
    raise errors.WebhookError(f"the payload matches no webhook of the spec: {where}")


_UNREAD = object()


# per body model: its top-level fields holding one value only, (wire name, value)
_CONSTANTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _constants(type_: Any) -> tuple[tuple[str, Any], ...]:
    """(wire name, value) of each top-level field of the body model `type_` that holds one
    value only (a one-value `enum`, a `const`); () for a body that is no model."""
    if not is_model(type_):
        return ()
    constants = _CONSTANTS.get(type_)
    if constants is None:
        constants = _CONSTANTS[type_] = tuple(
            (field_wire_name(name, info), value)
            for name, info in type_.model_fields.items()
            for value in _only_value(info.annotation)
        )
    return constants


def _telling_fields(types: list[Any]) -> frozenset[str]:
    """The fields whose constant differs between the bodies `types` (or that some lack)."""
    values: dict[str, set[tuple[type, Any]]] = {}
    holders: dict[str, int] = {}
    for type_ in types:
        for key, value in _constants(type_):
            values.setdefault(key, set()).add((type(value), value))
            holders[key] = holders.get(key, 0) + 1
    return frozenset(
        key for key, seen in values.items() if len(seen) > 1 or holders[key] < len(types)
    )


def _constants_agree(type_: Any, data: Any, telling: frozenset[str]) -> bool:
    """False when `data` gives a field of `telling` that the body model `type_` holds one
    value only of (a one-value `enum`, a `const`) another value."""
    if not isinstance(data, dict):
        return True
    for key, value in _constants(type_):
        if key in telling and key in data:
            given = data[key]
            if type(given) is not type(value) or given != value:
                return False
    return True


def _only_value(annotation: Any) -> tuple[Any, ...]:
    """(the value,) of a type that holds one value only (a one-member enum, a one-value
    `Literal`, either optional or annotated), else ()."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return ()
            annotation = members[0]
            continue
        break
    if origin is Literal:
        values = get_args(annotation)
        return (values[0],) if len(values) == 1 else ()
    if is_class(annotation) and issubclass(annotation, Enum):
        members = list(annotation)
        if len(members) == 1:
            value = members[0].value
            return (value,) if isinstance(value, (str, int)) else ()
    return ()


def parse_event(
    webhooks: Mapping[str, WebhookInfo],
    payload: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str | bytes | None = None,
    name: str | None = None,
    now: float | None = None,
) -> Any:
    """The payload as the model of its webhook (`name`, else the one that fits), after its
    signature is verified when the spec declares one.

    The signature is verified before the payload is parsed. Without `name`, when the
    webhooks are signed differently (or some not at all): the first webhook whose signature
    verifies and whose body the payload is; else, when no signature verifies, the first
    unsigned webhook the payload fits, unless it fits a signed one too (fail closed: a
    payload shaped like a signed webhook, without its signature, is not taken for an
    unsigned one); else the `WebhookVerificationError`. A `secret` given where no candidate
    is signed is a `WebhookVerificationError`: a verification the spec gives no way to do.
    """
    try:
        body = payload.encode() if isinstance(payload, str) else bytes(payload)
    except UnicodeEncodeError:  # a lone surrogate (text decoded with `surrogateescape`)
        raise errors.WebhookError("the payload is not text: give the body's bytes") from None
    if name is not None:
        if name not in webhooks:
            raise errors.WebhookError(f"no webhook named {name!r} in the spec")
        candidates = [webhooks[name]]
    else:
        candidates = list(webhooks.values())
    verified: list[WebhookInfo] = []
    failure: errors.WebhookVerificationError | None = None
    outcomes: dict[str, bool] = {}  # each distinct signature is verified once
    for info in candidates:
        if info.signature is None:
            continue
        key = json.dumps(info.signature, sort_keys=True)
        if key not in outcomes:
            try:
                verify_signature(info.signature, body, headers, secret, now=now)
                outcomes[key] = True
            except errors.WebhookVerificationError as exc:
                outcomes[key], failure = False, failure or exc
        if outcomes[key]:
            verified.append(info)
    if verified:
        return _match(verified, body)[0][1]
    unsigned = [info for info in candidates if info.signature is None]
    if secret is not None and len(unsigned) == len(candidates):
        # a verification asked for where the spec declares none (Adyen's HMAC, which its
        # spec does not describe: a forged payload was taken with the secret given; billing
        # audit). Beside signed webhooks, an unsigned one is still taken by its shape alone.
        raise errors.WebhookVerificationError(
            "a secret was given, but the spec declares no signature for this webhook: the "
            "payload cannot be verified here (verify it yourself, then parse it without one)"
        )
    if failure is None:  # nothing is signed
        return _match(unsigned, body)[0][1]
    if unsigned:
        try:
            fits = _match(unsigned, body)
        except errors.WebhookError:
            raise failure from None
        signed = [info for info in candidates if info.signature is not None]
        try:
            _match(signed, body)
        except errors.WebhookError:
            return fits[0][1]
    raise failure
