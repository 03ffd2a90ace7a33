"""`client.get/post/put/patch/delete/request(path, ...)`: endpoints the spec does not
document, called with the generated methods' credentials, retries, redirect rule, size
limit and errors, sync and async."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from typing import Any

import httpx
import pytest

from ._support import (
    ABILLITY,
    PACKAGES,
    PAYPAL,
    Recorder,
    auth_headers,
    call,
    json_response,
    mode_param,
    pkg_param,
    run,
    success_response,
)

ENTITY = {"name": "Acme Billing", "code": "acme-main", "default_currency": "USD"}


def base_url(pkg: Any) -> str:
    return str(pkg.module.Client(**pkg.auth).base_url)


@mode_param
@pkg_param
def test_get_sends_what_a_generated_method_sends(pkg, mode):
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder)
    documented = recorder.requests[0]
    recorder = Recorder(json_response(200, {"items": [1, 2]}))
    result = call(
        pkg,
        mode,
        recorder,
        lambda c: c.get("/reports/usage", query={"limit": 3, "tags": ["a", "b"], "skip": None}),
    )
    assert result == {"items": [1, 2]}
    sent = recorder.requests[0]
    assert sent.method == "GET"
    assert str(sent.url) == base_url(pkg) + "/reports/usage?limit=3&tags=a&tags=b"
    names = auth_headers(pkg)
    assert names and all(sent.headers[n] == documented.headers[n] for n in names)
    assert sent.headers["User-Agent"] == documented.headers["User-Agent"]


@mode_param
@pytest.mark.parametrize("verb", ["get", "post", "put", "patch", "delete"])
def test_every_verb_sends_its_method_and_json_body(verb, mode):
    recorder = Recorder(json_response(200, {"ok": True}))
    body = {
        "name": "x",
        "when": dt.date(2025, 4, 25),
        "entity": PAYPAL.models.BillingEntity(**ENTITY),
    }
    result = call(PAYPAL, mode, recorder, lambda c: getattr(c, verb)("things/1", body=body))
    assert result == {"ok": True}
    sent = recorder.requests[0]
    assert sent.method == verb.upper()
    assert sent.url.path == "/v1/commerce/billing/things/1"  # relative to the base URL's path
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.content) == {"name": "x", "when": "2025-04-25", "entity": ENTITY}


@mode_param
def test_request_takes_any_method_and_bytes_are_sent_as_they_are(mode):
    recorder = Recorder(httpx.Response(204))
    result = call(
        PAYPAL,
        mode,
        recorder,
        lambda c: c.request("purge", "/cache", body=b"\x00\x01", headers={"X-Mode": "all"}),
    )
    assert result is None
    sent = recorder.requests[0]
    assert sent.method == "PURGE"
    assert sent.content == b"\x00\x01"
    assert sent.headers["Content-Type"] == "application/octet-stream"
    assert sent.headers["X-Mode"] == "all"


@mode_param
def test_cast_to_a_model_a_type_text_or_the_response(mode):
    models = PAYPAL.models
    recorder = Recorder(json_response(200, ENTITY))
    entity = call(
        PAYPAL, mode, recorder, lambda c: c.get("/billing-entities/x", cast_to=models.BillingEntity)
    )
    assert isinstance(entity, models.BillingEntity) and entity.code == "acme-main"
    codes = call(PAYPAL, mode, recorder, lambda c: c.get("/x", cast_to=dict[str, str]))
    assert codes == ENTITY
    text = call(PAYPAL, mode, recorder, lambda c: c.get("/x", cast_to=str))
    assert json.loads(text) == ENTITY
    response = call(PAYPAL, mode, recorder, lambda c: c.get("/x", cast_to=httpx.Response))
    assert isinstance(response, httpx.Response) and response.json() == ENTITY
    plain = Recorder(httpx.Response(200, text="pong", headers={"Content-Type": "text/plain"}))
    assert call(PAYPAL, mode, plain, lambda c: c.get("/ping")) == "pong"


@mode_param
def test_a_body_not_matching_cast_to_is_lenient_unless_strict(mode, caplog):
    """Undocumented calls follow the client's response strictness like generated methods."""
    model = PAYPAL.models.BillingEntity
    recorder = Recorder(json_response(200, {"code": 5}))
    with caplog.at_level(logging.WARNING):
        # the warning is once per operation: a path of its own for each mode
        entity = call(PAYPAL, mode, recorder, lambda c: c.get(f"/lenient-{mode}", cast_to=model))
    assert isinstance(entity, model) and entity.code == 5
    assert "does not match the spec" in caplog.text
    recorder = Recorder(json_response(200, {"code": 5}))
    with pytest.raises(PAYPAL.errors.APIResponseValidationError):
        call(
            PAYPAL,
            mode,
            recorder,
            lambda c: c.get("/x", cast_to=model),
            strict_response_validation=True,
        )


