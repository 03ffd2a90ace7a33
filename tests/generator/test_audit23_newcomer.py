"""Newcomer audit 23 (DocuSign, Amadeus, Gitea, Ably, Jira, GSMTasks), through
httpx.MockTransport:

- a required parameter given None went as the text `None` in the path (`DELETE
  /repos/me/None`) and was left out of the query;
- Power Platform's `x-ms-summary` labels made DocuSign's spec read as AutoRest's (every
  method `envelopes.post_envelopes`); DocuSign's own `x-ds-methodname` was ignored;
- a property `fields` was `fields_`, though pydantic has no such attribute;
- Jira's `searchForIssuesUsingJqlPost` ("… (POST)") was no read: not paged;
- Jira's only server, `https://your-domain.atlassian.net`, a name anyone may register, got
  the email and API token of a client without a base URL;
- an `Authorization` key whose description names its prefix (`Token`) went out bare;
- Gitea's `totp_header=` and `sudo_header=` (schemes listed as alternatives of basic
  credentials) were never sent.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import BuildPackage, minimal_spec, recording, write_spec

_TEXT = {"type": "string"}
_NO_CONTENT = {"204": {"description": "Done."}}


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


def test_a_required_parameter_given_none_is_refused(build_package: BuildPackage) -> None:
    path = {"name": "id", "in": "path", "required": True, "schema": _TEXT}
    query = {"name": "since", "in": "query", "required": True, "schema": _TEXT}
    operation = {"parameters": [path, query], "responses": _NO_CONTENT}
    package = build_package(minimal_spec({}, {"/repos/{id}": {"delete": operation}}))
    http, sent = recording()
    client = package.Client(http_client=http)
    refused = package.errors.RequestValidationError
    with pytest.raises(refused, match=r"path\.id: a value is required"):
        client.repos.delete(None, since="x")
    with pytest.raises(refused, match=r"query\.since: a value is required"):
        client.repos.delete("a", since=None)
    assert sent == []


def _names(folder: Path, spec: dict[str, Any]) -> list[str]:
    folder.mkdir()
    path = write_spec(folder, spec)
    return sorted(op.qualified_name for op in build_api(load_spec(path), "x", path.name).operations)


def test_power_platform_labels_are_no_autorest(tmp_path: Path) -> None:
    account = {"name": "accountId", "in": "path", "required": True, "schema": _TEXT}
    listed = {"type": "array", "items": {"$ref": "#/components/schemas/Envelope"}}
    envelopes = {
        "get": {"operationId": "Envelopes_GetEnvelopes", "parameters": [account]}
        | {"responses": {"200": {"description": "A list.", "content": _json(listed)}}},
        "post": {"operationId": "Envelopes_PostEnvelopes", "parameters": [account]}
        | {"responses": _NO_CONTENT},
    }
    plain = {"type": "object", "properties": {"id": _TEXT}}
    label = {"type": "object", "properties": {"id": _TEXT | {"x-ms-summary": "The id."}}}
    paths = {"/accounts/{accountId}/envelopes": envelopes}
    labelled = _names(tmp_path / "a", minimal_spec({"Envelope": label}, paths))
    assert labelled == _names(tmp_path / "b", minimal_spec({"Envelope": plain}, paths))
    assert labelled == ["accounts.envelopes.create", "accounts.envelopes.list"]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def test_a_property_called_fields_keeps_its_name(build_package: BuildPackage) -> None:
    issue = {"type": "object", "properties": {"fields": {"type": "object"}, "key": _TEXT}}
    models = build_package(minimal_spec({"Issue": issue}, {})).models
    assert models.Issue(fields={"summary": "s"}).fields == {"summary": "s"}


def test_a_post_search_whose_id_ends_with_its_method_pages(tmp_path: Path) -> None:
    paging = {"startAt": {"type": "integer"}, "maxResults": {"type": "integer", "default": 50}}
    body = {"type": "object", "properties": {"jql": _TEXT, **paging}}
    answer = {
        "type": "object",
        "properties": {
            **paging,
            "total": {"type": "integer"},
            "issues": {"type": "array", "items": {"type": "object", "properties": {"id": _TEXT}}},
        },
    }
    operation = {
        "operationId": "searchForIssuesUsingJqlPost",
        "summary": "Search for issues using JQL (POST)",
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {
            "200": {"description": "A page.", "content": {"application/json": {"schema": answer}}}
        },
    }
    path = write_spec(tmp_path, minimal_spec({}, {"/search": {"post": operation}}))
    (op,) = build_api(load_spec(path), "jira", path.name).operations
    assert op.pagination is not None


def test_a_server_for_your_own_site_is_no_default(build_package: BuildPackage) -> None:
    spec = minimal_spec(
        {}, {"/myself": {"get": {"operationId": "getMe", "responses": _NO_CONTENT}}}
    )
    spec["servers"] = [{"url": "https://your-domain.atlassian.net"}]
    spec["components"]["securitySchemes"] = {"basic": {"type": "http", "scheme": "basic"}}
    spec["security"] = [{"basic": []}]
    said = io.StringIO()
    with redirect_stderr(said):
        package = build_package(spec)
    http, sent = recording()
    client = package.Client(http_client=http, basic=("me@example.com", "token"))
    with pytest.raises(package.errors.RequestValidationError, match="pass base_url="):
        client.myself.retrieve()
    assert sent == []
    client.with_options(base_url="https://acme.atlassian.net").myself.retrieve()
    assert sent[0].url.host == "acme.atlassian.net"


def test_an_authorization_key_goes_after_the_prefix_its_description_names(
    build_package: BuildPackage,
) -> None:
    spec = minimal_spec(
        {}, {"/tasks": {"get": {"operationId": "listTasks", "responses": _NO_CONTENT}}}
    )
    text = 'Token-based authentication with required prefix "Token"'
    spec["components"]["securitySchemes"] = {
        "tokenAuth": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": text,
        }
    }
    spec["security"] = [{"tokenAuth": []}]
    package = build_package(spec)
    http, sent = recording()
    package.Client(http_client=http, token_auth="abc123").tasks.list()
    package.Client(http_client=http, token_auth="Token abc123").tasks.list()  # (not twice)
    assert [r.headers["Authorization"] for r in sent] == ["Token abc123"] * 2


def test_credentials_passed_for_the_operation_s_other_schemes_are_sent(
    build_package: BuildPackage,
) -> None:
    key = {"type": "apiKey", "in": "header"}
    spec = minimal_spec({}, {"/user/repos": {"post": {"operationId": "createRepo"}}})
    spec["paths"]["/user/repos"]["post"]["responses"] = _NO_CONTENT
    spec["components"]["securitySchemes"] = {
        "BasicAuth": {"type": "http", "scheme": "basic"},
        "Token": key | {"name": "Authorization"},
        "SudoHeader": key | {"name": "Sudo"},
        "TOTPHeader": key | {"name": "X-GITEA-OTP"},
    }
    spec["security"] = [{"BasicAuth": []}, {"Token": []}, {"SudoHeader": []}, {"TOTPHeader": []}]
    package = build_package(spec)
    http, sent = recording()
    package.Client(
        http_client=http, basic_auth=("alice", "pw"), totp_header="123456"
    ).user.repos.create()
    package.Client(http_client=http, token="token ADMIN", sudo_header="bob").user.repos.create()
    first, second = ({k: v for k, v in r.headers.items() if k in _AUTH} for r in sent)
    assert first == {"authorization": "Basic YWxpY2U6cHc=", "x-gitea-otp": "123456"}
    assert second == {"authorization": "token ADMIN", "sudo": "bob"}
    # (one that would take the place of another sent is not: a second Authorization)
    package.Client(http_client=http, basic_auth=("a", "b"), token="t").user.repos.create()
    assert sent[-1].headers.get_list("authorization") == ["Basic YTpi"]
    assert json.dumps(dict(sent[-1].headers)).count("authorization") == 1


_AUTH = {"authorization", "sudo", "x-gitea-otp"}


def test_a_post_whose_id_and_summary_open_with_one_verb_keeps_it(tmp_path: Path) -> None:
    """Ably's `subscribePushDeviceToChannel` ("Subscribe a device to a channel") was
    `channel_subscriptions.update`, beside the path's `list`."""
    one = {"type": "object", "properties": {"deviceId": _TEXT, "channel": _TEXT}}
    item = {
        "get": {"operationId": "getPushSubscriptionsOnChannels"}
        | {"summary": "List channel subscriptions"}
        | {"responses": {"200": {"description": "Them.", "content": _json(one)}}},
        "post": {"operationId": "subscribePushDeviceToChannel"}
        | {"summary": "Subscribe a device to a channel", "responses": _NO_CONTENT},
    }
    names = _names(tmp_path / "a", minimal_spec({}, {"/push/channelSubscriptions": item}))
    assert not any(name.endswith(".update") for name in names), names


