"""`readOnly` in a schema only requests hold (UX audit 8): GOV.UK Pay marks every property of
its payment request read-only, four of them required. The SDK dropped them before sending
(`{}` went out, the API answered 400) and the method took no argument for them: a payment
could not be created. Where the schema is only ever sent and a required property (or every
property) is marked, the marks are ignored with W314; elsewhere they hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from tests.conftest import BuildPackage, minimal_spec, recording, write_spec

TEXT = {"type": "string"}
READ_ONLY_TEXT = {"type": "string", "readOnly": True}
READ_ONLY_COUNT = {"type": "integer", "readOnly": True}


def _spec() -> dict[str, Any]:
    schemas = {
        # GOV.UK Pay's: every property marked, four required; held by no response
        "CreatePayment": {
            "type": "object",
            "required": ["amount", "reference"],
            "properties": {
                "amount": READ_ONLY_COUNT,
                "reference": READ_ONLY_TEXT,
                "email": READ_ONLY_TEXT,
                "details": {"type": "object", "properties": {"name": TEXT}},
            },
        },
        # netbox's and Telnyx's style: the server's fields marked, none required: kept
        "WritableSite": {
            "type": "object",
            "required": ["name"],
            "properties": {"id": READ_ONLY_COUNT, "name": TEXT},
        },
        # sent and received: a required read-only `id` is the response's (OpenAPI's rule)
        "Payment": {
            "type": "object",
            "required": ["id", "amount"],
            "properties": {"id": READ_ONLY_TEXT, "amount": {"type": "integer"}},
        },
    }
    paths = {
        "/payments": {
            "post": {
                "operationId": "createPayment",
                "requestBody": _body("CreatePayment"),
                "responses": {"201": _answer("Payment")},
            },
            "put": {
                "operationId": "replacePayment",
                "requestBody": _body("Payment"),
                "responses": {"200": _answer("Payment")},
            },
        },
        "/sites": {
            "post": {
                "operationId": "createSite",
                "requestBody": _body("WritableSite"),
                "responses": {"204": {"description": "done"}},
            }
        },
    }
    return minimal_spec(schemas, paths)


def _body(name: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _answer(name: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


def test_a_request_only_schemas_marks_are_ignored_and_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_spec(tmp_path, _spec(), "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    told = [line for line in capsys.readouterr().err.splitlines() if "W314" in line]
    assert len(told) == 1 and "CreatePayment" in told[0]


def test_a_payment_is_created_with_its_marked_fields(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    http, seen = recording(lambda _: httpx.Response(201, json={"id": "p1", "amount": 1450}))
    client = package.Client(http_client=http)
    client.payments.create(amount=1450, reference="ref-1", email="a@example.test")
    assert json.loads(seen[0].content) == {
        "amount": 1450,
        "reference": "ref-1",
        "email": "a@example.test",
    }
    with pytest.raises(package.errors.RequestValidationError, match="amount"):
        client.payments.create(reference="ref-1")


def test_marks_elsewhere_still_hold(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    http, seen = recording(lambda _: httpx.Response(200, json={"id": "p1", "amount": 1}))
    client = package.Client(http_client=http)
    with pytest.raises(TypeError):
        client.sites.create(name="s", id=3)
    payment = package.models.Payment(id="p1", amount=1)
    client.payments.update(body=payment)
    assert json.loads(seen[0].content) == {"amount": 1}  # the response's `id` is not sent


def test_a_response_reaching_a_schema_by_an_escaped_pointer_keeps_its_marks() -> None:
    """Hostile audit 11: `#/components/schemas/Api%4Bey` (a URI fragment's escape) names
    `ApiKey`; the schema counted as only sent, and its read-only `secret` was sent."""
    from generator.schema_usage import SchemaUsage

    spec = _spec()
    payment = spec["paths"]["/payments"]["put"]["responses"]["200"]["content"]
    payment["application/json"]["schema"] = {"$ref": "#/components/schemas/Pay%6Dent"}
    spec["paths"]["/payments"]["put"]["requestBody"] = _body("Payment")
    spec["paths"]["/payments"]["post"]["responses"]["201"] = {"description": "created"}
    usage = SchemaUsage(spec)
    assert not usage.only_sent("/components/schemas/Payment")
    assert usage.only_sent("/components/schemas/CreatePayment")


def test_a_read_only_property_a_subclass_requires_in_a_request_is_sent(
    build_package: BuildPackage,
) -> None:
    """A request-only `allOf` of a schema whose property is read-only, requiring it (W314):
    the class required it (`ro: str`) and inherited the base's `_read_only`, which left it
    out of what was sent, so `{}` went out (hostile sweep). The class holds the base's
    fields itself now, none read-only."""
    schemas = {
        "Base": {"type": "object", "properties": {"x": TEXT, "ro": READ_ONLY_TEXT}},
        "Create": {"allOf": [{"$ref": "#/components/schemas/Base"}], "required": ["ro"]},
    }
    paths = {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": _body("Create"),
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    http, seen = recording(lambda _: httpx.Response(204))
    package.Client(http_client=http).things.create(ro="r", x="1")
    assert json.loads(seen[0].content) == {"ro": "r", "x": "1"}
    with pytest.raises(package.errors.RequestValidationError, match=r"body\.ro"):
        package.Client(http_client=http).things.create(x="1")
    # where the base is sent with its marks holding, the property is still left out
    assert package.models.Base(ro="r", x="1").model_dump(context={"request": True}) == {"x": "1"}
