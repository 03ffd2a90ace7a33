"""The async client's binary and streamed results are their own types, as in the OpenAI SDK:
`AsyncBinaryResponse` (`aread`, `aiter_bytes`, `awrite_to_file`, `aclose`, `async with`) and
`AsyncStream[T]` (`async for`, `aclose`, `async with`), while the sync client's
`BinaryResponse` and `Stream[T]` have only the sync methods. A sync method called on an async
result (which httpx refuses at run time with a `RuntimeError`) is a mypy error.

mypy --strict runs over user scripts against the committed kitchen sink (a download,
`files.content.retrieve`; server-sent events, `pets.events`; JSON Lines or text,
`pets.export`); the run-time behaviour is tested in test_media_types.py and test_streams.py."""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from generator import typeir as t
from generator.ir_content import async_result
from tests.conftest import (
    GOLDEN_DIR,
    BuildPackage,
    assert_package_passes_checkers,
    minimal_spec,
)

PACKAGE = "kitchen_sink_31"

HEADER = f"""\
from __future__ import annotations

import asyncio
from pathlib import Path

from typing_extensions import assert_type

from {PACKAGE} import (
    AsyncBinaryResponse,
    AsyncClient,
    AsyncStream,
    BinaryResponse,
    Client,
    RawResponse,
    Stream,
)
from {PACKAGE}._binary import BaseBinaryResponse
from {PACKAGE}._streams import BaseStream, ServerSentEvent
from {PACKAGE}.models import Pet
"""

USES = (
    HEADER
    + """

def sync_use(client: Client, path: Path) -> None:
    download = client.files.content.retrieve("f", stream=True)
    assert_type(download, BinaryResponse)
    with download as entered:
        assert_type(entered, BinaryResponse)
        assert_type(download.read(), bytes)
        for chunk in download.iter_bytes(1024):
            assert_type(chunk, bytes)
        assert_type(download.write_to_file(path), int)
    download.close()
    events = client.pets.events()
    assert_type(events, Stream[ServerSentEvent[Pet]])
    with events:
        for event in events:
            assert_type(event.data, Pet)
    raw = client.files.content.with_raw_response.retrieve("f")
    assert_type(raw, RawResponse[BinaryResponse])


async def async_use(client: AsyncClient, path: Path) -> None:
    download = await client.files.content.retrieve("f", stream=True)
    assert_type(download, AsyncBinaryResponse)
    async with download as entered:
        assert_type(entered, AsyncBinaryResponse)
        assert_type(await download.aread(), bytes)
        async for chunk in download.aiter_bytes(1024):
            assert_type(chunk, bytes)
        assert_type(await download.awrite_to_file(path), int)
    await download.aclose()
    # what does not touch the connection is shared
    assert_type(download.status_code, int)
    assert_type(download.content_type, str)
    assert_type(download.filename, str | None)
    assert_type(download.is_read, bool)
    assert_type(download.text, str)
    events = await client.pets.events()
    assert_type(events, AsyncStream[ServerSentEvent[Pet]])
    async with events as stream:
        assert_type(stream, AsyncStream[ServerSentEvent[Pet]])
        async for event in stream:
            assert_type(event.data, Pet)
    assert_type(events.last_event_id, str | None)
    await events.aclose()
    exported = await client.pets.export()
    assert_type(exported, AsyncStream[Pet] | str)
    if not isinstance(exported, str):
        async for pet in exported:
            assert_type(pet, Pet)
    raw = await client.files.content.with_raw_response.retrieve("f")
    assert_type(raw, RawResponse[AsyncBinaryResponse])


def describe(response: BaseBinaryResponse, stream: BaseStream[Pet]) -> str:
    # code that only reads the description takes either client's
    return f"{response.content_type} {response.filename} {stream.last_event_id}"


def main() -> None:
    path = Path("out.bin")
    sync_use(Client(), path)
    asyncio.run(async_use(AsyncClient(), path))
    describe(BinaryResponse.__new__(BinaryResponse), Stream.__new__(Stream))
    describe(AsyncBinaryResponse.__new__(AsyncBinaryResponse), AsyncStream.__new__(AsyncStream))
"""
)

