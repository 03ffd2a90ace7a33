"""Lenient responses on the billing packages (issue 16): the documents' own kinds of drift
(a timestamp without offset, a currency one letter short, camelCase from Partner Center, an
error body of another shape) come back as the declared model; `strict_response_validation`
raises instead."""

from __future__ import annotations

import datetime
import importlib
import logging

import httpx
import pytest

from ._support import (
    BILLINGPLATFORM,
    BP_RECORD,
    PACKAGES,
    PARTNER,
    PARTNER_PROFILE,
    PAYPAL,
    PAYPAL_ENTITY,
    Pkg,
    Recorder,
    json_response,
    mode_param,
    run,
)

WITH_MODEL = [p for p in PACKAGES if p.success_model]


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    for pkg in PACKAGES:  # imported here: the package loads `_lenient` on its first call
        importlib.import_module(f"{pkg.module.__name__}._lenient")._WARNED.clear()


@mode_param
@pytest.mark.parametrize("pkg", WITH_MODEL, ids=str)
def test_a_body_that_is_not_an_object_is_kept_as_received(pkg: Pkg, mode: str) -> None:
    """UX audit 7: GitLab's array where its spec says one project came back as an empty
    model, the projects dropped; an instance can hold nothing of it, so it is the value."""
    result = run(pkg, mode, Recorder(httpx.Response(200, json=["not", "an", "object"])))
    assert result == ["not", "an", "object"]


@mode_param
def test_paypal_entity_with_small_deviations_is_returned(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = {**PAYPAL_ENTITY, "default_currency": "US", "created_at": "2025-04-25T02:03:31"}
    del body["name"]  # required
    with caplog.at_level(logging.WARNING, logger=PAYPAL.name):
        entity = run(PAYPAL, mode, Recorder(json_response(200, body)))
    assert isinstance(entity, PAYPAL.models.BillingEntity)
    assert entity.default_currency == "US" and entity.code == "acme-main"
    assert entity.created_at == datetime.datetime(2025, 4, 25, 2, 3, 31)
    assert "name" not in entity.model_fields_set and entity.name is None
    assert str(entity.id) == PAYPAL_ENTITY["id"]  # the valid fields as validation makes them
    message = caplog.records[-1].getMessage()
    assert message.startswith("PUT /billing-entities/{billing_entity_code}: response body")
    assert "default_currency: string_too_short" in message and "name: missing" in message
    assert "acme" not in message


@mode_param
def test_partner_center_camel_case_is_read_through_its_aliases(mode: str) -> None:
    body = {
        "companyName": "Contoso",
        "address": {**PARTNER_PROFILE["Address"], "Country": "USA"},  # two letters declared
        "BillingDay": "first",
    }
    profile = run(
        PARTNER,
        mode,
        Recorder(json_response(200, body)),
        op="profiles.billing.retrieve",
        op_kwargs={},
    )
    assert isinstance(profile, PARTNER.models.BillingProfile)
    assert profile.company_name == "Contoso" and profile.billing_day == "first"
    assert isinstance(profile.address, PARTNER.models.Address)
    assert profile.address.country == "USA" and profile.address.city == "Redmond"
    assert profile.model_extra == {}


@mode_param
def test_billingplatform_record_keeps_valid_and_odd_values(mode: str) -> None:
    record = {**BP_RECORD, "AccountId": "twelve", "Status": "FROZEN", "New": 1}
    body = {"retrieveResponse": record}
    result = run(BILLINGPLATFORM, mode, Recorder(json_response(200, body)))
    inner = result.retrieve_response
    assert isinstance(inner, BILLINGPLATFORM.models.BillingProfileRecord)
    assert inner.account_id == "twelve" and inner.bill_to == "Contoso Ltd."
    assert inner.model_extra == {"New": 1}


@mode_param
def test_paypal_error_body_off_the_spec_is_the_error_model(mode: str) -> None:
    body = {"name": "INVALID_REQUEST", "message": "Bad currency", "details": "not a list"}
    with pytest.raises(PAYPAL.errors.BadRequestError) as info:
        run(PAYPAL, mode, Recorder(json_response(400, body)))
    parsed = info.value.parsed
    assert isinstance(parsed, PAYPAL.models.Error)
    assert parsed.message == "Bad currency" and parsed.details == "not a list"
    assert "Bad currency" in str(info.value)


@mode_param
def test_strict_response_validation_restores_the_exception(mode: str) -> None:
    body = {**PAYPAL_ENTITY, "default_currency": "US"}
    with pytest.raises(PAYPAL.errors.APIResponseValidationError) as info:
        run(
            PAYPAL,
            mode,
            Recorder(json_response(200, body)),
            options={"strict_response_validation": True},
        )
    assert "default_currency" in str(info.value)


def test_with_options_applies_to_resources_already_used() -> None:
    body = {**PAYPAL_ENTITY, "default_currency": "US"}
    transport = httpx.MockTransport(lambda request: json_response(200, body))
    client = PAYPAL.module.Client(
        http_client=httpx.Client(transport=transport), bearer_auth="pp-token-SECRET-91bc"
    )
    arguments = PAYPAL.op_kwargs()
    assert client.billing_entities.update(**arguments).default_currency == "US"
    strict = client.with_options(strict_response_validation=True)
    assert strict.billing_entities._client is strict
    with pytest.raises(PAYPAL.errors.APIResponseValidationError):
        strict.billing_entities.update(**arguments)
    assert client.billing_entities.update(**arguments).default_currency == "US"


@mode_param
def test_a_success_status_the_spec_does_not_list_is_read_as_its_success(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """PayPal documents 200 for the update; a server answering 201 (or 202) with the entity
    must not make the call return None where its type says BillingEntity."""
    with caplog.at_level(logging.WARNING, logger=PAYPAL.name):
        entity = run(PAYPAL, mode, Recorder(json_response(201, PAYPAL_ENTITY)))
        again = run(PAYPAL, mode, Recorder(json_response(201, PAYPAL_ENTITY)))
    assert isinstance(entity, PAYPAL.models.BillingEntity) and entity.code == "acme-main"
    assert isinstance(again, PAYPAL.models.BillingEntity)
    logged = [r.getMessage() for r in caplog.records if "does not document" in r.getMessage()]
    assert len(logged) == 1 and "status 201" in logged[0] and "200 response" in logged[0]


@mode_param
def test_an_undocumented_204_is_none(mode: str) -> None:
    """UX audit 6: Spotify answers 204 when nothing is playing, where its spec lists only a
    200; the call raised `EmptyResponseError`. No content, by definition: None."""
    assert run(PAYPAL, mode, Recorder(httpx.Response(204))) is None
    empty_200 = Recorder(httpx.Response(200))
    with pytest.raises(PAYPAL.module.errors.EmptyResponseError):
        run(PAYPAL, mode, empty_200)
