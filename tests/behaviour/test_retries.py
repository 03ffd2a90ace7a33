"""Retries: which failures are retried, how often, how long the client waits."""

from __future__ import annotations

import asyncio
import email.utils
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from ._support import (
    IDEMPOTENT,
    NON_IDEMPOTENT,
    PACKAGES,
    Recorder,
    error_response,
    mode_param,
    pkg_param,
    run,
    success_response,
)

idempotent_param = pytest.mark.parametrize("pkg", IDEMPOTENT, ids=str)
non_idempotent_param = pytest.mark.parametrize("pkg", NON_IDEMPOTENT, ids=str)

RETRIED_STATUSES = [408, 409, 429, 500, 502, 503, 504]


@mode_param
@pytest.mark.parametrize("status", RETRIED_STATUSES)
@idempotent_param
def test_retryable_status_is_retried_max_retries_times_by_default(pkg, status, mode, sleeps):
    recorder = Recorder(error_response(pkg, status))
    with pytest.raises(pkg.errors.APIStatusError) as info:
        run(pkg, mode, recorder)
    assert info.value.status_code == status
    assert recorder.calls == 3  # 1 + DEFAULT max_retries (2)
    assert len(sleeps) == 2
    assert pkg.base_client.DEFAULT_MAX_RETRIES == 2


@mode_param
@pytest.mark.parametrize("exception", [httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout])
@idempotent_param
def test_connection_errors_and_timeouts_are_retried(pkg, exception, mode):
    recorder = Recorder(exception)
    with pytest.raises(pkg.errors.APIConnectionError):
        run(pkg, mode, recorder)
    assert recorder.calls == 3


@mode_param
@idempotent_param
def test_retry_then_success_returns_the_parsed_body(pkg, mode):
    recorder = Recorder(error_response(pkg, 503), httpx.ConnectError, success_response(pkg))
    result = run(pkg, mode, recorder)
    assert recorder.calls == 3
    assert isinstance(result, getattr(pkg.models, pkg.success_model))


@mode_param
@pytest.mark.parametrize("max_retries", [0, 1, 4])
@idempotent_param
def test_client_max_retries_setting(pkg, max_retries, mode):
    recorder = Recorder(error_response(pkg, 500))
    with pytest.raises(pkg.errors.InternalServerError):
        run(pkg, mode, recorder, client_kwargs={"max_retries": max_retries})
    assert recorder.calls == max_retries + 1


@mode_param
@pytest.mark.parametrize("status", [400, 401, 403, 404, 412, 422])
@pkg_param
def test_client_errors_are_not_retried(pkg, status, mode, sleeps):
    recorder = Recorder(error_response(pkg, status))
    with pytest.raises(pkg.errors.APIStatusError):
        run(pkg, mode, recorder, client_kwargs={"max_retries": 5})
    assert recorder.calls == 1
    assert sleeps == []


@mode_param
@pytest.mark.parametrize("failure", ["503", "409", "read-timeout", "read-error"])
@non_idempotent_param
def test_non_idempotent_operation_is_never_retried_without_idempotency_key(
    pkg, failure, mode, sleeps
):
    item = {
        "503": error_response(pkg, 503),
        "409": error_response(pkg, 409),
        "read-timeout": httpx.ReadTimeout,
        "read-error": httpx.ReadError,
    }[failure]
    recorder = Recorder(item)
    with pytest.raises(pkg.errors.APIError):
        run(pkg, mode, recorder, client_kwargs={"max_retries": 3})
    assert recorder.calls == 1
    assert sleeps == []
    assert "Idempotency-Key" not in recorder.requests[0].headers


@mode_param
@pytest.mark.parametrize("failure", ["429", "connect", "connect-timeout", "pool-timeout"])
@non_idempotent_param
def test_any_operation_is_retried_where_the_server_cannot_have_acted(pkg, failure, mode, sleeps):
    """No connection made, none free in the pool, or a 429: nothing was done, so a POST
    without a key is sent again too, as OpenAI's SDK does (billing audit: Adyen's
    `/payments` raised at once on a refused connection)."""
    item = {
        "429": error_response(pkg, 429),
        "connect": httpx.ConnectError,
        "connect-timeout": httpx.ConnectTimeout,
        "pool-timeout": httpx.PoolTimeout,
    }[failure]
    recorder = Recorder(item)
    with pytest.raises(pkg.errors.APIError):
        run(pkg, mode, recorder, client_kwargs={"max_retries": 2})
    assert recorder.calls == 3 and len(sleeps) == 2
    assert all("Idempotency-Key" not in r.headers for r in recorder.requests)
    assert len({r.content for r in recorder.requests}) == 1  # the same body every attempt


@mode_param
@pytest.mark.parametrize("failure", ["503", "connect"])
@non_idempotent_param
def test_non_idempotent_operation_with_idempotency_key_is_retried(pkg, failure, mode):
    item = error_response(pkg, 503) if failure == "503" else httpx.ConnectError
    recorder = Recorder(item)
    kwargs = {**pkg.op_kwargs(), "idempotency_key": "idem-7c1f"}
    with pytest.raises(pkg.errors.APIError):
        run(pkg, mode, recorder, op_kwargs=kwargs)
    assert recorder.calls == 3
    assert [r.headers["Idempotency-Key"] for r in recorder.requests] == ["idem-7c1f"] * 3
    assert len({r.content for r in recorder.requests}) == 1  # the same body every attempt


