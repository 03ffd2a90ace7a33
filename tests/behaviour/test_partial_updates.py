"""Partial updates: unset fields are omitted, explicit None is sent as null (nested too)."""

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
def test_abillity_patch_sends_explicit_none_as_null(mode):
    models = ABILLITY.models
    body = models.BillingInformationModify(Email=None, PaymentTerms=30, BillingContactId=None)
    assert sent_body(ABILLITY, mode, body) == {
        "Email": None,
        "PaymentTerms": 30,
        "BillingContactId": None,
    }


@mode_param
def test_abillity_patch_nested_models_keep_partial_semantics(mode):
    models = ABILLITY.models
    body = models.BillingInformationModify(
        payment_conditions_id=2,
        direct_debit_information=models.DirectDebitInfo(
            sort_code=None,
            account_name="Acme Widgets Ltd",
            cancellation_details=models.CancellationDetails(cancellation_reason=None),
        ),
        credit_card_information=None,
    )
    assert sent_body(ABILLITY, mode, body) == {
        "PaymentConditionsId": 2,
        "DirectDebitInformation": {
            "SortCode": None,
            "AccountName": "Acme Widgets Ltd",
            "CancellationDetails": {"CancellationReason": None},
        },
        "CreditCardInformation": None,
    }


@mode_param
def test_abillity_patch_from_a_plain_dict_is_partial_too(mode):
    body = {
        "PaymentConditionsId": 2,
        "CreditCardInformation": {"CardType": "Visa", "IssueNumber": None},
        "Email": None,
    }
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
def test_paypal_put_omits_unset_and_sends_null(mode):
    models = PAYPAL.models
    body = models.BillingEntityUpdate(
        name="Acme Billing", legal_name=None, address=models.Address(line2=None, city="Austin")
    )
    assert sent_body(PAYPAL, mode, body) == {
        "name": "Acme Billing",
        "legal_name": None,
        "address": {"line2": None, "city": "Austin"},
    }


@mode_param
def test_billingplatform_post_omits_unset_and_sends_null(mode):
    record = {**BP_PROFILE, "Attention": None, "Address2": None}
    body = {"brmObjects": record}
    sent = sent_body(BILLINGPLATFORM, mode, body)
    assert sent == body
    assert "Country" not in sent["brmObjects"]  # never set -> never sent


@pytest.mark.parametrize(
    ("pkg", "model", "fields"),
    [
        (ABILLITY, "BillingInformationModify", {"Email": None}),
        (PARTNER, "BillingProfile", {"TaxId": None}),
        (PAYPAL, "BillingEntityUpdate", {"name": "x", "timezone": None}),
    ],
    ids=["abillity", "partner_center", "paypal"],
)
def test_model_tracks_explicit_none_apart_from_unset(pkg, model, fields):
    cls = getattr(pkg.models, model)
    instance = cls.model_validate(fields)
    assert instance.model_dump(by_alias=True, exclude_unset=True) == fields
