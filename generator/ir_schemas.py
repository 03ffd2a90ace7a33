"""Stage 3a: JSON Schemas → `Model`s and Python type expressions.

Every component schema becomes a class (objects, enums), or a type alias
(anything else); inline objects and enums become classes named after where they
appear (`BillingEntityAddress`). Type expressions are built from names decided
here and from `repr()` of spec values, so spec text never becomes code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from .ir import EnumMember, Model, ModelField
from .literals import scalar_literal
from .load import deref, join_pointer, split_pointer
from .naming import ENUM_RESERVED, NameScope, Style, field_scope, styled

# Names the generated models module imports or defines itself: no class may take them.
MODULE_RESERVED = frozenset(
    {
        "Annotated",
        "Any",
        "Literal",
        "TypeAlias",
        "Field",
        "Tag",
        "Discriminator",
        "ApiModel",
        "ApiEnum",
        "ApiIntEnum",
        "ApiRootModel",
        "EmailStr",
        "DateTime",
        "SecretString",
        "secret_pattern",
        "discriminate_by",
    }
)
STRING_FORMATS = {
    "date": "_dt.date",
    "date-time": "DateTime",
    "time": "_dt.time",
    "uuid": "_uuid.UUID",
    "email": "EmailStr",
    "binary": "bytes",
}
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
_LOWER_BOUNDS = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems"})
_UPPER_BOUNDS = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems"})
_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}


def python_literal(value: Any) -> str:
    """Python source for a JSON value (`repr` of JSON data is an inert literal)."""
    if isinstance(value, dict):
        items = ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    # backticks escaped so a literal can sit in a Markdown code fence unchanged
    return scalar_literal(value).replace("`", "\\x60")


def union(parts: list[str]) -> str:
    """Join type expressions into a union, without duplicates, `None` last."""
    seen: list[str] = []
    for part in parts:
        for piece in _split_union(part):
            if piece not in seen:
                seen.append(piece)
    if "Any" in seen:
        return "Any"
    if "None" in seen:
        seen = [p for p in seen if p != "None"] + ["None"]
    return " | ".join(seen) if seen else "Any"


def _split_union(expr: str) -> list[str]:
    """Split a top-level `A | B` expression (brackets respected)."""
    if "|" not in expr:
        return [expr.strip()] if expr.strip() else []
    if "[" not in expr and "(" not in expr:
        return [p for p in (part.strip() for part in expr.split("|")) if p]
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in expr:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def optional(expr: str) -> str:
    """`expr | None` unless it already admits None."""
    return union([expr, "None"])


def is_secret(schema: dict[str, Any]) -> bool:
    """True for strings marked `x-sensitive: true` or `format: password`."""
    return schema.get("x-sensitive") is True or schema.get("format") == "password"


@dataclass
class _Plan:
    name: str
    kind: str
    nullable: bool


@dataclass
class SchemaTranslator:
    """Translates the schemas of one document; collects the models it creates."""

    document: dict[str, Any]
    openapi_30: bool
    module_scope: NameScope = field(default_factory=lambda: NameScope(MODULE_RESERVED))
    models: list[Model] = field(default_factory=list)
    _plans: dict[str, _Plan] = field(default_factory=dict)
    _deps: list[set[str]] = field(default_factory=list)
    _by_name: dict[str, Model] = field(default_factory=dict)  # index of `models`
    _indexed_models: int = 0
    _indexed_plans: int = 0
    _pointers: dict[str, str] = field(default_factory=dict)  # plan name -> pointer

    # ---- components ------------------------------------------------------------------
    def plan_components(self) -> None:
        """Decide the class name and kind of every component schema (before any is built)."""
        schemas = self.document.get("components", {}).get("schemas", {})
        if not isinstance(schemas, dict):
            return
        for name, schema in schemas.items():
            pointer = join_pointer("/components/schemas", name)
            schema = schema if isinstance(schema, dict) else {}
            class_name = self.module_scope.claim(name, Style.PASCAL)
            self._plans[pointer] = _Plan(class_name, self._kind_of(schema), self._nullable(schema))

    def build_components(self) -> None:
        """Build a Model for every planned component schema, then order aliases."""
        schemas = self.document.get("components", {}).get("schemas", {})
        for name, schema in (schemas if isinstance(schemas, dict) else {}).items():
            pointer = join_pointer("/components/schemas", name)
            plan = self._plans[pointer]
            schema = schema if isinstance(schema, dict) else {}
            if plan.kind == "object":
                self._build_object(plan.name, schema, pointer)
            elif plan.kind == "enum":
                self._build_enum(plan.name, schema, pointer)
            else:
                self._deps.append(set())
                annotation = self.annotation(schema, plan.name, pointer)
                deps = self._deps.pop()
                self.models.append(
                    Model(
                        name=plan.name,
                        kind="alias",
                        description=_describe(schema),
                        source=pointer,
                        annotation=annotation,
                        depends_on=tuple(sorted(deps)),
                    )
                )
        self._order_aliases()

    def _kind_of(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return "alias"
        if self._enum_values(schema) is not None:
            return "enum"
        if self._is_object(schema):
            return "object"
        return "alias"

    def _is_object(self, schema: dict[str, Any]) -> bool:
        types = self._types(schema)
        if "oneOf" in schema or "anyOf" in schema:
            return "properties" in schema
        if types and types - {"null"} != {"object"}:
            return False
        if "properties" in schema:
            return True
        if "allOf" in schema:
            return any(
                self._is_object(self._deref(p) if "$ref" in p else p)
                for p in schema["allOf"]
                if isinstance(p, dict)
            )
        if types and types - {"null"} == {"object"}:
            extra = schema.get("additionalProperties")
            return not isinstance(extra, dict) or extra == {}
        return False

    def _types(self, schema: dict[str, Any]) -> set[str]:
        raw = schema.get("type")
        if isinstance(raw, str):
            return {raw}
        if isinstance(raw, list):
            return {t for t in raw if isinstance(t, str)}
        return set()

    def _nullable(self, schema: dict[str, Any]) -> bool:
        if schema.get("nullable") is True or "null" in self._types(schema):
            return True
        enum = schema.get("enum")
        return isinstance(enum, list) and None in enum

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        return deref(self.document, schema)

    def merge_scalar_parts(self, parts: list[dict[str, Any]]) -> dict[str, Any] | None:
        """One schema equivalent to `allOf: parts` for non-object parts; None if any is an object.

        Types intersect, lower bounds take the maximum, upper bounds the minimum,
        enums intersect, and several patterns must all match (lookaheads).
        """
        merged: dict[str, Any] = {}
        patterns: list[str] = []
        types: set[str] | None = None
        queue = list(parts)
        seen = 0
        while queue and seen < 64:
            part = queue.pop(0)
            seen += 1
            if "$ref" in part:
                target = self._deref(part)
                plan = self._plans.get(str(part["$ref"]).lstrip("#"))
                if plan is not None and plan.kind == "object":
                    return None
                queue.insert(0, {**target, **{k: v for k, v in part.items() if k != "$ref"}})
                continue
            if isinstance(part.get("allOf"), list):
                queue[:0] = [p for p in part["allOf"] if isinstance(p, dict)]
                part = {k: v for k, v in part.items() if k != "allOf"}
            if "properties" in part or "oneOf" in part or "anyOf" in part:
                return None
            part_types = self._types(part)
            if part.get("nullable") is True:
                part_types = part_types | {"null"} if part_types else part_types
            if part_types:
                if "object" in part_types:
                    return None
                widened = part_types | ({"integer"} if "number" in part_types else set())
                types = widened if types is None else {t for t in types if t in widened}
            for key, value in part.items():
                if (
                    key in _LOWER_BOUNDS
                    and isinstance(value, (int, float))
                    and not isinstance(value, bool)
                ):
                    merged[key] = max(merged.get(key, value), value)
                elif (
                    key in _UPPER_BOUNDS
                    and isinstance(value, (int, float))
                    and not isinstance(value, bool)
                ):
                    merged[key] = min(merged.get(key, value), value)
                elif key == "pattern" and isinstance(value, str):
                    patterns.append(value)
                elif key == "enum" and isinstance(value, list):
                    merged["enum"] = [v for v in merged.get("enum", value) if v in value]
                elif key not in ("type", "nullable", "allOf"):
                    merged.setdefault(key, value)
        if types is not None:
            if "number" in types and "integer" in types:
                types.discard("number")
            merged["type"] = (
                sorted(types, key=_type_order) if len(types) != 1 else next(iter(types))
            )
        if len(patterns) == 1:
            merged["pattern"] = patterns[0]
        elif patterns:
            merged["pattern"] = "^" + "".join(f"(?=[\\s\\S]*?(?:{p}))" for p in patterns)
        return merged

    # ---- models ----------------------------------------------------------------------
    def _build_object(self, name: str, schema: dict[str, Any], pointer: str) -> str:
        self._deps.append(set())
        try:
            return self._build_object_tracked(name, schema, pointer)
        finally:
            self._deps.pop()

    def _build_object_tracked(self, name: str, schema: dict[str, Any], pointer: str) -> str:
        bases: list[str] = []
        properties: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        dependent: dict[str, list[str]] = {}
        extra_schema: Any = None
        parts = [(schema, pointer)]
        for index, part in enumerate(schema.get("allOf", []) or []):
            if not isinstance(part, dict):
                continue
            part_pointer = join_pointer(pointer, "allOf", index)
            ref = part.get("$ref")
            if (
                isinstance(ref, str)
                and self._plans.get(ref.lstrip("#"), _Plan("", "", False)).kind == "object"
            ):
                bases.append(self._track(self._plans[ref.lstrip("#")].name))
            elif isinstance(ref, str):
                parts.append((self._deref(part), part_pointer))
            else:
                parts.append((part, part_pointer))
        for part, part_pointer in parts:
            for prop, sub in (part.get("properties") or {}).items():
                properties.setdefault(prop, (sub, join_pointer(part_pointer, "properties", prop)))
            required.update(r for r in part.get("required", []) or [] if isinstance(r, str))
            for key, deps in (part.get("dependentRequired") or {}).items():
                if isinstance(deps, list):
                    dependent.setdefault(key, []).extend(str(d) for d in deps)
            if "additionalProperties" in part and extra_schema is None:
                extra_schema = part["additionalProperties"]
        inherited = self._inherited_properties(bases)
        for prop in sorted(required - set(properties)):
            if prop in inherited and not inherited[prop][1]:
                properties[prop] = (inherited[prop][0], pointer)  # made required by this schema
        scope = field_scope()
        fields: list[ModelField] = []
        for prop, (sub, sub_pointer) in properties.items():
            sub = sub if isinstance(sub, dict) else {}
            is_required = prop in required
            if prop in inherited:  # a redeclared property must satisfy both schemas
                base_schema, base_required = inherited[prop]
                if base_schema is not sub:
                    sub = {"allOf": [base_schema, sub]}
                is_required = is_required or base_required
            fields.append(self._field(name, prop, sub, sub_pointer, is_required, scope))
        extra, extra_annotation = "allow", None
        if extra_schema is False:
            extra = "forbid"
        elif isinstance(extra_schema, dict) and extra_schema:
            extra_annotation = self.annotation(
                extra_schema, name + "Value", join_pointer(pointer, "additionalProperties")
            )
        by_alias = {f.alias: f.name for f in fields}
        by_alias.update({k: styled(k, Style.SNAKE) for k in inherited if k not in by_alias})
        required_sets = {
            key: self._required_alternatives(schema, key, by_alias) for key in ("oneOf", "anyOf")
        }
        model = Model(
            name=name,
            kind="object",
            description=_describe(schema),
            source=pointer,
            fields=tuple(fields),
            bases=tuple(bases),
            extra=extra,
            extra_annotation=extra_annotation,
            read_only_fields=tuple(f.name for f in fields if f.read_only),
            dependent_required=tuple(
                (by_alias[k], tuple(by_alias[d] for d in v if d in by_alias))
                for k, v in dependent.items()
                if k in by_alias
            ),
            depends_on=tuple(sorted(self._deps[-1] - {name})),
            required_one_of=required_sets["oneOf"],
            required_any_of=required_sets["anyOf"],
        )
        self.models.append(model)
        return name

    def _inherited_properties(self, bases: list[str]) -> dict[str, tuple[dict[str, Any], bool]]:
        """Properties (schema, required) that the base classes declare, nearest base first."""
        found: dict[str, tuple[dict[str, Any], bool]] = {}
        pointers = self._pointer_of_name()
        queue = [self._deref({"$ref": "#" + pointers[b]}) for b in bases if b in pointers]
        visited = 0
        while queue and visited < 64:
            schema = queue.pop(0)
            visited += 1
            required = set(schema.get("required") or [])
            for prop, sub in (schema.get("properties") or {}).items():
                if isinstance(sub, dict) and prop not in found:
                    found[prop] = (sub, prop in required)
            for part in schema.get("allOf") or []:
                if isinstance(part, dict):
                    queue.append(self._deref(part) if "$ref" in part else part)
        return found

    def _required_alternatives(
        self, schema: dict[str, Any], key: str, by_alias: dict[str, str]
    ) -> tuple[tuple[str, ...], ...]:
        """`oneOf`/`anyOf` whose branches only list required properties, as field-name sets."""
        branches = schema.get(key)
        if not isinstance(branches, list) or not branches or "properties" not in schema:
            return ()
        result = []
        for branch in branches:
            if not isinstance(branch, dict) or set(branch) - {"required", "description", "title"}:
                return ()
            names = [by_alias.get(str(r)) for r in branch.get("required") or []]
            if any(n is None for n in names):
                return ()
            result.append(tuple(n for n in names if n is not None))
        return tuple(result)

    def _field(
        self,
        model: str,
        prop: str,
        schema: dict[str, Any],
        pointer: str,
        required: bool,
        scope: NameScope,
    ) -> ModelField:
        py_name = scope.claim(prop, Style.SNAKE, prefix="field")
        target = self._deref(schema) if "$ref" in schema else schema
        read_only = bool(schema.get("readOnly") or target.get("readOnly"))
        write_only = bool(schema.get("writeOnly") or target.get("writeOnly"))
        annotation = self.annotation(schema, model + styled(prop, Style.PASCAL), pointer)
        is_required = required and not read_only and not write_only
        default: str | None = None
        if not is_required:
            annotation = optional(annotation)
            default = self._default_literal(schema, annotation)
        return ModelField(
            name=py_name,
            alias=prop,
            annotation=annotation,
            default=default,
            description=_describe(schema) or _describe(target),
            read_only=read_only,
            write_only=write_only,
            secret=is_secret(target),
            deprecated=bool(schema.get("deprecated")),
        )

    def _default_literal(self, schema: dict[str, Any], annotation: str) -> str:
        if "default" not in schema:
            return "None"
        value = schema["default"]
        enum_name = self._enum_target(schema) or annotation.removesuffix(" | None")
        enum = self.model_named(enum_name) if enum_name is not None else None
        if enum is not None and enum.kind == "enum":
            literal = python_literal(value)
            for member in enum.members:
                if member.literal == literal:
                    return f"{enum_name}.{member.name}"
        return python_literal(value)

    def model_named(self, name: str) -> Model | None:
        """The model built under `name` so far, if any (indexed, not scanned)."""
        if self._indexed_models != len(self.models):
            # models are only appended (a reordering keeps the same objects): index the new
            for model in self.models[self._indexed_models :]:
                self._by_name.setdefault(model.name, model)
            self._indexed_models = len(self.models)
        return self._by_name.get(name)

    def _pointer_of_name(self) -> dict[str, str]:
        if self._indexed_plans != len(self._plans):
            for pointer, plan in itertools.islice(self._plans.items(), self._indexed_plans, None):
                self._pointers[plan.name] = pointer
            self._indexed_plans = len(self._plans)
        return self._pointers

    def _enum_target(self, schema: dict[str, Any]) -> str | None:
        """The enum class a `$ref` (or single-item `allOf` around one) points at, if any."""
        for _ in range(8):
            ref = schema.get("$ref")
            if isinstance(ref, str):
                plan = self._plans.get(ref.lstrip("#"))
                return plan.name if plan is not None and plan.kind == "enum" else None
            parts = schema.get("allOf")
            if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
                schema = parts[0]
                continue
            return None
        return None

    def _build_enum(self, name: str, schema: dict[str, Any], pointer: str) -> str:
        values = self._enum_values(schema) or []
        base = "int" if all(isinstance(v, int) for v in values) else "str"
        scope = NameScope(ENUM_RESERVED)
        members = []
        for value in values:
            text = str(value)
            if isinstance(value, int) and not isinstance(value, bool):
                text = f"value_{'minus_' if value < 0 else ''}{abs(value)}"
            member = scope.claim(text or "empty", Style.UPPER, prefix="V")
            members.append(EnumMember(member, python_literal(value)))
        self.models.append(
            Model(
                name=name,
                kind="enum",
                description=_describe(schema),
                source=pointer,
                enum_base=base,
                members=tuple(members),
            )
        )
        return name

    def _enum_values(self, schema: dict[str, Any]) -> list[Any] | None:
        """Non-null enum values when they are all strings or all integers, else None."""
        values = schema.get("enum")
        if not isinstance(values, list) or not values:
            return None
        non_null = [v for v in values if v is not None]
        if not non_null:
            return None
        if all(isinstance(v, str) for v in non_null):
            return list(dict.fromkeys(non_null))
        if all(isinstance(v, int) and not isinstance(v, bool) for v in non_null):
            return list(dict.fromkeys(non_null))
        return None

    # ---- type expressions --------------------------------------------------------------
    def annotation(self, schema: Any, context: str, pointer: str) -> str:
        """The Python type expression for `schema`; inline objects/enums become classes."""
        if not isinstance(schema, dict):
            return "Any"
        expr = self._annotation_body(schema, context, pointer)
        if self._nullable(schema) and "$ref" not in schema:
            expr = optional(expr)
        return expr

    def _annotation_body(self, schema: dict[str, Any], context: str, pointer: str) -> str:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            siblings = {k: v for k, v in schema.items() if k in CONSTRAINT_KEYS}
            if siblings and not self.openapi_30:  # 3.1: keywords beside $ref apply too
                merged = self.merge_scalar_parts([{"$ref": ref}, siblings])
                if merged is not None:
                    return self._annotation_body(merged, context, pointer)
            return self._ref_annotation(ref, schema)
        if "const" in schema:
            return self._literal([schema["const"]], schema)
        if isinstance(schema.get("enum"), list):
            return self._inline_enum(schema, context, pointer)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and "properties" not in schema:
                return self._union(schema, key, context, pointer)
        if "allOf" in schema and isinstance(schema["allOf"], list):
            parts = [p for p in schema["allOf"] if isinstance(p, dict)]
            siblings = {k: v for k, v in schema.items() if k in CONSTRAINT_KEYS}
            if len(parts) == 1 and "properties" not in schema and not siblings:
                return self._annotation_body(parts[0], context, join_pointer(pointer, "allOf", 0))
            if self._is_object(schema):
                return self._track(self._inline_object(schema, context, pointer))
            merged = self.merge_scalar_parts([*parts, siblings])
            if merged is not None:
                return self._annotation_body(merged, context, pointer)
            return "Any"
        types = self._types(schema) - {"null"}
        if not types:
            if "properties" in schema or "additionalProperties" in schema:
                types = {"object"}
            elif "items" in schema:
                types = {"array"}
            elif "null" in self._types(schema):
                return "None"
            else:
                return "Any"
        exprs = [self._typed(schema, t, context, pointer) for t in sorted(types, key=_type_order)]
        return union(exprs)

    def _track(self, name: str) -> str:
        if self._deps:
            self._deps[-1].add(name)
        return name

    def _ref_annotation(self, ref: str, schema: dict[str, Any]) -> str:
        target = ref.lstrip("#")
        plan = self._plans.get(target)
        if plan is None:
            # a reference to a non-component schema (e.g. into a path): translate it in place
            resolved = self._deref(schema)
            return (
                self._annotation_body(
                    resolved, "Ref" + styled(target.rsplit("/", 1)[-1], Style.PASCAL), target
                )
                if resolved
                else "Any"
            )
        expr = self._track(plan.name)
        if plan.nullable or (self.openapi_30 and schema.get("nullable") is True):
            expr = optional(expr)
        return expr

    def _literal(self, values: list[Any], schema: dict[str, Any]) -> str:
        literal_values = [v for v in values if v is not None]
        if all(isinstance(v, (str, int, bool)) for v in literal_values) and literal_values:
            expr = "Literal[" + ", ".join(python_literal(v) for v in literal_values) + "]"
        elif literal_values:
            expr = "Any"
        else:
            expr = "None"
        if len(literal_values) != len(values):
            expr = optional(expr)
        return expr

    def _inline_enum(self, schema: dict[str, Any], context: str, pointer: str) -> str:
        values = self._enum_values(schema)
        if values is None:
            return self._literal(list(schema["enum"]), schema)
        name = self.module_scope.claim(context, Style.PASCAL)
        return self._track(self._build_enum(name, schema, pointer))

    def _inline_object(self, schema: dict[str, Any], context: str, pointer: str) -> str:
        name = self.module_scope.claim(context, Style.PASCAL)
        return self._build_object(name, schema, pointer)

    def _union(self, schema: dict[str, Any], key: str, context: str, pointer: str) -> str:
        options = [o for o in schema[key] if isinstance(o, dict)]
        exprs = [
            self.annotation(
                option, f"{context}Option{index + 1}", join_pointer(pointer, key, index)
            )
            for index, option in enumerate(options)
        ]
        tagged = self._discriminated(schema, options, exprs)
        return tagged or union(exprs)

    def _discriminated(
        self, schema: dict[str, Any], options: list[dict[str, Any]], exprs: list[str]
    ) -> str | None:
        discriminator = schema.get("discriminator")
        if not isinstance(discriminator, dict) or not isinstance(
            discriminator.get("propertyName"), str
        ):
            return None
        if not all(isinstance(o.get("$ref"), str) for o in options):
            return None
        raw_mapping = discriminator.get("mapping")
        mapping: dict[str, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
        tags: list[str] = []
        for option in options:
            ref = option["$ref"]
            plan = self._plans.get(ref.lstrip("#"))
            if plan is None or plan.kind != "object":
                return None
            values = [v for v, target in mapping.items() if _same_ref(target, ref)]
            if not values:
                values = [split_pointer(ref)[-1]]
            self._track(plan.name)
            tags.extend(f"Annotated[{plan.name}, Tag({python_literal(v)})]" for v in values)
        prop = python_literal(discriminator["propertyName"])
        return f"Annotated[{' | '.join(tags)}, Discriminator(discriminate_by({prop}))]"

    def _typed(self, schema: dict[str, Any], type_name: str, context: str, pointer: str) -> str:
        if type_name == "array" and isinstance(schema.get("prefixItems"), list):
            return self._tuple(schema, context, pointer)
        if type_name == "array":
            items = schema.get("items")
            item = (
                self.annotation(items, context + "Item", join_pointer(pointer, "items"))
                if isinstance(items, dict)
                else "Any"
            )
            return _constrained(f"list[{item}]", _array_constraints(schema))
        if type_name == "object":
            if schema.get("properties"):
                return self._track(self._inline_object(schema, context, pointer))
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.annotation(
                    extra, context + "Value", join_pointer(pointer, "additionalProperties")
                )
                return f"dict[str, {value}]"
            return "dict[str, Any]"
        if type_name == "string":
            if is_secret(schema):
                expr = _constrained("SecretString", _string_constraints(schema, with_pattern=False))
                pattern = schema.get("pattern")
                if isinstance(pattern, str):
                    expr = f"Annotated[{expr}, secret_pattern({python_literal(pattern)})]"
                return expr
            fmt = schema.get("format")
            if fmt == "email":
                return _constrained("EmailStr", _string_constraints(schema, with_pattern=True))
            if isinstance(fmt, str) and fmt in STRING_FORMATS:
                return STRING_FORMATS[fmt]
            return _constrained("str", _string_constraints(schema, with_pattern=True))
        if type_name in ("integer", "number"):
            base = "int" if type_name == "integer" else "float"
            return _constrained(base, self._numeric_constraints(schema))
        return _PRIMITIVES.get(type_name, "Any")

    def _tuple(self, schema: dict[str, Any], context: str, pointer: str) -> str:
        """`prefixItems`: an exact tuple when its length is fixed, else a list of the item types."""
        prefix = [p for p in schema["prefixItems"] if isinstance(p, dict)]
        members = [
            self.annotation(p, f"{context}Item{i + 1}", join_pointer(pointer, "prefixItems", i))
            for i, p in enumerate(prefix)
        ]
        items = schema.get("items")
        min_items = schema.get("minItems", 0)
        if items is False and isinstance(min_items, int) and min_items >= len(prefix):
            return f"tuple[{', '.join(members)}]" if members else "tuple[()]"
        if isinstance(items, dict):
            members.append(self.annotation(items, context + "Item", join_pointer(pointer, "items")))
        args = _array_constraints(schema)
        if items is False:
            args = [a for a in args if not a.startswith("max_length")] + [
                f"max_length={len(prefix)}"
            ]
        element = (
            union(members)
            if items is not True and (items is False or isinstance(items, dict))
            else "Any"
        )
        return _constrained(f"list[{element}]", args)

    def _numeric_constraints(self, schema: dict[str, Any]) -> list[str]:
        args = []
        for key, arg in (("minimum", "ge"), ("maximum", "le"), ("multipleOf", "multiple_of")):
            value = schema.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if self.openapi_30 and key != "multipleOf":
                    exclusive = schema.get(
                        "exclusiveMinimum" if key == "minimum" else "exclusiveMaximum"
                    )
                    if exclusive is True:
                        arg = "gt" if key == "minimum" else "lt"
                args.append(f"{arg}={python_literal(value)}")
        for key, arg in (("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
            value = schema.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                args.append(f"{arg}={python_literal(value)}")
        return args

    # ---- ordering ------------------------------------------------------------------------
    def _order_aliases(self) -> None:
        """Aliases are emitted after classes, dependencies first; alias cycles become RootModels."""
        aliases = {m.name: m for m in self.models if m.kind == "alias"}
        ordered: list[Model] = []
        state: dict[str, int] = {}
        cyclic: set[str] = set()

        def visit(name: str, stack: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cyclic.update(stack[stack.index(name) :])
                return
            state[name] = 1
            for dep in aliases[name].depends_on:
                if dep in aliases:
                    visit(dep, [*stack, dep])
            state[name] = 2
            ordered.append(aliases[name])

        for name in aliases:
            visit(name, [name])
        others = [m for m in self.models if m.kind != "alias"]
        roots = [replace(m, kind="root") for m in ordered if m.name in cyclic]
        self.models = others + roots + [m for m in ordered if m.name not in cyclic]
        self._by_name, self._indexed_models = {}, 0  # some models were replaced: re-index


def _same_ref(target: Any, ref: str) -> bool:
    if not isinstance(target, str):
        return False
    if target.startswith("#"):
        return target == ref
    return ref.endswith("/" + target)


def _type_order(name: str) -> int:
    order = ["object", "array", "string", "integer", "number", "boolean", "null"]
    return order.index(name) if name in order else len(order)


def _describe(schema: dict[str, Any]) -> str:
    parts = [schema.get("title"), schema.get("description")]
    texts = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
    if len(texts) == 2 and texts[0].rstrip(".") == texts[1].rstrip("."):
        texts = texts[:1]
    return "\n\n".join(texts)


def _string_constraints(schema: dict[str, Any], *, with_pattern: bool) -> list[str]:
    args = []
    for key, arg in (("minLength", "min_length"), ("maxLength", "max_length")):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            args.append(f"{arg}={value}")
    pattern = schema.get("pattern")
    if with_pattern and isinstance(pattern, str):
        args.append(f"pattern={python_literal(pattern)}")
    return args


def _array_constraints(schema: dict[str, Any]) -> list[str]:
    args = []
    for key, arg in (("minItems", "min_length"), ("maxItems", "max_length")):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            args.append(f"{arg}={value}")
    return args


def _constrained(base: str, args: list[str]) -> str:
    if not args:
        return base
    return f"Annotated[{base}, Field({', '.join(args)})]"
