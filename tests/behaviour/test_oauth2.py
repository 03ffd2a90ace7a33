"""PayPal's OAuth2ClientCredentials helper against a MockTransport token endpoint (the
async refresh, which must not block the event loop: `test_oauth2_async.py`)."""

from __future__ import annotations

import base64
import logging
import time as _real_time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from ._support import PAYPAL, Recorder, mode_param, run, success_response

CLIENT_ID = "pp-client-id"
CLIENT_SECRET = "pp-client-SECRET-5e6f7a"


class FakeClock:
    """Stands in for the `time` module inside `_client_credentials`: a monotonic clock the
    test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def __getattr__(self, name: str) -> Any:
        return getattr(_real_time, name)


class TokenEndpoint:
    def __init__(self, expires_in: Any = 3600, status: int = 200) -> None:
        self.expires_in = expires_in
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(
                self.status,
                json={
                    "error": "invalid_client",
                    "error_description": "Client Authentication failed",
                },
            )
        payload: dict[str, Any] = {
            "access_token": f"access-SECRET-{len(self.requests)}",
            "token_type": "Bearer",
        }
        if self.expires_in is not None:
            payload["expires_in"] = self.expires_in
        return httpx.Response(200, json=payload)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    import paypal_billing_entities._client_credentials as flow

    fake = FakeClock()
    monkeypatch.setattr(flow, "time", fake)
    return fake


def helper(endpoint: TokenEndpoint, **kwargs: Any) -> Any:
    from paypal_billing_entities import OAuth2ClientCredentials

    transport = httpx.MockTransport(endpoint)
    return OAuth2ClientCredentials(
        CLIENT_ID,
        CLIENT_SECRET,
        http_client=httpx.Client(transport=transport),
        async_http_client=httpx.AsyncClient(transport=transport),
        **kwargs,
    )


@mode_param
def test_token_fetched_once_and_cached(mode, clock):
    endpoint = TokenEndpoint(expires_in=3600)
    credentials = helper(endpoint, token_url="https://auth.example.test/v1/oauth2/token")
    api = Recorder(success_response(PAYPAL))
    run(PAYPAL, mode, api, client_kwargs={"bearer_auth": None, "oauth2": credentials}, calls=3)

    assert len(endpoint.requests) == 1
    token_request = endpoint.requests[0]
    assert token_request.method == "POST"
    assert str(token_request.url) == "https://auth.example.test/v1/oauth2/token"
    expected_basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["Authorization"] == f"Basic {expected_basic}"
    assert parse_qs(token_request.content.decode())["grant_type"] == ["client_credentials"]
    assert [r.headers["Authorization"] for r in api.requests] == ["Bearer access-SECRET-1"] * 3


@mode_param
def test_token_refreshed_after_expiry(mode, clock):
    endpoint = TokenEndpoint(expires_in=300)
    credentials = helper(endpoint, leeway=30.0)
    api = Recorder(success_response(PAYPAL))
    kwargs = {"bearer_auth": None, "oauth2": credentials}

    run(PAYPAL, mode, api, client_kwargs=kwargs)
    clock.now += 200  # still valid (expires at +300, refreshed from +270)
    run(PAYPAL, mode, api, client_kwargs=kwargs)
    assert len(endpoint.requests) == 1
    clock.now += 80  # +280: inside the leeway window -> refresh
    run(PAYPAL, mode, api, client_kwargs=kwargs)
    assert len(endpoint.requests) == 2
    run(PAYPAL, mode, api, client_kwargs=kwargs)
    assert len(endpoint.requests) == 2
    assert [r.headers["Authorization"] for r in api.requests] == [
        "Bearer access-SECRET-1",
        "Bearer access-SECRET-1",
        "Bearer access-SECRET-2",
        "Bearer access-SECRET-2",
    ]


@mode_param
def test_a_token_shorter_lived_than_the_leeway_is_kept_half_its_life(mode, clock):
    # (the default 60 s leeway made a 60 s token stale as soon as fetched: every call fetched
    # another; payments audit 21)
    endpoint = TokenEndpoint(expires_in=40)
    credentials = helper(endpoint)  # leeway: 60 s
    api = Recorder(success_response(PAYPAL))
    kwargs = {"bearer_auth": None, "oauth2": credentials}
    run(PAYPAL, mode, api, client_kwargs=kwargs, calls=2)
    assert len(endpoint.requests) == 1
    clock.now += 21  # past half of its 40 s
    run(PAYPAL, mode, api, client_kwargs=kwargs)
    assert len(endpoint.requests) == 2


@mode_param
def test_token_with_zero_lifetime_is_fetched_every_time(mode):
    endpoint = TokenEndpoint(expires_in=0)
    credentials = helper(endpoint, leeway=0.0)
    api = Recorder(success_response(PAYPAL))
    run(PAYPAL, mode, api, client_kwargs={"bearer_auth": None, "oauth2": credentials}, calls=2)
    assert len(endpoint.requests) == 2
    assert [r.headers["Authorization"] for r in api.requests] == [
        "Bearer access-SECRET-1",
        "Bearer access-SECRET-2",
    ]


def test_scope_is_sent_when_given(clock):
    endpoint = TokenEndpoint()
    credentials = helper(endpoint, scope="https://uri.paypal.com/services/billing")
    assert credentials() == "access-SECRET-1"
    form = parse_qs(endpoint.requests[0].content.decode())
    assert form["scope"] == ["https://uri.paypal.com/services/billing"]


@mode_param
def test_client_secret_and_token_never_leak(mode, clock, caplog):
    endpoint = TokenEndpoint()
    credentials = helper(endpoint)
    api = Recorder(success_response(PAYPAL))
    with caplog.at_level(logging.DEBUG, logger="paypal_billing_entities"):
        run(PAYPAL, mode, api, client_kwargs={"bearer_auth": None, "oauth2": credentials})
    assert CLIENT_SECRET not in repr(credentials)
    assert "access-SECRET" not in repr(credentials)
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert CLIENT_SECRET not in text
    assert "access-SECRET" not in text

    from paypal_billing_entities import Client

    client = Client(
        oauth2=credentials, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )
    assert CLIENT_SECRET not in repr(client)
    assert "access-SECRET" not in repr(client)


def test_token_endpoint_failure_raises_api_error_without_the_secret(clock):
    from paypal_billing_entities import errors

    credentials = helper(TokenEndpoint(status=401))
    with pytest.raises(errors.APIError) as info:
        credentials()
    assert isinstance(info.value, errors.AuthenticationError)
    assert info.value.status_code == 401
    for text in (str(info.value), repr(info.value)):
        assert CLIENT_SECRET not in text
    assert "Client Authentication failed" in str(info.value)
    # said: Velo's wrong token URL surfaced as the operation's own 404 (UX audit 8)
    assert str(info.value).startswith("the token request to https://")


def test_a_token_urls_user_info_and_query_stay_out_of_reprs_and_errors(clock):
    """Hostile audit 11: the token request's error (new) and the helper's repr showed a
    password written into the token URL, and its query."""
    from paypal_billing_entities import errors

    url = "https://svc:PASSWORD@auth.example.test/token?key=QUERYKEY"
    credentials = helper(TokenEndpoint(status=400), token_url=url)
    with pytest.raises(errors.APIError) as info:
        credentials()
    for text in (str(info.value), repr(credentials)):
        assert "PASSWORD" not in text and "QUERYKEY" not in text
        assert "https://auth.example.test/token" in text


def test_token_request_asks_for_json(clock):
    endpoint = TokenEndpoint()
    credentials = helper(endpoint)
    credentials()
    assert endpoint.requests[0].headers["Accept"] == "application/json"
