"""Stage 2, lint: structural validation plus our own rules, each with a stable code.

| code | rule |
|------|------|
| E001-E003 | the file cannot be read, parsed (duplicate keys too), or is not an OpenAPI 3.0/3.1/3.2 document (see `load`) |
| E004 | the input exceeds a limit: size, nesting depth, alias expansion, integer length, operations or models for its size (see `limits`) |
| E101-E104 | `$ref` problems found while bundling: remote, outside the folder, unresolved, circular inline |
| E105 | a local `$ref` does not resolve |
| E106 | a chain of schemas referencing one another is too long |
| E107 | a schema includes itself through `allOf` |
| E108 | a circle of bare `$ref`s: schemas that only reference one another (generate: read as any value) |
| E111 | a `$ref` to the wrong kind of object: a parameter's, request body's or response's to a schema, a schema's to a parameter… (see `ref_kinds`) |
| W108 | a `$ref` that does not resolve, in a response's or an encoding's `Content-Type` header (which OpenAPI says to ignore): the header is dropped when loading, not refused |
| W112 | a `oneOf`/`anyOf` discriminator's `propertyName` that no member declares: ignored, the members told apart by their shapes (see `lint_targets`) |
| W110 | (generate) a union that contains itself, directly or through other unions: it holds what the cycle's other members hold |
| E201 | a structural error against the OpenAPI metaschema, or JSON Schema's for a schema (see `structure`) |
| W317 | a path template equal to an earlier one but for its parameters' names (`/users/{id}`, `/users/{name}`), which OpenAPI forbids (see `lint_targets`) |
| E301 | an operation has no `operationId` |
| E302 | an `operationId` is used twice |
| E303 | a `{name}` in a path template has no `in: path` parameter |
| E304 | an `in: path` parameter does not appear in the path template |
| E309 | a `{name}` in the query part of a path template (`/search?q={q}`) has no `in: path` parameter (generate: sent as the query parameter it names) |
| E305 | a tag's `parent` (3.2) names no declared tag (read as a top-level tag; see `tags`) |
| E306 | tags whose `parent`s form a cycle (the first in document order is read as top-level) |
| E401 | an example does not validate against its schema (formats checked) |
| E402 | a schema `default` does not validate against its schema (generate: each default it would write that fails is dropped, a warning, even without house style) |
| W403 | a `pattern` cannot be run on the linear-time regex engine: values are not checked against it |
| W405 | (generate) proving the models' patterns compile reached its work limit: heavier patterns after it are left out of the models |
| W404 | checking examples and defaults reached its work limit: the rest are not checked |
| W406 | a string `const`, `enum` value or property name holds a lone surrogate, which no JSON on the wire carries: left out (see `surrogates`) |
| W407 | a numeric bound that refuses every value: NaN, an infinite (or, for a `number`, past a float's range) lower bound above or upper bound below every number, an infinite `multipleOf`: dropped (see `numeric_bounds`) |
| W409 | an `enum` value is not of its schema's `type` (`{type: string, enum: [1]}`: YAML's unquoted `001`): no value matches both; generation uses the values as written (see `enum_types`) |
| W410 | an `enum` of more than 5,000 values: generated as a `Literal` type, not an Enum class (mypy takes about 1 ms a member of an Enum class) |
| E501 | an operation documents no 4xx response |
| W601 | a component is never referenced (warning) |
| E701 | an operation has no security requirement (neither its own nor the document's) |
| E702 | a security requirement names a scheme that `components.securitySchemes` lacks |

`Profile.STRICT` (the `lint` command, our CI gate) reports every rule at its
severity. `Profile.GENERATE` keeps only what makes generation impossible as
errors; it does not run the house-style rules (`HOUSE_STYLE_CODES`: examples,
4xx responses, unused components, security requirements) unless asked to, and
reports E301/E302 (names are derived), rules whose specs still have an exact
meaning (E107: an `allOf` circle; E108: a circle of bare `$ref`s, any value; E111: a
`$ref` to the wrong kind of object, which is not used there) and metaschema details with a stated repair (E201;
E305 and E306: a broken tag `parent` read as none; E309: a template in a path's query
part sent as a query parameter; E702: a security requirement naming an undeclared
scheme, dropped) as warnings, so real-world specs
still generate.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from .diagnostics import Diagnostic, Severity
from .enum_types import check_enum_types
from .lint_targets import check_targets
from .load import (
    Spec,
    deref,
    example_key,
    is_openapi_32,
    join_pointer,
    resolve_pointer,
    split_pointer,
    walk_nodes,
)
from .numeric_bounds import check_bounds
from .ref_graph import check_reference_graph
from .ref_kinds import check_ref_kinds
from .structure import check_structure, passes_metaschema
from .surrogates import check_surrogates
from .unenforced import check_unenforced

__all__ = [
    "Profile",
    "iter_operations",
    "iter_refs",
    "lint_spec",
    "passes_metaschema",
    "path_item",
    "query_template",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# OpenAPI 3.2 adds the `query` method and `additionalOperations` (custom methods, sent as named)
HTTP_METHODS_32 = (*HTTP_METHODS, "query")
COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
    "mediaTypes",  # 3.2
)
STYLE_CODES = frozenset({"E301", "E302", "E401", "E402", "E501", "E701"})
# errors for `lint` that generation can still honour: warnings under GENERATE. E201 (a
# metaschema violation: an unknown key, a missing `info` or `paths`, `const` in 3.0…)
# rarely stops the IR; when it does, generation reports the E201s as errors after all.
# house style, which `generate` leaves to `lint` unless asked (`--house-style`)
HOUSE_STYLE_CODES = frozenset({"E401", "E402", "W404", "E501", "W601", "E701"})
GENERATE_WARNINGS = frozenset({"E107", "E108", "E111", "E201", "E305", "E306", "E309", "E702"})
_TEMPLATE_PARAM = re.compile(r"{([^{}]+)}")
_FIXED_METHODS = frozenset(m.upper() for m in HTTP_METHODS_32)
# RFC 9110's `token`: what an HTTP method name may be (others cannot be sent: E201, ignored)
_METHOD_TOKEN = re.compile(r"[a-zA-Z0-9!#$%&'*+.^_`|~-]+")


class Profile(enum.Enum):
    """Which severities apply: `STRICT` for `lint`, `GENERATE` for generation."""

    STRICT = "strict"
    GENERATE = "generate"


def lint_spec(
    spec: Spec, profile: Profile = Profile.STRICT, *, house_style: bool = False
) -> list[Diagnostic]:
    """Run every rule on a loaded spec and return its diagnostics (unsorted).

    Under `Profile.GENERATE` the house-style rules (`HOUSE_STYLE_CODES`: example
    mismatches, no 4xx, unused components, no security requirement) are not run
    unless `house_style`: a third-party spec is not ours to restyle.
    """
    style = profile is Profile.STRICT or house_style
    found: list[Diagnostic] = list(spec.notes)
    ref_errors = list(_check_local_refs(spec))
    if not ref_errors:
        ref_errors = list(check_reference_graph(spec)) + list(check_ref_kinds(spec))
    found.extend(ref_errors)
    # an allOf circle still has a meaning (each schema requires the others' properties),
    # which the IR builds; it is only bad style, so the structure checks still run
    blocking = [d for d in ref_errors if d.code not in ("E107", "E108", "E111")]
    if not blocking:
        found.extend(check_structure(spec))
    found.extend(_check_operations(spec, style))
    found.extend(_check_tags(spec))
    found.extend(_check_patterns(spec))
    found.extend(check_unenforced(spec))
    found.extend(check_surrogates(spec))
    found.extend(check_bounds(spec))
    found.extend(check_enum_types(spec))
    found.extend(check_targets(spec))
    if not blocking and style:
        found.extend(_check_examples(spec))
    if style:
        found.extend(_check_unused_components(spec))
    found.extend(_check_security(spec, style))
    if not style:  # (the house-style rules above are not run; this is the safety net)
        found = [d for d in found if d.code not in HOUSE_STYLE_CODES]
    if profile is Profile.GENERATE:
        lenient = STYLE_CODES | GENERATE_WARNINGS
        found = [replace(d, severity=Severity.WARNING) if d.code in lenient else d for d in found]
    return found


def _nodes(source: Spec | dict[str, Any]) -> Iterable[tuple[str, dict[str, Any], bool]]:
    """`walk_nodes` of a document, or a Spec's walk (made once, shared by every rule)."""
    return source.nodes() if isinstance(source, Spec) else walk_nodes(source)


