"""Server variables (UX audit 4: Pinecone's `{environment}` was fixed at its default; AWS's
`{region}`, in 341 directory specs, too): each one the first server's URL names is an
argument of the clients, else read from `$<PREFIX>_<ARGUMENT>`, else its default; a value
off its `enum` is refused. A variable that names a secret (Telegram's `bot{token}`) stays
at its default (a credential in the base URL would show in reprs and logs)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, assert_package_builds, minimal_spec

_OK = {
    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
}


def _spec() -> dict[str, Any]:
    spec = minimal_spec({}, {"/things": {"get": {"operationId": "listThings", "responses": _OK}}})
    spec["servers"] = [
        {
            "url": "https://{region}.api.example.test/{basePath}/bot{token}",
            "variables": {
                "region": {"default": "us", "enum": ["us", "eu"], "description": "Where."},
                "basePath": {"default": "v1"},
                "token": {"default": "TOKEN"},
            },
        }
    ]
    return spec


@pytest.fixture
def package(build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch) -> Any:
    package = build_package(_spec())
    for name in ("REGION", "BASE_PATH", "BASE_URL"):
        monkeypatch.delenv(f"{package.__name__.upper()}_{name}", raising=False)
    return package


def test_server_variables_are_client_arguments(
    package: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_package_builds(package)
    prefix = package.__name__.upper()
    assert package.Client().base_url == "https://us.api.example.test/v1/botTOKEN"
    client = package.AsyncClient(region="eu", base_path="v2")
    assert client.base_url == "https://eu.api.example.test/v2/botTOKEN"
    monkeypatch.setenv(f"{prefix}_REGION", "eu")
    assert package.Client().base_url == "https://eu.api.example.test/v1/botTOKEN"
    assert package.Client(region="us").base_url.startswith("https://us.")  # the argument wins
    monkeypatch.setenv(f"{prefix}_BASE_URL", "https://proxy.test")
    assert package.Client(region="us").base_url == "https://proxy.test"  # the whole URL wins
    assert package.Client(base_url="https://mock.test").base_url == "https://mock.test"


def test_a_value_off_the_enum_is_refused(package: Any) -> None:
    with pytest.raises(ValueError, match="'region' must be one of: us, eu"):
        package.Client(region="mars")


def test_calls_go_to_the_chosen_server(package: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package.Client(region="eu", http_client=http).things.list()
    assert seen == ["https://eu.api.example.test/v1/botTOKEN/things"]
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "from `region=`" in readme and "from `base_path=`" in readme
    assert "token=" not in readme


def test_an_https_twin_of_a_first_http_server_comes_first(build_package: BuildPackage) -> None:
    """APIs.guru's AWS specs list `http://…` before the same URL in `https://`."""
    spec = _spec()
    spec["servers"] = [
        {"url": "http://mgh.{region}.amazonaws.test", "variables": {"region": {"default": "a"}}},
        {"url": "https://mgh.{region}.amazonaws.test", "variables": {"region": {"default": "a"}}},
    ]
    package = build_package(spec)
    assert package.DEFAULT_BASE_URL == "https://mgh.a.amazonaws.test"
    assert package.Client(region="b").base_url == "https://mgh.b.amazonaws.test"


def test_a_default_off_its_enum_still_serves(build_package: BuildPackage) -> None:
    """W202 says the client's default URL uses such a default: `Client()` raised."""
    spec = _spec()
    spec["servers"][0]["variables"]["region"] = {"default": "global", "enum": ["us", "eu"]}
    package = build_package(spec)
    assert package.Client().base_url.startswith("https://global.")
    with pytest.raises(ValueError, match="must be one of: us, eu"):
        package.Client(region="mars")


@pytest.mark.parametrize(
    "name", ["sig", "sasToken", "jwt", "bearer", "pat", "apiKey", "clientSecret"]
)
def test_a_variable_naming_a_secret_is_no_argument(build_package: BuildPackage, name: str) -> None:
    spec = _spec()
    spec["servers"] = [
        {"url": "https://api.example.test/{" + name + "}", "variables": {name: {"default": "x"}}}
    ]
    package = build_package(spec)
    assert package.Client().base_url == "https://api.example.test/x"
    assert "SERVER_URL" not in vars(importlib.import_module(f"{package.__name__}._client"))


def test_a_path_variable_is_still_an_argument(build_package: BuildPackage) -> None:
    spec = _spec()
    spec["servers"] = [
        {"url": "https://api.example.test/{path}", "variables": {"path": {"default": "v1"}}}
    ]
    assert build_package(spec).Client(path="v2").base_url == "https://api.example.test/v2"
