"""A header every call sends that says whom the calls are for (Xero's `xero-tenant-id` on
all 224 operations, Apideck's `x-apideck-app-id`) is a client argument, as AutoRest's client
parameters are: `Client(xero_tenant_id=…)` or `$PKG_XERO_TENANT_ID`, a call may still give
its own. It was a required keyword of every method (UX audit 5)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

TEXT = {"type": "string"}


def _spec(operations: int, *, in_every: bool = True) -> dict[str, Any]:
    headers = [
        {"name": "xero-tenant-id", "in": "header", "required": True, "schema": TEXT},
        {"name": "X-Api-Key", "in": "header", "required": True, "schema": TEXT},  # a credential
        {"name": "Accept-Language", "in": "header", "required": True, "schema": TEXT},
        {"name": "X-Mode", "in": "header", "required": True, "schema": {"enum": ["a", "b"]}},
    ]
    paths: dict[str, Any] = {}
    for n in range(operations):
        given = headers if in_every or n > 1 else headers[1:]  # (two of them lack it)
        paths[f"/things{n}"] = {
            "get": {
                "operationId": f"getThing{n}",
                "tags": ["things"],
                "parameters": given,
                "responses": {"204": {"description": "done"}},
            }
        }
    return minimal_spec({}, paths)


def test_a_header_every_call_sends_is_a_client_argument(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = build_package(_spec(6))
    prefix = package.__name__.upper()
    monkeypatch.delenv(f"{prefix}_XERO_TENANT_ID", raising=False)
    arguments = inspect.signature(package.Client).parameters
    assert "xero_tenant_id" in arguments
    assert not {"accept_language", "x_mode"} & set(arguments)
    # the API key is no shared header but the client's credential (UX audit 8)
    assert str(arguments["x_api_key"].annotation) == "Credential | None"
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    def client(**given: Any) -> Any:
        http = httpx.Client(transport=httpx.MockTransport(server))
        return package.Client(base_url="https://api.example.test", http_client=http, **given)

    common = {"x_api_key": "k", "accept_language": "en", "x_mode": "a"}
    client(xero_tenant_id="t1").things0.retrieve(**common)
    client(xero_tenant_id="t1").things1.retrieve(**common, xero_tenant_id="t2")
    assert [r.headers["xero-tenant-id"] for r in seen] == ["t1", "t2"]
    with pytest.raises(package.RequestValidationError, match=rf"xero_tenant_id= .*{prefix}_XERO"):
        client().things2.retrieve(**common)
    monkeypatch.setenv(f"{prefix}_XERO_TENANT_ID", "from-env")
    client().things3.retrieve(**common)
    assert seen[-1].headers["xero-tenant-id"] == "from-env" and len(seen) == 3


@pytest.mark.parametrize(("operations", "in_every"), [(4, True), (10, False)])
def test_a_header_of_a_few_calls_stays_the_calls(
    build_package: BuildPackage, operations: int, in_every: bool
) -> None:
    """Under 5 operations (a billing spec's one), or missing from more than a tenth of
    them, the header is each call's own."""
    package = build_package(_spec(operations, in_every=in_every))
    assert "xero_tenant_id" not in inspect.signature(package.Client).parameters
    signature = inspect.signature(package.resources.things3.Things3.retrieve)
    assert signature.parameters["xero_tenant_id"].default is inspect.Parameter.empty


@pytest.mark.parametrize(
    "header",
    [
        "X-Amz-Bearer",  # AWS ConnectParticipant's participant token
        "X-Account-Ticket",
        "apiticket",
        "x-apideck-downstream-url",  # each call's own
        "X-Consumer-Id",  # below: also an API key scheme's header
        "X-Mode",  # names no one
    ],
)
def test_a_credential_or_a_calls_own_header_stays_the_calls(
    build_package: BuildPackage, header: str
) -> None:
    """Hostile audit 7: `X-Amz-Bearer` became a plain client argument (its value unredacted
    in errors), and Apideck's consumer id, both a required header and an API key scheme,
    got two constructor arguments, one of which every call then demanded."""
    spec = _spec(6)
    for item in spec["paths"].values():
        item["get"]["parameters"] = [
            {"name": header, "in": "header", "required": True, "schema": TEXT}
        ]
    spec["components"]["securitySchemes"] = {
        "consumerId": {"type": "apiKey", "in": "header", "name": "x-consumer-id"}
    }
    package = build_package(spec)
    arguments = set(inspect.signature(package.Client).parameters)
    spelled = header.lower().replace("-", "_")
    assert spelled not in arguments


def _twilio_like(operations: int, *, autorest: bool = False) -> dict[str, Any]:
    """`/Accounts/{AccountSid}/…` on every path but the accounts list; a required `realm`
    query parameter (Keycloak's, which is a path one there) on every operation."""
    sid = {"name": "AccountSid", "in": "path", "required": True, "schema": TEXT}
    realm = {"name": "realm", "in": "query", "required": True, "schema": TEXT}
    paths: dict[str, Any] = {}
    for n in range(operations):
        paths[f"/Accounts/{{AccountSid}}/Calls{n}.json"] = {
            "get": {
                "operationId": f"fetchCall{n}",
                "tags": ["calls"],
                "parameters": [sid, realm],
                "responses": {"204": {"description": "done"}},
            }
        }
    spec = minimal_spec({}, paths)
    if autorest:
        spec["info"]["x-ms-code-generation-settings"] = {"name": "AutoRestClient"}
    return spec


def test_a_path_or_query_parameter_every_call_sends_is_a_client_argument(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 5: Twilio's `AccountSid` was the first positional argument of 190 of its
    195 methods; Twilio's own SDK takes it once, from the client."""
    package = build_package(_twilio_like(6))
    prefix = package.__name__.upper()
    monkeypatch.delenv(f"{prefix}_ACCOUNT_SID", raising=False)
    assert {"account_sid", "realm"} <= set(inspect.signature(package.Client).parameters)
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(server))
    client = package.Client(
        base_url="https://api.example.test", http_client=http, account_sid="AC1", realm="r1"
    )
    client.calls.fetch_call0()
    client.calls.fetch_call1(account_sid="AC2", realm="r2")
    assert [r.url.path for r in seen] == ["/Accounts/AC1/Calls0.json", "/Accounts/AC2/Calls1.json"]
    assert [r.url.params["realm"] for r in seen] == ["r1", "r2"]
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert f"`AccountSid` (`account_sid=`, else `${prefix}_ACCOUNT_SID`)" in readme


def test_autorest_documents_say_their_client_parameters_themselves(
    build_package: BuildPackage,
) -> None:
    """An Azure spec's `automationAccountName` on every path stays each call's (Azure's
    SDKs take it per call); AutoRest's own markers decide."""
    package = build_package(_twilio_like(6, autorest=True))
    assert not {"account_sid", "realm"} & set(inspect.signature(package.Client).parameters)


def test_a_version_header_every_call_may_send_is_a_client_argument(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 13: Notion's `Notion-Version`, optional in its spec but required by its API,
    was a keyword of 12 of its 13 methods that the README never named. A version header on
    nearly every operation, required or not, is a client argument (else its variable); left
    out when neither gives it, as an optional one is."""
    version = {"name": "Notion-Version", "in": "header", "schema": TEXT}
    paths = {
        f"/pages{n}": {
            "get": {
                "operationId": f"getPage{n}",
                "parameters": [version],
                "responses": {"204": {"description": "done"}},
            }
        }
        for n in range(5)
    }
    package = build_package(minimal_spec({}, paths))
    monkeypatch.delenv(f"{package.__name__.upper()}_NOTION_VERSION", raising=False)
    assert "notion_version" in inspect.signature(package.Client).parameters
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    def client(**given: Any) -> Any:
        http = httpx.Client(transport=httpx.MockTransport(server))
        return package.Client(base_url="https://api.example.test", http_client=http, **given)

    client(notion_version="2022-06-28").pages0.retrieve()
    client().pages1.retrieve()
    assert [r.headers.get("notion-version") for r in seen] == ["2022-06-28", None]
