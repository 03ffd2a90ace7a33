"""The kitchen-sink golden packages (tests/golden) build every model, resolve every hint and
send each parameter style and body kind as the spec says."""

from __future__ import annotations

import base64
import importlib
import json
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import KITCHEN_SINK_PACKAGES, assert_package_builds


def _package(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_every_model_builds(name: str) -> None:
    assert_package_builds(_package(name))


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_a_file_field_has_a_json_schema(name: str) -> None:
    """`model_json_schema()` of a model holding a file: a binary string, on every pydantic the
    packages admit (pydantic 2.8 had none for the plain validator and raised: install
    audit; `make compat` runs this on 2.8)."""
    models = _package(name).models
    schema = models.UploadFileBody.model_json_schema()
    assert {k: schema["properties"]["file"][k] for k in ("type", "format")} == {
        "type": "string",
        "format": "binary",
    }


def _client(name: str, seen: list[httpx.Request], body: Any, status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="https://x.test")
    return _package(name).Client(bearer="tok", base_url="https://x.test", http_client=http)


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_query_styles_headers_and_cookies(name: str) -> None:
    seen: list[httpx.Request] = []
    client = _client(name, seen, {"data": [], "next_cursor": None})
    models = importlib.import_module(f"{name}.models")
    page = client.pets.list(
        tags=["a", "b"],
        ids=[1, 2],
        spaced=["x", "y z"],
        piped=["p", "q|r"],
        filter=models.PetFilter(kind="cat", minAge=2),
        kind="dog",
        x_request_id="00000000-0000-0000-0000-000000000001",
        session="s1",
    )
    assert page.items == [] and not page.has_next_page()  # a paginated list (token scheme)
    request = seen[0]
    query = request.url.query.decode()
    assert query.split("&") == [  # (`limit`'s default is the server's: not sent)
        "tags=a",
        "tags=b",
        "ids=1,2",  # the delimiter as OpenAPI writes it; one inside an item is encoded
        "spaced=x%20y+z",  # a space inside an item is form-encoded, as httpx does
        "piped=p%7Cq%7Cr",  # (the pipe as OpenAPI 3.1.1 writes it: Tomcat refuses a raw `|`)
        "filter%5Bkind%5D=cat",
        "filter%5BminAge%5D=2",
        "kind=dog",
    ]
    assert request.headers["X-Request-Id"] == "00000000-0000-0000-0000-000000000001"
    assert request.headers["Cookie"] == "session=s1"
    assert request.headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_path_label_and_matrix_styles(name: str) -> None:
    seen: list[httpx.Request] = []
    client = _client(name, seen, [])
    models = importlib.import_module(f"{name}.models")
    owner = "00000000-0000-0000-0000-00000000000a"
    client.pets.owner_pets(
        owner_id=owner, names=["rex", "tom"], matrix=models.OwnerPetsMatrix(a=1, b="z")
    )
    assert seen[0].url.raw_path.decode() == f"/owners/{owner}/pets/.rex.tom/;matrix=a,1,b,z"


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_read_only_never_sent_and_models_round_trip(name: str) -> None:
    seen: list[httpx.Request] = []
    body = {"id": 7, "name": "Rex", "kind": "dog", "naming": {"fooBar": "1", "foo_bar": "2"}}
    client = _client(name, seen, body, status=201)
    models = importlib.import_module(f"{name}.models")
    pet = models.Pet(id=5, name="Rex", kind="dog", secret="s", scalars=models.Scalars())
    created = client.pets.create(body=pet, idempotency_key="k1")
    sent = json.loads(seen[0].content)
    assert "id" not in sent and sent["secret"] == "s" and sent["name"] == "Rex"
    assert seen[0].headers["Idempotency-Key"] == "k1"  # the spec's own header parameter
    assert created.id == 7 and created.naming.model_dump(by_alias=True, exclude_unset=True) == {
        "fooBar": "1",
        "foo_bar": "2",
    }
    scalars = models.Scalars()
    assert str(scalars.day) == "2024-01-02" and scalars.kind == models.Kind.DOG
    assert scalars.when is not None and [str(d) for d in scalars.when] == ["2024-01-02"]


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_credentials_and_base_url_from_the_environment(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = name.upper()
    monkeypatch.setenv(f"{prefix}_BEARER", "from-env")
    monkeypatch.setenv(f"{prefix}_BASIC", "ann:pw:with:colons")
    monkeypatch.setenv(f"{prefix}_BASE_URL", "https://env.test/v9")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package = _package(name)
    client = package.Client(http_client=http)
    with pytest.warns(DeprecationWarning, match="deprecated"):  # (the spec says so)
        client.pets.delete(pet_id=1)
    assert str(seen[0].url) == "https://env.test/v9/pets/1"
    assert seen[0].headers["Authorization"] == "Bearer from-env"
    assert seen[0].headers["User-Agent"].startswith(f"{name.replace('_', '-')}/1.2.3 python-httpx/")
    with pytest.warns(DeprecationWarning):
        package.Client(bearer="explicit", http_client=http).pets.delete(pet_id=1)
    assert seen[1].headers["Authorization"] == "Bearer explicit"  # an argument beats the env
    assert "from-env" not in repr(client)
    client.forms.create(body={"name": "x"})
    assert seen[2].headers["Authorization"] == "Basic " + base64.b64encode(
        b"ann:pw:with:colons"
    ).decode("ascii")


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_a_credential_passed_outranks_another_schemes_variable(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`forms.create` takes an API key header or basic auth, the key first: a key left in
    the environment must not replace the basic credentials the code passes (it could be
    another account's), while a variable still fills in what the code did not pass."""
    prefix = name.upper()
    monkeypatch.setenv(f"{prefix}_API_KEY_HEADER", "key-from-env")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package = _package(name)
    package.Client(basic=("ann", "pw"), http_client=http).forms.create(body={"name": "x"})
    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()
    assert "X-Api-Key" not in seen[0].headers
    package.Client(bearer="tok", http_client=http).forms.create(body={"name": "x"})
    assert seen[1].headers["X-Api-Key"] == "key-from-env"  # nothing passed for this one
    package.Client(http_client=http).forms.create(body={"name": "x"})
    assert seen[2].headers["X-Api-Key"] == "key-from-env"


@pytest.mark.parametrize("name", KITCHEN_SINK_PACKAGES)
def test_basic_credentials_take_a_pair_or_user_colon_password(name: str) -> None:
    """`basic="user:pw"` (as the environment variable holds it) was unpacked into its
    characters at the first call (a bare ValueError); it is read as the variable is, and a
    shape that is neither is a TypeError when the client is built, naming no value."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package = _package(name)
    package.Client(basic="ann:pw:x", http_client=http).forms.create(body={"name": "x"})
    package.Client(basic=lambda: "ann:pw:x", http_client=http).forms.create(body={"name": "x"})
    expected = "Basic " + base64.b64encode(b"ann:pw:x").decode()
    assert [r.headers["Authorization"] for r in seen] == [expected, expected]
    for wrong in ("no-colon-s3cret", ("a", "b", "c"), ("a", 1)):
        with pytest.raises(TypeError, match="username, password") as info:
            package.Client(basic=wrong, http_client=http)
        assert "s3cret" not in str(info.value)
