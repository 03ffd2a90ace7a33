"""Stage 3a (models): planned schemas → `Model`s (classes, enums, aliases).

Building runs in two phases. `draft` translates one planned schema on its own:
an object's own fields (types, defaults, flags), an enum's members, an alias's
type. `finish` then decides inheritance for every object at once and names the
fields (`schema_inherit`).
"""

from __future__ import annotations

import math
from typing import Any

from . import typeir as t
from .ir import Default, EnumMember, Model
from .load import join_pointer
from .naming import NameScope, Style, styled
from .naming_reserved import ENUM_RESERVED
from .schema_allof import inherited_property_schemas, object_parts
from .schema_defaults import (
    UNUSABLE,
    DefaultCheck,
    example_text,
    literal_fits,
    native_default,
)
from .schema_inherit import ClassShape, DraftField, Inheritance, ObjectDraft, object_model
from .schema_plans import Plan, PlanRegistry, enum_values, is_nullable, schema_types
from .schema_scalars import is_secret, is_sensitive_name
from .schema_types import TypeTranslator
from .schema_usage import SchemaUsage
from .surrogates import enum_list, is_lone_surrogate_text
from .typeir import TypeNode


def describe(schema: dict[str, Any]) -> str:
    """A schema's title and description, as one docstring text; else those of an inline
    part of its `allOf` (AWS's `allOf: [{$ref: TagMap}, {description: …}]`, 2,741
    properties of 222 directory specs, had no docstring)."""
    parts = [schema.get("title"), schema.get("description")]
    texts = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
    if not texts and isinstance(schema.get("allOf"), list):
        inline = (p for p in schema["allOf"][:16] if isinstance(p, dict) and "$ref" not in p)
        return next((text for part in inline if (text := describe(part))), "")
    if len(texts) == 2 and texts[0].rstrip(".") == texts[1].rstrip("."):
        texts = texts[:1]
    return "\n\n".join(texts)


# Document-level extension: `camelCase` makes every property also accepted in camelCase
# (`CompanyName` or `companyName`) when a model is built or parsed; requests keep the
# spec's spelling. For services that answer in another casing than their documents show.
ACCEPT_CASING = "x-accept-property-casing"


