"""The generated billing packages against the source documents' own examples.

Every request example of every spec goes through the generated client (sync and
async, `httpx.MockTransport`) and must arrive on the wire as the example says;
every response and error example parses into its model; and the documents'
samples that break their own constraints are rejected before anything is sent.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from tests.conftest import method
from tests.spec_cases import OperationCase, credentials_for, operation_cases


def _cases(kind: str) -> Iterator[Any]:
    for case in operation_cases():
        if kind == "request":
            for name, value in case.request_examples():
                yield pytest.param(case, value, id=f"{case.package}-{name}")
        else:
            for status, _ in case.responses():
                for name, value in case.response_examples(status):
                    yield pytest.param(case, status, value, id=f"{case.package}-{status}-{name}")


def _canonical(value: Any) -> Any:
    """Normalise date-times so `…31.442Z` and `…31.442000Z` compare equal."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and "T" in value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


@pytest.mark.parametrize(("case", "example"), list(_cases("request")))
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_request_examples_travel_unchanged(case: OperationCase, example: Any, mode: str) -> None:
    module = importlib.import_module(case.package)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    arguments = {**case.path_arguments(), "body": example}
    method_name = case.method_name
    if mode == "sync":
        client = module.Client(
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
            **credentials_for(module.Client),
        )
        try:
            method(client, method_name)(**arguments)
        except module.APIResponseValidationError:
            pass  # the mock's empty body need not match the response model
    else:

        async def call() -> None:
            client = module.AsyncClient(
                http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
                **credentials_for(module.Client),
            )
            try:
                await method(client, method_name)(**arguments)
            except module.APIResponseValidationError:
                pass

        asyncio.run(call())
    assert len(sent) == 1
    request = sent[0]
    assert request.method == case.method.upper()
    assert _canonical(json.loads(request.content)) == _canonical(example)
    credentials_sent = [
        h for h in ("Authorization", "sessionId", "SystemInformation") if h in request.headers
    ]
    assert credentials_sent, dict(request.headers)


@pytest.mark.parametrize(("case", "status", "example"), list(_cases("response")))
def test_response_examples_parse(case: OperationCase, status: str, example: Any) -> None:
    module = importlib.import_module(case.package)
    method_name = case.method_name

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(int(status), json=example)

    client = module.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_retries=0,
        **credentials_for(module.Client),
    )
    call = method(client, method_name)
    parameters = inspect.signature(call).parameters
    kwargs: dict[str, Any] = {
        n: (42 if n == "id" else "acme_inc")
        for n in ("id", "billing_entity_code")
        if n in parameters
    }
    if "body" in call.__annotations__:
        kwargs["body"] = _minimal_body(module, call)
    if status.startswith("2"):
        parsed = call(**kwargs)
        dumped = parsed.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context={"reveal_secrets": True}
        )
        assert _canonical(dumped) == _canonical(example)
    else:
        with pytest.raises(module.APIStatusError) as raised:
            call(**kwargs)
        error = raised.value
        assert error.status_code == int(status)
        assert type(error) is module.errors.error_class_for(int(status))
        assert error.parsed is not None and hasattr(error.parsed, "model_dump")
        assert _canonical(
            error.parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        ) == _canonical(example)


def _minimal_body(module: Any, call: Any) -> Any:
    # (the annotation resolves at run time: resource modules spell models `_models.X`)
    hints = typing.get_type_hints(call)
    model = next(
        member
        for member in typing.get_args(hints["body"])
        if isinstance(member, type) and issubclass(member, BaseModel)
    )
    name = model.__name__
    samples = {
        "BillingProfile": {"CompanyName": "Acme"},
        "BillingEntityUpdate": {"name": "Acme"},
        "BillingInformationModify": {"Email": "billing@acme.example"},
    }
    if name in samples:
        return samples[name]
    return model.model_construct()


# ---- the documents' broken samples are rejected before sending ---------------------------------

