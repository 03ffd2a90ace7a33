"""Structurally identical inline schemas are one model (`generator/schema_reuse.py`).

Hetzner Cloud inlines every object: each of its 73 action operations answered its own copy
of `{"action": {id, command, status, …}}`, so `server_actions.poweron(…).action` and
`actions.retrieve(…).action` were different classes (71 `…ActionStatus` enums, 1,209
models for 144 operations; UX audit 12, finding 9). Copies that validate and serialise
alike are now one model, named after the property they all sit under.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.ir import Api, Model
from generator.ir_build import build_api
from generator.load import load_spec
from generator.schema_reuse import InlineReuse
from tests.conftest import BuildPackage, minimal_spec, write_spec


def action_schema(example: str = "start_server") -> dict[str, Any]:
    """Hetzner's inline action, its example as each operation writes it."""
    return {
        "type": "object",
        "title": "Action",
        "required": ["id", "command", "status", "error", "resources"],
        "properties": {
            "id": {"type": "integer", "description": "ID of the Action"},
            "command": {"type": "string", "example": example},
            "status": {"type": "string", "enum": ["success", "running", "error"]},
            "error": {
                "type": "object",
                "nullable": True,
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "resources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "type": {"type": "string"}},
                },
            },
        },
    }


def answering(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    """An operation whose response body is `schema`."""
    content = {"application/json": {"schema": schema}}
    return {"responses": {status: {"description": "ok", "content": content}}}


def wrapped(prop: str, schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    """`{prop: schema}` as a response body's own (inline) schema."""
    body: dict[str, Any] = {"type": "object", "properties": {prop: schema}}
    if required:
        body["required"] = [prop]
    return body


def hetzner_like() -> dict[str, Any]:
    """Three operations answering copies of one action (examples differ), one of them
    nullable and titled otherwise, and a list of them."""
    nullable = {**action_schema("create_image"), "nullable": True, "title": "NullableAction"}
    listed = {"type": "array", "items": action_schema("stop_server")}
    paths = {
        "/actions": {"get": {**answering(wrapped("actions", listed))}},
        "/actions/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {**answering(wrapped("action", action_schema()))},
        },
        "/servers/{id}/actions/poweron": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "post": {
                **answering(wrapped("action", action_schema("start_server")), "201"),
            },
        },
        "/images": {
            "post": {
                **answering(wrapped("action", nullable, required=False), "201"),
            }
        },
    }  # fmt: skip
    spec = minimal_spec(paths=paths, version="3.0.3")
    del spec["components"]  # no component schema at all, as Hetzner's
    return spec


def build(tmp_path: Path, spec: dict[str, Any]) -> Api:
    return build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")


def models(api: Api) -> dict[str, Model]:
    return {model.name: model for model in api.models}


def field_type(model: Model, alias: str) -> str:
    (found,) = [f for f in model.fields if f.alias == alias]
    return repr(found.type)


def test_copies_of_an_inline_action_are_one_model_named_by_their_property(tmp_path: Path) -> None:
    found = models(build(tmp_path, hetzner_like()))
    actions = [n for n in found if "Action" in n and not n.endswith("Response")]
    assert sorted(actions) == ["Action", "ActionError", "ActionResourcesItem", "ActionStatus"]
    assert found["ActionStatus"].kind == "enum"
    # each response keeps its own class (named after its operation), holding the one Action
    for wrapper in ("GetActionsIdResponse", "PostServersIdActionsPoweronResponse"):
        assert "ModelRef(name='Action')" in field_type(found[wrapper], "action")
    # a nullable copy is the same class; its use says `| None` (as before)
    assert "None" in field_type(found["PostImagesResponse"], "action")
    assert "None" not in field_type(found["GetActionsIdResponse"], "action")
    # the first copy's example and title are the model's (they tell no copy apart)
    assert found["Action"].description == "Action"


def test_the_one_action_class_is_returned_by_every_call(build_package: BuildPackage) -> None:
    package = build_package(hetzner_like())
    action = {
        "id": 1,
        "command": "start_server",
        "status": "running",
        "error": None,
        "resources": [{"id": 42, "type": "server"}],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/actions"):
            return httpx.Response(200, json={"actions": [action]})
        return httpx.Response(201 if request.method == "POST" else 200, json={"action": action})

    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    from_post = client.servers.actions.poweron.create(42).action
    from_get = client.actions.retrieve(1).action
    from_list = client.actions.list().actions[0]
    assert type(from_post) is type(from_get) is type(from_list) is package.models.Action
    assert from_post.status is package.models.ActionStatus.RUNNING


def test_copies_under_different_properties_stay_apart(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"sku": {"type": "string"}}}
    paths = {
        "/a": {"get": answering(wrapped("owner", copy.deepcopy(item)))},
        "/b": {"get": answering(wrapped("buyer", dict(reversed(list(item.items())))))},
    }
    found = models(build(tmp_path, minimal_spec(paths=paths)))
    # alike, but no one name tells both uses: a first copy's name read wrong in the other
    # operation (Stripe's customers.create was typed by GetInvoicesUpcomingDiscountsOption2)
    assert "GetAResponseOwner" in found and "GetBResponseBuyer" in found
    assert "GetBResponseBuyer" in field_type(found["GetBResponse"], "buyer")


