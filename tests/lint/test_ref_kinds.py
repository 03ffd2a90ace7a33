"""E111 (`generator.ref_kinds`): a `$ref` must name the kind of object its place expects.

Before, a parameter, request body or response whose `$ref` named a schema was read as
absent, silently: the method lost an argument or its body, or returned `Any`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Severity
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.ref_kinds import kind_at
from tests.conftest import minimal_spec, write_spec


@pytest.mark.parametrize(
    ("pointer", "kind"),
    [
        ("/components/schemas/Pet", "schema"),
        ("/components/schemas/Pet/properties/name", "schema"),
        ("/components/parameters/Limit", "parameter"),
        ("/components/parameters/Limit/schema", "schema"),
        ("/components/requestBodies/Pet", "request body"),
        ("/components/responses/NotFound", "response"),
        ("/components/responses/NotFound/headers/X-Rate", "header"),
        ("/components/responses/NotFound/content/application~1json/schema", "schema"),
        ("/paths/~1pets", "path item"),
        ("/paths/~1pets/parameters/0", "parameter"),
        ("/paths/~1pets/get/parameters/1", "parameter"),
        ("/paths/~1pets/post/requestBody", "request body"),
        (
            "/paths/~1pets/post/requestBody/content/multipart~1form-data/encoding/f/headers/X",
            "header",
        ),
        ("/paths/~1pets/get/responses/200", "response"),
        ("/paths/~1pets/get/responses/200/content/application~1json/examples/one", "example"),
        ("/paths/~1pets/post/callbacks/onDone/{$request.body#~1url}/post", "operation"),
        ("/paths/~1pets/additionalOperations/PURGE/responses/204", "response"),
        ("/webhooks/newPet/post/requestBody", "request body"),
        ("/components/pathItems/Pets/get", "operation"),
        # not places this reading knows: never reported
        ("/components/schemas", None),
        ("/paths/~1pets/get/parameters", None),
        ("/paths/~1pets/get/servers/0", None),
        ("/info", None),
        ("/components/x-things/A", None),
    ],
)
def test_the_kind_of_a_place(pointer: str, kind: str | None) -> None:
    from generator.load import split_pointer

    assert kind_at(split_pointer(pointer)) == kind


def _lint(tmp_path: Path, paths: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """The E111 messages of `lint` (errors), checked to be warnings under `generate`."""
    document = minimal_spec(components.pop("schemas", {}), paths)
    document.setdefault("components", {}).update(components)
    spec = load_spec(write_spec(tmp_path, document, "spec.json"))
    strict = [d for d in lint_spec(spec, Profile.STRICT) if d.code == "E111"]
    generating = [d for d in lint_spec(spec, Profile.GENERATE) if d.code == "E111"]
    assert all(d.severity is Severity.ERROR for d in strict)
    assert all(d.severity is Severity.WARNING for d in generating)
    assert [d.message for d in generating] == [d.message for d in strict]
    return [d.message for d in strict]


def test_a_ref_to_the_same_kind_elsewhere_in_the_document_is_fine(tmp_path: Path) -> None:
    """Another operation's parameter, a schema inside a response, a shared response."""
    shared = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    body_schema = "#/paths/~1a/get/responses/200/content/application~1json/schema"
    paths = {
        "/a": {
            "get": {
                "operationId": "a",
                "parameters": [shared],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/b": {
            "get": {
                "operationId": "b",
                "parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": body_schema}}},
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            }
        },
    }
    components = {"responses": {"NotFound": {"description": "gone"}}}
    assert _lint(tmp_path, paths, components) == []


def test_each_wrong_kind_is_reported_and_generation_goes_on(tmp_path: Path) -> None:
    """A warning under `generate` (the spec still generates), an error for `lint`."""
    paths = {
        "/a": {
            "post": {
                "operationId": "a",
                "parameters": [{"$ref": "#/components/schemas/Id"}],
                "requestBody": {"$ref": "#/components/schemas/Id"},
                "responses": {"200": {"$ref": "#/components/parameters/Limit"}},
            }
        }
    }
    components = {
        "schemas": {
            "Id": {"type": "string"},
            "Pet": {
                "type": "object",
                "properties": {"id": {"$ref": "#/components/parameters/Limit"}},
            },
        },
        "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
    }
    assert _lint(tmp_path, paths, components) == [
        "$ref '#/components/schemas/Id' points at a schema where a parameter is expected",
        "$ref '#/components/schemas/Id' points at a schema where a request body is expected",
        "$ref '#/components/parameters/Limit' points at a parameter where a response is expected",
        "$ref '#/components/parameters/Limit' points at a parameter where a schema is expected",
    ]
