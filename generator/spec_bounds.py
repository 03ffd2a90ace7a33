"""The bounds of a loaded spec that scale with its size or fix its shape (`limits`), checked
at the end of `load.load_spec`: its operations, its security schemes, and (for a bundled
document) its JSON pointers. Each is a located E004."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .diagnostics import SpecError
from .limits import (
    MAX_REF_CHAIN,
    MAX_SECURITY_SCHEMES,
    MAX_SERVER_VARIABLES,
    OPERATIONS_BASE,
    OPERATIONS_PER_MB,
    max_operations,
    max_pointer_chars,
    pointer_chars_over,
    pointer_message,
)
from .lint import HTTP_METHODS_32
from .load import deref

if TYPE_CHECKING:
    from .load import Spec


def check_pointer_chars(spec: Spec) -> None:
    """E004 when the bundled document's JSON pointers add up to more than its files' size
    allows (each file's were counted as it was parsed): every walk of it would build them
    (`limits.max_pointer_chars`)."""
    budget = max_pointer_chars(spec.size)
    if pointer_chars_over(spec.document, budget):
        raise SpecError([spec.diagnostic("E004", "", pointer_message(budget))])


def check_counts(spec: Spec) -> None:
    """E004 when the spec declares more operations than its size allows, or more security
    schemes or server variables than the clients can sensibly take as arguments (`limits`)."""
    size = spec.size
    found, limit = operation_count(spec.document), max_operations(size)
    if found > limit:
        message = (
            f"{found:,} operations exceed the limit of {limit:,} for {size:,} bytes of spec "
            f"({OPERATIONS_BASE:,} plus {OPERATIONS_PER_MB:,} a megabyte)"
        )
        pointer = "/paths" if "paths" in spec.document else ""
        raise SpecError([spec.diagnostic("E004", pointer, message)])
    components = spec.document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if isinstance(schemes, dict) and len(schemes) > MAX_SECURITY_SCHEMES:
        message = (
            f"{len(schemes):,} security schemes exceed the limit of {MAX_SECURITY_SCHEMES:,}"
            " (each is an argument of the clients)"
        )
        raise SpecError([spec.diagnostic("E004", "/components/securitySchemes", message)])
    servers = spec.document.get("servers")
    first = servers[0] if isinstance(servers, list) and servers else None
    variables = first.get("variables") if isinstance(first, dict) else None
    if isinstance(variables, dict) and len(variables) > MAX_SERVER_VARIABLES:
        message = (
            f"{len(variables):,} variables of the first server exceed the limit of "
            f"{MAX_SERVER_VARIABLES:,} (each is an argument of the clients)"
        )
        raise SpecError([spec.diagnostic("E004", "/servers/0/variables", message)])


def operation_count(document: dict[str, Any]) -> int:
    """The operations of a document's `paths` and `webhooks`, their callbacks' too (each a
    webhook of the package: 20,000 callbacks in 4.3 MB took 17 s of CPU); a `$ref` to a path
    item or a callback in the document counted as what it names, each time: it is
    generated so."""
    count = 0
    for key in ("paths", "webhooks"):
        items = document.get(key)
        for item in items.values() if isinstance(items, dict) else ():
            count += _operations_of(document, item)
    return count


def _operations_of(document: dict[str, Any], item: Any, depth: int = 0) -> int:
    """The operations of a path item, and of their callbacks (nested at most 3 deep)."""
    item = deref(document, item, MAX_REF_CHAIN)
    extra = item.get("additionalOperations")
    operations = [v for k, v in item.items() if k in HTTP_METHODS_32]
    operations += list(extra.values()) if isinstance(extra, dict) else []
    count = len(operations)
    for operation in operations if depth < 3 else ():
        callbacks = operation.get("callbacks") if isinstance(operation, dict) else None
        for callback in callbacks.values() if isinstance(callbacks, dict) else ():
            for nested in deref(document, callback, MAX_REF_CHAIN).values():
                count += _operations_of(document, nested, depth + 1)
    return count
