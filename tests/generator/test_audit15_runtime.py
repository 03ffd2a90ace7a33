"""UX audit 15, the runtime (findings 8, 12, 9), sync and async through httpx.MockTransport:

- a 429 whose rate-limit window resets later (Twitter's `x-rate-limit-reset`, GitHub's
  `x-ratelimit-reset`, the IETF draft's `RateLimit-Reset`) was retried twice within 1.4 s
  and its error did not say when to try again: the reset is the wait, a wait over the
  client's cap is raised at once, and `e.retry_after` says it;
- a next-page token the server gave was refused by the page-token parameter's `minLength`,
  which stopped the list: it is sent as received (the caller's own stays checked);
- a file in `extra_body` of an operation whose body is not multipart (Bitbucket's
  downloads declare no body) went out as JSON text: refused, and `client.post(path,
  files=…)` sends multipart.

Nothing here waits: sleeps are recorded, and the clock the resets are read against is set.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.runtime import _retry_after
from tests.conftest import assert_package_builds, minimal_spec
from tests.pagination_shapes import built_package

NOW = 1_800_000_000.0  # the clock the tests set (January 2027)
KEY = "SECRET-BEARER-TOKEN"
MODES = ("sync", "async")
NAME = "pkg_audit15_runtime"

_OBJECT = {"type": "object"}
_TOKEN = {"type": "string", "minLength": 16}
_USER = {"type": "object", "properties": {"id": {"type": "string"}}}


def _json(schema: dict[str, Any], description: str = "OK.") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SPEC = minimal_spec(
    {"User": _USER},
    {
        "/tweets/{id}": {
            "get": {
                "operationId": "getTweet",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _json(_OBJECT)},
            }
        },
        "/users/{id}/followers": {
            "get": {
                "operationId": "listFollowers",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "max_results", "in": "query", "schema": {"type": "integer"}},
                    {"name": "pagination_token", "in": "query", "schema": _TOKEN},
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "data": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/User"},
                                },
                                "meta": {
                                    "type": "object",
                                    "properties": {
                                        "next_token": {"type": "string"},
                                        "result_count": {"type": "integer"},
                                    },
                                },
                            },
                        }
                    )
                },
            }
        },
        "/orders/search": {
            "post": {
                "operationId": "searchOrders",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"cursor": _TOKEN, "limit": {"type": "integer"}},
                            }
                        }
                    }
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "orders": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/User"},
                                },
                                "cursor": {"type": "string"},
                            },
                        }
                    )
                },
            }
        },
        "/repositories/{workspace}/downloads": {
            "post": {
                "operationId": "createDownload",
                "parameters": [
                    {
                        "name": "workspace",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"201": {"description": "Uploaded."}},
            }
        },
    },
    security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    for module in built_package(tmp_path_factory, "audit15", SPEC, NAME):
        assert_package_builds(module)
        yield module


class _Time:
    """`time` as `_sync_client` sees it: sleeps are recorded, not slept."""

    def __init__(self, sleeps: list[float]) -> None:
        self.sleeps = sleeps

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def monotonic(self) -> float:
        return 0.0


@pytest.fixture
def sleeps(package: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the clients asked to sleep for; the clock reads `NOW`."""
    delays: list[float] = []

    async def asleep(seconds: float) -> None:
        delays.append(seconds)

    sync_loop = importlib.import_module(f"{NAME}._sync_client")
    async_loop = importlib.import_module(f"{NAME}._async_client")
    monkeypatch.setattr(sync_loop, "time", _Time(delays))
    monkeypatch.setattr(async_loop, "_sleep", asleep)
    monkeypatch.setattr(importlib.import_module(f"{NAME}._retry_after"), "_now", lambda: NOW)
    return delays


