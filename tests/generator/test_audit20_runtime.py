"""Runtime audit 20, through httpx.MockTransport:

- the status, response-validation and size errors could not be pickled or copied (their
  keyword-only constructors): a `NotFoundError` raised in a `multiprocessing` worker hung
  the pool;
- a client used before `os.fork()` kept its connection pool in the child: both processes
  read the same sockets and each got some of the other's responses;
- a call on a closed client (or a `with_options` copy of one) that had sent a request, or
  on an async client from a second event loop, raised httpx's bare `RuntimeError`;
- the async client slept and locked with asyncio's API: under trio every retry, stream
  reconnection and OAuth2 token fetch raised `RuntimeError: no running event loop`;
- httpcore's DEBUG trace printed a redirect's `Location` with the query's secrets.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import logging
import pickle
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
import trio

from tests.conftest import minimal_spec
from tests.pagination_shapes import built_package

NAME = "pkg_audit20_runtime"
_THING = {"type": "object", "properties": {"id": {"type": "string"}}}
SPEC = minimal_spec(
    {"Thing": _THING},
    {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    },
                    "404": {"description": "Not found."},
                },
            }
        }
    },
)
SPEC["security"] = [{"auth": []}]
SPEC["components"]["securitySchemes"] = {
    "auth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {"tokenUrl": "https://auth.example.test/token", "scopes": {}}
        },
    }
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from built_package(tmp_path_factory, "audit20_runtime", SPEC, NAME)


def _thing(request: httpx.Request) -> httpx.Response:
    if request.url.host == "auth.example.test":
        return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
    return httpx.Response(200, json={"id": request.url.path.rsplit("/", 1)[1]})


def test_errors_pickle_and_copy_with_their_attributes(package: ModuleType) -> None:
    request = httpx.Request("GET", "https://api.example.test/things/x")
    response = httpx.Response(404, json={"message": "nope"}, request=request)
    errors = package.errors
    found = [
        errors.NotFoundError(response=response),
        errors.APIResponseValidationError("bad body", response=response),
        errors.ResponseTooLargeError(response=response, limit=10),
        errors.APIConnectionError("down", request=request),
    ]
    for error in found:
        for again in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
            assert type(again) is type(error) and str(again) == str(error)
            assert again.__dict__.keys() == error.__dict__.keys()
    again = pickle.loads(pickle.dumps(found[0]))
    assert again.status_code == 404 and again.body == response.content


def test_a_forked_process_makes_its_own_connection_pool(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = importlib.import_module(f"{NAME}._base_client")
    client = package.Client(auth="tok")
    parent = client._pool.get()
    assert client._pool.get() is parent
    monkeypatch.setattr(base.os, "getpid", lambda: -1)  # (as in a child after `fork`)
    child = client._pool.get()
    assert child is not parent and not parent.is_closed  # (the parent's, left alone)
    assert client.with_options(timeout=5)._pool.get() is child
    client.close()


def test_a_closed_client_raises_the_package_s_error(package: ModuleType) -> None:
    client = package.Client(auth="tok")
    client._pool._make = lambda: httpx.Client(transport=httpx.MockTransport(_thing))
    assert client.things.retrieve("a").id == "a"
    copied = client.with_options(timeout=5)
    client.close()
    for closed in (client, copied):
        with pytest.raises(package.errors.APIError, match="the client is closed"):
            closed.things.retrieve("a")


@pytest.mark.parametrize(
    ("raised", "expected"),
    [("Event loop is closed", "event loop that has ended"), ("the handler's own", None)],
)
def test_an_ended_event_loop_is_a_connection_error(
    package: ModuleType, raised: str, expected: str | None
) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError(raised)

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with package.AsyncClient(auth="tok", http_client=http, max_retries=0) as client:
            return await client.things.retrieve("a")

    if expected is None:  # (any other RuntimeError is the caller's transport's: as it is)
        with pytest.raises(RuntimeError, match=raised):
            asyncio.run(main())
    else:
        with pytest.raises(package.errors.APIConnectionError, match=expected):
            asyncio.run(main())


def test_the_async_client_retries_and_fetches_tokens_under_trio(package: ModuleType) -> None:
    sent: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.host)
        if request.url.host == "api.example.test" and sent.count("api.example.test") == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return _thing(request)

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        oauth2 = importlib.import_module(f"{NAME}._oauth2")
        auth = oauth2.OAuth2ClientCredentials("id", "secret", async_http_client=http)
        async with package.AsyncClient(auth=auth, http_client=http) as client:
            return await client.things.retrieve("a")

    assert trio.run(main).id == "a"
    assert sent == ["auth.example.test", "api.example.test", "api.example.test"]


def test_httpcore_trace_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    from generator.runtime._origins import LOGGED

    logger = logging.getLogger("httpcore.http11")
    caplog.set_level(logging.DEBUG, logger="httpcore.http11")
    headers = "[(b'Location', b'/moved?api_key=sk_live_KEYSECRET42')]"
    token = LOGGED.set((frozenset({"api_key"}), ("sk_live_KEYSECRET42",)))
    try:
        logger.debug(f"receive_response_headers.complete return_value={headers}")
    finally:
        LOGGED.reset(token)
    logger.debug("another request's line sk_live_KEYSECRET42")  # (none of ours: as it is)
    lines = [record.getMessage() for record in caplog.records]
    assert "sk_live_KEYSECRET42" not in lines[0] and "/moved?api_key=" in lines[0]
    assert lines[1].endswith("sk_live_KEYSECRET42")
