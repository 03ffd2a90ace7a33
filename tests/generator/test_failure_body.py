"""A success status whose body says the call failed, as the spec's error response does:
Slack answers `200 {"ok": false, "error": "channel_not_found"}`, its spec declaring
`ok: true` for the 200 and `ok: false` for `default` (UX audit 5: the call returned the
success model with `ok=False` and `ts=None`, though `ts` is required, and a warning)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, write_spec

OK_TRUE = {"type": "boolean", "enum": [True]}
OK_FALSE = {"type": "boolean", "enum": [False]}


def _slack_like(error_ok: dict[str, Any] = OK_FALSE, error_status: str = "default") -> Any:
    success = {
        "type": "object",
        "additionalProperties": False,
        "required": ["ok", "channel", "ts"],
        "properties": {"ok": OK_TRUE, "channel": {"type": "string"}, "ts": {"type": "string"}},
    }
    error = {
        "type": "object",
        "required": ["ok", "error"],
        "properties": {
            "ok": error_ok,
            "error": {"type": "string", "enum": ["channel_not_found", "not_authed"]},
        },
    }
    operation = {
        "operationId": "chat_postMessage",
        "x-sdk-resource": "chat",
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"channel": {"type": "string"}}}
                }
            }
        },
        "responses": {
            "200": {
                "description": "Typical success response",
                "content": {"application/json": {"schema": success}},
            },
            error_status: {
                "description": "Typical error response",
                "content": {"application/json": {"schema": error}},
            },
        },
    }
    return minimal_spec({}, {"/chat.postMessage": {"post": operation}})


def _client(package: Any, body: Any, *, strict: bool = False) -> Any:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return package.Client(
        http_client=httpx.Client(transport=transport), strict_response_validation=strict
    )


@pytest.mark.parametrize("strict", [False, True])
def test_a_200_that_says_it_failed_raises_with_the_error_model(
    build_package: BuildPackage, strict: bool
) -> None:
    package = build_package(_slack_like())
    client = _client(package, {"ok": False, "error": "channel_not_found"}, strict=strict)
    with pytest.raises(package.APIStatusError) as caught:
        client.chat.create(channel="C1")
    error = caught.value
    assert error.status_code == 200 and "channel_not_found" in str(error)
    assert error.parsed.ok is False and error.parsed.error.value == "channel_not_found"
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert 'says the call failed, as the spec\'s error responses do\n(`"ok": false`)' in readme


def test_a_200_that_succeeded_is_returned(build_package: BuildPackage) -> None:
    package = build_package(_slack_like())
    sent = _client(package, {"ok": True, "channel": "C1", "ts": "1.2"}).chat.create()
    assert (sent.ok, sent.ts) == (True, "1.2")
    # off the success schema otherwise, without the error's value: lenient as before
    drifted = _client(package, {"ok": True, "channel": "C1"}).chat.create()
    assert drifted.ok is True and drifted.ts is None


def test_the_async_client_raises_too(build_package: BuildPackage) -> None:
    package = build_package(_slack_like())

    async def main() -> None:
        body = {"ok": False, "error": "not_authed"}
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
        async with package.AsyncClient(http_client=httpx.AsyncClient(transport=transport)) as c:
            with pytest.raises(package.APIStatusError, match="not_authed"):
                await c.chat.create()

    asyncio.run(main())


@pytest.mark.parametrize(
    ("error_ok", "error_status", "expected"),
    [
        (OK_FALSE, "default", ("ok", False, "default")),
        (OK_FALSE, "4XX", ("ok", False, "4XX")),
        ({"const": False}, "400", ("ok", False, "400")),
        ({"type": "boolean"}, "default", None),  # not a constant: nothing tells them apart
        (OK_TRUE, "default", None),  # the same constant
        ({"enum": [0]}, "default", ("ok", 0, "default")),  # 0, not False, at run time
    ],
)
def test_the_ir_finds_the_property_that_tells_failure(
    tmp_path: Path, error_ok: dict[str, Any], error_status: str, expected: Any
) -> None:
    from generator.ir_build import build_api
    from generator.load import load_spec

    path = write_spec(tmp_path, _slack_like(error_ok, error_status), "spec.json")
    (operation,) = build_api(load_spec(path), "pkg", "spec.json").operations
    assert operation.failure == expected
