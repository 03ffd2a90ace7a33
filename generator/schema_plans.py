"""Stage 3a (plans): which schemas become named types, under which name, of which kind.

Every schema that gets a name (a component, an inline object or enum, a schema
reached through a `$ref` into a path, a part of a too-deep expression) is
*planned* first: its class name is claimed in the package's model scope and its
kind decided. Plans are keyed by JSON pointer, so every use of one schema, inline
or through `$ref`, names the same model. Building happens later, from a queue,
so deep nesting never recurses (see `ir_schemas`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .limits import MAX_ENUM_MEMBERS, MAX_REF_CHAIN, TooManyModels
from .load import deref, resolve_pointer
from .naming import NameScope, Style
from .naming_reserved import MODEL_RESERVED
from .ref_graph import is_alias
from .schema_reuse import InlineReuse
from .surrogates import enum_list

# Longest class name claimed for a schema: deeply nested inline objects would
# otherwise concatenate their context into names of unbounded length.
MAX_NAME = 64
# Deepest nesting of named types inside one another (an inline object counts 1, a
# hoisted part of a deep expression counts for the depth it stands for). pydantic
# builds a model's schema recursively, about 90 nested models deep at most: deeper
# inline schemas are typed loosely (`dict[str, Any]`, `Any`), with a warning.
MAX_LEVEL = 64


@dataclass
class Plan:
    """A schema that becomes a named type."""

    name: str
    kind: str  # "object" | "enum" | "alias"
    pointer: str
    schema: dict[str, Any]
    nullable: bool
    null_only: bool = False  # a schema that admits only `null`: referenced as `None`
    level: int = 0  # nesting below the component, path or `$ref` target it sits in


def member_key(pointer: str, type_name: str) -> str:
    """The plan key of the `type_name` member of the schema at `pointer` when that schema is
    itself planned as a union (`T: {type: [object, string], properties: …}` is `TObject | str`,
    `TObject` keyed `/components/schemas/T/~object`: no JSON pointer holds `~o`)."""
    return f"{pointer}/~{type_name}"


def schema_types(schema: dict[str, Any]) -> set[str]:
    """The `type` keyword as a set of names."""
    raw = schema.get("type")
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {t for t in raw if isinstance(t, str)}
    return set()


def is_nullable(schema: dict[str, Any]) -> bool:
    """`nullable: true`, `type: [..., "null"]`, or `null` among the enum values."""
    if schema.get("nullable") is True or "null" in schema_types(schema):
        return True
    enum = enum_list(schema)
    return enum is not None and None in enum


def is_null_only(schema: dict[str, Any], document: Any = None, depth: int = 0) -> bool:
    """A schema whose only value is `null` (`type: 'null'`, `const: null`, `enum: [null]`),
    also through a local `$ref` into `document` and as every member of an `anyOf`, `oneOf`
    or `allOf` (`anyOf: [{type: 'null'}]`): such a schema typed as an alias of `None` made
    every optional use `None | None`, a TypeError when the model is built."""
    if depth > MAX_REF_CHAIN:
        return False
    if "$ref" in schema:
        if document is None or not str(schema["$ref"]).startswith("#"):
            return False
        target = deref(document, {"$ref": schema["$ref"]})
        return bool(target) and is_null_only(target, document, depth + 1)
    if not {"type", "const", "enum", "properties", "items"} & schema.keys():
        for key in ("anyOf", "oneOf", "allOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return all(
                    isinstance(m, dict) and is_null_only(m, document, depth + 1) for m in members
                )
    if "const" in schema:
        return schema["const"] is None
    enum = enum_list(schema)
    if enum:
        return all(v is None for v in enum)
    return schema_types(schema) == {"null"}


def enum_values(schema: dict[str, Any]) -> list[Any] | None:
    """Non-null enum values when they are all strings or all integers within 64 bits, else
    None (values holding a lone surrogate are left out: W406). An `IntEnum` holding one
    integer past 64 bits cannot be validated by pydantic (`int_parsing_size` for its wide
    members): such an enum is a union of its values instead, as one of more than
    `MAX_ENUM_MEMBERS` values is (W410)."""
    values = enum_list(schema)
    if not values or len(values) > MAX_ENUM_MEMBERS:  # (a `Literal` then: W410)
        return None
    non_null = [v for v in values if v is not None]
    if not non_null:
        return None
    if all(isinstance(v, str) for v in non_null):
        return list(dict.fromkeys(non_null))
    if all(isinstance(v, int) and not isinstance(v, bool) for v in non_null):
        if any(abs(v) > _INT64_MAX for v in non_null):
            return None
        return list(dict.fromkeys(non_null))
    return None


_INT64_MAX = 2**63 - 1


@dataclass
class PlanRegistry:
    """The package's named types: plans by pointer, the model name scope, the build queue."""

    document: dict[str, Any]
    scope: NameScope = field(default_factory=lambda: NameScope(MODEL_RESERVED))
    plans: dict[str, Plan] = field(default_factory=dict)
    queue: deque[Plan] = field(default_factory=deque)
    by_name: dict[str, Plan] = field(default_factory=dict)
    current: Plan | None = None  # the plan being drafted
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (pointer, code, text)
    reserved: dict[str, str] = field(default_factory=dict)  # pointer → name claimed, not planned
    reuse: InlineReuse = field(init=False)  # the copies of inline schemas (`schema_reuse`)
    shared: dict[tuple[int, str], Plan] = field(default_factory=dict)  # (group, kind) → plan
    unshared: set[int] = field(default_factory=set)  # groups whose copies stay apart
    max_plans: int | None = None  # the spec's size's limit (`limits.max_models`)

    def __post_init__(self) -> None:
        self.reuse = InlineReuse(self.document)

    def reserve(self, pointer: str, text: str) -> None:
        """Claim the name of the schema at `pointer` now; plan it only when first used."""
        self.reserved[pointer] = self.scope.claim(text, Style.PASCAL, max_length=MAX_NAME)

    def can_nest(self, pointer: str, step: int) -> bool:
        """May a named type `step` levels below the current one be planned at `pointer`?

        False beyond `MAX_LEVEL`, with a warning noted once per outermost plan.
        """
        if (self.current.level if self.current else 0) + step <= MAX_LEVEL:
            return True
        message = f"schema nested more than {MAX_LEVEL} levels deep: typed loosely from here on"
        if not any(note[0] == pointer for note in self.notes):
            self.notes.append((pointer, "W902", message))
        return False

    def deref(self, schema: Any) -> dict[str, Any]:
        """Follow local `$ref`s; {} when one does not resolve."""
        return deref(self.document, schema)

    def plan(
        self,
        pointer: str,
        schema: dict[str, Any],
        text: str,
        kind: str | None = None,
        step: int = 0,
        key: str | None = None,
        reuse: bool = False,
    ) -> Plan:
        """Plan `schema` (at `pointer`) under a name claimed from `text`; queue it for building.

        An already planned pointer returns its existing plan. `step` is how many levels
        below the plan being drafted the new one sits (0 for components and targets).
        `key` plans a second type at one pointer (`member_key`), else the pointer is the key.
        With `reuse` (an inline object or enum), a structurally identical copy planned
        before is this schema's plan too (`schema_reuse`).
        """
        key = key or pointer
        existing = self.plans.get(key)
        if existing is not None:
            return existing
        group = self.reuse.group(pointer, schema) if reuse and key == pointer else None
        if group is not None and group.key in self.unshared:
            group = None
        if group is not None:
            found = self.shared.get((group.key, kind or self.kind_of(schema)))
            if found is not None:
                self.plans[key] = found
                return found
        if "$ref" in schema and self._in_bare_circle(pointer, schema):
            schema = {k: v for k, v in schema.items() if k != "$ref"}  # lint's E108: any value
        name = self.reserved.pop(pointer, None)
        if name is None and group is not None:
            # one model for the copies only under the name of the property they all sit
            # under: a first copy's own name (`GetInvoicesUpcomingDiscountsOption2`) read
            # wrong in the other operations (Stripe's `customers.create`)
            shared_name = None
            if group.text is not None:
                shared_name = self.scope.claim_exact(group.text, Style.PASCAL, max_length=MAX_NAME)
            if shared_name is None:
                self.unshared.add(group.key)
                group = None
            name = shared_name
        name = name or self.scope.claim(text, Style.PASCAL, max_length=MAX_NAME)
        plan = Plan(
            name=name,
            kind=kind or self.kind_of(schema),
            pointer=pointer,
            schema=schema,
            nullable=is_nullable(schema),
            null_only=is_null_only(schema, self.document),
            level=(self.current.level if self.current and step else 0) + step,
        )
        self.plans[key] = plan
        self.by_name[name] = plan
        if self.max_plans is not None and len(self.by_name) > self.max_plans:
            raise TooManyModels(pointer, self.max_plans)
        self.queue.append(plan)
        if group is not None:
            self.shared[(group.key, plan.kind)] = plan
        return plan

    def _in_bare_circle(self, pointer: str, schema: dict[str, Any]) -> bool:
        """Does following bare `$ref`s from `schema` (at `pointer`) come round in a circle?

        Such schemas define nothing (lint's E108); planned as they are, an alias would name
        itself. Bare: nothing besides the `$ref` that gives a type (`ref_graph.is_alias`)."""
        seen = {pointer}
        node: Any = schema
        for _ in range(MAX_REF_CHAIN + 1):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#") or not is_alias(node):
                return False
            if ref[1:] in seen:
                return True
            seen.add(ref[1:])
            try:
                node = resolve_pointer(self.document, ref[1:])
            except (KeyError, ValueError):
                return False
        return False

    def plan_ref(self, ref: str, context: str) -> Plan | None:
        """The plan a local `$ref` names, planning its target on first use; None if unresolvable."""
        if not ref.startswith("#"):
            return None
        pointer = ref[1:]
        plan = self.plans.get(pointer)
        if plan is not None:
            return plan
        try:
            target = resolve_pointer(self.document, pointer)
        except (KeyError, ValueError):
            return None
        if not isinstance(target, dict):
            target = {}
        return self.plan(pointer, target, context)

    def ref_plan(self, schema: dict[str, Any]) -> Plan | None:
        """The already made plan of a `{$ref: …}` schema, if any (no planning)."""
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            return self.plans.get(ref[1:])
        return None

    def kind_of(self, schema: dict[str, Any]) -> str:
        """`object` (a class with fields), `enum`, or `alias` (anything else)."""
        if "$ref" in schema:
            return "alias"
        if enum_values(schema) is not None:
            return "enum"
        if self.is_object(schema):
            return "object"
        return "alias"

    def is_object(self, schema: dict[str, Any]) -> bool:
        """Does `schema` describe an object with properties (directly or through `allOf`)?"""
        pending = [schema]
        seen: set[int] = set()
        while pending:
            current = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            types = schema_types(current)
            if "oneOf" in current or "anyOf" in current:
                if "properties" in current:
                    return True
                continue
            if types and types - {"null"} != {"object"}:
                continue
            if "properties" in current:
                return True
            if isinstance(current.get("allOf"), list):
                for part in current["allOf"]:
                    if isinstance(part, dict):
                        pending.append(self.deref(part) if "$ref" in part else part)
                continue
            if types and types - {"null"} == {"object"}:
                extra = current.get("additionalProperties")
                if not isinstance(extra, dict) or extra == {}:
                    return True
        return False
