"""`generator/examples.py` on its own: type nodes (and models) → example values.

The spec's examples are used where they fit their type; otherwise values are synthesised:
required fields present, bounds, formats, enums and patterns respected, lists never
empty, cycles cut, and the same value every time.
"""

from __future__ import annotations

import datetime
import importlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from generator import typeir as t
from generator.examples import Examples, Unsatisfiable, response_fallback
from generator.ir import Default, EnumMember, Model, ModelField, Response
from generator.literals import literal
from generator.pattern_samples import samples
from generator.patterns import model_pieces
from generator.typeir import S
from tests.conftest import BuildPackage, minimal_spec, write_spec

STRICT = t.Call(S.STRICT)


def _field(
    name: str,
    node: t.TypeNode,
    *,
    required: bool = True,
    example: Any = None,
    **flags: Any,
) -> ModelField:
    return ModelField(
        name=name,
        alias=name,
        type=node if required else t.optional(node),
        default=None if required else Default(None),
        description="",
        example=None if example is None else json.dumps(example),
        **flags,
    )


def _model(name: str, *fields: ModelField, **extra: Any) -> Model:
    return Model(name=name, kind="object", description="", source="#", fields=fields, **extra)


KIND = Model(
    name="Kind",
    kind="enum",
    description="",
    source="#",
    members=(EnumMember("CAT", "cat"), EnumMember("DOG", "dog")),
)


def _value(node: t.TypeNode, *models: Model, sending: bool = True, **options: Any) -> Any:
    return Examples([KIND, *models]).value(node, sending=sending, **options)


# ---- scalars ---------------------------------------------------------------------------------
def test_strings_take_their_name_where_it_fits_else_string() -> None:
    assert _value(t.STR, hint="owner") == "owner"
    assert _value(t.STR, hint="X-Request-Id") == "string"  # not a word: no name
    assert _value(t.STR) == "string"


def test_strings_named_as_links_are_urls() -> None:
    """Twilio's `CallbackUrl` and `StatusCallback` are checked as `format: uri`: the
    README sent `callback_url="CallbackUrl"`, which the API refuses."""
    for hint in ("CallbackUrl", "status_callback", "redirectUri", "href", "webhook"):
        assert _value(t.STR, hint=hint) == "https://example.com/callback"
    assert _value(t.constrained(t.STR, [("max_length", 8)]), hint="url") == "url"
    assert _value(t.STR, hint="curiosity") == "curiosity"


def test_string_lengths_are_respected() -> None:
    assert _value(t.constrained(t.STR, [("max_length", 3)]), hint="owner") == "own"
    padded = _value(t.constrained(t.STR, [("min_length", 10)]), hint="name")
    assert padded == "namexxxxxx"


@pytest.mark.parametrize(
    "pattern",
    [
        "^[a-z]{3}$",
        "^#[0-9a-f]{6}$",
        r"^\d{3}-\d{2}$",
        r"^[\w.-]+@[\w-]+\.\w+$",
        "^(cat|dog)$",
        r"^[\S\s]{8}-[\S\s]{4}$",  # AWS's: a class of complemented classes
    ],
)
def test_string_patterns_are_matched(pattern: str) -> None:
    pieces = model_pieces(pattern)
    assert pieces is not None
    node = t.constrained(t.STR, [("pattern", pieces[0][1])])
    value = _value(node, hint="text")
    matcher = pytest.importorskip("generator.patterns").matcher(pattern)
    assert matcher is not None and matcher.search(value) is True


def test_a_pattern_and_a_minimum_length_together() -> None:
    node = t.constrained(t.STR, [("min_length", 5), ("pattern", "^[a-z]+$")])
    value = _value(node, hint="NAME")
    assert len(value) >= 5 and value.isalpha() and value.islower()


