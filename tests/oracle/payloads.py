"""Schema-driven payloads for the differential oracle.

For every component schema of a spec, `cases_for_spec` derives:

- valid payloads: the spec's own examples (schema `example`/`examples`, and the
  media-type examples of bodies that `$ref` the schema), a *minimal* instance
  (required properties only) and a *full* instance (every property, one level
  of recursion), plus valid variants (each enum value, each union branch,
  null where the schema is nullable, boundary values, extra keys where
  allowed);
- invalid mutations of the full instance: a required property dropped, a
  wrong JSON type, strings too short/too long/missing the pattern/in a bad
  format, numbers out of range or off `multipleOf`, an unknown enum value, a
  wrong `const`, too few/too many items, duplicates under `uniqueItems`, a
  wrong tuple (`prefixItems`), an extra key where `additionalProperties:
  false`, a badly typed extra key, null where the schema is not nullable, an
  unknown/missing/swapped discriminator tag, a `dependentRequired` dependency
  missing, an object matching none of its object-level `oneOf` parts;
- lax-coercion probes ("5" for an integer, "true"/1 for a boolean, 1.0 for an
  integer), which pydantic accepts in both models: they only catch one side
  drifting from the other (e.g. one going strict).

Instances of a discriminated-union branch carry their tag (DCG narrows the tag
property of branch models to `Literal[tag]`); one case per branch checks
another value (listed in KNOWN_DIFFERENCES).

Nothing here is written per spec: every case comes from walking the schema.
Which cases are valid is *not* decided here: the test compares our models
with DCG's models, and asks openapi-schema-validator for a reference verdict
that only annotates the report.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import openapi_schema_validator as osv

from .regex_sample import matching_strings, non_matching_string

MAX_CASES_PER_SCHEMA = 400
_DESCEND_DEPTH = 4  # how deep mutations walk into inline sub-schemas
_MAX_BUILD_DEPTH = 8

_WRONG_TYPE_VALUES: list[Any] = [12345, "wrong-type", ["wrong-type"], {"wrong": "type"}]
_FORMAT_MUTATIONS: dict[str, list[tuple[str, str]]] = {
    "date": [("bad_date", "not-a-date"), ("impossible_date", "2024-02-30")],
    "date-time": [
        ("bad_date_time", "not-a-date-time"),
        ("naive_date_time", "2024-01-31T12:00:00"),
        ("date_only_for_date_time", "2024-01-31"),
    ],
    "uuid": [("bad_uuid", "not-a-uuid")],
    "email": [("bad_email", "not-an-email"), ("display_name_email", "Jane Doe <jane@example.com>")],
}
_FORMAT_VARIANTS: dict[str, list[str]] = {
    "uuid": ["123e4567-e89b-42d3-a456-426614174000", "123E4567-E89B-42D3-A456-426614174000"],
    "date-time": [
        "2024-01-31T12:00:00Z",
        "2024-01-31T12:00:00+02:00",
        "2024-01-31T12:00:00.123456+02:00",
    ],
    "email": ["JANE@EXAMPLE.COM"],
}
_FORMAT_SAMPLES = {
    "date": "2024-01-31",
    "date-time": "2024-01-31T12:00:00Z",
    "time": "12:00:00",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "jane@example.com",
}


class CannotBuild(Exception):
    """No instance could be built (e.g. a required, non-nullable recursion)."""


@dataclass(frozen=True)
class Case:
    """One payload to validate against one component schema."""

    schema: str  # component name
    case_id: str  # e.g. "full", "$.tags:too_many"
    payload: Any


def json_type(value: Any) -> str:
    """The JSON Schema type name of a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass
