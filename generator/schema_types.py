"""Stage 3a (types): a JSON Schema → a `TypeNode`.

Objects and enums met inline are planned as named classes (`PlanRegistry.plan`)
and referenced by name; they are built later, from the registry's queue, so the
translation of one schema never recurses into another class. A type expression
nested deeper than `MAX_DEPTH` names its inner part as an alias, so expressions
stay shallow (the generated source compiles, and rendering recursion is bounded).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from . import typeir as t
from .load import join_pointer, split_pointer
from .naming import Style, styled
from .schema_allof import merge_scalar_parts, own_types, type_order
from .schema_plans import PlanRegistry, enum_values, is_nullable, member_key, schema_types
from .schema_scalars import STRICT, ScalarTypes, array_constraints, is_int
from .surrogates import enum_list, is_lone_surrogate_text
from .typeir import S, TypeNode

# nesting of one type expression before its inner part becomes a named alias
MAX_DEPTH = 8
# the largest integer mypy takes in a `Literal[…]` (it refuses 2**63 and -2**63 alike)
_LITERAL_INT = 2**63 - 1
# keywords beside a 3.1 `$ref` that make an object of their own (`_body`)
_OBJECT_SIBLINGS = ("properties", "required", "additionalProperties")
CONSTRAINT_KEYS = frozenset(
    {
        "type",
        "format",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    }
)


class TypeTranslator:
    """Translates schemas into type nodes, planning the classes they need."""

    def __init__(self, registry: PlanRegistry, openapi_30: bool) -> None:
        self.registry = registry
        self.openapi_30 = openapi_30
        self.scalars = ScalarTypes(registry)

    def annotation(self, schema: Any, context: str, pointer: str, depth: int = 0) -> TypeNode:
        """The type of values valid against `schema`; inline objects/enums become classes."""
        if not isinstance(schema, dict):
            return t.ANY
        if depth > MAX_DEPTH and "$ref" not in schema and self.registry.kind_of(schema) == "alias":
            if not self.registry.can_nest(pointer, MAX_DEPTH):
                return t.ANY
            plan = self.registry.plan(pointer, schema, context, kind="alias", step=MAX_DEPTH)
            return t.NONE if plan.null_only else t.ModelRef(plan.name)
        node = self._body(schema, context, pointer, depth)
        if is_nullable(schema) and "$ref" not in schema:
            node = t.optional(node)
        return node

    def _body(self, schema: dict[str, Any], context: str, pointer: str, depth: int) -> TypeNode:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if (
                not self.openapi_30
                and any(key in schema for key in _OBJECT_SIBLINGS)
                and self._refers_to_object(ref)
            ):
                # 3.1: `properties`, `required`, `additionalProperties` beside a `$ref` to an
                # object apply too: a subclass of the referenced model, as `allOf` makes one
                # (they were dropped: hostile audit 14); beside an enum or an array, which
                # no object satisfies, they change nothing (hostile audit 15)
                extended = {k: v for k, v in schema.items() if k != "$ref"}
                extended["allOf"] = [{"$ref": ref}, *extended.get("allOf", ())]
                return self._inline_object(extended, context, pointer)
            siblings = {k: v for k, v in schema.items() if k in CONSTRAINT_KEYS}
            if siblings and not self.openapi_30:  # 3.1: keywords beside $ref apply too
                merged = merge_scalar_parts(self.registry, [{"$ref": ref}, siblings])
                if merged is not None:
                    return self._body(merged, context, pointer, depth + 1)
            return self._ref(ref, schema, context)
        if "const" in schema and not is_lone_surrogate_text(schema["const"]):  # else W406
            return self._literal([schema["const"]])
        enum = enum_list(schema)
        if enum is not None:
            if enum_values(schema) is None:
                return self._literal(enum)
            plan = self.registry.plan(pointer, schema, context, kind="enum", step=1, reuse=True)
            return t.ModelRef(plan.name)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and "properties" not in schema:
                return self._union(schema, key, context, pointer, depth)
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, context, pointer, depth)
        types = own_types(schema)
        if not types:
            if "properties" in schema or "additionalProperties" in schema:
                types = {"object"}
            elif "items" in schema or "prefixItems" in schema:
                types = {"array"}
            elif "null" in schema_types(schema):
                return t.NONE
            else:
                return t.ANY
        return t.union(
            self._typed(schema, name, context, pointer, depth)
            for name in sorted(types, key=type_order)
        )

    def _refers_to_object(self, ref: str) -> bool:
        """Is the schema `ref` names an object with properties (a model to subclass)?"""
        target = self.registry.deref({"$ref": ref})
        return isinstance(target, dict) and self.registry.is_object(target)

    def _ref(self, ref: str, schema: dict[str, Any], context: str) -> TypeNode:
        last = split_pointer(ref.lstrip("#"))[-1:] if ref.startswith("#/") else []
        plan = self.registry.plan_ref(
            ref, "Ref" + styled(last[0] if last else context, Style.PASCAL)
        )
        if plan is None:
            return t.ANY
        if plan.null_only:
            return t.NONE
        node: TypeNode = t.ModelRef(plan.name)
        if plan.nullable or (self.openapi_30 and schema.get("nullable") is True):
            node = t.optional(node)
        return node

    def _all_of(self, schema: dict[str, Any], context: str, pointer: str, depth: int) -> TypeNode:
        parts = [p for p in schema["allOf"] if isinstance(p, dict)]
        # (a part that only describes the other: AWS's `allOf: [{$ref: TagMap},
        # {description: …}]` was `Any`, nothing checked, in 222 directory specs; audit 18)
        said = [p for p in parts if not _only_annotates(p)]
        parts = said if len(said) == 1 else parts
        siblings = {k: v for k, v in schema.items() if k in CONSTRAINT_KEYS}
        # (`required` beside it: DigitalOcean's `allOf: [$ref: Project], required: [name]`
        # is a subclass requiring them, not the model itself)
        required = isinstance(schema.get("required"), list) and bool(schema["required"])
        if len(parts) == 1 and "properties" not in schema and not siblings and not required:
            return self._body(parts[0], context, join_pointer(pointer, "allOf", 0), depth + 1)
        if self.registry.is_object(schema):
            return self._inline_object(schema, context, pointer)
        merged = merge_scalar_parts(self.registry, [*parts, siblings])
        if merged is not None:
            return self._body(merged, context, pointer, depth + 1)
        return t.ANY

    def _inline_object(self, schema: dict[str, Any], context: str, pointer: str) -> TypeNode:
        """A class for an inline object schema (a loose mapping when nested too deep).

        The object member of a schema planned as something else (`T: {type: [object,
        string], properties: …}`, an alias `TObject | str`) is a class of its own, `TObject`:
        the alias's own name would make it `T | str`, which never holds an object."""
        existing = self.registry.plans.get(pointer)
        key, name = pointer, context
        if existing is not None and existing.kind != "object":
            key, name = member_key(pointer, "object"), context + "Object"
        if key not in self.registry.plans and not self.registry.can_nest(pointer, 1):
            return t.Generic("dict", (t.STR, t.ANY))
        plan = self.registry.plan(pointer, schema, name, kind="object", step=1, key=key, reuse=True)
        return t.ModelRef(plan.name)

    def _literal(self, values: list[Any]) -> TypeNode:
        """A `const` or a mixed `enum` as `Literal[…]`; an integer past 64 bits (which mypy
        refuses in a `Literal`) as an `int` bounded to it (`ge=v, le=v`), a (finite) float,
        which no `Literal` holds, as a `float` bounded to it: WMATA's `enum: [38.8978168]`
        is a `float` that must be 38.8978168, not `Any`."""
        # an infinity (`1e400` reads as one) or NaN cannot be sent (JSON has neither): left
        # out, as lint's W407 says (it made the whole enum `Any`: any value was sent)
        finite = [v for v in values if not _not_finite(v)]
        if len(finite) != len(values) and all(v is None for v in finite):
            return t.NONE if finite else t.NEVER  # no number of them can be sent
        values = finite
        kept = [v for v in values if v is not None]
        node: TypeNode
        if kept and all(isinstance(v, (str, int, bool)) or _is_finite_float(v) for v in kept):
            # (`union` merges the literals, `1` and `True` apart, and drops repeats)
            node = t.union([_exact(v) if _is_exact(v) else t.LiteralType((v,)) for v in kept])
        elif kept:
            node = t.ANY
        elif values:
            node = t.NONE
        else:  # `enum: []`: no value is valid
            return t.NEVER
        return t.optional(node) if len(kept) != len(values) else node

    def _union(
        self, schema: dict[str, Any], key: str, context: str, pointer: str, depth: int
    ) -> TypeNode:
        options = [o for o in schema[key] if isinstance(o, dict)]
        nodes = [
            self.annotation(
                option,
                f"{context}Option{index + 1}",
                join_pointer(pointer, key, index),
                depth + 1,
            )
            for index, option in enumerate(options)
        ]
        node = self._discriminated(schema, options) or t.union(nodes)
        current = self.registry.current
        wide = isinstance(node, t.Union) and len(node.members) > t.WIDE_UNION
        if wide and not (current is not None and current.pointer == pointer):
            # a wide union gets a name of its own: its alias is laid out one member a line
            if self.registry.can_nest(pointer, 1):
                plan = self.registry.plan(pointer, schema, context, kind="alias", step=1)
                return t.ModelRef(plan.name)
        return node

    def _discriminated(
        self, schema: dict[str, Any], options: list[dict[str, Any]]
    ) -> TypeNode | None:
        discriminator = schema.get("discriminator")
        inferred: list[list[str]] = []  # each option's values, where none is declared
        if not isinstance(discriminator, dict):
            # none said: a property every option requires with values of its own (Adyen's
            # `type: redirect` actions: without a tag, the first option with the same
            # fields took every redirect)
            found = self._inferred_tag(options)
            if found is None:
                return None
            discriminator, inferred = {"propertyName": found[0]}, found[1]
        prop = discriminator.get("propertyName")
        if not isinstance(prop, str) or len(options) < 2:
            return None
        if not all(isinstance(o.get("$ref"), str) for o in options):
            return None
        if not inferred and not any(self._declares(option, prop) for option in options):
            return None  # a property no option has tells nothing apart (lint: W112)
        raw_mapping = discriminator.get("mapping")
        mapping: dict[str, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
        chosen: list[tuple[str, list[str]]] = []
        mapped = _MappingIndex(mapping)
        for option in options:
            ref = option["$ref"]
            plan = self.registry.ref_plan(option)
            if plan is None or plan.kind != "object":
                return None
            values = mapped.values(ref)
            if inferred:
                values = inferred[len(chosen)]
            chosen.append((plan.name, values or [self._own_tag(option, prop, ref)]))
        tags = [tag for _, values in chosen for tag in values]
        if len(set(tags)) < len(tags):  # two options claim one value: the schemas' names
            chosen = [
                (name, [split_pointer(o["$ref"].lstrip("#"))[-1]])
                for (name, _), o in zip(chosen, options, strict=True)
            ]
        tagged: list[TypeNode] = [
            t.Annotated(t.ModelRef(name), (t.Call(S.TAG, (value,)),))
            for name, values in chosen
            for value in values
        ]
        union = t.union(tagged)
        if not isinstance(union, t.Union):
            return None
        picker = t.Call(S.DISCRIMINATOR, (t.Call(S.DISCRIMINATE_BY, (prop,)),))
        return t.Annotated(union, (picker,))

    def _inferred_tag(self, options: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
        """(property, each option's values) telling `$ref` object options apart where no
        discriminator is declared: each requires the property with string values of its
        own (`const`, or an `enum`: Adyen's SDK action is `sdk` or `wechatpaySDK`), no value
        in two options; `type`, `kind` or `object` first."""
        if len(options) < 2 or not all(isinstance(o.get("$ref"), str) for o in options):
            return None
        found = [self._tag_values(o) for o in options]
        shared = set.intersection(*(set(values) for values in found))
        for prop in sorted(shared, key=lambda p: (p not in ("type", "kind", "object"), p)):
            values = [list(each[prop]) for each in found]
            if len({v for vs in values for v in vs}) == sum(len(vs) for vs in values):
                return prop, values
        return None

    def _tag_values(self, option: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        """The required properties of an object option (through `allOf`) that allow only
        strings, listed: name → values."""
        found: dict[str, tuple[str, ...]] = {}
        required: set[str] = set()
        for current in self._through_all_of(option):
            names = current.get("required")
            if isinstance(names, list):
                required.update(n for n in names if isinstance(n, str))
            properties = current.get("properties")
            for name, prop in properties.items() if isinstance(properties, dict) else ():
                own = self.registry.deref(prop)
                values = [own["const"]] if "const" in own else own.get("enum")
                if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
                    found.setdefault(str(name), tuple(dict.fromkeys(values)))
        return {name: values for name, values in found.items() if name in required}

    def _declares(self, option: dict[str, Any], prop: str) -> bool:
        """Does an option (or a schema of its `allOf`) list `prop` among its properties?"""
        for current in self._through_all_of(option):
            properties = current.get("properties")
            if isinstance(properties, dict) and prop in properties:
                return True
        return False

    def _through_all_of(self, option: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """An option's schema and its `allOf` members, theirs in turn (16 at most)."""
        pending, seen = [self.registry.deref(option)], 0
        while pending and seen < 16:
            current, seen = pending.pop(), seen + 1
            yield current
            members = current.get("allOf")
            pending.extend(self.registry.deref(m) for m in members or () if isinstance(m, dict))

    def _own_tag(self, option: dict[str, Any], prop: str, ref: str) -> str:
        """The value an option without a `mapping` entry is told by: the one its own
        discriminator property allows (a `const`, an `enum` of one: Spotify's `type:
        "track"`, which the API sends), else the schema's name (OpenAPI's default; the
        option's own schema would refuse it there)."""
        for current in self._through_all_of(option):
            properties = current.get("properties")
            found = properties.get(prop) if isinstance(properties, dict) else None
            if found is not None:
                own = self.registry.deref(found)
                values = [own["const"]] if "const" in own else own.get("enum")
                if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
                    return values[0]
                break
        return split_pointer(ref.lstrip("#"))[-1]

    def _typed(
        self,
        schema: dict[str, Any],
        type_name: str,
        context: str,
        pointer: str,
        depth: int,
    ) -> TypeNode:
        if type_name == "array":
            if isinstance(schema.get("prefixItems"), list):
                return self._tuple(schema, context, pointer, depth)
            items = schema.get("items")
            item = (
                self.annotation(items, context + "Item", join_pointer(pointer, "items"), depth + 1)
                if isinstance(items, dict)
                else t.ANY
            )
            listed = t.constrained(t.Generic("list", (item,)), array_constraints(schema))
            return _unique(listed, schema)
        if type_name == "object":
            if schema.get("properties"):
                return self._inline_object(schema, context, pointer)
            extra = schema.get("additionalProperties")
            value: TypeNode = t.ANY
            if isinstance(extra, dict) and extra:
                value = self.annotation(
                    extra,
                    context + "Value",
                    join_pointer(pointer, "additionalProperties"),
                    depth + 1,
                )
            return t.Generic("dict", (t.STR, value))
        if type_name == "string":
            return self.scalars.string(schema, pointer)
        if type_name in ("integer", "number"):
            return self.scalars.number(schema, type_name == "integer")
        if type_name == "boolean":
            return t.annotated(t.BOOL, STRICT)
        if type_name == "null":
            return t.NONE
        return t.ANY

    def _tuple(self, schema: dict[str, Any], context: str, pointer: str, depth: int) -> TypeNode:
        """`prefixItems`: an exact tuple when its length is fixed, else a list of the item types."""
        prefix = [p for p in schema["prefixItems"] if isinstance(p, dict)]
        members = [
            self.annotation(
                p,
                f"{context}Item{i + 1}",
                join_pointer(pointer, "prefixItems", i),
                depth + 1,
            )
            for i, p in enumerate(prefix)
        ]
        items = schema.get("items")
        min_items = schema.get("minItems", 0)
        if items is False and is_int(min_items) and min_items >= len(prefix):
            return t.Generic("tuple", tuple(members))
        if isinstance(items, dict):
            members.append(
                self.annotation(items, context + "Item", join_pointer(pointer, "items"), depth + 1)
            )
        constraints = array_constraints(schema)
        if items is False:
            constraints = [c for c in constraints if c[0] != "max_length"]
            constraints.append(("max_length", len(prefix)))
        open_items = items is True or not (items is False or isinstance(items, dict))
        element = t.ANY if open_items else t.union(members)
        return _unique(t.constrained(t.Generic("list", (element,)), constraints), schema)


def _is_wide(value: Any) -> bool:
    return is_int(value) and abs(value) > _LITERAL_INT


def _not_finite(value: Any) -> bool:
    """An infinite or NaN float."""
    return isinstance(value, float) and not math.isfinite(value)


def _is_finite_float(value: Any) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def _is_exact(value: Any) -> bool:
    """Is `value` one no `Literal` can spell (a float, an integer past 64 bits)?"""
    return isinstance(value, float) or _is_wide(value)


def _exact(value: float) -> TypeNode:
    """The one number `value`, as an `int` or `float` bounded to it (no `Literal`: mypy
    refuses a wide integer, and typing has no float literals); strict, so that no text
    such as `"38.9"` passes for it."""
    base = t.FLOAT if isinstance(value, float) else t.INT
    return t.annotated(t.constrained(base, [("ge", value), ("le", value)]), STRICT)


class _MappingIndex:
    """A discriminator mapping's values by what each names: a `$ref` (compared as the loader
    reads them: `#/components/schemas/C%61t` is `Cat`), or a schema's name. Comparing every
    option with every entry was quadratic (5,000 options mapped took 30 s; hostile audit 18's
    shapes)."""

    def __init__(self, mapping: dict[str, Any]) -> None:
        self._entries = list(mapping.items())
        self._exact: dict[str, list[int]] = {}
        self._pointers: dict[tuple[str, ...], list[int]] = {}
        self._names: dict[str, list[int]] = {}
        self._paths: list[int] = []  # names holding a `/`: compared one by one
        for index, (_, target) in enumerate(self._entries):
            if not isinstance(target, str):
                continue
            self._exact.setdefault(target, []).append(index)
            if target.startswith("#"):
                try:
                    self._pointers.setdefault(tuple(split_pointer(target)), []).append(index)
                except ValueError:  # not a pointer: only the same text names it
                    pass
            elif "/" in target:
                self._paths.append(index)
            else:
                self._names.setdefault(target, []).append(index)

    def values(self, ref: str) -> list[str]:
        """The mapping's values (in its order) whose target names `ref`."""
        found = set(self._exact.get(ref, ()))
        try:
            tokens = split_pointer(ref) if ref.startswith("#") else None
        except ValueError:  # not a pointer: only the same text names it
            return [str(self._entries[i][0]) for i in sorted(found)]
        if tokens is not None:
            found.update(self._pointers.get(tuple(tokens), ()))
            if tokens:
                found.update(self._names.get(tokens[-1], ()))
        if "/" in ref:
            found.update(self._names.get(ref.rsplit("/", 1)[1], ()))
        for index in self._paths:
            target = self._entries[index][1]
            if ref.endswith("/" + target) or (tokens is not None and tokens[-1:] == [target]):
                found.add(index)
        return [str(self._entries[i][0]) for i in sorted(found)]


def _unique(listed: t.TypeNode, schema: dict[str, Any]) -> t.TypeNode:
    """An array type, with `unique_items()` where the schema says `uniqueItems: true`."""
    if schema.get("uniqueItems") is True:
        return t.annotated(listed, t.Call(S.UNIQUE_ITEMS, ()))
    return listed


# keywords that say nothing of a value: a schema of only these (and extensions) annotates
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "externalDocs", "$comment"}
)


def _only_annotates(schema: dict[str, Any]) -> bool:
    """Does a schema hold only annotations (a description, examples, `x-` extensions)?"""
    return all(key in _ANNOTATIONS or str(key).startswith("x-") for key in schema)