def _use(
    package: ModuleType,
    mode: str,
    answer: Callable[[httpx.Request], httpx.Response],
    act: Callable[[Any], Any],
    **options: Any,
) -> tuple[Any, list[httpx.Request]]:
    """`act(client)` on a sync or async client answered by `answer`; (its result, sent)."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return answer(request)

    if mode == "sync":
        http = httpx.Client(transport=httpx.MockTransport(handler))
        with package.Client(bearer=KEY, http_client=http, **options) as client:
            return act(client), sent

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with package.AsyncClient(bearer=KEY, http_client=http, **options) as client:
            result = act(client)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return await result

    return asyncio.run(main()), sent


def _answers(*responses: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(responses)
    return lambda _: queue.pop(0) if len(queue) > 1 else queue[0]


def _too_many(headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(429, json={"title": "Too Many Requests"}, headers=headers)


def _tweet(client: Any) -> Any:
    return client.tweets.retrieve("1")


# ---- finding 8: rate-limit resets ----------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-rate-limit-reset": str(int(NOW) + 900), "x-rate-limit-remaining": "0"}, 900.0),
        ({"X-RateLimit-Reset": str(int(NOW) + 60)}, 60.0),  # GitHub's, no remaining
        ({"x-ratelimit-reset": str(int(NOW + 30) * 1000)}, 30.0),  # epoch milliseconds
        ({"RateLimit-Reset": "20", "RateLimit-Remaining": "0"}, 20.0),  # the IETF draft: delta
        ({"x-rate-limit-reset": str(int(NOW) - 5)}, None),  # past: no wait
        ({"x-rate-limit-reset": str(int(NOW) + 10 * 86_400)}, None),  # absurdly far
        ({"RateLimit-Reset": "999999999"}, None),  # a delay of 31 years
        ({"x-rate-limit-reset": "1e400"}, None),
        ({"x-rate-limit-reset": "nan"}, None),
        ({"x-rate-limit-reset": "-3"}, None),
        ({"x-rate-limit-reset": "soon"}, None),
        ({"x-ratelimit-reset": str(int(NOW) + 900), "x-ratelimit-remaining": "12"}, None),
        ({"Retry-After": "7", "x-rate-limit-reset": str(int(NOW) + 900)}, 7.0),  # it wins
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "Sat, 15 Jan 2027 08:00:00 GMT"}, None),  # past: 0 ... see below
    ],
)
def test_the_wait_a_429_asks_for(
    monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], expected: float | None
) -> None:
    monkeypatch.setattr(_retry_after, "_now", lambda: NOW)
    wait = _retry_after.server_wait(429, httpx.Headers(headers))
    if "Sat, 15 Jan" in headers.get("Retry-After", ""):
        expected = 0.0  # (an HTTP date in the past: no wait, as before)
    assert wait == expected


def test_a_reset_is_the_wait_of_a_429_only() -> None:
    """GitHub sends its rate-limit headers on every response: a 503's reset is not its wait."""
    headers = httpx.Headers({"x-ratelimit-reset": str(int(NOW) + 30), "x-ratelimit-remaining": "0"})
    assert _retry_after.server_wait(503, headers) is None
    assert _retry_after.server_wait(503, httpx.Headers({"Retry-After": "4"})) == 4.0


@pytest.mark.parametrize("mode", MODES)
def test_a_window_resetting_after_the_cap_is_raised_at_once_with_its_wait(
    package: ModuleType, mode: str, sleeps: list[float]
) -> None:
    """Twitter's 15-minute window: 3 requests in 1.4 s, and the error had no reset time."""
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 900)}
    with pytest.raises(package.RateLimitError) as raised:
        _use(package, mode, _answers(_too_many(headers)), _tweet)
    assert raised.value.retry_after == 900.0
    assert sleeps == []
    assert KEY not in str(raised.value)


