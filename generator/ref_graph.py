"""Lint rules on the graph of `$ref`s between schemas (E106, E107, E108).

Later stages follow references recursively wherever a schema becomes a type
expression rather than a named class: an alias (`A: {$ref: B}`), an array's
items, a union member, an `allOf` base. The graph here has an edge from a
schema to every schema it references *outside* `properties` (an object's
fields become named models, which cut a chain), and:

- E106: a chain of such references longer than `MAX_REF_CHAIN` (schemas in a
  cycle count once each: a cycle must be walked round before it is noticed);
- E108: schemas that are only `$ref`s to each other in a circle: they define nothing,
  so generation reads them as any value (datamodel-code-generator does the same);
- E107: a schema that includes itself through `allOf`, directly or through
  other schemas: it would have to be its own base class.

Everything is iterative: the rules hold on graphs of any size and depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from typing import Any

from .diagnostics import Diagnostic
from .graphs import strongly_connected
from .limits import MAX_REF_CHAIN
from .load import Spec, decoded_token, join_pointer

_FIELD_KEYS = frozenset({"properties"})
_SHOWN = 4  # schemas named at each end of a long chain


def _targets(schema: Any, *, all_of_only: bool) -> list[str]:
    """The local `$ref`s inside `schema` (not under `properties`; or only `allOf` members)."""
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            found.append(ref[1:])
        if all_of_only:
            members = node.get("allOf")
            if isinstance(members, list):
                stack.extend(members)
            continue
        for key, value in node.items():
            if (
                key not in _FIELD_KEYS
                and not key.startswith("x-")
                and key
                not in (
                    "example",
                    "examples",
                    "default",
                    "enum",
                    "const",
                )
            ):
                stack.append(value)
    return found


def _schemas(spec: Spec) -> dict[str, Any]:
    components = spec.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return {}
    return {join_pointer("/components/schemas", name): node for name, node in schemas.items()}


def _graph(spec: Spec, *, all_of_only: bool) -> dict[str, list[str]]:
    """Edges between component schemas (and any schema a reference reaches), iteratively."""
    graph: dict[str, list[str]] = {}
    schemas = _schemas(spec)
    pending = list(schemas)
    # a `$ref` may target a schema outside components too (a request body's, say)
    for _, node, _ in spec.nodes():
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            pending.append(ref[1:])
    while pending:
        pointer = pending.pop()
        if pointer in graph:
            continue
        if pointer in schemas and "%" not in pointer:  # (a `%` would be percent-decoded)
            node = schemas[pointer]
        else:
            try:
                node = spec.resolve("#" + pointer)
            except (KeyError, ValueError):
                graph[pointer] = []
                continue
        edges = _targets(node, all_of_only=all_of_only)
        graph[pointer] = edges
        pending.extend(edges)
    return graph


def _name(pointer: str) -> str:
    return decoded_token(pointer.rsplit("/", 1)[-1])


def check_reference_graph(spec: Spec) -> Iterator[Diagnostic]:
    """E106, E107 and E108 for the spec's schemas."""
    yield from _check_chains(spec)
    yield from _check_all_of_cycles(spec)


def is_alias(node: Any) -> bool:
    """A schema that is a `$ref` and gives no type of its own (`A: {$ref: B}`)."""
    return (
        isinstance(node, dict)
        and isinstance(node.get("$ref"), str)
        and not any(
            key in node for key in ("type", "properties", "items", "allOf", "anyOf", "oneOf")
        )
    )


def _check_chains(spec: Spec) -> Iterator[Diagnostic]:
    graph = _graph(spec, all_of_only=False)
    groups = strongly_connected(graph)
    group_of = {member: i for i, group in enumerate(groups) for member in group}
    # longest chain from each group (groups come in reverse topological order)
    length: list[int] = []
    next_group: list[int | None] = []
    for i, group in enumerate(groups):
        best, via = 0, None
        for member in group:
            for target in graph.get(member, []):
                other = group_of[target]
                if other != i and length[other] > best:
                    best, via = length[other], other
        length.append(best + len(group))
        next_group.append(via)
        cyclic = len(group) > 1 or group[0] in graph.get(group[0], [])
        if cyclic and all(is_alias(_resolved(spec, m)) for m in group):
            cycle = " → ".join(_name(m) for m in [*sorted(group), sorted(group)[0]])
            found = spec.diagnostic(
                "E108", sorted(group)[0], f"circular $ref with no schema in it: {cycle}"
            )
            yield replace(found, repair="read as any value")
    inside_longer = {
        after
        for before, after in enumerate(next_group)
        if after is not None and length[before] > MAX_REF_CHAIN
    }
    reported: set[int] = set()
    for i in range(len(groups)):
        if length[i] <= MAX_REF_CHAIN or i in inside_longer:
            continue  # report each long chain once, where it starts
        chain: list[str] = []
        step: int | None = i
        while step is not None and step not in reported:
            reported.add(step)
            chain.append(min(groups[step]))
            step = next_group[step]
        names = [_name(p) for p in chain]
        shown = names if len(names) <= 2 * _SHOWN else [*names[:_SHOWN], "…", *names[-_SHOWN:]]
        yield spec.diagnostic(
            "E106",
            chain[0],
            f"chain of {length[i]} schemas referencing one another ({' → '.join(shown)})"
            f" exceeds the limit of {MAX_REF_CHAIN}: later stages follow it recursively",
            hint=_chain_hint(spec, chain),
        )


def _chain_hint(spec: Spec, chain: list[str]) -> str:
    """How to cut a long chain, naming the keywords its links go through (`allOf`,
    `oneOf`…): those are followed however many properties the schemas have."""
    keys: dict[str, None] = {}
    for here, after in pairwise(chain):
        node = _resolved(spec, here)
        for key, value in node.items() if isinstance(node, dict) else ():
            if key == "$ref" and value == "#" + after:
                keys["$ref"] = None
            elif key not in _FIELD_KEYS and after in _targets(value, all_of_only=False):
                keys[key] = None
    if list(keys) == ["$ref"] and all(is_alias(_resolved(spec, p)) for p in chain[:-1]):
        return "each schema but the last only names the next: reference the last one directly"
    links = ", ".join(f"`{key}`" for key in keys) or "references outside `properties`"
    return (
        "merge some of its schemas, or reference a later one directly: its links go through"
        f" {links}, which later stages follow whatever properties the schemas have (only a"
        " reference from inside `properties` starts a new chain)"
    )


def _resolved(spec: Spec, pointer: str) -> Any:
    try:
        return spec.resolve("#" + pointer)
    except (KeyError, ValueError):
        return None


def _check_all_of_cycles(spec: Spec) -> Iterator[Diagnostic]:
    graph = _graph(spec, all_of_only=True)
    for group in strongly_connected(graph):
        first = min(group)
        if len(group) == 1 and first not in graph.get(first, []):
            continue
        if all(is_alias(_resolved(spec, member)) for member in group):
            continue  # `A: {$ref: B}`, `B: {$ref: A}` is E108's
        cycle = " → ".join(_name(m) for m in [*sorted(group), first])
        yield spec.diagnostic(
            "E107",
            first,
            f"schema {_name(first)!r} includes itself through allOf ({cycle}):"
            " a schema cannot extend itself",
        )
