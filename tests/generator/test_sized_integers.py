"""`format: int32` / `int64`: the format's range is checked before a request is sent (2**40
went out as an int32); a response past it still reaches the caller (lenient, with a
warning); the schema's own bounds apply where they are narrower than the format's."""

from __future__ import annotations

import inspect
import logging
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from generator import typeir as t
from generator.apidiff_types import LOOSENED, TIGHTENED, compare_types
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, minimal_spec, write_spec

INT32 = {"type": "integer", "format": "int32"}
INT64 = {"type": "integer", "format": "int64"}
SCHEMAS: dict[str, Any] = {
    "Counter": {
        "type": "object",
        "properties": {
            "small": INT32,
            "big": INT64,
            "bounded": {**INT32, "minimum": 0, "maximum": 10},
            # bounds wider than the format: the format's range still applies
            "wide": {**INT32, "minimum": -(10**12), "maximum": 10**12},
            "above": {**INT32, "exclusiveMinimum": 5},
            "plain": {"type": "integer"},
            "counts": {"type": "array", "items": INT32, "default": [1, 2]},
        },
    }
}
PATHS: dict[str, Any] = {
    "/counters/{id}": {
        "get": {
            "operationId": "getCounter",
            "tags": ["counters"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": INT64},
                {"name": "limit", "in": "query", "schema": {**INT32, "default": 20}},
            ],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Counter"}}
                    },
                }
            },
        },
        "put": {
            "operationId": "putCounter",
            "tags": ["counters"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": INT64}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Counter"}}
                },
            },
            "responses": {"204": {"description": "done"}},
        },
    }
}


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(minimal_spec(SCHEMAS, PATHS))


def _client(package: ModuleType, handler: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return package.Client(base_url="https://api.example.test/v1", http_client=http)


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("small", 2**31 - 1, True),
        ("small", -(2**31), True),
        ("small", 2**31, False),
        ("small", -(2**31) - 1, False),
        ("big", 2**63 - 1, True),
        ("big", 2**63, False),
        ("big", -(2**63) - 1, False),
        ("bounded", 0, True),
        ("bounded", 11, False),
        ("wide", 2**31, False),
        ("wide", -(2**31), True),
        ("above", 5, False),
        ("above", 6, True),
        ("plain", 2**70, True),
        ("small", "5", False),  # strict: no "5" -> 5
        ("small", True, False),
    ],
)
def test_models_check_the_formats_range(
    package: ModuleType, field: str, value: Any, valid: bool
) -> None:
    if valid:
        assert getattr(package.models.Counter(**{field: value}), field) == value
    else:
        with pytest.raises(ValidationError):
            package.models.Counter(**{field: value})


def test_requests_past_the_range_are_refused_before_sending(package: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    client = _client(package, handler)
    with pytest.raises(package.RequestValidationError) as raised:
        client.counters.retrieve(2**63)
    assert [e["loc"] for e in raised.value.errors()] == [("path", "id")]
    with pytest.raises(package.RequestValidationError):
        client.counters.retrieve(1, limit=2**31)
    with pytest.raises(package.RequestValidationError):
        client.counters.update(1, counts=[1, 2**40])
    assert sent == []
    client.counters.retrieve(2**63 - 1, limit=2**31 - 1)
    assert sent[-1].url.params["limit"] == str(2**31 - 1)
    assert sent[-1].url.path.endswith(f"/counters/{2**63 - 1}")


def test_a_response_past_the_range_still_reaches_the_caller(
    package: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    body = {"small": 2**40, "big": 7}
    client = _client(package, lambda request: httpx.Response(200, json=body))
    with caplog.at_level(logging.WARNING):
        counter = client.counters.retrieve(1)
    assert counter.small == 2**40 and counter.big == 7
    assert "small: less_than_equal" in caplog.text
    strict = package.Client(
        base_url="https://api.example.test/v1",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body))
        ),
        strict_response_validation=True,
    )
    with pytest.raises(package.APIResponseValidationError):
        strict.counters.retrieve(1)


def test_signatures_name_the_format(package: ModuleType) -> None:
    """`Int32`/`Int64` in the signature (not `Annotated[int, Field(ge=-2147483648, …)]`),
    `int` to a type checker, and the schema's narrower bounds on top."""
    module = package.resources.counters
    signature = inspect.signature(module.Counters.retrieve)
    assert signature.parameters["id"].annotation == "Int64"
    assert signature.parameters["limit"].annotation == "Int32 | None"
    scalars = package._scalars
    assert module.Int64 is scalars.Int64
    assert typing.get_origin(scalars.Int32) is typing.Annotated
    assert typing.get_args(scalars.Int32)[0] is int


def test_a_default_past_the_range_is_dropped(tmp_path: Path) -> None:
    spec = minimal_spec(
        {"Page": {"type": "object", "properties": {"size": {**INT32, "default": 2**40}}}}
    )
    spec_path = write_spec(tmp_path, spec)
    result = generate_package(spec_path, tmp_path / "out", package_name="pkg_default")
    assert any(d.code == "E402" for d in result.diagnostics)
    source = (tmp_path / "out" / "pkg_default" / "models" / "page.py").read_text()
    assert str(2**40) not in source


@pytest.mark.parametrize(
    ("old", "new", "outcome"),
    [
        (t.annotated(t.INT, t.Call(t.S.STRICT)), t.INT32, TIGHTENED),
        (t.INT32, t.INT64, LOOSENED),
        (t.INT64, t.INT32, TIGHTENED),
        (t.INT32, t.constrained(t.INT32, [("ge", 0)]), TIGHTENED),
    ],
)
def test_the_api_diff_reads_a_format_as_bounds(
    old: t.TypeNode, new: t.TypeNode, outcome: str
) -> None:
    assert compare_types(old, new) == outcome
