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


# ---- hostile audit 5 -----------------------------------------------------------------------


def _echo(request: httpx.Request) -> httpx.Response:
    """A server that echoes what it was sent in its error."""
    sent = f"{request.headers.get('authorization')} {request.headers.get('cookie')} {request.url}"
    return httpx.Response(400, json={"message": f"bad request: {sent}"})


@pytest.mark.parametrize(
    "setup",
    [
        {"default_headers": {"Authorization": "Bearer s3cr3t-t0ken"}},
        {"http_client_headers": {"Authorization": "Bearer s3cr3t-t0ken"}},
    ],
)
def test_a_credential_the_caller_supplies_is_redacted_and_needs_no_hint(
    build_package: BuildPackage, setup: dict[str, Any]
) -> None:
    """A credential given in `default_headers`, `extra_headers` or the httpx client's own
    headers (as the README says it may be) was echoed in clear, and a 401 still said that
    none was sent."""
    package = build_package(_spec())
    headers = setup.pop("http_client_headers", None)
    http = httpx.Client(transport=httpx.MockTransport(_echo), headers=headers)
    client = package.Client(http_client=http, **setup)
    with pytest.raises(package.BadRequestError) as raised:
        client.things.list()
    assert "s3cr3t" not in str(raised.value) and "[redacted]" in str(raised.value)
    with pytest.raises(package.BadRequestError) as raised:
        client.things.list(extra_headers={"authorization": "Bearer other-s3cr3t"})
    assert "s3cr3t" not in str(raised.value)
    denied = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(_denied), headers=headers), **setup
    )
    with pytest.raises(package.AuthenticationError) as raised:
        denied.things.list()
    assert "sent without credentials" not in str(raised.value)


@pytest.mark.parametrize("base_url", ["HTTPS://api.example.test/v1", "Https://api.example.test/v1"])
def test_a_base_url_in_any_case_is_absolute(build_package: BuildPackage, base_url: str) -> None:
    package = build_package(_spec())
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package.Client(token="t", base_url=base_url, http_client=http).things.list()
    assert seen == ["https://api.example.test/v1/things"]
