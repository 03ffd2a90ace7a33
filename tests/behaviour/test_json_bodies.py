"""JSON request bodies: written by pydantic in one step, the same data as the model's dump.

A JSON body (without `extra_body`) is serialised straight to bytes (`_wire.json_for_wire`)
instead of dumped to Python data and then encoded by `json.dumps`. These tests pin that the
bytes carry exactly the data `dump_for_wire` describes (aliases, only the fields set, the
read-only fields dropped, secrets revealed), and that a float JSON cannot carry (NaN,
infinity), which pydantic would have written as `null`, is refused before anything is sent.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ._support import PAYPAL, Recorder, mode_param, on_sink, run, sink, success_response

NOT_FINITE = [math.nan, math.inf, -math.inf]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


def _pet(**fields: Any) -> Any:
    """A kitchen-sink `Pet` with every kind of field the serialiser treats specially."""
    return sink().models.Pet.model_validate(
        {
            "id": 7,  # read-only: never sent
            "name": "Rex",
            "kind": "dog",
            "secret": "s3cret-value",  # write-only, sent
            "born": date(2020, 2, 29),
            "scalars": {"password": "hunter2", "ratio": 0.25, "when": ["2024-01-02"]},
            "naming": {"fooBar": "a", "foo_bar": "b", "foo-bar": "c", "class": "d", "": "e"},
            **fields,
        }
    )


def _created(mode: str, body: Any) -> httpx.Request:
    recorder = Recorder(httpx.Response(201, json={"name": "Rex", "kind": "dog"}))
    invoke = lambda c: c.pets.create(idempotency_key="k-1", body=body)  # noqa: E731
    on_sink(mode, recorder, invoke)
    return recorder.requests[0]


@mode_param
def test_the_json_sent_is_the_models_dump_for_the_wire(mode: str) -> None:
    pet = _pet()
    sent = _created(mode, pet)
    expected = sink()._wire.dump_for_wire(sink().models.Pet, pet)
    assert json.loads(sent.content) == expected
    assert "id" not in expected  # read-only
    assert expected["secret"] == "s3cret-value"  # the caller's own secret goes to the server
    assert expected["born"] == "2020-02-29"
    assert set(expected["naming"]) == {"fooBar", "foo_bar", "foo-bar", "class", ""}
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Content-Length"] == str(len(sent.content))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=json_values)
def test_any_json_value_arrives_as_given(value: Any) -> None:
    pet = _pet(scalars={"anything": value})
    sent = _created("sync", pet)
    expected = sink()._wire.dump_for_wire(sink().models.Pet, pet)
    assert json.loads(sent.content) == expected
    assert expected["scalars"]["anything"] == value
    if not any(isinstance(leaf, float) for leaf in _leaves(value)):
        # byte for byte what `json.dumps` wrote before: compact, text as UTF-8 (a float
        # may be spelled otherwise: 1e-7 for 1e-07, the same number)
        dumped = json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
        assert sent.content == dumped.encode()


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


@mode_param
@pytest.mark.parametrize("number", NOT_FINITE, ids=["nan", "inf", "-inf"])
def test_a_float_json_cannot_carry_is_refused_unsent(mode: str, number: float) -> None:
    recorder = Recorder(httpx.Response(201, json={"name": "Rex", "kind": "dog"}))
    pet = _pet(scalars={"anything": [1.5, {"deep": number}]})
    invoke = lambda c: c.pets.create(idempotency_key="k-1", body=pet)  # noqa: E731
    with pytest.raises(sink().RequestValidationError, match="not a finite number") as info:
        on_sink(mode, recorder, invoke)
    assert info.value.errors()[0]["loc"] == ("body",)
    assert recorder.calls == 0


@mode_param
@pytest.mark.parametrize("number", NOT_FINITE, ids=["nan", "inf", "-inf"])
def test_a_float_json_cannot_carry_in_extra_body_is_refused_unsent(
    mode: str, number: float
) -> None:
    recorder = Recorder(success_response(PAYPAL))
    op_kwargs = {"billing_entity_code": "a", "name": "Acme", "extra_body": {"x": [number]}}
    with pytest.raises(PAYPAL.errors.RequestValidationError, match="not a finite number") as info:
        run(PAYPAL, mode, recorder, op_kwargs=op_kwargs)
    assert info.value.errors()[0]["loc"] == ("extra_body",)
    assert recorder.calls == 0


@mode_param
def test_a_form_body_refuses_a_float_json_cannot_carry_too(mode: str) -> None:
    recorder = Recorder(httpx.Response(200, text="ok", headers={"Content-Type": "text/plain"}))
    invoke = lambda c: c.forms.create(name="pen", extra_body={"weight": math.nan})  # noqa: E731
    with pytest.raises(sink().RequestValidationError, match="not a finite number"):
        on_sink(mode, recorder, invoke, api_key_header="key-1")
    assert recorder.calls == 0
