"""Hostile audit 16, findings 1 and 2: secrets the caller gives by a name the spec does not
declare, and parameters named as credentials, sync and async through httpx.MockTransport.

- `extra_query`/`extra_body`, and `client.get/post(path, query=…, body=…, files=…)`, went to
  `str(e)`, `repr(e)`, httpx's INFO line and the package's DEBUG line in clear where their
  names said secret (`password`, `client_secret`, `access_token`), though a declared
  parameter or field so named was redacted;
- `token`, `user_key`, `subscription-key` are credentials to the generator's query overlay
  (`overlay_query.names_query_credential`) but were no secret to the runtime: below the
  overlay's shares their values were logged. One reading of a credential's name now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.overlay_query import names_query_credential
from generator.runtime._secret_names import credential_name, secret_name
from tests.conftest import assert_package_builds, minimal_spec
from tests.pagination_shapes import built_package

NAME = "pkg_audit16_secrets"
MODES = ("sync", "async")
_TEXT = {"type": "string"}


def _query(name: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": True, "schema": _TEXT}


_BODY = {
    "type": "object",
    "properties": {"username": _TEXT, "password": _TEXT, "client_secret": _TEXT},
}
_OK = {"200": {"description": "OK.", "content": {"application/json": {"schema": {}}}}}
SPEC = minimal_spec(
    {},
    {
        "/login": {
            "post": {
                "operationId": "login",
                "parameters": [_query("api_key")],
                "requestBody": {"content": {"application/json": {"schema": _BODY}}},
                "responses": _OK,
            }
        },
        "/a": {
            "get": {
                "operationId": "getA",
                "parameters": [_query("token"), _query("user_key"), _query("subscription-key")],
                "responses": _OK,
            }
        },
        "/b": {"get": {"operationId": "getB", "responses": _OK}},
        "/c": {"get": {"operationId": "getC", "responses": _OK}},
    },
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    for module in built_package(tmp_path_factory, "audit16_secrets", SPEC, NAME):
        assert_package_builds(module)
        yield module


def _echo(request: httpx.Request) -> httpx.Response:
    """A 400 echoing the request: its body, URL and headers (as some servers do)."""
    # (the headers' values as sent: httpx's own repr of them masks `Authorization`)
    headers = [f"{name}: {value}" for name, value in request.headers.items()]
    said = " ".join([request.content.decode("latin-1"), str(request.url), *headers])
    return httpx.Response(400, json={"message": "bad request: " + said})


def _failure(
    package: ModuleType, mode: str, act: Callable[[Any], Any], **options: Any
) -> Exception:
    """The error `act(client)` raises on a sync or async client (made with `options`)
    answered by `_echo`."""

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return _echo(request)

    def run() -> Any:
        if mode == "sync":
            http = httpx.Client(transport=httpx.MockTransport(handler))
            with package.Client(http_client=http, max_retries=0, **options) as client:
                return act(client)

        async def main() -> Any:
            http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
            async with package.AsyncClient(http_client=http, max_retries=0, **options) as client:
                return await act(client)

        return asyncio.run(main())

    with pytest.raises(package.APIError) as caught:
        run()
    error: Exception = caught.value
    return error


def _shown(error: Exception, caplog: pytest.LogCaptureFixture) -> str:
    """Everything a caller or a log shows of a failed call: also the `repr` of the request
    the error's response holds, and of its URL (an error tracker's captured locals, a
    `print(e.response.request)`: they showed the query's secrets)."""
    shown = [str(error), repr(error), caplog.text]
    response = getattr(error, "response", None)
    if response is not None:
        shown.extend([repr(response.request), repr(response.request.url)])
    return " ".join(shown)