def test_a_pattern_growing_by_several_characters_meets_both_lengths() -> None:
    """AWS's base64 `PolicyVersion` (`([…]{4})*…`, 20 to 36 characters): the repetition grown
    by the 20 characters missing gave 84, over the maximum; the README's call was refused."""
    pattern = r"^([0-9a-zA-Z+/]{4})*(([0-9a-zA-Z+/]{2}==)|([0-9a-zA-Z+/]{3}=))?$"
    pieces = model_pieces(pattern)
    assert pieces is not None
    bounds = [("min_length", 20), ("max_length", 36), ("pattern", pieces[0][1])]
    value = _value(t.constrained(t.STR, bounds), hint="version")
    matcher = pytest.importorskip("generator.patterns").matcher(pattern)
    assert 20 <= len(value) <= 36 and matcher is not None and matcher.search(value) is True


def test_lookahead_pieces_must_and_must_not_match() -> None:
    pieces = model_pieces(r"^(?!0+$)\d+$")
    assert pieces is not None and len(pieces) == 2
    node = t.annotated(t.STR, t.Call(S.PATTERN_CHECK, tuple(pieces)))
    assert _value(node) == "1"


def test_formats_get_fixed_valid_values() -> None:
    datetime.date.fromisoformat(_value(t.Named(S.DATE)))
    datetime.time.fromisoformat(_value(t.Named(S.TIME)))
    uuid.UUID(_value(t.Named(S.UUID)))
    assert _value(t.Named(S.DATE_TIME)).endswith("Z")
    assert "@" in _value(t.Named(S.EMAIL))
    assert _value(t.Named(S.FILE_INPUT)) == b"example"
    assert _value(t.Named(S.FILE_INPUT), sending=False) == "example"


@pytest.mark.parametrize(
    ("constraints", "expected"),
    [
        ([], 1),
        ([("ge", 5)], 5),
        ([("le", -3)], -3),
        ([("gt", 1)], 2),
        ([("ge", -5), ("lt", 5)], 1),
        ([("multiple_of", 10)], 10),
        ([("ge", 11), ("multiple_of", 5)], 15),
        ([("le", 0), ("multiple_of", 7)], 0),
    ],
)
def test_integers_move_into_their_bounds(constraints: list[tuple[str, Any]], expected: int) -> None:
    node = t.annotated(t.constrained(t.INT, constraints), STRICT)
    value = _value(node)
    assert value == expected and type(value) is int


def test_numbers_stay_floats_inside_open_intervals() -> None:
    assert _value(t.constrained(t.FLOAT, [("gt", 0), ("le", 1)])) == 1.0
    narrow = _value(t.constrained(t.FLOAT, [("gt", 0), ("lt", 0.001)]))
    assert 0 < narrow < 0.001 and isinstance(narrow, float)


def test_booleans_enums_literals_and_none() -> None:
    assert _value(t.annotated(t.BOOL, STRICT)) is False
    assert _value(t.ModelRef("Kind")) == "cat"
    assert _value(t.LiteralType(("circle", "square"))) == "circle"
    assert _value(t.NONE) is None
    assert _value(t.optional(t.STR), hint="name") == "name"  # a value rather than None


# ---- containers ------------------------------------------------------------------------------
def test_lists_hold_at_least_one_item() -> None:
    assert _value(t.Generic("list", (t.STR,)), hint="tag") == ["tag"]
    assert _value(t.constrained(t.Generic("list", (t.INT,)), [("min_length", 3)])) == [1, 1, 1]
    assert _value(t.constrained(t.Generic("list", (t.INT,)), [("max_length", 0)])) == []


def test_maps_and_tuples() -> None:
    assert _value(t.Generic("dict", (t.STR, t.INT))) == {"key": 1}
    assert _value(t.Generic("dict", (t.STR, t.ANY))) == {}
    assert _value(t.Generic("tuple", (t.STR, t.INT)), hint="pair") == ["pair", 1]


# ---- objects ---------------------------------------------------------------------------------
PET = _model(
    "Pet",
    _field("id", t.INT, required=False, read_only=True),
    _field("name", t.STR),
    _field("kind", t.ModelRef("Kind")),
    _field("secret", t.STR, required=False, write_only=True),
    _field("tags", t.Generic("list", (t.STR,)), required=False),
)


