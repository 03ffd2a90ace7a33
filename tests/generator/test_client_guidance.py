"""What a client says when it is not set up (UX audit 4): an operation sent without the
credentials it requires has its 401/403 say what to pass; a relative server without a base
URL is refused before anything is sent, naming the variable (it was retried three times as
httpx's `UnsupportedProtocol`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

_OK = {
    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
}


def _spec(server: str = "https://api.example.test/v1") -> dict[str, Any]:
    spec = minimal_spec(
        {},
        {"/things": {"get": {"operationId": "listThings", "responses": _OK}}},
        security_schemes={"token": {"type": "http", "scheme": "bearer"}},
    )
    spec["security"] = [{"token": []}]
    spec["servers"] = [{"url": server}]
    return spec


def _denied(request: httpx.Request) -> httpx.Response:
    return httpx.Response(401, json={"message": "Requires authentication"})


def test_a_401_without_credentials_says_what_to_pass(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = build_package(_spec())
    variable = f"{package.__name__.upper()}_TOKEN"
    monkeypatch.delenv(variable, raising=False)
    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(_denied)))
    with pytest.raises(package.AuthenticationError) as raised:
        client.things.list()
    assert str(raised.value) == (
        "401 Unauthorized: Requires authentication (sent without credentials, which the spec"
        f" requires: pass token= (${variable}))"
    )


@pytest.mark.parametrize(
    "setup",
    [
        {"token": "t0ken"},  # configured: the server's word alone
        {"default_headers": {"Authorization": "Bearer t0ken"}},  # supplied another way
    ],
)
def test_a_401_with_credentials_is_the_servers_word(
    build_package: BuildPackage, setup: dict[str, Any]
) -> None:
    package = build_package(_spec())
    http = httpx.Client(transport=httpx.MockTransport(_denied))
    with pytest.raises(package.AuthenticationError) as raised:
        package.Client(http_client=http, **setup).things.list()
    assert str(raised.value) == "401 Unauthorized: Requires authentication"


def test_a_relative_server_needs_a_base_url(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = build_package(_spec(server="/v1"))
    variable = f"{package.__name__.upper()}_BASE_URL"
    monkeypatch.delenv(variable, raising=False)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client = package.Client(
        token="t", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.raises(package.RequestValidationError, match=rf"set \${variable}"):
        client.things.list()
    assert seen == []
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"${variable}" in readme
    # an httpx client's own base URL serves, as httpx merges it
    based = httpx.Client(
        base_url="https://api.example.test",
        transport=httpx.MockTransport(
            lambda request: httpx.Response(200, json={"u": str(request.url)})
        ),
    )
    assert package.Client(token="t", http_client=based).things.list() == {
        "u": "https://api.example.test/v1/things"
    }
