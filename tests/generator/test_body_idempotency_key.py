"""A body with its own `idempotency_key` (Square's, required on payments, refunds and
orders) keeps the name (UX audit 6): the client's `Idempotency-Key` header option took
`idempotency_key=`, the field became `idempotency_key_`, and Square's own spelling was
refused as "body.idempotency_key: Field required"."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording


def test_the_bodys_idempotency_key_is_the_argument(build_package: BuildPackage) -> None:
    body = {
        "type": "object",
        "required": ["idempotency_key", "source_id"],
        "properties": {
            "idempotency_key": {"type": "string"},
            "source_id": {"type": "string"},
        },
    }
    paths = {
        "/v2/payments": {
            "post": {
                "operationId": "CreatePayment",
                "x-sdk-resource": "payments",
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(http_client=http)
    create = client.payments.create
    assert "idempotency_key_" not in inspect.signature(create).parameters
    create(idempotency_key="k-1", source_id="cnon:card")
    assert json.loads(sent[0].content) == {"idempotency_key": "k-1", "source_id": "cnon:card"}
    assert "idempotency-key" not in sent[0].headers


def test_a_spec_idempotency_header_makes_a_post_retryable(build_package: BuildPackage) -> None:
    """UX audit 9: Open Banking's POSTs declare `x-idempotency-key`; given, a 503 was raised
    after one request, and the SDK's own `idempotency_key=` sent a second header beside it."""
    header = {
        "name": "x-idempotency-key",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
    }
    paths = {
        "/domestic-payments": {
            "post": {
                "operationId": "CreateDomesticPayments",
                "parameters": [header],
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    answers = iter([httpx.Response(503), httpx.Response(204)])
    http, sent = recording(lambda _: next(answers))
    client = package.Client(http_client=http, max_retries=1)
    create = client.domestic_payments.create
    assert "idempotency_key" not in inspect.signature(create).parameters
    create(x_idempotency_key="op-1")
    assert [r.headers.get("x-idempotency-key") for r in sent] == ["op-1", "op-1"]
    assert "idempotency-key" not in sent[0].headers


def _payments(required: list[str]) -> dict[str, object]:
    body = {
        "type": "object",
        "required": required,
        "properties": {"idempotency_key": {"type": "string"}, "source_id": {"type": "string"}},
    }
    operation = {
        "operationId": "CreatePayment",
        "x-sdk-resource": "payments",
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"204": {"description": "done"}},
    }
    return minimal_spec({}, {"/v2/payments": {"post": operation}})


def _answers(*responses: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    answers = iter(responses)
    return lambda _: next(answers)


def test_a_body_that_must_hold_its_idempotency_key_is_retried(
    build_package: BuildPackage,
) -> None:
    """Square's payments require the key in the body: every attempt sends the same one, so
    a 503 is retried as an idempotent call is (it was raised after one attempt: billing
    audit). Where the body may leave the key out, a call giving one is retried too (billing
    audit, session 16: CreateInvoice, CreateCustomer…), one leaving it out is not."""
    for required in (["idempotency_key", "source_id"], ["source_id"]):
        package = build_package(_payments(required))
        http, sent = recording(_answers(httpx.Response(503), httpx.Response(204)))
        client = package.Client(http_client=http, max_retries=1)
        try:
            client.payments.create(idempotency_key="k-1", source_id="cnon:card")
        except package.APIStatusError:
            pass
        assert len(sent) == 2, required
        assert all(json.loads(r.content)["idempotency_key"] == "k-1" for r in sent)
    http, sent = recording(_answers(httpx.Response(503), httpx.Response(204)))
    client = package.Client(http_client=http, max_retries=1)
    with pytest.raises(package.APIStatusError):
        client.payments.create(source_id="cnon:card")  # the optional key left out
    assert len(sent) == 1
