"""Uploads: file fields (bytes, paths, file objects, tuples), arrays of files, the spec's
`encoding` (contentType, part headers, form style/explode) and raw `application/octet-stream`
bodies (bytes, files, iterables), sync and async, through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import functools
import io
import typing
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

UPLOAD_SPEC = minimal_spec(
    {},
    {
        "/photos": {
            "post": {
                "operationId": "uploadPhotos",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["image"],
                                "properties": {
                                    "image": {"type": "string", "format": "binary"},
                                    "extras": {
                                        "type": "array",
                                        "items": {
                                            "type": "string",
                                            "contentMediaType": "application/octet-stream",
                                        },
                                    },
                                    "meta": {
                                        "type": "object",
                                        "properties": {"title": {"type": "string"}},
                                    },
                                    "note": {"type": "string"},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                            "encoding": {
                                "image": {
                                    "contentType": "image/png, image/jpeg",
                                    "headers": {
                                        "X-Origin": {
                                            "schema": {"type": "string", "default": "camera"}
                                        }
                                    },
                                },
                                "note": {"contentType": "text/markdown"},
                            },
                        }
                    },
                },
                "responses": {"204": {"description": "Stored."}},
            }
        },
        "/blobs/{name}": {
            "put": {
                "operationId": "putBlob",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {}},
                },
                "responses": {"204": {"description": "Stored."}},
            }
        },
        "/search": {
            "post": {
                "operationId": "search.create",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "ids": {"type": "array", "items": {"type": "integer"}},
                                    "words": {"type": "array", "items": {"type": "string"}},
                                    "filter": {
                                        "type": "object",
                                        "properties": {
                                            "a": {"type": "string"},
                                            "b": {"type": "string"},
                                        },
                                    },
                                    "point": {
                                        "type": "object",
                                        "properties": {
                                            "x": {"type": "integer"},
                                            "y": {"type": "integer"},
                                        },
                                    },
                                    "plain": {"type": "array", "items": {"type": "string"}},
                                    "nested": {
                                        "type": "object",
                                        "properties": {"k": {"type": "string"}},
                                    },
                                    "shipping": {
                                        "type": "object",
                                        "properties": {
                                            "name": {"type": "string"},
                                            "address": {
                                                "type": "object",
                                                "properties": {
                                                    "line1": {"type": "string"},
                                                    "city": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                    "items": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "price": {"type": "string"},
                                                "quantity": {"type": "integer"},
                                                "tags": {
                                                    "type": "array",
                                                    "items": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                    "expand": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                            "encoding": {
                                "ids": {"style": "pipeDelimited", "explode": False},
                                "words": {"style": "form", "explode": False},
                                "filter": {"style": "deepObject", "explode": True},
                                "point": {"style": "form", "explode": True},
                                "shipping": {"style": "deepObject", "explode": True},
                                "items": {"style": "deepObject", "explode": True},
                                "expand": {"style": "deepObject", "explode": True},
                            },
                        }
                    }
                },
                "responses": {"204": {"description": "Done."}},
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
def up(build_package: BuildPackage) -> ModuleType:
    return build_package(UPLOAD_SPEC)


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None
    headers: dict[str, str]
    payload: bytes


def parts(request: httpx.Request) -> list[Part]:
    """The parts of a multipart request, in order."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    found = []
    for part in message.iter_parts():
        disposition: Any = part.get("content-disposition")
        payload = part.get_payload(decode=True)
        found.append(
            Part(
                name=disposition.params["name"],
                filename=disposition.params.get("filename"),
                content_type=part.get("content-type"),
                headers={k.lower(): str(v) for k, v in part.items()},
                payload=payload if isinstance(payload, bytes) else b"",
            )
        )
    return found


