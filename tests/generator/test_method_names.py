"""Method names that must not mislead: an action segment a tag ends with is no resource, a
REST verb wins over a sub-resource called like it, a parent's key in a path is no item's
id, and an operationId's own verb that is no REST verb keeps its words (hostile audit 15,
UX audit 13)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.ir_build import build_api
from generator.load import load_spec
from generator.naming_methods import reconcile
from tests.conftest import minimal_spec, write_spec

_LISTED = {
    "200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "array", "items": {}}}},
    }
}


def _names(tmp_path: Path, operations: dict[str, str]) -> dict[str, str]:
    """`METHOD /path` → `resource.method` for operations given as `METHOD /path` →
    `tag operationId` (`tag -` for none; a GET ending in `[]` lists: answers an array)."""
    paths: dict[str, Any] = {}
    for key, value in operations.items():
        method, path = key.split(" ")
        tag, _, operation_id = value.partition(" ")
        listed = operation_id.endswith("[]")
        operation_id = operation_id.removesuffix("[]")
        operation: dict[str, Any] = {
            "tags": [tag.replace("_", " ")],
            "responses": _LISTED if listed else {"200": {"description": "ok"}},
        }
        if operation_id != "-":
            operation["operationId"] = operation_id
        names = re.findall(r"\{([^}]+)\}", path)
        if names:
            operation["parameters"] = [
                {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                for n in names
            ]
        paths.setdefault(path, {})[method.lower()] = operation
    spec = write_spec(tmp_path, minimal_spec({}, paths))
    api = build_api(load_spec(spec), "shop", spec.name)
    return {f"{op.http_method} {op.path}": op.qualified_name for op in api.operations}


def test_an_action_segment_a_tag_ends_with_is_no_resource(tmp_path: Path) -> None:
    """A tag whose words end with the path's last segment names that segment (DigitalOcean's
    "CDN Endpoints"), unless the segment says what the request does: `POST /k/import` was
    `k_import.update()`, `POST /i/list` `x_list.update()`, `importData` on `POST
    /data/import` `data_import.create()` (hostile audit 15); the operationId keeps its verb."""
    names = _names(
        tmp_path,
        {
            "GET /k/import": "k_import list",
            "POST /k/import": "k_import import",
            "GET /i/list": "x_list -",
            "POST /i/list": "x_list -",
            "POST /data/import": "Data_Import importData",
            "GET /cdn/endpoints": "CDN_Endpoints cdn_list_endpoints[]",
            "POST /cdn/endpoints": "CDN_Endpoints cdn_create_endpoint",
        },
    )
    assert names == {
        "GET /k/import": "k_import.list",
        "POST /k/import": "k_import.import_",
        "GET /i/list": "x_list.get_i_list",
        "POST /i/list": "x_list.post_i_list",
        "POST /data/import": "data_import.import_data",
        "GET /cdn/endpoints": "cdn_endpoints.list",
        "POST /cdn/endpoints": "cdn_endpoints.create",
    }


def test_a_rest_verb_wins_over_a_sub_resource_called_like_it(tmp_path: Path) -> None:
    """`GET /things/{id}/list` made `things.list` a sub-resource and the collection's list
    `things.list_()` (hostile audit 15): the verb keeps `list`, the sub-resource yields."""
    names = _names(
        tmp_path,
        {
            "GET /things": "things list[]",
            "GET /things/{id}": "things retrieve",
            "GET /things/{id}/list": "things listThingList[]",
            "GET /things/{id}/retrieve": "things retrieveIt",
        },
    )
    assert names["GET /things"] == "things.list"
    assert names["GET /things/{id}"] == "things.retrieve"
    assert names["GET /things/{id}/list"].startswith("things.list_.")
    assert names["GET /things/{id}/retrieve"].startswith("things.retrieve_.")


def test_a_parent_s_key_after_a_collection_is_no_item_s_id(tmp_path: Path) -> None:
    """LaunchDarkly's `POST /flags/{projectKey}` CREATES a flag and was `feature_flags.update`,
    its `GET` lists and was `retrieve` (UX audit 13): a parameter naming another resource
    of the spec (`/projects/{projectKey}`), followed in some path by an item's, scopes the
    collection. Not when the parameter is the collection's own item (`idMember` under
    `members`), nor after a singular segment (`/downloads/avatar/{user_id}/{uuid}`)."""
    names = _names(
        tmp_path,
        {
            "GET /projects/{projectKey}": "projects getProject",
            "GET /flags/{projectKey}": "flags getFeatureFlags[]",
            "POST /flags/{projectKey}": "flags postFeatureFlag",
            "GET /flags/{projectKey}/{featureFlagKey}": "flags getFeatureFlag",
            "PATCH /flags/{projectKey}/{featureFlagKey}": "flags patchFeatureFlag",
            "DELETE /flags/{projectKey}/{featureFlagKey}": "flags deleteFeatureFlag",
            "POST /segments/{projectKey}/{envKey}": "segments postSegment",
            "GET /segments/{projectKey}/{envKey}/{segmentKey}": "segments getSegment",
            "GET /envs/{envKey}": "envs getEnv",
            "GET /users/{userId}": "users getUser",
            "GET /members/{idMember}": "members getMember",
            "GET /members/{idMember}/{userId}": "members getMemberUser",
            "GET /downloads/avatar/{user_id}/{uuid}": "downloads downloadAvatar",
            "GET /downloads/avatar/{user_id}/{uuid}/{size}": "downloads downloadAvatarSize",
        },
    )
    assert {k: v for k, v in names.items() if "flags" in k or "segments" in k} == {
        "GET /flags/{projectKey}": "flags.list",
        "POST /flags/{projectKey}": "flags.create",
        "GET /flags/{projectKey}/{featureFlagKey}": "flags.retrieve",
        "PATCH /flags/{projectKey}/{featureFlagKey}": "flags.update",
        "DELETE /flags/{projectKey}/{featureFlagKey}": "flags.delete",
        "POST /segments/{projectKey}/{envKey}": "segments.create",
        "GET /segments/{projectKey}/{envKey}/{segmentKey}": "segments.retrieve",
    }
    assert names["GET /members/{idMember}"] == "members.retrieve"
    assert names["GET /downloads/avatar/{user_id}/{uuid}"] == "downloads.avatar.download_avatar"


@pytest.mark.parametrize(
    ("verb", "http_method", "operation_id", "chain", "expected"),
    [
        # Vercel's `assignAlias` (POST /deployments/{id}/aliases), Notion's `appendBlockChildren`
        ("update", "POST", "assignAlias", ["aliases"], None),
        ("update", "PATCH", "appendBlockChildren", ["blocks", "children"], None),
        # Vercel's `artifactQuery`, a POST to `/artifacts` that reads: the name, then a verb
        ("create", "POST", "artifactQuery", ["artifacts"], None),
        # the resource's name alone, or its name and an agreeing verb, still confirm it
        ("list", "GET", "Line_StopPoints", ["StopPoints"], "list"),
        ("create", "POST", "artifactCreate", ["artifacts"], "create"),
        ("update", "PUT", "updateAlias", ["aliases"], "update"),
    ],
)
def test_an_operation_id_s_own_verb_is_no_rest_verb(
    verb: str, http_method: str, operation_id: str, chain: list[str], expected: str | None
) -> None:
    assert reconcile(verb, http_method, operation_id, operation_id, chain) == expected
