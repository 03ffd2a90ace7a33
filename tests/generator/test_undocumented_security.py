"""Which credentials a call to an undocumented endpoint (`client.get(path)`…) sends: the
document's security requirement, else those its operations declare (`_schemes.SECURITY`)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording

SCHEMES = {
    "token": {"type": "http", "scheme": "bearer"},
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
}


def _spec(document_security: Any, operation_security: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": "ping", "responses": {"204": {"description": "ok"}}}
    if operation_security is not None:
        operation["security"] = operation_security
    spec = minimal_spec(paths={"/ping": {"get": operation}}, security_schemes=SCHEMES)
    if document_security is None:
        del spec["security"]
    else:
        spec["security"] = document_security
    return spec


@pytest.mark.parametrize(
    ("document", "operation", "expected", "sent"),
    [
        ([{"key": []}], None, (("key",),), {"x-key": "k"}),
        (None, [{"token": []}], (("token",),), {"authorization": "Bearer t"}),
        ([], [{"token": []}], (), {}),  # the document says: no credentials
        # schemes declared and required nowhere: each sent when configured (UX audit 9),
        # all of those configured (UX audit 15: Billbee's key and Basic auth)
        (
            None,
            None,
            (("token", "key"), ("token",), ("key",), ()),
            {"authorization": "Bearer t", "x-key": "k"},
        ),
    ],
)
def test_the_requirement_of_undocumented_endpoints(
    build_package: BuildPackage,
    document: Any,
    operation: Any,
    expected: tuple[tuple[str, ...], ...],
    sent: dict[str, str],
) -> None:
    package = build_package(_spec(document, operation))
    assert importlib.import_module(f"{package.__name__}._schemes").SECURITY == expected
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(token="t", key="k", http_client=http)
    assert client.get("/other") == {}
    headers = {k: v for k, v in requests[0].headers.items() if k in ("authorization", "x-key")}
    assert headers == sent


def test_an_authorization_parameter_without_a_scheme_is_a_credential(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OpenAPI ignores a header parameter named `Authorization`: where no scheme sends
    that header (payrun.io's 389 operations), the method took no argument and every call
    went out unauthenticated. It is a credential of the client (`authorization=`, or
    `$<PKG>_AUTHORIZATION`), sent on the operations that declare it, as given; where the
    document says nothing else of security, on the others too (Zuora's: 51 of 428
    operations declare the header; its accounts and payments got 401)."""
    header = {
        "name": "Authorization",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
    }
    operations = {
        "/find": {
            "post": {
                "operationId": "find",
                "parameters": [header],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/open": {"get": {"operationId": "open", "responses": {"204": {"description": "ok"}}}},
    }
    package = build_package(minimal_spec(paths=operations))
    http, sent = recording()  # (204 No Content to every request)
    client = package.Client(authorization="Bearer t0", http_client=http)
    client.find.find()
    client.open.retrieve()
    assert [r.headers.get("authorization") for r in sent] == ["Bearer t0", "Bearer t0"]
    assert "t0" not in repr(client)
    monkeypatch.setenv(f"{package.__name__.upper()}_AUTHORIZATION", "Bearer env")
    package.Client(http_client=http).find.find()
    assert sent[-1].headers["authorization"] == "Bearer env"
    monkeypatch.delenv(f"{package.__name__.upper()}_AUTHORIZATION")
    package.Client(http_client=http).find.find()  # none configured: sent without
    assert "authorization" not in sent[-1].headers
    # an optional parameter beside a scheme: sent when configured, not required
    keyed = {**header, "required": False}
    find = {
        "operationId": "find",
        "parameters": [keyed],
        "responses": {"204": {"description": "ok"}},
    }
    optional_spec = minimal_spec(
        paths={"/find": {"post": find}}, security_schemes={"key": SCHEMES["key"]}
    )
    optional = build_package(optional_spec)
    optional.Client(key="k", http_client=http).find.find()
    assert sent[-1].headers["x-key"] == "k" and "authorization" not in sent[-1].headers
    optional.Client(key="k", authorization="Basic a", http_client=http).find.find()
    assert sent[-1].headers["authorization"] == "Basic a"
    # a document that declares its security: the header goes only where declared
    declared = minimal_spec(paths=operations, security_schemes={"key": SCHEMES["key"]})
    keyed_package = build_package(declared)
    keyed_client = keyed_package.Client(key="k", authorization="Bearer t1", http_client=http)
    keyed_client.open.retrieve()
    assert "authorization" not in sent[-1].headers and sent[-1].headers["x-key"] == "k"
    # a scheme that sends the header already: the parameter stays ignored
    spec = minimal_spec(paths=operations, security_schemes={"token": SCHEMES["token"]})
    other = build_package(spec)
    assert "authorization" not in inspect.signature(other.Client).parameters


def test_an_api_key_header_parameter_without_a_scheme_is_a_credential(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 8: NOWPayments declares no security scheme; 11 of its 16 operations take an
    `x-api-key` header parameter, which was a per-call argument, with nothing on the client
    (the README said to send `Authorization`, which the API refused). A header parameter
    named as an API key is the client's credential (`x_api_key=`, `$<PKG>_X_API_KEY`), still
    an optional argument of the methods that declare it; the others send it too."""
    header = {"name": "x-api-key", "in": "header", "required": True, "schema": {"type": "string"}}
    done = {"204": {"description": "ok"}}
    operations = {
        "/payment": {
            "post": {"operationId": "createPayment", "parameters": [header], "responses": done}
        },
        "/status": {"get": {"operationId": "getStatus", "responses": done}},
    }
    package = build_package(minimal_spec(paths=operations))
    http, sent = recording()  # (204 No Content to every request)
    client = package.Client(x_api_key="KEY-1", http_client=http)
    client.payment.create()
    client.status.retrieve()
    assert [r.headers.get("x-api-key") for r in sent] == ["KEY-1", "KEY-1"]
    assert "KEY-1" not in repr(client)
    client.payment.create(x_api_key="KEY-2")  # the method's argument still wins
    assert sent[-1].headers["x-api-key"] == "KEY-2"
    monkeypatch.setenv(f"{package.__name__.upper()}_X_API_KEY", "KEY-ENV")
    package.Client(http_client=http).payment.create()
    assert sent[-1].headers["x-api-key"] == "KEY-ENV"
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert f"{package.__name__.upper()}_X_API_KEY" in readme


def test_a_scheme_declared_and_required_nowhere_is_sent_when_configured(
    build_package: BuildPackage,
) -> None:
    """UX audit 9: Taxamo declares its `Token` API key and requires it nowhere; the client
    offered `api_key=` and sent it on none of its operations (401 on every call)."""
    spec = minimal_spec(
        paths={
            "/rates": {
                "get": {"operationId": "getRates", "responses": {"204": {"description": "ok"}}}
            }
        },
        security_schemes={"apiKey": {"type": "apiKey", "in": "header", "name": "Token"}},
    )
    del spec["security"]
    package = build_package(spec)
    http, sent = recording()
    package.Client(api_key="TAXAMO-KEY", http_client=http).rates.retrieve()
    package.Client(http_client=http).rates.retrieve()  # none configured: sent without
    assert [r.headers.get("token") for r in sent] == ["TAXAMO-KEY", None]


def test_without_a_security_scheme_the_readme_offers_basic_and_a_header(
    build_package: BuildPackage,
) -> None:
    """UX audit 12: Klarna's spec declares no scheme and its API takes HTTP Basic; the README
    said only to send `Authorization: Bearer` (a 401)."""
    package = build_package(minimal_spec())
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    section = readme.split("## Authentication", 1)[1].split("\n## ", 1)[0]
    assert "declares no security scheme" in section
    assert 'httpx.Client(auth=("username", "password"))' in section
    assert 'default_headers={"Authorization": "Bearer ..."}' in section


def test_schemes_differing_only_by_case_are_one_credential(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 12: Telnyx declares `BearerAuth` and `bearerAuth`, both HTTP bearer, and
    requires the second of 18 operations: they were `bearer_auth=` and `bearer_auth_=`
    (`$…_BEARER_AUTH_`), and with the README's one variable those went out without a
    credential. One scheme now; a differently defined one stays its own."""
    bearer = {"type": "http", "scheme": "bearer"}
    key = {"type": "apiKey", "in": "header", "name": "X-Key"}
    ok = {"200": {"description": "ok"}}
    paths = {
        "/numbers": {"get": {"operationId": "listNumbers", "responses": ok}},
        "/records": {
            "get": {"operationId": "listRecords", "security": [{"bearerAuth": []}], "responses": ok}
        },
        "/keys": {
            "get": {"operationId": "listKeys", "security": [{"api_key": []}], "responses": ok}
        },
    }
    spec = minimal_spec(
        {},
        paths,
        security_schemes={
            "BearerAuth": bearer,
            "bearerAuth": bearer,
            "ApiKey": key,
            "api_key": {**key, "name": "X-Other"},
        },
    )
    spec["security"] = [{"BearerAuth": []}]
    package = build_package(spec)
    signature = inspect.signature(package.Client)
    assert "bearer_auth" in signature.parameters and "bearer_auth_" not in signature.parameters
    assert "api_key" in signature.parameters and "api_key_" in signature.parameters
    http, sent = recording()
    client = package.Client(
        base_url="https://api.example.test", http_client=http, bearer_auth="T0K"
    )
    client.numbers.list()
    client.records.list()
    assert [r.headers.get("authorization") for r in sent] == ["Bearer T0K", "Bearer T0K"]


def test_an_api_key_its_description_sends_as_bearer_is_sent_so(
    build_package: BuildPackage,
) -> None:
    """UX audit 14: Apideck's scheme is `{type: apiKey, in: header, name: Authorization}`,
    described as "Authorization: Bearer <your-apideck-api-key>" (33 directory specs say so):
    the key went out bare, a 401. It goes as `Bearer <key>` (not doubled when given so); an
    `Authorization` API key described otherwise goes as given."""
    ok = {"200": {"description": "ok"}}
    paths = {
        "/invoices": {
            "get": {"operationId": "listInvoices", "security": [{"apiKey": []}], "responses": ok}
        },
        "/raw": {"get": {"operationId": "getRaw", "security": [{"rawKey": []}], "responses": ok}},
    }
    said = "Bearer authorization header: `Authorization: Bearer <your-api-key>`"
    schemes = {
        "apiKey": {"type": "apiKey", "in": "header", "name": "Authorization", "description": said},
        "rawKey": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "The key.",
        },
    }
    package = build_package(minimal_spec({}, paths, security_schemes=schemes))
    http, sent = recording()
    base = "https://api.example.test"
    package.Client(base_url=base, http_client=http, api_key="sk_1").invoices.list()
    package.Client(base_url=base, http_client=http, api_key="Bearer sk_2").invoices.list()
    package.Client(base_url=base, http_client=http, raw_key="sk_3").raw.retrieve()
    assert [r.headers["authorization"] for r in sent] == ["Bearer sk_1", "Bearer sk_2", "sk_3"]


def _header(name: str, required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "schema": {"type": "string"}}


def test_a_credential_header_every_operation_requires_is_the_clients(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UX audit 14: Postmark declares no scheme and requires `X-Postmark-Server-Token` on
    each of its 43 operations (Walmart `WM_SEC.ACCESS_TOKEN`, ExaVault `ev-api-key` and
    `ev-access-token`: 26 directory specs): it was an argument of every call, with no
    variable, and a 401 echoing it showed it in `str(e)`. A header named as a credential that
    (nearly) every operation requires is the client's (`x_postmark_server_token=`,
    `$<PKG>_X_POSTMARK_SERVER_TOKEN`), sent on each call and redacted; one named so that a
    call or a page gives it (`Idempotency-Key`, `X-Next-Page-Token`), or that few
    operations require, stays the call's."""
    every = [
        _header("X-Postmark-Server-Token"),
        _header("ev-api-key"),
        _header("Idempotency-Key"),
        _header("X-Next-Page-Token"),
    ]
    done = {"401": {"description": "refused"}, "204": {"description": "ok"}}
    paths = {
        f"/things{n}": {
            "get": {
                "operationId": f"getThing{n}",
                "parameters": every + ([_header("X-Client-Token")] if n == 0 else []),
                "responses": done,
            }
        }
        for n in range(5)
    }
    package = build_package(minimal_spec(paths=paths))
    arguments = inspect.signature(package.Client).parameters
    assert {"x_postmark_server_token", "ev_api_key"} <= set(arguments)
    assert not {"idempotency_key", "x_next_page_token", "x_client_token"} & set(arguments)

    def echo(request: httpx.Request) -> httpx.Response:
        token = request.headers.get("x-postmark-server-token", "")
        return httpx.Response(401, json={"Message": f"Bad token: {token}"})

    http, sent = recording(echo)
    client = package.Client(
        x_postmark_server_token="pm-SECRET-1", ev_api_key="ev-KEY-1", http_client=http
    )
    assert "pm-SECRET-1" not in repr(client)
    calls = {"idempotency_key": "i", "x_next_page_token": "p"}
    with pytest.raises(package.APIStatusError) as info:
        client.things1.retrieve(**calls)
    assert "pm-SECRET-1" not in str(info.value)
    with pytest.raises(package.APIStatusError):
        client.things0.retrieve(**calls, x_client_token="c", x_postmark_server_token="pm-2")
    assert [r.headers["x-postmark-server-token"] for r in sent] == ["pm-SECRET-1", "pm-2"]
    assert [r.headers["ev-api-key"] for r in sent] == ["ev-KEY-1", "ev-KEY-1"]
    prefix = package.__name__.upper()
    monkeypatch.setenv(f"{prefix}_X_POSTMARK_SERVER_TOKEN", "pm-ENV")
    with pytest.raises(package.APIStatusError):
        package.Client(ev_api_key="k", http_client=http).things2.retrieve(**calls)
    assert sent[-1].headers["x-postmark-server-token"] == "pm-ENV"
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert f"{prefix}_X_POSTMARK_SERVER_TOKEN" in readme and f"{prefix}_EV_API_KEY" in readme


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("X-Postmark-Server-Token", True),
        ("WM_SEC.ACCESS_TOKEN", True),
        ("WM_SEC.AUTH_SIGNATURE", True),
        ("X-Bunq-Client-Authentication", True),
        ("X-PROVIDER-API-AppKey", True),
        ("apiSecret", True),
        ("Secret", True),
        ("Idempotency-Key", False),
        ("X-Next-Page-Token", False),
        ("X-CSRF-Token", False),
        ("X-Upload-Token", False),
        ("X-Auth-Project-Id", False),
        ("X-Monkey", False),
    ],
)
def test_which_header_names_say_credential(name: str, credential: bool) -> None:
    from generator.overlay import _names_credential

    assert _names_credential(name) is credential


