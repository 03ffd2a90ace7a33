"""Query parameters that carry the caller's credential (`generator/overlay_query.py`): the
client's argument, else its variable, sent on every call declaring them and redacted (UX
audit 13: Vonage's `api_key`/`api_secret`, Weatherbit's `key`, Trello's `key`/`token`)."""

from __future__ import annotations

import inspect
import io
import logging
from typing import Any

import httpx
import pytest

from generator.overlay_query import names_query_credential, query_credentials_overlay
from tests.conftest import BuildPackage, minimal_spec, recording


def _query(name: str, required: bool = True, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": {"type": kind}}


_DONE = {"200": {"description": "ok"}, "401": {"description": "refused"}}


def _echo(request: httpx.Request) -> httpx.Response:
    """A 401 echoing the query, as servers do."""
    return httpx.Response(401, json={"message": f"bad credentials: {request.url.query!r}"})


def test_a_credential_query_every_operation_requires_is_the_clients(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weatherbit declares no scheme and a required query `key` on each of its 47
    operations: it was a required argument of every method, with nothing on the client.
    It is the client's now (`key=`, `$<PKG>_KEY`), sent on each call, redacted from the
    error and the logs; a call's own `key=` still wins. A page token, a lookup key required
    by few operations and an integer `key` stay the call's."""
    paths: dict[str, Any] = {
        f"/things{n}": {
            "get": {
                "operationId": f"getThing{n}",
                "parameters": [_query("key"), _query("pageToken"), _query("lat", kind="number")],
                "responses": _DONE,
            }
        }
        for n in range(4)
    }
    paths["/things0"]["get"]["parameters"].append(_query("sort_key"))
    package = build_package(minimal_spec(paths=paths))
    arguments = inspect.signature(package.Client).parameters
    assert "key" in arguments and "page_token" not in arguments and "sort_key" not in arguments
    retrieve = inspect.signature(package.Client(key="k").things1.retrieve).parameters
    assert retrieve["key"].default is None  # optional: the client's unless given
    assert retrieve["page_token"].default is inspect.Parameter.empty

    http, sent = recording(_echo)
    client = package.Client(key="wb-SECRET-1", http_client=http)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("httpx")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with pytest.raises(package.APIStatusError) as info:
            client.things1.retrieve(page_token="p", lat=1.5)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert sent[-1].url.params["key"] == "wb-SECRET-1"
    assert "wb-SECRET-1" not in str(info.value)
    assert "wb-SECRET-1" not in stream.getvalue() and "HTTP Request" in stream.getvalue()
    assert "wb-SECRET-1" not in repr(client)
    with pytest.raises(package.APIStatusError):
        client.things0.retrieve(page_token="p", lat=1, sort_key="s", key="wb-CALL")
    assert sent[-1].url.params.get_list("key") == ["wb-CALL"]
    monkeypatch.setenv(f"{package.__name__.upper()}_KEY", "wb-ENV")
    with pytest.raises(package.APIStatusError):
        package.Client(http_client=http).things2.retrieve(page_token="p", lat=1)
    assert sent[-1].url.params["key"] == "wb-ENV"


def test_vonage_s_query_pair_is_the_clients_beside_its_basic_scheme(
    build_package: BuildPackage,
) -> None:
    """Vonage's account.json: basic auth on its secrets API, and required query `api_key`
    and `api_secret` on the 4 balance operations no scheme covers: `get_account()` was a
    TypeError with the key and secret configured (UX audit 13 finding 5). The pair is the
    client's; the secrets API still sends Basic, and no query pair."""
    pair = [_query("api_key"), _query("api_secret")]
    paths: dict[str, Any] = {
        f"/balance{n}": {"get": {"operationId": f"op{n}", "parameters": pair, "responses": _DONE}}
        for n in range(4)
    }
    paths["/secrets/{id}"] = {
        "get": {
            "operationId": "getSecret",
            "security": [{"basicAuth": []}],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "responses": _DONE,
        }
    }
    spec = minimal_spec(
        paths=paths, security_schemes={"basicAuth": {"type": "http", "scheme": "basic"}}
    )
    del spec["security"]
    package = build_package(spec)
    assert {"basic_auth", "api_key", "api_secret"} <= set(
        inspect.signature(package.Client).parameters
    )
    http, sent = recording()
    client = package.Client(basic_auth="k:s", api_key="k", api_secret="s-SECRET", http_client=http)
    client.balance0.retrieve()
    client.secrets.retrieve("k")
    assert dict(sent[0].url.params) == {"api_key": "k", "api_secret": "s-SECRET"}
    assert "authorization" not in sent[0].headers
    assert not sent[1].url.params and sent[1].headers["authorization"].startswith("Basic ")


def test_trello_s_two_declared_query_keys_are_required_together(
    build_package: BuildPackage,
) -> None:
    """Trello declares `api_key` (query `key`) and `api_token` (query `token`), requires
    neither, and every operation requires both parameters: read as alternatives, neither
    was supplied by the client, so each method required `key=` and `token=`. Both schemes
    are required together where the operation requires both."""
    schemes = {
        "api_key": {"type": "apiKey", "in": "query", "name": "key"},
        "api_token": {"type": "apiKey", "in": "query", "name": "token"},
    }
    both = [_query("key"), _query("token")]
    paths = {
        f"/boards{n}": {"get": {"operationId": f"board{n}", "parameters": both, "responses": _DONE}}
        for n in range(3)
    }
    spec = minimal_spec(paths=paths, security_schemes=schemes)
    del spec["security"]
    package = build_package(spec)
    http, sent = recording()
    package.Client(api_key="K", api_token="T", http_client=http).boards1.retrieve()
    assert sent[0].url.params.get_list("key") == ["K"]
    assert sent[0].url.params.get_list("token") == ["T"]


def test_the_overlay_leaves_lookup_keys_and_few_operations_alone() -> None:
    """A `key` few operations require is a lookup key (a cache's, a translation's); one
    secured operation among many declaring no credential does not make a majority."""
    paths: dict[str, Any] = {
        f"/p{n}": {"get": {"responses": _DONE, "parameters": [_query("key")] if n < 2 else []}}
        for n in range(5)
    }
    spec = minimal_spec(paths=paths)
    assert query_credentials_overlay(spec) is spec
    spec["paths"]["/p0"]["get"]["parameters"] = [_query("key", kind="integer")]
    spec["paths"]["/p1"]["get"]["parameters"] = [_query("key", kind="integer")]
    assert query_credentials_overlay(spec) is spec


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("key", True),
        ("api_key", True),
        ("apiKey", True),
        ("api_secret", True),
        ("token", True),
        ("access_token", True),
        ("authtoken", True),
        ("secretKey", True),
        ("subscription-key", True),
        ("pageToken", False),
        ("next_token", False),
        ("configuration_token", False),
        ("api_sig", False),
        ("idempotency_key", False),
        ("sort_key", False),
        ("keyword", False),
    ],
)
def test_which_query_names_say_credential(name: str, credential: bool) -> None:
    assert names_query_credential(name) is credential
