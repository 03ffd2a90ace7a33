"""Fields sensitive by their name (`cvc`, `card_number`, `account_number`), which the spec
does not mark secret: left out of `repr` already, they were echoed in clear by a 400's
message and printed by `to_dict()`/`to_json()`."""

from __future__ import annotations

import json
from types import ModuleType

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

CARD = "4111111111111111"
SCHEMAS = {
    "Card": {
        "type": "object",
        "properties": {
            "card_number": {"type": "string"},
            "cvc": {"type": "string"},
            "accountNumber": {"type": "integer"},
            "holder": {"type": "string"},
            "api_key": {"type": "object", "properties": {"value": {"type": "string"}}},
            "securityCode": {"type": "number"},
        },
    },
    "Wallet": {
        "type": "object",
        "properties": {"cards": {"type": "array", "items": {"$ref": "#/components/schemas/Card"}}},
    },
}
PATHS = {
    "/cards": {
        "post": {
            "operationId": "createCard",
            "tags": ["cards"],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Card"}}},
            },
            "responses": {"201": {"description": "made"}},
        }
    }
}


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(minimal_spec(SCHEMAS, PATHS))


def test_an_error_echoing_them_is_redacted(package: ModuleType) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        message = (
            f"declined: cvc {body['cvc']} account {body['accountNumber']} for {body['holder']}"
        )
        return httpx.Response(400, json={"message": message})

    http = httpx.Client(transport=httpx.MockTransport(echo))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    with pytest.raises(package.APIStatusError) as raised:
        client.cards.create(card_number=CARD, cvc="987", account_number=87654321, holder="Jo")
    shown = str(raised.value) + repr(raised.value)
    assert "987" not in shown and "87654321" not in shown
    assert "cvc [redacted] account [redacted] for Jo" in str(raised.value)


def test_values_that_are_no_text_are_redacted_too(package: ModuleType) -> None:
    """Hostile audit 7: an `api_key` holding an object, a security code as a float, were
    echoed in clear (only strings and integers were redacted)."""

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"message": request.content.decode()})

    http = httpx.Client(transport=httpx.MockTransport(echo))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    with pytest.raises(package.APIStatusError) as raised:
        client.cards.create(api_key={"value": "sk_live_0123"}, security_code=987.5, holder="Jo")
    assert "sk_live_0123" not in str(raised.value) and "987.5" not in str(raised.value)
    assert "Jo" in str(raised.value)


def test_to_dict_and_to_json_mask_them(package: ModuleType) -> None:
    card = package.models.Card(card_number=CARD, cvc="987", account_number=87654321, holder="Jo")
    wallet = package.models.Wallet(cards=[card])
    masked = {"card_number": "**********", "cvc": "**********", "accountNumber": "**********"}
    assert card.to_dict() == {**masked, "holder": "Jo"}
    assert wallet.to_dict() == {"cards": [{**masked, "holder": "Jo"}]}
    assert CARD not in wallet.to_json() and "987" not in wallet.to_json()
    for text in (repr(card), str(card), repr(wallet)):
        assert CARD not in text and "987" not in text and "87654321" not in text
    # the data itself is the caller's: attributes and model_dump() keep it
    assert card.cvc == "987" and card.model_dump(by_alias=True)["accountNumber"] == 87654321
    assert package.models.Card(holder="Jo").to_dict() == {"holder": "Jo"}  # unset: left out


@pytest.mark.parametrize(
    "name", ["card_swipe", "ddaNumber", "id_number", "personal_id_number", "pan", "track2Data"]
)
def test_card_data_account_and_identity_numbers_are_sensitive_by_name(name: str) -> None:
    """Qualpay's magnetic stripe (`card_swipe`) and bank account (`dda_number`), Stripe's
    `id_number` (a full SSN or national id), a card's `pan` and track data were shown in
    reprs and `to_dict()` (billing audit); the generator and the runtime agree on them."""
    from generator.runtime._secret_names import sensitive_key
    from generator.schema_scalars import is_sensitive_name

    assert is_sensitive_name(name, "Payment") and sensitive_key(name)
    assert not is_sensitive_name("pane", "Payment") and not sensitive_key("company")


def test_secrets_in_untyped_data_are_masked_in_repr(build_package: BuildPackage) -> None:
    """UX audit 18: Slack's `oauth.v2.access` answers `authed_user`, an object the spec
    leaves untyped, holding the user's `access_token`: `repr()` showed it, beside the
    model's own masked token. Keys named as secrets are masked at any depth of untyped data
    (declared `dict[str, Any]` fields and undeclared ones); the data itself is unchanged."""
    untyped = {"type": "object", "additionalProperties": True}
    schemas = {
        "Access": {
            "type": "object",
            "properties": {"authed_user": untyped, "items": {"type": "array", "items": untyped}},
        }
    }
    package = build_package(minimal_spec(schemas, {}))
    data = {
        "authed_user": {"id": "U1", "access_token": "xoxp-NESTED1", "scopes": ["a"]},
        "items": [{"refresh_token": "RT-SECRET2", "password_set": True}],
        "extra": {"deep": {"client_secret": "CS-SECRET3"}, "name": "shown"},
    }
    model = package.models.Access.model_validate(data)
    shown = repr(model)
    for secret in ("xoxp-NESTED1", "RT-SECRET2", "CS-SECRET3"):
        assert secret not in shown
    assert "U1" in shown and "shown" in shown and "password_set': True" in shown
    assert model.authed_user["access_token"] == "xoxp-NESTED1"  # (the data is the API's)