def test_objects_get_their_required_fields_only() -> None:
    assert _value(t.ModelRef("Pet"), PET) == {"name": "name", "kind": "cat"}


def test_an_object_with_no_required_field_gets_its_first_usable_one_where_asked() -> None:
    patch = _model(
        "Patch",
        _field("id", t.INT, required=False, read_only=True),
        _field("nickname", t.STR, required=False),
    )
    assert _value(t.ModelRef("Patch"), patch) == {}  # a request sends what is required
    assert _value(t.ModelRef("Patch"), patch, fill=True) == {"nickname": "nickname"}
    assert _value(t.ModelRef("Patch"), patch, sending=False) == {"id": 1}


def test_field_examples_are_used_where_they_fit() -> None:
    user = _model(
        "User",
        _field("login", t.STR, example="octocat"),
        _field("id", t.annotated(t.INT, STRICT), example="not a number"),
    )
    assert _value(t.ModelRef("User"), user) == {"login": "octocat", "id": 1}


def test_a_model_example_wins_when_it_fits() -> None:
    fitting = Model(**{**PET.__dict__, "example": json.dumps({"name": "Rex", "kind": "dog"})})
    assert _value(t.ModelRef("Pet"), fitting) == {"name": "Rex", "kind": "dog"}
    broken = Model(**{**PET.__dict__, "example": json.dumps({"name": "Rex", "kind": "cow"})})
    assert _value(t.ModelRef("Pet"), broken) == {"name": "name", "kind": "cat"}


def test_a_sent_model_example_loses_its_read_only_fields() -> None:
    fitting = Model(
        **{**PET.__dict__, "example": json.dumps({"id": 7, "name": "Rex", "kind": "dog"})}
    )
    assert _value(t.ModelRef("Pet"), fitting) == {"name": "Rex", "kind": "dog"}
    assert _value(t.ModelRef("Pet"), fitting, sending=False)["id"] == 7


def test_given_examples_are_checked_against_the_type() -> None:
    node = t.constrained(t.STR, [("max_length", 3)])
    assert _value(node, example=json.dumps("abc")) == "abc"
    assert _value(node, example=json.dumps("abcd"), hint="x") == "x"
    assert _value(t.ModelRef("Pet"), PET, example=json.dumps({"name": "Rex"})) == {
        "name": "name",
        "kind": "cat",
    }


def test_dependent_and_set_rules_pull_in_their_fields() -> None:
    owner = _model(
        "Owner",
        _field("name", t.STR, required=False),
        _field("pets", t.Generic("list", (t.STR,)), required=False),
        dependent_required=(("name", ("pets",)),),
    )
    assert _value(t.ModelRef("Owner"), owner, fill=True) == {"name": "name", "pets": ["pets"]}
    either = _model(
        "Either",
        _field("a", t.STR, required=False),
        _field("b", t.STR, required=False),
        required_one_of=(("b",), ("a",)),
    )
    assert _value(t.ModelRef("Either"), either) == {"b": "b"}


def test_inherited_fields_are_filled() -> None:
    base = _model("Animal", _field("name", t.STR))
    child = _model("Dog", _field("good", t.annotated(t.BOOL, STRICT)), bases=("Animal",))
    assert _value(t.ModelRef("Dog"), base, child) == {"name": "name", "good": False}


def test_a_discriminated_union_sets_the_tag() -> None:
    square = _model("Square", _field("shape", t.STR), _field("side", t.FLOAT))
    tagged = t.annotated(t.ModelRef("Square"), t.Call(S.TAG, ("sq",)))
    other = t.annotated(t.ModelRef("Pet"), t.Call(S.TAG, ("pet",)))
    picker = t.Call(S.DISCRIMINATOR, (t.Call(S.DISCRIMINATE_BY, ("shape",)),))
    node = t.Annotated(t.Union((tagged, other)), (picker,))
    assert _value(node, square, PET) == {"shape": "sq", "side": 1.0}


