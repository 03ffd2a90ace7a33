"""Header values with a line break or another control character are refused before
anything is sent, naming the header and never the value (hostile audit 8): h11 refused
them after connecting, three retries later the call was a "connection error", and
httpcore's debug log printed the value (an API key read from a file with its newline)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import BuildPackage, minimal_spec, recording

TRACE = {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}


def _spec() -> dict[str, Any]:
    return minimal_spec(
        {},
        {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [TRACE],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
        security_schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
    )


@pytest.mark.parametrize(
    ("client_kwargs", "call_kwargs", "header"),
    [
        ({"key": "sk_live_SECRET123\n"}, {}, "X-Api-Key"),
        ({"key": "k"}, {"x_trace": "a\r\nX-Injected: 1"}, "X-Trace"),
        ({"key": "k"}, {"x_trace": "a\x00b"}, "X-Trace"),
        ({"key": "k"}, {"extra_headers": {"X-Other": "v\n"}}, "X-Other"),
        ({"key": "k", "default_headers": {"X-Tenant": "t\r"}}, {}, "X-Tenant"),
    ],
)
def test_a_control_character_in_a_header_is_refused_before_sending(
    build_package: BuildPackage,
    client_kwargs: dict[str, Any],
    call_kwargs: dict[str, Any],
    header: str,
) -> None:
    package = build_package(_spec())
    http, sent = recording()
    client = package.Client(http_client=http, **client_kwargs)
    with pytest.raises(package.RequestValidationError) as caught:
        client.things.list(**call_kwargs)
    assert sent == []
    assert caught.value.errors()[0]["loc"] == ("header", header)
    assert "SECRET" not in str(caught.value) and "Injected" not in str(caught.value)


def test_a_tab_is_a_header_value(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    http, sent = recording()
    package.Client(key="k", http_client=http).things.list(x_trace="a\tb")
    assert sent[0].headers["X-Trace"] == "a\tb"


@pytest.mark.parametrize("value", ["é", "a\xa0b", "ключ"])
def test_a_header_value_that_is_not_ascii_is_refused_at_its_header(
    build_package: BuildPackage, value: str
) -> None:
    """Parity audit F10: httpx writes header values in ASCII, and the error of such a value
    named no header (`loc ()`, "the request cannot be built (UnicodeEncodeError)")."""
    package = build_package(_spec())
    http, sent = recording()
    client = package.Client(key="k", http_client=http)
    with pytest.raises(package.RequestValidationError) as caught:
        client.things.list(x_trace=value)
    assert sent == []
    [error] = caught.value.errors()
    assert error["loc"] == ("header", "X-Trace") and "not ASCII" in error["msg"]
    assert value not in str(caught.value)
