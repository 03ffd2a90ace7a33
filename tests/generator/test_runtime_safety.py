"""Untrusted servers and callers (issue 11, client side): path values cannot name another
resource, redirects never carry credentials to another origin, a corrupt body is an
APIError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

SPEC = minimal_spec(
    {},
    {
        "/files/{name}": {
            "get": {
                "operationId": "getFile",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            },
            "post": {
                "operationId": "putFile",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            },
        }
    },
    security_schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
)  # fmt: skip


@pytest.fixture
def package(build_package: BuildPackage) -> Any:
    return build_package(SPEC)


def _client(package: Any, handler: Any, follow: bool = False) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=follow)
    return package.Client(key="k-secret", base_url="https://api.test/v1", http_client=http)


@pytest.mark.parametrize(
    ("value", "path"),
    [(".", "/v1/files/%2E"), ("..", "/v1/files/%2E%2E"), ("a.b", "/v1/files/a.b")],
)
def test_dot_segments_are_encoded(package: Any, value: str, path: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    _client(package, handler).files.retrieve(name=value)
    assert seen[0].url.raw_path.decode() == path


def test_same_origin_redirects_are_followed(package: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/files/a":
            return httpx.Response(303, headers={"Location": "/v1/files/b"})
        return httpx.Response(200, json={"ok": True})

    assert _client(package, handler).files.update(name="a", body={"x": 1}) == {"ok": True}
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/v1/files/a"),
        ("GET", "/v1/files/b"),
    ]
    assert seen[1].headers["X-Api-Key"] == "k-secret" and seen[1].content == b""


@pytest.mark.parametrize("follow", [False, True])
def test_redirects_to_another_origin_are_refused(package: Any, follow: bool) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(307, headers={"Location": "https://evil.test/steal"})

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIConnectionError, match="another origin"):
        _client(package, handler, follow).files.update(name="a", body={"x": 1})
    assert [r.url.host for r in seen] == ["api.test"]  # even with follow_redirects=True


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_post_redirected_is_repeated_there_never_turned_into_a_get(
    package: Any, status: int
) -> None:
    """UX audit 18: SendGrid's `POST /mail/send` answered 301 went as a `GET` to the new
    place (another origin too), and that answer was the POST's result: the mail was never
    sent, and another host's body was parsed as the API's. Within the origin the POST is
    repeated there, its body and credentials with it; to another origin it is refused."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/files/a":
            return httpx.Response(status, headers={"Location": "/v1/files/b"})
        if request.url.path == "/v1/files/c":
            return httpx.Response(status, headers={"Location": "https://evil.test/x"})
        return httpx.Response(200, json={"ok": request.method})

    client = _client(package, handler)
    assert client.files.update(name="a", body={"x": 1}) == {"ok": "POST"}
    assert [(r.method, r.url.path, r.content) for r in seen] == [
        ("POST", "/v1/files/a", b'{"x":1}'),
        ("POST", "/v1/files/b", b'{"x":1}'),
    ]
    assert seen[1].headers["X-Api-Key"] == "k-secret"
    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIConnectionError, match="not carried out"):
        client.files.update(name="c", body={"x": 1})
    assert [r.url.host for r in seen] == ["api.test"] * 3


class _Bearer(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = "Bearer http-client-token"
        yield request


@pytest.mark.parametrize("auth", [("user", "http-client-password"), _Bearer()])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_http_clients_own_auth_stays_with_the_api(package: Any, auth: Any, mode: str) -> None:
    """httpx's `send` applies the http client's `auth` to any request it is given: a GET
    redirected to another origin (and on, even back to the API) went with the caller's
    Basic or bearer credential."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test" and not seen[:-1]:
            return httpx.Response(302, headers={"Location": "https://cdn.test/a"})
        if request.url.host == "cdn.test" and request.url.path == "/a":
            return httpx.Response(302, headers={"Location": "/b"})
        if request.url.host == "cdn.test":
            return httpx.Response(302, headers={"Location": "https://api.test/v1/files/c"})
        return httpx.Response(200, json={"ok": True})

    transport = httpx.MockTransport(handler)
    if mode == "sync":
        http = httpx.Client(transport=transport, auth=auth)
        client = package.Client(key="k-secret", base_url="https://api.test/v1", http_client=http)
        assert client.files.retrieve(name="a") == {"ok": True}
    else:
        import asyncio

        async def main() -> Any:
            http = httpx.AsyncClient(transport=transport, auth=auth)
            client = package.AsyncClient(
                key="k-secret", base_url="https://api.test/v1", http_client=http
            )
            return await client.files.retrieve(name="a")

        assert asyncio.run(main()) == {"ok": True}
    assert [(r.url.host, r.url.path) for r in seen] == [
        ("api.test", "/v1/files/a"),
        ("cdn.test", "/a"),
        ("cdn.test", "/b"),
        ("api.test", "/v1/files/c"),
    ]
    assert "Authorization" in seen[0].headers and "X-Api-Key" in seen[0].headers
    for followed in seen[1:]:
        assert "Authorization" not in followed.headers and "X-Api-Key" not in followed.headers


def test_a_redirect_status_without_a_location_is_a_status_error(package: Any) -> None:
    """httpx calls a 302 a redirect with or without a `Location` header; one without
    raised a bare KeyError (not an APIError) where the request loop followed it."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302)

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIStatusError) as info:
        _client(package, handler).files.update(name="a", body={"x": 1})
    assert info.value.status_code == 302


