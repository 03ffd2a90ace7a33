"""A discriminator without a `mapping` tells its options by the value each one's own
property allows (UX audit 6): Spotify's playlist item is `oneOf [TrackObject,
EpisodeObject]` by `type`, each with `type: {enum: [track]}` / `[episode]`; the union was
tagged by the schemas' names, so every item failed its tag and came back a plain dict."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec


def _object(kind: str, extra: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string", "enum": [kind]}, extra: {"type": "string"}},
    }


def test_options_are_told_by_their_own_value(build_package: BuildPackage) -> None:
    item = {
        "type": "object",
        "properties": {
            "track": {
                "oneOf": [
                    {"$ref": "#/components/schemas/TrackObject"},
                    {"$ref": "#/components/schemas/EpisodeObject"},
                ],
                "discriminator": {"propertyName": "type"},
            }
        },
    }
    schemas = {
        "TrackObject": _object("track", "album"),
        "EpisodeObject": _object("episode", "show"),
        "PlaylistTrackObject": item,
    }
    paths = {
        "/items": {
            "get": {
                "operationId": "getItems",
                "x-sdk-resource": "items",
                "responses": {
                    "200": {
                        "description": "Items.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/PlaylistTrackObject"},
                                }
                            }
                        },
                    }
                },
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    body = [{"track": {"type": "track", "album": "A"}}, {"track": {"type": "episode", "show": "S"}}]
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    items = package.Client(http_client=http).items.list()
    assert isinstance(items[0].track, package.models.TrackObject) and items[0].track.album == "A"
    assert isinstance(items[1].track, package.models.EpisodeObject) and items[1].track.show == "S"


def test_a_number_or_boolean_tag_matches_its_mapping_key(build_package: BuildPackage) -> None:
    """Names audit 18: a discriminator property of integers (`kind: 1`, mapped from `"1"`)
    matched no tag, since the mapping's keys are text: every answer failed its tag (raised
    under strict validation, a warning and a dict otherwise). A number or a boolean is
    spelled as JSON spells it; another value still refuses."""
    import pydantic

    def option(kind: str, value: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": kind, "const": value}, "x": {"type": "string"}},
        }

    pet = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"1": "#/components/schemas/Cat", "2": "#/components/schemas/Dog"},
        },
    }
    flag = {
        "oneOf": [{"$ref": "#/components/schemas/On"}, {"$ref": "#/components/schemas/Off"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"true": "#/components/schemas/On", "false": "#/components/schemas/Off"},
        },
    }
    schemas = {
        "Cat": option("integer", 1),
        "Dog": option("integer", 2),
        "Pet": pet,
        "On": option("boolean", True),
        "Off": option("boolean", False),
        "Flag": flag,
    }
    models = build_package(minimal_spec(schemas, {})).models
    pets = pydantic.TypeAdapter(models.Pet)
    assert type(pets.validate_python({"kind": 2, "x": "d"})) is models.Dog
    assert type(pets.validate_python({"kind": 1})) is models.Cat
    flags = pydantic.TypeAdapter(models.Flag)
    assert type(flags.validate_python({"kind": False})) is models.Off
    assert type(flags.validate_python({"kind": True})) is models.On
    for wrong in ({"kind": 3}, {"kind": "1.5"}, {}):
        try:
            pets.validate_python(wrong)
        except pydantic.ValidationError:
            continue
        raise AssertionError(wrong)


def test_a_discriminator_property_no_option_declares_is_ignored(
    build_package: BuildPackage,
) -> None:
    """Mutation audit 24: `propertyName: kind` where both options call it `type` (a typo).
    The union was tagged by `kind`, which no value has: every body was refused before it
    was sent ("Unable to extract tag"). Now the union is a plain one (lint: W112), and a
    circle is sent and read back as a circle."""
    options = [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}]
    schemas = {
        "Circle": {
            "type": "object",
            "required": ["type", "radius"],
            "properties": {"type": {"type": "string"}, "radius": {"type": "number"}},
        },
        "Square": {
            "type": "object",
            "required": ["type", "side"],
            "properties": {"type": {"type": "string"}, "side": {"type": "number"}},
        },
        "Shape": {"oneOf": options, "discriminator": {"propertyName": "kind"}},
    }
    shape = {"$ref": "#/components/schemas/Shape"}
    paths = {
        "/shapes": {
            "post": {
                "operationId": "drawShape",
                "x-sdk-resource": "shapes",
                "requestBody": {"content": {"application/json": {"schema": shape}}},
                "responses": {
                    "200": {
                        "description": "Drawn.",
                        "content": {"application/json": {"schema": shape}},
                    }
                },
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, content=request.content)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.test", http_client=http)
    drawn = client.shapes.create(body={"type": "circle", "radius": 2.5})
    assert sent == [b'{"type":"circle","radius":2.5}']
    assert isinstance(drawn, package.models.Circle) and drawn.radius == 2.5
