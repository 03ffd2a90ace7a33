"""Rules on what a document's values name, which no metaschema checks: a discriminator's
`mapping` values (W109) and `propertyName` (W112), a server variable's `default` (W202),
and path templates that name the same paths (W317).

- A `mapping` value names a schema: a local `$ref` (`#/components/schemas/Dog`) or a
  component's name (`Dog`). One that names nothing is ignored: the member is tagged by its
  schema's name, which the server may not send.
- A `oneOf`/`anyOf` discriminator's `propertyName` is a property of the members (OpenAPI:
  the payload holds it). One that no member declares (a typo: `kind` for `type`) tells
  nothing apart: it is ignored, and the members are told apart by their shapes (before,
  every value was refused as sent, for lacking a tag no member has).
- OpenAPI says a server variable's `default` MUST be among its `enum`: the client's
  default URL is built from the default all the same.
- OpenAPI says templated paths with the same hierarchy but different parameter names
  (`/users/{id}`, `/users/{name}`) MUST NOT exist: each operation is sent as it says, but
  a server routes both to one, and so does the test kit's `MockAPI`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostic
from .load import Spec, deref, join_pointer, resolve_pointer

__all__ = ["check_targets"]


def check_targets(spec: Spec) -> Iterator[Diagnostic]:
    """W109 for each discriminator mapping value that names no schema, W112 for each
    discriminator property that no member of its `oneOf`/`anyOf` declares, W202 for each
    server variable whose default is not among its enum, W317 for each path template
    that names the paths of an earlier one."""
    yield from _same_paths(spec)
    schemas = _component_schemas(spec.document)
    schema_nodes = _SchemaNodes(spec)
    for pointer, node, is_schema in spec.nodes():
        if is_schema:
            yield from _mapping(spec, pointer, node, schemas, schema_nodes)
            yield from _property_name(spec, pointer, node)
        servers = node.get("servers")
        if isinstance(servers, list):
            for index, server in enumerate(servers):
                if isinstance(server, dict):
                    yield from _variables(spec, join_pointer(pointer, "servers", index), server)


class _SchemaNodes:
    """The document's schema objects, by identity: gathered at the first question (a
    mapping to a local pointer), then kept."""

    def __init__(self, spec: Spec) -> None:
        self._spec = spec
        self._ids: set[int] | None = None

    def holds(self, node: Any) -> bool:
        """Is `node` one of the document's schemas?"""
        if self._ids is None:
            self._ids = {id(n) for _, n, is_schema in self._spec.nodes() if is_schema}
        return id(node) in self._ids


def _component_schemas(document: dict[str, Any]) -> dict[str, Any]:
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def _mapping(
    spec: Spec,
    pointer: str,
    node: dict[str, Any],
    schemas: dict[str, Any],
    schema_nodes: _SchemaNodes,
) -> Iterator[Diagnostic]:
    discriminator = node.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    if not isinstance(mapping, dict):
        return
    for tag, target in mapping.items():
        if not isinstance(target, str) or _names_a_schema(
            spec.document, target, schemas, schema_nodes
        ):
            continue
        yield spec.diagnostic(
            "W109",
            join_pointer(pointer, "discriminator", "mapping", str(tag)),
            f"discriminator mapping {tag!r} → {target!r} names no schema: ignored (a member"
            " is tagged by its schema's name)",
            warning=True,
        )


def _property_name(spec: Spec, pointer: str, node: dict[str, Any]) -> Iterator[Diagnostic]:
    discriminator = node.get("discriminator")
    prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    if not isinstance(prop, str) or declares_property(spec.document, node, prop):
        return  # (the union's own properties hold it: the members need not)
    for key in ("oneOf", "anyOf"):
        options = node.get(key)
        if not isinstance(options, list) or len(options) < 2:
            continue
        resolved = [_resolved(spec.document, option) for option in options]
        objects = [option for option in resolved if option is not None]
        if len(objects) < len(resolved):
            return  # (an option that is no object: E105's or E201's to say)
        if not any(declares_property(spec.document, option, prop) for option in objects):
            yield spec.diagnostic(
                "W112",
                join_pointer(pointer, "discriminator", "propertyName"),
                f"discriminator property {prop!r} is declared by none of the {key} members:"
                " ignored (the members are told apart by their shapes)",
                warning=True,
            )
        return


def declares_property(document: dict[str, Any], schema: dict[str, Any], prop: str) -> bool:
    """Does `schema` (or a schema of its `allOf`, theirs in turn: 16 at most, `$ref`s
    followed) list `prop` among its `properties`?"""
    pending, seen = [schema], 0
    while pending and seen < 16:
        current, seen = pending.pop(), seen + 1
        properties = current.get("properties")
        if isinstance(properties, dict) and prop in properties:
            return True
        members = current.get("allOf")
        for member in members if isinstance(members, list) else ():
            pending.append(deref(document, member))  # ({} where it resolves to nothing)
    return False


def _resolved(document: dict[str, Any], schema: Any) -> dict[str, Any] | None:
    """`schema`, its local `$ref` followed (a few hops); None when that is no object
    (`load.deref` gives `{}` for both: an option that resolves to nothing is E105's or
    E201's to say, where an empty schema is a member like another)."""
    for _ in range(8):
        if not isinstance(schema, dict):
            return None
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        try:
            schema = resolve_pointer(document, ref)
        except (KeyError, ValueError, IndexError, TypeError):
            return None
    return schema if isinstance(schema, dict) else None


def _names_a_schema(
    document: dict[str, Any], target: str, schemas: dict[str, Any], schema_nodes: _SchemaNodes
) -> bool:
    """Does a mapping value name a schema: a local pointer to one (`#/info` is no schema),
    another document's (bundled by the loader), or a component's name?"""
    if target.startswith("#"):
        try:
            return schema_nodes.holds(resolve_pointer(document, target))
        except (KeyError, ValueError, IndexError, TypeError):
            return False
    if "#" in target or "/" in target:  # another document's: the loader has bundled it
        return True
    return target in schemas


def _variables(spec: Spec, pointer: str, server: dict[str, Any]) -> Iterator[Diagnostic]:
    variables = server.get("variables")
    if not isinstance(variables, dict):
        return
    for name, variable in variables.items():
        if not isinstance(variable, dict):
            continue
        enum, default = variable.get("enum"), variable.get("default")
        if isinstance(enum, list) and enum and "default" in variable and default not in enum:
            yield spec.diagnostic(
                "W202",
                join_pointer(pointer, "variables", str(name), "default"),
                f"server variable {name!r}: default {default!r} is not among its enum values"
                " (OpenAPI: it MUST be); the client's default URL uses it",
                warning=True,
            )


_TEMPLATE = re.compile(r"\{[^{}/]*\}")


def _same_paths(spec: Spec) -> Iterator[Diagnostic]:
    """W317 at each path template equal to an earlier one but for its parameters' names."""
    paths = spec.document.get("paths")
    seen: dict[str, str] = {}
    for path in paths if isinstance(paths, dict) else ():
        if not isinstance(path, str) or "{" not in path:
            continue
        shape = _TEMPLATE.sub("{}", path.split("?", 1)[0])  # (`/a/{id}/` is another path)
        first = seen.setdefault(shape, path)
        if first != path:
            yield spec.diagnostic(
                "W317",
                join_pointer("/paths", path),
                f"path {path!r} names the same paths as {first!r} (only its parameters'"
                " names differ), which OpenAPI forbids: a server (and the test kit's"
                " MockAPI) routes both to one of their operations",
                warning=True,
            )
