"""W408 for `prefixItems` and `patternProperties` where the models cannot say them (hostile
audit 8, finding 10): an array's items checked against every position's schema, an object
open to any name. An exact tuple (`items: false`, `minItems` reaching the prefix) is said."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import minimal_spec, write_spec


def _w408(tmp_path: Path, schema: dict[str, Any]) -> list[str]:
    from generator.load import load_spec
    from generator.unenforced import check_unenforced

    spec = load_spec(write_spec(tmp_path, minimal_spec({"Thing": schema}), "spec.json"))
    return [d.message for d in check_unenforced(spec)]


PAIR = [{"type": "integer"}, {"type": "string"}]


def test_an_exact_tuple_is_enforced(tmp_path: Path) -> None:
    schema = {"type": "array", "prefixItems": PAIR, "items": False, "minItems": 2}
    assert _w408(tmp_path, schema) == []


def test_positions_of_a_shorter_or_open_prefix_are_not(tmp_path: Path) -> None:
    for extra in ({"items": False}, {"items": {"type": "boolean"}}, {}):
        found = _w408(tmp_path, {"type": "array", "prefixItems": PAIR, **extra})
        assert len(found) == 1 and found[0].startswith("`prefixItems` is not enforced"), extra


def test_pattern_properties_are_not(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^x-": {"type": "integer"}},
        "additionalProperties": False,
    }
    (found,) = _w408(tmp_path, schema)
    assert found.startswith("`patternProperties` is not enforced by the models")
    assert "additionalProperties: false" in found


def test_a_dynamic_reference_is_not(tmp_path: Path) -> None:
    """3.1 audit 18: a generic list (`items: {$dynamicRef: '#T'}`, bound by a `$dynamicAnchor`
    where it is used) was `list[Any]` with no word: it is read as any value, and said so."""
    schema = {
        "$id": "https://example.test/generic-list",
        "$defs": {"content": {"$dynamicAnchor": "T"}},
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$dynamicRef": "#T"}}},
    }
    (found,) = _w408(tmp_path, schema)
    assert found.startswith("`$dynamicRef` is not enforced by the models")


def test_string_constraints_beside_a_parsed_format_are_not(tmp_path: Path) -> None:
    """Parity audit F3: a `date-time`, `date`, `time` or `uuid` is parsed into its Python
    value and sent in its format's own form, so its `pattern` and lengths were dropped
    without a word (`.123Z` went as `.123000Z` past a pattern asking for milliseconds)."""
    schema = {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time", "pattern": r"\.\d{3}Z$"},
            "again": {"type": "string", "format": "date-time", "pattern": r"Z$"},
            "ref": {"type": "string", "format": "uuid", "maxLength": 20},
            "id": {"type": "string", "format": "uuid", "maxLength": 36},  # what is sent fits
            "name": {"type": "string", "pattern": "^a", "maxLength": 3},  # checked: no word
        },
    }
    found = _w408(tmp_path, schema)
    assert found == [
        "`pattern` with `format: date-time` is not enforced by the models (and 1 more use(s)):"
        " values off it are sent unchecked, in the format's own form (`.000Z` as `Z`, a UUID"
        " in lower case)",
        "`maxLength` with `format: uuid` is not enforced by the models: values off it are"
        " sent unchecked, in the format's own form (`.000Z` as `Z`, a UUID in lower case)",
    ]


def test_a_typed_keyword_in_a_schema_without_type_is_not(tmp_path: Path) -> None:
    """Parity audit F9: a schema with a `pattern`, `format` or bound but no `type` (nor
    anything giving it one) is any value: `code='lowercase'` went out past `^[A-Z]+$`."""
    schema = {
        "type": "object",
        "properties": {
            "code": {"pattern": "^[A-Z]+$", "maxLength": 4},
            "since": {"format": "date"},
            "n": {"minimum": 5},
            "typed": {"type": "string", "pattern": "^a"},  # checked: no word
            "file": {"format": "binary"},  # a file part: no word
            "one": {"oneOf": [{"type": "string"}], "pattern": "^a"},  # a type from oneOf
        },
    }
    found = [m.split(" is not enforced")[0] for m in _w408(tmp_path, schema)]
    assert found == [
        "`pattern` without a `type`",
        "`maxLength` without a `type`",
        "`format` without a `type`",
        "`minimum` without a `type`",
    ]


def test_a_required_name_no_property_declares_is_not(tmp_path: Path) -> None:
    """Parity audit F9: the models hold declared properties only (as datamodel-code-generator's
    do), so `required: [tag]` without a `tag` property let an object without it go out. A
    name declared beside it (`allOf`, the schema a composition member is in, a `$ref`'s
    target) is checked: no word. 149 of the directory's 2,638 OpenAPI 3 specs have one."""
    from generator.load import load_spec
    from generator.unenforced import check_unenforced

    base = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    declared: list[dict[str, Any]] = [
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
        {"allOf": [base, {"required": ["a", "b"]}]},  # a sibling member declares them
        {**base, "oneOf": [{"required": ["a"]}, {"required": ["b"]}]},  # one of two sets
        {**base, "anyOf": [{"allOf": [{"required": ["a"]}]}]},  # a member of a member
        {"$ref": "#/components/schemas/Base", "required": ["a"]},  # (3.1: beside a `$ref`)
    ]
    for schema in declared:
        spec = minimal_spec({"Thing": schema, "Base": base})
        loaded = load_spec(write_spec(tmp_path, spec, "spec.json"))
        assert [d.message for d in check_unenforced(loaded)] == [], schema
    undeclared = {**base, "required": ["a", "tag"]}
    (found,) = _w408(tmp_path, undeclared)
    assert found.startswith("`required` names 'tag', which no `properties` declares: the models")
    member = {**base, "oneOf": [{"required": ["a"]}, {"required": ["c"]}]}
    (found,) = _w408(tmp_path, member)
    assert found.startswith("`required` names 'c'")