@mode_param
@pkg_param
def test_errors_are_the_packages_typed_errors_without_secrets(pkg, mode):
    recorder = Recorder(json_response(404, {"message": "no such report"}))
    with pytest.raises(pkg.errors.NotFoundError) as info:
        call(pkg, mode, recorder, lambda c: c.post("/reports", body={"a": 1}))
    assert info.value.status_code == 404
    assert info.value.parsed == {"message": "no such report"}
    for secret in (v for v in pkg.auth.values() if "SECRET" in str(v)):
        assert secret not in str(info.value) and secret not in repr(info.value)


@mode_param
@pytest.mark.parametrize("verb", ["get", "put", "delete"])
def test_idempotent_verbs_are_retried(verb, mode, sleeps):
    recorder = Recorder(json_response(503, {}), json_response(503, {}), json_response(200, {}))
    call(PAYPAL, mode, recorder, lambda c: getattr(c, verb)("/x"))
    assert recorder.calls == 3 and len(sleeps) == 2


@mode_param
@pytest.mark.parametrize("verb", ["post", "patch"])
def test_post_and_patch_are_retried_only_with_an_idempotency_key(verb, mode):
    recorder = Recorder(json_response(503, {}), json_response(200, {"ok": 1}))
    with pytest.raises(PAYPAL.errors.InternalServerError):
        call(PAYPAL, mode, recorder, lambda c: getattr(c, verb)("/x", body={}))
    assert recorder.calls == 1
    recorder = Recorder(json_response(503, {}), json_response(200, {"ok": 1}))
    invoke = lambda c: getattr(c, verb)("/x", body={}, idempotency_key="key-1")  # noqa: E731
    assert call(PAYPAL, mode, recorder, invoke) == {"ok": 1}
    assert recorder.calls == 2
    assert [r.headers["Idempotency-Key"] for r in recorder.requests] == ["key-1", "key-1"]


@mode_param
def test_redirects_carry_credentials_within_the_origin_only(mode):
    """Within the API's origin a redirect is the same request; to another origin (a
    download on a CDN, a signed storage link) a GET is followed bare: no credential,
    cookie or body leaves the API. Another method is not followed there."""
    origin = base_url(PAYPAL)
    recorder = Recorder(
        httpx.Response(302, headers={"Location": origin + "/moved"}), json_response(200, [1])
    )
    assert call(PAYPAL, mode, recorder, lambda c: c.get("/old")) == [1]
    assert recorder.requests[1].url.path.endswith("/moved")
    assert recorder.requests[1].headers["Authorization"] == "Bearer pp-token-SECRET-91bc"
    away = Recorder(
        httpx.Response(302, headers={"Location": "https://cdn.test/file?sig=s"}),
        json_response(200, [2]),
    )
    assert call(PAYPAL, mode, away, lambda c: c.get("/old")) == [2]
    followed = away.requests[1]
    assert str(followed.url) == "https://cdn.test/file?sig=s"
    assert "pp-token-SECRET-91bc" not in str(followed.headers) + str(followed.url)
    assert set(followed.headers) <= {"host", "accept", "accept-encoding", "user-agent"}
    posted = Recorder(httpx.Response(307, headers={"Location": "https://evil.test/steal"}))
    with pytest.raises(PAYPAL.errors.APIConnectionError, match="another origin"):
        call(PAYPAL, mode, posted, lambda c: c.post("/old", body={"a": 1}))
    assert posted.calls == 1


