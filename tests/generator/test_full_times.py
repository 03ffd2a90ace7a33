"""A `format: time` value is an RFC 3339 full-time, with its offset, when sent (JSON Schema's
`time`; parity audit F7). Pydantic's lax `time` took an integer as seconds (`3600` went out
as `01:00:00Z`), `01:01:01,1111` (as `01:01:01.111100`), `08:30:06+0130` and a time
without an offset."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, round_trip_paths


def _package(build_package: BuildPackage) -> Any:
    slot = {"type": "object", "properties": {"at": {"type": "string", "format": "time"}}}
    paths = round_trip_paths("/slots", "createSlot", "slots", "Slot")
    return build_package(minimal_spec({"Slot": slot}, paths))


def test_a_time_is_sent_with_its_offset(build_package: BuildPackage) -> None:
    package = _package(build_package)
    sent: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"at": "12:00:00"})  # (no offset: read as before)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.test", http_client=http)
    client.slots.create(at="08:30:06.283185Z")
    client.slots.create(at="08:30:06-08:00")
    aware = datetime.time(8, 30, 6, tzinfo=datetime.timezone.utc)
    read = client.slots.create(at=aware)
    assert sent == [{"at": "08:30:06.283185Z"}, {"at": "08:30:06-08:00"}, {"at": "08:30:06Z"}]
    assert read.at == datetime.time(12, 0)
    naive = datetime.time(8, 30, 6)
    for at in (3600, "12:00:00", "01:01:01,1111", "08:30:06+0130", "8:3:6Z", naive):
        with pytest.raises(package.RequestValidationError, match=r"body\.at"):
            client.slots.create(at=at)
    assert len(sent) == 3
