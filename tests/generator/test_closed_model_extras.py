"""UX audit 14: a field the provider adds to a model the spec closes
(`additionalProperties: false`, as Apideck writes every model) was kept in `model_extra`
but left out of `to_dict()`/`to_json()`, which say they give "the fields set or received":
the new field vanished from what users serialise, while an open model's stayed."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec, recording

INVOICE = {"$ref": "#/components/schemas/Invoice"}


def _spec() -> dict[str, Any]:
    closed = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "line": {"$ref": "#/components/schemas/Line"}},
    }
    line = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"n": {"type": "integer"}},
    }
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": INVOICE}}}}
    paths = {"/invoice": {"get": {"operationId": "getInvoice", "responses": ok}}}
    return minimal_spec({"Invoice": closed, "Line": line}, paths)


def test_a_field_received_on_a_closed_model_is_serialised(build_package: BuildPackage) -> None:
    body = {
        "id": "1",
        "brand_new_field": {"x": 1},
        "line": {"n": 2, "added": [1, "a"]},
        "api_secret": "s3cr3t-value",  # undeclared and named as a secret: still masked
    }
    package = build_package(_spec())
    http, _sent = recording(lambda request: httpx.Response(200, json=body))
    invoice = package.Client(http_client=http).invoice.retrieve()
    assert invoice.model_extra == {"brand_new_field": {"x": 1}, "api_secret": "s3cr3t-value"}
    expected = {**body, "api_secret": "**********"}
    assert invoice.to_dict() == expected
    assert json.loads(invoice.to_json()) == expected
    assert invoice.line.to_dict() == {"n": 2, "added": [1, "a"]}
    assert "s3cr3t-value" not in repr(invoice) + invoice.to_json()
    # what is sent keeps to the schema: a closed model built by the caller takes no extra
    assert package.models.Invoice(id="2").to_dict() == {"id": "2"}
