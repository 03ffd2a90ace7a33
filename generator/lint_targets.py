"""Rules on what a document's values name, which no metaschema checks: a discriminator's
`mapping` values (W109), a server variable's `default` (W202), and path templates that
name the same paths (W317).

- A `mapping` value names a schema: a local `$ref` (`#/components/schemas/Dog`) or a
  component's name (`Dog`). One that names nothing is ignored: the member is tagged by its
  schema's name, which the server may not send.
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
from .load import Spec, join_pointer, resolve_pointer

__all__ = ["check_targets"]


def check_targets(spec: Spec) -> Iterator[Diagnostic]:
    """W109 for each discriminator mapping value that names no schema, W202 for each
    server variable whose default is not among its enum, W317 for each path template
    that names the paths of an earlier one."""
    yield from _same_paths(spec)
    schemas = _component_schemas(spec.document)
    schema_nodes = _SchemaNodes(spec)
    for pointer, node, is_schema in spec.nodes():
        if is_schema:
            yield from _mapping(spec, pointer, node, schemas, schema_nodes)
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
