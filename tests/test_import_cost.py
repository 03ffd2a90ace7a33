"""What `import <package>; <package>.Client()` loads, in a fresh interpreter: not the model
index, not a single model, not pydantic's model machinery (the modules that build pydantic
types are imported at the first request), no httpx transport (the connection pool is made at
the first request). What it costs in time is measured by `make bench`, not here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import GOLDEN_DIR, KITCHEN_SINK_PACKAGES

PROBE = """
import json, sys
import {name}
client = {name}.Client(base_url="https://api.example.test")
before = sorted(sys.modules)
pet = {name}.models.Pet  # the index and the model's module load on first use
print(json.dumps({{"before": before, "pet": pet.__name__, "after": sorted(sys.modules)}}))
"""


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_import_and_client_load_no_model_and_no_transport(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=name)],
        cwd=GOLDEN_DIR / name,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    before = set(found["before"])
    assert f"{name}.models" not in before
    assert not {m for m in before if m.startswith(f"{name}.models.")}
    assert not {m for m in before if m.startswith(f"{name}.resources.")}
    assert "httpcore" not in before and "h11" not in before
    assert "pydantic.main" not in before and f"{name}._wire" not in before
    assert found["pet"] == "Pet" and f"{name}.models" in found["after"]


def test_an_operation_picks_its_media_type_before_any_request() -> None:
    """`OperationInfo.media_type_for` needs the request modules: it loads them itself."""
    name = KITCHEN_SINK_PACKAGES[1]
    probe = (
        f"import {name}._operation as b\n"
        "op = b.OperationInfo(method='POST', path='/x', responses={},"
        " body_types={'application/octet-stream': bytes},"
        " content_types=(('application/json', 'json'), ('application/octet-stream', 'binary')))\n"
        "print(op.media_type_for(b'abc'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=GOLDEN_DIR / name,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "application/octet-stream"
