"""Per-call `extra_query` and `extra_body` on generated methods (beside `extra_headers`):
fields the spec lacks, merged into the query string and the object body, sync and async."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ._support import (
    PAYPAL,
    Recorder,
    json_response,
    mode_param,
    on_sink,
    run,
    sink,
    success_response,
)


@mode_param
def test_extra_query_is_added_to_the_query_string(mode):
    recorder = Recorder(success_response(PAYPAL))
    run(
        PAYPAL,
        mode,
        recorder,
        op_kwargs={
            "billing_entity_code": "acme-main",
            "name": "Acme",
            "extra_query": {"dry_run": True, "tags": ["a", "b"], "unset": None},
        },
    )
    assert recorder.requests[0].url.query == b"dry_run=true&tags=a&tags=b"


@mode_param
def test_extra_body_is_merged_into_the_json_body_and_wins(mode):
    recorder = Recorder(success_response(PAYPAL))
    run(
        PAYPAL,
        mode,
        recorder,
        op_kwargs={
            "billing_entity_code": "acme-main",
            "name": "Acme",
            "default_currency": "USD",
            "extra_body": {"name": "Acme (beta)", "labels": {"tier": "gold"}},
        },
    )
    assert recorder.body() == {
        "name": "Acme (beta)",
        "default_currency": "USD",
        "labels": {"tier": "gold"},
    }


@mode_param
def test_extra_body_joins_a_whole_body_model(mode):
    recorder = Recorder(success_response(PAYPAL))
    body = PAYPAL.models.BillingEntityUpdate(name="Acme")
    run(
        PAYPAL,
        mode,
        recorder,
        op_kwargs={"billing_entity_code": "a", "body": body, "extra_body": {"beta": True}},
    )
    assert recorder.body() == {"name": "Acme", "beta": True}


@mode_param
def test_the_spec_fields_are_still_checked_beside_extra_body(mode):
    recorder = Recorder(success_response(PAYPAL))
    with pytest.raises(PAYPAL.errors.RequestValidationError):
        run(
            PAYPAL,
            mode,
            recorder,
            op_kwargs={"billing_entity_code": "a", "name": 5, "extra_body": {"x": 1}},
        )
    assert recorder.calls == 0


@mode_param
def test_extra_query_overrides_a_parameter_and_follows_the_pages(mode):
    pages = [
        json_response(200, {"data": [{"name": "Rex", "kind": "dog"}], "next_cursor": "c2"}),
        json_response(200, {"data": [{"name": "Tom", "kind": "cat"}], "next_cursor": None}),
    ]
    recorder = Recorder(*pages)

    def invoke(client: Any) -> Any:
        if mode == "sync":
            return [p.name for p in client.pets.list(limit=5, extra_query={"limit": 7, "v": 2})]

        async def names() -> list[str]:
            pets = client.pets.list(limit=5, extra_query={"limit": 7, "v": 2})
            return [p.name async for p in pets]

        return names()

    assert on_sink(mode, recorder, invoke) == ["Rex", "Tom"]
    queries = [dict(r.url.params) for r in recorder.requests]
    assert queries == [{"limit": "7", "v": "2"}, {"limit": "7", "v": "2", "cursor": "c2"}]


@mode_param
def test_extra_body_joins_a_form_body(mode):
    recorder = Recorder(httpx.Response(200, text="ok", headers={"Content-Type": "text/plain"}))
    invoke = lambda c: c.forms.create(name="pen", extra_body={"colour": "red"})  # noqa: E731
    assert on_sink(mode, recorder, invoke, api_key_header="key-1") == "ok"
    sent = recorder.requests[0]
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.content == b"name=pen&colour=red"


@mode_param
def test_extra_body_alone_is_the_body_of_a_model_typed_operation(mode):
    """`extra_body=` without the body's own fields: pydantic refused the adapter it was
    dumped through (`PydanticUserError`, config given for a model)."""
    recorder = Recorder(json_response(200, {"name": "Rex", "kind": "dog"}))
    invoke = lambda c: c.pets.update(7, extra_body={"nickname": "R"})  # noqa: E731
    assert on_sink(mode, recorder, invoke, bearer="tok").name == "Rex"
    sent = recorder.requests[0]
    assert sent.headers["Content-Type"] == "application/merge-patch+json"
    assert json.loads(sent.content) == {"nickname": "R"}


@mode_param
def test_extra_body_without_a_body_in_the_spec_is_a_json_body(mode):
    recorder = Recorder(json_response(200, {"status": "ok"}))
    invoke = lambda c: c.health.retrieve(extra_body={"probe": "deep"})  # noqa: E731
    on_sink(mode, recorder, invoke)
    sent = recorder.requests[0]
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.content) == {"probe": "deep"}


@mode_param
def test_extra_body_is_refused_when_the_body_is_not_an_object(mode):
    recorder = Recorder(httpx.Response(204))
    invoke = lambda c: c.files.replace_file_bytes(body=b"\x00\x01", extra_body={"name": "x"})  # noqa: E731
    with pytest.raises(sink().RequestValidationError) as info:
        on_sink(mode, recorder, invoke)
    assert info.value.errors()[0]["loc"] == ("extra_body",)
    assert recorder.calls == 0


@mode_param
def test_extra_body_that_is_not_json_ready_is_refused_unsent(mode):
    recorder = Recorder(success_response(PAYPAL))
    with pytest.raises(PAYPAL.errors.RequestValidationError) as info:
        run(
            PAYPAL,
            mode,
            recorder,
            op_kwargs={"billing_entity_code": "a", "name": "Acme", "extra_body": {"x": object()}},
        )
    assert info.value.errors()[0]["loc"] == ("extra_body",)
    assert recorder.calls == 0
