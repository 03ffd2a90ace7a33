"""The bounds of a loaded spec that scale with its size or fix its shape (`limits`), checked
at the end of `load.load_spec`: its operations, its security schemes, and (for a bundled
document) its JSON pointers. Each is a located E004."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagnostics import SpecError
from .limits import (
    MAX_SECURITY_SCHEMES,
    MAX_SERVER_VARIABLES,
    OPERATIONS_BASE,
    OPERATIONS_PER_MB,
    max_operations,
    max_pointer_chars,
    operation_count,
    pointer_chars_over,
    pointer_message,
)

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
