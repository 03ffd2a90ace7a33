"""Stage 3a: the JSON Schemas of a document → `Model`s and type nodes.

Every component schema becomes a class (objects, enums) or a type alias
(anything else); inline objects and enums become classes named after where they
appear (`BillingEntityAddress`). The work is split along its seams:

- `schema_plans`: which schemas get a name and of which kind (keyed by pointer);
- `schema_types`: a schema → a `TypeNode` (spec values stay values);
- `schema_allof`: `allOf` merging and taking object schemas apart;
- `schema_models`: drafting classes, enums and aliases, then deciding inheritance;
- `ir_modules`: ordering, cycles and the split into modules (one SCC pass).

Planned schemas are built from a queue, so no schema nesting, `$ref` chain or
`allOf` cycle makes the translation recurse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import typeir as t
from .ir import Model
from .limits import MAX_REF_CHAIN
from .load import join_pointer, resolve_pointer
from .naming_components import component_texts
from .schema_models import ModelBuilder
from .schema_plans import PlanRegistry
from .schema_types import TypeTranslator
from .typeir import TypeNode
from .union_cycles import collapse_union_cycles


class SchemaTranslator:
    """Translates the schemas of one document; collects the models it creates."""

    def __init__(
        self, document: dict[str, Any], openapi_30: bool, max_models: int | None = None
    ) -> None:
        self.registry = PlanRegistry(document, max_plans=max_models)
        self.types = TypeTranslator(self.registry, openapi_30)
        self.builder = ModelBuilder(self.registry, self.types)
        # a parameter's default by (its schema, its type): a shared parameter's is checked
        # once, not at each of its uses (a 100,000-item default on 2,000 operations took
        # 204 s: hostile audit 13); the schema is kept alive with its id
        self._defaults: dict[tuple[int, TypeNode], tuple[Any, t.Lit | t.MemberRef]] = {}

    def _components(self) -> dict[str, Any]:
        components = self.registry.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        return schemas if isinstance(schemas, dict) else {}

    def component_names(self) -> set[str]:
        """The names of the document's component schemas."""
        return {str(name) for name in self._components()}

    def plan_components(
        self, renames: Mapping[str, str] | None = None, *, reachable_only: bool = False
    ) -> None:
        """Claim the class name of every component schema, in document order, and build them.

        `renames` maps component names to the class names wanted instead. With
        `reachable_only`, names are claimed the same way (so a class is named alike
        whatever is selected), but a schema is built only once something uses it.
        """
        renames = renames or {}
        registry = self.registry
        components = self._components()
        texts = component_texts(str(name) for name in components)
        for name, schema in components.items():
            pointer = join_pointer("/components/schemas", name)
            text = renames.get(str(name), texts[str(name)])
            if reachable_only:
                registry.reserve(pointer, text)
            else:
                registry.plan(pointer, schema if isinstance(schema, dict) else {}, text)
        self.drain()

    def annotation(self, schema: Any, context: str, pointer: str) -> TypeNode:
        """The type of `schema` (classes it needs are planned, and built by `finish`)."""
        return self.types.annotation(schema, context, pointer)

    def drain(self) -> None:
        """Draft every planned schema not drafted yet (drafting may plan more)."""
        queue = self.registry.queue
        while queue:
            self.builder.draft(queue.popleft())
        self.registry.current = None

    def finish(self) -> list[Model]:
        """The models built since the last call (every model of the package on the first),
        inheritance decided: called once after the components (`plan_components`, whose
        models reference no later one) for an early start, then after the operations."""
        self.drain()
        models, cycles = collapse_union_cycles(self.builder.finish())
        self.registry.notes.extend((pointer, "W110", message) for pointer, message in cycles)
        return models

    def default_of(self, schema: Any, node: TypeNode, pointer: str) -> t.Lit | t.MemberRef:
        """A parameter's default (its schema at `pointer`) as an expression of its type: an
        enum member, a native value, or `None` (not sent: the server applies its own) when
        only validation could convert it (a date string, a model's mapping), it is not a
        member, a list or an object (a mutable default argument), or it fails its schema
        (E402, as for a model's field)."""
        resolved = schema
        for _ in range(MAX_REF_CHAIN):  # the default is read where the `$ref`s lead
            ref = resolved.get("$ref") if isinstance(resolved, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#")):
                break
            try:
                resolved, pointer = resolve_pointer(self.registry.document, ref), ref[1:]
            except (KeyError, ValueError):
                return t.Lit(None)
        resolved = self.registry.deref(resolved)
        key = (id(resolved), node)
        known = self._defaults.get(key)
        if known is not None and known[0] is resolved:
            return known[1]
        found = self._converted(resolved, node, pointer)
        self._defaults[key] = (resolved, found)
        return found

    def _converted(self, resolved: Any, node: TypeNode, pointer: str) -> t.Lit | t.MemberRef:
        default = self.builder.default_of(resolved, node, pointer)
        if default.enum is not None and default.member is not None:
            return t.MemberRef(default.enum, default.member)
        if isinstance(default.value, (list, dict)):
            return t.Lit(None)  # a mutable default argument (ruff's B006); left to the server
        return t.Lit(None if default.validate else default.value)

    def kind_of_model(self, name: str) -> str | None:
        """The kind of the model planned under `name` (object, enum, alias), if any."""
        plan = self.registry.by_name.get(name)
        return None if plan is None else plan.kind
