"""A union without a `discriminator` whose options each require a property of one value of
their own is told apart by it (UX audit 7: Adyen's `PaymentResponse.action`, eight
`Checkout*Action` models each requiring `type` with a one-value enum; a `redirect` came back
as `CheckoutNativeRedirectAction`, the first option with the same fields, and a request's
invalid `paymentMethod` listed 64 errors of every option)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording


def _action(kind: str | list[str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": kind if isinstance(kind, list) else [kind]},
            "url": {"type": "string"},
            "method": {"type": "string"},
            **(extra or {}),
        },
    }


ACTIONS = {
    "CheckoutNativeRedirectAction": _action(
        "nativeRedirect", {"nativeRedirectData": {"type": "string"}}
    ),
    "CheckoutRedirectAction": _action("redirect"),
    "CheckoutAwaitAction": _action("await"),
    "CheckoutSDKAction": _action(["sdk", "wechatpaySDK"]),  # two values, its own
}
UNION = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in ACTIONS]}


def spec() -> dict[str, Any]:
    response = {
        "type": "object",
        "properties": {"resultCode": {"type": "string"}, "action": UNION},
    }
    request = {
        "type": "object",
        "required": ["paymentMethod"],
        "properties": {"paymentMethod": UNION},
    }
    return minimal_spec(
        {**ACTIONS, "PaymentResponse": response, "PaymentRequest": request},
        {
            "/payments": {
                "post": {
                    "operationId": "payments",
                    "x-sdk-resource": "payments",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PaymentRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/PaymentResponse"}
                                }
                            },
                        }
                    },
                }
            }
        },
    )


def test_each_action_is_its_own_class(build_package: BuildPackage) -> None:
    package = build_package(spec(), filename="spec.json")
    action = {"type": "redirect", "url": "https://bank.test/pay", "method": "GET"}
    http, sent = recording(lambda request: httpx.Response(200, json={"action": action}))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    result = client.payments.create(payment_method={"type": "await"})
    assert type(result.action) is package.models.CheckoutRedirectAction
    assert result.action.url == "https://bank.test/pay"
    action = {"type": "wechatpaySDK", "url": "x"}
    sdk = client.payments.create(payment_method={"type": "await"}).action
    assert type(sdk) is package.models.CheckoutSDKAction
    with pytest.raises(package.RequestValidationError) as refused:
        client.payments.create(payment_method={"type": "nativeRedirect", "nativeRedirectData": 1})
    assert len(refused.value.errors()) == 1, refused.value.errors()  # that option's alone
    assert len(sent) == 2
