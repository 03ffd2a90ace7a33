"""Webhooks and callbacks: `<package>.webhooks.parse(payload, headers, secret=...)` returns
the typed event after checking the signature the spec declares (`x-webhook-signature`:
Standard Webhooks, or an HMAC-SHA256 header); tampering, a wrong secret or an old
timestamp is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.diagnostics import Diagnostic
from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import BuildPackage, minimal_spec, write_spec

SECRET = "whsec_" + base64.b64encode(b"a-shared-secret-of-32-bytes-long").decode()
HMAC_SECRET = "gh-secret"


def _hook(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok"}},
            **extra,
        }
    }


SPEC = minimal_spec(
    {
        "InvoicePaid": {
            "type": "object",
            "required": ["type", "invoice_id", "amount"],
            "properties": {
                "type": {"const": "invoice.paid"},
                "invoice_id": {"type": "string"},
                "amount": {"type": "integer"},
            },
        },
        "Payment": {
            "type": "object",
            "required": ["payment_id"],
            "properties": {"payment_id": {"type": "string"}},
        },
    },
    {
        "/subscriptions": {
            "post": {
                "operationId": "subscribe",
                "callbacks": {
                    "onPaid": {
                        "{$request.body#/callbackUrl}": _hook(
                            {"$ref": "#/components/schemas/Payment"},
                            **{
                                "x-webhook-signature": {
                                    "scheme": "hmac-sha256",
                                    "header": "X-Signature",
                                    "prefix": "sha256=",
                                    "encoding": "hex",
                                }
                            },
                        )
                    }
                },
                "responses": {"201": {"description": "Subscribed."}},
            }
        }
    },
)
SPEC["x-webhook-signature"] = {"scheme": "standard-webhooks", "tolerance": 300}
SPEC["webhooks"] = {
    "invoicePaid": _hook({"$ref": "#/components/schemas/InvoicePaid"}),
    "customerCreated": _hook(
        {
            "type": "object",
            "required": ["type", "customer"],
            "properties": {
                "type": {"const": "customer.created"},
                "customer": {"type": "object", "properties": {"id": {"type": "string"}}},
            },
        }
    ),
}


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    from generator.pipeline import generate_package

    root = tmp_path_factory.mktemp("hooks")
    generate_package(write_spec(root, SPEC), root / "out", package_name="hooks_pkg")
    sys.path.insert(0, str(root / "out"))
    yield importlib.import_module("hooks_pkg")
    sys.path.remove(str(root / "out"))
    for name in [k for k in sys.modules if k == "hooks_pkg" or k.startswith("hooks_pkg.")]:
        del sys.modules[name]


def standard_headers(
    payload: bytes, *, secret: str = SECRET, at: int | None = None
) -> dict[str, str]:
    """The headers a Standard Webhooks sender adds (computed here independently)."""
    stamp = int(time.time()) if at is None else at
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"msg_1.{stamp}.".encode() + payload
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(stamp),
        "webhook-signature": f"v1,{signature}",
    }


INVOICE = json.dumps({"type": "invoice.paid", "invoice_id": "in_1", "amount": 1200}).encode()
CUSTOMER = json.dumps({"type": "customer.created", "customer": {"id": "cus_1"}}).encode()


def test_a_signed_webhook_is_parsed_into_its_model(hooks: ModuleType) -> None:
    event = hooks.webhooks.parse(INVOICE, standard_headers(INVOICE), secret=SECRET)
    assert isinstance(event, hooks.models.InvoicePaid)
    assert (event.invoice_id, event.amount) == ("in_1", 1200)
    other = hooks.webhooks.parse(CUSTOMER.decode(), standard_headers(CUSTOMER), secret=SECRET)
    assert type(other).__name__ == "CustomerCreatedEvent" and other.customer.id == "cus_1"
    # headers in any case; a rotated key's signature among several is enough
    headers = {k.upper(): v for k, v in standard_headers(INVOICE).items()}
    headers["WEBHOOK-SIGNATURE"] = "v1,bm90IGl0 " + headers["WEBHOOK-SIGNATURE"]
    assert hooks.webhooks.parse(INVOICE, headers, secret=SECRET) == event


def test_headers_come_as_a_framework_gives_them(hooks: ModuleType) -> None:
    """ASGI's `scope["headers"]` (pairs of bytes), pairs of text, httpx's headers: they
    raised AttributeError (hostile sweep); `None` is no headers, an int secret a TypeError."""
    plain = standard_headers(INVOICE)
    shapes: list[Any] = [
        [(k.encode(), v.encode()) for k, v in plain.items()],
        list(plain.items()),
        httpx.Headers(plain),
        {k.encode(): v.encode() for k, v in plain.items()},
    ]
    for headers in shapes:
        event = hooks.webhooks.parse(INVOICE, headers, secret=SECRET)
        assert isinstance(event, hooks.models.InvoicePaid)
    with pytest.raises(hooks.WebhookVerificationError, match="missing"):
        hooks.webhooks.parse(INVOICE, None, secret=SECRET)
    with pytest.raises(TypeError, match="secret must be text or bytes"):
        hooks.webhooks.parse(INVOICE, plain, secret=42)
    with pytest.raises(TypeError, match="mapping or"):
        hooks.webhooks.parse(INVOICE, 42, secret=SECRET)


@pytest.mark.parametrize(
    "tamper",
    [
        "payload",
        "signature",
        "secret",
        "old-timestamp",
        "future-timestamp",
        "no-signature",
        "no-secret",
    ],
)
def test_tampering_is_rejected(hooks: ModuleType, tamper: str) -> None:
    payload, secret = INVOICE, SECRET
    headers = standard_headers(INVOICE)
    if tamper == "payload":
        payload = INVOICE.replace(b"1200", b"9999")
    elif tamper == "signature":
        headers["webhook-signature"] = headers["webhook-signature"][:-6] + "AAAAA="
    elif tamper == "secret":
        secret = "whsec_" + base64.b64encode(b"another-secret").decode()
    elif tamper == "old-timestamp":
        headers = standard_headers(INVOICE, at=int(time.time()) - 301)
    elif tamper == "future-timestamp":
        headers = standard_headers(INVOICE, at=int(time.time()) + 301)
    elif tamper == "no-signature":
        del headers["webhook-signature"]
    with pytest.raises(hooks.webhooks.WebhookVerificationError) as raised:
        hooks.webhooks.parse(payload, headers, secret=None if tamper == "no-secret" else secret)
    message = str(raised.value)
    assert SECRET not in message
    if "webhook-signature" in headers:
        assert headers["webhook-signature"][3:] not in message
    assert "9999" not in message and "in_1" not in message
    assert isinstance(raised.value, hooks.errors.APIError)


def test_signatures_are_compared_in_constant_time(
    hooks: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    runtime = importlib.import_module(f"{hooks.__name__}._webhooks")  # (not yet, in a worker)
    monkeypatch.setattr(runtime.hmac, "compare_digest", spy)
    hooks.webhooks.parse(INVOICE, standard_headers(INVOICE), secret=SECRET)
    assert len(calls) == 1


def test_a_callback_signed_with_an_hmac_header(hooks: ModuleType) -> None:
    payload = json.dumps({"payment_id": "pay_1"}).encode()
    digest = hmac.new(HMAC_SECRET.encode(), payload, hashlib.sha256).hexdigest()
    headers = {"X-Signature": f"sha256={digest}"}
    event = hooks.webhooks.parse(payload, headers, secret=HMAC_SECRET, name="subscribe.onPaid")
    assert isinstance(event, hooks.models.Payment) and event.payment_id == "pay_1"
    assert set(hooks.webhooks.WEBHOOKS) == {"invoicePaid", "customerCreated", "subscribe.onPaid"}
    with pytest.raises(hooks.webhooks.WebhookVerificationError):
        hooks.webhooks.parse(payload + b" ", headers, secret=HMAC_SECRET, name="subscribe.onPaid")


def test_a_payload_no_webhook_fits(hooks: ModuleType) -> None:
    payload = b'{"type": "unknown"}'
    with pytest.raises(hooks.webhooks.WebhookError, match="matches no webhook") as raised:
        hooks.webhooks.parse(payload, standard_headers(payload), secret=SECRET)
    assert not isinstance(raised.value, hooks.webhooks.WebhookVerificationError)
    with pytest.raises(hooks.webhooks.WebhookError, match="no webhook named"):
        hooks.webhooks.parse(INVOICE, standard_headers(INVOICE), secret=SECRET, name="nope")


def test_an_unknown_signature_scheme_fails_closed(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    spec = minimal_spec({}, {})
    spec["webhooks"] = {"ping": _hook({"type": "object"}, **{"x-webhook-signature": "magic"})}
    warnings: list[Diagnostic] = []
    build_api(load_spec(write_spec(tmp_path, spec)), "p", "spec.yaml", warnings)
    assert [(w.code, w.location.pointer) for w in warnings] == [("W306", "/webhooks/ping/post")]
    package = build_package(spec)
    with pytest.raises(package.webhooks.WebhookVerificationError, match="not supported"):
        package.webhooks.parse(b"{}", {}, secret="s")


def test_an_unsigned_webhook_that_fits_everything_is_not_a_way_around_a_signature(
    build_package: BuildPackage,
) -> None:
    """`ping` (unsigned, every field optional) comes first and fits any object; `invoicePaid`
    is signed. A signed invoice is the invoice; an invoice without its signature is refused
    (not taken for a ping); a payload only `ping` fits is the ping."""
    signature = {"scheme": "hmac-sha256", "header": "X-Signature", "prefix": "sha256="}
    invoice = {
        "type": "object",
        "required": ["invoice_id"],
        "properties": {"invoice_id": {"type": "string"}, "amount": {"type": "integer"}},
    }
    ping = {"type": "object", "properties": {"zen": {"type": "string"}}}
    spec = minimal_spec({"Invoice": invoice, "Ping": ping}, {})
    spec["openapi"] = "3.1.0"
    spec["webhooks"] = {
        "ping": _hook({"$ref": "#/components/schemas/Ping"}),
        "invoicePaid": _hook(
            {"$ref": "#/components/schemas/Invoice"}, **{"x-webhook-signature": signature}
        ),
    }
    package = build_package(spec)
    webhooks = importlib.import_module(f"{package.__name__}.webhooks")
    errors = package.errors
    body = json.dumps({"invoice_id": "in_1", "amount": 5}).encode()
    digest = hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).hexdigest()
    signed = webhooks.parse(body, {"X-Signature": f"sha256={digest}"}, secret=HMAC_SECRET)
    assert type(signed).__name__ == "Invoice" and signed.invoice_id == "in_1"
    with pytest.raises(errors.WebhookVerificationError, match="header is missing"):
        webhooks.parse(body, {}, secret=HMAC_SECRET)
    with pytest.raises(errors.WebhookVerificationError, match="does not match"):
        webhooks.parse(body, {"X-Signature": "sha256=00"}, secret=HMAC_SECRET)
    pinged = webhooks.parse(b'{"zen": "calm"}', {}, secret=HMAC_SECRET)
    assert type(pinged).__name__ == "Ping" and pinged.zen == "calm"
    assert type(webhooks.parse(body, {}, name="ping")).__name__ == "Ping"  # chosen by name


def test_webhooks_signed_differently_verify_before_parsing(build_package: BuildPackage) -> None:
    """With two signature schemes the payload was parsed against every model before any
    signature was checked: an unsigned request got the models' field errors back."""
    invoice = {
        "type": "object",
        "required": ["invoice_id"],
        "properties": {"invoice_id": {"type": "string"}},
    }
    spec = minimal_spec({"Invoice": invoice}, {})
    spec["openapi"] = "3.1.0"
    hook = {"$ref": "#/components/schemas/Invoice"}
    spec["webhooks"] = {
        "paid": _hook(hook, **{"x-webhook-signature": {"scheme": "hmac-sha256", "header": "X-A"}}),
        "voided": _hook(
            hook, **{"x-webhook-signature": {"scheme": "hmac-sha256", "header": "X-B"}}
        ),
    }
    package = build_package(spec)
    webhooks = importlib.import_module(f"{package.__name__}.webhooks")
    for payload in (b'{"amount": 1}', b"not json"):
        with pytest.raises(package.errors.WebhookVerificationError) as raised:
            webhooks.parse(payload, {}, secret=HMAC_SECRET)
        assert "invoice_id" not in str(raised.value) and "JSON" not in str(raised.value)
    body = b'{"invoice_id": "in_1"}'
    digest = hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert webhooks.parse(body, {"X-B": digest}, secret=HMAC_SECRET).invoice_id == "in_1"
    with pytest.raises(package.errors.WebhookError, match="matches no webhook"):
        bad = b'{"amount": 1}'
        signed = hmac.new(HMAC_SECRET.encode(), bad, hashlib.sha256).hexdigest()
        webhooks.parse(bad, {"X-A": signed}, secret=HMAC_SECRET)  # authentic, then parsed


