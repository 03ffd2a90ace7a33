"""Error mapping: the `<package>.errors` hierarchy, status classes, parsed error models."""

from __future__ import annotations

import httpx
import pytest

from ._support import (
    PACKAGES,
    Recorder,
    error_response,
    mode_param,
    pkg_param,
    run,
)

STATUS_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    402: "PaymentRequiredError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    412: "PreconditionFailedError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    503: "InternalServerError",
}

ALL_CLASSES = (
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "APIResponseValidationError",
    *sorted(set(STATUS_CLASSES.values())),
)


@pkg_param
def test_hierarchy_is_rooted_at_api_error(pkg):
    errors = pkg.errors
    for name in ALL_CLASSES:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.APIError), name
        assert getattr(pkg.module, name) is cls, f"{name} not re-exported by {pkg.name}"
    assert issubclass(errors.APIError, Exception)
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    for name in set(STATUS_CLASSES.values()):
        assert issubclass(getattr(errors, name), errors.APIStatusError)


@mode_param
@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
@pkg_param
def test_status_maps_to_error_class_with_details(pkg, status, mode):
    errors = pkg.errors
    recorder = Recorder(error_response(pkg, status, {"X-Trace": "trace-1", "ETag": '"v7"'}))
    with pytest.raises(errors.APIStatusError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    exc = info.value
    assert type(exc) is getattr(errors, STATUS_CLASSES[status])
    assert isinstance(exc, errors.APIError)
    assert exc.status_code == status
    assert exc.headers["X-Trace"] == "trace-1"
    assert exc.headers["etag"] == '"v7"'
    assert isinstance(exc.body, bytes)
    assert exc.body == error_response(pkg, status).content
    if status in pkg.declared_errors:
        model = getattr(pkg.models, pkg.error_model)
        assert isinstance(exc.parsed, model), f"{status}: parsed is {type(exc.parsed).__name__}"
    else:
        assert exc.parsed == pkg.error_body  # undeclared status: the decoded JSON
    message = str(exc)
    assert str(status) in message
    assert pkg.error_message in message
    assert str(status) in repr(exc)


@mode_param
@pkg_param
def test_declared_error_model_fields_are_parsed(pkg, mode):
    status = min(pkg.declared_errors)
    recorder = Recorder(error_response(pkg, status))
    with pytest.raises(pkg.errors.APIStatusError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    parsed = info.value.parsed
    assert parsed.model_dump(by_alias=True, exclude_unset=True) == pkg.error_body


@mode_param
@pkg_param
def test_error_without_json_body_keeps_the_text(pkg, mode):
    recorder = Recorder(
        httpx.Response(404, text="no such thing", headers={"Content-Type": "text/plain"})
    )
    with pytest.raises(pkg.errors.NotFoundError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    assert info.value.parsed is None
    assert info.value.body == b"no such thing"
    assert "404" in str(info.value) and "no such thing" in str(info.value)


@mode_param
@pkg_param
def test_a_message_nested_under_error_is_the_exceptions_text(pkg, mode):
    """`{"error": {"type": …, "message": …}}` (Stripe's and OpenAI's shape, undeclared
    here): the message, not the JSON, follows the status."""
    body = {"error": {"type": "card_error", "code": "card_declined", "message": "Declined."}}
    recorder = Recorder(httpx.Response(402, json=body))
    with pytest.raises(pkg.errors.APIStatusError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    assert str(info.value) == "402 Payment Required: Declined."
    assert info.value.parsed == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"errors": [{"message": "task: Unknown object: 404", "help": "…"}]}, "task: Unknown"),
        ({"errors": [{"category": "INVALID", "detail": "Could not find payment"}]}, "Could not"),
        ({"error_type": "ITEM_ERROR", "error_message": "invalid client_id"}, "invalid client_id"),
        (  # a generic message and the reason (UX audit 9)
            {
                "Code": "400 BadRequest",
                "Message": "Bad request",
                "Errors": [{"ErrorCode": "UK.OBIE.Field.Invalid", "Message": "Consent expired"}],
            },
            "Bad request: Consent expired",
        ),
        # Jira's lists of messages and its field errors, Mux's `error.messages` (UX audit 11)
        ({"errorMessages": ["Issue does not exist"], "errors": {}}, "Issue does not exist"),
        (
            {"errorMessages": [], "errors": {"summary": "You must specify a summary."}},
            "summary: You must specify a summary.",
        ),
        ({"error": {"type": "invalid", "messages": ["bad policy"]}}, "bad policy"),
        # Linode's reasons and fields, Klarna's messages, Rails' (GitLab's) field lists
        # (UX audit 12)
        (
            {"errors": [{"reason": "Payment amount must be at least 5.00", "field": "usd"}]},
            "usd: Payment amount must be at least 5.00",
        ),
        (
            {"error_code": "BAD_VALUE", "error_messages": ["Bad value: order_lines"]},
            "Bad value: order_lines",
        ),
        ({"message": {"name": ["has already been taken"]}}, "name: has already been taken"),
        # Vonage's (UX audit 13)
        ({"error-code": "401", "error-code-label": "authentication failed"}, "authentication"),
        # Apideck's generic message and its detail (UX audit 14)
        (
            {"message": "Invalid Params", "detail": "Missing property foo"},
            "Invalid Params: Missing",
        ),
    ],
    ids=[
        "asana",
        "square",
        "plaid",
        "open-banking",
        "jira",
        "jira-fields",
        "mux",
        "linode",
        "klarna",
        "gitlab",
        "vonage",
        "apideck",
    ],
)
@pkg_param
def test_messages_in_an_errors_list_or_error_message_are_the_exceptions_text(pkg, body, message):
    """UX audit 6: `str(error)` was the raw JSON for Asana's, Square's and Plaid's errors."""
    recorder = Recorder(httpx.Response(404, json=body))
    with pytest.raises(pkg.errors.APIStatusError) as info:
        run(pkg, "sync", recorder, client_kwargs={"max_retries": 0})
    assert str(info.value).startswith(f"404 Not Found: {message}")
    assert "{" not in str(info.value)


