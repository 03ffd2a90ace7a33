"""Inline specs → generate → import → exercise: every schema feature the generator maps."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import uuid
from typing import Any

import httpx
import pydantic
import pytest
from pydantic import ValidationError

from tests.conftest import BuildPackage, minimal_spec, recording

PET_SCHEMAS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "description": "A tree node (self-recursive).",
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
        "required": ["value"],
    },
    "Husband": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "wife": {"$ref": "#/components/schemas/Wife"}},
    },
    "Wife": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "husband": {"$ref": "#/components/schemas/Husband"},
        },
    },
    "Pet": {
        "type": "object",
        "properties": {
            "petType": {"type": "string"},
            "name": {"type": "string", "minLength": 1, "maxLength": 10},
        },
        "required": ["petType", "name"],
    },
    "Cat": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {
                "type": "object",
                "properties": {"lives": {"type": "integer", "minimum": 0, "maximum": 9}},
            },
        ]
    },
    "Dog": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "properties": {"barks": {"type": "boolean", "default": True}}},
        ]
    },
    "AnyPet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "ImplicitPet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "petType"},
    },
    "EncodedPet": {  # mapping values as RFC 6901 fragments (percent-encoded), or names
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"kitty": "#/components/schemas/C%61t", "doggo": "Dog"},
        },
    },
    "StringOrNumber": {"anyOf": [{"type": "string"}, {"type": "number"}]},
    "Status": {"type": "string", "enum": ["active", "on-hold", "3d"], "description": "Status."},
    "Level": {"type": "integer", "enum": [1, 2, -3]},
    "Everything": {
        "type": "object",
        "required": ["id", "kind", "count"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "kind": {"const": "everything"},
            "count": {"type": "integer", "exclusiveMinimum": 0, "multipleOf": 2},
            "ratio": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1.5},
            "when": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "email": {"type": "string", "format": "email"},
            "blob": {"type": "string", "format": "binary"},
            "nullable31": {"type": ["string", "null"], "maxLength": 3},
            "status": {"$ref": "#/components/schemas/Status"},
            "status_default": {
                "allOf": [{"$ref": "#/components/schemas/Status"}],
                "default": "on-hold",
            },
            "level": {"$ref": "#/components/schemas/Level"},
            "inline_enum": {"type": "string", "enum": ["a", "b"]},
            "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
            "free": {"type": "object"},
            "matrix": {
                "type": "array",
                "minItems": 1,
                "maxItems": 2,
                "items": {"type": "array", "items": {"type": "integer"}},
            },
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
            "inline_object": {
                "type": "object",
                "properties": {"deep": {"type": "string", "default": "x"}},
            },
            "server_id": {"type": "string", "readOnly": True},
            "password": {"type": "string", "writeOnly": True, "format": "password"},
            "union": {"$ref": "#/components/schemas/StringOrNumber"},
            "with_default_list": {"type": "array", "items": {"type": "integer"}, "default": [1, 2]},
        },
        "additionalProperties": False,
    },
    "Closed": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": False,
    },
    "TypedExtras": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": {"type": "integer"},
    },
    "Names": {"type": "array", "items": {"type": "string"}},
}


@pytest.fixture(scope="module")
def features_spec() -> dict[str, Any]:
    return minimal_spec(PET_SCHEMAS)


@pytest.fixture
def models(build_package: BuildPackage, features_spec: dict[str, Any]) -> Any:
    return build_package(features_spec).models


def test_recursion_and_mutual_recursion(models: Any) -> None:
    tree = models.Node.model_validate(
        {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}
    )
    assert tree.children[0].children[0].value == 3
    couple = models.Husband.model_validate(
        {"name": "h", "wife": {"name": "w", "husband": {"name": "h2"}}}
    )
    assert couple.wife.husband.name == "h2"
    with pytest.raises(ValidationError):
        models.Node.model_validate({"value": 1, "children": [{"children": []}]})


def test_all_of_is_inheritance(models: Any) -> None:
    assert issubclass(models.Cat, models.Pet)
    cat = models.Cat(petType="cat", name="Tom", lives=9)
    assert cat.name == "Tom" and cat.lives == 9
    with pytest.raises(ValidationError):
        models.Cat(petType="cat", name="Tom", lives=10)
    with pytest.raises(ValidationError):
        models.Cat(petType="cat", name="")  # minLength from the base


def test_discriminated_union_with_mapping(models: Any) -> None:
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(models.AnyPet)
    assert isinstance(adapter.validate_python({"petType": "dog", "name": "Rex"}), models.Dog)
    assert isinstance(adapter.validate_python({"petType": "cat", "name": "Tom"}), models.Cat)
    with pytest.raises(ValidationError):
        adapter.validate_python({"petType": "cow", "name": "Daisy"})


def test_discriminated_union_with_an_encoded_mapping(models: Any) -> None:
    """`#/components/schemas/C%61t` is `Cat` as the loader reads it: the member was tagged
    `Cat` instead, and the documented tag refused."""
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(models.EncodedPet)
    assert isinstance(adapter.validate_python({"petType": "kitty", "name": "Tom"}), models.Cat)
    assert isinstance(adapter.validate_python({"petType": "doggo", "name": "Rex"}), models.Dog)


def test_discriminated_union_implicit_mapping(models: Any) -> None:
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(models.ImplicitPet)
    assert isinstance(adapter.validate_python({"petType": "Dog", "name": "Rex"}), models.Dog)
    with pytest.raises(ValidationError):
        adapter.validate_python({"petType": "dog", "name": "Rex"})


def _everything(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": str(uuid.uuid4()), "kind": "everything", "count": 4}
    payload.update(changes)
    return payload


def test_formats_constraints_and_defaults(models: Any) -> None:
    item = models.Everything.model_validate(
        _everything(
            when="2024-01-02T03:04:05Z",
            day="2024-01-02",
            email="a@b.example",
            nullable31=None,
            status="on-hold",
            level=-3,
            labels={"x": 1},
            matrix=[[1, 2], []],
            tags=["abc"],
            inline_object={},
            union=1.5,
        )
    )
    assert isinstance(item.id, uuid.UUID)
    assert item.when == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert item.day == dt.date(2024, 1, 2)
    assert item.status == models.Status.ON_HOLD and item.status == "on-hold"
    assert item.level == models.Level.VALUE_MINUS_3
    assert item.status_default == "on-hold"
    assert item.inline_object.deep == "x"
    assert item.with_default_list == [1, 2]
    assert models.Everything.model_validate(_everything()).with_default_list == [1, 2]
    bad_cases: list[dict[str, Any]] = [
        {"kind": "other"},
        {"count": 0},
        {"count": 3},
        {"ratio": 1.5},
        {"ratio": 0.4},
        {"email": "not-an-email"},
        {"nullable31": "toolong"},
        {"status": "unknown"},
        {"level": 4},
        {"inline_enum": "c"},
        {"labels": {"x": "y"}},
        {"matrix": []},
        {"matrix": [[1], [2], [3]]},
        {"tags": ["ABC"]},
        {"id": "not-a-uuid"},
        {"when": "yesterday"},
        {"unknown_field": 1},
    ]
    for change in bad_cases:
        with pytest.raises(ValidationError):
            models.Everything.model_validate(_everything(**change))
    for missing in ("id", "kind", "count"):
        payload = _everything()
        del payload[missing]
        with pytest.raises(ValidationError):
            models.Everything.model_validate(payload)


def test_enum_members_are_named_safely(models: Any) -> None:
    assert [m.name for m in models.Status] == ["ACTIVE", "ON_HOLD", "V_3D"]
    assert [m.value for m in models.Level] == [1, 2, -3]


def test_additional_properties(models: Any) -> None:
    with pytest.raises(ValidationError):
        models.Closed.model_validate({"a": "x", "b": "y"})
    extra = models.TypedExtras.model_validate({"a": "x", "n": 3})
    assert extra.model_extra == {"n": 3}
    with pytest.raises(ValidationError):
        models.TypedExtras.model_validate({"a": "x", "n": "three"})
    open_model = models.Pet.model_validate({"petType": "x", "name": "y", "future": True})
    assert open_model.model_extra == {"future": True}


def test_alias_round_trip_and_snake_case(models: Any) -> None:
    pet = models.Pet.model_validate({"petType": "dog", "name": "Rex"})
    assert pet.pet_type == "dog"
    assert pet.model_dump(by_alias=True) == {"petType": "dog", "name": "Rex"}
    assert models.Pet(pet_type="dog", name="Rex") == pet


def test_read_only_and_secret_fields(models: Any) -> None:
    item = models.Everything.model_validate(_everything(server_id="srv", password="hunter2"))
    assert "hunter2" not in repr(item) and "hunter2" not in str(item)
    assert item.password.get_secret_value() == "hunter2"
    wire = item.model_dump(
        mode="json", by_alias=True, context={"reveal_secrets": True, "request": True}
    )
    assert wire["password"] == "hunter2"
    assert "server_id" not in wire
    assert item.model_dump(mode="json")["password"] == "**********"
    assert item.model_dump(mode="json")["server_id"] == "srv"


def test_type_alias_for_arrays(models: Any) -> None:
    from pydantic import TypeAdapter

    assert TypeAdapter(models.Names).validate_python(["a"]) == ["a"]


def test_openapi_30_nullable_and_exclusive_bounds(build_package: BuildPackage) -> None:
    spec = minimal_spec(
        {
            "Thing": {
                "type": "object",
                "required": ["n", "s"],
                "properties": {
                    "n": {
                        "type": "integer",
                        "minimum": 0,
                        "exclusiveMinimum": True,
                        "nullable": True,
                    },
                    "s": {"type": "string", "nullable": True},
                    "ref": {"allOf": [{"$ref": "#/components/schemas/Other"}], "nullable": True},
                },
            },
            "Other": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
        version="3.0.3",
    )
    models = build_package(spec).models
    assert models.Thing.model_validate({"n": None, "s": None}).n is None
    assert models.Thing.model_validate({"n": 1, "s": "x"}).n == 1
    with pytest.raises(ValidationError):
        models.Thing.model_validate({"n": 0, "s": "x"})
    with pytest.raises(ValidationError):
        models.Thing.model_validate({"s": "x"})


def test_models_are_documented(models: Any) -> None:
    assert models.Node.__doc__ == "A tree node (self-recursive)."
    assert models.Status.__doc__ == "Status."
    assert "Pet" in models.__all__ and "Everything" in models.__all__


def test_an_optional_deprecated_property_stays_optional(build_package: BuildPackage) -> None:
    """`Field(deprecated=True)` alone would make the field required (GitHub's agent tasks
    lost `user_collaborators` this way): the default is stated beside it."""
    spec = minimal_spec(
        {
            "Task": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "old": {"type": "array", "items": {"type": "string"}, "deprecated": True},
                    "Old-Name": {"type": "string", "deprecated": True},
                },
            }
        }
    )
    models = build_package(spec).models
    task = models.Task.model_validate({"id": "a"})
    assert task.model_dump(exclude_unset=True) == {"id": "a"}
    fields = models.Task.model_fields
    assert fields["old"].deprecated and not fields["old"].is_required()
    assert fields["old_name"].deprecated and not fields["old_name"].is_required()


def test_an_inline_all_of_with_required_beside_it_requires_them(
    build_package: BuildPackage,
) -> None:
    """DigitalOcean's `PUT /v2/projects/default` body is `allOf: [$ref: Project]` with
    `required: [name, purpose]` beside it and no `type`: it was the bare `Project`, all
    optional, so `{}` went out (the API answered 422). It is a subclass requiring them."""
    project = {"type": "object", "properties": {"name": {"type": "string"}, "id": {}}}
    body = {"allOf": [{"$ref": "#/components/schemas/Project"}], "required": ["name"]}
    operation = {
        "operationId": "updateDefaultProject",
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {"204": {"description": "done"}},
    }
    package = build_package(minimal_spec({"Project": project}, {"/default": {"put": operation}}))
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    with pytest.raises(package.RequestValidationError, match="name"):
        client.default.update(body={"id": 1})
    client.default.update(name="n")
    assert sent == [b'{"name":"n"}']


def test_a_required_write_only_field_is_required_when_sent_only(
    build_package: BuildPackage,
) -> None:
    """Linode's `root_pass` (required, `writeOnly`) was optional in the body's model and
    the method, so a rebuild without it went out (the API answered 400). It stays optional
    in the model, which responses fill without it, and is required in the method and in
    every model sent, nested ones too."""
    user = {
        "type": "object",
        "required": ["name", "password"],
        "properties": {
            "name": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
        },
    }
    team = {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/User"}}}

    def json_of(name: str) -> dict[str, Any]:
        return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}

    paths = {
        "/users": {
            "get": {
                "operationId": "getUser",
                "responses": {"200": {"description": "ok", "content": json_of("User")}},
            },
            "post": {
                "operationId": "createUser",
                "requestBody": {"required": True, "content": json_of("User")},
                "responses": {"201": {"description": "ok", "content": json_of("User")}},
            },
        },
        "/teams": {
            "post": {
                "operationId": "createTeam",
                "requestBody": {"required": True, "content": json_of("Team")},
                "responses": {"204": {"description": "ok"}},
            }
        },
    }
    package = build_package(minimal_spec({"User": user, "Team": team}, paths))
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(201 if request.method == "POST" else 200, json={"name": "ann"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    fetched = client.users.retrieve()
    fetched.name = "bob"  # a model from a response is changed without the write-only field
    with pytest.raises(package.RequestValidationError, match="password: field required"):
        client.users.create(body=fetched)
    with pytest.raises(package.RequestValidationError, match="password: field required"):
        client.teams.create(owner={"name": "ann"})
    client.users.create(name="ann", password="pw")
    assert sent[-1] == b'{"name":"ann","password":"pw"}'
    assert "password" not in package.models.User.model_json_schema()["required"]


def test_an_all_of_of_a_number_and_anything_else_is_still_a_number(
    build_package: BuildPackage,
) -> None:
    """`allOf: [{$ref: Double}, {description: …}]` (how AWS writes every property: 136
    directory specs) was an `int`: each `number` part was widened to integers and the
    number dropped at the end, so a valid `0.5` was refused before sending, a response's
    rejected, and `minimum: 0.5` rounded to `ge=1`. Integers remain where one part says
    integer and another number."""
    schemas = {
        "Double": {"type": "number", "minimum": 0.5},
        "X": {
            "type": "object",
            "properties": {
                "ref_desc": {
                    "allOf": [{"$ref": "#/components/schemas/Double"}, {"description": "d"}]
                },
                "num_desc": {"allOf": [{"type": "number"}, {"description": "d"}]},
                "int_num": {"allOf": [{"type": "integer"}, {"type": "number"}]},
                "num_int": {"allOf": [{"type": "number"}, {"type": "integer", "minimum": 1}]},
                "num_num": {"allOf": [{"type": "number"}, {"type": "number", "maximum": 2.5}]},
            },
        },
    }
    package = build_package(minimal_spec(schemas))
    built = package.models.X.model_validate(
        {"ref_desc": 0.75, "num_desc": 1.5, "int_num": 3, "num_int": 2, "num_num": 2.5}
    )
    assert (built.ref_desc, built.num_desc, built.num_num) == (0.75, 1.5, 2.5)
    for wrong in ({"ref_desc": 0.25}, {"int_num": 1.5}, {"num_int": 0}, {"num_num": 3}):
        with pytest.raises(pydantic.ValidationError):
            package.models.X.model_validate(wrong)


def test_a_literal_of_booleans_or_integers_does_not_take_the_other_type(
    build_package: BuildPackage,
) -> None:
    """pydantic matches a `Literal` by equality, strict or not (`0 == False`): listed
    before the `int`, `const: false` took a request's `0` and sent `false` (and read a
    response's `1` as `True`). Hostile audit 3."""
    limits = {
        "type": "object",
        "properties": {
            "expires": {"anyOf": [{"const": False}, {"type": "integer"}]},
            "limit": {"oneOf": [{"type": "boolean", "enum": [True]}, {"type": "integer"}]},
            "flag": {"anyOf": [{"const": 1}, {"type": "boolean"}]},
        },
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Limits"}}}
    operation = {
        "operationId": "setLimits",
        "requestBody": {"content": content},
        "responses": {"200": {"description": "ok", "content": content}},
    }
    package = build_package(minimal_spec({"Limits": limits}, {"/limits": {"post": operation}}))
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, content=b'{"expires": 0, "limit": 1, "flag": true}')

    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    answer = client.limits.set_limits(expires=0, limit=1, flag=True)
    assert sent == [b'{"expires":0,"limit":1,"flag":true}']
    assert (answer.expires, answer.limit, answer.flag) == (0, 1, True)
    assert [type(v) for v in (answer.expires, answer.limit, answer.flag)] == [int, int, bool]
    client.limits.set_limits(expires=False, limit=True, flag=1)
    assert sent[1] == b'{"expires":false,"limit":true,"flag":1}'


