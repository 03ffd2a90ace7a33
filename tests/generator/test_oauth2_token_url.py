"""An OAuth2 client-credentials `tokenUrl` relative to the server (Sakari's `/oauth2/token`):
OpenAPI resolves it against the server's URL; posted as written, httpx refused it
(`UnsupportedProtocol`, not an `APIError`) and the README's example could never work."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec


def _spec(token_url: str, server: str) -> dict[str, Any]:
    spec = minimal_spec(
        {},
        {
            "/contacts": {
                "get": {
                    "operationId": "listContacts",
                    "responses": {"204": {"description": "None."}},
                }
            }
        },
    )
    spec["servers"] = [{"url": server}]
    spec["security"] = [{"auth": []}]
    flow = {"tokenUrl": token_url, "scopes": {}}
    spec.setdefault("components", {})["securitySchemes"] = {
        "auth": {"type": "oauth2", "flows": {"clientCredentials": flow}}
    }
    return spec


@pytest.mark.parametrize(
    ("token_url", "server", "resolved"),
    [
        ("/oauth2/token", "https://api.example.test/v1", "https://api.example.test/oauth2/token"),
        ("token", "https://api.example.test/v1/", "https://api.example.test/v1/token"),
        ("https://auth.example.test/t", "https://api.example.test", "https://auth.example.test/t"),
        ("/oauth2/token", "/v1", "/oauth2/token"),  # no absolute server: as written
    ],
)
def test_a_relative_token_url_is_resolved_against_the_server(
    build_package: BuildPackage, token_url: str, server: str, resolved: str
) -> None:
    package = build_package(_spec(token_url, server))
    oauth2 = importlib.import_module(f"{package.__name__}._oauth2")
    assert oauth2.DEFAULT_TOKEN_URL == resolved
    if not resolved.startswith("https://"):
        return
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith(resolved.rsplit("/", 1)[1]):
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    credentials = oauth2.OAuth2ClientCredentials("id", "secret", http_client=http)
    client = package.Client(auth=credentials, http_client=http)
    client.contacts.list()  # (a GET answering 204, no list: `listContacts` says so)
    assert str(sent[0].url) == resolved and sent[1].headers["Authorization"] == "Bearer tok"
    assert sent[1].url.host == "api.example.test"


def _credentials(answer: Any, asynchronous: bool = False, **given: Any) -> Any:
    from generator.runtime._client_credentials import ClientCredentials

    transport = httpx.MockTransport(answer)
    clients: dict[str, Any] = (
        {"async_http_client": httpx.AsyncClient(transport=transport)}
        if asynchronous
        else {"http_client": httpx.Client(transport=transport)}
    )
    given.setdefault("token_url", "https://auth.example.test/token")
    return ClientCredentials("id", "s3cr3t", **clients, **given)


def _token(credentials: Any, asynchronous: bool) -> str:
    import asyncio

    return asyncio.run(credentials.atoken()) if asynchronous else str(credentials())


class _Whitespace(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A token response of 64 MiB of whitespace before its token (read lazily)."""

    def __iter__(self) -> Any:
        yield from (b" " * (1 << 20) for _ in range(64))
        yield b'{"access_token": "t"}'

    async def __aiter__(self) -> Any:
        for chunk in self.__iter__():
            yield chunk


@pytest.mark.parametrize("asynchronous", [False, True])
def test_the_token_request_is_bounded_and_its_failures_are_the_package_s(
    asynchronous: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """The token request was outside every limit of the client (hostile audit 12): a 300 MiB
    answer was read whole, a deeply nested one raised `RecursionError`, a refused connection
    httpx's own `ConnectError`, and httpx's log line showed the token URL's password and
    query key."""
    from generator.runtime import errors

    def huge(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Whitespace())

    with pytest.raises(errors.ResponseTooLargeError):
        _token(_credentials(huge, asynchronous), asynchronous)

    def deep(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" * 100_000)

    with pytest.raises(errors.APIResponseValidationError, match="access_token"):
        _token(_credentials(deep, asynchronous), asynchronous)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(errors.APIConnectionError, match="token request"):
        _token(_credentials(refused, asynchronous), asynchronous)

    def bomb(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "br"}, stream=_Whitespace())

    with pytest.raises(errors.APIResponseValidationError, match="coded"):
        _token(_credentials(bomb, asynchronous), asynchronous)

    caplog.set_level(logging.INFO, logger="httpx")

    def fine(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "tok"})

    url = "https://user:PASSWORD@auth.example.test/token?key=QUERYKEY"
    assert _token(_credentials(fine, asynchronous, token_url=url), asynchronous) == "tok"
    assert "auth.example.test/token" in caplog.text
    assert "PASSWORD" not in caplog.text and "QUERYKEY" not in caplog.text