def test_the_readme_of_unsigned_webhooks_says_they_are_unsigned(tmp_path: Path) -> None:
    """Adyen's notification spec declares no signature: its README caught a
    `WebhookVerificationError` (\"not signed by the API\") that `parse` never raises there,
    implying a check that never happens."""
    from generator.pipeline import generate_package

    spec = minimal_spec({"Note": {"type": "object", "properties": {"id": {"type": "string"}}}}, {})
    spec["webhooks"] = {"note": _hook({"$ref": "#/components/schemas/Note"})}
    generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="unsigned")
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Webhooks") :]
    section = section[: section.index("\n## ", 1)]
    assert "WebhookVerificationError" not in section and "secret=" not in section
    assert "declares no signature" in section
    # a spec of webhooks only: no empty table of resources (billing audit)
    assert "## Resources" not in readme and "declares no operation, only the webhooks" in readme


def test_a_secret_given_where_no_signature_is_declared_is_refused(
    build_package: BuildPackage,
) -> None:
    """Adyen signs its notifications with an HMAC its spec does not declare: given the
    secret, `parse` took a forged payload without a word (billing audit). It refuses now;
    without a secret the payload is parsed as before."""
    spec = minimal_spec({"Note": {"type": "object", "properties": {"id": {"type": "string"}}}}, {})
    spec["openapi"] = "3.1.0"
    spec["webhooks"] = {"note": _hook({"$ref": "#/components/schemas/Note"})}
    package = build_package(spec)
    webhooks = importlib.import_module(f"{package.__name__}.webhooks")
    body = b'{"id": "n1"}'
    with pytest.raises(package.errors.WebhookVerificationError, match="declares no signature"):
        webhooks.parse(body, {"HmacSignature": "forged"}, secret="my-hmac-key")
    assert webhooks.parse(body, {}).id == "n1"


