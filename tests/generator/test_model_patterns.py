"""Patterns in generated models: ECMA-262 run on pydantic-core's linear-time Rust engine.

Found on the APIs.guru directory: `\\p{L}` (AWS healthlake, ce) broke model building under
Python's `re`; lookarounds (ssm-sap) are not Rust regex; `^(?!0+$)…` is a billing spec's.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import ValidationError

from generator.runtime._types import field_wire_name
from tests.conftest import BuildPackage, minimal_spec


def _model(build_package: BuildPackage) -> Any:
    patterns = {
        "letters": "^\\p{L}+$",
        "rate": "^(?!0+(?:\\.0+)?$)(?:0?\\.\\d{1,2}|[1-9]\\d?(?:\\.\\d{1,2})?|100(?:\\.0{1,2})?)$",
        "behind": "(?<=a)b",
        "backref": "^(a)\\1$",
        "ascii_digits": "^\\d+$",
        "redos": "^(a+)+$",
    }
    properties: dict[str, Any] = {k: {"type": "string", "pattern": v} for k, v in patterns.items()}
    properties["both"] = {
        "allOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "z$"}]
    }
    properties["secret"] = {"type": "string", "format": "password", "pattern": "^(?=.*\\d).{4,}$"}
    package = build_package(minimal_spec({"P": {"type": "object", "properties": properties}}))
    return package.models.P


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("letters", "Zürich", "a1"),
        ("rate", "8.25", "0.00"),
        ("ascii_digits", "123", "١٢٣"),  # ECMA's \d is ASCII
        ("both", "abcz", "abc"),
        ("redos", "aaa", "aab"),
    ],
)
def test_patterns_are_enforced_as_ecma_262(
    build_package: BuildPackage, field: str, good: str, bad: str
) -> None:
    model = _model(build_package)
    assert getattr(model.model_validate({field: good}), model_field(model, field)) == good
    with pytest.raises(ValidationError):
        model.model_validate({field: bad})


def model_field(model: Any, wire: str) -> str:
    return str(next(n for n, f in model.model_fields.items() if field_wire_name(n, f) == wire))


def test_unrunnable_patterns_are_left_out_not_fatal(build_package: BuildPackage) -> None:
    model = _model(build_package)
    assert model.model_validate({"behind": "zzz", "backref": "ab"}).behind == "zzz"


def test_secret_patterns_never_echo_the_secret(build_package: BuildPackage) -> None:
    model = _model(build_package)
    assert model.model_validate({"secret": "abc1"}).secret.get_secret_value() == "abc1"
    with pytest.raises(ValidationError) as raised:
        model.model_validate({"secret": "abcdef-no-digit"})
    assert "abcdef-no-digit" not in str(raised.value)


def test_no_catastrophic_backtracking(build_package: BuildPackage) -> None:
    """`^(a+)+$` on 50 a's and a b: hours for a backtracking engine, linear here (bounded
    by the step it would take, not by wall time: one validation must return)."""
    model = _model(build_package)
    started = time.process_time()
    with pytest.raises(ValidationError):
        model.model_validate({"redos": "a" * 50 + "b"})
    assert time.process_time() - started < 60  # a backtracking engine would not return


def test_pattern_compilation_is_bounded_by_a_work_budget(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25,000 distinct heavy patterns took minutes to prove compilable (bench/hostile.py
    distinct_patterns); past the budget, heavy ones are left out (W405), light ones stay."""
    from pydantic import TypeAdapter

    from generator import patterns

    monkeypatch.setattr(patterns, "MODEL_COMPILE_BUDGET", 20_000)
    monkeypatch.setattr(patterns, "is_compiled", lambda pattern: False)  # lint compiled them
    heavy = {
        f"H{i}": {"type": "string", "pattern": f"^(?:[a-z]{{1,100}}){{1,90}}x{i}$"}
        for i in range(4)
    }
    light = {"Light": {"type": "string", "pattern": "^[a-z]+$"}}
    models = build_package(minimal_spec({**heavy, **light})).models

    def checked(name: str) -> bool:
        try:
            TypeAdapter(getattr(models, name)).validate_python("1")
        except ValidationError:
            return True
        return False

    enforced = [name for name in heavy if checked(name)]
    assert 0 < len(enforced) < len(heavy)  # the first fit the budget, the rest do not
    assert checked("Light")
