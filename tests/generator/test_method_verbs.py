"""Method names where the path's shape only guesses the verb and the operation's own words
decide (regression audit 2, UX audit 14): a singleton GET is no `list`, a POST to one object
no path parameter names is no `update`, a one-word operationId of a POST is its action, a
PUT's "Create …" summary still updates, a GET whose words say it lists lists, and a tag's
closing word `API` is no part of its resource's name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import minimal_spec, write_spec

_ONE = {"type": "object", "properties": {"registry": {"type": "object", "properties": {}}}}
_WRAPPED = {"type": "object", "properties": {"items": {"type": "array", "items": {}}}}


def _names(tmp_path: Path, operations: dict[str, dict[str, Any]]) -> dict[str, str]:
    """`METHOD /path` → `resource.method`, for operations given as `METHOD /path` → the
    operation's fields (`answer`: the 200 body's schema; path parameters added)."""
    paths: dict[str, Any] = {}
    for key, fields in operations.items():
        method, path = key.split(" ")
        operation = {k: v for k, v in fields.items() if k != "answer"}
        ok: dict[str, Any] = {"description": "ok"}
        if "answer" in fields:
            ok["content"] = {"application/json": {"schema": fields["answer"]}}
        operation["responses"] = {"200": ok}
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


def test_a_get_answering_one_object_with_no_item_read_by_id_retrieves(tmp_path: Path) -> None:
    """DigitalOcean's `GET /v2/registry` ("Get Container Registry Information", the
    account's one registry, beside `/v2/registry/{registry_name}/…`) was `list()`; an answer
    wrapping items, or an item path of its own, still lists."""
    tag = ["Container Registry"]
    names = _names(
        tmp_path,
        {
            "GET /v2/registry": {"tags": tag, "operationId": "registry_get", "answer": _ONE},
            "POST /v2/registry": {"tags": tag, "operationId": "registry_create"},
            "GET /v2/registry/{registry_name}/repositories": {
                "tags": tag,
                "operationId": "registry_list_repositories",
            },
            "GET /v2/droplets": {"tags": ["Droplets"], "answer": _WRAPPED},
            "GET /v2/droplets/{id}/actions": {"tags": ["Droplets"], "operationId": "actions"},
            "GET /v2/images": {"tags": ["Images"], "operationId": "images_list", "answer": _ONE},
            "GET /v2/images/{id}": {"tags": ["Images"], "operationId": "images_get"},
        },
    )
    assert names["GET /v2/registry"] == "container_registry.retrieve"
    assert names["POST /v2/registry"] == "container_registry.create"
    assert names["GET /v2/droplets"] == "droplets.list"
    assert names["GET /v2/images"] == "images.list"


def test_a_post_to_one_object_no_path_parameter_names_is_no_update(tmp_path: Path) -> None:
    """A POST where a GET reads one object and no path parameter names it: monarch's
    `POST /nlp/annotate/` ("Annotate a given text") and `POST /ontol/identifier/`
    ("Fetches a map…", reads), openchannel's `POST /files` ("Uploads a file.") and AWS's
    `EnableSecurityHub` were `update`; they keep their words, an operationId or summary
    saying create or update decides, and nothing said creates. Under a parameter
    (Stripe's `POST /customers/{id}/cash_balance`) the POST still updates."""
    names = _names(
        tmp_path,
        {
            "GET /nlp/annotate/": {"tags": ["nlp/annotate"], "operationId": "get_annotate"},
            "POST /nlp/annotate/": {
                "tags": ["nlp/annotate"],
                "operationId": "post_annotate",
                "summary": "Annotate a given text using SciGraph annotator",
            },
            "GET /ontol/identifier/": {"operationId": "get_ontol_identifier_resource"},
            "POST /ontol/identifier/": {
                "operationId": "post_ontol_identifier_resource",
                "summary": "Fetches a map from CURIEs/IDs to labels",
            },
            "GET /files": {"summary": "Get the files"},
            "POST /files": {"summary": "Uploads a file."},
            "GET /accounts": {"operationId": "DescribeHub"},
            "POST /accounts": {"operationId": "EnableSecurityHub"},
            "GET /settings": {"operationId": "getSettings", "answer": _ONE},
            "POST /settings": {"operationId": "saveSettings"},
            "GET /movies": {"operationId": "getMovies"},
            "POST /movies": {"operationId": "newMovie"},
            "GET /contacts": {"operationId": "ContactsGet"},
            "POST /contacts": {"operationId": "ContactsPOST"},
            "GET /customers/{id}/cash_balance": {"operationId": "getCashBalance"},
            "POST /customers/{id}/cash_balance": {"operationId": "postCashBalance"},
        },
    )
    assert names["POST /nlp/annotate/"] == "nlp_annotate.annotate"
    assert names["POST /ontol/identifier/"] == "ontol.identifier.post_ontol_identifier_resource"
    assert names["POST /files"] == "files.upload"
    assert names["POST /accounts"] == "accounts.enable_security_hub"
    assert names["POST /settings"] == "settings.update"
    assert names["POST /movies"] == "movies.create"
    assert names["POST /contacts"] == "contacts.create"
    assert names["POST /customers/{id}/cash_balance"] == "customers.cash_balance.update"


def test_a_one_word_operation_id_of_a_post_on_an_item_is_its_action(tmp_path: Path) -> None:
    """BeezUP's `Optimise` on `POST …/optimisations/{actionName}` (it optimises every
    product) was `analytics_optimisations.update`; Google's `….operations.wait` was
    `update`. A verb the resource's name is, or one agreeing, is no such action."""
    names = _names(
        tmp_path,
        {
            "POST /stores/{storeId}/optimisations/{actionName}": {
                "tags": ["Analytics Optimisations"],
                "operationId": "Optimise",
            },
            "POST /v1/{name}:wait": {"tags": ["operations"], "operationId": "x.operations.wait"},
            "POST /pads/{id}": {"tags": ["pads"], "operationId": "Modify"},
        },
    )
    assert names["POST /stores/{storeId}/optimisations/{actionName}"] == (
        "analytics_optimisations.optimise"
    )
    assert names["POST /v1/{name}:wait"] == "operations.wait"
    assert names["POST /pads/{id}"] == "pads.update"


def test_a_put_on_an_item_whose_summary_says_create_updates(tmp_path: Path) -> None:
    """payrun's `PUT /Employer/{EmployerId}/Employee/{EmployeeId}/Secret/{SecretId}`
    (`PutEmployeeSecret`, "Create a new employee secret") was `create_new_employee`: a PUT
    creates or replaces its item, and "employee" names another resource."""
    path = "/Employer/{EmployerId}/Employee/{EmployeeId}/Secret/{SecretId}"
    names = _names(
        tmp_path,
        {
            f"GET {path}": {"tags": ["Employee"], "operationId": "GetEmployeeSecret"},
            f"PUT {path}": {
                "tags": ["Employee"],
                "operationId": "PutEmployeeSecret",
                "summary": "Create a new employee secret",
            },
        },
    )
    assert names[f"PUT {path}"].endswith(".update")


def test_a_get_whose_words_say_it_lists_lists(tmp_path: Path) -> None:
    """Collection GETs named `retrieve`: openchannel's `GET /files` ("Returns a paginated
    list of files", no answer documented), Jira's `getAllProjectAvatars`, monarch's
    `get_prefix_collection`; an answer known to be one object with no item path keeps
    `retrieve` unless its words say list."""
    names = _names(
        tmp_path,
        {
            "GET /files": {"summary": "Returns a paginated list of files"},
            "POST /files": {"summary": "Uploads a file."},
            "GET /project/{key}/avatars": {
                "tags": ["Project avatars"],
                "operationId": "getAllProjectAvatars",
                "answer": {"type": "object", "properties": {"system": {"type": "array"}}},
            },
            "GET /identifier/prefixes/": {"operationId": "get_prefix_collection"},
            "GET /profile": {"operationId": "getProfile", "answer": _ONE},
        },
    )
    assert names["GET /files"] == "files.list"
    assert names["POST /files"] == "files.upload"
    assert names["GET /project/{key}/avatars"] == "project_avatars.list"
    assert names["GET /identifier/prefixes/"] == "identifier.prefixes.list"
    assert names["GET /profile"] == "profile.retrieve"


def test_a_tag_s_closing_word_api_is_no_part_of_its_resource_name(tmp_path: Path) -> None:
    """Postmark's "Bounces API", "Templates API" were `client.bounces_api`,
    `client.templates_api`; a tag that would be nothing else (`API`), or another tag's
    name ("Stats" beside "Stats API"), or one word (`OpenAPI`), keeps its name."""
    names = _names(
        tmp_path,
        {
            "GET /bounces": {"tags": ["Bounces API"], "operationId": "getBounces"},
            "GET /templates": {"tags": ["Templates API"], "operationId": "listTemplates"},
            "GET /health": {"tags": ["API"], "operationId": "health"},
            "GET /stats": {"tags": ["Stats"], "operationId": "getStats"},
            "GET /stats/outbound": {"tags": ["Stats API"], "operationId": "getOutbound"},
            "GET /spec": {"tags": ["OpenAPI"], "operationId": "getSpec"},
        },
    )
    assert names["GET /bounces"].startswith("bounces.")
    assert names["GET /templates"].startswith("templates.")
    assert names["GET /health"].startswith("api.")
    assert names["GET /stats/outbound"].startswith("stats_api.")
    assert names["GET /spec"].startswith("open_api.")