class Recorder:
    """Answers with the given statuses (then 204), recording each request's body."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 204)

    async def async_call(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 204)


def run(package: ModuleType, mode: str, recorder: Recorder, method: str, **kwargs: Any) -> Any:
    if mode == "sync":
        transport = httpx.MockTransport(recorder)
        client = package.Client(http_client=httpx.Client(transport=transport))
        return _method(client, method)(**kwargs)
    transport = httpx.MockTransport(recorder.async_call)
    aclient = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
    return asyncio.run(_method(aclient, method)(**kwargs))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_file_field_takes_bytes_paths_files_and_tuples(
    up: ModuleType, mode: str, tmp_path: Path
) -> None:
    photo = tmp_path / "holiday.jpg"
    photo.write_bytes(b"JPEG")
    recorder = Recorder()
    given: list[Any] = [
        b"RAW",
        photo,
        io.BytesIO(b"FILE"),
        ("scan.png", b"PNG", "image/png"),
        ("doc.pdf", b"PDF", "application/pdf", {"X-Origin": "scanner", "X-Page": "1"}),
    ]
    for image in given:
        run(up, mode, recorder, "photos.create", body={"image": image})
    sent = [parts(r)[0] for r in recorder.requests]
    assert [p.payload for p in sent] == [b"RAW", b"JPEG", b"FILE", b"PNG", b"PDF"]
    assert [p.filename for p in sent] == ["image", "holiday.jpg", "image", "scan.png", "doc.pdf"]
    # the tuple's type, else the guess when the spec's encoding lists it, else its first type
    assert [p.content_type for p in sent] == [
        "image/png",
        "image/jpeg",
        "image/png",
        "image/png",
        "application/pdf",
    ]
    # the spec's part header (a fixed default), overridden by the tuple's headers
    assert [p.headers.get("x-origin") for p in sent] == ["camera"] * 4 + ["scanner"]
    assert sent[4].headers["x-page"] == "1"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_files_in_extra_body_are_file_parts(up: ModuleType, mode: str, tmp_path: Path) -> None:
    """A file the spec's schema leaves out (eBay's feed upload has no file field) is given
    in `extra_body`: a file part, as the body's own files are (it was sent as its path's
    text, a file object as one part per line, a tuple as text parts)."""
    scan = tmp_path / "in.csv"
    scan.write_bytes(b"sku,qty\nA,1\n")
    recorder = Recorder()
    given: list[Any] = [
        scan,
        io.BytesIO(b"FILE"),
        ("a.csv", b"CSV", "text/csv"),
        [b"ONE", ("two.txt", b"TWO")],
    ]
    for value in given:
        extra = {"file": value, "label": "x"}
        run(up, mode, recorder, "photos.create", body={"image": b"RAW"}, extra_body=extra)
    sent = [[(p.name, p.filename, p.payload) for p in parts(r)] for r in recorder.requests]
    assert sent == [
        [("image", "image", b"RAW"), ("file", "in.csv", b"sku,qty\nA,1\n"), ("label", None, b"x")],
        [("image", "image", b"RAW"), ("file", "file", b"FILE"), ("label", None, b"x")],
        [("image", "image", b"RAW"), ("file", "a.csv", b"CSV"), ("label", None, b"x")],
        [
            ("image", "image", b"RAW"),
            ("file", "file", b"ONE"),
            ("file", "two.txt", b"TWO"),
            ("label", None, b"x"),
        ],
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_arrays_objects_and_encodings_become_parts(up: ModuleType, mode: str) -> None:
    recorder = Recorder()
    body = {
        "image": ("a.png", b"A"),
        "extras": [b"E1", ("e2.txt", io.BytesIO(b"E2"), "text/plain")],
        "meta": {"title": "Trip"},
        "note": "# Hello",
        "tags": ["x", "y"],
    }
    run(up, mode, recorder, "photos.create", body=body)
    sent = parts(recorder.requests[0])
    by_name: dict[str, list[Part]] = {}
    for part in sent:
        by_name.setdefault(part.name, []).append(part)
    assert [p.payload for p in by_name["extras"]] == [b"E1", b"E2"]  # one part per file
    assert [p.content_type for p in by_name["extras"]] == ["application/octet-stream", "text/plain"]
    assert [(p.payload, p.content_type) for p in by_name["meta"]] == [
        (b'{"title":"Trip"}', "application/json")
    ]
    assert [(p.payload, p.content_type) for p in by_name["note"]] == [(b"# Hello", "text/markdown")]
    assert [p.payload for p in by_name["tags"]] == [b"x", b"y"]
    assert by_name["meta"][0].filename is None and by_name["tags"][0].filename is None


def test_a_file_field_refuses_other_values_before_sending(up: ModuleType) -> None:
    recorder = Recorder()
    for image in (42, ("name.png",), ("name.png", 42)):
        with pytest.raises(up.RequestValidationError) as raised:
            run(up, "sync", recorder, "photos.create", body={"image": image})
        assert raised.value.errors()[0]["loc"] == ("body", "image")
    assert recorder.requests == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_raw_body_takes_bytes_paths_and_files(up: ModuleType, mode: str, tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01" * 100_000)
    recorder = Recorder()
    with blob.open("rb") as handle:
        for body in (b"BYTES", blob, handle):
            run(up, mode, recorder, "blobs.update", name="b", body=body)
    first, from_path, from_file = recorder.requests
    assert first.content == b"BYTES" and first.headers["content-type"] == "application/octet-stream"
    assert from_path.content == blob.read_bytes() == from_file.content
    # streamed from disk, with the length known up front (no chunked encoding)
    assert from_path.headers["content-length"] == str(blob.stat().st_size)
    assert "transfer-encoding" not in from_path.headers


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_in_memory_file_goes_with_its_length(up: ModuleType, mode: str) -> None:
    """UX audit 18: an `io.BytesIO` (no file number to measure) went chunked, which upload
    endpoints (Netlify's deploy files, signed storage URLs) often refuse: what is left of it
    is measured by seeking, and goes as `Content-Length`."""
    import io

    memory = io.BytesIO(b"0123456789")
    memory.seek(3)
    recorder = Recorder()
    run(up, mode, recorder, "blobs.update", name="b", body=memory)
    (sent,) = recorder.requests
    assert sent.content == b"3456789" and sent.headers["content-length"] == "7"
    assert "transfer-encoding" not in sent.headers


def test_a_raw_body_takes_iterables_sync_and_async(up: ModuleType) -> None:
    recorder = Recorder()
    run(up, "sync", recorder, "blobs.update", name="b", body=iter([b"ab", b"cd"]))

    async def chunks() -> AsyncIterator[bytes]:
        yield b"ef"
        yield b"gh"

    run(up, "async", recorder, "blobs.update", name="b", body=chunks())
    assert [r.content for r in recorder.requests] == [b"abcd", b"efgh"]
    with pytest.raises(up.RequestValidationError):
        run(up, "sync", recorder, "blobs.update", name="b", body=chunks())
    with pytest.raises(up.RequestValidationError):
        run(up, "sync", recorder, "blobs.update", name="b", body=42)


@pytest.mark.parametrize(
    ("body", "sent"),
    [(lambda path: b"BYTES", 2), (lambda path: path, 1), (lambda path: iter([b"x"]), 1)],
    ids=["bytes-retried", "path-sent-once", "iterator-sent-once"],
)
def test_a_streamed_raw_body_is_never_retried(
    up: ModuleType, tmp_path: Path, body: Callable[[Path], Any], sent: int
) -> None:
    path = tmp_path / "b.bin"
    path.write_bytes(b"x")
    recorder = Recorder(503, 204)
    client = up.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    ).with_options(max_retries=1)
    client._retry_delay = lambda attempt, response: 0.0
    try:
        client.blobs.update(name="b", body=body(path))
    except up.APIStatusError as error:
        assert error.status_code == 503 and sent == 1
    assert len(recorder.requests) == sent


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_form_bodies_follow_each_encoding_style(up: ModuleType, mode: str) -> None:
    recorder = Recorder()
    body = {
        "ids": [1, 2, 3],
        "words": ["a", "b"],
        "filter": {"a": "x", "b": "y"},
        "point": {"x": 1, "y": 2},
        "plain": ["p", "q"],
        "nested": {"k": "v"},
    }
    run(up, mode, recorder, "search.create", body=body)
    sent = parse_qsl(recorder.requests[0].content.decode())
    assert sent == [
        ("ids", "1|2|3"),  # pipeDelimited, not exploded
        ("words", "a,b"),  # form, not exploded
        ("filter[a]", "x"),  # deepObject
        ("filter[b]", "y"),
        ("x", "1"),  # form, exploded object: its properties
        ("y", "2"),
        ("plain", "p"),  # no encoding: arrays repeat the field
        ("plain", "q"),
        ("nested", '{"k":"v"}'),  # no encoding: objects as JSON text
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_deep_object_form_fields_nest_in_brackets(up: ModuleType, mode: str) -> None:
    """Stripe's form bodies: objects and arrays at any depth in brackets, arrays indexed
    (a server reading `expand=a&expand=b` keeps only the last; Rails, PHP, `qs` and Stripe
    read `expand[0]=a&expand[1]=b`); nothing is joined with commas and lost."""
    recorder = Recorder()
    body = {
        "shipping": {"name": "Jo", "address": {"line1": "1 Main St", "city": "Berlin"}},
        "items": [{"price": "p_1", "quantity": 2, "tags": ["a", "b"]}, {"price": "p_2"}],
        "expand": ["customer", "invoice"],
    }
    run(up, mode, recorder, "search.create", body=body)
    sent = parse_qsl(recorder.requests[0].content.decode())
    assert sent == [
        ("shipping[name]", "Jo"),
        ("shipping[address][line1]", "1 Main St"),
        ("shipping[address][city]", "Berlin"),
        ("items[0][price]", "p_1"),
        ("items[0][quantity]", "2"),
        ("items[0][tags][0]", "a"),
        ("items[0][tags][1]", "b"),
        ("items[1][price]", "p_2"),
        ("expand[0]", "customer"),
        ("expand[1]", "invoice"),
    ]


def test_the_readme_lists_as_uploads_only_operations_that_send_files(
    build_package: BuildPackage,
) -> None:
    """Stripe's `files.create` is multipart with a `file` typed as a plain string: the
    README must not promise it takes a path or a file object."""

    def multipart(properties: dict[str, Any]) -> dict[str, Any]:
        schema = {"type": "object", "properties": properties}
        return {
            "requestBody": {"content": {"multipart/form-data": {"schema": schema}}},
            "responses": {"204": {"description": "Stored."}},
        }

    spec = minimal_spec(
        {},
        {
            "/notes": {
                "post": {"operationId": "notes.create", **multipart({"text": {"type": "string"}})}
            },
            "/scans": {
                "post": {
                    "operationId": "scans.create",
                    **multipart({"scan": {"type": "string", "format": "binary"}}),
                }
            },
        },
    )
    package = build_package(spec)
    readme = (Path(str(package.__file__)).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "Uploads (`scans.create`)" in readme and "notes.create`)" not in readme


def test_a_multipart_field_with_a_style_is_sent_as_that_style(build_package: BuildPackage) -> None:
    """Stripe's `files.create`: `expand` and `file_link_data` declare `deepObject` in a
    multipart body (OpenAPI 3.0.4/3.1.1 apply `style` there too): one text part per pair,
    not a JSON part Stripe cannot read."""
    schema = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "expand": {"type": "array", "items": {"type": "string"}},
            "link": {
                "type": "object",
                "properties": {"create": {"type": "boolean"}, "expires_at": {"type": "integer"}},
            },
        },
    }
    encoding = {name: {"style": "deepObject", "explode": True} for name in ("expand", "link")}
    operation = {
        "operationId": "files.create",
        "requestBody": {
            "content": {"multipart/form-data": {"schema": schema, "encoding": encoding}}
        },
        "responses": {"204": {"description": "Stored."}},
    }
    package = build_package(minimal_spec({}, {"/files": {"post": operation}}))
    recorder = Recorder()
    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.files.create(file=b"%PDF", expand=["a", "b"], link={"create": True, "expires_at": 9})
    sent = [(part.name, part.payload) for part in parts(recorder.requests[0])]
    assert sent == [
        ("file", b"%PDF"),
        ("expand[0]", b"a"),
        ("expand[1]", b"b"),
        ("link[create]", b"true"),
        ("link[expires_at]", b"9"),
    ]


def test_a_wildcard_request_media_type_is_sent_as_json_and_says_so(
    build_package: BuildPackage,
) -> None:
    """A body declared under `*/*` is written as JSON (the generator's choice for a
    wildcard): its Content-Type said `*/*`, which names no media type."""
    operation = {
        "operationId": "notes.create",
        "requestBody": {"content": {"*/*": {"schema": {"type": "object"}}}},
        "responses": {"204": {"description": "Stored."}},
    }
    package = build_package(minimal_spec({}, {"/notes": {"post": operation}}))
    recorder = Recorder()
    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.notes.create(body={"a": 1})
    assert recorder.requests[0].headers["Content-Type"] == "application/json"
    assert recorder.requests[0].content == b'{"a":1}'


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_files_media_type_comes_from_its_name_where_the_spec_leaves_a_choice(
    build_package: BuildPackage, mode: str, tmp_path: Path
) -> None:
    """A GIF sent to a body declared as `image/png` or `image/gif` went out labelled
    `image/png` (the first); one sent to `image/*` went out labelled `image/*`, which names
    no type; and a file for `*/*` of `format: binary` was refused (a file in a JSON body)
    or, as bytes, sent as JSON text labelled `application/json`."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    done = {"204": {"description": "Stored."}}

    def put(operation_id: str, *media: str) -> dict[str, Any]:
        content = {m: binary for m in media}
        return {"put": {"operationId": operation_id, "requestBody": {"content": content}}}

    paths = {
        "/avatar": put("avatar.update", "image/png", "image/gif"),
        "/picture": put("picture.update", "image/*"),
        "/blob": put("blob.update", "*/*"),
    }
    for item in paths.values():
        item["put"]["responses"] = done
    package = build_package(minimal_spec({}, paths))
    gif = tmp_path / "a.gif"
    gif.write_bytes(b"GIF89a")
    recorder = Recorder()
    with gif.open("rb") as handle:
        for method in ("avatar.update", "picture.update", "blob.update"):
            for body in (gif, handle, b"GIF89a"):
                handle.seek(0)
                run(package, mode, recorder, method, body=body)
        run(package, mode, recorder, "avatar.update", body=gif, content_type="image/png")
        # a wildcard takes the type the caller names, if it covers it and it is one
        run(package, mode, recorder, "picture.update", body=b"GIF89a", content_type="image/gif")
        run(package, mode, recorder, "blob.update", body=b"GIF89a", content_type="image/gif")
        refused = package.errors.RequestValidationError
        # (the last: 40 parameters before a NUL, exponential for a value that held `;`)
        for wrong in (
            "text/plain",
            "image/gif\r\nX-Injected: 1",
            "gif",
            "a/b" + "; x=" * 40 + "\0",
        ):
            with pytest.raises(refused, match=r"content_type must be one of: image/\*"):
                run(package, mode, recorder, "picture.update", body=gif, content_type=wrong)
    labels = [r.headers["content-type"] for r in recorder.requests]
    assert labels == [
        *("image/gif", "image/gif", "image/png"),  # bytes have no name: the first type
        *("image/gif", "image/gif", "application/octet-stream"),
        *("image/gif", "image/gif", "application/octet-stream"),
        *("image/png", "image/gif", "image/gif"),  # as the caller says
    ]
    assert all(r.content == b"GIF89a" for r in recorder.requests)
    hints = typing.get_type_hints(package.Client(http_client=httpx.Client()).picture.update)
    assert hints["content_type"] == str | None  # (any type `image/*` covers)


def test_a_form_body_that_is_no_object_is_sent_as_given(build_package: BuildPackage) -> None:
    """spoonacular's form bodies are `type: string` (the text pre-encoded): they were sent as
    one invented field (`body=instructions%3DPut…`), and an array's items as `body=a&body=b`.
    A form string goes as it is; an array has no OpenAPI serialisation: the raw bytes given
    (W305). E2E audit 3. A multipart string is a file: one part, `file` (UX audit 11: sent
    raw under a multipart content type without a boundary, Jira's attachments were unread)."""

    def operation(name: str, media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
        body = {"required": True, "content": {media_type: {"schema": schema}}}
        return {
            "post": {
                "operationId": name,
                "x-sdk-resource": "recipes",
                "requestBody": body,
                "responses": {"200": {"description": "ok"}},
            }
        }

    form = "application/x-www-form-urlencoded"
    spec = minimal_spec(
        {},
        {
            "/analyze": operation("analyze", form, {"type": "string"}),
            "/batch": operation("batch", form, {"type": "array", "items": {"type": "string"}}),
            "/visualize": operation("visualize", "multipart/form-data", {"type": "string"}),
        },
    )
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    text = "instructions=Put the garlic in a pan&servings=2"
    client.recipes.create(body=text)
    client.recipes.batch(body=b"a=1&a=2")
    client.recipes.visualize(file=("chart.png", b"PNG", "image/png"))
    assert [(r.headers["content-type"], r.content) for r in sent[:2]] == [
        (form, text.encode()),
        (form, b"a=1&a=2"),
    ]
    assert sent[2].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="chart.png"' in sent[2].content


@pytest.mark.parametrize(
    "value",
    [("a.csv", b"x", 7), ("a.csv", b"x", "text/csv", ["not", "a", "mapping"])],
    ids=["media-type-not-text", "headers-not-a-mapping"],
)
def test_a_file_in_extra_body_is_checked_as_a_file_field_is(up: ModuleType, value: Any) -> None:
    """(A raw `AttributeError` or `ValueError` from the encoder, after validation.)"""
    recorder = Recorder()
    upload = functools.partial(run, up, "sync", recorder, "photos.create", body={"image": b"RAW"})
    with pytest.raises(up.RequestValidationError, match=r"extra_body\.file"):
        upload(extra_body={"file": value})
    assert recorder.requests == []
    upload(extra_body={"file": memoryview(b"MV")})
    assert [p.payload for p in parts(recorder.requests[0])][1] == b"MV"


def test_a_file_field_in_a_json_body_sends_only_utf8_text(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """Hostile audit 14: a `format: binary` (or 3.1 `contentMediaType`) field of a JSON body
    went out as the caller's local path, a file object's repr, or bytes with U+FFFD for what
    was not UTF-8. JSON carries text: text is sent, anything else is refused before sending;
    a multipart body's file is still a part."""
    binary = {"type": "string", "format": "binary"}
    schema = {
        "type": "object",
        "required": ["receipt"],
        "properties": {
            "receipt": binary,
            "scan": {"type": "string", "contentMediaType": "image/png"},
        },
    }
    spec = minimal_spec(
        {"Evidence": schema},
        {
            "/evidence": {
                "post": {
                    "operationId": "submitEvidence",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Evidence"}
                            }
                        },
                    },
                    "responses": {"204": {"description": "done"}},
                }
            },
            "/uploads": {
                "post": {
                    "operationId": "uploadEvidence",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {"$ref": "#/components/schemas/Evidence"}
                            }
                        },
                    },
                    "responses": {"204": {"description": "done"}},
                }
            },
        },
    )
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = package.Client(
        base_url="https://api.example.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(b"\x89PNG\r\n")
    for value in (receipt, io.BytesIO(b"text"), b"\xff\xd8\xff", ("r.png", b"\xff")):
        with pytest.raises(package.RequestValidationError, match="UTF-8 text"):
            client.evidence.create(receipt=value)
    # nor in `extra_body` (hostile audit 15: a path went out as the local path there)
    extras: tuple[Any, ...] = (receipt, io.BytesIO(b"t"), ("r.png", io.BytesIO(b"x")), [receipt])
    for extra in extras:
        with pytest.raises(package.RequestValidationError, match=r"extra_body\.doc: .*UTF-8 text"):
            client.evidence.create(receipt="r", extra_body={"doc": extra})
    assert sent == []
    client.evidence.create(receipt="plain text", scan=b"abc")
    assert sent[-1].content == b'{"receipt":"plain text","scan":"abc"}'
    client.uploads.create(receipt=receipt)
    assert b"\x89PNG\r\n" in sent[-1].content
    assert str(receipt).encode() not in sent[-1].content


def test_an_object_part_declared_in_a_type_json_is_not_says_what_it_holds(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """OpenAPI's own multipart example declares an object part `application/xml`: the client
    writes no XML, and the part went out as JSON labelled XML. It is labelled
    `application/json` now, and W305 says so at generation. Of a 3.0 comma-separated list,
    an object takes the first JSON text fits, a scalar the first."""
    from generator.diagnostics import Diagnostic
    from generator.ir_build import build_api
    from generator.load import load_spec
    from tests.conftest import write_spec

    meta = {"type": "object", "properties": {"title": {"type": "string"}}}
    schema = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "meta": meta,
            "history": {"type": "array", "items": meta},
            "shape": meta,
            "note": {"type": "string"},
            # (an object made of members: sent as JSON too, and said so)
            "merged": {
                "allOf": [meta, {"type": "object", "properties": {"n": {"type": "integer"}}}]
            },
        },
    }
    encoding = {
        "meta": {"contentType": "application/xml; charset=utf-8"},
        "history": {"contentType": "text/xml"},
        "merged": {"contentType": "application/xml"},
        "shape": {"contentType": "application/xml, application/geo+json"},
        "note": {"contentType": "text/markdown, text/plain"},
    }
    operation = {
        "operationId": "docs.create",
        "requestBody": {
            "content": {"multipart/form-data": {"schema": schema, "encoding": encoding}}
        },
        "responses": {"204": {"description": "Stored."}},
    }
    spec = minimal_spec({}, {"/docs": {"post": operation}})
    warnings: list[Diagnostic] = []
    build_api(load_spec(write_spec(tmp_path, spec)), "docs", "spec.yaml", warnings)
    at = "/paths/~1docs/post/requestBody/content/multipart~1form-data/encoding"
    assert [(w.code, w.location.pointer) for w in warnings] == [
        ("W305", f"{at}/meta/contentType"),
        ("W305", f"{at}/history/contentType"),
        ("W305", f"{at}/merged/contentType"),
    ]
    package = build_package(spec)
    recorder = Recorder()
    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    title = {"title": "x"}
    client.docs.create(
        file=b"%PDF", meta=title, history=[title], shape=title, note="*hi*", merged={"n": 1}
    )
    sent = [(part.name, part.content_type, part.payload) for part in parts(recorder.requests[0])]
    assert sent == [
        ("file", "application/octet-stream", b"%PDF"),
        ("meta", "application/json", b'{"title":"x"}'),
        ("history", "application/json", b'{"title":"x"}'),
        ("shape", "application/geo+json", b'{"title":"x"}'),
        ("note", "text/markdown", b"*hi*"),
        ("merged", "application/json", b'{"n":1}'),
    ]


