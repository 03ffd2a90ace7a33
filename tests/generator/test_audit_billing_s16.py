"""Billing audit (session 16: Zuora, Adyen, Xero, Square, Google's billing APIs), through
httpx.MockTransport:

- a refused `oneOf` body listed every member's problems, each located by pydantic's
  description of its validators (`function-after[_check_dependent_required(), …,
  IdealDetails]`): Adyen's `paymentMethod` gave 64 problems in 1,676 characters.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import BuildPackage, minimal_spec, recording


def _details(kind: str, required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [required],
        "properties": {
            "type": {"type": "string", "enum": [kind]},
            required: {"type": "string"},
        },
    }


def test_a_refused_union_member_is_named_and_the_ruled_out_ones_are_left_out(
    build_package: BuildPackage,
) -> None:
    body = {
        "type": "object",
        "required": ["paymentMethod"],
        "properties": {
            "paymentMethod": {
                "oneOf": [
                    {"$ref": "#/components/schemas/CardDetails"},
                    {"$ref": "#/components/schemas/IdealDetails"},
                ]
            }
        },
    }
    card = _details("scheme", "number")
    card["properties"]["brand"] = {"type": "string", "enum": ["visa", "mastercard"]}
    spec = minimal_spec(
        {"CardDetails": card, "IdealDetails": _details("ideal", "issuer")},
        {
            "/payments": {
                "post": {
                    "operationId": "createPayment",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {"204": {"description": "Done."}},
                }
            }
        },
    )
    package = build_package(spec)
    http, sent = recording()
    client = package.Client(base_url="https://pay.example", http_client=http)

    def refused(method: dict[str, Any]) -> list[tuple[Any, ...]]:
        with pytest.raises(package.RequestValidationError) as raised:
            client.payments.create(payment_method=method)
        assert "function-" not in str(raised.value)
        return [e["loc"] for e in raised.value.errors()]

    # the value's `type` agrees with one member: its problems only
    assert refused({"type": "ideal"}) == [("body", "paymentMethod", "IdealDetails", "issuer")]
    assert refused({"type": "scheme"}) == [("body", "paymentMethod", "CardDetails", "number")]
    # a field of several values off is the problem of the member meant (review: dropped)
    assert refused({"type": "scheme", "number": "4111", "brand": "amex"}) == [
        ("body", "paymentMethod", "CardDetails", "brand")
    ]
    # with none, or with no `type`: every member's, each named by its model
    assert refused({"type": "other"}) == [
        ("body", "paymentMethod", "CardDetails", "type"),
        ("body", "paymentMethod", "CardDetails", "number"),
        ("body", "paymentMethod", "IdealDetails", "type"),
        ("body", "paymentMethod", "IdealDetails", "issuer"),
    ]
    assert refused({}) == [
        ("body", "paymentMethod", "CardDetails", "number"),
        ("body", "paymentMethod", "IdealDetails", "issuer"),
    ]
    assert not sent


def test_a_body_holding_the_apis_own_optional_idempotency_key_is_retried(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Square's body `idempotency_key` made a call retryable only where the spec requires it:
    CreateInvoice, CreateCustomer and 9 more POSTs, whose key is optional, were sent once on
    a 503 although one was given. Given, the request is resent (with the same body);
    left out, it is not."""
    import importlib

    import httpx

    schema = {
        "type": "object",
        "properties": {"idempotency_key": {"type": "string"}, "name": {"type": "string"}},
    }
    spec = minimal_spec(
        {"CreateCustomer": schema},
        {
            "/customers": {
                "post": {
                    "operationId": "createCustomer",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CreateCustomer"}
                            }
                        }
                    },
                    "responses": {"200": {"description": "Created."}},
                }
            }
        },
    )
    package = build_package(spec)
    loop = importlib.import_module(f"{package.__name__}._sync_client")
    monkeypatch.setattr(loop.time, "sleep", lambda _seconds: None)
    http, sent = recording(lambda request: httpx.Response(503))
    client = package.Client(base_url="https://sq.example", http_client=http, max_retries=2)
    for given in (
        {"idempotency_key": "k-2", "name": "Acme"},
        {"body": {"idempotency_key": "k-3", "name": "Acme"}},
        {"body": package.models.CreateCustomer(idempotency_key="k-4")},
    ):
        sent.clear()
        with pytest.raises(package.errors.InternalServerError):
            client.customers.create(**given)
        assert len(sent) == 3 and len({r.content for r in sent}) == 1
        assert "Idempotency-Key" not in sent[0].headers
    sent.clear()
    with pytest.raises(package.errors.InternalServerError):
        client.customers.create(name="Acme")  # no key: sent once
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("operation", "creates"),
    [
        ({"operationId": "createInvoices"}, True),  # Xero's
        ({"operationId": "PUT_CreateSubscription"}, True),  # Zuora's spelling
        ({"operationId": "putInvoices", "summary": "Creates one or more sales invoices"}, True),
        ({"operationId": "updateOrCreateInvoices"}, False),  # an upsert: idempotent
        ({"operationId": "createOrUpdateInvoice"}, False),  # (review)
        ({"operationId": "putInvoice", "summary": "Creates or replaces an invoice"}, False),
        ({"operationId": "replaceInvoice", "summary": "Replace an invoice"}, False),
    ],
)
def test_a_put_that_creates_is_resent_only_with_a_key(
    build_package: BuildPackage,
    monkeypatch: pytest.MonkeyPatch,
    operation: dict[str, Any],
    creates: bool,
) -> None:
    """Xero creates invoices and payments with PUT; every PUT was resent after a 5xx or a
    timeout, without a key and without a way to give one: one call made two invoices. A PUT
    the spec says creates is sent once unless given an `idempotency_key` (then resent with
    the same `Idempotency-Key`), as a POST is."""
    import importlib

    import httpx

    body = {"type": "object", "properties": {"Reference": {"type": "string"}}}
    spec = minimal_spec(
        {},
        {
            "/Invoices": {
                "put": {
                    **operation,
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"200": {"description": "Created."}},
                }
            }
        },
    )
    package = build_package(spec)
    loop = importlib.import_module(f"{package.__name__}._sync_client")
    monkeypatch.setattr(loop.time, "sleep", lambda _seconds: None)
    http, sent = recording(lambda request: httpx.Response(503))
    client = package.Client(base_url="https://xero.example", http_client=http, max_retries=2)
    (method,) = [
        m for m in dir(client.invoices) if not m.startswith("_") and m != "with_raw_response"
    ]
    call = getattr(client.invoices, method)
    with pytest.raises(package.errors.InternalServerError):
        call(reference="INV-1")
    assert len(sent) == (1 if creates else 3)
    if creates:
        sent.clear()
        with pytest.raises(package.errors.InternalServerError):
            call(reference="INV-1", idempotency_key="inv-2025-0001")
        assert [r.headers["Idempotency-Key"] for r in sent] == ["inv-2025-0001"] * 3


