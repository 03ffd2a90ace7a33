"""Component keys that are qualified type names give short class names (UX audit 15)."""

from __future__ import annotations

import pytest

from generator.naming import Style, styled
from generator.naming_components import component_texts
from tests.conftest import BuildPackage, minimal_spec


def _names(keys: list[str]) -> dict[str, str]:
    return {key: styled(text, Style.PASCAL) for key, text in component_texts(keys).items()}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        # a namespace is dropped
        (["Billbee.Interfaces.BillbeeAPI.Model.Order"], ["Order"]),
        (["microsoft.graph.user", "microsoft.graph.group"], ["User", "Group"]),
        # as few parts as tell them apart
        (
            ["api.v2010.account.call.feedback", "api.v2010.account.message.feedback"],
            ["CallFeedback", "MessageFeedback"],
        ),
        (["io.k8s.api.core.v1.Pod", "io.k8s.api.core.v2.Pod"], ["V1Pod", "V2Pod"]),
        # ... from every other component too
        (["Billbee.Model.Order.Item", "Item"], ["OrderItem", "Item"]),
        # a generic's arguments read as their own short names
        (
            [
                "Billbee.Interfaces.Model.Order",
                "Rechnungsdruck.WebApp.Api.Order",
                "Rechnungsdruck.WebApp.Api.ApiResult[Billbee.Interfaces.Model.Order]",
                "Rechnungsdruck.WebApp.Api.ApiResult[Rechnungsdruck.WebApp.Api.Order]",
                "System.Collections.Generic.KeyValuePair[System.Int32,System.String]",
            ],
            [
                "ModelOrder",
                "ApiOrder",
                "ApiResultModelOrder",
                "ApiResultApiOrder",
                "KeyValuePairInt32String",
            ],
        ),
        # ... spelled with `_` by swagger2openapi
        (
            [
                "Billbee.Interfaces.Model.Invoice",
                "Rechnungsdruck.WebApp.Api.ApiResult_Billbee.Interfaces.Model.Invoice_",
            ],
            ["Invoice", "ApiResultInvoice"],
        ),
        # left as they are: two parts (Stripe's), a version or file extension last, plain keys
        (["checkout.session", "issuing.card"], ["CheckoutSession", "IssuingCard"]),
        (
            ["acme.orders.v1", "acme.pets.json", "Order_Item"],
            ["AcmeOrdersV1", "AcmePetsJson", "OrderItem"],
        ),
        # keys meeting at full length keep their keys: the naming scope numbers them
        (["a.b.Order", "A.B.Order"], ["ABOrder", "ABOrder"]),
    ],
)
def test_component_texts(keys: list[str], expected: list[str]) -> None:
    assert list(_names(keys).values()) == expected


def test_a_huge_key_is_left_whole() -> None:
    key = "a." * 400 + "Order"
    assert component_texts([key]) == {key: key}


def test_generated_classes_take_the_short_names(build_package: BuildPackage) -> None:
    schemas = {
        "Acme.Billing.Model.Invoice": {
            "type": "object",
            "properties": {"state": {"type": "string", "enum": ["open", "paid"]}},
        },
        "Acme.Web.Api.ApiResult[Acme.Billing.Model.Invoice]": {
            "type": "object",
            "properties": {"data": {"$ref": "#/components/schemas/Acme.Billing.Model.Invoice"}},
        },
    }
    paths = {
        "/invoices/{id}": {
            "get": {
                "operationId": "getInvoice",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Acme.Web.Api.ApiResult"
                                    "[Acme.Billing.Model.Invoice]"
                                }
                            }
                        },
                    }
                },
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    models = package.models
    assert models.Invoice.model_validate({"state": "paid"}).state == models.InvoiceState.PAID
    assert models.ApiResultInvoice.model_validate({"data": {}}).data == models.Invoice()


def test_keys_meeting_until_their_first_part_part_in_one_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hostile audit 16: keys equal but for their first part grew one part a round (240
    rounds over every key: 155 s for a 10 MB spec); a group jumps to where its keys part."""
    from generator import naming_components

    rounds: list[int] = []
    real = naming_components._parting_depths

    def counted(*args: object) -> dict[str, int]:
        found = real(*args)  # type: ignore[arg-type]
        rounds.append(len(found))
        return found

    monkeypatch.setattr(naming_components, "_parting_depths", counted)
    keys = [f"p{i}." + ".".join(["a"] * 14) + ".C" for i in range(500)]
    texts = component_texts(keys)
    assert rounds == [500]  # one group, settled at once
    assert texts[keys[7]] == "p7 " + " ".join(["a"] * 14) + " C"
    longer = [f"p{i}." + ".".join(["a"] * 30) + ".C" for i in range(50)]
    assert component_texts(longer) == {key: key for key in longer}  # past _MAX_SEGMENTS: whole