def test_a_text_payload_that_is_no_text_is_a_webhook_error(build_package: BuildPackage) -> None:
    """Hostile audit 7: a `str` payload holding a lone surrogate (a framework's
    `surrogateescape`) raised a raw `UnicodeEncodeError` before any check."""
    package = build_package(SPEC)
    with pytest.raises(package.errors.WebhookError, match="not text"):
        package.webhooks.parse(
            '{"event": "\udcff"}', {}, secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        )


def test_a_signature_header_or_prefix_no_request_can_carry_is_refused(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """Hostile audit 8: a lone surrogate in `prefix` made every `parse()` raise a raw
    UnicodeEncodeError; an empty or CRLF header name could never verify, unannounced."""
    declared = {"scheme": "hmac-sha256", "header": "X-Sig\r\nX", "prefix": "sha256=\ud800"}
    spec = minimal_spec({}, {})
    spec["webhooks"] = {"ping": _hook({"type": "object"}, **{"x-webhook-signature": declared})}
    warnings: list[Diagnostic] = []
    build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "p", "spec.json", warnings)
    found = sorted((w.code, w.location.pointer) for w in warnings)
    assert found == [("W306", "/webhooks/ping/post")] * 2
    assert "header must be an HTTP header name" in "".join(w.message for w in warnings)
    package = build_package(spec, filename="spec.json")
    with pytest.raises(package.webhooks.WebhookError):
        package.webhooks.parse(b"{}", {"X-Sig": "sha256=00"}, secret="s")


