"""Hostile audit 8, servers: a server URL with a query sent every operation to the server's
own path (`DELETE /things/42` went out as `DELETE /v1`); a server variable's value moved
the host (`Client(tenant="evil.test/x?")`, the token going there); a path parameter filled
a variable the server URL names but does not define, in the host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import BuildPackage, minimal_spec, recording, write_spec

ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _spec(server: dict[str, Any], parameter: dict[str, Any] = ID) -> dict[str, Any]:
    name = parameter["name"]
    spec = minimal_spec(
        {},
        {
            f"/things/{{{name}}}": {
                "delete": {
                    "operationId": "deleteThing",
                    "parameters": [parameter],
                    "responses": {"204": {"description": "gone"}},
                }
            }
        },
        security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
    )
    spec["servers"] = [server]
    return spec


def test_a_server_url_with_a_query_is_not_a_base_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_package: BuildPackage
) -> None:
    spec = _spec({"url": "https://api.example.test/v1?tenant=acme"})
    spec["servers"].append({"url": "https://api.example.test/v1"})
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert "W312" in capsys.readouterr().err
    package = build_package(spec)
    assert package.Client(bearer="t").base_url == "https://api.example.test/v1"
    for url in ("https://api.example.test/v1?x=1", "https://api.example.test/v1#x"):
        with pytest.raises(ValueError, match="query or fragment"):
            package.Client(bearer="t", base_url=url)


@pytest.mark.parametrize(
    ("given", "refused"),
    [
        ({"tenant": "evil.test/x?"}, "tenant"),
        ({"tenant": "evil.test#"}, "tenant"),
        ({"tenant": "a@evil.test"}, "tenant"),
        ({"tenant": "{version}", "version": "evil.test/"}, "tenant"),
        ({"version": "v1?x=1"}, "version"),
        ({"version": "../admin"}, "version"),
        ({"tenant": "eu-1", "version": "v2/beta"}, None),
    ],
)
def test_a_server_variable_value_stays_in_its_part_of_the_url(
    build_package: BuildPackage, given: dict[str, str], refused: str | None
) -> None:
    server = {
        "url": "https://{tenant}.api.example.test/{version}",
        "variables": {"tenant": {"default": "acme"}, "version": {"default": "v1"}},
    }
    package = build_package(_spec(server))
    if refused is not None:
        with pytest.raises(ValueError, match=refused):
            package.Client(bearer="t", **given)
        return
    http, seen = recording()
    client = package.Client(bearer="t", http_client=http, **given)
    client.things.delete("42")
    assert str(seen[0].url) == "https://eu-1.api.example.test/v2/beta/things/42"


def test_a_path_parameter_fills_the_route_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_package: BuildPackage
) -> None:
    """The server names `{region}` without defining it: the path's `{region}` went into the
    host too (`https://attacker.api.example.test/…`, the token with it)."""
    region = {**ID, "name": "region"}
    spec = _spec({"url": "https://api.example.test/{region}"}, region)
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "W312" in err and "{region}, undefined" in err
    package = build_package(spec)
    http, seen = recording()
    client = package.Client(bearer="t", http_client=http)
    client.things.delete("attacker")
    assert seen[0].url.host == "api.example.test"
    assert seen[0].url.path.endswith("/things/attacker") and "attacker" not in seen[0].url.path[:-9]


API = "https://api.example.test/v1"
TENANT = {
    "url": "https://{shop}.shop.example.test/admin",
    "variables": {"shop": {"default": "vendor"}},
}


def _tenant(url: str) -> dict[str, Any]:
    names = [part.split("}")[0] for part in url.split("{")[1:]]
    return {"url": url, "variables": {name: {"default": "vendor"} for name in names}}


def test_the_generator_and_the_runtime_share_one_list_of_hosting_domains() -> None:
    from generator.ir_document import _SHARED_HOSTING
    from generator.runtime._origins import SHARED_HOSTING

    assert _SHARED_HOSTING == SHARED_HOSTING


@pytest.mark.parametrize(
    ("base", "server", "credentials"),
    [
        (API, "https://files.example.test/v1", True),  # the site (Stripe's files.stripe.com)
        (API, "https://evil.test/collect", False),
        (API, "https://api.example.test.evil.test/v1", False),  # a look-alike
        (API, "http://api.example.test/v1", False),  # clear text
        # another tenant of a shared hosting domain (hostile audit 9): no site of the API's
        ("https://vendor.azurewebsites.net/v1", "https://attacker.azurewebsites.net/x", False),
        ("https://vendor.azurewebsites.net/v1", "https://vendor.azurewebsites.net/files", True),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod",
            "https://evil99.execute-api.us-east-1.amazonaws.com/prod",
            False,
        ),
        ("https://vendor.herokuapp.com", "https://other.herokuapp.com", False),
        # tenants' hosts (hostile audit 10): Shopify's, Zendesk's, Lambda's function URLs
        ("https://vendor.myshopify.com/admin", "https://attacker.myshopify.com/x", False),
        ("https://acme.zendesk.com/api/v2", "https://evil.zendesk.com/x", False),
        (
            "https://abc.lambda-url.us-east-1.on.aws",
            "https://evil.lambda-url.us-east-1.on.aws",
            False,
        ),
        # a host beginning with a variable names a domain of tenants, whatever it is
        (TENANT, "https://attacker.shop.example.test/x", False),
        (TENANT, "https://vendor.shop.example.test/files", True),
        (TENANT, "https://files.example.test/v1", False),  # the API is a tenant: its own site
        # a variable inside a label, two of them, a domain in Unicode (hostile audit 11)
        (_tenant("https://{t}-api.example.test"), "https://evil-api.example.test/x", False),
        (_tenant("https://{t}.{region}.example.test"), "https://evil.eu.example.test/x", False),
        (_tenant("https://{t}.kassé.example"), "https://evil.xn--kass-epa.example/x", False),
    ],
)
def test_an_operation_server_of_another_site_gets_no_credentials(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    build_package: BuildPackage,
    base: str | dict[str, Any],
    server: str,
    credentials: bool,
) -> None:
    """Hostile audit 8: an operation's `servers` received the API key and the bearer token,
    whatever host it named; audit 9: "the same site" kept a host's last two labels, so
    another tenant of the API's hosting domain (`attacker.azurewebsites.net`) got them;
    audit 10: another shop of Shopify's `{shop}.myshopify.com` got them."""
    spec = _spec(base if isinstance(base, dict) else {"url": base})
    spec["paths"]["/things/{id}"]["delete"]["servers"] = [{"url": server}]
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert ("W313" in capsys.readouterr().err) is not credentials
    package = build_package(spec)
    http, seen = recording()
    package.Client(bearer="SECRET-TOKEN", http_client=http).things.delete("42")
    assert str(seen[0].url).startswith(server)
    assert ("authorization" in seen[0].headers) is credentials