@pytest.mark.parametrize("mode", MODES)
def test_a_window_resetting_within_the_cap_is_waited_for(
    package: ModuleType, mode: str, sleeps: list[float]
) -> None:
    answer = _answers(
        _too_many({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 30)}),
        httpx.Response(200, json={"id": "1"}),
    )
    result, sent = _use(package, mode, answer, _tweet)
    assert result == {"id": "1"} and len(sent) == 2
    assert sleeps == [30.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("reset", ["99999999999999999999", "-1", "1e400", str(int(NOW) - 60)])
def test_a_hostile_or_past_reset_is_no_wait(
    package: ModuleType, mode: str, reset: str, sleeps: list[float]
) -> None:
    """Retried with the ordinary backoff (never longer than its cap), no wait on the error."""
    answer = _answers(_too_many({"x-rate-limit-reset": reset}))
    with pytest.raises(package.RateLimitError) as raised:
        _use(package, mode, answer, _tweet)
    assert raised.value.retry_after is None
    base_client = importlib.import_module(f"{NAME}._base_client")
    assert len(sleeps) == 2 and all(0 < s <= base_client.MAX_RETRY_DELAY for s in sleeps)


@pytest.mark.parametrize("mode", MODES)
def test_a_retry_after_over_the_cap_is_raised_at_once(
    package: ModuleType, mode: str, sleeps: list[float]
) -> None:
    answer = _answers(httpx.Response(503, headers={"Retry-After": "3600"}))
    with pytest.raises(package.InternalServerError) as raised:
        _use(package, mode, answer, _tweet)
    assert raised.value.retry_after == 3600.0 and sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_the_error_says_the_wait_when_retries_are_spent(
    package: ModuleType, mode: str, sleeps: list[float]
) -> None:
    answer = _answers(httpx.Response(503, headers={"Retry-After": "4"}))
    with pytest.raises(package.InternalServerError) as raised:
        _use(package, mode, answer, _tweet, max_retries=1)
    assert raised.value.retry_after == 4.0 and sleeps == [4.0]


# ---- finding 12: the server's next-page token is sent as received ---------------------------


def _followers(request: httpx.Request) -> httpx.Response:
    token = request.url.params.get("pagination_token")
    if token is None:
        return httpx.Response(200, json={"data": [{"id": "1"}], "meta": {"next_token": "TOK2"}})
    return httpx.Response(200, json={"data": [{"id": "2"}], "meta": {"result_count": 1}})


@pytest.mark.parametrize("mode", MODES)
def test_a_short_token_from_the_server_is_sent_back(package: ModuleType, mode: str) -> None:
    """`pagination_token` has `minLength: 16`; Twitter's `TOK2` stopped the list with
    RequestValidationError after page 1."""

    def act(client: Any) -> Any:
        page = client.users.followers.list("2244994945", max_results=1)
        return page if mode == "async" else list(page)

    users, sent = _use(package, mode, _followers, act)
    assert [user.id for user in users] == ["1", "2"]
    assert [r.url.params.get("pagination_token") for r in sent] == [None, "TOK2"]
    assert all(r.url.params.get("max_results") == "1" for r in sent)


@pytest.mark.parametrize("mode", MODES)
def test_the_callers_own_token_is_still_checked(package: ModuleType, mode: str) -> None:
    def act(client: Any) -> Any:
        page = client.users.followers.list("1", pagination_token="short")
        return page if mode == "async" else list(page)

    with pytest.raises(package.RequestValidationError, match="pagination_token"):
        _use(package, mode, _followers, act)


def _orders(request: httpx.Request) -> httpx.Response:
    cursor = httpx.Request("POST", "/", content=request.content).read()
    import json

    given = json.loads(cursor).get("cursor")
    if given is None:
        return httpx.Response(200, json={"orders": [{"id": "a"}], "cursor": "c2"})
    return httpx.Response(200, json={"orders": [{"id": "b"}]})


@pytest.mark.parametrize("mode", MODES)
def test_a_short_cursor_from_the_server_goes_back_in_the_body(
    package: ModuleType, mode: str
) -> None:
    def act(client: Any) -> Any:
        page = client.orders.search(limit=1)
        return page if mode == "async" else list(page)

    orders, sent = _use(package, mode, _orders, act)
    assert [order.id for order in orders] == ["a", "b"]
    assert [r.content for r in sent] == [b'{"limit":1}', b'{"limit":1,"cursor":"c2"}']

    def own(client: Any) -> Any:
        page = client.orders.search(cursor="c2")
        return page if mode == "async" else list(page)

    with pytest.raises(package.RequestValidationError, match="cursor"):
        _use(package, mode, _orders, own)


def test_an_object_for_a_position_is_still_checked(package: ModuleType) -> None:
    """A value the server gives is sent as received only as text or a number: an object
    would be written as query parameters of its own."""
    pagination = importlib.import_module(f"{NAME}._pagination")
    page = pagination._PageBase(None, None, pagination.PageInfo("cursor", param="after"), {})
    args: dict[str, Any] = {}
    page._place(args, {"after": {"admin": "true"}}, True)
    assert args["received"] == frozenset()
    page._place(args, {"after": "abc"}, True)
    assert args["received"] == {"after"}


# ---- finding 9: files where no multipart body is declared --------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "upload",
    [
        ("hello.txt", b"Hello World\n", "text/plain"),
        ("hello.txt", b"Hello"),
        [("a.txt", b"a"), ("b.txt", b"b")],
        io.BytesIO(b"Hello"),
        Path("hello.txt"),
    ],
    ids=["tuple", "pair", "list", "file", "path"],
)
def test_a_file_in_extra_body_of_a_bodiless_operation_is_refused(
    package: ModuleType, mode: str, upload: Any
) -> None:
    """Bitbucket's downloads: the tuple went out as `{"files":["hello.txt","Hello…"]}`."""

    def act(client: Any) -> Any:
        return client.repositories.downloads.create("acme", extra_body={"files": upload})

    with pytest.raises(package.RequestValidationError) as raised:
        _use(package, mode, lambda _: httpx.Response(201), act)
    assert "extra_body.files" in str(raised.value)
    assert "multipart" in str(raised.value) and "files=" in str(raised.value)
    assert "Hello" not in str(raised.value)