def test_copies_whose_property_name_is_taken_stay_apart(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"sku": {"type": "string"}}}
    paths = {
        "/a": {"get": answering(wrapped("owner", copy.deepcopy(item)))},
        "/b": {"get": answering(wrapped("owner", copy.deepcopy(item)))},
    }
    spec = minimal_spec({"Owner": {"type": "string"}}, paths)
    found = models(build(tmp_path, spec))
    assert found["Owner"].kind == "alias"  # the component keeps its name and its schema
    assert "GetBResponseOwner" in field_type(found["GetBResponse"], "owner")


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("format", "date-time"),
        ("pattern", "^a"),
        ("default", "x"),
        ("readOnly", True),
        ("writeOnly", True),
        ("description", "the buyer's SKU"),
        ("x-go-type", "Sku"),
        ("maxLength", 3),
    ],
)
def test_copies_that_differ_in_anything_but_examples_stay_apart(
    tmp_path: Path, keyword: str, value: Any
) -> None:
    item: dict[str, Any] = {"type": "object", "properties": {"sku": {"type": "string"}}}
    other = copy.deepcopy(item)
    other["properties"]["sku"][keyword] = value
    paths = {
        "/a": {"get": answering(wrapped("item", item))},
        "/b": {"get": answering(wrapped("item", other))},
    }
    found = models(build(tmp_path, minimal_spec(paths=paths)))
    assert {"GetAResponseItem", "GetBResponseItem"} <= set(found)
    assert "Item" not in found


def test_enums_differing_in_order_or_type_stay_apart(tmp_path: Path) -> None:
    paths = {
        "/a": {"get": answering(wrapped("kind", {"type": "string", "enum": ["a", "b"]}))},
        "/b": {"get": answering(wrapped("kind", {"type": "string", "enum": ["b", "a"]}))},
        "/c": {"get": answering(wrapped("kind", {"type": "string", "enum": ["a", "b"]}))},
        "/d": {"get": answering(wrapped("kind", {"type": "integer", "enum": [1, 2]}))},
        "/e": {"get": answering(wrapped("kind", {"type": "integer", "enum": [1, 2]}))},
    }
    found = models(build(tmp_path, minimal_spec(paths=paths)))
    enums = sorted(n for n, m in found.items() if m.kind == "enum")
    # `a, b` twice (one model, named by its property), `b, a` once, `1, 2` twice: the
    # second group under `kind` finds the name taken, and its copies stay apart
    assert enums == ["GetBResponseKind", "GetDResponseKind", "GetEResponseKind", "Kind"]


def test_components_and_referenced_schemas_are_never_merged(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"sku": {"type": "string"}}}
    target = "#/paths/~1b/get/responses/200/content/application~1json/schema/properties/item"
    paths = {
        "/a": {"get": answering(wrapped("item", {"$ref": "#/components/schemas/Item"}))},
        "/b": {"get": answering(wrapped("item", copy.deepcopy(item)))},
        "/c": {"get": answering(wrapped("item", copy.deepcopy(item)))},
        "/d": {"get": answering(wrapped("other", {"$ref": target}))},
    }
    spec = minimal_spec({"Item": copy.deepcopy(item)}, paths)
    found = models(build(tmp_path, spec))
    assert "Item" in found and "GetCResponseItem" in found
    assert "ModelRef(name='Item')" in field_type(found["GetAResponse"], "item")
    # `/b`'s copy is a `$ref` target: a model of its own, never `/c`'s
    assert "GetCResponseItem" not in field_type(found["GetBResponse"], "item")


def test_operation_bodies_keep_their_own_classes(tmp_path: Path) -> None:
    body = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
    paths = {
        "/a": {"get": answering(copy.deepcopy(body))},
        "/b": {"get": answering(copy.deepcopy(body))},
    }
    found = models(build(tmp_path, minimal_spec(paths=paths)))
    assert {"GetAResponse", "GetBResponse"} <= set(found)


def test_a_request_copy_with_read_only_marks_is_apart_from_a_response_copy(
    tmp_path: Path,
) -> None:
    item = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "readOnly": True}, "n": {"type": "string"}},
    }
    request = {
        "requestBody": {
            "content": {"application/json": {"schema": wrapped("item", copy.deepcopy(item))}}
        },
        "responses": {"204": {"description": "done"}},
    }
    paths = {
        "/a": {"get": answering(wrapped("item", copy.deepcopy(item)))},
        "/b": {"get": answering(wrapped("item", copy.deepcopy(item)))},
        "/c": {"post": request},
    }
    found = models(build(tmp_path, minimal_spec(paths=paths)))
    assert "Item" in found and "PostCBodyItem" in found
    # in what only requests hold, the marks mean nothing (W314): `id` is sent there
    assert found["PostCBodyItem"].read_only_fields == ()
    assert found["Item"].read_only_fields != ()


def test_names_are_the_same_whatever_the_key_order(tmp_path: Path) -> None:
    spec = hetzner_like()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    names = [m.name for m in build(tmp_path / "a", spec).models]
    operation = spec["paths"]["/actions/{id}"]["get"]
    action = operation["responses"]["200"]["content"]["application/json"]["schema"]
    action = action["properties"]["action"]
    for key in reversed(list(action)):  # this copy's keywords in another order
        action[key] = action.pop(key)
    assert [m.name for m in build(tmp_path / "b", spec).models] == names


def test_the_index_walks_any_nesting_and_any_default_without_recursion() -> None:
    def leaf() -> dict[str, Any]:
        deep: dict[str, Any] = {}
        for _ in range(5000):
            deep = {"a": deep}
        return {"type": "object", "properties": {"v": {"type": "object", "default": deep}}}

    schema: dict[str, Any] = leaf()
    for _ in range(20_000):
        schema = {"type": "object", "properties": {"n": schema}}
    twin = leaf()
    body = {"type": "object", "properties": {"x": schema, "y": twin}}
    spec = minimal_spec(paths={"/a": {"get": answering(body)}})
    reuse = InlineReuse(spec)
    pointer = "/paths/~1a/get/responses/200/content/application~1json/schema/properties/y"
    # `y` is the innermost object's twin, but a default nested past the stack equals nothing
    assert reuse.group(pointer, twin) is None
