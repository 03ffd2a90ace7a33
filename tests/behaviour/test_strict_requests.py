"""Strict in what is sent, lenient in what is accepted (issue 12).

Requests: no str -> int or bool -> int conversion, parameters checked before sending
(aBILLity `id`), the body encoded as the caller chooses among the spec's media types.
Responses: numbers as strings and other casings (Partner Center camelCase) are accepted.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import ValidationError

from ._support import (
    ABILLITY,
    BILLINGPLATFORM,
    BP_PROFILE,
    PARTNER,
    PARTNER_PROFILE,
    PAYPAL,
    PAYPAL_ENTITY,
    Pkg,
    Recorder,
    json_response,
    mode_param,
    run,
    success_response,
)

# ---- models refuse conversions, in all four packages ------------------------------------

# (package, model, a valid payload, the field to spoil)
INTEGER_FIELDS = [
    (ABILLITY, "BillingInformationModify", {}, "PaymentTerms"),
    (ABILLITY, "CreditCardInfo", {}, "StartYear"),
    (PARTNER, "BillingProfile", {}, "BillingDay"),
    (BILLINGPLATFORM, "BillingProfile", dict(BP_PROFILE), "InvoiceTemplateId"),
]
BOOLEAN_FIELDS = [
    (ABILLITY, "DirectDebitInfo", {}, "IsCancelled"),
    (PAYPAL, "BillingEntityUpdate", {"name": "Acme"}, "finalize_zero_amount_invoice"),
]


@pytest.mark.parametrize("bad", ["101", True, 1.5])
@pytest.mark.parametrize(
    ("pkg", "model", "valid", "field"),
    INTEGER_FIELDS,
    ids=[f"{p.name}-{f}" for p, _, _, f in INTEGER_FIELDS],
)
def test_integer_fields_convert_nothing(
    pkg: Pkg, model: str, valid: dict[str, Any], field: str, bad: Any
) -> None:
    cls = getattr(pkg.models, model)
    cls.model_validate({**valid, field: 101})  # the integer itself is fine
    with pytest.raises(ValidationError) as raised:
        cls.model_validate({**valid, field: bad})
    assert [e["loc"] for e in raised.value.errors()] == [(field,)]


@pytest.mark.parametrize("bad", ["true", 1, "yes"])
@pytest.mark.parametrize(
    ("pkg", "model", "valid", "field"),
    BOOLEAN_FIELDS,
    ids=[f"{p.name}-{f}" for p, _, _, f in BOOLEAN_FIELDS],
)
def test_boolean_fields_convert_nothing(
    pkg: Pkg, model: str, valid: dict[str, Any], field: str, bad: Any
) -> None:
    cls = getattr(pkg.models, model)
    cls.model_validate({**valid, field: True})
    with pytest.raises(ValidationError) as raised:
        cls.model_validate({**valid, field: bad})
    assert [e["loc"] for e in raised.value.errors()] == [(field,)]


def test_assignment_converts_nothing_either() -> None:
    body = ABILLITY.models.BillingInformationModify(PaymentTerms=30)
    with pytest.raises(ValidationError):
        body.payment_terms = "31"
    assert body.payment_terms == 30


@mode_param
def test_a_string_integer_in_a_body_is_never_sent(mode: str) -> None:
    recorder = Recorder(success_response(BILLINGPLATFORM))
    body = {"brmObjects": {**BP_PROFILE, "AccountId": "12345"}}
    with pytest.raises(BILLINGPLATFORM.errors.RequestValidationError, match="AccountId") as raised:
        run(BILLINGPLATFORM, mode, recorder, op_kwargs={"body": body})
    assert [e["loc"] for e in raised.value.errors()] == [("body", "brmObjects", "AccountId")]
    assert recorder.requests == []


# ---- responses stay lenient ------------------------------------------------------------


@mode_param
def test_responses_accept_numbers_sent_as_strings(mode: str) -> None:
    record = {**PARTNER_PROFILE, "BillingDay": "15"}
    result = run(
        PARTNER,
        mode,
        Recorder(json_response(200, record)),
        op="profiles.billing.retrieve",
        op_kwargs={},
    )
    assert result.billing_day == 15


@mode_param
def test_responses_accept_null_where_the_spec_has_none(mode: str) -> None:
    body = {**PAYPAL_ENTITY, "timezone": None}
    result = run(PAYPAL, mode, Recorder(json_response(200, body)))
    assert result.timezone is None


# ---- aBILLity `id` is an integer, checked before sending -----------------------------------


@mode_param
@pytest.mark.parametrize("bad", ["abc", "101", True, 1.5])
def test_abillity_id_must_be_an_integer(mode: str, bad: Any) -> None:
    recorder = Recorder(success_response(ABILLITY))
    with pytest.raises(ABILLITY.errors.RequestValidationError) as raised:
        run(ABILLITY, mode, recorder, op_kwargs={"id": bad, "body": {"PaymentTerms": 30}})
    assert [e["loc"][:2] for e in raised.value.errors()] == [("path", "id")]
    assert recorder.requests == []


@mode_param
def test_abillity_integer_id_goes_into_the_path(mode: str) -> None:
    recorder = Recorder(success_response(ABILLITY))
    run(ABILLITY, mode, recorder, op_kwargs={"id": 1042, "body": {"PaymentTerms": 30}})
    assert recorder.requests[0].url.path == "/api/site/1042/billinginformation"


# ---- aBILLity request formats ----------------------------------------------------------------


def _sent(mode: str, **op_kwargs: Any) -> httpx.Request:
    recorder = Recorder(success_response(ABILLITY))
    run(ABILLITY, mode, recorder, op_kwargs={"id": 7, **op_kwargs})
    return recorder.requests[0]


@mode_param
def test_abillity_sends_json_by_default(mode: str) -> None:
    request = _sent(mode, body={"Email": "a@acme.example", "PaymentTerms": 30})
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"Email": "a@acme.example", "PaymentTerms": 30}


@mode_param
def test_abillity_sends_text_json_when_asked(mode: str) -> None:
    request = _sent(mode, body={"PaymentTerms": 30}, content_type="text/json")
    assert request.headers["Content-Type"] == "text/json"
    assert json.loads(request.content) == {"PaymentTerms": 30}


@mode_param
def test_abillity_sends_the_form_encoding_when_asked(mode: str) -> None:
    body = ABILLITY.models.BillingInformationModify(
        Email="accounts@acme-widgets.co.uk",
        PaymentTerms=30,
        CreditCardInformation={"CardType": "Visa", "IssueNumber": "01"},
    )
    request = _sent(mode, body=body, content_type="application/x-www-form-urlencoded")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode(), strict_parsing=True)
    assert form == {
        "Email": ["accounts@acme-widgets.co.uk"],
        "PaymentTerms": ["30"],
        # nested objects: the OpenAPI default for a form body (JSON text), see the spec
        "CreditCardInformation": ['{"CardType":"Visa","IssueNumber":"01"}'],
    }


@mode_param
def test_the_form_body_is_validated_like_json(mode: str) -> None:
    recorder = Recorder(success_response(ABILLITY))
    op_kwargs = {
        "id": 7,
        "body": {"PaymentTerms": "30"},
        "content_type": "application/x-www-form-urlencoded",
    }
    with pytest.raises(ABILLITY.errors.RequestValidationError, match="PaymentTerms"):
        run(ABILLITY, mode, recorder, op_kwargs=op_kwargs)
    assert recorder.requests == []


@mode_param
def test_an_unlisted_content_type_is_refused(mode: str) -> None:
    recorder = Recorder(success_response(ABILLITY))
    op_kwargs = {"id": 7, "body": {"PaymentTerms": 30}, "content_type": "application/xml"}
    with pytest.raises(ValueError, match="content_type must be one of: application/json"):
        run(ABILLITY, mode, recorder, op_kwargs=op_kwargs)
    assert recorder.requests == []


def test_only_operations_with_several_media_types_take_content_type() -> None:
    import inspect

    from abillity_billing_information.resources.site_billinginformation import (
        SiteBillinginformation,
    )
    from paypal_billing_entities.resources.billing_entities import BillingEntities

    assert "content_type" in inspect.signature(SiteBillinginformation.update).parameters
    assert "content_type" not in inspect.signature(BillingEntities.update).parameters


# ---- Partner Center: camelCase answers are read, PascalCase is sent ---------------------------


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


@mode_param
def test_partner_center_camel_case_response_fills_the_fields(mode: str) -> None:
    camel = _camel(PARTNER_PROFILE)
    assert "companyName" in camel and "uri" in camel["links"]["self"]
    result = run(
        PARTNER,
        mode,
        Recorder(json_response(200, camel)),
        op="profiles.billing.retrieve",
        op_kwargs={},
    )
    assert result.model_extra == {}
    assert result.address.model_extra == {}
    assert result.company_name == PARTNER_PROFILE["CompanyName"]
    assert result.address.city == PARTNER_PROFILE["Address"]["City"]
    assert result.links.self.uri == PARTNER_PROFILE["Links"]["Self"]["Uri"]
    assert result.attributes.etag == PARTNER_PROFILE["Attributes"]["Etag"]
    # sent back, it is spelled as the document spells it
    recorder = Recorder(json_response(200, PARTNER_PROFILE))
    run(PARTNER, mode, recorder, op="profiles.billing.update", op_kwargs={"body": result})
    assert json.loads(recorder.requests[0].content) == PARTNER_PROFILE


@mode_param
def test_partner_center_pascal_case_response_still_parses(mode: str) -> None:
    result = run(
        PARTNER,
        mode,
        Recorder(json_response(200, PARTNER_PROFILE)),
        op="profiles.billing.retrieve",
        op_kwargs={},
    )
    assert result.model_extra == {}
    assert result.company_name == PARTNER_PROFILE["CompanyName"]