def test_cycles_are_cut() -> None:
    node = _model(
        "Node",
        _field("name", t.STR),
        _field("next", t.optional(t.ModelRef("Node"))),  # required, nullable
        _field("children", t.Generic("list", (t.ModelRef("Node"),))),  # required list
    )
    value = _value(t.ModelRef("Node"), node)
    assert value["name"] == "name"
    assert value == _value(t.ModelRef("Node"), node)  # deterministic
    depth, current = 0, value
    while isinstance(current, dict) and current.get("next") is not None:
        current, depth = current["next"], depth + 1
    assert depth < 10
    loop = _model("Loop", _field("again", t.ModelRef("Loop")))
    with pytest.raises(Unsatisfiable):
        _value(t.ModelRef("Loop"), loop)


def test_fits_is_strict_as_the_client() -> None:
    examples = Examples([KIND, PET])
    assert examples.fits(1, t.FLOAT, sending=True)
    assert not examples.fits(True, t.INT, sending=True)
    assert not examples.fits("1", t.INT, sending=True)
    assert not examples.fits("cow", t.ModelRef("Kind"), sending=True)
    assert not examples.fits(
        {"name": "Rex", "kind": "cat", "tags": None}, t.ModelRef("Pet"), sending=True
    )
    assert examples.fits(
        {"name": "Rex", "kind": "cat", "tags": None}, t.ModelRef("Pet"), sending=False
    )
    assert not examples.fits("2024-13-01", t.Named(S.DATE), sending=True)
    assert not examples.fits("2024-01-01T00:00:00", t.Named(S.DATE_TIME), sending=True)


def test_values_reach_code_through_the_literal_writer() -> None:
    value = _value(t.ModelRef("Pet"), PET, example=json.dumps({"name": 'a"\n', "kind": "dog"}))
    assert eval(literal(value)) == {"name": 'a"\n', "kind": "dog"}


def test_response_fallbacks() -> None:
    examples = Examples([KIND, PET])
    page = t.Generic("list", (t.ModelRef("Pet"),))
    listed = Response("200", "", page, "application/json", "json")
    assert json.loads(response_fallback(examples, listed) or "") == [
        {"name": "name", "kind": "cat"}
    ]
    given = Response("200", "", page, "application/json", "json", examples=(("a", "[]"),))
    assert response_fallback(examples, given) is None  # the spec's example is served
    events = Response("200", "", t.ModelRef("Pet"), "text/event-stream", "sse")
    assert json.loads(response_fallback(examples, events) or "") == [
        {"name": "name", "kind": "cat"}
    ]
    assert response_fallback(examples, Response("204", "", None, None, "none")) is None


@pytest.mark.parametrize(
    "pattern",
    [
        "^[a-z]+$",
        r"^\#[0-9a-f]{6}$",
        r"^[[0-9A-Za-z_]\.\-]+@[[0-9A-Za-z_]\-]+\.[0-9A-Za-z_]+$",
        r"^\p{L}{2,}$",
        "^(?:ab|cd)+x?$",
        "^[^0-9]{3}$",
    ],
)
def test_pattern_samples_match(pattern: str) -> None:
    from pydantic_core import SchemaValidator, core_schema

    validator = SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    found = samples(pattern)
    assert found
    validator.validate_python(found[0])


def test_pattern_samples_give_up_on_unknown_syntax() -> None:
    assert samples("^[[:alpha:]]+$") == []
    assert samples("(unclosed") == []


def test_a_discriminated_value_must_carry_its_tag() -> None:
    square = _model("Square", _field("side", t.FLOAT))
    tagged = t.annotated(t.ModelRef("Square"), t.Call(S.TAG, ("sq",)))
    picker = t.Call(S.DISCRIMINATOR, (t.Call(S.DISCRIMINATE_BY, ("shape",)),))
    node = t.Annotated(
        t.Union((tagged, t.annotated(t.ModelRef("Pet"), t.Call(S.TAG, ("pet",))))), (picker,)
    )
    examples = Examples([KIND, PET, square])
    assert examples.fits({"shape": "sq", "side": 1}, node, sending=True)
    assert not examples.fits({"side": 1}, node, sending=True)
    assert not examples.fits({"shape": "pet", "side": 1}, node, sending=True)


