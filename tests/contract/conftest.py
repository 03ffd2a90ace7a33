"""Session fixtures for the Prism contract suite: one mock server per spec."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BILLING_PACKAGES, SPECS_DIR
from tests.contract.coverage import COVERAGE
from tests.contract.prism import PrismServer, unavailable_reason


def require_prism() -> None:
    """Skip locally when Node/Prism is missing; under CI=true that is a failure, not a skip."""
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Prism contract tests cannot run under CI: {reason}")
    pytest.skip(f"Prism contract tests skipped: {reason}")


@pytest.fixture(scope="session")
def prism_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PrismServer]]:
    """A running Prism server per billing spec, keyed by package name."""
    require_prism()
    logs = tmp_path_factory.mktemp("prism")
    servers = {
        package: PrismServer(SPECS_DIR / f"{spec}.yaml", logs / f"{package}.log")
        for spec, package in BILLING_PACKAGES.items()
    }
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_until_ready()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def start_prism(spec: Path, log: Path) -> PrismServer:
    """Start one extra server (for fixture specs); the caller stops it."""
    require_prism()
    server = PrismServer(spec, log)
    server.start()
    server.wait_until_ready()
    return server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if COVERAGE.operations or COVERAGE.statuses:
        terminalreporter.write_line(COVERAGE.summary())
