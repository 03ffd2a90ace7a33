"""A field whose schema is a named plain type (Plaid's `APIClientID: {type: string}`, 91
of them) refuses `None` as an inline string does (UX audit 6: `client_id=None` went out as
`"client_id": null`, which the spec allows nowhere; the README's own snippet did it)."""

from __future__ import annotations

import pytest

from tests.conftest import BuildPackage, minimal_spec, recording


def test_a_plain_alias_field_refuses_none(build_package: BuildPackage) -> None:
    body = {
        "type": "object",
        "properties": {
            "client_id": {"$ref": "#/components/schemas/APIClientID"},
            "note": {"$ref": "#/components/schemas/Note"},
        },
    }
    schemas = {
        "APIClientID": {"type": "string"},
        "Note": {"type": ["string", "null"]},
        "Body": body,
    }
    paths = {
        "/accounts/balance/get": {
            "post": {
                "operationId": "accountsBalanceGet",
                "x-sdk-resource": "accounts",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                    }
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    http, sent = recording()
    client = package.Client(http_client=http)
    method = client.accounts.get
    with pytest.raises(package.RequestValidationError, match="client_id"):
        method(client_id=None)
    assert sent == []
    method(note=None)  # a nullable alias still takes None
    assert sent[0].content == b'{"note":null}'