def test_a_google_resource_name_keeps_its_slashes(build_package: BuildPackage) -> None:
    """Google's discovery documents write a resource name `v1/{+name}` (RFC 6570's reserved
    expansion); APIs.guru's conversion dropped the `+`, and `skus/0000/price` went out as
    `skus%2F0000%2Fprice`, which Google answers with 404. In a document of Google's origin,
    a whole segment right after the version keeps its `/`s (each piece still encoded);
    elsewhere, and in an older path of Google's (`/b/{bucket}`), a `/` is encoded."""
    import importlib

    import httpx

    ok = {"200": {"description": "OK."}}

    def operation(operation_id: str, name: str) -> dict[str, Any]:
        parameter = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        return {"operationId": operation_id, "parameters": [parameter], "responses": ok}

    spec = minimal_spec(
        {},
        {
            "/v1beta/{name}": {"get": operation("getPrice", "name")},
            "/v1/{name}:undoCancel": {"post": operation("undoCancel", "name")},
            "/b/{bucket}": {"get": operation("getBucket", "bucket")},
            # a value of its own after the version, not a resource name: encoded (review)
            "/v1/{dynamicLink}/linkStats": {"get": operation("getLinkStats", "dynamicLink")},
        },
    )
    for google in (True, False):
        if google:
            spec["info"]["x-origin"] = [{"format": "google", "url": "https://x", "version": "v1"}]
        else:
            spec["info"].pop("x-origin")
        package = build_package(spec)
        testing = importlib.import_module(f"{package.__name__}.testing")
        http, sent = recording(lambda request: httpx.Response(200))
        client = package.Client(base_url="https://billing.example", http_client=http)
        for route in testing._ROUTES:
            value = {
                "GET /v1beta/{name}": "skus/0000-1111/price a",
                "POST /v1/{name}:undoCancel": "partners/p1/subscriptions/s1",
                "GET /b/{bucket}": "my/bucket",
                "GET /v1/{dynamicLink}/linkStats": "https://x.page.link/abc",
            }[f"{route.info().method} {route.info().path}"]
            target: Any = client
            for part in route.name.split("."):
                target = getattr(target, part)
            target(value)
        raw = sorted(r.url.raw_path.decode() for r in sent)
        if google:
            assert raw == [
                "/b/my%2Fbucket",
                "/v1/https%3A%2F%2Fx.page.link%2Fabc/linkStats",
                "/v1/partners/p1/subscriptions/s1:undoCancel",
                "/v1beta/skus/0000-1111/price%20a",
            ]
        else:
            assert raw == [
                "/b/my%2Fbucket",
                "/v1/https%3A%2F%2Fx.page.link%2Fabc/linkStats",
                "/v1/partners%2Fp1%2Fsubscriptions%2Fs1:undoCancel",
                "/v1beta/skus%2F0000-1111%2Fprice%20a",
            ]