def _two_flows() -> dict[str, Any]:
    """Two client-credentials schemes with their own token endpoints (Velo Payments'
    `OAuth2` at `/v1/login` and `oAuthVeloBackOffice` at `/oauth/token`)."""
    spec = _spec("/v1/login", "https://api.example.test")
    spec["paths"]["/contacts"]["get"]["security"] = [{"auth": []}, {"backOffice": []}]
    flow = {"tokenUrl": "/oauth/token", "scopes": {}}
    spec["components"]["securitySchemes"]["backOffice"] = {
        "type": "oauth2",
        "flows": {"clientCredentials": flow},
    }
    return spec


@pytest.mark.parametrize("asynchronous", [False, True])
def test_each_client_credentials_scheme_fetches_its_token_from_its_own_endpoint(
    build_package: BuildPackage, asynchronous: bool
) -> None:
    """A helper given for the second scheme fetched its token from the first scheme's
    endpoint (the one `DEFAULT_TOKEN_URL` holds), sending the client secret there (UX
    audit 16); it takes its scheme's endpoint now, unless `token_url=` was given."""
    import asyncio

    package = build_package(_two_flows())
    oauth2 = importlib.import_module(f"{package.__name__}._oauth2")
    assert oauth2.DEFAULT_TOKEN_URL == "https://api.example.test/v1/login"
    posted: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posted.append(request.url.path)
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(204)

    transport = httpx.MockTransport(handler)

    def call(**credentials: Any) -> None:
        if asynchronous:
            client = package.AsyncClient(
                http_client=httpx.AsyncClient(transport=transport), **credentials
            )
            asyncio.run(client.contacts.list())
        else:
            client = package.Client(http_client=httpx.Client(transport=transport), **credentials)
            client.contacts.list()

    http: dict[str, Any] = (
        {"async_http_client": httpx.AsyncClient(transport=transport)}
        if asynchronous
        else {"http_client": httpx.Client(transport=transport)}
    )
    back_office = oauth2.OAuth2ClientCredentials("id", "secret", **http)
    call(back_office=back_office)
    assert posted == ["/oauth/token"] and back_office.token_url.endswith("/oauth/token")
    call(auth=oauth2.OAuth2ClientCredentials("id", "secret", **http))
    assert posted[-1] == "/v1/login"
    given = "https://auth.example.test/mine"
    mine = oauth2.OAuth2ClientCredentials("id", "secret", token_url=given, **http)
    call(back_office=mine)
    assert posted[-1] == "/mine"  # the caller's endpoint wins
    with pytest.raises(ValueError, match="its own helper"):  # one helper, two endpoints
        package.Client(auth=back_office)


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("location", ["javascript:alert(1)", "https://xn--/x"])
def test_a_token_endpoint_redirect_httpx_cannot_read_is_a_connection_error(
    asynchronous: bool, location: str
) -> None:
    """httpx reads a redirect's `Location` even when it does not follow it: `javascript:…`
    raised its `InvalidURL`, a malformed IDNA host `IDNAError`, out of the token fetch
    (hostile audit 18)."""
    from generator.runtime import errors

    credentials = _credentials(
        lambda request: httpx.Response(302, headers={"location": location}), asynchronous
    )
    with pytest.raises(errors.APIConnectionError, match="the token request to https://auth"):
        _token(credentials, asynchronous)