@pytest.mark.parametrize("mode", MODES)
def test_parameters_named_as_credentials_are_secrets(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """`token`, `user_key`, `subscription-key`: credentials by the overlay's reading, below its
    shares (one operation of four), were in httpx's INFO line, ours and `str(e)`."""
    caplog.set_level(logging.DEBUG)
    values = {"token": "TOKSECRET1", "user_key": "UKSECRET2", "subscription_key": "SUBSECRET3"}
    error = _failure(package, mode, lambda client: client.a.retrieve(**values))
    shown = _shown(error, caplog)
    assert "HTTP Request" in caplog.text and "/a?" in shown
    for value in values.values():
        assert value not in shown


@pytest.mark.parametrize("mode", MODES)
def test_extra_query_and_extra_body_secrets_are_redacted(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Secret-named fields in `extra_body` (top level and nested), pairs in `extra_query` and
    headers in `extra_headers` are the request's secrets, as declared ones are."""
    caplog.set_level(logging.DEBUG)
    secrets = ["XPASSWORD4", "XAPIKEY5", "XQSECRET6", "XNESTED7", "XHEADER8", "12"]
    error = _failure(
        package,
        mode,
        lambda client: client.login.create(
            api_key="QKDECLARED3",
            username="someone",
            extra_body={
                "password": "XPASSWORD4",
                "api_key": "XAPIKEY5",
                "card": {"cvc": "XNESTED7"},
            },
            extra_query={"client_secret": "XQSECRET6", "token": "12"},
            extra_headers={"X-Api-Token": "XHEADER8"},
        ),
    )
    shown = _shown(error, caplog)
    assert "someone" in shown  # (what is no secret still shows)
    assert "client_secret=%5Bredacted%5D" in caplog.text and "token=%5Bredacted%5D" in caplog.text
    for value in ["QKDECLARED3", *secrets[:-1]]:
        assert value not in shown


@pytest.mark.parametrize("mode", MODES)
def test_credential_headers_the_caller_sets_are_secrets(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """UX audit 18: `default_headers={"Authorization": "Bearer …"}`, the README's way to send
    a token where the spec declares no scheme (OpenAI's, Key Vault's), was shown in the
    error when the server echoed it; `extra_headers` too, and a cookie's values."""
    caplog.set_level(logging.DEBUG)
    headers = {"Authorization": "Bearer sk-DEFAULTSECRET9", "X-Tenant": "acme"}
    error = _failure(
        package,
        mode,
        lambda client: client.b.retrieve(
            extra_headers={"Proxy-Authorization": "Basic UFJPWFlTRUNSRVQ=", "Cookie": "s=CK1XX"}
        ),
        default_headers=headers,
    )
    shown = _shown(error, caplog)
    assert "acme" in shown  # (what is no secret still shows)
    for value in ("sk-DEFAULTSECRET9", "UFJPWFlTRUNSRVQ=", "CK1XX"):
        assert value not in shown


@pytest.mark.parametrize("mode", MODES)
def test_undocumented_calls_redact_secret_named_query_and_body(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """`client.get(path, query=…)`, `client.post(path, body=…)`, with `files=` too: for an
    endpoint the spec does not document, the only way to pass them."""
    caplog.set_level(logging.DEBUG)
    calls: list[Callable[[Any], Any]] = [
        lambda client: client.get("/other", query={"access_token": "UNDOCQ8"}),
        lambda client: client.post("/other", body={"password": "UNDOCPW7", "x": {"key": "K9K"}}),
        lambda client: client.post(
            "/up", body={"api_key": "UPAPIKEY10", "name": "n"}, files={"f": b"data"}
        ),
    ]
    for call in calls:
        error = _failure(package, mode, call)
        shown = _shown(error, caplog)
        for value in ("UNDOCQ8", "UNDOCPW7", "K9K", "UPAPIKEY10"):
            assert value not in shown


_PARTS = st.sampled_from(
    ["api", "API", "Key", "key", "KEY", "x", "X", "token", "Token", "secret", "user", "app",
     "subscription", "client", "access", "auth", "page", "next", "idempotency", "k", "e", "y"]
)  # fmt: skip
_SEPARATORS = st.sampled_from(["", "", "_", "-", ".", " ", "\t", "\u2000", "\u3000", "/"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.tuples(_PARTS, _SEPARATORS), min_size=1, max_size=4))
def test_the_overlay_and_the_runtime_read_a_credential_name_alike(
    parts: list[tuple[str, str]],
) -> None:
    """One verdict for every name: what the generator's overlay reads as a credential the
    runtime reads so, and redacts, whatever the overlay's shares make of it."""
    name = "".join(part + separator for part, separator in parts)
    assert credential_name(name) == names_query_credential(name), name
    if names_query_credential(name):
        assert secret_name(name), name


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("token", True),
        ("key", True),
        ("subscription-key", True),
        ("app_key", True),
        ("k e.y", True),
        ("k\u2000e.y", False),  # a Unicode space separates no words (it was `key`)
        ("k\u3000e\u2003y", False),
        ("next_token", False),
        ("idempotency_key", False),
    ],
)
def test_a_credential_name_is_separated_by_ascii_only(name: str, credential: bool) -> None:
    assert names_query_credential(name) is credential
    assert credential_name(name) is credential