def test_a_corrupt_body_is_an_api_error(package: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip")

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIError, match="could not be decoded"):
        _client(package, handler).files.retrieve(name="a")


# ---- hostile audit 4: what a caller or a server sends that the runtime must bound ------------


@pytest.mark.parametrize(
    ("arguments", "loc"),
    [
        ({"name": ""}, "path.name"),  # `/files/` is the collection's URL: another resource
        ({"name": "a\udc80b"}, "path.name"),  # a lone surrogate: no UTF-8 encodes it
    ],
)
def test_a_path_value_that_cannot_name_the_resource_is_refused(
    package: Any, arguments: dict[str, Any], loc: str
) -> None:
    seen: list[httpx.Request] = []
    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.RequestValidationError, match=loc):
        _client(package, seen.append).files.retrieve(**arguments)
    assert seen == []


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ('<https://a/?p=2>; rel="next", <https://a/?p=9>; rel="last"', "https://a/?p=2"),
        ('<u1>; rel="prev", <u2>; rel="next"', "u2"),
        ("<u>; rel=next", "u"),
        ('<u>;rel="prev next"', "u"),
        ('<u>; title="a, b"; rel="next"', "u"),  # a comma inside quotes ends nothing
        ('<u>; rel="nextish"', None),
        ('<u>; rel="last", <n>; type="x"; rel="NEXT"', "n"),
        ("<u>", None),
        ("", None),
        ("<u>; rel=" + " " * 1_000_000, None),  # (minutes with the pattern it replaced)
    ],
)
def test_link_headers_are_read_in_one_pass(header: str, target: str | None) -> None:
    from generator.runtime._page_plan import link_next

    assert link_next(header) == target


def test_secrets_are_redacted_in_every_form_a_server_echoes() -> None:
    from generator.runtime._redaction import redact

    key = "dGhpcyBp+/c2VjcmV0=="  # base64: `+`, `/`, `=` change when percent-encoded
    echoed = f"no route for /pay?api_key=dGhpcyBp%2B%2Fc2VjcmV0%3D%3D&t=tok+en or {key}"
    assert redact(echoed, [key, "tok en"]) == (
        "no route for /pay?api_key=[redacted]&t=[redacted] or [redacted]"
    )


def test_secrets_echoed_in_error_data_are_redacted_at_any_depth() -> None:
    """An error's `parsed` is printed and logged like its message: the secrets a server
    echoes in it are redacted in strings and keys at any depth, the rest left as it is."""
    from generator.runtime._redaction import redact_data

    token = "sk_live_0123456789"
    deep: object = {"detail": f"key {token}"}
    for _ in range(5_000):  # deeper than Python's recursion limit
        deep = [deep]
    data = {
        "message": f"Invalid API key {token}",
        "errors": [{"field": "cvc", "value": "123"}, {token: 1, "n": 123}],
        "nested": deep,
        "amount": "1123.45",
    }
    cleaned, changed = redact_data(data, [token, "123"])
    assert changed and cleaned is data  # (changed in place)
    assert data["message"] == "Invalid API key [redacted]"
    assert data["errors"] == [{"field": "cvc", "value": "[redacted]"}, {"[redacted]": 1, "n": 123}]
    assert data["amount"] == "1123.45"  # a short secret only where it stands alone
    inner = data["nested"]
    while isinstance(inner, list):
        inner = inner[0]
    assert inner == {"detail": "key [redacted]"}
    assert redact_data(f"echo {token}", [token]) == ("echo [redacted]", True)
    # a card number echoed as a number, inside a model's fields and its extra fields
    from pydantic import BaseModel, ConfigDict

    class Echo(BaseModel):
        model_config = ConfigDict(extra="allow")
        card: object = None
        count: int = 0

    echo = Echo.model_validate({"card": 4111111111111111, "count": 123, "note": f"key {token}"})
    assert redact_data(echo, [token, "4111111111111111", "123"]) == (echo, True)
    assert (echo.card, echo.count) == ("[redacted]", 123)
    assert echo.model_extra == {"note": "key [redacted]"}
    from generator.runtime._polling import LongRunningOperationError

    failed = httpx.Response(200, json={"status": "Failed", "error": {"message": f"bad {token}"}})
    error = LongRunningOperationError("failed", status="Failed", response=failed, secrets=[token])
    assert token not in repr(error.parsed) and "bad [redacted]" in repr(error.parsed)
    untouched = {"message": "nothing secret"}
    assert redact_data(untouched, [token]) == ({"message": "nothing secret"}, False)
    assert redact_data(untouched, []) == (untouched, False)


