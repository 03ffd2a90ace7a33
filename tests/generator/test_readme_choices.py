"""Which operation the generated README shows: one whose call can succeed, and no check of
a call it does not make."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.pipeline import generate_package
from tests.conftest import minimal_spec, write_spec


def _readme(tmp_path: Path, spec: dict[str, Any]) -> str:
    generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="shown")
    return (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_the_usage_call_documents_a_success(tmp_path: Path) -> None:
    """taggun documents only a 400 for some GETs: the README's calls, all to such an
    operation, failed against the mock and would against the server."""
    failing = {"operationId": "settings", "responses": {"400": {"description": "Bad."}}}
    working = {"operationId": "status", "responses": {"204": {"description": "Fine."}}}
    spec = minimal_spec({}, {"/a/settings": {"get": failing}, "/b/status": {"get": working}})
    usage = _readme(tmp_path, spec).split("## Usage", 1)[1].split("##", 1)[0]
    assert "client.b.status.retrieve()" in usage and ".settings" not in usage


def test_a_spec_without_operations_checks_no_request(tmp_path: Path) -> None:
    """Webhooks only (or `paths: {}`): the Testing block asserted `mock.requests` after
    making no call, and could never pass."""
    readme = _readme(tmp_path, minimal_spec({}, {}))
    testing = readme.split("## Testing", 1)[1].split("##", 1)[0]
    assert "mock = MockAPI()" in testing and "assert mock.requests" not in testing
