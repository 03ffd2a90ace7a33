"""The contract suite itself: a deliberately broken client must fail it.

A small fixture spec requires a header and a typed body. Its generated package
passes against Prism; the same package with a wrong header name (what a broken
template would produce) is caught, with Prism's own explanation in the failure.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate_package
from tests.conftest import write_spec
from tests.contract.conftest import start_prism
from tests.contract.prism import PrismServer
from tests.contract.support import ContractViolation, contract_call

FIXTURE_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Contract fixture", "version": "1.0.0"},
    "servers": [{"url": "https://fixture.example.test"}],
    "security": [{"bearerAuth": []}],
    "paths": {
        "/widgets/{widget_id}": {
            "put": {
                "operationId": "putWidget",
                "parameters": [
                    {
                        "name": "widget_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "X-Api-Version",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "enum": ["2024-01-01"]},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Widget"},
                                "example": {"name": "gear", "size": 3},
                            }
                        },
                    },
                    "400": {
                        "description": "bad",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"message": {"type": "string"}},
                                },
                                "example": {"message": "bad"},
                            }
                        },
                    },
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Widget": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "size": {"type": "integer", "minimum": 1},
                },
            }
        },
    },
}
ARGUMENTS = {"widget_id": 7, "x_api_version": "2024-01-01", "body": {"name": "gear", "size": 3}}


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, PrismServer]]:
    root = tmp_path_factory.mktemp("contract_fixture")
    spec = write_spec(root, FIXTURE_SPEC)
    server = start_prism(spec, root / "prism.log")
    try:
        yield spec, server
    finally:
        server.stop()


def _package(spec: Path, root: Path, name: str, *, break_header: bool) -> str:
    generate_package(spec, root / name, package_name=name)
    if break_header:
        client_module = root / name / name / "resources" / "widgets.py"
        source = client_module.read_text(encoding="utf-8")
        assert '"X-Api-Version"' in source
        client_module.write_text(
            source.replace('"X-Api-Version"', '"X-Api-Versoin"'), encoding="utf-8"
        )
    sys.path.insert(0, str(root / name))
    importlib.invalidate_caches()
    return name


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_correct_package_passes(
    fixture_server: tuple[Path, PrismServer], tmp_path: Path, mode: str
) -> None:
    spec, server = fixture_server
    name = _package(spec, tmp_path, f"contract_ok_{mode}", break_header=False)
    raw = contract_call(name, "widgets.update", server.base_url, mode, dict(ARGUMENTS), raw=True)
    assert raw.status_code == 200 and raw.parsed.name == "gear"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_wrong_header_name_is_caught(
    fixture_server: tuple[Path, PrismServer], tmp_path: Path, mode: str
) -> None:
    spec, server = fixture_server
    name = _package(spec, tmp_path, f"contract_broken_{mode}", break_header=True)
    with pytest.raises(ContractViolation) as raised:
        contract_call(name, "widgets.update", server.base_url, mode, dict(ARGUMENTS), raw=True)
    assert "x-api-version" in str(raised.value).lower()
