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
