"""A `format: date` value is an RFC 3339 full-date when sent (parity audit F2). Pydantic's
lax `date` took a date-time's text at midnight, so an `anyOf [date, date-time]` sent
`2000-01-01T00:00:00-08:00` as `2000-01-01` (its time and offset lost), and it took an
integer as days since 1970 (`0` went out as `1970-01-01`)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, round_trip_paths


def _package(build_package: BuildPackage) -> Any:
    due = {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
    }
    task = {
        "type": "object",
        "properties": {"due": due, "day": {"type": "string", "format": "date"}},
    }
    paths = round_trip_paths("/tasks", "createTask", "tasks", "Task")
    return build_package(minimal_spec({"Task": task}, paths))


def test_a_date_time_is_no_date_when_sent(build_package: BuildPackage) -> None:
    package = _package(build_package)
    sent: list[Any] = []
    answer: dict[str, Any] = {"due": "2000-01-01", "day": "2000-01-02T00:00:00Z"}

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.test", http_client=http)
    client.tasks.create(due="2000-01-01T00:00:00-08:00", day="2024-01-31")
    midnight = datetime.datetime(2024, 1, 31, tzinfo=datetime.timezone.utc)
    read = client.tasks.create(due="2000-01-01", day=midnight)  # (a midnight datetime: its date)
    assert sent == [
        {"due": "2000-01-01T00:00:00-08:00", "day": "2024-01-31"},
        {"due": "2000-01-01", "day": "2024-01-31"},
    ]
    # a response is read as before: a midnight date-time given for a date is that date
    assert read.day == datetime.date(2000, 1, 2) and read.due == datetime.date(2000, 1, 1)
    for day in (0, "2024-01-31T10:00:00Z", "2024-01-31T00:00:00Z", "31/01/2024"):
        with pytest.raises(package.RequestValidationError, match=r"body\.day"):
            client.tasks.create(day=day)
    assert len(sent) == 2
