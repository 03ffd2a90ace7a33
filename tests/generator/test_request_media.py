"""Several request media types on one operation (remove.bg's JSON, form and multipart; an
upload as multipart or raw bytes): each one callable with `content_type=`, or inferred from
the body given; a media type the client cannot serialise is a W305 warning, sync and async."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from generator.diagnostics import Diagnostic
from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import BuildPackage, minimal_spec, recording, write_spec

JSON_BODY = {
    "type": "object",
    "required": ["image_url"],
    "properties": {"image_url": {"type": "string"}, "size": {"type": "string"}},
}
FILE_BODY = {
    "type": "object",
    "required": ["image_file"],
    "properties": {
        "image_file": {"type": "string", "format": "binary"},
        "size": {"type": "string"},
    },
}
SPEC = minimal_spec(
    {},
    {
        "/removebg": {
            "post": {
                "operationId": "removeBackground",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": JSON_BODY},
                        "application/x-www-form-urlencoded": {"schema": JSON_BODY},
                        "multipart/form-data": {"schema": FILE_BODY},
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        },
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/notes": {
            "post": {
                "operationId": "addNote",
                "requestBody": {
                    "content": {
                        "text/plain": {"schema": {"type": "string"}},
                        "application/xml": {
                            "schema": {"type": "object", "properties": {"a": {"type": "string"}}}
                        },
                        "multipart/mixed": {"schema": JSON_BODY},
                    }
                },
                "responses": {"204": {"description": "ok"}},
            }
        },
    },
)


def _method(client: Any, dotted: str) -> Any:
    """The client's method named by its dotted path from the client (`files.content.retrieve`)."""
    target = client
    for name in dotted.split("."):
        target = getattr(target, name)
    return target