def test_a_short_secret_is_redacted_only_where_it_stands_alone() -> None:
    """A CVC `123` was replaced inside the amount `1123.45` (`1[redacted].45`: whoever knew
    the amount learnt the CVC) and inside an account number, whose digits then escaped the
    12-digit mask (`000[redacted]456789`; billing audit)."""
    from generator.runtime._redaction import redact, scrub

    echoed = "amount 1123.45, ref 9123, cvc 123, account 000123456789, pin=123&x"
    assert scrub(echoed, ["123"]) == (
        "amount 1123.45, ref 9123, cvc [redacted], account ********6789, pin=[redacted]&x"
    )
    assert redact("the key sk_live_0123 and sk_live_01234567x", ["sk_live_01234567"]) == (
        "the key sk_live_0123 and [redacted]x"  # a long one wherever it is
    )


def test_a_token_endpoint_echoing_the_secret_does_not_show_it() -> None:
    from generator.runtime import errors
    from generator.runtime._client_credentials import ClientCredentials

    def echo(request: httpx.Request) -> httpx.Response:
        sent = request.headers["authorization"]
        return httpx.Response(401, json={"error_description": f"s3cr3t-value is wrong ({sent})"})

    http = httpx.Client(transport=httpx.MockTransport(echo))
    credentials = ClientCredentials(
        "id", "s3cr3t-value", token_url="https://auth.test/token", http_client=http
    )
    with pytest.raises(errors.AuthenticationError) as raised:
        credentials()
    assert "s3cr3t" not in str(raised.value) and "Basic" in str(raised.value)


@pytest.mark.parametrize(
    "expires_in", [10**400, float("nan"), -5, 1e300], ids=["huge", "nan", "negative", "1e300"]
)
def test_any_token_lifetime_is_bounded(expires_in: Any) -> None:
    from generator.runtime._client_credentials import ClientCredentials

    body = b'{"access_token": "t", "expires_in": %s}' % str(expires_in).encode()
    answer = httpx.Response(200, content=body.replace(b"nan", b"NaN"))
    http = httpx.Client(transport=httpx.MockTransport(lambda request: answer))
    credentials = ClientCredentials(
        "id", "secret", token_url="https://auth.test/token", http_client=http
    )
    assert credentials() == "t"  # (OverflowError for a 400-digit lifetime)
    assert credentials._expires_at - __import__("time").monotonic() <= 366 * 86400


def test_an_overlong_webhook_timestamp_is_a_verification_error() -> None:
    from generator.runtime import errors
    from generator.runtime._webhooks import verify_signature

    headers = {"webhook-id": "m1", "webhook-timestamp": "9" * 5000, "webhook-signature": "v1,x"}
    with pytest.raises(errors.WebhookVerificationError, match="not a timestamp"):
        verify_signature({"scheme": "standard-webhooks"}, b"{}", headers, "whsec_c2VjcmV0")


def test_a_text_body_is_sent_in_its_declared_charset(build_package: BuildPackage) -> None:
    spec = minimal_spec(
        {},
        {
            "/notes": {
                "post": {
                    "operationId": "addNote",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "text/plain; charset=iso-8859-1": {"schema": {"type": "string"}}
                        },
                    },
                    "responses": {"204": {"description": "Kept."}},
                }
            }
        },
    )
    package = build_package(spec)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.notes.create(body="héllo")
    assert seen[0].content == "héllo".encode("iso-8859-1")
    with pytest.raises(package.RequestValidationError, match="iso-8859-1"):
        client.notes.create(body="€")  # (not in Latin-1: refused, not sent mislabelled)
    assert len(seen) == 1


