"""The configuration's per-operation overrides are laid over a copy of the document."""

from __future__ import annotations

import copy
import json
from typing import Any

from generator.overlay import override_operations


def _document() -> dict[str, Any]:
    ok = {"200": {"description": "ok"}}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/a": {"get": {"operationId": "getA", "responses": ok}},
            "/b": {"get": {"responses": ok}, "post": {"operationId": "makeB", "responses": ok}},
        },
        "components": {"schemas": {"X": {"type": "string"}}},
    }


def test_the_document_is_copied_on_write_only_where_an_override_lands() -> None:
    document = _document()
    before = copy.deepcopy(document)
    result, unmatched = override_operations(
        document,
        resources=[("get*", "letters"), ("getA", "alpha"), ("nothing", "x")],
        pagination=[("make*", json.dumps(False))],
    )
    assert document == before  # not changed
    assert unmatched == [("resources", "nothing")]
    paths = result["paths"]
    assert paths["/a"]["get"]["x-sdk-resource"] == "alpha"  # the exact key wins
    assert paths["/b"]["get"]["x-sdk-resource"] == "letters"  # no operationId: `get /b`
    assert paths["/b"]["post"]["x-pagination"] is False
    assert result["components"] is document["components"]  # shared, not copied


def test_an_operation_without_an_id_is_named_by_method_and_path() -> None:
    result, unmatched = override_operations(_document(), resources=[("get /b", "bees")])
    assert unmatched == []
    assert result["paths"]["/b"]["get"]["x-sdk-resource"] == "bees"


def test_no_override_returns_the_document_itself() -> None:
    document = _document()
    assert override_operations(document) == (document, [])


def test_each_credential_header_adds_to_what_the_operations_require() -> None:
    """Two header credentials (UX audit 14: an API key one operation declares, a token nine
    of ten require): each operation requires those it declares, and is sent the others when
    configured; the second header's overlay keeps what the first's wrote."""
    from generator.overlay import authorization_overlay

    def header(name: str, required: bool) -> dict[str, Any]:
        return {"name": name, "in": "header", "required": required, "schema": {"type": "string"}}

    ok = {"200": {"description": "ok"}}
    paths: dict[str, Any] = {}
    for n in range(10):
        given = [header("X-Server-Token", True)] if n < 9 else []
        given += [header("x-api-key", True)] if n == 0 else []
        paths[f"/p{n}"] = {"get": {"operationId": f"get{n}", "parameters": given, "responses": ok}}
    document = {"openapi": "3.1.0", "paths": paths}
    before = copy.deepcopy(document)
    result = authorization_overlay(document)
    assert document == before
    assert set(result["components"]["securitySchemes"]) == {"x-api-key", "x-server-token"}
    security = [result["paths"][f"/p{n}"]["get"]["security"] for n in (0, 1, 9)]
    both: dict[str, list[str]] = {"x-api-key": [], "x-server-token": []}
    assert security[0] == [both]
    assert security[1] == [both, {"x-server-token": []}]
    assert security[2] == [both, {"x-server-token": []}, {"x-api-key": []}, {}]
