"""Body keyword arguments are typed with what validating the body accepts (issue found by
a user audit: the README's own calls failed mypy): an enum's values as well as its members,
mappings for models inside lists and unions too, a string for a UUID."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLDEN_DIR, BuildPackage

PACKAGE = "kitchen_sink_31"

USER = f"""\
from __future__ import annotations

import json

import httpx

from {PACKAGE} import Client
from {PACKAGE}.models import Tag

sent: list[bytes] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request.content)
    return httpx.Response(201, json={{"name": "Rex", "kind": "cat"}})


http = httpx.Client(transport=httpx.MockTransport(answer))
client = Client(base_url="https://api.example.test", http_client=http)
tags: list[Tag] = [Tag(name="b")]
client.pets.create(idempotency_key="k1", name="Rex", kind="cat", tags=[{{"name": "a"}}])
client.pets.create(idempotency_key="k2", name="Rex", kind="dog", tags=tags)
client.pets.create(idempotency_key="k3", name="Rex", kind="bird-of-prey", tags=(Tag(name="c"),))
print(json.dumps([json.loads(body) for body in sent]))
"""


def _checked_and_run(source: str, tmp_path: Path, folder: Path | None = None) -> str:
    """What the user script `source` prints, once `mypy --strict` passed it, run against the
    committed package (or the project in `folder`)."""
    script = tmp_path / "user.py"
    script.write_text(source, encoding="utf-8")
    folder = folder or GOLDEN_DIR / PACKAGE
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), str(script)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    env = {**os.environ, "PYTHONPATH": str(folder)}
    run = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_enum_values_mappings_and_sequences_type_check_and_are_sent(tmp_path: Path) -> None:
    assert _checked_and_run(USER, tmp_path).strip() == (
        '[{"name": "Rex", "kind": "cat", "tags": [{"name": "a"}]}, '
        '{"name": "Rex", "kind": "dog", "tags": [{"name": "b"}]}, '
        '{"name": "Rex", "kind": "bird-of-prey", "tags": [{"name": "c"}]}]'
    )


PARAMETERS = f"""\
from __future__ import annotations

import httpx

from {PACKAGE} import Client
from {PACKAGE}.models import Kind, PetFilter

sent: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, json={{"items": [], "next_cursor": None}})


def typed_only(client: Client) -> None:  # type-checked, not run: a UUID as a string
    client.pets.owner_pets("12345678-1234-5678-1234-567812345678", ["a"], {{"x": 1}})


http = httpx.Client(transport=httpx.MockTransport(answer))
client = Client(base_url="https://api.example.test", http_client=http)
list(client.pets.list(kind="cat", filter={{"kind": "dog", "minAge": 2}}, limit=5))
list(client.pets.list(kind=Kind.CAT, filter=PetFilter(kind=Kind.DOG)))
for request in sent:
    print(request.url.path, sorted(request.url.params.multi_items()))
"""


def test_parameters_take_enum_values_mappings_and_uuid_strings(tmp_path: Path) -> None:
    """Query and path arguments are annotated with what their check accepts too (a str for
    an enum or a UUID, a mapping for an object): the check itself is unchanged."""
    assert _checked_and_run(PARAMETERS, tmp_path).splitlines() == [
        "/pets [('filter[kind]', 'dog'), ('filter[minAge]', '2'), ('kind', 'cat'), ('limit', '5')]",
        "/pets [('filter[kind]', 'dog'), ('kind', 'cat')]",  # `limit`'s default: the server's
    ]


FORMS = f"""\
from __future__ import annotations

import httpx

from {PACKAGE} import Client

sent: list[bytes] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request.content)
    return httpx.Response(200, text="ok", headers={{"Content-Type": "text/plain"}})


