"""W112 (`lint_targets`): a `oneOf`/`anyOf` discriminator whose `propertyName` no member
declares (mutation audit 24); the rule's cases beside its fixture."""

from __future__ import annotations

from pathlib import Path

from generator.load import load_spec
from tests.conftest import minimal_spec, write_spec


def test_a_discriminator_property_of_the_union_itself_is_declared(tmp_path: Path) -> None:
    """W112 is for a property no member declares; one the union's own `properties` hold
    (`Pet: {properties: {petType}, oneOf: [Cat, Dog]}`) is in every payload."""
    from generator.lint_targets import check_targets

    options = [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
    plain = {"type": "object", "properties": {"name": {"type": "string"}}}
    pet = {"oneOf": options, "discriminator": {"propertyName": "petType"}}
    for own, expected in (({}, ["W112"]), ({"properties": {"petType": {"type": "string"}}}, [])):
        schemas = {"Cat": plain, "Dog": plain, "Pet": {**pet, "type": "object", **own}}
        spec = load_spec(write_spec(tmp_path, minimal_spec(schemas), "spec.json"))
        assert [d.code for d in check_targets(spec) if d.code == "W112"] == expected