def test_an_event_is_parsed_as_the_webhook_its_one_value_enum_names(
    build_package: BuildPackage,
) -> None:
    """OpenAPI 3.0 writes a constant as a one-value `enum`: the payload was read leniently
    against each webhook in turn, so an `invoice.voided` event came back as the
    `InvoicePaid` tried first, and an event the spec does not know as well (billing audit:
    Adyen's `merchant.updated` as `MerchantCreatedNotificationRequest`). Enums and constants
    choose the webhook; a value the spec does not list elsewhere is still taken."""

    def event(kind: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["type", "data"],
            "properties": {
                "type": {"type": "string", "enum": [kind]},
                "data": {
                    "type": "object",
                    "properties": {
                        "invoice_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["open", "paid", "void"]},
                    },
                },
            },
        }

    spec = minimal_spec(
        {"InvoicePaid": event("invoice.paid"), "InvoiceVoided": event("invoice.voided")}, {}
    )
    spec["openapi"] = "3.1.0"
    spec["webhooks"] = {
        "invoicePaid": _hook({"$ref": "#/components/schemas/InvoicePaid"}),
        "invoiceVoided": _hook({"$ref": "#/components/schemas/InvoiceVoided"}),
    }
    package = build_package(spec)
    webhooks = importlib.import_module(f"{package.__name__}.webhooks")

    def parse(kind: str, status: str = "void") -> Any:
        payload = {"type": kind, "data": {"invoice_id": "in_1", "status": status}}
        return webhooks.parse(json.dumps(payload).encode(), {})

    assert type(parse("invoice.paid", "paid")).__name__ == "InvoicePaid"
    assert type(parse("invoice.voided")).__name__ == "InvoiceVoided"
    # a status the spec does not list yet: still the event its type names, leniently read
    later = parse("invoice.voided", "archived")
    assert type(later).__name__ == "InvoiceVoided" and later.data.status == "archived"
    with pytest.raises(package.errors.WebhookError, match="matches no webhook"):
        parse("invoice.marked_uncollectible")


def test_a_constant_every_webhook_shares_does_not_refuse_a_new_value(
    build_package: BuildPackage,
) -> None:
    """Only a constant that differs between the webhooks tells events apart: an
    `api_version` of one value that every webhook declares, sent as a newer version, is read
    leniently, as before the constants chose (review: every one-value enum refused)."""

    def event(kind: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": [kind]},
                "api_version": {"type": "string", "enum": ["2023-10-16"]},
            },
        }

    spec = minimal_spec({"Paid": event("invoice.paid"), "Voided": event("invoice.voided")}, {})
    spec["openapi"] = "3.1.0"
    spec["webhooks"] = {
        "paid": _hook({"$ref": "#/components/schemas/Paid"}),
        "voided": _hook({"$ref": "#/components/schemas/Voided"}),
    }
    package = build_package(spec)
    webhooks = importlib.import_module(f"{package.__name__}.webhooks")
    payload = json.dumps({"type": "invoice.voided", "api_version": "2026-01-01"}).encode()
    event_read = webhooks.parse(payload, {})
    assert type(event_read).__name__ == "Voided" and event_read.api_version == "2026-01-01"
    named = webhooks.parse(payload, {}, name="voided")
    assert type(named).__name__ == "Voided"