def _pipe(data: bytes) -> typing.BinaryIO:
    """The reading end of a pipe a thread writes `data` into (its size is 0 to `fstat`)."""
    import os
    import threading

    read, write = os.pipe()

    def writer() -> None:
        with os.fdopen(write, "wb") as file:
            file.write(data)

    threading.Thread(target=writer, daemon=True).start()
    return os.fdopen(read, "rb")


@pytest.mark.parametrize("kind", ["pipe", "gzip"])
@pytest.mark.parametrize("how", ["part", "raw"])
def test_a_file_whose_size_the_file_system_does_not_tell_is_sent_whole(
    up: ModuleType, tmp_path: Path, kind: str, how: str
) -> None:
    """Media audit 2: a pipe (`fstat` says 0) or a `gzip.open` file (`fstat` gives the
    compressed size) declared that size as the `Content-Length`; h11 refused the rest
    with a raw `LocalProtocolError` after a truncated request had gone out. Such a file
    goes chunked, or with the length measured by seeking."""
    import gzip

    payload = b'{"custom_id": "1"}\n' * 2000
    if kind == "pipe":
        file: Any = _pipe(payload)
    else:
        with gzip.open(tmp_path / "batch.jsonl.gz", "wb") as archive:
            archive.write(payload)
        file = gzip.open(tmp_path / "batch.jsonl.gz", "rb")
    recorder = Recorder()
    with file:
        if how == "part":
            run(up, "sync", recorder, "photos.create", body={"image": ("batch.jsonl", file)})
        else:
            run(up, "sync", recorder, "blobs.update", name="b", body=file)
    (sent,) = recorder.requests
    declared = sent.headers.get("content-length")
    assert declared is None or int(declared) == len(sent.content)
    assert (parts(sent)[0].payload if how == "part" else sent.content) == payload


