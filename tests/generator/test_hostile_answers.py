"""Hostile audit 12, the generated client against hostile answers: a resumed event stream
logged its query credential and re-sent a POST, an event id that is not ASCII, brotli
bombs, streams and downloads dropped unclosed, error bodies nested past the recursion
limit or in a charset that cannot decode, `Retry-After` past a C long, malformed IDNA hosts,
and `Content-Disposition` charsets that raise. Sync and async, through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.cli import main
from tests.conftest import write_spec

KEY = "SUPERSECRETKEY"
TICK = {"$ref": "#/components/schemas/Tick"}


def _events(method: str, operation_id: str, body: bool = False) -> dict[str, Any]:
    events = {"text/event-stream": {"schema": TICK}}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "responses": {"200": {"description": "Ticks.", "content": events}},
    }
    if body:
        amount = {"type": "object", "properties": {"amount": {"type": "integer"}}}
        operation["requestBody"] = {"content": {"application/json": {"schema": amount}}}
    return {method: operation}


_ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Hostile", "version": "1"},
    "servers": [{"url": "https://api.example.test/v1"}],
    "security": [{"key": []}],
    "paths": {
        "/events": _events("get", "watchEvents"),
        "/charges": _events("post", "createCharge", body=True),
        "/file": {
            "get": {
                "operationId": "getFile",
                "responses": {
                    "200": {
                        "description": "A file.",
                        "content": {"application/pdf": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/items": {
            "get": {
                "operationId": "listItems",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "Items.",
                        "headers": {"Link": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": TICK}}
                        },
                    },
                    "400": {
                        "description": "Bad.",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Tick": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
        },
        "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}},
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """One package for the module (generating is the slow part)."""
    from generator.pipeline import generate_package

    root = tmp_path_factory.mktemp("hostile_answers")
    name = f"pkg_{uuid.uuid4().hex[:12]}"
    generate_package(write_spec(root, SPEC, "spec.json"), root / name, package_name=name)
    sys.path.insert(0, str(root / name))
    yield importlib.import_module(name)
    sys.path.remove(str(root / name))
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of chunks, then (when `broken`) a cut connection; records being closed."""

    def __init__(self, *chunks: bytes, broken: bool = False) -> None:
        self.chunks = chunks
        self.broken = broken
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.broken:
            raise httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.broken:
            raise httpx.RemoteProtocolError("peer closed connection")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


Answer = Callable[[httpx.Request], httpx.Response]


def _use(package: ModuleType, mode: str, answer: Answer, call: Callable[[Any], Any]) -> Any:
    """`call(client)` on the sync or the async client (awaited, and an async iterable
    drained into a list), its requests kept in the returned client's `sent`."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request)

    transport = httpx.MockTransport(handler)
    if mode == "sync":
        client = package.Client(key=KEY, http_client=httpx.Client(transport=transport))
        try:
            result = call(client)
            return (list(result) if hasattr(result, "__iter__") else result), sent
        finally:
            client.close()

    async def run() -> Any:
        http = httpx.AsyncClient(transport=transport)
        async with package.AsyncClient(key=KEY, http_client=http) as client:
            result = await call(client)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return result

    return asyncio.run(run()), sent


def _cut_after_one_event(event_id: str) -> Answer:
    bodies = [
        Body(f'retry: 0\nid: {event_id}\ndata: {{"n": 1}}\n\n'.encode(), broken=True),
        Body(b'data: {"n": 2}\n\n'),
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, stream=bodies.pop(0), headers=headers)

    return answer


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_resumed_stream_logs_no_credential_and_sends_an_id_as_utf8(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The resumed request's httpx log line showed `?api_key=SUPERSECRETKEY` (the first
    one's was redacted), and an id that is not ASCII raised httpx's UnicodeEncodeError."""
    caplog.set_level(logging.DEBUG)
    received, sent = _use(package, mode, _cut_after_one_event("é€"), lambda c: c.events.retrieve())
    assert [tick.data.n for tick in received] == [1, 2]
    assert sent[1].headers.raw[-1] == (b"Last-Event-ID", "é€".encode())
    assert KEY not in caplog.text
    resumed = [r for r in caplog.records if r.name != "httpx" and "/events" in r.getMessage()]
    assert len(resumed) == 2  # the package's own line for each request


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_resumed_stream_redirected_where_httpx_cannot_read_is_a_connection_error(
    package: ModuleType, mode: str
) -> None:
    """The reconnect (with `Last-Event-ID`) answered with a redirect to `javascript:…`
    raised httpx's `InvalidURL` out of the iteration (hostile audit 18)."""
    first = _cut_after_one_event("1")
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return first(request)
        return httpx.Response(302, headers={"location": "javascript:x"})

    with pytest.raises(package.APIConnectionError):
        _use(package, mode, answer, lambda c: c.events.retrieve())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_answering_a_post_is_not_resumed_by_sending_it_again(
    package: ModuleType, mode: str
) -> None:
    """A charge's progress stream, cut after an event with an id, was resumed by sending
    the charge again (no idempotency key): twice charged."""
    with pytest.raises(package.APIConnectionError):
        _use(package, mode, _cut_after_one_event("1"), lambda c: c.charges.create(amount=100))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br"])
