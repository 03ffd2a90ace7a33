"""A multipart part named as a file whose schema is a plain string (UX audit 8: Stripe's
`POST /v1/files` declares `file: {type: string}`, no `format: binary`): it is the file's
bytes. It was typed `str`: an open file or a `Path` was refused, and `file=str(path)` sent
the path's text as the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec, recording


def _spec() -> dict[str, Any]:
    body = {
        "type": "object",
        "required": ["file", "purpose"],
        "properties": {
            "file": {"type": "string", "description": "A file to upload (RFC 2388)."},
            "purpose": {"type": "string"},
            "note_file": {"type": "string", "enum": ["a", "b"]},  # an enum: no file
        },
    }
    operation = {
        "operationId": "createFile",
        "requestBody": {"content": {"multipart/form-data": {"schema": body}}},
        "responses": {"200": {"description": "ok"}},
    }
    return minimal_spec({}, {"/files": {"post": operation}})


def test_a_plain_string_part_named_file_is_uploaded_as_a_file(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    package = build_package(_spec())
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    http, seen = recording(lambda _: httpx.Response(200, json={}))
    files = package.Client(http_client=http).files
    with evidence.open("rb") as handle:
        files.create(file=handle, purpose="dispute_evidence")
    files.create(file=evidence, purpose="dispute_evidence")
    for request in seen:
        assert b'name="file"; filename="evidence.pdf"' in request.content
        assert b"%PDF-1.4 evidence" in request.content
        assert str(evidence).encode() not in request.content
    annotation = str(type(files).create.__annotations__["note_file"])
    assert "Literal['a', 'b']" in annotation or "NoteFile" in annotation


def test_a_multipart_body_that_is_one_file_is_sent_as_a_part_named_file(
    build_package: BuildPackage,
) -> None:
    """Jira's attachments declare `multipart/form-data: {schema: {type: string, format:
    binary}}`: the bytes went out as the whole body under a multipart content type with no
    boundary, which no server reads (UX audit 11). The body is one part, `file`."""
    file_schema = {"type": "string", "format": "binary"}
    operation = {
        "operationId": "addAttachment",
        "requestBody": {"content": {"multipart/form-data": {"schema": file_schema}}},
        "responses": {"200": {"description": "ok"}},
    }
    package = build_package(minimal_spec({}, {"/attachments": {"post": operation}}))
    http, seen = recording(lambda _: httpx.Response(200, json={}))
    package.Client(http_client=http).attachments.create(file=("a.txt", b"hello", "text/plain"))
    content_type = seen[0].headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    assert seen[0].content.startswith(b"--" + boundary)
    assert b'name="file"; filename="a.txt"' in seen[0].content and b"hello" in seen[0].content
