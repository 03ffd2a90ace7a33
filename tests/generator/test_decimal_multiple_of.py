"""A `number`'s `multipleOf` is checked on the decimal the value is sent as (parity audit
F1). Pydantic's own `multiple_of` divides floats (pydantic#3074): a billing amount of
8,388,608.54 was refused as no multiple of 0.01, in bodies, query parameters and strict
responses, and 0.1 + 0.2 (0.30000000000000004) went out as one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.numeric_bounds import is_decimal_multiple
from tests.conftest import BuildPackage, minimal_spec, round_trip_paths


def _spec(step: float) -> dict[str, Any]:
    charge = {
        "type": "object",
        "required": ["amount"],
        "properties": {"amount": {"type": "number", "multipleOf": step, "minimum": 0}},
    }
    paths = round_trip_paths("/charges", "createCharge", "charges", "Charge")
    return minimal_spec({"Charge": charge}, paths)


def test_cent_amounts_of_every_size_are_sent_and_read(build_package: BuildPackage) -> None:
    package = build_package(_spec(0.01))
    sent: list[bytes] = []

    def echo(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(
            200, content=request.content, headers={"content-type": "application/json"}
        )

    http = httpx.Client(transport=httpx.MockTransport(echo))
    client = package.Client(
        base_url="https://api.test", http_client=http, strict_response_validation=True
    )
    for amount in (8388608.54, 1234567890.12, 19.99, 0.07, 5.0):
        assert client.charges.create(amount=amount).amount == amount
    assert sent[0] == b'{"amount":8388608.54}'
    for off in (0.1 + 0.2, 0.005, 19.999):
        try:
            client.charges.create(amount=off)
        except package.RequestValidationError as exc:
            assert "multiple of 0.01" in str(exc)
        else:
            raise AssertionError(f"{off!r} was sent")
    assert len(sent) == 5


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=0, max_value=10**15), scale=st.sampled_from([2, 1, 3]))
def test_the_check_is_the_decimal_one(cents: int, scale: int) -> None:
    """Every decimal with `scale` places is a multiple of 10**-scale once written as the
    shortest float, and one more place makes it none."""
    step = float(Decimal(1).scaleb(-scale))
    value = float(Decimal(cents).scaleb(-scale))
    if Decimal(repr(value)) == Decimal(cents).scaleb(-scale):  # (past 15 digits a float rounds)
        assert is_decimal_multiple(value, step)
    finer = float(Decimal(cents * 10 + 1).scaleb(-scale - 1))
    if Decimal(repr(finer)) == Decimal(cents * 10 + 1).scaleb(-scale - 1):
        assert not is_decimal_multiple(finer, step)


def test_an_int_given_for_a_number_is_sent_as_given(build_package: BuildPackage) -> None:
    """Parity audit F5: the model's strict `float` turned an `int` into a float, so `7` went
    out as `7.0` (which a server binding an integer refuses) and 2**53 + 1 as
    9007199254740992.0. An `int` given is kept and sent as one; a number read from a
    response is a `float`, as its type says."""
    package = build_package(_spec(0.01))
    sent: list[bytes] = []

    def echo(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(
            200, content=request.content, headers={"content-type": "application/json"}
        )

    http = httpx.Client(transport=httpx.MockTransport(echo))
    client = package.Client(base_url="https://api.test", http_client=http)
    read = [client.charges.create(amount=amount).amount for amount in (7, 7.0, 2**53 + 1)]
    assert sent == [b'{"amount":7}', b'{"amount":7.0}', b'{"amount":9007199254740993}']
    assert [type(value) for value in read] == [float, float, float]
    charge = package.models.Charge(amount=5)
    assert charge.amount == 5 and charge.to_dict() == {"amount": 5}
    assert charge.model_dump_json() == '{"amount":5}'
