"""Forward compatibility: lenient responses, strict requests."""

from __future__ import annotations

import enum

import pytest
from pydantic import ValidationError

from ._support import (
    ABILLITY,
    BILLINGPLATFORM,
    BP_PROFILE,
    BP_RECORD,
    PARTNER,
    PARTNER_PROFILE,
    PAYPAL,
    PAYPAL_ENTITY,
    Recorder,
    json_response,
    mode_param,
    run,
    success_response,
)

# ---- unknown fields in responses ------------------------------------------------------


@mode_param
def test_partner_center_unknown_fields_are_kept(mode):
    body = {
        **PARTNER_PROFILE,
        "NewTopLevel": {"a": 1},
        "Address": {**PARTNER_PROFILE["Address"], "County": "King"},
    }
    result = run(
        PARTNER,
        mode,
        Recorder(json_response(200, body)),
        op="profiles.billing.retrieve",
        op_kwargs={},
    )
    assert result.model_extra == {"NewTopLevel": {"a": 1}}
    assert result.address.model_extra == {"County": "King"}
    assert result.address.city == "Redmond"


@mode_param
def test_paypal_unknown_fields_are_kept(mode):
    body = {**PAYPAL_ENTITY, "status": "ACTIVE", "address": {"city": "Austin", "geo": {"lat": 1.5}}}
    result = run(PAYPAL, mode, Recorder(json_response(200, body)))
    assert result.model_extra == {"status": "ACTIVE"}
    assert result.address.model_extra == {"geo": {"lat": 1.5}}


@mode_param
def test_billingplatform_unknown_fields_are_kept(mode):
    body = {"retrieveResponse": {**BP_RECORD, "BrandNewField": "x"}, "requestId": "r-1"}
    result = run(BILLINGPLATFORM, mode, Recorder(json_response(200, body)))
    assert result.model_extra == {"requestId": "r-1"}
    assert result.retrieve_response.model_extra == {"BrandNewField": "x"}


@mode_param
def test_abillity_unknown_fields_in_error_model_are_kept(mode):
    body = {"Message": "Site with ID 42 not found", "ExceptionType": "NotFound"}
    with pytest.raises(ABILLITY.errors.NotFoundError) as info:
        run(ABILLITY, mode, Recorder(json_response(404, body)))
    parsed = info.value.parsed
    assert isinstance(parsed, ABILLITY.models.ErrorMessage)
    assert parsed.message == "Site with ID 42 not found"
    assert parsed.model_extra == {"ExceptionType": "NotFound"}


@mode_param
def test_abillity_unexpected_success_body_does_not_crash(mode):
    """A body where the spec declares none reaches the caller as received (it was dropped:
    Docker's container export came back as None), with a warning."""
    result = run(ABILLITY, mode, Recorder(json_response(200, {"Updated": True})))
    assert result == {"Updated": True}


# ---- unknown enum values --------------------------------------------------------------

PAYPAL_ERROR_WITH_LINKS = {
    "name": "INVALID_REQUEST",
    "message": "Request is not well-formed",
    "debug_id": "b1d1f06c7246c",
    "details": [{"issue": "INVALID_PARAMETER_VALUE", "field": "/default_currency", "new_key": 1}],
    "links": [
        {
            "href": "https://developer.paypal.com/docs/api/errors",
            "rel": "information_link",
            "method": "GET",
        },
        {"href": "https://api.example.test/x", "rel": "purge", "method": "PURGE"},
    ],
}


@mode_param
def test_paypal_unknown_link_method_in_error_is_kept(mode):
    models = PAYPAL.models
    with pytest.raises(PAYPAL.errors.BadRequestError) as info:
        run(PAYPAL, mode, Recorder(json_response(400, PAYPAL_ERROR_WITH_LINKS)))
    parsed = info.value.parsed
    assert isinstance(parsed, models.Error), f"parsed is {type(parsed).__name__}"
    known, unknown = parsed.links
    assert known.method is models.LinkDescriptionMethod.GET
    assert isinstance(unknown.method, models.LinkDescriptionMethod)
    assert isinstance(unknown.method, enum.Enum)
    assert unknown.method.value == "PURGE"
    assert unknown.method == "PURGE"
    assert parsed.details[0].model_extra == {"new_key": 1}
    assert "Request is not well-formed" in str(info.value)


def test_paypal_unknown_enum_value_rejected_outside_responses():
    models = PAYPAL.models
    with pytest.raises(ValidationError) as info:
        models.LinkDescription(href="https://x.test", rel="self", method="PURGE")
    assert "method" in str(info.value)
    with pytest.raises(ValueError):
        models.LinkDescriptionMethod("PURGE")
    assert models.LinkDescriptionMethod("GET") is models.LinkDescriptionMethod.GET


@mode_param
def test_paypal_strictness_restored_after_lenient_parse(mode):
    models = PAYPAL.models
    with pytest.raises(PAYPAL.errors.BadRequestError):
        run(PAYPAL, mode, Recorder(json_response(400, PAYPAL_ERROR_WITH_LINKS)))
    with pytest.raises(ValueError):
        models.LinkDescriptionMethod("PURGE")


# ---- strict requests ------------------------------------------------------------------