def test_an_exception_of_the_http_library_under_httpx_is_a_connection_error(
    up: ModuleType,
) -> None:
    """h11's own exceptions came out of a call raw, past `except APIError`."""
    import h11

    class Refusing(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise h11.LocalProtocolError("Too much data for declared Content-Length")

    client = up.Client(http_client=httpx.Client(transport=Refusing()), max_retries=2)
    with pytest.raises(up.APIConnectionError, match="Too much data") as caught:
        client.blobs.update(name="b", body=b"x")
    assert isinstance(caught.value, up.APIError)


def test_a_multipart_request_is_not_resumed(up: ModuleType) -> None:
    """Media audit 3: resuming an event stream sends the request's content again; a
    multipart body is streamed and never read on a real connection, and the resume raised
    httpx's `RequestNotRead`. Such a request is not resumed (a broken stream ends with
    `APIConnectionError`)."""
    from importlib import import_module

    client = up.Client()
    operation = import_module(f"{up.__name__}._operation").OperationInfo
    info = operation(method="PUT", path="/blobs/{name}", responses={})  # (idempotent)
    logged: Any = (frozenset(), ())
    read = httpx.Request("PUT", "https://api.example.test/blobs/b", content=b"x")
    streamed = httpx.Request("PUT", "https://api.example.test/blobs/b", files={"f": b"x"})
    assert client._resumer(info, read, logged) is not None
    assert client._resumer(info, streamed, logged) is None


def test_a_path_part_is_read_as_it_is_sent(
    up: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Media audit 6: a path given as a part was read whole before sending (a 300 MB file
    took 900 MB at its peak): it is opened when sent, read in chunks, closed at its end,
    rewound for a retry, and goes with its size as the part's length."""
    import pathlib

    photo = tmp_path / "big.jpg"
    photo.write_bytes(bytes(range(256)) * 1000)

    def whole(self: pathlib.Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(pathlib.Path, "read_bytes", whole)
    recorder = Recorder(429, 204)  # (a POST is sent again where the server did not act)
    client = up.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)), max_retries=1
    )
    client._retry_delay = lambda attempt, response: 0.0
    client.photos.create(body={"image": photo})
    assert len(recorder.requests) == 2
    for sent in recorder.requests:
        assert parts(sent)[0].payload == bytes(range(256)) * 1000
        assert sent.headers["content-length"] == str(len(sent.content))
    with pytest.raises(up.RequestValidationError, match="cannot be read"):
        client.photos.create(body={"image": tmp_path / "missing.jpg"})


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_path_part_that_is_no_plain_file_is_read_whole(up: ModuleType, tmp_path: Path) -> None:
    """Review of media audit 6's fix: a path whose size the file system does not tell (a
    `/proc` file says 0, a pipe, `/dev/stdin`) was sent as its `stat` size, a FIFO hung on
    the check that opened and closed it; such a path is read whole when sent, as before."""
    recorder = Recorder()
    run(up, "sync", recorder, "photos.create", body={"image": Path("/proc/self/status")})
    (sent,) = recorder.requests
    assert b"Name:" in parts(sent)[0].payload
    assert sent.headers["content-length"] == str(len(sent.content))