# each line marked `# E: <text>` must be a mypy error whose message holds <text>, and no
# other line may be one
MISUSES = (
    HEADER
    + """

async def async_misuse(client: AsyncClient, path: Path) -> None:
    download = await client.files.content.retrieve("f")
    download.read()  # E: "AsyncBinaryResponse" has no attribute "read"
    download.iter_bytes()  # E: "AsyncBinaryResponse" has no attribute "iter_bytes"
    download.write_to_file(path)  # E: "AsyncBinaryResponse" has no attribute "write_to_file"
    download.close()  # E: "AsyncBinaryResponse" has no attribute "close"
    with download:  # E: "AsyncBinaryResponse" has no attribute "__enter__"
        pass
    events = await client.pets.events()
    for event in events:  # E: "AsyncStream[ServerSentEvent[Pet]]" has no attribute "__iter__"
        print(event)
    events.close()  # E: "AsyncStream[ServerSentEvent[Pet]]" has no attribute "close"
    with events:  # E: "AsyncStream[ServerSentEvent[Pet]]" has no attribute "__enter__"
        pass
    raw = await client.files.content.with_raw_response.retrieve("f")
    raw.parsed.read()  # E: "AsyncBinaryResponse" has no attribute "read"


async def sync_misuse(client: Client) -> None:
    download = client.files.content.retrieve("f")
    await download.aread()  # E: "BinaryResponse" has no attribute "aread"
    async for chunk in download.aiter_bytes():  # E: "BinaryResponse" has no attribute "aiter_bytes"
        print(chunk)
    async with download:  # E: "BinaryResponse" has no attribute "__aenter__"
        pass
    events = client.pets.events()
    async for event in events:  # E: "Stream[ServerSentEvent[Pet]]" has no attribute "__aiter__"
        print(event)
    await events.aclose()  # E: "Stream[ServerSentEvent[Pet]]" has no attribute "aclose"
"""
)


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's runs: the package is analysed once."""
    return tmp_path_factory.mktemp("mypy-cache")


def run_mypy(text: str, tmp_path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "user.py"
    script.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(script)],
        cwd=GOLDEN_DIR / PACKAGE,
        capture_output=True,
        text=True,
        check=False,
    )


def test_each_client_s_results_type_check_with_their_own_methods(
    tmp_path: Path, mypy_cache: Path
) -> None:
    result = run_mypy(USES, tmp_path, mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_sync_method_on_an_async_result_is_a_mypy_error(tmp_path: Path, mypy_cache: Path) -> None:
    """…and an async one on a sync result: `d = await client.x.download(); d.read()`
    passed mypy and raised httpx's RuntimeError when run."""
    result = run_mypy(MISUSES, tmp_path, mypy_cache)
    expected = {
        number: marked.group(1)
        for number, line in enumerate(MISUSES.splitlines(), start=1)
        if (marked := re.search(r"# E: (.*)$", line))
    }
    found: dict[int, list[str]] = {}
    for line in result.stdout.splitlines():
        reported = re.match(r".*user\.py:(\d+): error: (.*)$", line)
        if reported:
            found.setdefault(int(reported.group(1)), []).append(reported.group(2))
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(found) == sorted(expected), result.stdout
    for number, text in expected.items():
        assert any(text in message for message in found[number]), (number, found[number])


def test_the_async_result_type_swaps_only_the_binary_and_stream_types() -> None:
    """`Operation.returns(True)`: the union's order and every other member are kept."""
    pet = t.ModelRef("Pet")
    event = t.Subscript(t.S.SERVER_SENT_EVENT, (pet,))
    sync = t.union(
        [t.Subscript(t.S.STREAM, (event,)), t.Named(t.S.BINARY_RESPONSE), t.STR, pet, t.NONE]
    )
    swapped = async_result(sync)
    assert isinstance(swapped, t.Union)
    assert swapped.members == (
        t.Subscript(t.S.ASYNC_STREAM, (event,)),
        t.Named(t.S.ASYNC_BINARY_RESPONSE),
        t.STR,
        pet,
        t.NONE,
    )
    plain = t.Generic("list", (pet,))
    assert async_result(plain) is plain  # nothing to swap: the node itself


def _object(name: str) -> dict[str, object]:
    return {"type": "object", "properties": {name: {"type": "string"}}}


CLASHING = minimal_spec(
    {"AsyncBinaryResponse": _object("a"), "AsyncStream": _object("b")},
    {
        "/files/{id}": {
            "get": {
                "operationId": "getFile",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The file, or its description.",
                        "content": {
                            "application/pdf": {},
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/AsyncBinaryResponse"}
                            },
                        },
                    }
                },
            }
        },
        "/events": {
            "get": {
                "operationId": "watchEvents",
                "responses": {
                    "200": {
                        "description": "Events.",
                        "content": {
                            "text/event-stream": {
                                "schema": {"$ref": "#/components/schemas/AsyncStream"}
                            }
                        },
                    }
                },
            }
        },
    },
)


