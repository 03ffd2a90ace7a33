"""UX audit 15: an HTTP scheme other than basic or bearer (Twitter's OAuth 1.0a `OAuth`)
is not a bearer token read from a variable: a value given goes under its own word, and
an `httpx.Auth` of the http_client signs the calls that need it."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording

OK = {"200": {"description": "ok"}}


def _twitter() -> dict[str, Any]:
    schemes = {
        "BearerToken": {"type": "http", "scheme": "bearer"},
        "UserToken": {"type": "http", "scheme": "OAuth"},
    }
    paths = {
        "/2/users/me": {
            "get": {"operationId": "findMyUser", "security": [{"UserToken": []}], "responses": OK}
        },
        "/2/tweets": {
            "get": {
                "operationId": "findTweets",
                "security": [{"BearerToken": []}, {"UserToken": []}],
                "responses": OK,
            }
        },
    }
    spec = minimal_spec(paths=paths, security_schemes=schemes)
    del spec["security"]
    return spec


def test_another_http_scheme_is_not_sent_as_a_bearer_token(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twitter's OAuth 1.0a user context (`scheme: OAuth`) went as `Bearer <token>`, read
    from `$…_USER_TOKEN`: it needs a signature per request."""
    package = build_package(_twitter())
    prefix = package.__name__.upper()
    monkeypatch.setenv(f"{prefix}_USER_TOKEN", "FROM-ENV")  # not read: no such variable
    schemes = importlib.import_module(f"{package.__name__}._schemes").SCHEMES
    assert (schemes["UserToken"].kind, schemes["UserToken"].env_var) == ("http", "")
    assert schemes["UserToken"].scheme == "OAuth"
    http, sent = recording(lambda request: httpx.Response(200, json={}))
    package.Client(user_token='oauth_signature="s"', http_client=http).users.me.retrieve()
    package.Client(user_token='OAuth oauth_signature="t"', http_client=http).users.me.retrieve()
    assert [r.headers["authorization"] for r in sent] == [
        'OAuth oauth_signature="s"',
        'OAuth oauth_signature="t"',
    ]
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert f"{prefix}_USER_TOKEN" not in readme
    section = readme.split("## Authentication", 1)[1].split("\n## ", 1)[0]
    assert "`user_token=`: HTTP `OAuth` scheme" in section
    assert "http_client=httpx.Client(auth=...)" in section
    assert "OAuth1Auth" in section
    doc = inspect.getdoc(package.Client) or ""
    assert f"${prefix}_USER_TOKEN" not in doc and "httpx.Auth" in doc


class _Signer(httpx.Auth):
    """An `httpx.Auth` computing the header, as authlib's `OAuth1Auth` does."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f'OAuth oauth_signature="{request.method}"'
        yield request


def test_another_http_scheme_from_the_http_clients_auth(build_package: BuildPackage) -> None:
    """Without a value configured, the call goes out, the http_client's auth signing it;
    without one either, the 401 says how to supply one."""
    package = build_package(_twitter())
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if "authorization" not in request.headers:
            return httpx.Response(401, json={"title": "Unauthorized"})
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(handler)
    signed = httpx.Client(transport=transport, auth=_Signer())
    assert package.Client(http_client=signed).users.me.retrieve() == {}
    assert sent[-1].headers["authorization"] == 'OAuth oauth_signature="GET"'
    with pytest.raises(package.APIStatusError) as raised:
        package.Client(http_client=httpx.Client(transport=transport)).users.me.retrieve()
    assert "httpx.Auth computing `Authorization: OAuth …` as http_client's auth=" in str(
        raised.value
    )

    async def main() -> Any:
        http = httpx.AsyncClient(transport=transport, auth=_Signer())
        return await package.AsyncClient(user_token="x", http_client=http).users.me.retrieve()

    assert asyncio.run(main()) == {}  # (the auth's header is the one that goes)
    assert sent[-1].headers["authorization"] == 'OAuth oauth_signature="GET"'