def test_google_operation_ids_are_the_resource_chain(tmp_path: Any) -> None:
    """Google's operationIds are its clients' resource paths (`cloudbilling.billingAccounts.
    services.list` is google-api-python-client's `billingAccounts().services().list()`);
    read as words, `undoCancel` of `partners.subscriptions` was `partners.update` and the
    billing account's services `billing_accounts.list` (billing audit)."""
    from generator.ir_build import build_api
    from generator.load import load_spec
    from tests.conftest import write_spec

    ok = {"200": {"description": "OK."}}
    paths: dict[str, dict[str, Any]] = {
        "/v1/{name}:undoCancel": {
            "post": {"operationId": "reseller.partners.subscriptions.undoCancel", "responses": ok}
        },
        "/v1/{parent}/services": {
            "get": {"operationId": "reseller.billingAccounts.services.list", "responses": ok}
        },
        "/v1:estimate": {"post": {"operationId": "reseller.estimate", "responses": ok}},
    }
    for route, item in paths.items():
        name = route.split("{")[1].split("}")[0] if "{" in route else None
        if name:
            parameter = {"name": name, "in": "path", "required": True}
            item["parameters"] = [{**parameter, "schema": {"type": "string"}}]
    spec = minimal_spec({}, paths)
    spec["info"]["x-origin"] = [{"format": "google", "url": "https://x", "version": "v1"}]
    written = write_spec(tmp_path, spec, "spec.yaml")
    api = build_api(load_spec(written), "reseller", written.name, [])
    methods = {f"{'.'.join(r.path)}.{o.name}" for r in _all(api.resources) for o in r.operations}
    assert methods == {
        "partners.subscriptions.undo_cancel",
        "billing_accounts.services.list",
        "root.estimate",
    }


def _all(resources: Any) -> list[Any]:
    found: list[Any] = []
    stack = list(resources)
    while stack:
        resource = stack.pop()
        found.append(resource)
        stack.extend(resource.children)
    return found


def test_a_decimal_that_would_lose_digits_as_a_json_number_is_refused(
    build_package: BuildPackage,
) -> None:
    """A `Decimal` given for a `type: number` is sent as the float it reads as: Xero's
    `Decimal("12345678901234567.89")` went out as `1.2345678901234568e+16` without a word.
    One that keeps its digits goes out as written; one that would lose some is refused
    before sending."""
    import json
    from decimal import Decimal

    line = {"type": "object", "properties": {"UnitAmount": {"type": "number"}}}
    spec = minimal_spec(
        {"LineItem": line},
        {
            "/Invoices": {
                "post": {
                    "operationId": "createInvoice",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/LineItem"}
                            }
                        }
                    },
                    "responses": {"204": {"description": "Created."}},
                }
            }
        },
    )
    package = build_package(spec)
    http, sent = recording()
    client = package.Client(base_url="https://xero.example", http_client=http)
    for given in (Decimal("19.99"), Decimal("0.1"), Decimal("1E+2")):
        client.invoices.create(unit_amount=given)
        assert Decimal(str(json.loads(sent[-1].content)["UnitAmount"])) == given
    with pytest.raises(package.RequestValidationError, match="more digits than a JSON number"):
        client.invoices.create(unit_amount=Decimal("12345678901234567.89"))
    assert len(sent) == 3


def test_a_summary_that_is_one_camel_case_identifier_is_split_into_words() -> None:
    """Square's operations without an operationId are named from their summaries; one is
    `ListRefunds`, which became `transactions.listrefunds`."""
    from generator.naming_methods import summary_text

    path = "/v2/locations/{location_id}/refunds"
    spelled = f"get {path}"
    assert summary_text("ListRefunds", spelled, "GET", path, ["transactions"]) == "list_refunds"
    assert summary_text("List refunds", spelled, "GET", path, ["transactions"]) == "list_refunds"
    assert summary_text("OAuth", "get /x", "GET", "/x", ["x"]) == "oauth"  # (one word, kept)
