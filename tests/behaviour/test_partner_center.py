"""Partner Center: optimistic concurrency (Attributes.Etag) and request identity headers."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest

from ._support import PARTNER, Recorder, error_response, json_response, mode_param, run

ETAG_V1 = "eyJpZCI6IkJpbGxpbmdQcm9maWxlIiwidmVyc2lvbiI6MX0="
ETAG_V2 = "eyJpZCI6IkJpbGxpbmdQcm9maWxlIiwidmVyc2lvbiI6Mn0="


class PartnerServer:
    """GET returns the stored profile; PUT accepts it only with the current Etag."""

    def __init__(self) -> None:
        self.profile = json.loads(json.dumps(PARTNER.success_body))
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if request.method == "GET":
            return json_response(200, self.profile)
        sent = json.loads(request.content)
        if sent.get("Attributes", {}).get("Etag") != self.profile["Attributes"]["Etag"]:
            return json_response(
                412,
                {"code": 2055, "description": "Etag is no longer valid", "source": "PartnerFD"},
            )
        self.profile = {**sent, "Attributes": {**sent["Attributes"], "Etag": ETAG_V2}}
        return json_response(200, self.profile)


def get_then_update(mode, server, change):
    transport = httpx.MockTransport(server)
    if mode == "sync":
        with httpx.Client(transport=transport) as http:
            client = PARTNER.module.Client(bearer_auth="t", http_client=http)
            profile = client.profiles.billing.retrieve()
            change(profile)
            return client.profiles.billing.update(body=profile)

    async def main():
        async with httpx.AsyncClient(transport=transport) as http:
            client = PARTNER.module.AsyncClient(bearer_auth="t", http_client=http)
            profile = await client.profiles.billing.retrieve()
            change(profile)
            return await client.profiles.billing.update(body=profile)

    return asyncio.run(main())


@mode_param
def test_get_change_update_keeps_the_etag_in_the_put_body(mode):
    server = PartnerServer()

    def change(profile):
        profile.purchase_order_number = "9123"

    updated = get_then_update(mode, server, change)
    put = server.requests[-1]
    assert put.method == "PUT"
    sent = json.loads(put.content)
    assert sent["Attributes"]["Etag"] == ETAG_V1
    assert sent["PurchaseOrderNumber"] == "9123"
    # everything read is sent back unchanged, nulls included
    expected = {**PARTNER.success_body, "PurchaseOrderNumber": "9123"}
    assert sent == expected
    assert updated.attributes.etag == ETAG_V2
    assert updated.purchase_order_number == "9123"


@mode_param
def test_stale_etag_raises_precondition_failed(mode):
    server = PartnerServer()

    def change(profile):
        server.profile["Attributes"]["Etag"] = ETAG_V2  # someone else updated meanwhile
        profile.purchase_order_number = "9124"

    with pytest.raises(PARTNER.errors.PreconditionFailedError) as info:
        get_then_update(mode, server, change)
    exc = info.value
    assert exc.status_code == 412
    assert isinstance(exc.parsed, PARTNER.models.Error)
    assert exc.parsed.description == "Etag is no longer valid"
    assert "412" in str(exc) and "Etag is no longer valid" in str(exc)
    assert len(server.requests) == 2  # 412 is not retried


@mode_param
def test_412_is_precondition_failed_on_plain_update(mode):
    recorder = Recorder(error_response(PARTNER, 412))
    with pytest.raises(PARTNER.errors.PreconditionFailedError):
        run(PARTNER, mode, recorder)
    assert recorder.calls == 1


# ---- request identity ----------------------------------------------------------------

ID_HEADERS = ("MS-RequestId", "MS-CorrelationId")
OPS = [
    ("profiles.billing.retrieve", lambda: {}),
    ("profiles.billing.update", lambda: {"body": {"PurchaseOrderNumber": "1"}}),
]
op_param = pytest.mark.parametrize(("op", "op_kwargs"), OPS, ids=[o for o, _ in OPS])


def ok():
    return json_response(200, PARTNER.success_body)


@mode_param
@op_param
def test_request_ids_are_fresh_uuids_per_call(op, op_kwargs, mode):
    recorder = Recorder(ok())
    run(PARTNER, mode, recorder, op=op, op_kwargs=op_kwargs(), calls=3)
    for header in ID_HEADERS:
        values = [r.headers[header] for r in recorder.requests]
        for value in values:
            assert str(uuid.UUID(value)) == value.lower()
        assert len(set(values)) == 3, f"{header} reused across calls: {values}"


@mode_param
@op_param
def test_request_ids_are_identical_across_retries_of_one_call(op, op_kwargs, mode):
    recorder = Recorder(error_response(PARTNER, 500), httpx.ConnectError, ok())
    run(PARTNER, mode, recorder, op=op, op_kwargs=op_kwargs())
    assert recorder.calls == 3
    for header in ID_HEADERS:
        values = {r.headers[header] for r in recorder.requests}
        assert len(values) == 1, f"{header} changed between retries: {values}"


@mode_param
@op_param
def test_given_request_ids_are_kept(op, op_kwargs, mode):
    request_id = uuid.UUID("9231559e-ed95-41e4-810b-e754ae32dc2f")
    correlation_id = uuid.UUID("cb9f3209-d020-4bf9-871c-e1f1c75348f8")
    recorder = Recorder(error_response(PARTNER, 503), ok())
    kwargs = {**op_kwargs(), "ms_request_id": request_id, "ms_correlation_id": correlation_id}
    run(PARTNER, mode, recorder, op=op, op_kwargs=kwargs)
    for request in recorder.requests:
        assert request.headers["MS-RequestId"] == str(request_id)
        assert request.headers["MS-CorrelationId"] == str(correlation_id)
