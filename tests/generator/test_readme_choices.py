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


def test_a_resource_of_deprecated_methods_only_is_not_called(tmp_path: Path) -> None:
    """GitHub's `classroom` (every operation deprecated): its call in "one call of each
    resource" failed pyright strict's `reportDeprecated` as written (typing audit 22)."""
    done = {"204": {"description": "Fine."}}
    old = {"operationId": "getOld", "deprecated": True, "responses": done}
    spec = minimal_spec(
        {},
        {
            "/a/things": {"get": {"operationId": "listThings", "responses": done}},
            "/b/items": {"get": {"operationId": "listItems", "responses": done}},
            "/c/old": {"get": old},
        },
    )
    readme = _readme(tmp_path, spec)
    assert "client.b.items.list()" in readme and "client.c.old.retrieve()" not in readme
    assert "`client.c.old.retrieve`" in readme  # (still in the table)


def test_the_authorization_api_key_variable_asks_for_the_whole_value(tmp_path: Path) -> None:
    """GOV.UK Pay's key went out without the `Bearer` its operations ask for: the variable's
    comment said "the API key" (payments audit 21)."""
    spec = minimal_spec({}, {"/a": {"get": {"operationId": "getA", "responses": {}}}})
    spec["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "Authorization"}
    }
    spec["security"] = [{"key": []}]
    readme = _readme(tmp_path, spec)
    assert '="..."  # the whole Authorization header value (`Bearer …`' in readme
