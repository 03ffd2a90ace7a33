"""The README's upload example sends a file where every field of the body is optional
(UX audit 6: Asana's `attachments.create(body={})` uploaded nothing)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BuildPackage, minimal_spec, recording


def test_the_upload_example_sends_the_file(build_package: BuildPackage) -> None:
    request = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "parent": {"type": "string"},
            "name": {"type": "string"},
        },
    }
    paths = {
        "/attachments": {
            "post": {
                "operationId": "createAttachment",
                "x-sdk-resource": "attachments",
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": request}},
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert 'client.attachments.create(file=b"example")' in readme
    http, sent = recording()
    client = package.Client(http_client=http)
    client.attachments.create(file=b"example")
    assert b'name="file"' in sent[0].content and b"example" in sent[0].content