@pytest.fixture
def removebg(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def sent(package: ModuleType, mode: str, method: str, **kwargs: Any) -> httpx.Request:
    """The request one call sends."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        requests.append(request)
        return httpx.Response(200 if method == "removebg.remove_background" else 204)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        requests.append(request)
        return httpx.Response(200 if method == "removebg.remove_background" else 204)

    if mode == "sync":
        client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        _method(client, method)(**kwargs)
    else:
        transport = httpx.MockTransport(async_handler)
        aclient = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        asyncio.run(_method(aclient, method)(**kwargs))
    return requests[0]


def media(request: httpx.Request) -> str:
    return request.headers["content-type"].split(";")[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_media_type_is_callable(removebg: ModuleType, mode: str) -> None:
    url = {"image_url": "https://x.test/a.png", "size": "auto"}
    assert media(sent(removebg, mode, "removebg.remove_background", body=url)) == "application/json"
    form = sent(
        removebg,
        mode,
        "removebg.remove_background",
        body=url,
        content_type="application/x-www-form-urlencoded",
    )
    assert form.content == b"image_url=https%3A%2F%2Fx.test%2Fa.png&size=auto"
    upload = sent(
        removebg,
        mode,
        "removebg.remove_background",
        body={"image_file": ("a.png", b"PNG"), "size": "auto"},
        content_type="multipart/form-data",
    )
    assert media(upload) == "multipart/form-data" and b'filename="a.png"' in upload.content
    raw = sent(
        removebg,
        mode,
        "removebg.remove_background",
        body=b"PNGBYTES",
        content_type="application/octet-stream",
    )
    assert media(raw) == "application/octet-stream" and raw.content == b"PNGBYTES"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_media_type_follows_the_body_given(removebg: ModuleType, mode: str) -> None:
    models = removebg.models
    by_model = sent(
        removebg,
        mode,
        "removebg.remove_background",
        body=models.RemoveBackgroundBodyMultipart(image_file=b"PNG"),
    )
    assert media(by_model) == "multipart/form-data"
    # a mapping goes as the first media type it validates as
    by_mapping = sent(removebg, mode, "removebg.remove_background", body={"image_file": b"PNG"})
    assert media(by_mapping) == "multipart/form-data"
    assert media(sent(removebg, mode, "removebg.remove_background", body=b"RAW")) == (
        "application/octet-stream"
    )
    by_json = sent(removebg, mode, "removebg.remove_background", body={"image_url": "u"})
    assert media(by_json) == "application/json"


def test_a_body_that_fits_no_media_type_is_refused(removebg: ModuleType) -> None:
    with pytest.raises(removebg.RequestValidationError) as raised:
        sent(removebg, "sync", "removebg.remove_background", body={"size": "auto"})
    assert raised.value.errors()[0]["loc"] == ("body", "image_url")
    with pytest.raises(removebg.RequestValidationError, match="content_type must be one of"):
        sent(removebg, "sync", "removebg.remove_background", body=b"x", content_type="image/png")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_text_raw_bytes_and_multipart_subtypes(removebg: ModuleType, mode: str) -> None:
    text = sent(removebg, mode, "notes.create", body="hello")
    assert media(text) == "text/plain" and text.content == b"hello"
    xml = sent(removebg, mode, "notes.create", body=b"<a>x</a>", content_type="application/xml")
    assert media(xml) == "application/xml" and xml.content == b"<a>x</a>"
    mixed = sent(
        removebg, mode, "notes.create", body={"image_url": "u"}, content_type="multipart/mixed"
    )
    boundary = mixed.headers["content-type"].split("boundary=")[1]
    assert media(mixed) == "multipart/mixed" and f"--{boundary}--".encode() in mixed.content


def test_only_what_cannot_be_expressed_is_a_warning(tmp_path: Path) -> None:
    warnings: list[Diagnostic] = []
    spec = load_spec(write_spec(tmp_path, SPEC))
    api = build_api(spec, "removebg", "spec.yaml", warnings)
    assert [(w.code, w.location.pointer) for w in warnings] == [
        ("W305", "/paths/~1notes/post/requestBody/content/application~1xml")
    ]
    body = next(
        op for op in api.operations if op.qualified_name == "removebg.remove_background"
    ).body
    assert body is not None
    assert [m for m, _ in body.content_types] == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/octet-stream",
    ]


def test_an_optional_body_that_can_only_be_empty_is_no_argument(
    build_package: BuildPackage,
) -> None:
    """Stripe declares `properties: {}` + `additionalProperties: false` form bodies on its GET
    operations: `list` takes no `body`; a required one, or one with a property, stays."""
    import inspect

    empty = {"type": "object", "properties": {}, "additionalProperties": False}
    form = {"application/x-www-form-urlencoded": {"schema": empty}}
    ok = {"200": {"description": "ok"}}
    with_field = {"type": "object", "properties": {"expand": {"type": "string"}}}
    paths = {
        "/a": {"get": {"operationId": "listA", "requestBody": {"content": form}, "responses": ok}},
        "/b": {
            "post": {
                "operationId": "makeB",
                "requestBody": {"content": form, "required": True},
                "responses": ok,
            }
        },
        "/c": {
            "post": {
                "operationId": "makeC",
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": with_field}}
                },
                "responses": ok,
            }
        },
    }
    package = build_package(minimal_spec(paths=paths))
    client = package.Client(base_url="https://api.example.test")

    def parameters(resource: Any) -> set[str]:
        [method] = [m for n, m in inspect.getmembers(resource) if n[0] != "_" and callable(m)]
        return set(inspect.signature(method).parameters)

    assert "body" not in parameters(client.a)
    assert "body" in parameters(client.b)
    assert "body" in parameters(client.c)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_text_body_of_data_is_refused_before_sending(removebg: ModuleType, mode: str) -> None:
    """A mapping, model or list of strings given as a text or XML body (AWS's `text/xml`
    bodies, which the README says may be given whole as `body=`) raised httpx's own
    TypeError in the sync client, and the async one began a chunked request it could not
    finish: it is a `RequestValidationError`, nothing sent."""
    for body in ({"Name": "x"}, ["<a>", "</a>"], _Note()):
        with pytest.raises(removebg.RequestValidationError, match="body"):
            sent(removebg, mode, "notes.create", body=body, content_type="application/xml")


class _Note(pydantic.BaseModel):
    name: str = "x"


def test_bytes_for_a_json_body_typed_as_a_string_are_the_json_text(
    build_package: BuildPackage,
) -> None:
    """UX audit 14: Walmart types its order updates' JSON bodies `type: string` (63
    operations of 27 directory specs): bytes given went out JSON-encoded again, a quoted
    string. Bytes are the JSON text itself; a `str` is still a JSON string."""
    item = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    text = {"schema": {"type": "string"}}
    paths = {
        "/orders/{id}/shipping": {
            "post": {
                "operationId": "updateShipping",
                "parameters": item,
                "requestBody": {
                    "required": True,
                    "content": {"application/xml": text, "application/json": text},
                },
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    client.orders.update_shipping("1", body=b'{"a": 1}', content_type="application/json")
    client.orders.update_shipping("1", body="note", content_type="application/json")
    assert [(r.headers["content-type"], r.content) for r in sent] == [
        ("application/json", b'{"a": 1}'),
        ("application/json", b'"note"'),
    ]


def test_an_empty_list_is_a_json_array_not_raw_content(build_package: BuildPackage) -> None:
    """Round-trip audit 18: billbee's stock update takes a JSON array or a binary body, and
    `body=[]` (a list of no bytes) went as raw content: an empty `application/octet-stream`
    body. It is the empty JSON array; a list of bytes is still raw content."""
    content = {
        "application/json": {"schema": {"type": "array", "items": {"type": "string"}}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }
    paths = {
        "/stock": {
            "post": {
                "operationId": "updateStock",
                "requestBody": {"required": True, "content": content},
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    client.stock.update(body=[])
    client.stock.update(body=["a"])
    client.stock.update(body=[b"ab", b"c"])
    assert [(r.headers["content-type"], r.content) for r in sent] == [
        ("application/json", b"[]"),
        ("application/json", b'["a"]'),
        ("application/octet-stream", b"abc"),
    ]


def test_a_json_patch_of_an_object_schema_is_no_default(build_package: BuildPackage) -> None:
    """UX audit 18: Kubernetes' PATCHes list `application/json-patch+json` first, with the
    object schema of every patch: the default sent an object as a JSON Patch (RFC 6902: an
    array of operations), a 400. Its merge patch is the default; a JSON Patch of an array
    schema first stays the default."""
    patch = {"type": "object"}
    operations = {"type": "array", "items": {"type": "object"}}
    item = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}]

    def operation(name: str, first: dict[str, Any]) -> dict[str, Any]:
        content = {
            "application/json-patch+json": {"schema": first},
            "application/merge-patch+json": {"schema": patch},
        }
        return {
            "operationId": name,
            "parameters": item,
            "requestBody": {"required": True, "content": content},
            "responses": {"204": {"description": "ok"}},
        }

    paths = {
        "/pods/{name}": {"patch": operation("patchPod", patch)},
        "/jobs/{name}": {"patch": operation("patchJob", operations)},
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    client.pods.update("p", body={"metadata": {"labels": {"a": "b"}}})
    client.jobs.update("j", body=[{"op": "remove", "path": "/a"}])
    assert [r.headers["content-type"] for r in sent] == [
        "application/merge-patch+json",
        "application/json-patch+json",
    ]


def test_a_json_body_is_written_in_the_charset_its_media_type_declares(
    build_package: BuildPackage,
) -> None:
    """Under `application/json; charset=utf-16` the UTF-8 bytes went out (hostile sweep): the
    text is in the declared charset now; one that cannot hold it, or that Python does not
    know, refuses the body before anything is sent."""
    schema = {"type": "object", "properties": {"s": {"type": "string"}}}
    paths = {
        f"/{name}": {
            "post": {
                "operationId": f"{name}.create",
                "requestBody": {
                    "content": {f"application/json; charset={charset}": {"schema": schema}}
                },
                "responses": {"204": {"description": "Done."}},
            }
        }
        for name, charset in (("wide", "utf-16"), ("narrow", "latin-1"), ("odd", "x-nothing"))
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording(lambda _: httpx.Response(204))
    client = package.Client(http_client=http)
    client.wide.create(s="é")
    client.wide.create(extra_body={"t": "ü"})  # (written in another step)
    client.narrow.create(s="é")
    assert sent[0].content.decode("utf-16") == '{"s":"é"}'
    assert sent[1].content.decode("utf-16") == '{"t":"ü"}'
    assert sent[2].content == '{"s":"é"}'.encode("latin-1")
    assert sent[0].headers["content-type"] == "application/json; charset=utf-16"
    refused = package.errors.RequestValidationError
    with pytest.raises(refused, match="cannot be sent as latin-1"):
        client.narrow.create(s="€")
    with pytest.raises(refused, match="cannot be sent as x-nothing"):
        client.odd.create(s="a")
    assert len(sent) == 3