def test_an_http_token_url_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_package: BuildPackage
) -> None:
    """An OAuth2 `tokenUrl` of `http://` got the client secret in clear text (Basic)."""
    spec = _spec({"url": "https://api.example.test/v1"})
    flows = {"clientCredentials": {"tokenUrl": "http://evil.test/token", "scopes": {}}}
    spec["components"]["securitySchemes"] = {"oauth": {"type": "oauth2", "flows": flows}}
    spec["security"] = [{"oauth": []}]
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert "W313" in capsys.readouterr().err
    package = build_package(spec)
    helper = next(getattr(package, n) for n in dir(package) if n.endswith("ClientCredentials"))
    with pytest.raises(ValueError, match="https"):
        helper("id", "MY-CLIENT-SECRET")
    helper("id", "MY-CLIENT-SECRET", token_url="https://auth.example.test/token")
    helper("id", "MY-CLIENT-SECRET", token_url="http://localhost:8080/token")


def test_the_specs_other_servers_are_named_and_reachable(build_package: BuildPackage) -> None:
    """UX audit 6: Plaid lists production, development and sandbox; the package knew only
    the first (sandbox calls went to production), and `with_options(base_url=)` was a
    TypeError."""
    spec = _spec({"url": "https://production.example.test", "description": "Production"})
    spec["servers"].append({"url": "https://sandbox.example.test", "description": "Sandbox"})
    package = build_package(spec)
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert "other servers too: `https://sandbox.example.test` (Sandbox):" in readme
    http, seen = recording()
    client = package.Client(bearer="t", http_client=http)
    client.with_options(base_url="https://sandbox.example.test").things.delete("42")
    client.things.delete("43")
    assert [str(r.url) for r in seen] == [
        "https://sandbox.example.test/things/42",
        "https://production.example.test/things/43",
    ]
    with pytest.raises(ValueError, match="query"):
        client.with_options(base_url="https://sandbox.example.test/?x=1")