def test_codings_no_size_limit_bounds_are_refused_and_not_asked_for(
    package: ModuleType, mode: str, coding: str
) -> None:
    """One layer of brotli (decoded where its library is installed) turned 3 kB into
    4 GiB of memory under a 1 MiB limit: the client asks for gzip and deflate only, and a
    body coded otherwise is not read."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = Body(b"\x00" * 16)  # (a body given as `content=` would be decoded at once)
        return httpx.Response(200, stream=body, headers={"content-encoding": coding})

    with pytest.raises(package.APIResponseValidationError, match=r"coded|stacks"):
        _use(package, mode, answer, lambda c: c.file.retrieve())
    pdf = httpx.Response(200, content=b"%PDF", headers={"content-type": "application/pdf"})
    _, sent = _use(package, mode, lambda _: pdf, lambda c: c.file.retrieve())
    assert sent[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_deeply_nested_error_body_is_the_status_error(package: ModuleType, mode: str) -> None:
    """Its `RecursionError` (the fallback `response.json()`) came out of the call."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=b"[" * 100_000, headers={"content-type": "text/json"})

    with pytest.raises(package.BadRequestError) as raised:
        _use(package, mode, answer, lambda c: c.file.retrieve())
    assert raised.value.parsed is None


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("charset", ["idna", "undefined", "rot13", "utf-16"])
def test_an_error_body_in_a_charset_that_cannot_decode_it(
    package: ModuleType, mode: str, charset: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": f"text/plain; charset={charset}"}
        return httpx.Response(400, content=b"hello", headers=headers)

    with pytest.raises(package.BadRequestError, match="400") as raised:
        _use(package, mode, answer, lambda c: c.file.retrieve())
    assert isinstance(raised.value.text, str)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_retry_after_past_a_c_long_is_ignored(package: ModuleType, mode: str) -> None:
    """`parsedate_to_datetime`'s `OverflowError` came out of the call."""
    answers = iter(
        [
            httpx.Response(503, headers={"retry-after": "Mon, 01 Jan 99999999999999999999 0"}),
            httpx.Response(200, content=b"%PDF", headers={"content-type": "application/pdf"}),
        ]
    )
    result, sent = _use(
        package,
        mode,
        lambda _: next(answers),
        lambda c: c.with_options(max_retries=1).file.retrieve(),
    )
    assert len(sent) == 2 and result.http_response.content == b"%PDF"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    # a malformed IDNA host (hostile audit 12); a scheme without a host, which httpx's
    # `InvalidURL` refused out of `send` though the redirect is not followed (audit 18)
    "location",
    ["https://xn--/v1/file", "javascript:alert(1)", "data:,x", "https:foo"],
)
def test_a_redirect_httpx_cannot_read_is_a_connection_error(
    package: ModuleType, mode: str, location: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": location})

    with pytest.raises(package.APIConnectionError):
        _use(package, mode, answer, lambda c: c.file.retrieve())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_next_link_to_a_malformed_idna_host_ends_the_pages(
    package: ModuleType, mode: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        link = '<https://xn--/v1/items?page=2>; rel="next"'
        return httpx.Response(200, json=[{"n": 1}], headers={"link": link})

    with pytest.raises(importlib.import_module(f"{package.__name__}._pagination").PaginationError):
        _use(package, mode, answer, lambda c: c.items.list())


@pytest.mark.parametrize("charset", ["idna", "undefined"])
def test_a_file_name_in_a_charset_that_cannot_decode_it_is_none(
    package: ModuleType, charset: str
) -> None:
    headers = {"content-disposition": f"attachment; filename*={charset}''abc"}
    response = package.BinaryResponse(httpx.Response(200, content=b"x", headers=headers))
    assert response.filename is None
    headers["content-disposition"] += '; filename="plain.pdf"'
    response = package.BinaryResponse(httpx.Response(200, content=b"x", headers=headers))
    assert response.filename == "plain.pdf"


def _endless(request: httpx.Request) -> httpx.Response:
    body = Body(*([b'data: {"n": 1}\n\n'] * 3))
    return httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"})


def test_an_async_stream_dropped_unclosed_releases_its_connection(package: ModuleType) -> None:
    """Each held one of the pool's connections for ever (the sync `Stream` released it)."""
    bodies: list[Body] = []

    def answer(request: httpx.Request) -> httpx.Response:
        response = _endless(request)
        assert isinstance(response.stream, Body)
        bodies.append(response.stream)
        return response

    async def run() -> None:
        transport = httpx.MockTransport(answer)
        async with package.AsyncClient(
            key=KEY, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            stream = await client.events.retrieve()
            download = await client.file.retrieve(stream=True)
            del stream, download
            gc.collect()
            await asyncio.sleep(0)  # the scheduled `aclose()` runs

    asyncio.run(run())
    assert [body.closed for body in bodies] == [True, True]


def test_a_download_dropped_unclosed_releases_its_connection(package: ModuleType) -> None:
    bodies: list[Body] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = Body(b"%PDF", b"...")
        bodies.append(body)
        return httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    download = package.Client(key=KEY, http_client=http).file.retrieve(stream=True)
    del download
    gc.collect()
    assert bodies[0].closed


def test_a_spec_file_name_cannot_end_the_readme_s_header_comment(tmp_path: Path) -> None:
    """`x --><img …>.yaml` put raw HTML in README.md and CHANGELOG.md."""
    path = write_spec(tmp_path, SPEC, "x --><img src=x>.json")
    out = tmp_path / "out"
    assert main(["generate", str(path), "--output", str(out), "--package-name", "hostile"]) == 0
    for page in ("README.md", "CHANGELOG.md"):
        first = (out / page).read_text().splitlines()[0]
        assert first.startswith("<!-- ") and first.endswith(" -->"), first
        assert "--" not in first[4:-3] and "<img" in first, first


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_connection_error_names_the_host_and_the_cause(package: ModuleType, mode: str) -> None:
    """`Connection error: ConnectError` named neither (UX audit 10); the key stays out."""

    def answer(request: httpx.Request) -> httpx.Response:
        message = f"[Errno -2] Name or service not known ({request.url})"
        raise httpx.ConnectError(message, request=request)

    with pytest.raises(package.APIConnectionError) as raised:
        _use(package, mode, answer, lambda c: c.with_options(max_retries=0).file.retrieve())
    text = str(raised.value)
    assert "(api.example.test)" in text and "Name or service not known" in text
    assert KEY not in text


def test_spec_text_makes_no_link_or_image_in_the_readme() -> None:
    """`[x](javascript:…)` and `![](https://tracker…)` in a summary or a scheme's
    description rendered in README.md (hostile audit 13)."""
    from generator.filters import mdtext

    shown = mdtext("see [here](javascript:alert(1)) ![x](https://t.example/p.png)")
    assert "[here](" not in shown and "![x](" not in shown and "\\[here\\]" in shown


def test_a_secret_parameter_s_default_is_not_shown(tmp_path: Path) -> None:
    """The docstring said `Default "sk_live_…"` of an `api_key` or `token` parameter."""
    from generator.ir_build import build_api
    from generator.load import load_spec

    parameters = [
        {"name": name, "in": "query", "schema": {"type": "string", "default": f"{name}-SECRET"}}
        for name in ("api_key", "token", "client_secret", "Authorization", "limit")
    ]
    operation = {"operationId": "listThings", "parameters": parameters, "responses": SPEC_204}
    spec = {**SPEC, "paths": {"/things": {"get": operation}}}
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    shown = " ".join(p.description for op in api.operations for p in op.parameters)
    assert "SECRET" not in shown.replace("limit-SECRET", "")
    assert '`"limit-SECRET"`' in shown


SPEC_204 = {"204": {"description": "none"}}


@pytest.mark.parametrize(
    "tail", ["tok-secret-XYZ0123456789abcdef", "4111111111111111"], ids=["token", "card"]
)
def test_a_secret_across_the_cut_of_an_error_message_shows_no_part(tail: str) -> None:
    """Hostile audit 15: the server's message was cut to 500 characters before secrets were
    redacted and card numbers masked: a token or a card number across the cut showed its
    first part in `str(e)`."""
    from generator.runtime.errors import APIStatusError

    request = httpx.Request("POST", "https://api.example.test/items")
    body = {"message": "a" * 490 + tail}
    response = httpx.Response(400, json=body, request=request)
    secrets = ["tok-secret-XYZ0123456789abcdef"]
    error = APIStatusError(response=response, parsed=body, secrets=secrets)
    assert "tok-secret" not in str(error) and "4111111111" not in str(error)
    assert str(error).startswith("400 Bad Request: aaaa")
