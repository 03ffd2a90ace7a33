"""Hostile audit 16, the runtime (findings 6 to 10), sync and async through
httpx.MockTransport:

- a media type restating the JSON body (XML, text beside it) was asked for in `Accept` and
  returned as a `BinaryResponse` or text from a method typed `-> Balance`, under
  `strict_response_validation` too: the client asks for the JSON only, strict refuses such
  an answer, lenient returns it as received with the warning;
- an unreadable file (a missing path, a directory, a text-mode file, a failing read) in
  `files=` or a multipart body's file raised Python's own exceptions, not an `APIError`;
- a CR LF in a part's content type or headers added header lines to the part;
- an item id `true` used as the `starting_after` cursor went out as `starting_after=True`;
- a `(bytes, bytes)` tuple in `files=` went out as two parts, a file problem of `files=`
  was reported as `extra_body`'s, a negative `retry-after-ms` hid a valid `Retry-After`.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.runtime._retry_after import parse_retry_after, server_wait
from tests.conftest import assert_package_builds, minimal_spec
from tests.pagination_shapes import built_package

NAME = "pkg_audit16_runtime"
MODES = ("sync", "async")
_TEXT = {"type": "string"}
_BALANCE = {"$ref": "#/components/schemas/Balance"}
_ITEM = {"type": "object", "properties": {"id": _TEXT}}

SPEC = minimal_spec(
    {
        "Balance": {
            "type": "object",
            "required": ["value"],
            "properties": {"value": {"type": "number"}},
        },
        "Item": _ITEM,
    },
    {
        "/balance": {
            "get": {
                "operationId": "getBalance",
                "responses": {
                    "200": {
                        "description": "The balance.",
                        "content": {
                            "application/json": {"schema": _BALANCE},
                            "application/xml": {"schema": _BALANCE},
                            "text/plain": {"schema": _BALANCE},
                        },
                    }
                },
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "name": _TEXT,
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "Uploaded."}},
            }
        },
        "/items": {
            "get": {
                "operationId": "listItems",
                "parameters": [
                    {"name": "starting_after", "in": "query", "schema": _TEXT},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "A page.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Item"},
                                        },
                                        "has_more": {"type": "boolean"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
    },
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    for module in built_package(tmp_path_factory, "audit16_runtime", SPEC, NAME):
        assert_package_builds(module)
        yield module


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
        with package.Client(http_client=http, max_retries=0, **options) as client:
            result = act(client)
            return (list(result) if type(result).__name__ == "SyncPage" else result), sent

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with package.AsyncClient(http_client=http, max_retries=0, **options) as client:
            result = act(client)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return await result

    return asyncio.run(main()), sent


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={})


# ---- finding 6: media types restating the JSON body -------------------------------------------


def _answer(media_type: str, content: bytes) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _: httpx.Response(200, headers={"content-type": media_type}, content=content)


@pytest.mark.parametrize("mode", MODES)
def test_restated_media_types_are_not_asked_for(package: ModuleType, mode: str) -> None:
    """The client asks for the JSON only (the method's type); a caller's Accept still wins."""
    _, sent = _use(package, mode, _answer("application/json", b'{"value": 1}'), _balance)
    assert sent[0].headers["accept"] == "application/json"
    _, sent = _use(
        package,
        mode,
        _answer("application/json", b'{"value": 1}'),
        lambda client: client.balance.retrieve(extra_headers={"Accept": "application/xml"}),
    )
    assert sent[0].headers["accept"] == "application/xml"


def _balance(client: Any) -> Any:
    return client.balance.retrieve()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("media_type", "content"),
    [("application/xml", b"<balance><value>1</value></balance>"), ("text/plain", b"one")],
)
def test_a_restated_answer_is_refused_under_strict_validation(
    package: ModuleType, mode: str, media_type: str, content: bytes
) -> None:
    """It was returned as a `BinaryResponse` (or text) from a method typed `-> Balance`."""
    with pytest.raises(package.APIResponseValidationError):
        _use(package, mode, _answer(media_type, content), _balance, strict_response_validation=True)


@pytest.mark.parametrize("mode", MODES)
def test_a_restated_answer_comes_back_as_received_with_the_warning(
    package: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    importlib.import_module(f"{NAME}._lenient")._WARNED.clear()  # (once per operation)
    xml = b"<balance><value>1</value></balance>"
    result, _ = _use(package, mode, _answer("application/xml", xml), _balance)
    assert type(result).__name__ in ("BinaryResponse", "AsyncBinaryResponse")
    assert "GET /balance: response body does not match the spec" in caplog.text
    text, _ = _use(package, mode, _answer("text/plain", b"one"), _balance)
    assert text == "one"
    balance, _ = _use(package, mode, _answer("application/json", b'{"value": 1}'), _balance)
    assert balance.value == 1


# ---- findings 7, 8, 10: files ----------------------------------------------------------------


class _Failing(io.RawIOBase):
    """A file whose read fails, naming a path the error must not show."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise OSError("I/O error reading /home/user/secret-dir/report.pdf")


def _bad_files(tmp_path: Path, opened: list[Any]) -> dict[str, Callable[[], Any]]:
    text = tmp_path / "small.txt"
    text.write_text("hello")

    def text_mode() -> Any:
        opened.append(text.open())
        return opened[-1]

    return {
        "missing path": lambda: tmp_path / "no" / "such.bin",
        "directory": lambda: tmp_path,
        "text-mode file": text_mode,
        "read fails": _Failing,
        "CR LF in the content type": lambda: ("a.txt", b"x", "text/plain\r\nX-Evil: 1"),
        "CR LF in a header": lambda: ("a.txt", b"x", "text/plain", {"X-A": "1\r\nX-Evil: 2"}),
        "LF in a header name": lambda: ("a.txt", b"x", "text/plain", {"X-A\nX-Evil": "2"}),
    }


_CASES = [
    "missing path",
    "directory",
    "text-mode file",
    "read fails",
    "CR LF in the content type",
    "CR LF in a header",
    "LF in a header name",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", _CASES)
def test_an_unsendable_file_is_a_request_validation_error(
    package: ModuleType, mode: str, case: str, tmp_path: Path
) -> None:
    """In `files=` and in a documented multipart body's file field: the package's error
    naming the field, chaining nothing (the path, a read error naming it), and no part with
    an extra header line goes out."""
    opened: list[Any] = []
    make = _bad_files(tmp_path, opened)[case]
    calls: list[tuple[tuple[str, str], Callable[[Any], Any]]] = [
        (("files", "f"), lambda client: client.post("/up", files={"f": make()})),
        (("body", "file"), lambda client: client.upload.create(file=make())),
    ]
    for where, call in calls:
        sent: list[httpx.Request] = []
        with pytest.raises(package.RequestValidationError) as caught:
            _, sent = _use(package, mode, _ok, call)
        error = caught.value
        assert error.__cause__ is None
        assert error.__context__ is None or not isinstance(error.__context__, OSError)
        assert "secret-dir" not in str(error) and str(tmp_path) not in str(error)
        assert where[-1] in [str(part) for e in error.errors() for part in e["loc"]], case
        if case != "read fails":
            assert tuple(error.errors()[0]["loc"]) == where, case
        assert not any(b"X-Evil" in request.content for request in sent)
    for file in opened:
        file.close()


@pytest.mark.parametrize("mode", MODES)
def test_a_tuple_of_bytes_is_one_file_not_two(package: ModuleType, mode: str) -> None:
    """`(b"a.txt", b"x")` went out as two parts named `f`: a tuple is one file (whose name
    must be text), several files a list."""
    with pytest.raises(package.RequestValidationError) as caught:
        _use(package, mode, _ok, lambda client: client.post("/up", files={"f": (b"a.txt", b"x")}))
    assert caught.value.errors()[0]["loc"] == ("files", "f")
    _, sent = _use(
        package, mode, _ok, lambda client: client.post("/up", files={"f": [b"one", b"two"]})
    )
    assert sent[0].content.count(b'form-data; name="f"') == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_files_problem_is_named_files(package: ModuleType, mode: str) -> None:
    """A field name that is a lone surrogate was "extra_body: a value that cannot be sent
    as JSON"."""
    with pytest.raises(package.RequestValidationError) as caught:
        _use(package, mode, _ok, lambda client: client.post("/up", files={"\ud800": b"x"}))
    assert [e["loc"] for e in caught.value.errors()] == [("files",)]
    assert "extra_body" not in str(caught.value)


# ---- finding 9: a cursor that is no text or number -------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("last_id", [True, {"a": "1"}, [1]])
def test_a_cursor_that_is_no_text_or_number_stops_the_list(
    package: ModuleType, mode: str, last_id: Any
) -> None:
    """An item id `true` went out as `starting_after=True` (and an object was refused as the
    caller's own argument): `PaginationError`, as a token that is none."""
    pages = [
        httpx.Response(200, json={"data": [{"id": "a"}, {"id": last_id}], "has_more": True}),
        httpx.Response(200, json={"data": [], "has_more": False}),
    ]
    with pytest.raises(package.APIError, match="cursor") as caught:
        _use(package, mode, lambda _: pages.pop(0), lambda client: client.items.list())
    assert type(caught.value).__name__ == "PaginationError"


@pytest.mark.parametrize("mode", MODES)
def test_a_text_cursor_still_pages(package: ModuleType, mode: str) -> None:
    pages = [
        httpx.Response(200, json={"data": [{"id": "a"}], "has_more": True}),
        httpx.Response(200, json={"data": [{"id": "b"}], "has_more": False}),
    ]
    items, sent = _use(package, mode, lambda _: pages.pop(0), lambda client: client.items.list())
    assert [item.id for item in items] == ["a", "b"]
    assert sent[1].url.params["starting_after"] == "a"


# ---- finding 10: retry-after-ms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "-1", "retry-after": "30"}, 30.0),  # it hid the valid Retry-After
        ({"retry-after-ms": "1e12", "retry-after": "30"}, 30.0),  # past a day: no wait
        ({"retry-after-ms": "nan", "retry-after": "30"}, 30.0),
        ({"retry-after-ms": "1500", "retry-after": "30"}, 1.5),  # a usable one still wins
        ({"retry-after-ms": "-1"}, None),
    ],
)
def test_an_unusable_retry_after_ms_gives_way_to_retry_after(
    headers: dict[str, str], expected: float | None
) -> None:
    assert parse_retry_after(headers) == expected
    assert server_wait(503, headers) == expected