def test_models_named_like_the_async_types_keep_both(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A spec's `AsyncBinaryResponse` and `AsyncStream` schemas are models of those names;
    the runtime's types are imported under other names where a module needs both."""
    package = build_package(CLASHING)
    assert_package_passes_checkers(package, tmp_path / "mypy")
    models = package.models
    method = package.AsyncClient().files.retrieve
    found = typing.get_type_hints(method, localns=vars(models))["return"]
    assert set(found.__args__) == {models.AsyncBinaryResponse, package._binary.AsyncBinaryResponse}


def test_the_result_types_are_the_packages_own_names() -> None:
    """`BinaryResponse`, `Stream` and their async twins are importable from the package,
    as the OpenAI SDK's `Stream` and `AsyncStream` are (they were in private modules only),
    and so are the webhook errors; importing the package still leaves the streams' module
    (pydantic's machinery with it) to the first use."""
    code = f"""
import sys
import {PACKAGE} as pkg
assert "{PACKAGE}._streams" not in sys.modules
from {PACKAGE}._binary import AsyncBinaryResponse, BinaryResponse
from {PACKAGE}._streams import AsyncStream, Stream
assert pkg.BinaryResponse is BinaryResponse and pkg.AsyncBinaryResponse is AsyncBinaryResponse
assert pkg.Stream is Stream and pkg.AsyncStream is AsyncStream
assert pkg.WebhookError is pkg.errors.WebhookError
assert {{"Stream", "AsyncStream", "WebhookVerificationError"}} <= set(pkg.__all__)
"""
    folder = GOLDEN_DIR / PACKAGE
    run = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


CONSTRUCTORS = f"""\
from __future__ import annotations

from {PACKAGE}.models import PetFilter

by_attribute = PetFilter(min_age=3)
by_wire_name = PetFilter(minAge=3)  # E: Unexpected keyword argument "minAge"
"""


def test_models_are_built_by_their_attribute_names_under_mypy(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """A type checker reads `Field(alias=…)` as the constructor's keyword (PEP 681): under
    mypy --strict, `Invoice(line_items=…)` was refused and only `LineItems=` passed, though
    the attribute is `invoice.line_items`. The spec's name is a validation and serialization
    alias now: the attribute's name type-checks (and both work at run time)."""
    result = run_mypy(CONSTRUCTORS, tmp_path, mypy_cache)
    errors = re.findall(r"user\.py:(\d+): error: (.*)", result.stdout)
    assert [line for line, _ in errors] == ["6"], result.stdout
    assert 'Unexpected keyword argument "minAge"' in errors[0][1]
    assert 'did you mean "min_age"?' in errors[0][1]
    sys.path.insert(0, str(GOLDEN_DIR / PACKAGE))
    try:
        models = __import__(f"{PACKAGE}.models", fromlist=["PetFilter"])
        for built in (models.PetFilter(min_age=3), models.PetFilter(minAge=3)):
            assert built.min_age == 3
            assert built.model_dump(by_alias=True, exclude_unset=True) == {"minAge": 3}
    finally:
        sys.path.remove(str(GOLDEN_DIR / PACKAGE))


CHAT = minimal_spec(
    {
        "Completion": _object("id"),
        "Chunk": _object("delta"),
        "CompletionRequest": {
            "type": "object",
            "required": ["model"],
            "properties": {"model": {"type": "string"}, "stream": {"type": "boolean"}},
        },
    },
    {
        "/chat/completions": {
            "post": {
                "operationId": "createChatCompletion",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CompletionRequest"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The completion, or its chunks as events.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Completion"}
                            },
                            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Chunk"}},
                        },
                    }
                },
            }
        }
    },
)

CHAT_USES = """\
from __future__ import annotations

from typing_extensions import assert_type

from {package} import AsyncClient, AsyncStream, Client, Stream
from {package}._streams import ServerSentEvent
from {package}.models import Chunk, Completion


def sync_use(client: Client) -> None:
    with client.chat.completions.create(model="m", stream=True) as events:
        assert_type(events, Stream[ServerSentEvent[Chunk]])
    assert_type(client.chat.completions.create(model="m"), Completion)
    assert_type(client.chat.completions.create(model="m", stream=False), Completion)


async def async_use(client: AsyncClient) -> None:
    events = await client.chat.completions.create(model="m", stream=True)
    assert_type(events, AsyncStream[ServerSentEvent[Chunk]])
    assert_type(await client.chat.completions.create(model="m"), Completion)
"""


def test_a_stream_field_chooses_the_return_type_as_openai_s_overloads_do(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """Media audit: `with client.chat.completions.create(…, stream=True) as events:` was a
    mypy --strict error (the union's `Completion` is no context manager): the body's
    boolean `stream` chooses the return type, `Literal[True]` the stream."""
    package = build_package(CHAT)
    project = Path(str(package.__file__)).parents[1]
    script = tmp_path / "user.py"
    script.write_text(CHAT_USES.format(package=package.__name__), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
