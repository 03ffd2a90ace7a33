"""Partial updates: unset fields are omitted; explicit None is sent as null where the spec
allows null, and refused (naming the field) where it does not (nested too)."""

from __future__ import annotations

import copy

import pytest

from ._support import (
    ABILLITY,
    BILLINGPLATFORM,
    BP_PROFILE,
    PARTNER,
    PAYPAL,
    Recorder,
    mode_param,
    run,
    success_response,
)


def sent_body(pkg, mode, body, **op_kwargs):
    recorder = Recorder(success_response(pkg))
    kwargs = {**pkg.op_kwargs(), **op_kwargs, "body": body}
    run(pkg, mode, recorder, op_kwargs=kwargs)
    return recorder.body()


# ---- aBILLity PATCH ---------------------------------------------------------------------


@mode_param
def test_abillity_patch_sends_only_the_fields_set(mode):
    models = ABILLITY.models
    body = models.BillingInformationModify(email="accounts@acme-widgets.co.uk")
    assert sent_body(ABILLITY, mode, body) == {"Email": "accounts@acme-widgets.co.uk"}


@mode_param
def test_abillity_explicit_none_is_refused_naming_the_field(mode):
    """No aBILLity field is nullable: None cannot mean "send null", it is an error when
    sent (a model holding it is built: pydantic's `model_validate(m.model_dump())` round trip
    writes None for every field left out; payments audit 21)."""
    models = ABILLITY.models
    held = models.BillingInformationModify(PaymentTerms=30, BillingContactId=None)
    recorder = Recorder(success_response(ABILLITY))
    with pytest.raises(
        ABILLITY.errors.RequestValidationError, match="BillingContactId may not be null"
    ):
        run(ABILLITY, mode, recorder, op_kwargs={"id": 1, "body": held})
    with pytest.raises(ABILLITY.errors.RequestValidationError, match="Email may not be null"):
        run(ABILLITY, mode, recorder, op_kwargs={"id": 1, "body": {"Email": None}})
    assert recorder.requests == []


@mode_param
def test_abillity_patch_nested_models_keep_partial_semantics(mode):
    models = ABILLITY.models
    body = models.BillingInformationModify(
        payment_conditions_id=2,
        direct_debit_information=models.DirectDebitInfo(
            account_name="Acme Widgets Ltd",
            cancellation_details=models.CancellationDetails(cancellation_reason="Moved"),
        ),
    )
    assert sent_body(ABILLITY, mode, body) == {
        "PaymentConditionsId": 2,
        "DirectDebitInformation": {
            "AccountName": "Acme Widgets Ltd",
            "CancellationDetails": {"CancellationReason": "Moved"},
        },
    }


@mode_param
def test_abillity_nested_explicit_none_is_refused_too(mode):
    recorder = Recorder(success_response(ABILLITY))
    body = {"CreditCardInformation": {"CardType": "Visa", "IssueNumber": None}}
    with pytest.raises(ABILLITY.errors.RequestValidationError, match="IssueNumber may not be null"):
        run(ABILLITY, mode, recorder, op_kwargs={"id": 1, "body": body})
    assert recorder.requests == []


@mode_param
def test_abillity_patch_from_a_plain_dict_is_partial_too(mode):
    body = {"PaymentConditionsId": 2, "CreditCardInformation": {"CardType": "Visa"}}
    assert sent_body(ABILLITY, mode, body) == body


@mode_param
def test_abillity_empty_patch_sends_an_empty_object(mode):
    assert sent_body(ABILLITY, mode, {}) == {}


# ---- Partner Center PUT -------------------------------------------------------------


@mode_param
def test_partner_center_put_keeps_nulls_of_the_document_example(mode):
    """The spec's request example sends Region/FirstName/LastName/PhoneNumber/Email as null."""
    example = PARTNER.spec()["components"]["examples"]["UpdateBillingProfileRequest"]["value"]
    assert sent_body(PARTNER, mode, copy.deepcopy(example)) == example


