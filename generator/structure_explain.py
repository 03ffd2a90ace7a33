"""What a metaschema error (E201) means: where it is, and what `generate` does about it.

jsonschema reports a Schema Object or a Response that is wrong somewhere inside as one
"… is not valid under any of the given schemas" at the top of a `oneOf` of the object and
a Reference: `leaves` follows the branch the value was meant for down to the real errors.
An unknown key is located at the key itself, not at the object that holds it.

The `generate` profile reports E201 as a warning and generates anyway; `repair` says what
the generator then does with the value, where that is known (and tested): an unknown key
is ignored, `exclusiveMaximum: true` in 3.1 is read with 3.0 semantics, a `null` where a
schema belongs is any value, a missing `paths` is no paths… Nothing is claimed where the
generator's reading is not known: the warning then states only the error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .load import join_pointer, split_pointer

# keywords of JSON Schema 2020-12 the generator reads in a 3.0 Schema Object too (with their
# 3.1 meaning), although the 3.0 metaschema does not allow them
READ_AS_31 = frozenset({"const", "prefixItems", "dependentRequired"})
# members of a `oneOf`/`anyOf` that are not schemas are left out of the union
_UNION_KEYS = frozenset({"oneOf", "anyOf"})
# what a missing required key (at the parent's kind of pointer) is read as
_MISSING = {
    ("", "info"): "read as an empty `info`",
    ("", "paths"): "read as no paths",
    ("/info", "title"): "used the package name as the title",
    ("/info", "version"): "versioned the package 0.0.0",
    ("operation", "responses"): "read as no responses",
    ("response", "description"): "read as an empty description",
    ("parameter", "name"): "left the parameter out",
    ("parameter", "in"): "left the parameter out",
}
# what a value of the wrong type (not a mapping) at these places is read as
_EMPTY = {
    "/info": "read as an empty `info`",
    "/paths": "read as no paths",
    "/tags": "read as no tags",
    "operation/responses": "read as no responses",
}
_OPERATION_PARENTS = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)


@dataclass(frozen=True)
class Explained:
    """One structural error: where it is, its message, the repair `generate` makes ("" if none),
    and the metaschema keyword that failed."""

    pointer: str
    message: str
    repair: str
    keyword: str


def leaves(error: Any) -> list[Any]:
    """The errors that explain `error`: inside a `oneOf`/`anyOf` of alternatives, those of the
    alternative the value was meant for (a Reference when it has a `$ref`, else the other
    one), recursively; `error` itself when that is not clear."""
    if error.validator not in _UNION_KEYS or not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        key = sub.relative_schema_path[0] if sub.relative_schema_path else None
        branches.setdefault(key, []).append(sub)
    wants_reference = isinstance(error.instance, dict) and "$ref" in error.instance
    chosen = [
        errors for errors in branches.values() if _is_reference_branch(errors) == wants_reference
    ]
    if len(chosen) != 1:
        return [error]
    return [leaf for sub in chosen[0] for leaf in leaves(sub)]


def _is_reference_branch(errors: list[Any]) -> bool:
    """True for the errors of a Reference Object alternative (it requires `$ref`)."""
    return any(
        e.validator == "required"
        and isinstance(e.validator_value, list)
        and "$ref" in e.validator_value
        for e in errors
    )


def explain(
    error: Any, base: str, version: str, schema_pointers: frozenset[str] | set[str]
) -> Iterator[Explained]:
    """Each leaf of `error` (found at `base` + its path) located, with its repair.

    `schema_pointers` are the pointers of the document's Schema Objects (from its walk).
    """
    for leaf in leaves(error):
        pointer = join_pointer(base, *leaf.absolute_path)
        keyword = str(leaf.validator)
        unexpected = _unexpected_keys(leaf)
        located = pointer
        if unexpected:
            located = join_pointer(pointer, unexpected[0])
        elif keyword == "pattern" and "propertyNames" in leaf.relative_schema_path:
            located = join_pointer(pointer, str(leaf.instance))
        repair = _repair(leaf, pointer, version, pointer in schema_pointers, unexpected)
        yield Explained(located, sentence(leaf), repair, keyword)


def sentence(error: Any) -> str:
    """What is wrong, as a sentence: jsonschema's message, unless that quotes a whole mapping
    or list of the spec (`not` and `contains` do, and a type error on a large value), which
    reads as data, not as a diagnostic (3.2's "a `querystring` parameter excludes `query`
    parameters" came out as the repr of the parameter list and of the rule)."""
    keyword = error.validator
    if keyword == "not":
        return _forbidden(error.instance, error.validator_value, error.absolute_schema_path)
    if keyword in ("contains", "minContains", "maxContains"):
        located = _parameter_location(error.schema.get("contains"))
        if located is not None:
            most = error.schema.get("maxContains")
            if isinstance(most, int) and most <= 1:
                return f"at most one parameter may be `in: {located}`"
            return f"the parameters must include one `in: {located}`"
    message = str(error.message)
    if isinstance(error.instance, (dict, list)):
        shown = repr(error.instance)
        if message.startswith(shown):
            what = "the object" if isinstance(error.instance, dict) else "the list"
            return what + message[len(shown) :]
    return message


def _forbidden(value: Any, rule: Any, schema_path: Any) -> str:
    """Why a value fails a metaschema's `not`: the pair of keys, or of parameter locations,
    that may not come together, or the reserved name it uses (`schema_path`: where the rule
    sits in the metaschema)."""
    if not isinstance(rule, dict):
        return "this value has a form that is not allowed here"
    both = rule.get("required")
    if isinstance(both, list) and len(both) >= 2:
        names = " and ".join(f"`{name}`" for name in both)
        return f"{names} may not both be given"
    parts = rule.get("allOf")
    if isinstance(parts, list):
        places = [
            _parameter_location(part.get("contains")) for part in parts if isinstance(part, dict)
        ]
        if places and all(places):
            joined = " and ".join(f"`in: {place}`" for place in places)
            return f"parameters {joined} may not be used together"
    reserved = rule.get("enum")
    if isinstance(reserved, list) and value in reserved:
        if "additionalOperations" in schema_path:  # the names are the fixed methods
            return (
                f"{value} is a fixed method: declare it as the path item's "
                f"`{str(value).lower()}`, not in `additionalOperations`"
            )
        return f"{value!r} is a reserved name here"
    return "this value has a form that is not allowed here"


def _parameter_location(rule: Any) -> str | None:
    """X of a `contains` rule matching the parameters `in: X` (the 3.2 metaschema's form)."""
    if not isinstance(rule, dict):
        return None
    properties = rule.get("properties")
    where = properties.get("in") if isinstance(properties, dict) else None
    place = where.get("const") if isinstance(where, dict) else None
    return place if isinstance(place, str) else None


def _unexpected_keys(error: Any) -> list[str]:
    """The keys an `additionalProperties: false` / `unevaluatedProperties: false` refuses."""
    if error.validator_value is not False or not isinstance(error.instance, dict):
        return []
    if error.validator == "additionalProperties":
        from jsonschema._utils import find_additional_properties

        return [str(key) for key in find_additional_properties(error.instance, error.schema)]
    if error.validator == "unevaluatedProperties":
        message = str(error.message)
        named = message[message.find("(") + 1 : message.rfind(")")]
        return [key for key in error.instance if isinstance(key, str) and repr(key) in named]
    return []


def _repair(error: Any, pointer: str, version: str, in_schema: bool, unexpected: list[str]) -> str:
    keyword = error.validator
    if unexpected:
        return _unknown_keys(unexpected, in_schema and version == "3.0")
    tokens = split_pointer(pointer)
    if keyword == "pattern" and "propertyNames" in error.relative_schema_path:
        if tokens[-1:] == ["additionalOperations"]:  # (not a token: hostile audit 17)
            return "the operation is left out: no HTTP request can carry that method"
        return "kept the name (the generator derives a valid Python name from it)"
    last = tokens[-1] if tokens else ""
    if last in ("exclusiveMaximum", "exclusiveMinimum"):
        return _exclusive(last, error.instance, version)
    if last == "type" and isinstance(error.instance, list) and keyword in ("type", "enum"):
        return "read the list of types as in OpenAPI 3.1" if version == "3.0" else ""
    if keyword == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        kind = _kind(tokens)
        repairs = [_MISSING.get((kind, key), "") for key in missing]
        return "; ".join(r for r in repairs if r) if all(repairs) else ""
    if not isinstance(error.instance, (dict, bool)) and _is_schema_place(tokens):
        return _not_a_schema(tokens, error.instance)
    if keyword == "type" and not isinstance(error.instance, dict):
        place = pointer if pointer in _EMPTY else f"{_kind(tokens[:-1])}/{last}"
        return _EMPTY.get(place, "")
    return ""


def _unknown_keys(keys: list[str], schema_30: bool) -> str:
    read = [k for k in keys if schema_30 and k in READ_AS_31]
    ignored = [k for k in keys if k not in read]
    parts = [f"read `{key}` as in OpenAPI 3.1" for key in read]
    if ignored:
        parts.append("ignored the key" if len(ignored) == 1 else "ignored the keys")
    return ", ".join(parts)


def _exclusive(keyword: str, value: Any, version: str) -> str:
    bound = "maximum" if keyword == "exclusiveMaximum" else "minimum"
    if isinstance(value, bool) and version != "3.0":
        how = "exclusive" if value else "inclusive"
        text = "true" if value else "false"
        return f"read `{keyword}: {text}` with 3.0 semantics (`{bound}` is {how})"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and version == "3.0":
        return f"read `{keyword}: {value!r}` with 3.1 semantics (an exclusive {bound})"
    return ""


def _is_schema_place(tokens: list[str]) -> bool:
    """True where a schema belongs and the generator's reading of a non-schema is known."""
    if not tokens:
        return False
    if tokens[-1] in ("schema", "items", "additionalProperties"):
        return True
    if len(tokens) >= 2 and tokens[-2] in ("properties", "allOf", *_UNION_KEYS):
        return True
    return len(tokens) == 3 and tokens[:2] == ["components", "schemas"]


def _not_a_schema(tokens: list[str], value: Any) -> str:
    shown = "`null`" if value is None else f"`{_json(value)}`"
    if len(tokens) >= 2 and tokens[-2] in _UNION_KEYS:
        return f"left {shown} out of the {tokens[-2]}"
    if value is None:
        return "treated the `null` schema as any value"
    return f"treated {shown}, which is not a schema, as any value"


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _kind(tokens: list[str]) -> str:
    """What object a pointer names, as far as the repairs need: the root (""), `/info`, an
    operation, a response or a parameter; else its last token."""
    if not tokens:
        return ""
    if tokens == ["info"]:
        return "/info"
    if len(tokens) >= 3 and tokens[0] == "paths" and tokens[-1] in _OPERATION_PARENTS:
        return "operation"
    if len(tokens) >= 3 and tokens[0] == "paths" and tokens[-2] == "additionalOperations":
        return "operation"
    if len(tokens) >= 2 and tokens[-2] == "responses":
        return "response"
    if len(tokens) >= 2 and tokens[-2] == "parameters":
        return "parameter"
    return tokens[-1]
