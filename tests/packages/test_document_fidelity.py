"""The specs against the letter of their documents (issue 12).

The aBILLity corrected sample changes only what the document's own constraints force,
the document's local date-time travels as published, and every part of a spec that no
document states is marked `x-source: inferred` with its reason.
"""

from __future__ import annotations

import copy
import importlib
import json
from typing import Any

import httpx
import pytest

from tests.packages.test_document_examples import ABILLITY_DOCUMENT_SAMPLE
from tests.spec_cases import load_document


def _differences(left: Any, right: Any, path: str = "") -> set[str]:
    if isinstance(left, dict) and isinstance(right, dict):
        found: set[str] = set()
        for key in left.keys() | right.keys():
            where = f"{path}.{key}" if path else key
            if key not in left or key not in right:
                found.add(where)
            else:
                found |= _differences(left[key], right[key], where)
        return found
    return set() if left == right and type(left) is type(right) else {path}


def test_abillity_corrected_sample_changes_only_the_two_forced_values() -> None:
    document = load_document("abillity-billing-information")
    corrected = document["components"]["examples"]["CorrectedDocumentSample"]["value"]
    assert _differences(ABILLITY_DOCUMENT_SAMPLE, corrected) == {
        "Email",
        "CreditCardInformation.IssueNumber",
    }


def _send(body: Any) -> Any:
    module = importlib.import_module("abillity_billing_information")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = module.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.site.billinginformation.update(id=1, body=body)
    return json.loads(sent[0].content)


def test_abillity_document_date_cancelled_travels_as_published() -> None:
    """ "2025-04-25T02:03:31.442" (no offset) is the document's value: sent, not rewritten."""
    body = {
        "DirectDebitInformation": {
            "CancellationDetails": {"DateCancelled": "2025-04-25T02:03:31.442"}
        }
    }
    assert _send(copy.deepcopy(body)) == body


def test_abillity_corrected_sample_round_trips_exactly() -> None:
    document = load_document("abillity-billing-information")
    corrected = document["components"]["examples"]["CorrectedDocumentSample"]["value"]
    assert _send(copy.deepcopy(corrected)) == corrected


def test_abillity_spec_states_no_payment_condition_rule() -> None:
    document = load_document("abillity-billing-information")
    schema = document["components"]["schemas"]["BillingInformationModify"]
    assert "dependentRequired" not in schema
    assert "partial update" not in json.dumps(document).lower()


def _at(document: dict[str, Any], *path: Any) -> Any:
    node: Any = document
    for key in path:
        node = node[key]
    return node


OP_ABILLITY = ("paths", "/api/site/{id}/billinginformation", "patch")
INFERRED = [
    ("abillity-billing-information", (*OP_ABILLITY, "responses", "200")),
    (
        "abillity-billing-information",
        (*OP_ABILLITY, "requestBody", "content", "application/x-www-form-urlencoded"),
    ),
    ("abillity-billing-information", ("components", "securitySchemes", "username")),
    ("abillity-billing-information", ("components", "schemas", "ErrorMessage")),
    ("paypal-billing-entities", ("servers", 1)),
    ("paypal-billing-entities", ("components", "securitySchemes", "oauth2")),
    ("billingplatform-billing-profile", ("servers", 0)),
    *(
        (
            "billingplatform-billing-profile",
            ("components", "schemas", "BillingProfileRecord", "properties", field),
        )
        for field in ("Created", "Updated", "CreatedUserId", "UpdatedUserId")
    ),
    ("partner-center-billing", ("paths", "/v1/profiles/billing", "get")),
]


@pytest.mark.parametrize(("spec", "path"), INFERRED, ids=lambda v: str(v))
def test_inferences_are_marked_with_their_reason(spec: str, path: tuple[Any, ...]) -> None:
    document = load_document(spec)
    node = _at(document, *path)
    assert node.get("x-source") == "inferred"
    # the reason is in its description, or (a media type has none) in the nearest one above
    depth = len(path)
    while "description" not in _at(document, *path[:depth]):
        depth -= 1
    reason = _at(document, *path[:depth])["description"]
    assert "nferred" in reason or "not stated" in reason or "does not" in reason, reason


def test_readonly_system_fields_are_the_only_readonly_ones_and_all_inferred() -> None:
    document = load_document("billingplatform-billing-profile")
    for name, schema in document["components"]["schemas"].items():
        for prop, sub in schema.get("properties", {}).items():
            if sub.get("readOnly"):
                assert sub.get("x-source") == "inferred", f"{name}.{prop}"


def test_partner_center_contact_email_has_no_invented_format() -> None:
    document = load_document("partner-center-billing")
    email = document["components"]["schemas"]["Contact"]["properties"]["Email"]
    assert "format" not in email
    module = importlib.import_module("partner_center_billing")
    contact = module.models.Contact.model_validate({"Email": "ops at contoso"})
    assert contact.email == "ops at contoso"


def test_billingplatform_requires_jwt_and_session_id_together() -> None:
    document = load_document("billingplatform-billing-profile")
    operation = document["paths"]["/rest/2.0/BILLING_PROFILE"]["post"]
    assert operation["security"] == [{"jwtAuth": [], "sessionId": []}]
    assert document["security"] == [{"jwtAuth": [], "sessionId": []}]
