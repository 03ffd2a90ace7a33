"""The connection pool: a client made without `http_client=` makes its httpx client at the
first request (so `Client()` costs no TLS setup), shares it with `with_options` copies,
closes it, and refuses requests once closed, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from ._support import PAYPAL, Recorder, json_response, mode_param


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every httpx client the package makes, each sending to a recorder."""
    found: list[Any] = []
    recorder = Recorder(json_response(200, {"ok": True}))

    class Sync(httpx.Client):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(transport=httpx.MockTransport(recorder), **kwargs)
            found.append(self)

    class Async(httpx.AsyncClient):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(transport=httpx.MockTransport(recorder), **kwargs)
            found.append(self)

    monkeypatch.setattr(httpx, "Client", Sync)
    monkeypatch.setattr(httpx, "AsyncClient", Async)
    return found


@mode_param
def test_the_httpx_client_is_made_at_the_first_request_and_shared(
    made: list[Any], mode: str
) -> None:
    cls = PAYPAL.module.Client if mode == "sync" else PAYPAL.module.AsyncClient
    client = cls(**PAYPAL.auth)
    copy = client.with_options(max_retries=0)
    assert made == []  # constructing the clients made none

    async def calls() -> None:
        await client.get("/a")
        await copy.get("/b")
        await copy.aclose()  # a copy never closes the pool it shares
        await client.get("/c")
        await client.aclose()

    if mode == "sync":
        client.get("/a")
        copy.get("/b")
        copy.close()
        client.get("/c")
        client.close()
    else:
        asyncio.run(calls())
    assert len(made) == 1 and made[0].is_closed
    with pytest.raises(RuntimeError, match="closed"):
        if mode == "sync":
            client.get("/d")
        else:
            asyncio.run(client.get("/d"))
    assert len(made) == 1


@mode_param
def test_a_client_closed_before_any_request_makes_none_after(made: list[Any], mode: str) -> None:
    cls = PAYPAL.module.Client if mode == "sync" else PAYPAL.module.AsyncClient
    client = cls(**PAYPAL.auth)
    if mode == "sync":
        client.close()
    else:
        asyncio.run(client.aclose())
    # an APIError of the package, as the README says every error is (a bare RuntimeError was)
    with pytest.raises(PAYPAL.module.APIError, match="closed"):
        if mode == "sync":
            client.get("/a")
        else:
            asyncio.run(client.get("/a"))
    assert made == []