def test_schemes_one_requirement_sends_on_one_header_take_one_credential(
    build_package: BuildPackage,
) -> None:
    """UX audit 18: Google's APIs (264 directory specs) require `Oauth2` and `Oauth2c`
    together, two OAuth2 flows of one `Authorization: Bearer` token: given one token the
    client refused every call ("also needs the credentials: Oauth2c or Oauth2c"), and given
    both it sent one. One credential now; a scheme also required alone stays its own, and
    schemes on different headers stay both required."""
    flows = {"implicit": {"authorizationUrl": "https://a.example.test/auth", "scopes": {}}}
    code = {
        "authorizationCode": {
            "authorizationUrl": "https://a.example.test/auth",
            "tokenUrl": "https://a.example.test/token",
            "scopes": {},
        }
    }
    ok = {"200": {"description": "ok"}}
    both = [{"Oauth2": ["a"], "Oauth2c": ["a"]}, {"Oauth2": ["b"], "Oauth2c": ["b"]}]
    paths = {
        "/files": {"get": {"operationId": "listFiles", "responses": ok}},
        "/keys": {
            "get": {
                "operationId": "listKeys",
                "security": [{"Oauth2": [], "Key": [], "Other": []}],
                "responses": ok,
            }
        },
        "/alone": {
            "get": {"operationId": "listAlone", "security": [{"Bearer": []}], "responses": ok}
        },
        "/pair": {
            "get": {
                "operationId": "listPair",
                "security": [{"Oauth2": [], "Bearer": []}],
                "responses": ok,
            }
        },
    }
    spec = minimal_spec(
        {},
        paths,
        security_schemes={
            "Oauth2": {"type": "oauth2", "flows": flows},
            "Oauth2c": {"type": "oauth2", "flows": code},
            "Bearer": {"type": "http", "scheme": "bearer"},
            "Key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "Other": {"type": "apiKey", "in": "header", "name": "X-Other"},
        },
    )
    spec["security"] = both
    package = build_package(spec)
    parameters = inspect.signature(package.Client).parameters
    assert "oauth2" in parameters and "oauth2_c" not in parameters
    assert "bearer" in parameters  # required alone on /alone
    http, sent = recording()
    client = package.Client(
        base_url="https://api.example.test", http_client=http, oauth2="T0K", key="K", other="O"
    )
    client.files.list()
    client.keys.list()
    client.pair.list()
    assert [r.headers.get("authorization") for r in sent] == ["Bearer T0K"] * 3
    assert (sent[1].headers.get("x-key"), sent[1].headers.get("x-other")) == ("K", "O")


