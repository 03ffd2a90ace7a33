"""Request and response hooks: httpx's `event_hooks`, given to the client (`event_hooks=`)
or to the user's own `http_client=`; they fire on every attempt of generated methods and of
calls to undocumented endpoints, sync and async, and credentials stay out of the logs."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ._support import (
    IDEMPOTENT,
    PACKAGES,
    PAYPAL,
    ROOT,
    Recorder,
    error_response,
    json_response,
    make_client,
    mode_param,
    pkg_param,
    success_response,
)

app_log = logging.getLogger("app.http")


def hooks(mode: str, seen: list[str], *, tag: bool = False) -> dict[str, list[Callable[..., Any]]]:
    """A request and a response hook that record what they see, as a user's would (a
    logging line of method, path and status: never headers or the query)."""

    def on_request(request: httpx.Request) -> None:
        seen.append(f"request {request.method} {request.url.path}")
        app_log.info("-> %s %s", request.method, request.url.path)
        if tag:
            request.headers["X-Trace-Id"] = "trace-1"

    def on_response(response: httpx.Response) -> None:
        seen.append(f"response {response.status_code}")
        app_log.info("<- %s", response.status_code)

    if mode == "sync":
        return {"request": [on_request], "response": [on_response]}

    async def on_request_async(request: httpx.Request) -> None:
        on_request(request)

    async def on_response_async(response: httpx.Response) -> None:
        on_response(response)

    return {"request": [on_request_async], "response": [on_response_async]}


def with_hooks(pkg: Any, mode: str, handler: Any, event_hooks: Any, invoke: Any) -> Any:
    """`invoke(client)` on a client the package builds itself, given `event_hooks=` (its
    transport swapped for the mock one, so that no request leaves the test)."""
    if mode == "sync":
        client = pkg.module.Client(event_hooks=event_hooks, **pkg.auth)
        client._http._transport = httpx.MockTransport(handler)
        return invoke(client)

    async def main() -> Any:
        client = pkg.module.AsyncClient(event_hooks=event_hooks, **pkg.auth)
        client._http._transport = httpx.MockTransport(handler)
        return await invoke(client)

    return asyncio.run(main())


def generated(pkg: Any) -> Callable[[Any], Any]:
    def invoke(client: Any) -> Any:
        target = client
        for part in pkg.op.split("."):
            target = getattr(target, part)
        return target(**pkg.op_kwargs())

    return invoke


@mode_param
@pytest.mark.parametrize("pkg", IDEMPOTENT, ids=str)
def test_event_hooks_fire_on_every_attempt_of_a_generated_method(pkg, mode):
    seen: list[str] = []
    recorder = Recorder(error_response(pkg, 503), success_response(pkg))
    with_hooks(pkg, mode, recorder, hooks(mode, seen, tag=True), generated(pkg))
    path = recorder.requests[0].url.path
    method = recorder.requests[0].method
    attempt = f"request {method} {path}"
    assert seen == [attempt, "response 503", attempt, "response 200"]
    assert [r.headers["X-Trace-Id"] for r in recorder.requests] == ["trace-1", "trace-1"]


@mode_param
@pkg_param
def test_hooks_of_the_users_own_http_client_fire(pkg, mode):
    seen: list[str] = []
    recorder = Recorder(success_response(pkg))
    transport = httpx.MockTransport(recorder)
    if mode == "sync":
        http = httpx.Client(transport=transport, event_hooks=hooks(mode, seen))
        invoke = generated(pkg)
        invoke(make_client(pkg, mode, http))
    else:

        async def main() -> None:
            http = httpx.AsyncClient(transport=transport, event_hooks=hooks(mode, seen))
            await generated(pkg)(make_client(pkg, mode, http))

        asyncio.run(main())
    assert [s.split()[0] for s in seen] == ["request", "response"]


@mode_param
def test_hooks_fire_on_calls_to_undocumented_endpoints(mode):
    seen: list[str] = []
    recorder = Recorder(json_response(200, {"ok": True}))
    result = with_hooks(PAYPAL, mode, recorder, hooks(mode, seen), lambda c: c.get("/reports"))
    assert result == {"ok": True}
    assert seen == ["request GET /v1/commerce/billing/reports", "response 200"]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_event_hooks_and_an_http_client_together_are_refused(mode):
    http = httpx.Client() if mode == "sync" else httpx.AsyncClient()
    cls = PAYPAL.module.Client if mode == "sync" else PAYPAL.module.AsyncClient
    with pytest.raises(ValueError, match="event_hooks"):
        cls(http_client=http, event_hooks={"request": []}, **PAYPAL.auth)


@mode_param
@pkg_param
def test_credentials_stay_out_of_the_logs_with_hooks(pkg, mode, caplog):
    seen: list[str] = []
    retried = (error_response(pkg, 503),) if pkg.idempotent else ()
    recorder = Recorder(*retried, success_response(pkg))
    with caplog.at_level(logging.DEBUG):
        with_hooks(pkg, mode, recorder, hooks(mode, seen), generated(pkg))
    assert len(seen) == 2 * recorder.calls
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert any(r.name == "app.http" for r in caplog.records)
    assert any(r.name == pkg.name for r in caplog.records)
    for secret in (str(v) for v in pkg.auth.values()):
        if "SECRET" in secret:
            assert secret not in logged


@mode_param
def test_a_query_credential_is_redacted_in_the_packages_log_while_hooks_run(mode, caplog):
    import kitchen_sink_31

    recorder = Recorder(json_response(200, 1.5))
    seen_urls: list[str] = []
    seen_reprs: list[str] = []

    def on_request(request: httpx.Request) -> None:
        seen_urls.append(str(request.url))
        seen_reprs.append(repr(request.url))
        request.url = httpx.URL(str(request.url))  # (a hook may give it another: equal here)
        seen_reprs.append(repr(request))

    async def on_request_async(request: httpx.Request) -> None:
        on_request(request)

    event_hooks = {"request": [on_request if mode == "sync" else on_request_async]}
    options = {"api_key_query": "query-SECRET-1", "event_hooks": event_hooks}
    circle = kitchen_sink_31.models.Circle(shape="circle", radius=1.0)
    with caplog.at_level(logging.DEBUG, logger="kitchen_sink_31"):
        if mode == "sync":
            client = kitchen_sink_31.Client(**options)
            client._http._transport = httpx.MockTransport(recorder)
            client.shapes.create(body=circle)
        else:

            async def main() -> None:
                client = kitchen_sink_31.AsyncClient(**options)
                client._http._transport = httpx.MockTransport(recorder)
                await client.shapes.create(body=circle)

            asyncio.run(main())
    # the hook sees the request as sent (its credential included: log the path, not the URL)
    assert "api_key=query-SECRET-1" in seen_urls[0]
    # its repr, and its URL's, as the logs show it (an error tracker's locals showed the key)
    shown = " ".join(seen_reprs)
    assert "api_key=%5Bredacted%5D" in shown and "query-SECRET-1" not in shown
    assert "api_key=%5Bredacted%5D" in caplog.text or "[redacted]" in caplog.text
    assert "query-SECRET-1" not in caplog.text


def test_every_client_takes_event_hooks():
    for pkg in PACKAGES:
        for cls in (pkg.module.Client, pkg.module.AsyncClient):
            assert "event_hooks" in cls.__init__.__code__.co_varnames


def test_the_readme_hooks_example_runs_and_its_hooks_fire(caplog):
    readme = (ROOT / "generated" / PAYPAL.name / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Undocumented endpoints, extra fields, hooks", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example is not None
    namespace: dict[str, Any] = {}
    exec(compile(example.group(1), "README.md", "exec"), namespace)
    client = namespace["client"]
    recorder = Recorder(success_response(PAYPAL))
    client._http._transport = httpx.MockTransport(recorder)
    client._credentials["bearerAuth"] = "pp-token-SECRET-91bc"
    with caplog.at_level(logging.INFO, logger="app.http"):
        generated(PAYPAL)(client)
    assert [r.getMessage() for r in caplog.records if r.name == "app.http"] == [
        "-> PUT /v1/commerce/billing/billing-entities/acme-main",
        "<- 200 /v1/commerce/billing/billing-entities/acme-main",
    ]