class SchemaView:
    """Reads the schemas of one (bundled) OpenAPI document."""

    document: dict[str, Any]
    oas30: bool = field(init=False)
    _validators: dict[int, Any] = field(default_factory=dict, init=False)
    _roots: dict[str, dict[str, str]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.oas30 = str(self.document.get("openapi", "")).startswith("3.0")
        # component → (discriminator property, tag) of the unions it is a branch of: a
        # built instance carries its tag, as the documents that use such unions do
        self.branch_tags: dict[str, tuple[str, str]] = {}
        pending: list[Any] = [self.document]
        while pending:
            node = pending.pop()
            if isinstance(node, list):
                pending += node
                continue
            if not isinstance(node, dict):
                continue
            prop = (
                node.get("discriminator", {}).get("propertyName")
                if isinstance(node.get("discriminator"), dict)
                else None
            )
            branches = self.union_branches(node) or []
            if isinstance(prop, str):
                for branch in branches:
                    name, tags = self.ref_name(branch), self.discriminator_tags(node, branch)
                    if name is not None and tags:
                        self.branch_tags.setdefault(name, (prop, tags[0]))
            pending += list(node.values())

    # ---- references and merging ----------------------------------------------------------
    @property
    def components(self) -> dict[str, Any]:
        schemas = self.document.get("components", {}).get("schemas", {})
        return schemas if isinstance(schemas, dict) else {}

    def resolve(self, ref: str) -> Any:
        node: Any = self.document
        for token in ref.lstrip("#").strip("/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    @staticmethod
    def ref_name(schema: Any) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        return None

    def expand(self, schema: Any) -> dict[str, Any]:
        """`schema` with `$ref`s followed and `allOf` parts merged into one mapping."""
        if not isinstance(schema, dict):
            return {}
        seen = 0
        while "$ref" in schema and seen < 32:
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            target = self.resolve(schema["$ref"])
            schema = {**target, **siblings} if isinstance(target, dict) else siblings
            seen += 1
        if isinstance(schema.get("allOf"), list):
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            properties = dict(merged.get("properties") or {})
            required = list(merged.get("required") or [])
            for part in schema["allOf"]:
                part = self.expand(part)
                for name, sub in (part.get("properties") or {}).items():
                    properties.setdefault(name, sub)
                required += [r for r in part.get("required") or [] if r not in required]
                for key, value in part.items():
                    if key not in ("properties", "required"):
                        merged.setdefault(key, value)
            if properties:
                merged["properties"] = properties
            if required:
                merged["required"] = required
            schema = merged
        return dict(schema)

    def types(self, s: dict[str, Any]) -> set[str]:
        """Non-null JSON types the expanded schema `s` declares or implies."""
        raw = s.get("type")
        if isinstance(raw, str):
            found = {raw}
        elif isinstance(raw, list):
            found = {t for t in raw if isinstance(t, str)}
        else:
            found = set()
            if "properties" in s or "additionalProperties" in s:
                found.add("object")
            if "items" in s:
                found.add("array")
            if "const" in s:
                found.add(json_type(s["const"]))
            if isinstance(s.get("enum"), list):
                found |= {json_type(v) for v in s["enum"] if v is not None}
        if "integer" in found and "number" in found:
            found.discard("integer")
        return found - {"null"}

    def nullable(self, s: dict[str, Any]) -> bool:
        raw = s.get("type")
        if raw == "null" or (isinstance(raw, list) and "null" in raw):
            return True
        if self.oas30 and s.get("nullable") is True:
            return True
        if isinstance(s.get("enum"), list) and None in s["enum"]:
            return True
        for key in ("oneOf", "anyOf"):
            for branch in s.get(key) or []:
                if self.nullable(self.expand(branch)):
                    return True
        return "const" in s and s["const"] is None

    def union_branches(self, s: dict[str, Any]) -> list[Any] | None:
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list) and "properties" not in s:
                return list(s[key])
        return None

    def object_branches(self, s: dict[str, Any]) -> list[Any]:
        """oneOf/anyOf parts beside `properties` (e.g. "exactly one of these is required")."""
        if "properties" not in s:
            return []
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list):
                return list(s[key])
        return []

    def with_branch(self, s: dict[str, Any], branch: Any) -> dict[str, Any]:
        """`s` with one object-level branch merged in (and no oneOf/anyOf left)."""
        part = self.expand(branch)
        merged = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf")}
        merged["properties"] = {**(part.get("properties") or {}), **(s.get("properties") or {})}
        required = list(s.get("required") or [])
        merged["required"] = required + [r for r in part.get("required") or [] if r not in required]
        return merged

    def discriminator_tags(self, s: dict[str, Any], branch: Any) -> list[str]:
        """The tag values that select `branch` in the discriminated union `s`."""
        name = self.ref_name(branch)
        if name is None:
            return []
        mapping = (s.get("discriminator") or {}).get("mapping") or {}
        ref = branch["$ref"]
        tags = [
            tag
            for tag, target in mapping.items()
            if isinstance(target, str) and (target == ref or ref.endswith("/" + target))
        ]
        return tags or [name]

    # ---- reference verdict (openapi-schema-validator) --------------------------------------
    def reference_valid(self, schema: Any, value: Any) -> bool:
        """JSON Schema verdict (OAS 3.0/3.1 dialect, formats asserted) for `value`."""
        key = id(schema)
        validator = self._validators.get(key)
        if validator is None:
            root = {**schema, "components": self.document.get("components", {})}
            if self.oas30:
                validator = osv.OAS30Validator(root, format_checker=osv.oas30_format_checker)
            else:
                validator = osv.OAS31Validator(root, format_checker=osv.oas31_format_checker)
            self._validators[key] = (validator, schema)  # keep `schema` alive: ids stay unique
        else:
            validator = validator[0]
        try:
            return bool(validator.is_valid(value))
        except Exception:  # a schema the reference validator cannot handle
            return False

    def component_valid(self, name: str, value: Any) -> bool:
        """JSON Schema verdict for `value` against component `name`."""
        root = self._roots.setdefault(name, {"$ref": f"#/components/schemas/{name}"})
        return self.reference_valid(root, value)

    # ---- builder ---------------------------------------------------------------------------
    def build(self, schema: Any, *, full: bool, examples: bool, stack: tuple[str, ...] = ()) -> Any:
        """An instance of `schema`: required properties only, or every property (`full`)."""
        if len(stack) > _MAX_BUILD_DEPTH:
            raise CannotBuild("too deep")
        name = self.ref_name(schema)
        if name is not None:
            stack = (*stack, name)
        s = self.expand(schema)
        if examples:
            for candidate in self.examples_of(s):
                if self.reference_valid(schema, candidate):
                    return copy.deepcopy(candidate)
        value = self._synthesize(s, full=full, examples=examples, stack=stack)
        owned = self.owned_tag(schema)
        if (
            owned is not None
            and isinstance(value, dict)
            and owned[0] in (s.get("properties") or {})
        ):
            value[owned[0]] = owned[1]
        return value

    def owned_tag(self, schema: Any, depth: int = 0) -> tuple[str, str] | None:
        """(property, tag) when `schema` is a discriminated union branch, or extends one.

        DCG narrows a branch's tag property to `Literal[tag]` (and its allOf children
        inherit that), so built instances carry the tag; a separate case checks another
        value (see KNOWN_DIFFERENCES).
        """
        if not isinstance(schema, dict) or depth > 8:
            return None
        name = self.ref_name(schema)
        if name is not None:
            owned = self.branch_tags.get(name)
            if owned is not None:
                return owned
            target = self.components.get(name)
            return self.owned_tag(target, depth + 1) if isinstance(target, dict) else None
        for part in schema.get("allOf") or []:
            owned = self.owned_tag(part, depth + 1)
            if owned is not None:
                return owned
        return None

    @staticmethod
    def examples_of(s: dict[str, Any]) -> list[Any]:
        found = []
        if "example" in s:
            found.append(s["example"])
        if isinstance(s.get("examples"), list):
            found += s["examples"]
        if "default" in s:
            found.append(s["default"])
        return found

    def _recurses(self, schema: Any, stack: tuple[str, ...], limit: int) -> bool:
        """True when `schema` (a $ref, or an array/union of them) re-enters `stack` too often."""
        names = set()
        pending = [schema]
        while pending:
            node = pending.pop()
            if not isinstance(node, dict):
                continue
            name = self.ref_name(node)
            if name is not None:
                names.add(name)
                continue
            pending += [
                node.get("items"),
                *list(node.get("oneOf") or []),
                *list(node.get("anyOf") or []),
            ]
            pending += list(node.get("allOf") or [])
        return any(stack.count(n) >= limit for n in names)

    def _synthesize(
        self, s: dict[str, Any], *, full: bool, examples: bool, stack: tuple[str, ...]
    ) -> Any:
        kw = {"full": full, "examples": examples, "stack": stack}
        if "const" in s:
            return copy.deepcopy(s["const"])
        if isinstance(s.get("enum"), list) and s["enum"]:
            values = [v for v in s["enum"] if v is not None]
            return copy.deepcopy(values[0] if values else None)
        branches = self.union_branches(s)
        if branches is not None:
            return self._build_branch(s, branches, kw)
        side = self.object_branches(s)
        if side:
            s = self.with_branch(s, side[0])
        types = self.types(s)
        if not types:
            return None if self.nullable(s) else "any-value"
        for kind in ("object", "array", "string", "integer", "number", "boolean"):
            if kind in types:
                return self._build_typed(s, kind, kw)
        return None

    def _build_branch(self, s: dict[str, Any], branches: list[Any], kw: dict[str, Any]) -> Any:
        stack = kw["stack"]
        ordered = sorted(
            range(len(branches)),
            key=lambda i: (
                self._recurses(branches[i], stack, 1),
                self.types(self.expand(branches[i])) == set(),
                i,
            ),
        )
        for index in ordered:
            try:
                return self.build_branch(s, branches, index, **kw)
            except CannotBuild:
                continue
        raise CannotBuild("no buildable branch")

    def build_branch(self, s: dict[str, Any], branches: list[Any], index: int, **kw: Any) -> Any:
        branch = branches[index]
        value = self.build(branch, **kw)
        prop = (s.get("discriminator") or {}).get("propertyName")
        if isinstance(prop, str) and isinstance(value, dict):
            tags = self.discriminator_tags(s, branch)
            if tags:
                value[prop] = tags[0]
        return value

    def _build_typed(self, s: dict[str, Any], kind: str, kw: dict[str, Any]) -> Any:
        full, stack = kw["full"], kw["stack"]
        if kind == "object":
            properties = s.get("properties") or {}
            required = set(s.get("required") or [])
            for trigger, needed in (s.get("dependentRequired") or {}).items():
                if trigger in required:
                    required |= set(needed)
            value: dict[str, Any] = {}
            for prop, sub in properties.items():
                if prop in required:
                    value[prop] = self.build(sub, **kw)
                elif full and not self._recurses(sub, stack, 2):
                    try:
                        value[prop] = self.build(sub, **kw)
                    except CannotBuild:
                        continue
            extra = s.get("additionalProperties")
            if not properties and isinstance(extra, dict) and extra and full:
                if not self._recurses(extra, stack, 2):
                    value["key1"] = self.build(extra, **kw)
            return value
        if kind == "array":
            prefix = s.get("prefixItems")
            if isinstance(prefix, list):
                return [self.build(item, **kw) for item in prefix]
            items = s.get("items") if isinstance(s.get("items"), dict) else {}
            count = int(s.get("minItems") or 0)
            if full and count == 0 and not self._recurses(items, stack, 2):
                count = 1
            if isinstance(s.get("maxItems"), int):
                count = min(count, s["maxItems"])
            return [self.build(items, **kw) for _ in range(count)]
        if kind == "string":
            return self.string_value(s)
        if kind in ("integer", "number"):
            return self.number_value(s, kind)
        return True

    # ---- scalars ---------------------------------------------------------------------------
    @staticmethod
    def length_ok(s: dict[str, Any], text: str) -> bool:
        low, high = s.get("minLength"), s.get("maxLength")
        return (not isinstance(low, int) or len(text) >= low) and (
            not isinstance(high, int) or len(text) <= high
        )

    def string_value(self, s: dict[str, Any], accept: Any = None) -> str:
        """A string meeting format, pattern and length (or `accept`, when given)."""
        accept = accept or (lambda text: self.length_ok(s, text))
        pattern = s.get("pattern")
        for text in string_pool(s):
            if accept(text) and (not isinstance(pattern, str) or re.search(pattern, text)):
                return text
        if s.get("format") in _FORMAT_SAMPLES:
            return _FORMAT_SAMPLES[s["format"]]
        for length in range(0, 64):
            if accept("x" * length):
                return "x" * length
        return "x"

    def number_bounds(self, s: dict[str, Any]) -> tuple[Any, bool, Any, bool]:
        """(low, low_exclusive, high, high_exclusive) in either dialect."""
        low, high = s.get("minimum"), s.get("maximum")
        low_x = high_x = False
        if self.oas30:
            low_x = s.get("exclusiveMinimum") is True
            high_x = s.get("exclusiveMaximum") is True
        else:
            ex_low, ex_high = s.get("exclusiveMinimum"), s.get("exclusiveMaximum")
            if _is_number(ex_low) and (not _is_number(low) or ex_low >= low):
                low, low_x = ex_low, True
            if _is_number(ex_high) and (not _is_number(high) or ex_high <= high):
                high, high_x = ex_high, True
        return (low if _is_number(low) else None, low_x, high if _is_number(high) else None, high_x)

    def number_ok(self, s: dict[str, Any], kind: str, value: float) -> bool:
        low, low_x, high, high_x = self.number_bounds(s)
        if kind == "integer" and not float(value).is_integer():
            return False
        if low is not None and (value < low or (low_x and value == low)):
            return False
        if high is not None and (value > high or (high_x and value == high)):
            return False
        # the two-sided bounds of 3.1 (minimum *and* exclusiveMinimum) both apply
        if not self.oas30:
            for key, below in (("minimum", True), ("maximum", False)):
                bound = s.get(key)
                if _is_number(bound) and (value < bound if below else value > bound):
                    return False
        step = s.get("multipleOf")
        if _is_number(step) and step > 0:
            ratio = value / step
            if not math.isclose(ratio, round(ratio), abs_tol=1e-9):
                return False
        return True

    def number_value(self, s: dict[str, Any], kind: str) -> int | float:
        low, _lx, high, _hx = self.number_bounds(s)
        step = s.get("multipleOf") if _is_number(s.get("multipleOf")) else None
        candidates: list[float] = [1, 0, 2, 5, 10]
        for bound in (low, high):
            if bound is not None:
                candidates += [bound, bound + 1, bound - 1, math.ceil(bound), math.floor(bound)]
        if low is not None and high is not None:
            candidates.append((low + high) / 2)
        if step:
            base = low if low is not None else 0
            first = math.ceil(base / step) * step
            candidates += [first, first + step, step]
        for candidate in candidates:
            if kind == "integer" and not float(candidate).is_integer():
                continue
            if self.number_ok(s, kind, candidate):
                return int(candidate) if kind == "integer" else candidate
        raise CannotBuild("no number meets the bounds")

    # ---- cases -------------------------------------------------------------------------------
    def examples_for_component(self, name: str) -> list[Any]:
        """Examples the spec gives for component `name`: in the schema, or beside a body ref."""
        schema = self.components.get(name)
        found: list[Any] = []
        if isinstance(schema, dict):
            found += self.examples_of(schema)
        ref = f"#/components/schemas/{name}"
        for media in _media_types(self.document):
            target = media.get("schema")
            if isinstance(target, dict) and target.get("$ref") == ref:
                if "example" in media:
                    found.append(media["example"])
                for example in (media.get("examples") or {}).values():
                    if isinstance(example, dict) and "$ref" in example:
                        try:
                            example = self.resolve(example["$ref"])
                        except (KeyError, IndexError, ValueError):
                            continue
                    if isinstance(example, dict) and "value" in example:
                        found.append(example["value"])
        return found


