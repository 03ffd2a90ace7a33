"""Payments audit 21 (Velo, Paylocity, PayRun, Billingo, Nordigen, PayPi: ten payment and
billing APIs of the directory, read as a newcomer):

- a body its JSON model refused went out as multipart, whose open object took anything
  (Velo's payout with an `amount` of 12.99, the integer minor units required);
- with the production server as `base_url=`, the OAuth2 client secret still went to the
  sandbox's token endpoint, and the token that came back was the sandbox's;
- W317 called `/a/{id}/` the same path as `/a/{id}`; the `POST /x` E301 prints for an
  operation without an operationId did not rename it;
- `instructPayoutV3` (it releases the funds) was `payouts.update`, "Patches the employer"
  (on the employer's PUT and PATCH) the method `patches`, `POST
  /documents/{id}/create-from-proforma` the sub-resource call
  `documents.create_from_proforma.create`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.ir_build import build_api
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.options import Options
from tests.conftest import BuildPackage, minimal_spec, write_spec

_TEXT = {"type": "string"}
_NO_CONTENT = {"204": {"description": "Done."}}
_PAYMENT = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {"amount": {"type": "integer", "minimum": 1}, "currency": _TEXT},
}
PAYOUTS = minimal_spec(
    {},
    {
        "/payouts": {
            "post": {
                "operationId": "submitPayout",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["payments"],
                                "properties": {"payments": {"type": "array", "items": _PAYMENT}},
                            }
                        },
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        },
                    },
                },
                "responses": _NO_CONTENT,
            }
        }
    },
)
PAYOUTS["servers"] = [
    {"url": "https://api.sandbox.example.test", "description": "Sandbox"},
    {"url": "https://api.payouts.example.test", "description": "Production"},
]
PAYOUTS["security"] = [{"auth": []}]
PAYOUTS["components"]["securitySchemes"] = {
    "auth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {
                "tokenUrl": "https://api.sandbox.example.test/v1/login",
                "scopes": {},
            }
        },
    }
}


def _payouts(build_package: BuildPackage, base_url: str | None) -> tuple[Any, list[httpx.Request]]:
    package = build_package(PAYOUTS)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        if request.url.path == "/v1/login":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    oauth2 = __import__(f"{package.__name__}._oauth2", fromlist=["_"])
    auth = oauth2.OAuth2ClientCredentials("id", "secret", http_client=http)
    options = {} if base_url is None else {"base_url": base_url}
    return package.Client(auth=auth, http_client=http, **options), sent


def test_a_body_its_json_model_refuses_is_refused_not_sent_as_multipart(
    build_package: BuildPackage,
) -> None:
    client, sent = _payouts(build_package, None)
    client.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    assert sent[-1].headers["content-type"] == "application/json"
    error = type(client).__module__.rpartition(".")[0] + ".errors"
    refused = __import__(error, fromlist=["_"]).RequestValidationError
    for payments in ([{"amount": 12.99, "currency": "USD"}], [{"amount": 1299}]):
        with pytest.raises(refused, match=r"body\.payments\.0"):
            client.payouts.create(payments=payments)
    assert len([r for r in sent if r.url.path == "/payouts"]) == 1


@pytest.mark.parametrize(
    ("base_url", "token_host"),
    [
        (None, "api.sandbox.example.test"),
        ("https://api.payouts.example.test", "api.payouts.example.test"),  # the spec's other
        ("https://proxy.elsewhere.test", "api.sandbox.example.test"),  # not the API's site
    ],
)
def test_the_token_comes_from_the_server_the_client_talks_to(
    build_package: BuildPackage, base_url: str | None, token_host: str
) -> None:
    client, sent = _payouts(build_package, base_url)
    client.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    token, call = sent
    assert (token.url.host, token.url.path) == (token_host, "/v1/login")
    assert call.headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    ("base_url", "other"),
    [
        (None, "https://api.payouts.example.test"),  # the sandbox's client, a production copy
        ("https://api.payouts.example.test", "https://api.sandbox.example.test"),
    ],
)
def test_a_copy_with_another_server_gets_that_servers_token(
    build_package: BuildPackage, base_url: str | None, other: str
) -> None:
    """`with_options(base_url=)` to the spec's other server kept the helper's token endpoint
    and token: the production copy sent the sandbox's token (and the other way round, a
    production token went to the sandbox's host)."""
    client, sent = _payouts(build_package, base_url)
    client.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    copy = client.with_options(base_url=other)
    copy.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    client.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    hosts = [(r.url.host, r.url.path) for r in sent]
    home = httpx.URL(base_url or "https://api.sandbox.example.test").host
    away = httpx.URL(other).host
    assert hosts == [
        (home, "/v1/login"),
        (home, "/payouts"),
        (away, "/v1/login"),  # the copy's own token, from its own server
        (away, "/payouts"),
        (home, "/payouts"),  # the first client keeps its token
    ]
    (original,) = (v for v in client._credentials.values() if v is not None)
    (copied,) = (v for v in copy._credentials.values() if v is not None)
    assert copied is not original and "secret" not in repr(copied)
    assert httpx.URL(copied.token_url).host == away