class ModelBuilder:
    """Drafts planned schemas as they come, then finishes every model at once."""

    def __init__(self, registry: PlanRegistry, types: TypeTranslator) -> None:
        self.registry = registry
        self.usage = SchemaUsage(registry.document)  # which schemas are only sent
        self.types = types
        self.drafts: dict[str, ObjectDraft] = {}  # by model name
        self.built: dict[str, Model] = {}  # enums and aliases, by name
        self.order: list[str] = []  # model names in the order they were planned and built
        self.checks = DefaultCheck(registry.document)
        self._finished = 0  # models of `order` that `finish` returned
        self._finals: dict[str, ClassShape] = {}  # their classes' shapes

    # ---- phase 1 -------------------------------------------------------------------------
    def draft(self, plan: Plan) -> None:
        """Translate one planned schema (its inline classes are planned, not built)."""
        self.order.append(plan.name)
        self.registry.current = plan
        if plan.kind == "object":
            self.drafts[plan.name] = self._draft_object(plan)
        elif plan.kind == "enum":
            self.enum(plan)
        else:
            node = (
                t.NONE
                if plan.null_only
                else self.types.annotation(plan.schema, plan.name, plan.pointer)
            )
            self.built[plan.name] = Model(
                name=plan.name,
                kind="alias",
                description=describe(plan.schema),
                source=plan.pointer,
                type=node,
                example=example_text(plan.schema),
            )

    def enum(self, plan: Plan) -> Model:
        """The enum model of an enum plan (built on first use: defaults look members up)."""
        existing = self.built.get(plan.name)
        if existing is not None:
            return existing
        values = enum_values(plan.schema) or []
        scope = NameScope(ENUM_RESERVED)
        members = []
        for value in values:
            text = str(value)
            if isinstance(value, int):
                text = f"value_{'minus_' if value < 0 else ''}{abs(value)}"
            members.append(EnumMember(scope.claim(text or "empty", Style.UPPER, prefix="V"), value))
        model = Model(
            name=plan.name,
            kind="enum",
            description=describe(plan.schema),
            source=plan.pointer,
            enum_base="int" if all(isinstance(v, int) for v in values) else "str",
            members=tuple(members),
            example=example_text(plan.schema),
        )
        self.built[plan.name] = model
        return model

    def _draft_object(self, plan: Plan) -> ObjectDraft:
        schema, pointer = plan.schema, plan.pointer
        parts = object_parts(self.registry, schema, pointer)
        inherited = inherited_property_schemas(self.registry, parts.bases)
        properties = dict(parts.properties)
        for prop in sorted(parts.required - set(properties)):
            if prop in inherited and not inherited[prop][1]:  # made required here: the
                # base's property, named where it is (an inline object keeps its own model)
                properties[prop] = (inherited[prop][0], inherited[prop][2])
        fields = []
        writable = self._read_only_ignored(plan, properties, parts.required)
        for prop, (sub, sub_pointer) in properties.items():
            if is_lone_surrogate_text(prop):  # never on the wire, and no alias can hold it: W406
                continue
            sub = sub if isinstance(sub, dict) else {}
            required = prop in parts.required
            if prop in inherited:  # a redeclared property must satisfy both schemas
                base_schema, base_required, _ = inherited[prop]
                if base_schema is not sub:
                    sub = {"allOf": [base_schema, sub]}
                required = required or base_required
            fields.append(self._draft_field(plan.name, prop, sub, sub_pointer, required, writable))
        casing = self.registry.document.get(ACCEPT_CASING)
        if casing == "camelCase":
            taken = {f.alias for f in fields}
            for draft_field in fields:
                camel = draft_field.alias[:1].lower() + draft_field.alias[1:]
                if camel not in taken:
                    draft_field.also_accepts = camel
        extra, extra_type = "allow", None
        # keys matching `patternProperties` are not additional: such a model stays open,
        # its other keys of any type (they are checked against no pattern here)
        patterned = bool(schema.get("patternProperties"))
        if parts.extra_schema is False and not patterned:
            extra = "forbid"
        elif isinstance(parts.extra_schema, dict) and parts.extra_schema and not patterned:
            extra_type = self.types.annotation(
                parts.extra_schema,
                plan.name + "Value",
                join_pointer(pointer, "additionalProperties"),
            )
        bases = list(dict.fromkeys(self.registry.plans[p].name for p in parts.bases))
        return ObjectDraft(
            plan=plan,
            bases=bases,
            fields=fields,
            extra=extra,
            extra_type=extra_type,
            dependent=parts.dependent,
            required_sets={key: _required_sets(schema, key) for key in ("oneOf", "anyOf")},
            description=describe(schema),
            example=example_text(schema),
        )

    def _read_only_ignored(
        self, plan: Plan, properties: dict[str, tuple[Any, str]], required: set[str]
    ) -> bool:
        """Are the `readOnly` marks of this object's properties meaningless: the schema is
        only ever sent (`schema_usage`), and a required property is marked, or every one
        is (GOV.UK Pay's payment request: nothing could be sent). Told once (W314)."""
        marked = {
            prop
            for prop, (sub, _) in properties.items()
            if isinstance(sub, dict)
            and (sub.get("readOnly") or self.registry.deref(sub).get("readOnly"))
        }
        if not marked or not (marked & required or marked == set(properties)):
            return False
        if not self.usage.only_sent(plan.pointer):
            return False
        message = (
            f"{plan.name}: readOnly properties of a schema that only requests hold (no"
            " response), a required one among them: the marks are ignored (the values are sent)"
        )
        self.registry.notes.append((plan.pointer, "W314", message))
        return True

    def _draft_field(
        self,
        model: str,
        prop: str,
        schema: dict[str, Any],
        pointer: str,
        required: bool,
        writable: bool = False,
    ) -> DraftField:
        target = self.registry.deref(schema) if "$ref" in schema else schema
        read_only = not writable and bool(schema.get("readOnly") or target.get("readOnly"))
        write_only = bool(schema.get("writeOnly") or target.get("writeOnly"))
        node = self.types.annotation(schema, model + styled(prop, Style.PASCAL), pointer)
        nullable = self._admits_null(node, schema, target)
        default = None
        if not (required and not read_only and not write_only):
            node = t.optional(node)
            default = self.default_of(schema, node, pointer)
        return DraftField(
            alias=prop,
            type=node,
            default=default,
            description=describe(schema) or describe(target),
            read_only=read_only,
            write_only=write_only,
            secret=is_secret(target),
            sensitive=is_sensitive_name(prop, model),
            deprecated=bool(schema.get("deprecated")),
            nullable=nullable,
            example=example_text(schema),
            write_required=required and write_only and not read_only,
            read_required=required and read_only and not write_only,
        )

    def _admits_null(self, node: TypeNode, schema: dict[str, Any], target: dict[str, Any]) -> bool:
        """Does the property's own schema allow `null`? When unsure (an alias, a root
        model), yes: the check built on this may only reject what the spec rejects."""
        if t.admits_none(node) or is_nullable(schema) or is_nullable(target):
            return True
        members = node.members if isinstance(node, t.Union) else (node,)
        for member in members:
            while isinstance(member, t.Annotated):
                member = member.base
            if isinstance(member, t.ModelRef):
                plan = self.registry.by_name.get(member.name)
                if plan is None or (plan.kind == "alias" and not _plain_alias(plan.schema)):
                    if plan is None or self._may_be_null(plan.schema, 0) is not False:
                        return True
        return False

    def _may_be_null(self, schema: Any, depth: int) -> bool | None:
        """Does a schema admit `null`: True, False, or None when unsure. A union admits it
        when a member does (a `$ref` to `oneOf: [string, integer]` took `None` and sent
        `null` where the spec allows none: 266 properties of 33 directory specs; round-trip
        audit 18); a typed schema by its type; anything else is unsure."""
        if isinstance(schema, dict) and is_nullable(schema):
            return True  # (a 3.0 `$ref` beside `nullable: true`, which the models honour)
        if isinstance(schema, dict) and "$ref" in schema and len(schema) > 1:
            return None  # (keywords beside a `$ref`: unsure)
        schema = self.registry.deref(schema)
        if depth > 8 or not schema:
            return None if depth > 8 else True  # (`{}` admits anything)
        if is_nullable(schema):
            return True
        answers: list[bool | None] = []
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list):
                answers.extend(self._may_be_null(m, depth + 1) for m in members[:64])
        if answers:
            return True if True in answers else None if None in answers else False
        if {"allOf", "not", "if", "$ref"} & schema.keys():
            return None
        if "const" in schema:
            return schema["const"] is None
        kinds = schema_types(schema)
        if kinds or enum_list(schema):  # (`enum: []`, no value at all, stays unsure)
            return "null" in kinds
        return None

    def default_of(self, schema: dict[str, Any], node: TypeNode, pointer: str) -> Default:
        """The default of the schema at `pointer`, converted to the field's type (None when
        the spec gives none). One that fits neither the type nor the schema is dropped with a
        warning (E402, as lint words it): mypy, or pydantic's `validate_default`, refuses it."""
        if "default" not in schema or schema["default"] is None:
            return Default(None)
        value = schema["default"]
        default = self._typed_default(value, node)
        if isinstance(value, float) and not math.isfinite(value):
            # (`1e400` reads as infinity): the client refuses to send it, so every call
            # that did not override the default was refused
            errors = ["it is not a finite number (JSON has none)"]
        elif default is None:  # a string for an integer, not a member of the enum…
            errors = self.checks.errors(schema, value) or ["it does not fit the generated type"]
        elif default.enum is None:  # (a converted scalar, `"4"` for an int, is checked so)
            errors = self.checks.errors(schema, default.value)
        else:
            errors = []  # a member of the enum
        if not errors:
            return default or Default(None)
        where = join_pointer(pointer, "default")
        for error in errors:
            message = f"default does not validate against its schema: {error}"
            self.registry.notes.append((where, "E402", message))
        return Default(None)

    def _typed_default(self, value: Any, node: TypeNode) -> Default | None:
        """`value` as a default of `node`: an enum member, a native value, or one pydantic
        converts (`validate`); None when it cannot be one."""
        inner = t.without_none(node)
        if isinstance(inner, t.ModelRef):
            plan = self.registry.by_name.get(inner.name)
            if plan is not None and plan.kind == "enum":
                for member in self.enum(plan).members:
                    if member.value == value and type(member.value) is type(value):
                        return Default(value, enum=plan.name, member=member.name)
                return None
        converted = any(
            isinstance(n, t.ModelRef) or (isinstance(n, t.Named) and n.symbol not in _NATIVE)
            for n in t.walk([inner])
        )
        if not converted:
            value = native_default(value, inner)
            if value is UNUSABLE:
                return None
            # a list or mapping mypy would type otherwise than the field (`["a"]` for
            # `list[str | None]`) is validated by pydantic instead of checked by mypy
            converted = isinstance(value, (list, dict)) and not literal_fits(value, inner)
        return Default(value, validate=converted)

    # ---- phase 2 -------------------------------------------------------------------------
    def finish(self) -> list[Model]:
        """The models drafted since the last call (every model on the first), inheritance
        decided and fields named, in build order. The classes finished before keep their
        shapes: they are the bases the later ones may derive from, never the reverse (a
        draft's bases are drafted with it)."""
        finals = Inheritance(self.drafts, self._enum_base).decide(self._finals)
        names = self.order[self._finished :]
        self._finished = len(self.order)
        self._finals = dict(finals)
        return [
            object_model(self.drafts[name], finals[name], finals)
            if name in self.drafts
            else self.built[name]
            for name in names
        ]

    def _enum_base(self, name: str) -> str | None:
        """ "int" or "str" for an enum model, None for any other."""
        plan = self.registry.by_name.get(name)
        if plan is None or plan.kind != "enum":
            return None
        return "int" if self.enum(plan).enum_base == "int" else "str"


_NATIVE = frozenset({t.S.ANY, t.S.EMAIL, *t.SIZED_INTS})


def _required_sets(schema: dict[str, Any], key: str) -> list[list[str]]:
    """`oneOf`/`anyOf` whose branches only list required properties, as alias lists."""
    branches = schema.get(key)
    if not isinstance(branches, list) or not branches or "properties" not in schema:
        return []
    result = []
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) - {
            "required",
            "description",
            "title",
        }:
            return []
        listed = branch.get("required")
        result.append([str(r) for r in listed] if isinstance(listed, list) else [])
    return result


def _plain_alias(schema: dict[str, Any]) -> bool:
    """Is an alias's schema one plain type that is not null (Plaid's `APIClientID:
    {type: string}`, 91 of them)? Its fields refused no `None`, which went out as `null`
    where the spec allows none (UX audit 6). Anything composed stays "unsure"."""
    composed = {"$ref", "oneOf", "anyOf", "allOf", "not", "if", "enum", "const"} & schema.keys()
    kind = schema.get("type")
    return not composed and isinstance(kind, str) and kind != "null" and not is_nullable(schema)
