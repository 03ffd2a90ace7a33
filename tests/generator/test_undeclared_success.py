"""A success the spec declares without content, which the runtime returns as received when a
body comes (UX audit 14 finding 6): Walmart's order operations answer `default:
{description: "successful operation"}` and a POST's 200 often omits its content; the methods
were typed `-> None`, so `result["list"]` failed `mypy --strict`. They are typed `Any` and
say so; a 204, a 205 and a HEAD's answer carry nothing and stay `None`."""

from __future__ import annotations

import inspect
import sys
import typing
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording

_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
_ERROR = {"400": {"description": "Bad request."}}


def _operation(operation_id: str, responses: dict[str, Any]) -> dict[str, Any]:
    return {"operationId": operation_id, "parameters": _ID, "responses": responses}


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    ok = {"description": "successful operation"}
    paths = {
        "/orders/{id}/acknowledge": {"post": _operation("acknowledgeOrder", {"default": ok})},
        "/orders/{id}/cancel": {"post": _operation("cancelOrder", {"200": ok, **_ERROR})},
        "/orders/{id}/refund": {"post": _operation("refundOrder", {"202": ok, **_ERROR})},
        "/orders/{id}/close": {"post": _operation("closeOrder", {"204": ok, **_ERROR})},
        "/orders/{id}/reset": {"post": _operation("resetOrder", {"205": ok, **_ERROR})},
        "/orders/{id}/ship": {"post": _operation("shipOrder", _ERROR)},
        "/orders/{id}": {"head": _operation("orderExists", {"200": ok, **_ERROR})},
    }
    return build_package(minimal_spec({}, paths))


def _returns(package: ModuleType, name: str) -> Any:
    client = package.Client(http_client=recording()[0])
    method = getattr(type(client.orders), name)
    hints = typing.get_type_hints(method, vars(sys.modules[method.__module__]))
    return hints["return"]


def test_a_success_without_content_is_typed_as_what_arrives(package: ModuleType) -> None:
    """`default` alone, a 200 and a 202 without content: `Any` (sync and async); a 204,
    a 205, a HEAD's 200 and a POST declaring no success at all: `None`, as before."""
    for name in ("acknowledge", "cancel", "refund"):
        assert _returns(package, name) is Any, name
    for name in ("close", "reset", "ship", "order_exists"):
        assert _returns(package, name) is type(None), name
    async_client = package.AsyncClient(http_client=httpx.AsyncClient())
    method = type(async_client.orders).acknowledge
    hints = typing.get_type_hints(method, vars(sys.modules[method.__module__]))
    assert hints["return"] is Any


def test_the_body_comes_back_as_received_and_the_docstring_says_so(
    package: ModuleType,
) -> None:
    """Walmart's `acknowledge` answers the order as JSON: the caller gets it (`result[…]`),
    and `None` when nothing comes. The docstring says the body is returned as received, and
    no longer lists the `default` success under `Raises`."""
    order = {"list": {"elements": {"order": [{"purchaseOrderId": "1"}]}}}
    http, _ = recording(lambda request: httpx.Response(200, json=order))
    client = package.Client(http_client=http)
    assert client.orders.acknowledge("1")["list"] == order["list"]
    assert client.orders.cancel("1") == order
    empty, _ = recording(lambda request: httpx.Response(200))
    assert package.Client(http_client=empty).orders.acknowledge("1") is None
    doc = inspect.getdoc(client.orders.acknowledge) or ""
    returns, _, raises = doc.partition("Raises:")
    said = " ".join(returns.split())
    assert "default: successful operation The spec declares no body" in said
    assert "returned as received" in said and "default" not in raises
    assert "returned as received" not in (inspect.getdoc(client.orders.close) or "")


def test_xml_restating_the_json_body_is_not_in_the_type(build_package: BuildPackage) -> None:
    """UX audit 13 finding 13: Vonage's balance declares `application/json` and
    `application/xml` with one schema, and the method was `AccountBalance | BinaryResponse`
    (and took `stream=`): every caller had to narrow. The client asks for JSON first, so
    the method is typed as the JSON model; an XML answer still comes back as received. A
    PDF of its own schema beside JSON is still in the type."""
    balance = {"$ref": "#/components/schemas/Balance"}
    pdf = {"type": "string", "format": "binary"}
    both = {"application/json": {"schema": balance}, "application/xml": {"schema": balance}}
    paths = {
        "/balance": {
            "get": {
                "operationId": "getBalance",
                "responses": {"200": {"description": "The balance.", "content": both}},
            }
        },
        "/pods": {  # Kubernetes: YAML and protobuf restate the JSON (both were in the type)
            "get": {
                "operationId": "getPods",
                "responses": {
                    "200": {
                        "description": "The pods.",
                        "content": {
                            **both,
                            "application/yaml": {"schema": balance},
                            "application/vnd.kubernetes.protobuf": {"schema": balance},
                        },
                    }
                },
            }
        },
        "/statement": {
            "get": {
                "operationId": "getStatement",
                "responses": {
                    "200": {
                        "description": "The statement.",
                        "content": {
                            "application/json": {"schema": balance},
                            "application/pdf": {"schema": pdf},
                        },
                    }
                },
            }
        },
    }
    schemas = {"Balance": {"type": "object", "properties": {"value": {"type": "number"}}}}
    package = build_package(minimal_spec(schemas, paths))
    xml = b"<balance><value>1</value></balance>"
    http, sent = recording(
        lambda request: httpx.Response(
            200, headers={"content-type": "application/xml"}, content=xml
        )
    )
    client = package.Client(http_client=http)
    method = type(client.balance).retrieve
    assert inspect.signature(method).return_annotation == "_models.Balance"  # (postponed)
    assert "stream" not in inspect.signature(method).parameters
    assert client.balance.retrieve().read() == xml
    assert sent[0].headers["accept"].startswith("application/json")
    pods = type(client.pods).retrieve
    assert inspect.signature(pods).return_annotation == "_models.Balance"
    assert "stream" not in inspect.signature(pods).parameters
    statement = type(client.statement).retrieve
    assert inspect.signature(statement).return_annotation == "_models.Balance | BinaryResponse"