@pytest.mark.parametrize("mode", MODES)
def test_text_and_bytes_in_extra_body_are_still_json(package: ModuleType, mode: str) -> None:
    def act(client: Any) -> Any:
        return client.repositories.downloads.create(
            "acme", extra_body={"note": b"hi", "tags": ("a", "b")}
        )

    _, sent = _use(package, mode, lambda _: httpx.Response(201), act)
    assert sent[0].content == b'{"note":"hi","tags":["a","b"]}'


@pytest.mark.parametrize("mode", MODES)
def test_client_post_sends_files_as_multipart(
    package: ModuleType, mode: str, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# read me\n")

    def act(client: Any) -> Any:
        return client.post(
            "/repositories/acme/downloads",
            body={"comment": "v1"},
            files={"files": [("hello.txt", b"Hello World\n", "text/plain"), readme]},
            cast_to=httpx.Response,
        )

    response, sent = _use(package, mode, lambda _: httpx.Response(201), act)
    assert response.status_code == 201 and len(sent) == 1
    request = sent[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.content
    assert b'name="comment"\r\n\r\nv1\r\n' in body
    assert b'filename="hello.txt"\r\nContent-Type: text/plain\r\n\r\nHello World\n' in body
    assert b'filename="README.md"' in body and b"# read me\n" in body
    assert str(tmp_path).encode() not in body


class _Watched(io.BytesIO):
    """A file that records being read."""

    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        type(self).reads += 1
        return super().read(size)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("path", "files", "body", "where"),
    [
        ("https://elsewhere.test/upload", {"f": _Watched(b"x")}, None, "path"),
        ("/upload", {"f": 12}, None, "files.f"),
        ("/upload", {"f": "not a file"}, None, "files.f"),
        ("/upload", {}, None, "files"),
        ("/upload", {"f": b"x"}, b"raw", "body"),
    ],
)
def test_files_that_cannot_go_are_refused_before_anything_is_read_or_sent(
    package: ModuleType, mode: str, path: str, files: Any, body: Any, where: str
) -> None:
    def act(client: Any) -> Any:
        return client.request("POST", path, files=files, body=body)

    with pytest.raises(package.RequestValidationError) as raised:
        _use(package, mode, lambda _: httpx.Response(201), act)
    assert f"{where}:" in str(raised.value) and KEY not in str(raised.value)
    assert _Watched.reads == 0


def test_files_is_a_typed_argument_of_the_undocumented_calls(package: ModuleType) -> None:
    for client in (package.Client, package.AsyncClient):
        assert "files" in client.request.__annotations__
    undocumented = importlib.import_module(f"{NAME}._undocumented")
    for protocol in (undocumented.VerbCall, undocumented.AsyncVerbCall):  # (overloads only)
        assert inspect.getsource(protocol).count("files: Files = None") == 2
