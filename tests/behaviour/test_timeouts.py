"""Timeouts: a sensible default, per client, per call; they reach the request."""

from __future__ import annotations

import asyncio

import httpx

from ._support import Recorder, mode_param, pkg_param, run, success_response


def sent_timeout(recorder: Recorder, index: int = 0) -> dict[str, float | None]:
    timeout: dict[str, float | None] = recorder.requests[index].extensions["timeout"]
    return timeout


@pkg_param
def test_default_timeout_is_a_sensible_httpx_timeout(pkg):
    default = pkg.base_client.DEFAULT_TIMEOUT
    assert isinstance(default, httpx.Timeout)
    for value in (default.connect, default.read, default.write, default.pool):
        assert value is not None and 0 < value <= 600
    assert default.connect <= default.read
    client = pkg.module.Client()
    async_client = pkg.module.AsyncClient()
    try:
        assert client.timeout == default
        assert async_client.timeout == default
    finally:
        client.close()
        asyncio.run(async_client.aclose())


@mode_param
@pkg_param
def test_default_timeout_reaches_the_request(pkg, mode):
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder)
    default = pkg.base_client.DEFAULT_TIMEOUT
    assert sent_timeout(recorder) == default.as_dict()


@mode_param
@pkg_param
def test_client_timeout_reaches_the_request(pkg, mode):
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder, client_kwargs={"timeout": 4.5})
    assert sent_timeout(recorder) == {"connect": 4.5, "read": 4.5, "write": 4.5, "pool": 4.5}


@mode_param
@pkg_param
def test_call_timeout_overrides_client_timeout(pkg, mode):
    recorder = Recorder(success_response(pkg))
    kwargs = {**pkg.op_kwargs(), "timeout": httpx.Timeout(2.0, read=9.0)}
    run(pkg, mode, recorder, client_kwargs={"timeout": 4.5}, op_kwargs=kwargs)
    assert sent_timeout(recorder) == {"connect": 2.0, "read": 9.0, "write": 2.0, "pool": 2.0}


@mode_param
@pkg_param
def test_call_timeout_none_disables_the_timeout(pkg, mode):
    recorder = Recorder(success_response(pkg))
    kwargs = {**pkg.op_kwargs(), "timeout": None}
    run(pkg, mode, recorder, op_kwargs=kwargs)
    assert sent_timeout(recorder) == {"connect": None, "read": None, "write": None, "pool": None}


@mode_param
@pkg_param
def test_with_options_timeout_reaches_the_request(pkg, mode):
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder, options={"timeout": 1.25, "max_retries": 0})
    assert sent_timeout(recorder) == {"connect": 1.25, "read": 1.25, "write": 1.25, "pool": 1.25}


@mode_param
@pkg_param
def test_timeout_is_kept_on_retries(pkg, mode):
    recorder = Recorder(httpx.ReadTimeout, success_response(pkg))
    kwargs = {**pkg.op_kwargs(), "timeout": 3.0}
    if not pkg.idempotent:
        kwargs["idempotency_key"] = "idem-t"
    run(pkg, mode, recorder, op_kwargs=kwargs)
    assert recorder.calls == 2
    assert (
        sent_timeout(recorder, 0)
        == sent_timeout(recorder, 1)
        == {
            "connect": 3.0,
            "read": 3.0,
            "write": 3.0,
            "pool": 3.0,
        }
    )