def test_an_origin_alone_takes_the_relative_server_s_path(build_package: BuildPackage) -> None:
    """Gitea's server is `/api/v1`: `base_url="https://gitea.example.com"` sent calls to the
    web UI, whose login page came back as a string."""
    spec = minimal_spec({}, {"/version": {"get": {"operationId": "getVersion"}}})
    spec["paths"]["/version"]["get"]["responses"] = _NO_CONTENT
    spec["servers"] = [{"url": "/api/v1"}]
    package = build_package(spec)
    http, sent = recording()
    for base in ("https://gitea.example.com", "https://gitea.example.com/", "https://h.test/x"):
        package.Client(http_client=http, base_url=base).version.retrieve()
    assert [str(r.url) for r in sent] == [
        "https://gitea.example.com/api/v1/version",
        "https://gitea.example.com/api/v1/version",
        "https://h.test/x/version",  # (a path given is the caller's)
    ]


def test_docusign_lists_page_by_start_position(build_package: BuildPackage) -> None:
    """25 of DocuSign's 26 lists (`start_position` + `count`, `totalSetSize`) returned their
    first page only."""
    user = {"type": "object", "properties": {"userId": _TEXT}}
    answer = {
        "type": "object",
        "properties": {
            "users": {"type": "array", "items": user},
            "resultSetSize": _TEXT,
            "totalSetSize": {"type": "integer"},
            "nextUri": _TEXT,
        },
    }
    parameters = [
        {"name": name, "in": "query", "schema": _TEXT} for name in ("start_position", "count")
    ]
    operation: dict[str, Any] = {"operationId": "Users_GetUsers", "parameters": parameters}
    operation["responses"] = {"200": {"description": "Users.", "content": _json(answer)}}
    package = build_package(minimal_spec({}, {"/users": {"get": operation}}))
    everyone = [{"userId": str(n)} for n in range(5)]

    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("start_position", "0"))
        size = int(request.url.params.get("count", "2"))
        page = everyone[start : start + size]
        return httpx.Response(200, json={"users": page, "totalSetSize": len(everyone)})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    users = package.Client(http_client=http, base_url="https://d.test").users.list(count="2")
    assert [u.user_id for u in users] == ["0", "1", "2", "3", "4"]
