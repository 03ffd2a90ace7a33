"""Which credentials a call to an undocumented endpoint (`client.get(path)`…) sends: the
document's security requirement, else those its operations declare (`_schemes.SECURITY`)."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

SCHEMES = {
    "token": {"type": "http", "scheme": "bearer"},
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
}


def _spec(document_security: Any, operation_security: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": "ping", "responses": {"204": {"description": "ok"}}}
    if operation_security is not None:
        operation["security"] = operation_security
    spec = minimal_spec(paths={"/ping": {"get": operation}}, security_schemes=SCHEMES)
    if document_security is None:
        del spec["security"]
    else:
        spec["security"] = document_security
    return spec


@pytest.mark.parametrize(
    ("document", "operation", "expected", "sent"),
    [
        ([{"key": []}], None, (("key",),), {"x-key": "k"}),
        (None, [{"token": []}], (("token",),), {"authorization": "Bearer t"}),
        ([], [{"token": []}], (), {}),  # the document says: no credentials
        (None, None, (), {}),
    ],
)
def test_the_requirement_of_undocumented_endpoints(
    build_package: BuildPackage,
    document: Any,
    operation: Any,
    expected: tuple[tuple[str, ...], ...],
    sent: dict[str, str],
) -> None:
    package = build_package(_spec(document, operation))
    assert importlib.import_module(f"{package.__name__}._schemes").SECURITY == expected
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(token="t", key="k", http_client=http)
    assert client.get("/other") == {}
    headers = {k: v for k, v in requests[0].headers.items() if k in ("authorization", "x-key")}
    assert headers == sent
