"""How models are split into modules: few files, acyclic imports, nothing loaded in vain."""

from __future__ import annotations

from pathlib import Path

from generator import typeir as t
from generator.ir import Api, Model, ModelField
from generator.ir_build import build_api
from generator.ir_modules import partition_models
from generator.load import load_spec
from tests.conftest import minimal_spec, write_spec


def _model(name: str, *depends_on: str, kind: str = "object", bases: tuple[str, ...] = ()) -> Model:
    """A model whose fields reference `depends_on` (lazily, as field annotations do)."""
    fields = tuple(
        ModelField(f"f{i}", f"f{i}", t.ModelRef(d), None, "") for i, d in enumerate(depends_on)
    )
    return Model(name=name, kind=kind, description="", source="", fields=fields, bases=bases)


def _alias(name: str, target: str) -> Model:
    return Model(name=name, kind="alias", description="", source="", type=t.ModelRef(target))


def _module_of(modules: tuple, name: str) -> str:  # type: ignore[type-arg]
    return str(next(m.name for m in modules if any(model.name == name for model in m.models)))


def test_models_only_one_model_uses_share_its_module() -> None:
    models = [
        _model("Order", "OrderStatus", "OrderLine", "Money"),
        _model("OrderStatus", kind="enum"),
        _model("OrderLine", "LineKind", "Money"),
        _model("LineKind", kind="enum"),
        _model("Money"),  # used by two models: a module of its own
        _model("Invoice", "Money", "Node"),
        _model("Node", "Tree"),  # a cycle: one strongly connected group
        _model("Tree", "Node"),
    ]
    modules = partition_models(models)
    order = _module_of(modules, "Order")
    assert {_module_of(modules, n) for n in ("OrderStatus", "OrderLine", "LineKind")} == {order}
    assert _module_of(modules, "Money") not in (order, _module_of(modules, "Invoice"))
    assert _module_of(modules, "Node") == _module_of(modules, "Tree")
    assert _module_of(modules, "Node") == _module_of(modules, "Invoice")  # only Invoice uses it
    # within a module, enums come first, then classes, then aliases
    order_module = next(m for m in modules if m.name == order)
    kinds = [model.kind for model in order_module.models]
    assert kinds == sorted(kinds, key=["enum", "object", "alias"].index)


def test_module_order_is_executable() -> None:
    """Bases before subclasses, aliases after what they alias; an alias cycle becomes roots."""
    models = [
        _model("Child", "Node", bases=("Parent",)),
        _model("Parent", "Child"),
        _model("Node", "Child"),
        _alias("A", "B"),
        _alias("B", "A"),
        _model("User", "A"),
        _alias("First", "Second"),
        _alias("Second", "Node"),
    ]
    modules = partition_models(models)
    placed = [model for module in modules for model in module.models]
    position = {model.name: i for i, model in enumerate(placed)}
    assert position["Parent"] < position["Child"]
    assert position["Node"] < position["Second"] < position["First"]
    kinds = {model.name: model.kind for model in placed}
    assert sorted(n for n in ("A", "B") if kinds[n] == "root") == ["A"]  # one root breaks it
    assert position["A"] < position["B"]


def test_module_imports_form_a_dag() -> None:
    """Every import between modules points 'down' a dependency order: no import cycles."""
    models = [_model(f"M{i}", *(f"M{j}" for j in range(i) if (i * j) % 3 == 1)) for i in range(40)]
    modules = partition_models(models)
    imports = {m.name: {target for target, _ in m.imports} for m in modules}
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        assert state.get(name) != 1, f"import cycle through {name}"
        if state.get(name) == 2:
            return
        state[name] = 1
        for target in imports[name]:
            visit(target)
        state[name] = 2

    for name in imports:
        visit(name)
    assert sum(len(m.models) for m in modules) == 40


def test_the_components_models_are_final_and_in_their_own_modules_before_the_operations(
    tmp_path: Path,
) -> None:
    """`build_api` hands its `on_models` (a large spec's early renderer) the components'
    models and modules before the operations are built: the operations' own models (a
    body deriving from a component, a component only such a body uses) come in later
    modules, handed over next, and the earlier ones are the final package's, unchanged."""
    schemas = {
        "Pet": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/Kind"},
            },
        },
        "Kind": {"type": "string", "enum": ["cat", "dog"]},
        "Note": {"type": "object", "properties": {"text": {"type": "string"}}},
    }
    body = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "properties": {"note": {"$ref": "#/components/schemas/Note"}}},
        ]
    }
    paths = {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"204": {"description": "created"}},
            }
        }
    }
    path = write_spec(tmp_path, minimal_spec(schemas, paths), "spec.json")
    early: list[Api] = []
    api = build_api(load_spec(path), "pkg", "spec.json", on_models=early.append)
    first, later = early  # the components' models, then the operations' (final too)
    assert {m.name for m in first.models} == {"Pet", "Kind", "Note"}
    assert not first.operations
    assert set(first.modules) <= set(api.modules)  # the same module objects, unchanged
    body_model = next(m for m in api.models if m.name not in {"Pet", "Kind", "Note"})
    assert [m.name for m in later.models] == [body_model.name]
    assert set(later.modules) == set(api.modules) - set(first.modules)
    assert body_model.bases == ("Pet",)
    # `Note` is used by the body model alone, yet keeps the module it had before the body
    assert _module_of(api.modules, "Note") != _module_of(api.modules, body_model.name)
    assert _module_of(api.modules, "Kind") == _module_of(api.modules, "Pet")
    assert build_api(load_spec(path), "pkg", "spec.json").modules == api.modules