def test_a_trailing_slash_twin_is_not_w317(tmp_path: Path) -> None:
    parameter = {"name": "id", "in": "path", "required": True, "schema": _TEXT}
    operation = {"parameters": [parameter], "responses": _NO_CONTENT}
    spec = minimal_spec(
        {},
        {
            "/a/{id}": {"post": {"operationId": "make", **operation}},
            "/a/{id}/": {"get": {"operationId": "read", **operation}},
            "/a/{name}": {"delete": {"operationId": "drop", **operation}},
        },
    )
    found = lint_spec(load_spec(write_spec(tmp_path, spec)), Profile.GENERATE)
    assert [d.location.pointer for d in found if d.code == "W317"] == ["/paths/~1a~1{name}"]


def test_the_key_e301_prints_renames_the_operation(tmp_path: Path) -> None:
    spec = minimal_spec({}, {"/sendCode": {"post": {"responses": _NO_CONTENT}}})
    path = write_spec(tmp_path, spec)
    for key in ("POST /sendCode", "post /sendCode"):
        options = Options(rename_operations=((key, "send"),))
        api = build_api(load_spec(path), "pay", path.name, options=options)
        assert [op.qualified_name for op in api.operations] == ["send_code.send"]


def test_payment_actions_keep_their_verbs(tmp_path: Path) -> None:
    item = {"name": "id", "in": "path", "required": True, "schema": _TEXT}
    spec = minimal_spec(
        {},
        {
            "/payouts/{id}": {
                "post": {
                    "operationId": "instructPayout",
                    "summary": "Instruct Payout",
                    "parameters": [item],
                    "responses": _NO_CONTENT,
                }
            },
            "/employers/{id}": {
                "put": {"summary": "Updates the employer", "parameters": [item]}
                | {"responses": _NO_CONTENT},
                "patch": {"summary": "Patches the employer", "parameters": [item]}
                | {"responses": _NO_CONTENT},
            },
            "/documents/{id}/create-from-proforma": {
                "post": {"parameters": [item], "responses": _NO_CONTENT}
            },
        },
    )
    path = write_spec(tmp_path, spec)
    api = build_api(load_spec(path), "pay", path.name)
    assert sorted(op.qualified_name for op in api.operations) == [
        "documents.create_from_proforma",
        "employers.patch",
        "employers.update",
        "payouts.instruct_payout",
    ]


def test_the_client_exchanges_the_client_id_and_secret_of_its_variables(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README told newcomers to export `<PKG>_CLIENT_ID` and `<PKG>_CLIENT_SECRET`, and no
    client read them: calls went without credentials, and the 401 named only the token's
    variable."""
    package = build_package(PAYOUTS)
    prefix = package.__name__.upper()
    monkeypatch.setenv(f"{prefix}_CLIENT_ID", "id")
    monkeypatch.setenv(f"{prefix}_CLIENT_SECRET", "s3cr3t")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/v1/login":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(204)

    production = "https://api.payouts.example.test"
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url=production, http_client=http)
    (helper,) = (v for v in client._credentials.values() if v is not None)
    helper._http = http  # (its token requests through the mock too)
    client.payouts.create(payments=[{"amount": 1299, "currency": "USD"}])
    token, call = sent
    assert str(token.url) == f"{production}/v1/login"  # (the chosen server's endpoint)
    assert call.headers["Authorization"] == "Bearer tok"
    monkeypatch.delenv(f"{prefix}_CLIENT_SECRET")
    refused = package.errors.AuthenticationError
    answer = httpx.Response(401, json={"message": "no token"})
    http = httpx.Client(transport=httpx.MockTransport(lambda request: answer))
    # (the random package name's digits may be masked in the message: matched by suffix)
    with pytest.raises(refused, match=r"_CLIENT_ID and \$\S+_CLIENT_SECRET\)"):
        package.Client(http_client=http).payouts.create(payments=[])


def test_an_oauth_1_authorization_header_asks_for_a_signing_auth(tmp_path: Path) -> None:
    """PayRun.io declares no scheme; each operation requires an `Authorization` header, "The
    OAuth 1 authorization header": it was read as a fixed API key (its consumer key went out
    as the whole header, a 401), where OAuth 1.0a signs each request."""
    header = {"name": "Authorization", "in": "header", "required": True, "schema": _TEXT}
    header["description"] = "The OAuth 1 authorization header. 'Auto' enables auto complete."
    operation = {"operationId": "GetEmployer", "parameters": [header], "responses": _NO_CONTENT}
    path = write_spec(tmp_path, minimal_spec({}, {"/Employer": {"get": operation}}))
    (scheme,) = build_api(load_spec(path), "payrun", path.name).security_schemes
    assert (scheme.kind, scheme.http_scheme) == ("http", "OAuth")
