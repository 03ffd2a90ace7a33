"""PayPal's OAuth2ClientCredentials on `AsyncClient`: the token request is sent with an
`httpx.AsyncClient` under an asyncio lock, so that a refresh never blocks the event loop
and concurrent calls wait for one token request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from ._support import PAYPAL, Recorder, json_response, success_response

CLIENT_ID = "pp-client-id"
CLIENT_SECRET = "pp-client-SECRET-5e6f7a"


class SlowTokenEndpoint:
    """An async token endpoint that answers only once `release` is set: while it waits,
    the event loop must be free for other tasks."""

    def __init__(self, status: int = 200, expires_in: int = 3600) -> None:
        self.status = status
        self.expires_in = expires_in
        self.requests: list[httpx.Request] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        self.started.set()
        await self.release.wait()
        if self.status != 200:
            return httpx.Response(self.status, json={"error": "invalid_client"})
        token = f"access-SECRET-{len(self.requests)}"
        return httpx.Response(200, json={"access_token": token, "expires_in": self.expires_in})


def refused_sync(request: httpx.Request) -> httpx.Response:
    raise AssertionError("AsyncClient fetched the token with the blocking sync client")


def helper(endpoint: SlowTokenEndpoint, **kwargs: Any) -> Any:
    from paypal_billing_entities import OAuth2ClientCredentials

    return OAuth2ClientCredentials(
        CLIENT_ID,
        CLIENT_SECRET,
        http_client=httpx.Client(transport=httpx.MockTransport(refused_sync)),
        async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(endpoint)),
        **kwargs,
    )


def api_client(credentials: Any, api: Recorder) -> Any:
    from paypal_billing_entities import AsyncClient

    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    return AsyncClient(bearer_auth=None, oauth2=credentials, http_client=http)


def test_concurrent_calls_share_one_token_request_and_the_loop_keeps_running():
    api = Recorder(success_response(PAYPAL))
    progress: list[str] = []

    async def main() -> list[Any]:
        endpoint = SlowTokenEndpoint()
        client = api_client(helper(endpoint), api)

        async def other_task() -> None:
            # runs only if the token request leaves the event loop free
            await endpoint.started.wait()
            progress.append("other task ran while the token request waited")
            endpoint.release.set()

        calls = [client.billing_entities.update("acme-main", name=f"Acme {i}") for i in range(5)]
        results = await asyncio.wait_for(asyncio.gather(other_task(), *calls), timeout=30)
        assert len(endpoint.requests) == 1
        return results

    results = asyncio.run(main())
    assert progress == ["other task ran while the token request waited"]
    assert all(isinstance(r, PAYPAL.models.BillingEntity) for r in results[1:])
    assert [r.headers["Authorization"] for r in api.requests] == ["Bearer access-SECRET-1"] * 5


def test_undocumented_calls_use_the_async_refresh_too():
    api = Recorder(json_response(200, {"ok": True}))

    async def main() -> Any:
        endpoint = SlowTokenEndpoint()
        endpoint.release.set()
        client = api_client(helper(endpoint), api)
        result = await client.get("/reports")
        assert len(endpoint.requests) == 1
        return result

    assert asyncio.run(main()) == {"ok": True}
    assert api.requests[0].headers["Authorization"] == "Bearer access-SECRET-1"


def test_a_refused_request_fetches_no_token():
    api = Recorder(success_response(PAYPAL))

    async def main() -> SlowTokenEndpoint:
        endpoint = SlowTokenEndpoint()
        client = api_client(helper(endpoint), api)
        with pytest.raises(PAYPAL.errors.RequestValidationError):
            await client.billing_entities.update("acme-main", name=123)
        with pytest.raises(PAYPAL.errors.RequestValidationError):
            await client.get("https://evil.test/x")
        return endpoint

    assert asyncio.run(main()).requests == []
    assert api.calls == 0


def test_a_token_endpoint_failure_is_raised_to_every_waiting_call_without_the_secret():
    api = Recorder(success_response(PAYPAL))

    async def main() -> list[Any]:
        endpoint = SlowTokenEndpoint(status=401)
        endpoint.release.set()
        client = api_client(helper(endpoint), api)
        calls = [client.billing_entities.update("acme-main", name="Acme") for _ in range(2)]
        return await asyncio.gather(*calls, return_exceptions=True)

    errors = asyncio.run(main())
    assert all(isinstance(e, PAYPAL.errors.AuthenticationError) for e in errors)
    assert all(CLIENT_SECRET not in str(e) for e in errors)
    assert api.calls == 0


def test_the_helper_works_across_event_loops():
    # an asyncio.Lock belongs to one loop: the helper keeps one a loop
    api = Recorder(success_response(PAYPAL))
    endpoint_holder: list[SlowTokenEndpoint] = []

    async def once(credentials: Any) -> None:
        endpoint_holder[0].release.set()
        client = api_client(credentials, api)
        await client.billing_entities.update("acme-main", name="Acme")

    async def make() -> Any:
        endpoint_holder.append(SlowTokenEndpoint(expires_in=0))  # stale at once: every call
        return helper(endpoint_holder[0])

    credentials = asyncio.run(make())
    asyncio.run(once(credentials))
    asyncio.run(once(credentials))
    assert len(endpoint_holder[0].requests) == 2
