"""A number enum with a non-integer value (WMATA's `Lat: {type: number, enum: [38.8978168]}`)
was typed `Any`, so any value went out unchecked. Typing has no float literals: each float
value is a strict `float` bounded to it (`ge=v, le=v`), beside the `Literal` of the other
values; the argument or field is a `float` to mypy and refuses any other value."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from generator import typeir as t
from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import BuildPackage, minimal_spec, write_spec


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema}


SPEC = minimal_spec(
    {
        "Station": {
            "type": "object",
            "properties": {"ratio": {"type": "number", "enum": [0.5, 1.5]}},
        }
    },
    {
        "/entrances": {
            "get": {
                "operationId": "listEntrances",
                "parameters": [
                    _query("Lat", {"type": "number", "enum": [38.8978168], "default": 38.8978168}),
                    _query("Zoom", {"enum": [0.25, 2, "auto"]}),
                    _query("Odd", {"type": "number", "enum": [0.5, float("nan")]}),
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
)


def test_a_float_enum_is_a_bounded_float_not_any(tmp_path: Path) -> None:
    api = build_api(load_spec(write_spec(tmp_path, SPEC, "spec.yaml")), "pkg", "spec.yaml")
    (operation,) = api.operations
    types = {p.wire_name: t.without_none(p.type) for p in operation.parameters}
    lat = types["Lat"]
    assert isinstance(lat, t.Annotated) and lat.base == t.FLOAT
    zoom = types["Zoom"]
    assert isinstance(zoom, t.Union) and t.LiteralType((2, "auto")) in zoom.members
    # NaN is no value JSON can carry: left out (W407), the rest is the enum (it was `Any`)
    odd = types["Odd"]
    assert isinstance(odd, t.Annotated) and odd.base == t.FLOAT
    assert odd.metadata[0].kwargs == (("ge", 0.5), ("le", 0.5))


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def test_the_values_are_checked_before_sending(package: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    signature = inspect.signature(client.entrances.list)
    assert "float" in str(signature.parameters["lat"].annotation)
    assert "Any" not in str(signature.parameters["lat"].annotation)
    client.entrances.list()
    client.entrances.list(lat=38.8978168, zoom=0.25)
    client.entrances.list(zoom="auto")
    assert [r.url.query for r in sent] == [  # `Lat`'s default is the server's: not sent
        b"",
        b"Lat=38.8978168&Zoom=0.25",
        b"Zoom=auto",
    ]
    for wrong in ({"lat": "Lat"}, {"lat": 38.9}, {"zoom": 0.5}, {"zoom": "38"}):
        with pytest.raises(package.RequestValidationError):
            client.entrances.list(**wrong)
    assert len(sent) == 3


def test_a_model_field_holds_only_its_values(package: ModuleType) -> None:
    assert package.models.Station(ratio=1.5).ratio == 1.5
    with pytest.raises(pydantic.ValidationError):
        package.models.Station.model_validate({"ratio": 2.5}, strict=True)