def iter_refs(document: Any) -> Iterator[tuple[str, str]]:
    """Yield (holder pointer, ref) for every `$ref` of a document or Spec, skipping example data."""
    for pointer, node, _ in _nodes(document):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer, ref


def _check_local_refs(spec: Spec) -> Iterator[Diagnostic]:
    for pointer, node, is_schema in spec.nodes():
        dynamic = node.get("$dynamicRef") if is_schema else None
        if isinstance(dynamic, str) and not dynamic.startswith("#"):
            yield spec.diagnostic(
                "E101",
                join_pointer(pointer, "$dynamicRef"),
                f"remote $dynamicRef {dynamic!r} refused: references are never fetched",
            )
    for pointer, ref in iter_refs(spec):
        try:
            spec.resolve(ref)
        except (KeyError, ValueError):
            target = ref.lstrip("#") or "/"
            yield spec.diagnostic(
                "E105",
                join_pointer(pointer, "$ref"),
                f"$ref {ref!r} does not resolve: nothing at {target}",
            )


def path_item(document: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    """(pointer, path item) for `path`, following a local `$ref` to a shared path item."""
    pointer = join_pointer("/paths", path)
    item = document["paths"][path]
    for _ in range(8):
        if not (isinstance(item, dict) and isinstance(item.get("$ref"), str)):
            break
        ref = item["$ref"]
        try:
            item = resolve_pointer(document, ref)
        except (KeyError, ValueError):
            return pointer, {}
        pointer = ref.lstrip("#")
    return pointer, item if isinstance(item, dict) else {}


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Yield (path, method, pointer, operation) for every operation, in document order.

    `method` is the HTTP method as sent: upper case for the path item's fixed fields
    (`GET`… and, in 3.2, `QUERY`), and a 3.2 `additionalOperations` key as written.
    """
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    openapi_32 = is_openapi_32(document)
    for path in paths:
        item_pointer, item = path_item(document, path)
        for method in HTTP_METHODS_32 if openapi_32 else HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method.upper(), join_pointer(item_pointer, method), operation
        additional = item.get("additionalOperations") if openapi_32 else None
        for method, operation in additional.items() if isinstance(additional, dict) else ():
            if (
                isinstance(operation, dict)
                and method not in _FIXED_METHODS
                and _METHOD_TOKEN.fullmatch(method)
            ):
                pointer = join_pointer(item_pointer, "additionalOperations", method)
                yield path, method, pointer, operation


def _check_operations(spec: Spec, style: bool = True) -> Iterator[Diagnostic]:
    """E301-E304 and E309 for every operation; E501 (house style) only when `style`."""
    first_seen: dict[str, str] = {}
    for path, method, pointer, operation in iter_operations(spec.document):
        label = f"{method} {path}"
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            yield spec.diagnostic("E301", pointer, f"{label} has no operationId")
        elif operation_id in first_seen:
            where = spec.locate(first_seen[operation_id])
            yield spec.diagnostic(
                "E302",
                join_pointer(pointer, "operationId"),
                f"operationId {operation_id!r} of {label} is already used at {where}",
            )
        else:
            first_seen[operation_id] = join_pointer(pointer, "operationId")
        yield from _check_path_params(spec, path, pointer, operation)
        if style:  # locating 1,600 diagnostics only to drop them cost GitHub 0.4 s of lint
            yield from _check_error_responses(spec, label, pointer, operation)


def _check_tags(spec: Spec) -> Iterator[Diagnostic]:
    from .tags import tag_problems

    for problem in tag_problems(spec.document):
        yield spec.diagnostic(problem.code, problem.pointer, problem.message)


def _check_path_params(
    spec: Spec, path: str, pointer: str, operation: dict[str, Any]
) -> Iterator[Diagnostic]:
    item_pointer, item = path_item(spec.document, path)
    declared: dict[str, str] = {}
    sources = [
        (join_pointer(item_pointer, "parameters"), item.get("parameters")),
        (join_pointer(pointer, "parameters"), operation.get("parameters")),
    ]
    for list_pointer, parameters in sources:
        if not isinstance(parameters, list):
            continue
        for index, raw in enumerate(parameters):
            parameter = deref(spec.document, raw)
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                declared[str(parameter.get("name"))] = join_pointer(list_pointer, index)
    in_template = _TEMPLATE_PARAM.findall(path)
    repairable = query_template(path)
    in_query = {name for _, name in repairable[1]} if repairable else set()
    for name in in_template:
        if name in declared:
            continue
        if name in in_query:
            message = (
                f"{{{name}}} in the query part of {path!r} is not declared as an 'in: path'"
                " parameter: generation sends it as the query parameter the template names"
            )
            yield spec.diagnostic("E309", pointer, message)
            continue
        yield spec.diagnostic(
            "E303",
            pointer,
            f"path parameter {{{name}}} of {path!r} is not declared as an 'in: path' parameter",
        )
    for name, param_pointer in declared.items():
        if name not in in_template:
            yield spec.diagnostic(
                "E304",
                param_pointer,
                f"path parameter {name!r} does not appear in the path template {path!r}",
            )


def query_template(path: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """A path whose query part holds templates, each a whole value (`/search?q={q}&v=2`):
    the path with only its literal pairs left (`/search?v=2`), and the (query name,
    template name) of each templated pair (`("q", "q")`). None when the query part holds
    no template, or one that is not a whole value (`?{q}`, `?q={a}-{b}`)."""
    route, mark, query = path.partition("?")
    if not mark or "{" not in query:
        return None
    literals: list[str] = []
    templated: list[tuple[str, str]] = []
    for pair in query.split("&"):
        key, equals, value = pair.partition("=")
        names = _TEMPLATE_PARAM.findall(pair)
        if not names:
            literals.append(pair)
        elif equals and key and "{" not in key and value == "{" + names[0] + "}":
            templated.append((key, names[0]))
        else:
            return None
    return route + ("?" + "&".join(literals) if literals else ""), tuple(templated)


def _check_error_responses(
    spec: Spec, label: str, pointer: str, operation: dict[str, Any]
) -> Iterator[Diagnostic]:
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return
    if not any(str(code).startswith("4") for code in responses):
        yield spec.diagnostic(
            "E501",
            join_pointer(pointer, "responses"),
            f"{label} documents no 4xx response",
            hint="document at least the client errors the API returns, with a schema",
        )


def _check_examples(spec: Spec) -> Iterator[Diagnostic]:
    from .schema_check import CHECK_STEPS, BudgetExhausted, SchemaChecker

    checker = SchemaChecker(spec.document)
    for pointer, schema, value, what in _iter_examples(spec):
        try:
            errors = checker.errors(schema, value)
        except BudgetExhausted:
            yield spec.diagnostic(
                "W404",
                pointer,
                f"{what} and the examples and defaults after it are not checked: checking them"
                f" takes more than the limit of {CHECK_STEPS:,} steps",
                warning=True,
                hint="simplify the schemas these examples go through (nested anyOf/oneOf)",
            )
            return
        for error in errors:
            code = "E402" if what == "default" else "E401"
            yield spec.diagnostic(
                code, pointer, f"{what} does not validate against its schema: {error}"
            )


COMPILE_WEIGHT = 2_000_000
"""Total weight (estimated compiled size) of the patterns lint compiles to find W403s."""


def _check_patterns(spec: Spec) -> Iterator[Diagnostic]:
    """W403 for each distinct pattern the linear-time engine cannot run (at its first use).

    Patterns are compiled (to find those over the engine's size limit) only within
    `COMPILE_WEIGHT`: past it, they are only translated, so that thousands of large
    distinct patterns cannot take minutes (compiling costs about 0.7 µs a unit of weight).
    """
    from .patterns import explain, weight

    first: dict[str, tuple[str, int]] = {}
    for pointer, node, is_schema in spec.nodes():
        if not is_schema:
            continue
        found = []
        if isinstance(node.get("pattern"), str):
            found.append((node["pattern"], join_pointer(pointer, "pattern")))
        pattern_properties = node.get("patternProperties")
        if isinstance(pattern_properties, dict):
            found += [
                (p, join_pointer(pointer, "patternProperties", p)) for p in pattern_properties
            ]
        for pattern, where in found:
            where, count = first.get(pattern, (where, 0))
            first[pattern] = (where, count + 1)
    compile_left = COMPILE_WEIGHT
    for pattern, (where, count) in first.items():
        cost = weight(pattern)
        compile_left -= cost
        reason = explain(pattern, compile=compile_left >= 0 or cost == 0)
        if reason is not None:
            others = f" (and {count - 1} more use(s))" if count > 1 else ""
            yield spec.diagnostic(
                "W403",
                where,
                f"pattern {pattern!r} is not checked{others}: {reason}",
                warning=True,
            )


def _iter_examples(spec: Spec) -> Iterator[tuple[str, Any, Any, str]]:
    """Yield (pointer, schema, value, kind) for each example and default in the document."""
    for pointer, node, is_schema in spec.nodes():
        if is_schema:
            if "$ref" in node:  # (the generator reads a default beside a `$ref`, even in 3.0)
                if "default" in node:
                    yield join_pointer(pointer, "default"), node, node["default"], "default"
                continue
            if "example" in node:
                yield join_pointer(pointer, "example"), node, node["example"], "example"
            if "default" in node:
                yield join_pointer(pointer, "default"), node, node["default"], "default"
            examples = node.get("examples")
            if isinstance(examples, list):
                for index, value in enumerate(examples):
                    yield join_pointer(pointer, "examples", index), node, value, "example"
            continue
        schema = node.get("schema")
        if not isinstance(schema, dict):
            continue
        # a media type, parameter or header: `example` or a map of Example objects
        if "example" in node:
            yield join_pointer(pointer, "example"), schema, node["example"], "example"
        examples = node.get("examples")
        if isinstance(examples, dict):
            for name, raw in examples.items():
                example = deref(spec.document, raw)
                key = example_key(example)
                if key is not None:
                    yield (
                        join_pointer(pointer, "examples", name),
                        schema,
                        example[key],
                        f"example {name!r}",
                    )


def _check_unused_components(spec: Spec) -> Iterator[Diagnostic]:
    components = spec.document.get("components")
    if not isinstance(components, dict):
        return
    used: set[str] = set()
    for holder, ref in iter_refs(spec):
        if not ref.startswith("#"):
            continue
        try:
            tokens = split_pointer(ref)
        except ValueError:
            continue
        if len(tokens) >= 3 and tokens[0] == "components":
            own = join_pointer("/components", tokens[1], tokens[2])
            if not (holder == own or holder.startswith(own + "/")):
                used.add(own)
    for section in COMPONENT_SECTIONS:
        entries = components.get(section)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            pointer = join_pointer("/components", section, name)
            if pointer not in used:
                yield spec.diagnostic(
                    "W601", pointer, f"component {section}/{name} is never referenced", warning=True
                )


def _check_security(spec: Spec, style: bool = True) -> Iterator[Diagnostic]:
    """E702 for a requirement naming an undeclared scheme; E701 (house style) only when
    `style`."""
    components = spec.document.get("components")
    schemes = components.get("securitySchemes", {}) if isinstance(components, dict) else {}
    schemes = schemes if isinstance(schemes, dict) else {}
    root_security = spec.document.get("security")
    requirement_lists: list[tuple[str, Any]] = []
    if root_security is not None:
        requirement_lists.append(("/security", root_security))
    for path, method, pointer, operation in iter_operations(spec.document):
        if "security" in operation:
            requirement_lists.append((join_pointer(pointer, "security"), operation["security"]))
        elif root_security is None and style:
            yield spec.diagnostic(
                "E701",
                pointer,
                f"{method} {path} declares no security requirement",
                hint="add 'security' to the operation or the document ('security: []' for none)",
            )
    for pointer, requirements in requirement_lists:
        if not isinstance(requirements, list):
            continue
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in schemes:
                    found = spec.diagnostic(
                        "E702",
                        join_pointer(pointer, index, name),
                        f"security requirement names {name!r}, which components.securitySchemes does not declare",
                    )
                    # (generate: the client cannot meet that requirement, only the others)
                    yield replace(found, repair="dropped the requirement that names it")