def test_a_pattern_with_an_exact_length() -> None:
    node = t.constrained(
        t.STR, [("min_length", 16), ("max_length", 16), ("pattern", "^[0-9a-fA-F]+$")]
    )
    value = _value(node, hint="cryptogram")
    assert len(value) == 16 and all(c in "0123456789abcdefABCDEF" for c in value)


def test_required_field_rules_are_looked_up_once_per_base_of_a_lattice() -> None:
    """Each base of a lattice (every level extends both models of the next, as a hostile
    spec's `allOf` can) is read once: queued once per path, 40 levels were 2**40 entries
    (generation never ended)."""
    from generator.example_fit import Checker

    depth = 40
    models = [Model(f"A{depth}", "object", "", "#/A"), Model(f"B{depth}", "object", "", "#/B")]
    for level in reversed(range(depth)):
        bases = (f"A{level + 1}", f"B{level + 1}")
        models += [Model(f"{side}{level}", "object", "", "#/x", bases=bases) for side in "AB"]
    checker = Checker(models)
    reads: list[str] = []

    class Counting(dict[str, Model]):
        def __getitem__(self, name: str) -> Model:
            reads.append(name)
            return super().__getitem__(name)

    checker.models = Counting(checker.models)
    assert checker.rules(checker.models["A0"]).name == "A0"  # no base has rules of its own
    assert sorted(reads[1:]) == sorted({m.name for m in models} - {"A0", "B0"})


def test_the_test_kit_answers_the_optional_fields_the_spec_gives_examples_of(
    build_package: BuildPackage,
) -> None:
    """UX audit 18: Linode's instance gives an example for nearly every (optional) property;
    the test kit answered only the first one (`{"alerts": {"cpu": 180}}`), every other field
    None. An answer holds each optional field with an example (one whose example does not
    fit is left out); a request still sends only what is required."""
    post = {
        "type": "object",
        "properties": {
            "alerts": {"type": "object", "properties": {"cpu": {"type": "integer"}}},
            "id": {"type": "integer", "example": 42},
            "label": {"type": "string", "example": "linode123"},
            "bad": {"type": "integer", "example": "not a number"},
        },
    }
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": post}}}}
    item = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    paths = {
        "/linodes/{id}": {"get": {"operationId": "getLinode", "parameters": item, "responses": ok}}
    }
    package = build_package(minimal_spec({}, paths))
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    found = mock.client().linodes.retrieve(1)
    assert (found.id, found.label) == (42, "linode123")
    assert found.model_dump(exclude_unset=True).keys() == {"id", "label"}


def test_a_32_example_given_as_data_value_is_served_and_checked(
    build_package: BuildPackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3.1 audit 18: OpenAPI 3.2's Example Object gives its data as `dataValue`: the test
    kit answered a made-up value beside it, and lint checked none of them (E401 for a wrong
    one). They are read as `value` is."""
    from generator.cli import main

    schema = {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
    examples: dict[str, Any] = {"dv": {"dataValue": {"n": 42}}}
    media = {"schema": schema, "examples": examples}
    ok = {"200": {"description": "ok", "content": {"application/json": media}}}
    spec = minimal_spec(
        {}, {"/e": {"get": {"operationId": "getE", "responses": ok}}}, version="3.2.0"
    )
    package = build_package(spec)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    assert mock.client().e.retrieve().n == 42
    examples["bad"] = {"dataValue": {"n": "notint"}}
    main(["lint", str(write_spec(tmp_path, spec))])
    assert "E401 example 'bad' does not validate against its schema" in capsys.readouterr().err