@mode_param
@pkg_param
def test_connection_error_maps_to_api_connection_error(pkg, mode):
    recorder = Recorder(httpx.ConnectError)
    with pytest.raises(pkg.errors.APIConnectionError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    assert not isinstance(info.value, pkg.errors.APITimeoutError)
    assert isinstance(info.value, pkg.errors.APIError)
    assert recorder.calls == 1


@mode_param
@pkg_param
def test_timeout_maps_to_api_timeout_error(pkg, mode):
    recorder = Recorder(httpx.ReadTimeout)
    with pytest.raises(pkg.errors.APITimeoutError) as info:
        run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
    assert isinstance(info.value, pkg.errors.APIConnectionError)
    assert recorder.calls == 1


@mode_param
@pytest.mark.parametrize("pkg", [p for p in PACKAGES if p.success_model], ids=str)
def test_success_body_not_matching_the_spec_raises_when_strict(pkg, mode):
    recorder = Recorder(httpx.Response(200, json=["not", "an", "object"]))
    with pytest.raises(pkg.errors.APIResponseValidationError) as info:
        run(pkg, mode, recorder, client_kwargs={"strict_response_validation": True})
    assert info.value.status_code == 200
    assert "200" in str(info.value)


@mode_param
@pkg_param
def test_the_servers_request_id_is_on_the_error(pkg, mode):
    """`error.request_id`, as the OpenAI SDK has it: the server's id of the call, from
    Stripe's `Request-Id`, the common `X-Request-Id` or another known header; None
    without one."""
    for headers, expected in (
        ({"Request-Id": "req_123"}, "req_123"),
        ({"X-Request-Id": "abc", "Request-Id": "other"}, "abc"),
        ({"Twilio-Request-Id": "RQ9"}, "RQ9"),
        ({"Klarna-Correlation-Id": "kl-4"}, "kl-4"),
        ({"X-Vercel-Id": "cdg1::abc"}, "cdg1::abc"),
        ({"X-Slack-Req-Id": "sl-5"}, "sl-5"),  # (UX audit 18)
        ({"X-Shopify-Request-Id": "sh-6"}, "sh-6"),
        # any other header named as a request or correlation id (billing audit)
        ({"Zuora-Request-Id": "zu-7"}, "zu-7"),
        ({"Xero-Correlation-Id": "xe-8"}, "xe-8"),
        ({"X-Trace": "t"}, None),
    ):
        recorder = Recorder(error_response(pkg, 404, headers))
        with pytest.raises(pkg.errors.APIStatusError) as info:
            run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
        assert info.value.request_id == expected
    # else the error body's (ShipEngine's `request_id`, Adyen's `requestId`: UX audits 10, 11)
    for body in (
        {"request_id": "se-1", "errors": []},
        {"requestId": "ad-2", "status": 422},
        {"correlation_id": "kl-3", "error_code": "BAD_VALUE"},  # Klarna's (UX audit 12)
        {"pspReference": "8816178952380553", "errorCode": "702"},  # Adyen's (billing audit)
    ):
        recorder = Recorder(httpx.Response(404, json=body))
        with pytest.raises(pkg.errors.APIStatusError) as info:
            run(pkg, mode, recorder, client_kwargs={"max_retries": 0})
        assert info.value.request_id == next(iter(body.values()))
