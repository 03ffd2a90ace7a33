"""Media types over real HTTP against Prism serving `tests/contract/specs/media.yaml`:
negotiated downloads (buffered and streamed), JSON or CSV by `Accept`, uploads with file
names and types, raw bytes, and one operation's JSON, form and multipart alternatives.

Prism validates each request against the spec (a violation fails the call) and answers
with the media type the `Accept` header asks for. Server-sent events and JSON Lines are
streamed by tests/generator/test_streams.py against a local server (Prism does not stream).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate_package
from tests.contract.conftest import start_prism
from tests.contract.prism import PrismServer
from tests.contract.support import contract_call

SPEC = Path(__file__).parent / "specs" / "media.yaml"
PACKAGE = "media_contract"


@pytest.fixture(scope="module")
def media_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    root = tmp_path_factory.mktemp("media_contract")
    server = start_prism(SPEC, root / "prism.log")
    generate_package(SPEC, root / PACKAGE, package_name=PACKAGE)
    sys.path.insert(0, str(root / PACKAGE))
    importlib.invalidate_caches()
    try:
        yield server
    finally:
        server.stop()
        sys.path.remove(str(root / PACKAGE))
        for name in [k for k in sys.modules if k == PACKAGE or k.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def call(server: PrismServer, mode: str, method: str, **arguments: Any) -> Any:
    """One call, raw: Prism's violations fail it."""
    return contract_call(PACKAGE, method, server.base_url, mode, arguments, raw=True)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_download_is_negotiated_and_read(media_server: PrismServer, mode: str) -> None:
    raw = call(media_server, mode, "files.content.retrieve", file_id="f1")
    assert raw.http_response.request.headers["accept"] == (
        "application/pdf, application/problem+json"
    )
    assert raw.parsed.content_type == "application/pdf"
    assert raw.parsed.http_response.content == b"%PDF-1.7 contract"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_documented_problem_is_parsed(media_server: PrismServer, mode: str) -> None:
    package = importlib.import_module(PACKAGE)
    with pytest.raises(package.NotFoundError) as raised:
        call(
            media_server,
            mode,
            "files.content.retrieve",
            file_id="f1",
            extra_headers={"Prefer": "code=404"},
        )
    assert raised.value.parsed.title == "no such file"


def test_a_streamed_download(media_server: PrismServer, tmp_path: Path) -> None:
    package = importlib.import_module(PACKAGE)
    client = package.Client(base_url=media_server.base_url, bearer_auth="t", max_retries=0)
    with client, client.files.content.retrieve(file_id="f1", stream=True) as download:
        assert download.write_to_file(tmp_path / "f1.pdf") == len(b"%PDF-1.7 contract")
    assert (tmp_path / "f1.pdf").read_bytes() == b"%PDF-1.7 contract"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_json_is_preferred_and_csv_can_be_asked_for(media_server: PrismServer, mode: str) -> None:
    package = importlib.import_module(PACKAGE)
    report = call(media_server, mode, "reports.retrieve", report_id="r1").parsed
    assert isinstance(report, package.models.Report) and report.total == 3
    csv = call(
        media_server, mode, "reports.retrieve", report_id="r1", extra_headers={"Accept": "text/csv"}
    )
    assert csv.parsed == "id,total\nr1,3\n"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_upload_with_a_file_name_and_type(media_server: PrismServer, mode: str) -> None:
    body = {"image": ("photo.png", b"\x89PNG", "image/png"), "caption": "hi"}
    raw = call(media_server, mode, "photos.create", body=body)
    assert raw.status_code == 201 and raw.parsed.count == 1
    sent = raw.http_response.request.read()  # the multipart stream, rendered again
    assert b'filename="photo.png"' in sent and b"Content-Type: image/png" in sent


@pytest.mark.xfail(
    strict=True,
    reason="Prism keeps the last of repeated multipart parts, so an array of files fails its "
    "validation (stoplightio/prism#2654); tests/generator/test_uploads.py checks the parts",
)
def test_an_array_of_files(media_server: PrismServer) -> None:
    body = {"image": b"PNG", "extras": [("a.txt", b"A", "text/plain"), ("b.txt", b"B")]}
    call(media_server, "sync", "photos.create", body=body)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_raw_bytes(media_server: PrismServer, mode: str) -> None:
    raw = call(media_server, mode, "blobs.update", name="b1", body=b"\x00\x01\x02")
    assert raw.status_code == 204
    assert raw.http_response.request.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("body", "content_type", "sent"),
    [
        ({"image_url": "https://x.test/a.png", "size": "auto"}, None, "application/json"),
        (
            {"image_url": "https://x.test/a.png"},
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded",
        ),
        ({"image_file": ("a.png", b"PNG", "image/png")}, None, "multipart/form-data"),
    ],
    ids=["json", "form", "multipart"],
)
def test_every_request_media_type_of_one_operation(
    media_server: PrismServer, mode: str, body: Any, content_type: str | None, sent: str
) -> None:
    arguments: dict[str, Any] = {"body": body}
    if content_type is not None:
        arguments["content_type"] = content_type
    raw = call(media_server, mode, "removebg.remove_background", **arguments)
    assert raw.http_response.request.headers["content-type"].startswith(sent)
    assert raw.parsed.content_type == "image/png"