@pytest.mark.parametrize(
    ("url", "told"),
    [
        ("http://api.sendgrid.com/v3", True),  # SendGrid's only server (UX audit 9)
        ("https://api.sendgrid.com/v3", False),
        ("http://localhost:8080", False),
        ("http://192.168.1.20/api", False),
        ("http://api.example.test", False),  # a reserved name
    ],
)
def test_credentials_in_clear_text_are_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, told: bool
) -> None:
    """UX audit 18: SendGrid's only server is `http://`, its key went in clear text, and
    the API's redirect to `https://` then lost the POST. The clients' default is the
    `https://` form of such a server, and W315 says so; a server of this machine, of a
    private network or on a reserved name stays as written."""
    path = write_spec(tmp_path, _spec({"url": url}), "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert ("W315" in capsys.readouterr().err) is told
    (client_module,) = (tmp_path / "out").glob("*/_client.py")
    client = client_module.read_text()
    expected = url.replace("http://", "https://") if told else url
    assert f'DEFAULT_BASE_URL = "{expected}"' in client


@pytest.mark.parametrize("default", ["v1?tenant=acme", "v1#top"])
def test_a_server_whose_default_adds_a_query_is_not_a_base_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_package: BuildPackage, default: str
) -> None:
    """The template was checked, not the URL its defaults make: `Client()` raised
    `ValueError` with the spec's own defaults, and nothing said why (hostile audit 12)."""
    server = {"url": "https://api.example.test/{ver}", "variables": {"ver": {"default": default}}}
    spec = _spec(server)
    spec["servers"].append({"url": "https://api.example.test/v1"})
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert "W312" in capsys.readouterr().err
    assert build_package(spec).Client(bearer="t").base_url == "https://api.example.test/v1"


def test_a_placeholder_first_server_gives_way_to_the_real_one(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VTEX's 31 specs list `https://vtex.local` first: the README's quickstart connected
    there, and the real server's `{accountName}` (whose default is a placeholder too) was no
    client argument (UX audit 10). Now the real server is the default, and its variables with
    no usable default must be given (or be in their environment variables)."""
    server = {
        "url": "https://{accountName}.{environment}.com.br",
        "variables": {
            "accountName": {"default": "{accountName}"},
            "environment": {"default": "vtexcommercestable"},
        },
    }
    spec = _spec(server)
    spec["servers"] = [{"url": "https://vtex.local"}, server]
    package = build_package(spec)
    variable = f"{package.__name__.upper()}_ACCOUNT_NAME"
    with pytest.raises(ValueError, match=f"accountName.*{variable}"):
        package.Client(bearer="t")
    http, seen = recording()
    package.Client(bearer="t", account_name="shop", http_client=http).things.delete("42")
    assert str(seen[0].url) == "https://shop.vtexcommercestable.com.br/things/42"
    monkeypatch.setenv(variable, "other")
    assert package.Client(bearer="t").base_url == "https://other.vtexcommercestable.com.br"


def test_a_server_variable_defaulting_to_none_must_be_given(build_package: BuildPackage) -> None:
    """AutoRest's `accountName` defaults to `none`, a storage account anyone may register:
    once `azure.local` gave way to the real server, `Client()` sent its credentials to
    `https://none.dfs.core.windows.net` (regression audit)."""
    server = {
        "url": "https://{accountName}.{dnsSuffix}",
        "variables": {
            "accountName": {"default": "none"},
            "dnsSuffix": {"default": "dfs.core.windows.net"},
        },
    }
    spec = _spec(server)
    spec["servers"] = [{"url": "https://azure.local"}, server]
    package = build_package(spec)
    with pytest.raises(ValueError, match="accountName"):
        package.Client(bearer="t")
    client = package.Client(bearer="t", account_name="mine")
    assert client.base_url == "https://mine.dfs.core.windows.net"


def test_a_network_path_server_is_https(build_package: BuildPackage) -> None:
    """UX audit 14: Postmark's first server is `//api.postmarkapp.com` (40 directory specs'
    are network-path references): the client refused it as not absolute, though the test
    kit read it as https. It is `https://api.postmarkapp.com`."""
    spec = minimal_spec(
        {},
        {
            "/bounces": {
                "get": {"operationId": "getBounces", "responses": {"204": {"description": "ok"}}}
            }
        },
    )
    spec["servers"] = [{"url": "//api.postmarkapp.com"}]
    package = build_package(spec)
    http, sent = recording()
    package.Client(http_client=http).bounces.retrieve()
    assert str(sent[0].url) == "https://api.postmarkapp.com/bounces"