INVALID_BODIES = [
    (PARTNER, {"body": {"Address": {"Country": "USA"}}}, "Country"),
    (PARTNER, {"body": {"BillingDay": "first"}}, "BillingDay"),
    # optional but not nullable: an explicit None is refused, naming the field
    (PARTNER, {"body": {"PrimaryContact": {"FirstName": None}}}, "FirstName"),
    # integers are not converted from strings or booleans
    (PARTNER, {"body": {"BillingDay": "15"}}, "BillingDay"),
    (
        PAYPAL,
        {"billing_entity_code": "c", "body": {"name": "Acme", "default_currency": "usd"}},
        "default_currency",
    ),
    (PAYPAL, {"billing_entity_code": "c", "body": {"default_currency": "USD"}}, "name"),
    (
        BILLINGPLATFORM,
        {"body": {"brmObjects": {**BP_PROFILE, "InvoiceTemplateId": "abc"}}},
        "InvoiceTemplateId",
    ),
    (
        BILLINGPLATFORM,
        {"body": {"brmObjects": {k: v for k, v in BP_PROFILE.items() if k != "BillTo"}}},
        "BillTo",
    ),
    (ABILLITY, {"id": 1, "body": {"PaymentTerms": 10000}}, "PaymentTerms"),
    (ABILLITY, {"id": 1, "body": {"Email": "not an email"}}, "Email"),
    (
        ABILLITY,
        {
            "id": 1,
            "body": {"PaymentConditionsId": 2, "CreditCardInformation": {"IssueNumber": "1234567"}},
        },
        "IssueNumber",
    ),
    (ABILLITY, {"id": 1, "body": {"PaymentTerms": "30"}}, "PaymentTerms"),
    (ABILLITY, {"id": 1, "body": {"BillingContactId": True}}, "BillingContactId"),
    (ABILLITY, {"id": 1, "body": {"Email": None}}, "Email"),
    (
        ABILLITY,
        {"id": 1, "body": {"DirectDebitInformation": {"IsCancelled": "true"}}},
        "IsCancelled",
    ),
    (PAYPAL, {"billing_entity_code": "c", "body": {"name": "Acme", "timezone": None}}, "timezone"),
    (
        BILLINGPLATFORM,
        {"body": {"brmObjects": {**BP_PROFILE, "InvoiceTemplateId": "101"}}},
        "InvoiceTemplateId",
    ),
]


@mode_param
@pytest.mark.parametrize(
    ("pkg", "op_kwargs", "field"),
    INVALID_BODIES,
    ids=[f"{c[0].name}-{c[2]}" for c in INVALID_BODIES],
)
def test_invalid_request_body_raises_validation_error_before_sending(pkg, op_kwargs, field, mode):
    recorder = Recorder(success_response(pkg))
    with pytest.raises(pkg.errors.RequestValidationError) as info:
        run(pkg, mode, recorder, op_kwargs=op_kwargs)
    assert field in str(info.value)
    assert all(e["loc"][0] == "body" for e in info.value.errors())
    # located at the field, or (a null refused by the model's own check) named by the message
    assert any(field in e["loc"] or field in e["msg"] for e in info.value.errors())
    assert recorder.calls == 0, "the transport was called for an invalid request"


# ---- a model changed after construction is still validated ----------------------------


def _mutate_partner(models):
    body = models.BillingProfile.model_validate(PARTNER_PROFILE)
    body.address.country = "USA"  # maxLength 2
    return {"body": body}


def _mutate_paypal(models):
    body = models.BillingEntityUpdate(name="Acme Billing")
    body.default_currency = "usd"  # pattern ^[A-Z]{3}$
    return {"billing_entity_code": "acme-main", "body": body}


def _mutate_billingplatform(models):
    body = models.SaveBillingProfileRequest.model_validate({"brmObjects": BP_PROFILE})
    body.brm_objects.bill_to = ["not", "a", "string"]
    return {"body": body}


def _mutate_abillity(models):
    body = models.BillingInformationModify(Email="accounts@acme-widgets.co.uk")
    body.payment_terms = 100000  # maximum 9999
    return {"id": 1, "body": body}


def _mutate_abillity_null(models):
    body = models.BillingInformationModify(Email="accounts@acme-widgets.co.uk")
    # Email may be left out, but the spec does not make it nullable
    body.email = None
    return {"id": 1, "body": body}


MUTATIONS = [
    (PARTNER, _mutate_partner),
    (PAYPAL, _mutate_paypal),
    (BILLINGPLATFORM, _mutate_billingplatform),
    (ABILLITY, _mutate_abillity),
    (ABILLITY, _mutate_abillity_null),
]


@mode_param
@pytest.mark.parametrize(
    ("pkg", "mutate"), MUTATIONS, ids=[m.__name__.strip("_") for _, m in MUTATIONS]
)
def test_model_made_invalid_after_construction_is_rejected_before_sending(pkg, mutate, mode):
    """get -> change -> update: an invalid change must not reach the server (refused at
    assignment, or when sent: a None where the spec allows no null)."""
    recorder = Recorder(success_response(pkg))
    with pytest.raises((ValidationError, pkg.errors.RequestValidationError)) as info:
        op_kwargs = mutate(pkg.models)
        run(pkg, mode, recorder, op_kwargs=op_kwargs)
    assert recorder.calls == 0, "an invalid (mutated) request body was sent"
    expected = {
        _mutate_partner: "Country",
        _mutate_paypal: "default_currency",
        _mutate_billingplatform: "BillTo",
        _mutate_abillity: "PaymentTerms",
        _mutate_abillity_null: "Email",
    }[mutate]
    # at assignment pydantic names the attribute assigned; at send time, the wire alias
    from generator.naming import Style, styled

    assert expected in str(info.value) or styled(expected, Style.SNAKE) in str(info.value)