ABILLITY_DOCUMENT_SAMPLE = {
    "BillingContactId": 1,
    "Email": "sample string 1",
    "PaymentTerms": 1,
    "PaymentConditionsId": 1,
    "DirectDebitInformation": {
        "SortCode": "sample string 1",
        "AccountNumber": "sample string 2",
        "AccountName": "sample string 3",
        "CustomerReference": "sample string 4",
        "IsCancelled": True,
        "CancellationDetails": {
            "DateCancelled": "2025-04-25T02:03:31.442",
            "CancellationReason": "sample string 1",
        },
    },
    "CreditCardInformation": {
        "CardType": "sample string 1",
        "CardNumber": "sample string 2",
        "StartYear": 1,
        "StartMonth": 1,
        "ExpirationYear": 1,
        "ExpirationMonth": 1,
        "IssueNumber": "sample string 3",
    },
}


def _never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"request sent: {request.method} {request.url}")


def test_abillity_document_sample_is_rejected_before_sending() -> None:
    module = importlib.import_module("abillity_billing_information")
    client = module.Client(http_client=httpx.Client(transport=httpx.MockTransport(_never_called)))
    with pytest.raises(module.RequestValidationError) as raised:
        client.site.billinginformation.update(id=1, body=ABILLITY_DOCUMENT_SAMPLE)
    locations = {".".join(map(str, e["loc"])) for e in raised.value.errors()}
    # exactly the two values that break the document's own constraints, nothing else
    assert locations == {"body.Email", "body.CreditCardInformation.IssueNumber"}
    assert "sample string 2" not in str(raised.value)  # the card number is never echoed


def test_abillity_payment_details_without_a_payment_condition_are_sent() -> None:
    """The document lists "A payment condition needs specifying..." as a server error, not as
    a rule: a site may already have one. The client sends and lets the server decide."""
    module = importlib.import_module("abillity_billing_information")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = module.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    body = {"CreditCardInformation": {"CardNumber": "4111111111111111"}}
    assert client.site.billinginformation.update(id=1, body=body) is None
    assert json.loads(sent[0].content) == body


def test_abillity_partial_update_sends_only_what_was_set() -> None:
    module = importlib.import_module("abillity_billing_information")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = module.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    body = module.models.BillingInformationModify(email="accounts@acme.example", payment_terms=0)
    assert client.site.billinginformation.update(id=7, body=body) is None
    assert json.loads(sent[0].content) == {"Email": "accounts@acme.example", "PaymentTerms": 0}
    assert sent[0].url.path == "/api/site/7/billinginformation"


def test_paypal_scraped_email_is_rejected_before_sending() -> None:
    module = importlib.import_module("paypal_billing_entities")
    client = module.Client(
        bearer_auth="t", http_client=httpx.Client(transport=httpx.MockTransport(_never_called))
    )
    with pytest.raises(module.RequestValidationError, match="email"):
        client.billing_entities.update(
            billing_entity_code="acme_inc", body={"name": "Acme", "email": "[email protected]"}
        )
    with pytest.raises(module.RequestValidationError, match="default_currency"):
        client.billing_entities.update(
            billing_entity_code="acme_inc", body={"name": "Acme", "default_currency": "US"}
        )


def test_partner_center_put_sends_explicit_nulls() -> None:
    module = importlib.import_module("partner_center_billing")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"CompanyName": "Acme"})

    client = module.Client(
        bearer_auth="t", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    profile = module.models.BillingProfile.model_validate(
        {"CompanyName": "Acme", "Address": {"Region": None, "City": "Redmond"}}
    )
    client.profiles.billing.update(body=profile)
    assert json.loads(sent[0].content) == {
        "CompanyName": "Acme",
        "Address": {"Region": None, "City": "Redmond"},
    }
    assert (
        len(sent[0].headers["MS-RequestId"]) == 36
        and len(sent[0].headers["MS-CorrelationId"]) == 36
    )