def string_pool(s: dict[str, Any]) -> Iterator[str]:
    """Candidate strings for `s`: valid for its format (any length), or matching its pattern."""
    fmt = s.get("format")
    if fmt in _FORMAT_SAMPLES:
        yield _FORMAT_SAMPLES[fmt]
        yield from _FORMAT_VARIANTS.get(fmt, [])
        if fmt == "email":
            for size in range(1, 320):
                yield "j" * size + "@example.com"
        return
    pattern = s.get("pattern")
    if isinstance(pattern, str):
        yield from matching_strings(pattern)


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _media_types(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every media-type object of the paths and component bodies/responses."""
    roots: list[Any] = [document.get("paths") or {}]
    components = document.get("components") or {}
    roots += [components.get("requestBodies") or {}, components.get("responses") or {}]
    pending = roots
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            content = node.get("content")
            if isinstance(content, dict):
                yield from (m for m in content.values() if isinstance(m, dict))
            pending += [
                v for k, v in node.items() if k != "content" and isinstance(v, (dict, list))
            ]
        elif isinstance(node, list):
            pending += node


class CaseBuilder:
    """Derives the valid payloads and invalid mutations of one component schema."""

    def __init__(self, view: SchemaView, name: str) -> None:
        self.view = view
        self.name = name
        self.root = {"$ref": f"#/components/schemas/{name}"}
        self.cases: dict[str, Case] = {}
        self._seen: set[str] = set()

    def add(self, case_id: str, payload: Any) -> None:
        canonical = _canonical(payload)
        if canonical in self._seen or case_id in self.cases:
            return
        if len(self.cases) >= MAX_CASES_PER_SCHEMA:
            return
        self._seen.add(canonical)
        self.cases[case_id] = Case(self.name, case_id, copy.deepcopy(payload))

    def run(self) -> list[Case]:
        view = self.view
        for index, example in enumerate(view.examples_for_component(self.name)):
            self.add(f"example[{index}]", example)
        bases: list[tuple[str, Any]] = []
        for label, full, examples in (
            ("minimal", False, False),
            ("full", True, False),
            ("full_from_examples", True, True),
        ):
            try:
                value = view.build(self.root, full=full, examples=examples)
            except CannotBuild:
                continue
            self.add(label, value)
            bases.append((label, value))
        # mutations and variants of the richest instance (the minimal one is a valid case
        # of its own: its mutations would repeat those of the full one)
        built = dict(bases)
        if "full" in built or "minimal" in built:
            value = built.get("full", built.get("minimal"))
            for case_id, payload in self.node_cases(self.root, value, "$", 0, nullable_slot=True):
                self.add(case_id, payload)
        return list(self.cases.values())

    # ---- the walk --------------------------------------------------------------------------
    def node_cases(
        self, schema: Any, value: Any, path: str, depth: int, *, nullable_slot: bool
    ) -> Iterator[tuple[str, Any]]:
        """(case id, replacement for `value`) pairs for the node at `path`.

        `nullable_slot`: null is a meaningful mutation here (a required property, an
        array item or the root; an optional property's null is accepted by both
        generators' `| None` by design and is not a type-mapping question).
        """
        view = self.view
        s = view.expand(schema)
        is_ref = view.ref_name(schema) is not None and depth > 0
        nullable = view.nullable(s)
        if value is not None:
            if nullable:
                yield f"{path}:null_allowed", None
            elif nullable_slot:
                yield f"{path}:null", None
        yield from self._wrong_type(s, path)
        if "const" in s:
            yield from self._const_cases(s, path)
        elif isinstance(s.get("enum"), list):
            yield from self._enum_cases(s, value, path)
        branches = view.union_branches(s)
        if branches is not None:
            yield from self._union_cases(s, branches, value, path)
            return
        types = view.types(s)
        if isinstance(value, bool) and types == {"boolean"}:
            yield f"{path}:string_boolean", "true" if value else "false"
            yield f"{path}:integer_boolean", 1 if value else 0
        if isinstance(value, str) and "string" in types:
            yield from self._string_cases(s, value, path)
        if _is_number(value) and types & {"integer", "number"}:
            kind = "integer" if "integer" in types else "number"
            yield from self._number_cases(s, kind, value, path)
        if is_ref or depth >= _DESCEND_DEPTH:
            return  # a referenced component is walked as a component of its own
        if isinstance(value, list) and "array" in types:
            yield from self._array_cases(s, value, path, depth)
        if isinstance(value, dict) and "object" in types:
            yield from self._object_cases(s, value, path, depth)
            owned = view.owned_tag(schema)
            if owned is not None and owned[0] in value:
                # valid for the schema on its own: only the union the tag selects in cares
                yield f"{path}.{owned[0]}:not_this_branch_tag", {**value, owned[0]: "another-value"}

    def _wrong_type(self, s: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
        types = self.view.types(s)
        branches = self.view.union_branches(s)
        if branches is not None:
            for branch in branches:
                branch_s = self.view.expand(branch)
                types |= self.view.types(branch_s)
                if not self.view.types(branch_s) and not self.view.nullable(branch_s):
                    return  # an untyped branch admits anything
        if not types:
            return
        for candidate in _WRONG_TYPE_VALUES:
            kind = json_type(candidate)
            if kind not in types and not (kind == "integer" and "number" in types):
                yield f"{path}:wrong_type_{kind}", candidate
                return

    def _const_cases(self, s: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
        const = s["const"]
        if isinstance(const, bool):
            yield f"{path}:not_const", not const
        elif isinstance(const, (int, float)):
            yield f"{path}:not_const", const + 1
        elif isinstance(const, str):
            yield f"{path}:not_const", const + "-other"

    def _enum_cases(self, s: dict[str, Any], value: Any, path: str) -> Iterator[tuple[str, Any]]:
        values = [v for v in s["enum"] if v is not None]
        for member in values:
            if member != value:
                yield f"{path}:enum={member}", member
        if values and all(isinstance(v, str) for v in values):
            yield f"{path}:unknown_enum", "__unknown__"
            upper = values[0].upper() if values[0].upper() != values[0] else values[0].lower()
            if upper not in values:
                yield f"{path}:enum_wrong_case", upper
        elif values and all(_is_number(v) for v in values):
            yield f"{path}:unknown_enum", max(values) + 1000

    def _union_cases(
        self, s: dict[str, Any], branches: list[Any], value: Any, path: str
    ) -> Iterator[tuple[str, Any]]:
        view = self.view
        for index in range(len(branches)):
            try:
                variant = view.build_branch(s, branches, index, full=True, examples=False, stack=())
            except CannotBuild:
                continue
            yield f"{path}:branch[{index}]", variant
            branch_s = view.expand(branches[index])
            if view.union_branches(branch_s) is None and isinstance(variant, str):
                for case_id, mutated in self._string_cases(branch_s, variant, path):
                    yield f"{case_id}(branch[{index}])", mutated
            if view.union_branches(branch_s) is None and _is_number(variant):
                kinds = view.types(branch_s)
                kind = "integer" if "integer" in kinds else "number"
                for case_id, mutated in self._number_cases(branch_s, kind, variant, path):
                    yield f"{case_id}(branch[{index}])", mutated
        objects = [view.expand(b) for b in branches]
        if objects and all("object" in view.types(b) for b in objects):
            yield f"{path}:matches_no_branch", {}
        prop = (s.get("discriminator") or {}).get("propertyName")
        if isinstance(prop, str) and isinstance(value, dict) and prop in value:
            yield f"{path}:unknown_tag", {**value, prop: "__unknown__"}
            yield f"{path}:missing_tag", {k: v for k, v in value.items() if k != prop}
            current = value[prop]
            for branch in branches:
                for tag in view.discriminator_tags(s, branch):
                    if tag != current:
                        yield f"{path}:swapped_tag={tag}", {**value, prop: tag}

    def _string_cases(self, s: dict[str, Any], value: str, path: str) -> Iterator[tuple[str, Any]]:
        view = self.view
        pattern = s.get("pattern") if isinstance(s.get("pattern"), str) else None
        low, high = s.get("minLength"), s.get("maxLength")

        def matches(text: str) -> bool:
            return pattern is None or re.search(pattern, text) is not None

        def find(predicate: Any) -> str | None:
            # a string of the right shape (format, pattern) and the asked length; else any
            # string of that length (two violations at once are still an invalid payload)
            for text in string_pool(s):
                if predicate(text) and matches(text):
                    return text
            for length in range(0, 300):
                if predicate("x" * length):
                    return "x" * length
            return None

        if isinstance(low, int) and low > 0:
            for label, size in (("too_short", low - 1), ("min_length", low)):
                text = find(lambda t, size=size: len(t) == size)
                if text is not None:
                    yield f"{path}:{label}", text
        if isinstance(high, int):
            for label, size in (("too_long", high + 1), ("max_length", high)):
                text = find(lambda t, size=size: len(t) == size)
                if text is not None:
                    yield f"{path}:{label}", text
        if pattern is not None:
            text = None
            if s.get("format") in _FORMAT_SAMPLES:
                text = next(
                    (t for t in string_pool(s) if view.length_ok(s, t) and not matches(t)), None
                )
            if text is None:
                text = non_matching_string(pattern, lambda t: view.length_ok(s, t))
            if text is not None:
                yield f"{path}:pattern_mismatch", text
        fmt = s.get("format")
        for label, bad in _FORMAT_MUTATIONS.get(fmt, []) if isinstance(fmt, str) else []:
            yield f"{path}:{label}", bad

    def _number_cases(
        self, s: dict[str, Any], kind: str, value: float, path: str
    ) -> Iterator[tuple[str, Any]]:
        low, low_x, high, high_x = self.view.number_bounds(s)
        one = 1 if kind == "integer" else 0.5
        if low is not None:
            yield f"{path}:at_minimum{'_exclusive' if low_x else ''}", low
            yield f"{path}:below_minimum", low - one
            if kind == "integer" and not float(low).is_integer():
                yield f"{path}:below_minimum", math.floor(low)
        if high is not None:
            yield f"{path}:at_maximum{'_exclusive' if high_x else ''}", high
            yield f"{path}:above_maximum", high + one
        # 3.1: a plain `minimum`/`maximum` beside the exclusive one
        if not self.view.oas30:
            for key, sign in (("minimum", -1), ("maximum", 1)):
                bound = s.get(key)
                if _is_number(bound) and bound != (low if sign < 0 else high):
                    yield f"{path}:beyond_{key}", bound + sign * one
        step = s.get("multipleOf")
        if _is_number(step) and step > 0:
            offset = 1 if kind == "integer" and step != 1 else step / 2
            if kind != "integer" or float(offset).is_integer():
                yield f"{path}:not_multiple", value + offset
        if kind == "integer":
            yield f"{path}:fractional", value + 0.5
            yield f"{path}:integral_float", float(value)
        yield f"{path}:numeric_string", str(value)

    def _array_cases(
        self, s: dict[str, Any], value: list[Any], path: str, depth: int
    ) -> Iterator[tuple[str, Any]]:
        prefix = s.get("prefixItems")
        if isinstance(prefix, list):
            yield from self._tuple_cases(s, prefix, value, path, depth)
            return
        low, high = s.get("minItems"), s.get("maxItems")
        items = s.get("items") if isinstance(s.get("items"), dict) else {}
        sample = value[0] if value else None
        if not value:
            try:
                sample = self.view.build(items, full=False, examples=False)
            except CannotBuild:
                sample = None
        if isinstance(low, int) and low > 0:
            yield f"{path}:too_few_items", [copy.deepcopy(sample) for _ in range(low - 1)]
        if isinstance(high, int):
            yield f"{path}:too_many_items", [copy.deepcopy(sample) for _ in range(high + 1)]
            yield f"{path}:max_items", [copy.deepcopy(sample) for _ in range(high)]
        if not low:
            yield f"{path}:empty_array", []
        if s.get("uniqueItems") is True and sample is not None:
            yield f"{path}:duplicate_items", [copy.deepcopy(sample), copy.deepcopy(sample)]
        if value:
            for case_id, item in self.node_cases(
                items, value[0], f"{path}[0]", depth + 1, nullable_slot=True
            ):
                yield case_id, [item, *value[1:]]

    def _tuple_cases(
        self, s: dict[str, Any], prefix: list[Any], value: list[Any], path: str, depth: int
    ) -> Iterator[tuple[str, Any]]:
        if value:
            yield f"{path}:tuple_too_short", value[:-1]
        if s.get("items") is False:
            yield f"{path}:tuple_extra_item", [*value, copy.deepcopy(value[0]) if value else 1]
        if len(value) > 1:
            yield f"{path}:tuple_swapped", [value[1], value[0], *value[2:]]
        for index, item_schema in enumerate(prefix[: len(value)]):
            for case_id, item in self.node_cases(
                item_schema, value[index], f"{path}[{index}]", depth + 1, nullable_slot=True
            ):
                yield case_id, [*value[:index], item, *value[index + 1 :]]

    def _object_cases(
        self, s: dict[str, Any], value: dict[str, Any], path: str, depth: int
    ) -> Iterator[tuple[str, Any]]:
        view = self.view
        properties = s.get("properties") or {}
        required = [r for r in s.get("required") or [] if isinstance(r, str)]
        for prop in required:
            if prop in value:
                yield f"{path}:drop_required({prop})", {k: v for k, v in value.items() if k != prop}
        extra = s.get("additionalProperties", True)
        if extra is False:
            yield f"{path}:extra_property_forbidden", {**value, "unexpectedKey": "x"}
        elif isinstance(extra, dict) and extra:
            try:
                good = view.build(extra, full=False, examples=False)
                yield f"{path}:extra_property_typed", {**value, "extraKey": good}
            except CannotBuild:
                good = None
            for case_id, bad in self.node_cases(
                extra, good, f"{path}.extraKey", depth + 1, nullable_slot=True
            ):
                yield case_id, {**value, "extraKey": bad}
        else:
            yield f"{path}:extra_property_allowed", {**value, "unexpectedKey": "x"}
        rules = {k: v for k, v in (s.get("dependentRequired") or {}).items() if isinstance(v, list)}
        for trigger, needed in rules.items():
            if trigger not in properties:
                continue
            try:
                present = (
                    value[trigger]
                    if trigger in value
                    else view.build(properties[trigger], full=False, examples=False)
                )
            except CannotBuild:
                continue
            # only this trigger present: another trigger could require the same dependency
            base = {k: v for k, v in value.items() if k not in rules or k == trigger}
            base[trigger] = present
            for dep in needed:
                if dep not in required:
                    yield (
                        f"{path}:dependent_required({trigger}->{dep})",
                        {k: v for k, v in base.items() if k != dep},
                    )
        side = view.object_branches(s)
        for index, branch in enumerate(side):
            try:
                variant = view.build({**view.with_branch(s, branch)}, full=False, examples=False)
            except CannotBuild:
                continue
            yield f"{path}:object_branch[{index}]", variant
        if side:
            bare = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf")}
            try:
                yield f"{path}:no_object_branch", view.build(bare, full=False, examples=False)
            except CannotBuild:
                pass
        for prop, sub in properties.items():
            if prop not in value:
                continue
            for case_id, new in self.node_cases(
                sub, value[prop], f"{path}.{prop}", depth + 1, nullable_slot=prop in required
            ):
                yield case_id, {**value, prop: new}


def cases_for_spec(document: dict[str, Any]) -> dict[str, list[Case]]:
    """All cases of every component schema of `document`, by component name."""
    view = SchemaView(document)
    return {name: CaseBuilder(view, name).run() for name in view.components}
