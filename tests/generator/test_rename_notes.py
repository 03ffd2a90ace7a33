"""Configured renames that cannot be granted as asked, or that take another method's name,
are told (W811): they changed the package's API without a word."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from generator.options import Options
from generator.pipeline import generate_package
from tests.conftest import minimal_spec, write_spec

ITEM = {"type": "object", "properties": {"id": {"type": "string"}}}
LIST = {"type": "array", "items": {"$ref": "#/components/schemas/Contact"}}


def _json(schema: Mapping[str, object]) -> dict[str, object]:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


SPEC = minimal_spec(
    {"Contact": ITEM, "Campaign": ITEM},
    {
        "/contacts": {"get": {"operationId": "fetchAll", "responses": {"200": _json(LIST)}}},
        "/contacts/{id}": {
            "get": {
                "operationId": "fetch",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _json({"$ref": "#/components/schemas/Contact"})},
            }
        },
    },
)


def _notes(
    tmp_path: Path,
    models: tuple[tuple[str, str], ...] = (),
    operations: tuple[tuple[str, str], ...] = (),
) -> list[str]:
    options = Options(rename_models=models, rename_operations=operations)
    result = generate_package(write_spec(tmp_path, SPEC), tmp_path / "out", options=options)
    return [d.message for d in result.diagnostics if d.code == "W811"]


def test_a_method_name_taken_from_another_method_is_told(tmp_path: Path) -> None:
    notes = _notes(tmp_path, operations=(("fetch", "list"),))
    assert notes == [
        "rename-operations: fetch took list, which fetchAll would have had: that method is list_"
    ]


def test_a_name_that_cannot_be_granted_is_told(tmp_path: Path) -> None:
    notes = _notes(
        tmp_path,
        models=(("Contact", "Campaign"),),
        operations=(("fetch", "with_raw_response"),),
    )
    assert notes == [
        "rename-models: Contact took Campaign, which Campaign would have had: that model is"
        " Campaign_",
        "rename-operations: fetch → with_raw_response is taken or reserved in its resource:"
        " the method is with_raw_response_",
    ]


def test_renames_granted_say_nothing(tmp_path: Path) -> None:
    assert _notes(tmp_path, models=(("Contact", "Person"),)) == []


def test_a_selection_of_nothing_writes_nothing(tmp_path: Path) -> None:
    """An `include` that matches no operation replaced the package with an empty one, with
    a warning only: it is an error now (E811), and the output is left as it was."""
    from generator.diagnostics import SpecError
    from generator.options import Selection

    spec = write_spec(tmp_path, SPEC)
    generate_package(spec, tmp_path / "out")
    before = sorted(p.name for p in (tmp_path / "out").rglob("*.py"))
    options = Options(include=Selection(tags=("Nothing",)))
    with pytest.raises(SpecError) as info:
        generate_package(spec, tmp_path / "out", options=options)
    assert [d.code for d in info.value.diagnostics if d.is_error] == ["E811"]
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.py")) == before