def test_the_readme_says_how_to_give_a_client_certificate_and_an_authorization_key(
    build_package: BuildPackage,
) -> None:
    """3.1 audit 18: a spec requiring only a `mutualTLS` scheme had a README saying it
    declares no security scheme; UX audit 18: an API key sent as the whole `Authorization`
    header (SendGrid's, Zoom's) did not say whether `Bearer ` goes with it."""
    ok = {"200": {"description": "ok"}}
    paths = {"/x": {"get": {"operationId": "getX", "responses": ok}}}
    mtls = minimal_spec({}, paths, security_schemes={"mtls": {"type": "mutualTLS"}})
    mtls["security"] = [{"mtls": []}]
    readme = (Path(str(build_package(mtls).__file__)).parents[1] / "README.md").read_text()
    section = readme.split("## Authentication", 1)[1].split("\n## ", 1)[0]
    assert "mutual TLS" in section and "load_cert_chain" in section
    assert "declares no security scheme" not in section
    key = {"type": "apiKey", "in": "header", "name": "Authorization"}
    keyed = minimal_spec({}, paths, security_schemes={"key": key})
    readme = (Path(str(build_package(keyed).__file__)).parents[1] / "README.md").read_text()
    assert "the whole header value, so with its scheme word, `Bearer …`" in readme
