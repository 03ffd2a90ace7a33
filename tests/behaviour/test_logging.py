"""Logging: DEBUG records with method, URL, status, attempt and elapsed time; no headers or bodies."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from ._support import (
    PARTNER,
    Recorder,
    error_response,
    json_response,
    mode_param,
    pkg_param,
    run,
    success_response,
)

EXPECTED_URL = {
    "partner_center_billing": "https://api.partnercenter.microsoft.com/v1/profiles/billing",
    "paypal_billing_entities": "https://api-m.sandbox.paypal.com/v1/commerce/billing/billing-entities/acme-main",
    "billingplatform_billing_profile": "https://my.billingplatform.com/myorg/rest/2.0/BILLING_PROFILE",
    "abillity_billing_information": "https://api.abillity.co.uk/api/site/42/billinginformation",
}
METHOD = {
    "partner_center_billing": "PUT",
    "paypal_billing_entities": "PUT",
    "billingplatform_billing_profile": "POST",
    "abillity_billing_information": "PATCH",
}
ELAPSED = re.compile(r"\d+(\.\d+)?\s?ms")


def package_records(caplog, pkg):
    return [r for r in caplog.records if r.name == pkg.name or r.name.startswith(pkg.name + ".")]


@mode_param
@pkg_param
def test_request_logged_at_debug_with_method_url_status_attempt_elapsed(pkg, mode, caplog):
    with caplog.at_level(logging.DEBUG, logger=pkg.name):
        run(pkg, mode, Recorder(success_response(pkg)))
    records = package_records(caplog, pkg)
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert METHOD[pkg.name] in message
    assert EXPECTED_URL[pkg.name] in message
    assert "200" in message
    assert re.search(r"attempt\D{0,3}1\b", message), message
    assert ELAPSED.search(message), message


@mode_param
@pkg_param
def test_every_attempt_is_logged(pkg, mode, caplog):
    kwargs = pkg.op_kwargs()
    if not pkg.idempotent:
        kwargs["idempotency_key"] = "idem-log"
    recorder = Recorder(error_response(pkg, 503), httpx.ConnectError, success_response(pkg))
    with caplog.at_level(logging.DEBUG, logger=pkg.name):
        run(pkg, mode, recorder, op_kwargs=kwargs)
    messages = [r.getMessage() for r in package_records(caplog, pkg)]
    assert len(messages) == 3, messages
    assert "503" in messages[0] and re.search(r"attempt\D{0,3}1\b", messages[0])
    assert "ConnectError" in messages[1] and re.search(r"attempt\D{0,3}2\b", messages[1])
    assert "200" in messages[2] and re.search(r"attempt\D{0,3}3\b", messages[2])
    for message in messages:
        assert EXPECTED_URL[pkg.name] in message


@mode_param
@pkg_param
def test_nothing_logged_above_debug_for_a_normal_call(pkg, mode, caplog):
    with caplog.at_level(logging.INFO, logger=pkg.name):
        run(pkg, mode, Recorder(success_response(pkg)))
    assert package_records(caplog, pkg) == []


@mode_param
@pkg_param
def test_headers_and_bodies_are_never_logged(pkg, mode, caplog):
    header_marker = "hdr-marker-5a5a"
    response_marker = "resp-marker-6b6b"
    kwargs = {**pkg.op_kwargs(), "extra_headers": {"X-Custom": header_marker}}
    body_marker = "body-marker-7c7c"
    if pkg is PARTNER:
        kwargs["body"] = {"PurchaseOrderNumber": body_marker}
    elif pkg.name == "paypal_billing_entities":
        kwargs["body"] = {"name": body_marker}
    elif pkg.name == "billingplatform_billing_profile":
        kwargs["body"] = {"brmObjects": {**kwargs["body"]["brmObjects"], "Attention": body_marker}}
    else:
        kwargs["body"] = {"Email": f"{body_marker}@example.co.uk"}

    def respond(request: httpx.Request) -> httpx.Response:
        assert body_marker.encode() in request.content
        assert request.headers["X-Custom"] == header_marker
        return json_response(
            400,
            {"message": response_marker, "Message": response_marker},
            {"X-Resp": response_marker},
        )

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(pkg.errors.BadRequestError):
            run(pkg, mode, Recorder(respond), op_kwargs=kwargs)
    assert package_records(caplog, pkg), "nothing logged"
    text = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    for marker in (header_marker, body_marker, response_marker):
        assert marker not in text, f"{marker} was logged"
    for header in ("Authorization", "Bearer", "sessionId", "SystemInformation", "password"):
        assert header not in text
