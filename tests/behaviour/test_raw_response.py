"""`client.<resource>.with_raw_response.<method>(...)`: status, headers and the parsed body."""

from __future__ import annotations

import pytest

from ._support import PARTNER, Recorder, mode_param, pkg_param, run, success_response

CORRELATION = "cb9f3209-d020-4bf9-871c-e1f1c75348f8"
HEADERS = {
    "ETag": 'W/"v2"',
    "MS-CorrelationId": CORRELATION,
    "MS-RequestId": "9231559e-ed95-41e4-810b-e754ae32dc2f",
}


@mode_param
@pkg_param
def test_raw_response_has_status_headers_and_parsed_body(pkg, mode):
    recorder = Recorder(success_response(pkg, HEADERS))
    raw = run(pkg, mode, recorder, raw=True)
    assert isinstance(raw, pkg.module.RawResponse)
    assert raw.status_code == 200
    assert raw.headers["ETag"] == 'W/"v2"'
    assert raw.headers["etag"] == 'W/"v2"'  # case-insensitive
    assert raw.headers["MS-CorrelationId"] == CORRELATION
    assert raw.etag == 'W/"v2"'
    assert raw.request_id == "9231559e-ed95-41e4-810b-e754ae32dc2f"  # Partner Center's MS-RequestId
    if pkg.success_model is None:
        assert raw.parsed is None
    else:
        assert isinstance(raw.parsed, getattr(pkg.models, pkg.success_model))
        assert (
            raw.parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
            == pkg.success_body
        )
    assert raw.http_response.status_code == 200


@mode_param
@pkg_param
def test_raw_response_still_raises_for_errors(pkg, mode):
    from ._support import error_response

    recorder = Recorder(error_response(pkg, 404))
    with pytest.raises(pkg.errors.NotFoundError):
        run(pkg, mode, recorder, raw=True)


@mode_param
def test_partner_center_raw_get_exposes_correlation_id(mode):
    recorder = Recorder(success_response(PARTNER, HEADERS))
    raw = run(PARTNER, mode, recorder, raw=True, op="profiles.billing.retrieve", op_kwargs={})
    assert raw.headers["MS-CorrelationId"] == CORRELATION
    assert raw.parsed.attributes.etag == PARTNER.success_body["Attributes"]["Etag"]
    assert recorder.requests[0].method == "GET"


@mode_param
@pkg_param
def test_raw_response_goes_through_with_options(pkg, mode):
    recorder = Recorder(success_response(pkg, HEADERS))
    raw = run(pkg, mode, recorder, raw=True, options={"timeout": 5.0})
    assert raw.status_code == 200
    assert recorder.requests[0].extensions["timeout"]["read"] == 5.0
