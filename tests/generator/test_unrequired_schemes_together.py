"""UX audit 15: credentials a spec declares and requires nowhere are all sent when
configured (Billbee's key header and HTTP Basic, both needed on each call), not the
first configured alone; a spec that requires its schemes is unchanged."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.overlay import unrequired_schemes_overlay
from tests.conftest import BuildPackage, minimal_spec, recording

OK = {"200": {"description": "ok"}}


def _billbee(**more: Any) -> dict[str, Any]:
    """Billbee's shape: a key header and HTTP Basic, both needed, required nowhere."""
    schemes = {
        "X-Billbee-Api-Key": {"type": "apiKey", "in": "header", "name": "X-Billbee-Api-Key"},
        "basic": {"type": "http", "scheme": "basic"},
        **more,
    }
    paths = {"/orders": {"get": {"operationId": "listOrders", "responses": OK}}}
    spec = minimal_spec(paths=paths, security_schemes=schemes)
    del spec["security"]
    return spec


def _headers(request: httpx.Request) -> tuple[str | None, str | None]:
    return request.headers.get("x-billbee-api-key"), request.headers.get("authorization")


def test_every_configured_credential_of_schemes_required_nowhere_is_sent(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Billbee: the key header and Basic auth were alternatives, and the Basic credential
    configured beside the key was never sent (401 on every call)."""
    package = build_package(_billbee())
    prefix = package.__name__.upper()
    http, sent = recording()
    both = package.Client(x_billbee_api_key="KEY", basic=("shop", "pw"), http_client=http)
    both.orders.list()
    package.Client(x_billbee_api_key="KEY", http_client=http).orders.list()
    package.Client(basic="shop:pw", http_client=http).orders.list()
    package.Client(http_client=http).orders.list()  # none configured: nothing, no error
    # one passed, the other read from its variable: both go
    monkeypatch.setenv(f"{prefix}_BASIC", "shop:pw")
    package.Client(x_billbee_api_key="KEY", http_client=http).orders.list()
    basic = "Basic c2hvcDpwdw=="
    assert [_headers(r) for r in sent] == [
        ("KEY", basic),
        ("KEY", None),
        (None, basic),
        (None, None),
        ("KEY", basic),
    ]
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    usage = readme.split("## Usage", 1)[1].split("\n## ", 1)[0]
    assert f"${prefix}_X_BILLBEE_API_KEY, ${prefix}_BASIC" in usage


def test_async_sends_every_configured_credential_of_schemes_required_nowhere(
    build_package: BuildPackage,
) -> None:
    package = build_package(_billbee())
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = package.AsyncClient(x_billbee_api_key="KEY", basic="shop:pw", http_client=http)
        await client.orders.list()

    asyncio.run(main())
    assert [_headers(r) for r in sent] == [("KEY", "Basic c2hvcDpwdw==")]


def test_schemes_sending_one_header_stay_alternatives() -> None:
    """Two schemes on `Authorization` (basic, bearer) are never combined: one would
    overwrite the other."""
    schemes = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "basic": {"type": "http", "scheme": "basic"},
        "token": {"type": "http", "scheme": "bearer"},
    }
    document = {"openapi": "3.1.0", "paths": {}, "components": {"securitySchemes": schemes}}
    assert unrequired_schemes_overlay(document)["security"] == [
        {"key": [], "basic": []},
        {"key": [], "token": []},
        {"key": []},
        {"basic": []},
        {"token": []},
        {},
    ]
    # a spec that requires something is left as it is
    required = {**document, "security": [{"key": []}]}
    assert unrequired_schemes_overlay(required) is required


def test_a_spec_requiring_its_schemes_is_unchanged(build_package: BuildPackage) -> None:
    """A real requirement (`key` or `basic`) stays alternatives (the overlay leaves it); each
    credential passed to the client for a scheme the operation lists is sent (newcomer audit
    23: Gitea's `totp_header=` beside basic credentials was dropped), one taking another's
    place excepted."""
    spec = _billbee()
    spec["security"] = [{"X-Billbee-Api-Key": []}, {"basic": []}]
    package = build_package(spec)
    schemes = importlib.import_module(f"{package.__name__}._schemes")
    assert schemes.SECURITY == (("X-Billbee-Api-Key",), ("basic",))
    http, sent = recording()
    package.Client(x_billbee_api_key="KEY", basic=("shop", "pw"), http_client=http).orders.list()
    assert [_headers(r) for r in sent] == [("KEY", "Basic c2hvcDpwdw==")]
    package.Client(x_billbee_api_key="KEY", http_client=http).orders.list()
    assert _headers(sent[-1]) == ("KEY", None)  # (one alternative alone: that one)


def test_basic_credentials_without_a_colon_in_the_environment_are_refused(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 18: `$…_BASIC=token-without-colon` went out as `token-without-colon:`, a 401
    to puzzle over. The client refuses to be made, naming the variable (not its value); a
    trailing `:` is an empty password."""
    package = build_package(_billbee())
    prefix = package.__name__.upper()
    http, sent = recording()
    monkeypatch.setenv(f"{prefix}_BASIC", "tok3n-secret")
    with pytest.raises(TypeError, match=f"\\${prefix}_BASIC holds no ':'") as caught:
        package.Client(http_client=http)
    assert "tok3n-secret" not in str(caught.value)
    monkeypatch.setenv(f"{prefix}_BASIC", "tok3n:")
    package.Client(http_client=http).orders.list()
    assert _headers(sent[0]) == (None, "Basic dG9rM246")
