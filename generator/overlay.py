"""Stage 3 (entry): the configuration's per-operation overrides laid over the document.

`resources` (operationId → `customers.sources`) and `pagination` (operationId → an
`x-pagination` value: a mapping, or `false`) say what an operation's `x-sdk-resource` and
`x-pagination` extensions would say; they win over the spec's own. Keys are operationIds
or glob patterns of them (an exact key wins over patterns; among patterns, the first in
sorted order).

The document is not changed: the operations concerned, and the mappings above them on
their pointers, are copied, everything else is shared. Nothing is resolved here: the
pointers are those `lint.iter_operations` reports (the loader has bundled every reference).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .lint import iter_operations
from .load import split_pointer

__all__ = ["override_operations"]


def override_operations(
    document: dict[str, Any],
    resources: Iterable[tuple[str, str]] = (),
    pagination: Iterable[tuple[str, str]] = (),
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The document with the overrides laid over its operations, and the configuration
    keys that matched no operation, as (table, key): `("resources", "GetFoo*")`.

    `pagination` values are JSON text (as `Options` keeps them hashable).
    """
    tables = {
        "resources": ("x-sdk-resource", {key: value for key, value in resources}),
        "pagination": (
            "x-pagination",
            {key: json.loads(value) for key, value in pagination},
        ),
    }
    if not any(table for _, table in tables.values()):
        return document, []
    writes: dict[str, dict[str, Any]] = {}
    used: set[tuple[str, str]] = set()
    for path, method, pointer, raw in iter_operations(document):
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str):
            operation_id = f"{method.lower()} {path}"
        for label, (extension, table) in tables.items():
            key = _match(table, operation_id)
            if key is not None:
                used.add((label, key))
                writes.setdefault(pointer, {})[extension] = table[key]
    unmatched = [
        (label, key)
        for label, (_, table) in tables.items()
        for key in sorted(table)
        if (label, key) not in used
    ]
    result = document
    for pointer, values in writes.items():
        result = _with_values(result, split_pointer(pointer), values)
    return result, unmatched


def _match(table: Mapping[str, Any], operation_id: str) -> str | None:
    """The key of `table` that names `operation_id`: itself, else the first pattern."""
    if operation_id in table:
        return operation_id
    return next((k for k in sorted(table) if fnmatch.fnmatchcase(operation_id, k)), None)


def _with_values(node: Any, tokens: list[str], values: Mapping[str, Any]) -> Any:
    """A copy of `node` whose mapping at `tokens` has `values` set (copy on write)."""
    if not tokens:
        return {**node, **values}
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, list):
        index = int(head)
        return [*node[:index], _with_values(node[index], rest, values), *node[index + 1 :]]
    return {**node, head: _with_values(node[head], rest, values)}
