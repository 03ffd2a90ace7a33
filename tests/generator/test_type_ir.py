"""Unit tests of the type IR (generator.typeir), the import writer (generator.imports) and
the schema translator (generator.ir_schemas) on small schemas."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from generator import typeir as t
from generator.imports import ModuleNames, all_sorted, render_imports
from generator.ir import Model
from generator.ir_schemas import SchemaTranslator

NAMES = ModuleNames()


def _render(node: t.TypeNode, local: tuple[str, ...] = ()) -> str:
    return node.render(ModuleNames(local))


# ---- nodes and constructors ----------------------------------------------------------------
def test_union_flattens_dedups_merges_literals_and_puts_none_last() -> None:
    inner = t.union([t.STR, t.NONE])
    node = t.union([inner, t.INT, t.STR, t.LiteralType(("a",)), t.LiteralType(("b", "a"))])
    assert isinstance(node, t.Union)
    assert _render(node) == 'str | int | Literal["a", "b"] | None'


def test_union_edge_cases() -> None:
    assert t.union([]) == t.ANY
    assert t.union([t.STR]) == t.STR
    assert t.union([t.STR, t.ANY, t.INT]) == t.ANY  # Any absorbs everything
    assert t.union([t.LiteralType((1,)), t.LiteralType((True,))]) == t.LiteralType((1, True))


def test_literal_values_stay_data() -> None:
    hostile = "]|__import__('os').system('x')|Z"
    node = t.union([t.LiteralType((hostile,)), t.LiteralType(("a]|b",))])
    text = _render(node)
    parsed = ast.parse(text, mode="eval").body
    assert isinstance(parsed, ast.Subscript)
    values = [e.value for e in parsed.slice.elts]  # type: ignore[attr-defined]
    assert values == [hostile, "a]|b"]


def test_wide_unions_are_subscripted() -> None:
    members = [t.ModelRef(f"M{i}") for i in range(t.WIDE_UNION + 1)]
    node = t.union(members)
    assert _render(node).startswith("Union[M0, M1, ")
    assert t.S.UNION in t.symbols_of([node])
    narrow = t.union(members[:3])
    assert _render(narrow) == "M0 | M1 | M2" and t.S.UNION not in t.symbols_of([narrow])


def test_optional_and_without_none() -> None:
    assert t.optional(t.optional(t.STR)) == t.union([t.STR, t.NONE])
    assert t.without_none(t.optional(t.STR)) == t.STR
    assert t.without_none(t.NONE) == t.ANY
    assert t.admits_none(t.ANY) and t.admits_none(t.optional(t.INT)) and not t.admits_none(t.INT)


def test_annotated_folds_metadata_and_reports_symbols() -> None:
    node = t.constrained(t.constrained(t.STR, [("min_length", 1)]), [("pattern", "^a$")])
    assert isinstance(node, t.Annotated) and len(node.metadata) == 2
    assert _render(node) == 'Annotated[str, Field(min_length=1), Field(pattern="^a$")]'
    assert t.symbols_of([node]) == {t.S.ANNOTATED, t.S.FIELD}
    assert t.constrained(t.STR, []) == t.STR


def test_symbols_are_aliased_when_a_local_name_clashes() -> None:
    node = t.constrained(t.Generic("list", (t.ANY,)), [("max_length", 2)])
    assert _render(node, ("Any", "Field")) == "Annotated[list[_Any], _Field(max_length=2)]"
    assert _render(node, ("Annotated",)).startswith("_Annotated[")


def test_models_of_and_walk_are_iterative() -> None:
    node: t.TypeNode = t.ModelRef("Leaf")
    for _ in range(50_000):  # far deeper than Python's recursion limit
        node = t.Generic("list", (node,))
    assert t.models_of([node]) == {"Leaf"}
    assert t.depth(node) == 50_001


@pytest.mark.parametrize(
    ("child", "parent", "expected"),
    [
        (t.INT, t.FLOAT, True),
        (t.BOOL, t.INT, True),
        (t.FLOAT, t.INT, False),
        (t.LiteralType(("a",)), t.STR, True),
        (t.LiteralType((1,)), t.STR, False),
        (t.LiteralType(("a",)), t.LiteralType(("a", "b")), True),
        (t.STR, t.optional(t.STR), True),
        (t.optional(t.STR), t.STR, False),
        (t.Generic("list", (t.INT,)), t.Generic("list", (t.FLOAT,)), False),  # invariant
        (t.Generic("tuple", (t.INT,)), t.Generic("tuple", (t.FLOAT,)), True),  # covariant
        (t.constrained(t.STR, [("max_length", 3)]), t.STR, True),
        (t.ModelRef("A"), t.ANY, True),
        (t.ModelRef("A"), t.ModelRef("B"), False),
    ],
)
def test_is_subtype(child: t.TypeNode, parent: t.TypeNode, expected: bool) -> None:
    assert t.is_subtype(child, parent) is expected


def test_is_subtype_asks_about_model_inheritance() -> None:
    def subclass(name: str, parent: t.TypeNode) -> bool:
        return name == "Cat" and parent == t.ModelRef("Animal")

    assert t.is_subtype(t.ModelRef("Cat"), t.ModelRef("Animal"), subclass)
    assert not t.is_subtype(t.ModelRef("Dog"), t.ModelRef("Animal"), subclass)


# ---- imports -------------------------------------------------------------------------------
def test_imports_are_grouped_sorted_and_aliased() -> None:
    names = ModuleNames(["Field"])
    block = names.import_block(
        [t.S.FIELD, t.S.ANY, t.S.API_MODEL, t.S.UUID, t.S.CONFIG_DICT],
        {".sibling": ["Zeta", "Alpha"]},
        modules=["httpx"],
    )
    assert block.splitlines() == [
        "from typing import Any",
        "from uuid import UUID",
        "",
        "import httpx",
        "from pydantic import ConfigDict",
        "from pydantic import Field as _Field",
        "",
        "from ._types import ApiModel",
        "from .sibling import Alpha, Zeta",
    ]


def test_all_is_sorted_as_ruff_wants() -> None:
    assert all_sorted(["b", "Bar10", "Bar2", "CONST", "a"]) == ["CONST", "Bar2", "Bar10", "a", "b"]
    assert render_imports({}) == ""


# ---- the schema translator -----------------------------------------------------------------
def _translate(schemas: dict[str, Any], openapi_30: bool = False) -> dict[str, Model]:
    translator = SchemaTranslator({"components": {"schemas": schemas}}, openapi_30)
    translator.plan_components()
    return {model.name: model for model in translator.finish()}


def test_object_fields_types_and_defaults() -> None:
    models = _translate(
        {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "when": {"type": "string", "format": "date", "default": "2024-01-02"},
                    "kind": {"enum": ["a", "b"], "default": "b"},
                },
            }
        }
    )
    item = models["Item"]
    fields = {f.alias: f for f in item.fields}
    # numbers are strict in what is sent (issue 12); response parsing passes strict=False
    assert _render(fields["id"].type) == "Annotated[int, Strict()]"
    assert fields["id"].default is None
    assert _render(fields["tags"].type) == "list[str] | None"
    assert _render(fields["when"].type) == "Date | None"  # (the runtime's: a full-date sent)
    assert not fields["tags"].nullable and item.nullable_fields == ()
    kind = models[fields["kind"].type.members[0].name]  # type: ignore[attr-defined]
    assert [m.value for m in kind.members] == ["a", "b"]


def test_nullable_optional_fields_are_listed_for_the_null_check() -> None:
    models = _translate(
        {
            "Item": {
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"]},
                    "b": {"type": "string"},
                    "c": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                    "d": {},
                },
            }
        }
    )
    assert models["Item"].nullable_fields == ("a", "c", "d")


def test_nullable_30_and_type_arrays_31() -> None:
    v30 = _translate({"A": {"type": "string", "nullable": True}}, openapi_30=True)
    v31 = _translate({"A": {"type": ["string", "null"]}})
    a30, a31 = v30["A"].type, v31["A"].type
    assert a30 is not None and a31 is not None  # aliases carry their type
    assert _render(a30) == _render(a31) == "str | None"


def test_allof_child_subclasses_its_base() -> None:
    models = _translate(
        {
            "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Child": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"b": {"type": "integer"}}},
                ]
            },
        }
    )
    assert models["Child"].bases == ("Base",)
    assert [f.alias for f in models["Child"].fields] == ["b"]


def test_conflicting_redeclaration_flattens_instead_of_subclassing() -> None:
    models = _translate(
        {
            "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Child": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"a": {"type": "integer"}}},
                ]
            },
        }
    )
    assert models["Child"].bases == ()
    assert [f.alias for f in models["Child"].fields] == ["a"]


def test_colliding_property_names_get_one_attribute_each() -> None:
    properties = {name: {"type": "string"} for name in ("fooBar", "foo_bar", "foo-bar", "FooBar")}
    models = _translate({"A": {"type": "object", "properties": properties}})
    names = [f.name for f in models["A"].fields]
    assert len(set(names)) == 4
    assert [f.alias for f in models["A"].fields] == list(properties)
    assert "foo_bar" in names  # the property already in Python style keeps its name