@mode_param
@pytest.mark.parametrize(
    "path",
    [
        "https://evil.test/v1/commerce/billing/x",
        "http://api-m.sandbox.paypal.com/v1/commerce/billing/x",  # another scheme
        "https://api-m.sandbox.paypal.com:8443/x",  # another port
        "//evil.test/x",  # scheme-relative
    ],
)
def test_another_origin_is_refused_before_any_credential_is_read(path, mode):
    issued: list[str] = []

    def token() -> str:
        issued.append("token-SECRET")
        return "token-SECRET"

    recorder = Recorder(json_response(200, {}))
    with pytest.raises(PAYPAL.errors.RequestValidationError) as info:
        call(PAYPAL, mode, recorder, lambda c: c.get(path), bearer_auth=token)
    assert recorder.calls == 0 and issued == []
    assert info.value.errors()[0]["loc"] == ("path",)
    assert "evil" not in str(info.value)  # the URL given is not repeated


@mode_param
def test_an_absolute_url_on_the_apis_origin_is_sent(mode):
    recorder = Recorder(json_response(200, {"page": 2}))
    url = "https://api-m.sandbox.paypal.com/v2/other?page=2"
    assert call(PAYPAL, mode, recorder, lambda c: c.get(url, query={"size": 5})) == {"page": 2}
    sent = recorder.requests[0]
    assert str(sent.url) == url + "&size=5"
    assert sent.headers["Authorization"] == "Bearer pp-token-SECRET-91bc"


@mode_param
def test_the_size_limit_applies(mode):
    recorder = Recorder(json_response(200, {"blob": "x" * 500}))
    with pytest.raises(PAYPAL.errors.ResponseTooLargeError):
        call(PAYPAL, mode, recorder, lambda c: c.get("/x"), max_response_size=100)


@mode_param
def test_a_body_that_is_not_json_ready_is_refused_unsent(mode):
    recorder = Recorder(json_response(200, {}))
    with pytest.raises(PAYPAL.errors.RequestValidationError):
        call(PAYPAL, mode, recorder, lambda c: c.post("/x", body={"when": object()}))
    assert recorder.calls == 0


@mode_param
def test_a_partial_requirement_is_refused_as_for_generated_methods(mode):
    # ABILLITY's requirement is three credentials together: one missing is named
    recorder = Recorder(json_response(200, {}))
    with pytest.raises(ABILLITY.errors.RequestValidationError, match="password"):
        call(ABILLITY, mode, recorder, lambda c: c.get("/x"), password=None)
    assert recorder.calls == 0


@mode_param
def test_callable_credentials_are_called_once_a_call(mode):
    counter = itertools.count(1)
    recorder = Recorder(json_response(200, {}))

    def invoke(client: Any) -> Any:
        if mode == "sync":
            return [client.get("/a"), client.delete("/b")]

        async def both() -> list[Any]:
            return [await client.get("/a"), await client.delete("/b")]

        return both()

    call(PAYPAL, mode, recorder, invoke, bearer_auth=lambda: f"fresh-{next(counter)}")
    sent = [r.headers["Authorization"] for r in recorder.requests]
    assert sent == ["Bearer fresh-1", "Bearer fresh-2"]


@mode_param
def test_credentials_stay_out_of_the_log(mode, caplog):
    recorder = Recorder(json_response(500, {"error": "pp-token-SECRET-91bc"}))
    with caplog.at_level(logging.DEBUG, logger=PAYPAL.name):
        with pytest.raises(PAYPAL.errors.InternalServerError) as info:
            call(PAYPAL, mode, recorder, lambda c: c.post("/x", body={}))
    assert caplog.records  # the call was logged
    assert "SECRET" not in caplog.text and "SECRET" not in str(info.value)


def test_the_verbs_are_members_of_both_clients():
    for pkg in PACKAGES:
        for client in (pkg.module.Client, pkg.module.AsyncClient):
            for verb in ("get", "post", "put", "patch", "delete", "request"):
                assert hasattr(client, verb), (pkg, client, verb)