@mode_param
@non_idempotent_param
def test_idempotency_key_retry_then_success(pkg, mode):
    recorder = Recorder(error_response(pkg, 500), success_response(pkg))
    kwargs = {**pkg.op_kwargs(), "idempotency_key": "idem-1"}
    result = run(pkg, mode, recorder, op_kwargs=kwargs)
    assert recorder.calls == 2
    if pkg.success_model is None:
        assert result is None
    else:
        assert isinstance(result, getattr(pkg.models, pkg.success_model))


@mode_param
@idempotent_param
def test_retry_after_zero_is_honoured(pkg, mode, sleeps):
    recorder = Recorder(error_response(pkg, 429, {"Retry-After": "0"}))
    with pytest.raises(pkg.errors.RateLimitError):
        run(pkg, mode, recorder)
    assert recorder.calls == 3
    assert sleeps == [0, 0]


@mode_param
@idempotent_param
def test_retry_after_seconds_is_honoured(pkg, mode, sleeps):
    recorder = Recorder(error_response(pkg, 503, {"Retry-After": "3"}), success_response(pkg))
    run(pkg, mode, recorder)
    assert sleeps == [3]


@mode_param
@idempotent_param
def test_retry_after_http_date_is_honoured(pkg, mode, sleeps):
    when = datetime.now(timezone.utc) + timedelta(seconds=6)
    header = email.utils.format_datetime(when, usegmt=True)
    recorder = Recorder(error_response(pkg, 503, {"Retry-After": header}), success_response(pkg))
    run(pkg, mode, recorder)
    assert recorder.calls == 2
    assert len(sleeps) == 1
    assert 3.0 <= sleeps[0] <= 6.0


@mode_param
@idempotent_param
def test_retry_after_in_the_past_means_no_wait(pkg, mode, sleeps):
    header = email.utils.format_datetime(
        datetime.now(timezone.utc) - timedelta(hours=1), usegmt=True
    )
    recorder = Recorder(error_response(pkg, 503, {"Retry-After": header}), success_response(pkg))
    run(pkg, mode, recorder)
    assert sleeps == [0]


@mode_param
@idempotent_param
def test_a_long_retry_after_is_raised_at_once(pkg, mode, sleeps):
    """A server asking for more than the cap (a day here) gets its error at once, with the
    wait on it, rather than a short retry it has said it will refuse."""
    recorder = Recorder(error_response(pkg, 503, {"Retry-After": "86400"}), success_response(pkg))
    with pytest.raises(pkg.errors.InternalServerError) as caught:
        run(pkg, mode, recorder)
    assert recorder.calls == 1
    assert sleeps == []
    assert caught.value.retry_after == 86400


@mode_param
@idempotent_param
def test_absurd_retry_after_is_capped(pkg, mode, sleeps):
    """A wait past any plausible one (over a day) is no wait: the usual capped backoff."""
    recorder = Recorder(
        error_response(pkg, 503, {"Retry-After": "10000000"}), success_response(pkg)
    )
    run(pkg, mode, recorder)
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 60


@mode_param
@idempotent_param
def test_backoff_grows_and_is_capped(pkg, mode, sleeps):
    recorder = Recorder(error_response(pkg, 500))
    with pytest.raises(pkg.errors.InternalServerError):
        run(pkg, mode, recorder, client_kwargs={"max_retries": 9})
    assert recorder.calls == 10
    assert len(sleeps) == 9
    assert all(d > 0 for d in sleeps)
    assert sleeps[0] <= 1.0  # starts small
    assert sleeps[1] > sleeps[0] and sleeps[2] > sleeps[1] and sleeps[3] > sleeps[2]
    cap = pkg.base_client.MAX_RETRY_DELAY
    assert cap <= 30
    assert max(sleeps) <= cap  # 0.5 * 2**8 = 128 s uncapped
    assert sleeps[-1] >= cap / 2  # reached the cap region


@mode_param
@pkg_param
def test_with_options_max_retries_zero_overrides_per_call(pkg, mode):
    recorder = Recorder(httpx.ConnectError)
    kwargs = pkg.op_kwargs()
    if not pkg.idempotent:
        kwargs["idempotency_key"] = "idem-2"
    with pytest.raises(pkg.errors.APIConnectionError):
        run(pkg, mode, recorder, op_kwargs=kwargs, options={"max_retries": 0})
    assert recorder.calls == 1


@mode_param
@idempotent_param
def test_with_options_does_not_change_the_original_client(pkg, mode):
    cls = pkg.module.Client if mode == "sync" else pkg.module.AsyncClient
    http = httpx.Client() if mode == "sync" else httpx.AsyncClient()
    client = cls(**pkg.auth, max_retries=3, timeout=7.0, http_client=http)
    other = client.with_options(max_retries=0, timeout=1.0)
    assert other is not client
    assert (client.max_retries, client.timeout) == (3, 7.0)
    assert (other.max_retries, other.timeout) == (0, 1.0)
    assert type(other) is type(client)
    if mode == "sync":
        http.close()
    else:
        asyncio.run(http.aclose())


@pkg_param
def test_negative_max_retries_rejected(pkg):
    with httpx.Client() as http:
        with pytest.raises(ValueError):
            pkg.module.Client(max_retries=-1, http_client=http)
        with pytest.raises(ValueError):
            pkg.module.Client(http_client=http).with_options(max_retries=-1)


@pytest.mark.parametrize("pkg", PACKAGES, ids=str)
def test_every_package_documents_the_same_retry_defaults(pkg):
    base = pkg.base_client
    assert base.DEFAULT_MAX_RETRIES == 2
    assert base.MAX_RETRY_DELAY > base.INITIAL_RETRY_DELAY > 0