@pytest.mark.parametrize("secret", ["whsec_", b""])
def test_an_empty_webhook_secret_is_refused(secret: str | bytes) -> None:
    """`whsec_` alone decoded to an empty HMAC key: anyone could sign with it."""
    from generator.runtime import errors
    from generator.runtime._webhooks import sign_standard, verify_signature

    headers = {"webhook-id": "m1", "webhook-timestamp": "1700000000", "webhook-signature": ""}
    headers["webhook-signature"] = sign_standard(b"x", "m1", 1700000000, b"{}")
    with pytest.raises(errors.WebhookVerificationError, match=r"empty|needed"):
        verify_signature({"scheme": "standard-webhooks"}, b"{}", headers, secret, now=1700000000)


def test_an_origin_read_from_its_authority_is_the_whole_urls() -> None:
    """`_origins._origin` parses only `scheme://authority` (a next-page link's query, parsed
    whole, was ~30 µs of every page): for any text it gives what parsing the whole URL gave,
    `None` for what is no URL, so that no credential goes where it went not before."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.runtime._origins import _origin

    def whole(url: str) -> tuple[str, str, int | None] | None:
        try:  # (reading the host decodes it: `https://xn--` raises IDNAError, a ValueError)
            parsed = httpx.URL(url)
            return (parsed.scheme, parsed.host, parsed.port)
        except (httpx.InvalidURL, ValueError):
            return None

    pieces = [*"ab.:/?#@[]%-_ \x00\t\\", "https://", "http://", "a.test", "443", "\u00e4", "xn--"]

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=12).map("".join))
    def agrees(url: str) -> None:
        assert _origin(url) == whole(url), url

    agrees()


def test_a_value_that_holds_itself_is_refused_not_walked_forever() -> None:
    """A dict inside itself in `extra_body`, a `client.post` body or a free-form field was
    walked without end before anything was sent (100 % CPU); a list inside itself in
    `extra_query` or `extra_body` raised RecursionError (hostile sweep). Each is refused;
    a value shared by two fields is no cycle."""
    import importlib

    package = importlib.import_module("kitchen_sink_31")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json={"id": 1, "name": "a", "kind": "dog"})

    client = package.Client(
        bearer="t", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    looped: dict[str, Any] = {}
    looped["self"] = looped
    ring: list[Any] = []
    ring.append(ring)
    pet = {"name": "a", "kind": "dog", "idempotency_key": "k"}
    calls: list[Callable[[], Any]] = [
        lambda: client.pets.create(**pet, extra_body={"x": looped}),
        lambda: client.post("/x", body=looped),
        lambda: client.pets.create(**pet, collections={"free": looped}),
        lambda: client.pets.retrieve(1, extra_query={"a": ring}),
        lambda: client.pets.create(**pet, extra_body={"x": ring}),
    ]
    for call in calls:
        with pytest.raises(package.RequestValidationError, match="holds itself"):
            call()
    assert sent == []
    shared = {"k": "v"}
    client.pets.create(**pet, extra_body={"a": shared, "b": [shared, shared]})
    assert b'"b":[{"k":"v"},{"k":"v"}]' in sent[0].content


def test_an_echoed_basic_authorization_header_is_redacted() -> None:
    """Only the password was a secret: a server echoing `Authorization: Basic <base64>` put
    `alice:pw-Secret-9876`, one decode away, into `str(e)` (hostile sweep)."""
    import base64
    import importlib

    package = importlib.import_module("kitchen_sink_31")

    def echo(request: httpx.Request) -> httpx.Response:
        text = f"bad credentials: {request.headers['authorization']}"
        return httpx.Response(401, text=text, headers={"content-type": "text/plain"})

    http = httpx.Client(transport=httpx.MockTransport(echo))
    client = package.Client(basic=("alice", "pw-Secret-9876"), http_client=http)
    with pytest.raises(package.AuthenticationError) as raised:
        client.forms.create(name="x")
    token = base64.b64encode(b"alice:pw-Secret-9876").decode()
    assert token not in str(raised.value) and token not in repr(raised.value)
    assert str(raised.value).endswith("Basic [redacted]")


def _pets_answering() -> tuple[Any, httpx.Client, list[httpx.Request]]:
    """The kitchen sink's package, an http client answering every request with a pet, and
    the requests it received."""
    import importlib

    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": 1, "name": "a", "kind": "dog"})

    package = importlib.import_module("kitchen_sink_31")
    return package, httpx.Client(transport=httpx.MockTransport(answer)), sent


def test_a_header_that_is_no_text_is_refused_before_sending() -> None:
    """`extra_headers={"X-Trace": 5}` raised TypeError from deep in the header check, and a
    name that is no string AttributeError (hostile sweep)."""
    package, http, sent = _pets_answering()
    client = package.Client(bearer="t", http_client=http)
    for headers in ({"X-Trace": 5}, {5: "x"}, {"X-Trace": None}):
        with pytest.raises(package.RequestValidationError, match="request not sent"):
            client.pets.retrieve(1, extra_headers=headers)
        with pytest.raises(TypeError, match="default_headers"):  # (when the client is made)
            package.Client(bearer="t", http_client=http, default_headers=headers)
    assert sent == []


def test_a_timeout_that_is_no_time_is_refused_where_it_is_given() -> None:
    """`timeout="30"`, `-1` or NaN were taken, then raised TypeError or ValueError from the
    socket at the first call (hostile sweep): the constructor and `with_options` raise at
    once, a call refuses before sending."""
    package, http, sent = _pets_answering()
    for wrong, error in (("30", TypeError), (True, TypeError), (-1, ValueError)):
        with pytest.raises(error, match="timeout"):
            package.Client(bearer="t", http_client=http, timeout=wrong)
        with pytest.raises(error, match="timeout"):
            package.Client(bearer="t", http_client=http).with_options(timeout=wrong)
    client = package.Client(bearer="t", http_client=http)
    for given in ("30", float("nan"), -1):
        with pytest.raises(package.RequestValidationError, match="request not sent"):
            client.pets.retrieve(1, timeout=given)
    assert sent == []
    client.pets.retrieve(1, timeout=2.5)
    client.with_options(timeout=httpx.Timeout(3.0)).pets.retrieve(1, timeout=None)
    assert sent[0].extensions["timeout"]["read"] == 2.5 and len(sent) == 2


def test_the_repr_of_a_sent_requests_headers_masks_its_credentials() -> None:
    """httpx masks `Authorization` only: aBILLity's `password` and `username` headers showed
    in `repr(e.response.request.headers)` (hostile sweep). What is sent is unchanged."""
    import importlib

    package = importlib.import_module("abillity_billing_information")
    sent: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"Message": "rejected"})

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    client = package.Client(
        system_information="SYS-1", username="bob", password="pw-Hunter2-secret", http_client=http
    )
    with pytest.raises(package.APIError) as raised:
        client.site.billinginformation.update(1, email="ab@example.com")
    shown = repr(raised.value.response.request.headers)
    assert "pw-Hunter2-secret" not in shown and "SYS-1" not in shown and "'[secure]'" in shown
    assert "'content-type': 'application/json'" in shown
    assert sent[0].headers["password"] == "pw-Hunter2-secret"


def test_a_compressed_body_is_decoded_within_the_size_limit() -> None:
    """httpx decoded each gzip chunk received whole, then the size was counted: a 1 MiB
    body of zeros took 2 GiB of memory before `ResponseTooLargeError` (hostile sweep). A
    body read whole is decompressed only as far as the limit now; gzip, zlib's deflate and
    raw deflate still read, and a corrupt one is the error it was."""
    import importlib
    import tracemalloc
    import zlib

    package = importlib.import_module("kitchen_sink_31")
    pet = b'{"id": 1, "name": "a", "kind": "dog"}'

    def packed(data: bytes, wbits: int) -> bytes:
        coder = zlib.compressobj(9, zlib.DEFLATED, wbits)
        return coder.compress(data) + coder.flush()

    class Chunks(httpx.SyncByteStream):
        def __init__(self, *chunks: bytes) -> None:
            self.chunks = chunks

        def __iter__(self) -> Iterator[bytes]:
            yield from self.chunks

    def client(body: bytes, coding: str, **options: Any) -> Any:
        headers = {"content-type": "application/json", "content-encoding": coding}

        def answer(_: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=Chunks(body[:7], body[7:]), headers=headers)

        http = httpx.Client(transport=httpx.MockTransport(answer))
        return package.Client(bearer="t", http_client=http, **options)

    for coding, wbits in (("gzip", 31), ("deflate", 15), ("deflate", -15)):
        assert client(packed(pet, wbits), coding).pets.retrieve(1).name == "a"
    bomb = packed(b"\0" * (64 << 20), 31)  # 64 MiB of zeros in ~64 kB
    tracemalloc.start()
    try:
        with pytest.raises(package.ResponseTooLargeError):
            client(bomb, "gzip", max_response_size=64 * 1024).pets.retrieve(1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak  # (it was the 64 MiB, at once)
    with pytest.raises(package.APIError):
        client(packed(pet, 31)[:-9] + b"garbage!!", "gzip").pets.retrieve(1)
