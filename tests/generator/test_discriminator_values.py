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
