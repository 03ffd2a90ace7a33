"""Authentication from the specs' securitySchemes."""

from __future__ import annotations

import itertools

import pytest

from ._support import (
    ABILLITY,
    BILLINGPLATFORM,
    PACKAGES,
    PARTNER,
    PAYPAL,
    Recorder,
    mode_param,
    run,
    success_response,
)

BEARER_PACKAGES = [
    (PARTNER, "bearer_auth"),
    (PAYPAL, "bearer_auth"),
    (BILLINGPLATFORM, "jwt_auth"),
]


@mode_param
@pytest.mark.parametrize(
    ("pkg", "kwarg"), BEARER_PACKAGES, ids=[f"{p.name}-{k}" for p, k in BEARER_PACKAGES]
)
def test_bearer_token_sent_as_authorization_header(pkg, kwarg, mode):
    recorder = Recorder(success_response(pkg))
    # every other credential off, except those required together with the bearer token
    client_kwargs = {name: None for name in pkg.auth if name != "session_id"}
    client_kwargs[kwarg] = "tok-abc.def"
    run(pkg, mode, recorder, client_kwargs=client_kwargs)
    assert recorder.requests[0].headers["Authorization"] == "Bearer tok-abc.def"


@mode_param
def test_billingplatform_sends_session_id_and_jwt_together(mode):
    """The document: "Security: JWT" and header `sessionId` (string, required): both."""
    recorder = Recorder(success_response(BILLINGPLATFORM))
    run(
        BILLINGPLATFORM,
        mode,
        recorder,
        client_kwargs={"session_id": "sess-123", "jwt_auth": "jwt-xyz"},
    )
    request = recorder.requests[0]
    assert request.headers["sessionId"] == "sess-123"
    assert request.headers["Authorization"] == "Bearer jwt-xyz"


@mode_param
@pytest.mark.parametrize("given", ["session_id", "jwt_auth"])
def test_billingplatform_one_credential_alone_is_refused_before_sending(mode, given):
    recorder = Recorder(success_response(BILLINGPLATFORM))
    client_kwargs = {"session_id": None, "jwt_auth": None, given: "only-this"}
    missing = "sessionId" if given == "jwt_auth" else "jwtAuth"
    with pytest.raises(ValueError, match=f"needs the credentials: {missing}"):
        run(BILLINGPLATFORM, mode, recorder, client_kwargs=client_kwargs)
    assert recorder.requests == []


@mode_param
def test_paypal_oauth2_is_the_alternative_scheme(mode):
    recorder = Recorder(success_response(PAYPAL))
    run(PAYPAL, mode, recorder, client_kwargs={"bearer_auth": None, "oauth2": "oauth-access-1"})
    assert recorder.requests[0].headers["Authorization"] == "Bearer oauth-access-1"


@mode_param
def test_abillity_sends_all_three_api_key_headers_together(mode):
    recorder = Recorder(success_response(ABILLITY))
    run(
        ABILLITY,
        mode,
        recorder,
        client_kwargs={"system_information": "sys-1", "username": "user-1", "password": "pw-1"},
    )
    headers = recorder.requests[0].headers
    assert headers["SystemInformation"] == "sys-1"
    assert headers["username"] == "user-1"
    assert headers["password"] == "pw-1"


@mode_param
@pytest.mark.parametrize("missing", ["system_information", "username", "password"])
def test_abillity_never_sends_a_partial_credential_set(mode, missing):
    recorder = Recorder(success_response(ABILLITY))
    client_kwargs = {"system_information": "sys-1", "username": "user-1", "password": "pw-1"}
    client_kwargs[missing] = None
    with pytest.raises(ValueError, match="needs the credentials"):
        run(ABILLITY, mode, recorder, client_kwargs=client_kwargs)
    assert recorder.requests == []


CALLABLE_CREDENTIAL = [
    (PARTNER, "bearer_auth", "Authorization", "Bearer {}"),
    (PAYPAL, "oauth2", "Authorization", "Bearer {}"),
    (BILLINGPLATFORM, "session_id", "sessionId", "{}"),
    (ABILLITY, "password", "password", "{}"),
]


@mode_param
@pytest.mark.parametrize(
    ("pkg", "kwarg", "header", "template"),
    CALLABLE_CREDENTIAL,
    ids=[f"{c[0].name}-{c[1]}" for c in CALLABLE_CREDENTIAL],
)
def test_callable_credential_is_called_for_every_request(pkg, kwarg, header, template, mode):
    counter = itertools.count(1)
    issued: list[str] = []

    def fresh_token() -> str:
        token = f"fresh-{next(counter)}"
        issued.append(token)
        return token

    # credentials required together with `kwarg` stay configured (from pkg.auth)
    together = ("username", "system_information", "session_id", "jwt_auth")
    client_kwargs = {name: None for name in pkg.auth if name not in together}
    client_kwargs[kwarg] = fresh_token
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder, client_kwargs=client_kwargs, calls=3)
    sent = [r.headers[header] for r in recorder.requests]
    assert issued == ["fresh-1", "fresh-2", "fresh-3"]
    assert sent == [template.format(t) for t in issued]


INVALID_CALL = {
    PARTNER.name: {"body": {"PurchaseOrderNumber": 9001}},
    PAYPAL.name: {"billing_entity_code": "acme-main", "name": 5},
    BILLINGPLATFORM.name: {"body": {"brmObjects": 5}},
    ABILLITY.name: {"id": "forty-two", "body": {}},
}


@mode_param
@pytest.mark.parametrize(
    ("pkg", "kwarg", "header", "template"),
    CALLABLE_CREDENTIAL,
    ids=[f"{c[0].name}-{c[1]}" for c in CALLABLE_CREDENTIAL],
)
def test_a_refused_request_calls_no_credential(pkg, kwarg, header, template, mode):
    """The request is checked before the credentials are fetched: a token source (an
    OAuth2 helper, say) is not asked for a token for a request that is never sent."""
    issued: list[str] = []

    def fresh_token() -> str:
        issued.append("token")
        return "token"

    together = ("username", "system_information", "session_id", "jwt_auth")
    client_kwargs = {name: None for name in pkg.auth if name not in together}
    client_kwargs[kwarg] = fresh_token
    recorder = Recorder(success_response(pkg))
    with pytest.raises(pkg.errors.RequestValidationError):
        run(pkg, mode, recorder, client_kwargs=client_kwargs, op_kwargs=INVALID_CALL[pkg.name])
    assert issued == [] and recorder.calls == 0


@mode_param
@pytest.mark.parametrize("pkg", PACKAGES, ids=str)
def test_no_credentials_configured_sends_no_auth_headers(pkg, mode):
    recorder = Recorder(success_response(pkg))
    run(pkg, mode, recorder, client_kwargs={name: None for name in pkg.auth})
    headers = recorder.requests[0].headers
    for name in ("Authorization", "sessionId", "SystemInformation", "username", "password"):
        assert name not in headers
