"""Fixtures of the behaviour tests: no real sleeping between retries."""

from __future__ import annotations

import pytest

from ._support import PACKAGES, patch_sleep


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Delays the clients asked to sleep for (they return at once), in order."""
    delays: list[float] = []
    for pkg in PACKAGES:
        patch_sleep(monkeypatch, pkg, delays)
    return delays
