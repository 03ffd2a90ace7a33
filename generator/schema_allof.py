"""Stage 3a (`allOf`): scalar schemas merged into one, object schemas taken apart.

`merge_scalar_parts` turns `allOf` of non-object schemas into one equivalent
schema (types intersect, bounds tighten, enums intersect, patterns all apply).
`object_parts` collects what an object schema declares through `allOf`: the
properties of its inline parts and of referenced schemas that are not classes,
and the classes it may derive from. Every walk here is iterative and visits a
schema once, so `allOf` cycles and long chains end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .load import join_pointer
from .schema_plans import PlanRegistry, schema_types

_LOWER_BOUNDS = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems"})
_UPPER_BOUNDS = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems"})
_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")
# parts merged at most: an `allOf` tree larger than this is cut (a real spec stays far below)
MAX_MERGED_PARTS = 256


def type_order(name: str) -> int:
    """Position of a JSON type in the order unions are written in."""
    return _TYPE_ORDER.index(name) if name in _TYPE_ORDER else len(_TYPE_ORDER)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _intersect_types(types: set[str], part_types: set[str]) -> set[str]:
    """The JSON types both allow: integers where one says integer and the other number.
    (Each `number` was widened to `integer` too and the number dropped at the end, so
    `allOf: [{$ref: Double}, {description: …}]`, every AWS float, was an `int`.)"""
    both = types & part_types
    if ("integer" in types and "number" in part_types) or (
        "number" in types and "integer" in part_types
    ):
        both.add("integer")
    return both


def merge_scalar_parts(
    registry: PlanRegistry, parts: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """One schema equivalent to `allOf: parts` for non-object parts; None if any is an object.

    Types intersect, lower bounds take the maximum, upper bounds the minimum,
    enums intersect, and several patterns are kept (`patterns`) to all apply.
    """
    merged: dict[str, Any] = {}
    patterns: list[str] = []
    types: set[str] | None = None
    queue = list(parts)
    seen_refs: set[str] = set()
    count = 0
    while queue and count < MAX_MERGED_PARTS:
        part = queue.pop(0)
        count += 1
        ref = part.get("$ref")
        if isinstance(ref, str):
            plan = registry.ref_plan(part)
            if (plan is not None and plan.kind == "object") or registry.is_object(
                registry.deref(part)
            ):
                return None
            if ref in seen_refs:
                continue
            seen_refs.add(ref)
            queue.insert(
                0,
                {
                    **registry.deref(part),
                    **{k: v for k, v in part.items() if k != "$ref"},
                },
            )
            continue
        if isinstance(part.get("allOf"), list):
            queue[:0] = [p for p in part["allOf"] if isinstance(p, dict)]
            part = {k: v for k, v in part.items() if k != "allOf"}
        if "properties" in part or "oneOf" in part or "anyOf" in part:
            return None
        part_types = schema_types(part)
        if part.get("nullable") is True and part_types:
            part_types = part_types | {"null"}
        if part_types:
            if "object" in part_types:
                return None
            types = set(part_types) if types is None else _intersect_types(types, part_types)
        for key, value in part.items():
            if key in _LOWER_BOUNDS and _number(value):
                merged[key] = max(merged.get(key, value), value)
            elif key in _UPPER_BOUNDS and _number(value):
                merged[key] = min(merged.get(key, value), value)
            elif key == "pattern" and isinstance(value, str):
                if value not in patterns:
                    patterns.append(value)
            elif key == "patterns" and isinstance(value, list):
                patterns.extend(p for p in value if isinstance(p, str) and p not in patterns)
            elif key == "enum" and isinstance(value, list):
                merged["enum"] = [v for v in merged.get("enum", value) if v in value]
            elif key not in ("type", "nullable", "allOf"):
                merged.setdefault(key, value)
    if types is not None:
        if "number" in types and "integer" in types:
            types.discard("integer")  # every integer is a number
        merged["type"] = sorted(types, key=type_order) if len(types) != 1 else next(iter(types))
    if len(patterns) == 1:
        merged["pattern"] = patterns[0]
    elif patterns:
        merged.pop("pattern", None)
        merged["patterns"] = patterns
    return merged


@dataclass
class ObjectParts:
    """What an object schema declares, its own keywords and those of its `allOf` parts."""

    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (schema, ptr)
    required: set[str] = field(default_factory=set)
    dependent: dict[str, list[str]] = field(default_factory=dict)
    extra_schema: Any = None
    bases: list[str] = field(default_factory=list)  # pointers of object plans, in order


def object_parts(
    registry: PlanRegistry, schema: dict[str, Any], pointer: str, inherit_required: bool = True
) -> ObjectParts:
    """Take an object schema apart: its parts' properties, and candidate base classes
    (with `inherit_required`, the names they require and leave to it: `_left_to_subclasses`).

    A `$ref` in `allOf` to a schema planned as an object is a candidate base class;
    any other part (inline, or a reference to a non-class schema) contributes its
    properties, requirements and `additionalProperties` directly. Parts reached
    twice (cycles, diamonds) count once.
    """
    result = ObjectParts()
    pending: list[tuple[dict[str, Any], str]] = [(schema, pointer)]
    visited: set[int] = set()
    while pending:
        part, part_pointer = pending.pop(0)
        if id(part) in visited:
            continue
        visited.add(id(part))
        for prop, sub in (part.get("properties") or {}).items():
            if isinstance(prop, str):
                result.properties.setdefault(
                    prop, (sub, join_pointer(part_pointer, "properties", prop))
                )
        # (a `required` that is no list is none, as E201 says: a string was read letter by
        # letter as required names, a request body's `required: true` raised E900 at 1:1;
        # mutation audit 24)
        listed = part.get("required")
        if isinstance(listed, list):
            result.required.update(r for r in listed if isinstance(r, str))
        for key, deps in (part.get("dependentRequired") or {}).items():
            if isinstance(deps, list):
                result.dependent.setdefault(key, []).extend(str(d) for d in deps)
        if "additionalProperties" in part and result.extra_schema is None:
            result.extra_schema = part["additionalProperties"]
        all_of = part.get("allOf")
        for index, sub_part in enumerate(all_of if isinstance(all_of, list) else []):
            if not isinstance(sub_part, dict):
                continue
            ref = sub_part.get("$ref")
            if isinstance(ref, str):
                plan = registry.ref_plan(sub_part)
                if plan is not None and plan.kind == "object" and part is schema:
                    if plan.pointer not in result.bases:
                        result.bases.append(plan.pointer)
                        if inherit_required:
                            result.required |= _left_to_subclasses(registry, plan.pointer)
                    continue
                target = registry.deref(sub_part)
                if target:
                    pending.append((target, ref.lstrip("#")))
            else:
                pending.append((sub_part, join_pointer(part_pointer, "allOf", index)))
    return result


def _left_to_subclasses(registry: PlanRegistry, pointer: str) -> set[str]:
    """The names the base class at `pointer` requires and neither it nor its own bases
    declare: Spotify's `PagingObject` requires `items`, which each of its subclasses
    declares (`PagingPlaylistObject`), where it was optional (round-trip audit 18)."""
    plan = registry.plans.get(pointer)
    if plan is None:
        return set()
    parts = object_parts(registry, plan.schema, pointer, inherit_required=False)
    declared = set(parts.properties) | set(inherited_property_schemas(registry, parts.bases))
    return {name for name in parts.required - declared if name}


def inherited_property_schemas(
    registry: PlanRegistry, base_pointers: list[str]
) -> dict[str, tuple[dict[str, Any], bool, str]]:
    """Properties (schema, required, the schema's pointer) that the base classes declare,
    nearest base first."""
    found: dict[str, tuple[dict[str, Any], bool, str]] = {}
    pending = [(registry.plans[p].schema, p) for p in base_pointers if p in registry.plans]
    visited: set[int] = set()
    while pending:
        schema, pointer = pending.pop(0)
        if id(schema) in visited:
            continue
        visited.add(id(schema))
        listed = schema.get("required")
        required = {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()
        for prop, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and prop not in found:
                where = join_pointer(pointer, "properties", prop)
                found[prop] = (sub, prop in required, where)
        for index, part in enumerate(schema.get("allOf") or []):
            if not isinstance(part, dict):
                continue
            ref = part.get("$ref")
            if isinstance(ref, str):
                pending.append((registry.deref(part), ref.lstrip("#")))
            else:
                pending.append((part, join_pointer(pointer, "allOf", index)))
    return found


def own_types(schema: dict[str, Any]) -> set[str]:
    """Non-null types a schema names."""
    return schema_types(schema) - {"null"}