http = httpx.Client(transport=httpx.MockTransport(answer))
client = Client(base_url="https://api.example.test", api_key_header="k", http_client=http)
client.forms.create(name="pen", count=2)
client.forms.create(body={{"name": "pen"}})
client.forms.create()
client.forms.create(body=None, extra_body={{"note": "x"}})
print(sent)
"""


def test_a_body_the_spec_does_not_require_asks_for_its_required_fields(tmp_path: Path) -> None:
    """Twilio and Adyen never mark a body required, so every field of `calls.create` was
    optional in the signature though the runtime refuses a body without `To`: the method
    has three forms, the fields (required ones required), `body=`, or no body at all;
    mypy refuses a body without its required field, as the runtime does. (`extra_body=`
    alone raised pydantic's `PydanticUserError` for a body typed by a model.)"""
    assert _checked_and_run(FORMS, tmp_path).strip() == (
        "[b'name=pen&count=2', b'name=pen', b'', b'note=x']"
    )
    wrong = FORMS.replace(
        'client.forms.create(name="pen", count=2)', "client.forms.create(count=2)"
    )
    script = tmp_path / "wrong.py"
    script.write_text(wrong, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), str(script)],
        cwd=GOLDEN_DIR / PACKAGE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1
    assert 'No overload variant of "create" of "Forms" matches' in checked.stdout


LIST_OF_ENUMS = {
    "openapi": "3.1.0",
    "info": {"title": "Search", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {
                        "name": "type",
                        "in": "query",
                        "required": True,
                        "explode": False,
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
                    }
                ],
                "responses": {"204": {"description": "Found."}},
            }
        }
    },
    "components": {"schemas": {"Kind": {"type": "string", "enum": ["album", "track"]}}},
}

LIST_USER = """\
from __future__ import annotations

import httpx

from {package} import Client
from {package}.models import Kind

sent: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(204)


http = httpx.Client(transport=httpx.MockTransport(answer))
client = Client(http_client=http)
kinds: list[Kind] = [Kind.ALBUM]
client.search.retrieve(type=["track", "album"])
client.search.retrieve(type=kinds)
client.search.retrieve(type=[Kind.TRACK, "album"])
client.search.retrieve(type=("album", Kind.TRACK))
for request in sent:
    print(request.url.query.decode())
"""


def test_a_list_parameter_of_enums_takes_their_values(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A parameter listing an enum takes the enum's values as a single one does (Spotify's
    `search(type=["track"])` failed `mypy --strict`; UX audit 16), a `list[Kind]` still,
    and any sequence of them (a tuple goes out as the list it holds)."""
    package = build_package(LIST_OF_ENUMS)
    folder = Path(str(package.__file__)).parents[1]
    source = LIST_USER.format(package=package.__name__)
    assert _checked_and_run(source, tmp_path, folder).splitlines() == [
        "type=track,album",
        "type=album",
        "type=track,album",
        "type=album,track",
    ]


RAW_BODIES = {
    "openapi": "3.1.0",
    "info": {"title": "Flux", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/query": {
            "post": {
                "operationId": "query",
                "requestBody": {
                    "required": True,
                    "content": {"application/vnd.flux": {"schema": {"type": "string"}}},
                },
                "responses": {"204": {"description": "Done."}},
            }
        },
        "/write": {
            "post": {
                "operationId": "write",
                "parameters": [
                    {"name": "Content-Encoding", "in": "header", "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "responses": {"204": {"description": "Done."}},
            }
        },
    },
}

RAW_USER = """\
from __future__ import annotations

import gzip

import httpx

from {package} import Client

sent: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(204)


client = Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.query.query(body='from(bucket:"b")')
client.query.query(body=b"from(bucket:\\"b\\")")
client.write.create(body="m v=1")
client.write.create(content_encoding="gzip", body=gzip.compress(b"m v=1"))
for request in sent:
    content = request.content
    if request.headers.get("content-encoding") == "gzip":
        content = gzip.decompress(content)
    print(request.url.path, request.headers["content-type"], content.decode())
"""


def test_text_bodies_take_str_and_bytes(build_package: BuildPackage, tmp_path: Path) -> None:
    """A string schema in a media type of its own takes a `str` (InfluxDB's Flux query as
    `application/vnd.flux` took only bytes, files and chunks), and a `text/*` body takes
    bytes (its gzip writes, with the `Content-Encoding` the call names): both failed
    `mypy --strict`, though both were sent right (UX audit 16)."""
    package = build_package(RAW_BODIES)
    folder = Path(str(package.__file__)).parents[1]
    source = RAW_USER.format(package=package.__name__)
    assert _checked_and_run(source, tmp_path, folder).splitlines() == [
        '/query application/vnd.flux from(bucket:"b")',
        '/query application/vnd.flux from(bucket:"b")',
        "/write text/plain m v=1",
        "/write text/plain m v=1",
    ]