@mode_param
def test_partner_center_put_nested_null_and_unset(mode):
    models = PARTNER.models
    body = models.BillingProfile(
        purchase_order_number="9001",
        address=models.Address(region=None, city="Redmond"),
        primary_contact=models.Contact(email=None),
    )
    assert sent_body(PARTNER, mode, body) == {
        "PurchaseOrderNumber": "9001",
        "Address": {"Region": None, "City": "Redmond"},
        "PrimaryContact": {"Email": None},
    }


# ---- PayPal PUT and BillingPlatform POST ---------------------------------------------


@mode_param
def test_paypal_put_omits_unset_and_sends_null_where_allowed(mode):
    """PayPal's `email` is `string<email> | null`: None is sent as null; `timezone` is not."""
    models = PAYPAL.models
    body = models.BillingEntityUpdate(
        name="Acme Billing", email=None, address=models.Address(city="Austin")
    )
    assert sent_body(PAYPAL, mode, body) == {
        "name": "Acme Billing",
        "email": None,
        "address": {"city": "Austin"},
    }
    held = models.BillingEntityUpdate(name="Acme Billing", timezone=None)  # (sent: refused)
    with pytest.raises(PAYPAL.errors.RequestValidationError, match="timezone may not be null"):
        sent_body(PAYPAL, mode, held)


@mode_param
def test_billingplatform_post_omits_unset_and_refuses_null(mode):
    body = {"brmObjects": {**BP_PROFILE}}
    sent = sent_body(BILLINGPLATFORM, mode, body)
    assert sent == body
    assert "Country" not in sent["brmObjects"]  # never set -> never sent
    recorder = Recorder(success_response(BILLINGPLATFORM))
    bad = {"body": {"brmObjects": {**BP_PROFILE, "Attention": None}}}
    with pytest.raises(
        BILLINGPLATFORM.errors.RequestValidationError, match="Attention may not be null"
    ):
        run(BILLINGPLATFORM, mode, recorder, op_kwargs=bad)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("pkg", "model", "fields"),
    [
        (PARTNER, "Address", {"Region": None}),
        (PARTNER, "Contact", {"Email": None}),
        (PAYPAL, "BillingEntityUpdate", {"name": "x", "email": None}),
    ],
    ids=["partner_center_region", "partner_center_email", "paypal"],
)
def test_model_tracks_explicit_none_apart_from_unset(pkg, model, fields):
    cls = getattr(pkg.models, model)
    instance = cls.model_validate(fields)
    assert instance.model_dump(by_alias=True, exclude_unset=True) == fields


def test_lenient_response_null_is_refused_when_sent_back():
    """A response may carry null where the spec allows none (lenient); sending it back may not."""
    models = ABILLITY.models
    from abillity_billing_information._types import lenient_parsing

    with lenient_parsing():
        parsed = models.BillingInformationModify.model_validate_json(
            '{"Email": null, "PaymentTerms": "30"}', strict=False
        )
    assert parsed.email is None and parsed.payment_terms == 30
    recorder = Recorder(success_response(ABILLITY))
    with pytest.raises(ValueError, match="Email may not be null"):
        run(ABILLITY, "sync", recorder, op_kwargs={"id": 1, "body": parsed})
    assert recorder.requests == []


def test_models_survive_pydantic_s_round_trip():
    """`Model.model_validate(m.model_dump())`, pydantic's documented inverse pair, was
    refused for any model with an optional field left out: the dump writes None for it, and
    the model refused None where the spec allows no null (payments audit 21). Built, it is
    refused when sent, where the spec's rule applies."""
    models = ABILLITY.models
    given = models.BillingInformationModify(email="a@example.com", payment_terms=30)
    for again in (
        type(given).model_validate(given.model_dump()),
        type(given).model_validate_json(given.model_dump_json()),
    ):
        assert again.email == "a@example.com" and again.payment_terms == 30