def test_an_integer_enum_past_64_bits_validates_every_member(build_package: BuildPackage) -> None:
    """pydantic cannot validate an `IntEnum` mixing 64-bit and wider members (the wide ones
    failed with `int_parsing_size`): such an enum is a union of its values. Hostile audit 3."""
    values = [2**64, -(2**64), 2**63 - 1, 5]
    holder = {"type": "object", "properties": {"e": {"$ref": "#/components/schemas/Wide"}}}
    package = build_package(
        minimal_spec({"Wide": {"type": "integer", "enum": values}, "Holder": holder}),
        filename="spec.json",
    )
    for value in values:
        assert package.models.Holder.model_validate_json(f'{{"e": {value}}}').e == value
        assert package.models.Holder(e=value).model_dump_json() == f'{{"e":{value}}}'
    with pytest.raises(ValidationError):
        package.models.Holder(e=6)


def test_unique_items_refuses_a_repeated_item_before_sending(build_package: BuildPackage) -> None:
    """Hostile audit 14: `uniqueItems: true` was neither enforced nor reported: duplicates
    went out. Items are compared as JSON (models and objects too); a response keeps what
    it holds, with the lenient warning."""
    tag = {"type": "object", "properties": {"name": {"type": "string"}}}
    refund = {
        "type": "object",
        "properties": {
            "charge_ids": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "tags": {"type": "array", "items": tag, "uniqueItems": True},
            "any": {"type": "array", "uniqueItems": True},
            "free": {"type": "array", "items": {"type": "string"}, "uniqueItems": False},
        },
    }
    ok = {"description": "ok", "content": {"application/json": {"schema": refund}}}
    paths = {
        "/refunds": {
            "post": {
                "operationId": "createRefund",
                "requestBody": {"content": {"application/json": {"schema": refund}}},
                "responses": {"200": ok},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"charge_ids": ["a", "a"]})

    client = package.Client(
        base_url="https://api.example.test",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    for repeated in (
        {"charge_ids": ["ch_1", "ch_1"]},
        {"tags": [{"name": "x"}, {"name": "x"}]},
        {"any": [1, {"a": [1]}, {"a": [1]}]},
        # equal as JSON values: keys in another order, numbers by value (hostile audit 15)
        {"any": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]},
        {"any": [1, 1.0]},
    ):
        with pytest.raises(package.RequestValidationError, match="must be unique"):
            client.refunds.create(**repeated)
    assert sent == []
    received = client.refunds.create(
        charge_ids=["ch_1", "ch_2"],
        tags=[{"name": "x"}, {"name": "y"}],
        any=[1, True, "1"],
        free=["a", "a"],
    )
    assert len(sent) == 1 and received.charge_ids == ["a", "a"]


def test_integer_enums_and_literals_refuse_a_value_of_the_other_json_type(
    build_package: BuildPackage,
) -> None:
    """Hostile audit 14: pydantic matches literals and integer enums by equality, so `True`
    went out as `1` (or `?level=true`, off the enum) and `0` as `false`. Each refuses the
    other JSON type now, in a body and in a query; its own values still go out."""
    properties = {
        "installments": {"type": "integer", "enum": [1, 3, 6]},
        "capture": {"const": False},
        "one": {"const": 1},
        "mode": {"enum": [0, "auto"]},
        "either": {"enum": [1, True]},
    }
    paths = {
        "/charges": {
            "post": {
                "operationId": "createCharge",
                "parameters": [
                    {"name": "level", "in": "query", "schema": {"type": "integer", "enum": [1, 2]}},
                    {"name": "flag", "in": "query", "schema": {"const": False}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": properties}}
                    }
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    for wrong in (
        {"installments": True},
        {"capture": 0},
        {"capture": 0.0},
        {"one": True},
        {"mode": False},
        {"level": True},
        {"flag": 0},
    ):
        with pytest.raises(package.RequestValidationError):
            client.charges.create(**wrong)
    assert sent == []
    client.charges.create(
        installments=3, capture=False, one=1, mode=0, either=True, level=2, flag=False
    )
    assert sent[0].url.query == b"level=2&flag=false"
    assert sent[0].content == (b'{"installments":3,"capture":false,"one":1,"mode":0,"either":true}')


def test_object_keywords_beside_a_31_ref_make_a_subclass(build_package: BuildPackage) -> None:
    """Hostile audit 14: in 3.1, `properties`, `required` and `additionalProperties` beside
    a `$ref` were dropped silently: the client sent what the schema refuses. They make a
    subclass of the referenced model, as `allOf` does."""
    party = {"type": "object", "properties": {"name": {"type": "string"}}}
    order = {
        "type": "object",
        "properties": {
            "customer": {
                "$ref": "#/components/schemas/Party",
                "required": ["email"],
                "properties": {"email": {"type": "string"}},
            },
            "closed": {"$ref": "#/components/schemas/Party", "additionalProperties": False},
            # beside an enum, which no object satisfies, they change nothing (hostile audit 15)
            "status": {"$ref": "#/components/schemas/Status", "required": ["x"]},
        },
    }
    status = {"type": "string", "enum": ["open", "closed"]}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}
    paths = {
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "requestBody": body,
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    schemas = {"Party": party, "Order": order, "Status": status}
    package = build_package(minimal_spec(schemas, paths, version="3.1.0"))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    for wrong in ({"customer": {"name": "n"}}, {"closed": {"name": "n", "zzz": 1}}):
        with pytest.raises(package.RequestValidationError):
            client.orders.create(**wrong)
    assert sent == []
    client.orders.create(customer={"name": "n", "email": "e"}, closed={"name": "n"}, status="open")
    assert sent[0].content == (
        b'{"customer":{"name":"n","email":"e"},"closed":{"name":"n"},"status":"open"}'
    )
    customer = package.models.Order.model_fields["customer"].annotation
    assert issubclass(
        next(a for a in customer.__args__ if a is not type(None)), package.models.Party
    )


def test_date_time_spelled_otherwise_is_a_date_time(build_package: BuildPackage) -> None:
    """UX audit 13: Netlify's `format: dateTime` fields (and `datetime`, `date_time`: 2,099
    uses in 28 directory specs) were plain strings, unchecked and unparsed."""
    properties = {
        name: {"type": "string", "format": name} for name in ("dateTime", "datetime", "date_time")
    }
    package = build_package(minimal_spec({"Deploy": {"type": "object", "properties": properties}}))
    deploy = package.models.Deploy.model_validate(
        {name: "2024-01-31T12:00:00Z" for name in properties}
    )
    expected = dt.datetime(2024, 1, 31, 12, tzinfo=dt.timezone.utc)
    assert [getattr(deploy, f) for f in ("date_time", "datetime", "date_time_")] == [expected] * 3


def test_a_described_reference_is_the_type_it_references(build_package: BuildPackage) -> None:
    """Round-trip audit 18: AWS writes a property as `allOf: [{$ref: TagMap}, {description:
    …}]` (2,741 properties of 222 directory specs): a map or a union so described was `Any`,
    and `{"tags": [1]}` or `null` went out unchecked. The part that only describes is no
    type; the property is the referenced map or union."""
    schemas = {
        "TagMap": {"type": "object", "additionalProperties": {"type": "string"}},
        "StrOrInt": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "Body": {
            "type": "object",
            "required": ["tags"],
            "properties": {
                "tags": {"allOf": [{"$ref": "#/components/schemas/TagMap"}, {"description": "T"}]},
                "either": {
                    "allOf": [
                        {"description": "Either.", "x-note": 1},
                        {"$ref": "#/components/schemas/StrOrInt"},
                    ]
                },
            },
        },
    }
    models = build_package(minimal_spec(schemas, {})).models
    assert models.Body(tags={"k": "v"}, either=2).tags == {"k": "v"}
    # the describing part is the field's docstring
    source = inspect.getsource(importlib.import_module(models.Body.__module__))
    assert '    tags: TagMap\n    """T"""' in source and '"""Either."""' in source
    wrongs: list[dict[str, Any]] = [
        {"tags": [1]},
        {"tags": None},
        {"tags": {"k": 1}},
        {"tags": {}, "either": []},
    ]
    for wrong in wrongs:
        with pytest.raises(ValidationError):
            models.Body.model_validate(wrong)


def test_an_integer_enum_takes_numbers_only(build_package: BuildPackage) -> None:
    """Round-trip audit 18: billbee's `NewStateId` (an integer enum) took `"12"`, `" 2"` and
    `"3.0"` and sent them as numbers, where an `integer` field refuses text. A text is no
    member; a number is, and so is the enum's own member."""
    schemas = {
        "Body": {
            "type": "object",
            "properties": {"state": {"type": "integer", "enum": [1, 2, 3]}},
        }
    }
    models = build_package(minimal_spec(schemas, {})).models
    state = models.Body(state=2).state
    assert state == 2 and models.Body.model_validate({"state": state}).state == 2
    for wrong in ("2", " 2", "3.0", b"2", True):
        with pytest.raises(ValidationError):
            models.Body.model_validate({"state": wrong})


def test_a_union_by_reference_admits_null_only_where_a_member_does(
    build_package: BuildPackage,
) -> None:
    """Round-trip audit 18: an optional property whose `$ref` names `oneOf: [string,
    integer]` took `None` and sent `null` (266 properties of 33 directory specs: WhatsApp's
    `audio`), where the same union written inline refuses it. A union admits null when a
    member does (a nullable one, `type: 'null'`, `{}`); one it cannot tell stays admitting."""
    schemas = {
        "StrOrInt": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "MaybeStr": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "Open": {"oneOf": [{"type": "string"}, {}]},
        # (3.0's `nullable` beside a `$ref`, which the models honour)
        "NullableRef": {"$ref": "#/components/schemas/StrOrInt", "nullable": True},
        "Body": {
            "type": "object",
            "properties": {
                "v": {"$ref": "#/components/schemas/StrOrInt"},
                "m": {"$ref": "#/components/schemas/MaybeStr"},
                "o": {"$ref": "#/components/schemas/Open"},
                "n": {"$ref": "#/components/schemas/NullableRef"},
            },
        },
    }
    package = build_package(minimal_spec(schemas, {}))
    models = package.models
    assert models.Body(v="a").v == "a" and models.Body(v=1).v == 1
    # (a None is refused when sent: `check_not_null`, the send path's check)
    check_not_null = importlib.import_module(f"{package.__name__}._types").check_not_null
    with pytest.raises(ValueError, match="v may not be null"):
        check_not_null(models.Body.model_validate({"v": None}))
    check_not_null(models.Body.model_validate({"m": None, "o": None, "n": None}))


def test_a_name_a_base_requires_and_leaves_to_subclasses_is_required_there(
    build_package: BuildPackage,
) -> None:
    """Round-trip audit 18: Spotify's `PagingObject` requires `items`, which only its
    subclasses declare (`PagingPlaylistObject`): the subclass's `items` was optional, and a
    body without it went out. The subclass requires it; the base, which does not declare
    it, does not; a circle of `allOf`s still builds."""
    schemas = {
        "Paging": {
            "type": "object",
            "required": ["total", "items"],
            "properties": {"total": {"type": "integer"}},
        },
        "Page": {
            "allOf": [
                {"$ref": "#/components/schemas/Paging"},
                {"type": "object", "properties": {"items": {"type": "array", "items": {}}}},
            ]
        },
        "A": {
            "allOf": [{"$ref": "#/components/schemas/B"}],
            "required": ["b"],
            "properties": {"a": {"type": "string"}},
        },
        "B": {
            "allOf": [{"$ref": "#/components/schemas/A"}],
            "required": ["a"],
            "properties": {"b": {"type": "string"}},
        },
    }
    models = build_package(minimal_spec(schemas, {})).models
    assert models.Page(total=1, items=[]).items == []
    with pytest.raises(ValidationError):
        models.Page.model_validate({"total": 1})
    assert models.Paging(total=1).total == 1
    assert models.A.model_validate({"a": "x", "b": "y"}).a == "x"
