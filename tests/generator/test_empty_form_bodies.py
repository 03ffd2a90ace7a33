"""A form or multipart body without fields is still sent, with its Content-Type, as a JSON
body sends `{}`: Superset's `*.import` (a required multipart body, every field optional)
went out with no body and no Content-Type, which the server refused. A body whose schema
requires a field is refused before sending; an optional body not given sends none."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

OPTIONAL_FIELDS = {
    "type": "object",
    "properties": {
        "formData": {"type": "string", "format": "binary"},
        "overwrite": {"type": "boolean"},
    },
}


def _post(operation_id: str, media: str, schema: dict[str, Any], required: bool) -> Any:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"required": required, "content": {media: {"schema": schema}}},
            "responses": {"204": {"description": "ok"}},
        }
    }


SPEC = minimal_spec(
    {},
    {
        "/import": _post("importFile", "multipart/form-data", OPTIONAL_FIELDS, True),
        "/mixed": _post("sendMixed", "multipart/mixed", OPTIONAL_FIELDS, True),
        "/form": _post("sendForm", "application/x-www-form-urlencoded", OPTIONAL_FIELDS, True),
        "/maybe": _post("maybeUpload", "multipart/form-data", OPTIONAL_FIELDS, False),
        "/upload": _post(
            "upload", "multipart/form-data", {**OPTIONAL_FIELDS, "required": ["formData"]}, True
        ),
    },
)


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def sent(package: ModuleType, mode: str, dotted: str, **kwargs: Any) -> httpx.Request:
    """The request one call sends."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        requests.append(request)
        return httpx.Response(204)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        requests.append(request)
        return httpx.Response(204)

    resource, name = dotted.split(".")
    if mode == "sync":
        client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        getattr(getattr(client, resource), name)(**kwargs)
    else:
        transport = httpx.MockTransport(async_handler)
        aclient = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        asyncio.run(getattr(getattr(aclient, resource), name)(**kwargs))
    return requests[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kwargs", [{}, {"body": {}}, {"extra_body": {}}])
@pytest.mark.parametrize(
    ("dotted", "media"),
    [("import_.create", "multipart/form-data"), ("mixed.create", "multipart/mixed")],
)
def test_an_empty_multipart_body_is_its_closing_delimiter(
    package: ModuleType, mode: str, kwargs: dict[str, Any], dotted: str, media: str
) -> None:
    request = sent(package, mode, dotted, **kwargs)
    kind, _, boundary = request.headers["content-type"].partition("; boundary=")
    assert kind == media and boundary
    assert request.content == f"--{boundary}--\r\n".encode()
    assert request.headers["content-length"] == str(len(request.content))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_empty_form_body_is_sent_with_its_content_type(package: ModuleType, mode: str) -> None:
    request = sent(package, mode, "form.create")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"" and request.headers["content-length"] == "0"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_optional_body_not_given_is_not_sent(package: ModuleType, mode: str) -> None:
    request = sent(package, mode, "maybe.create")
    assert "content-type" not in request.headers and request.content == b""
    given = sent(package, mode, "maybe.create", body={})
    assert given.headers["content-type"].startswith("multipart/form-data; boundary=")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_body_missing_a_required_field_is_refused(package: ModuleType, mode: str) -> None:
    with pytest.raises(package.RequestValidationError) as caught:
        sent(package, mode, "upload.create", body={})
    assert "formData" in str(caught.value.errors)
