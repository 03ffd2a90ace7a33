"""Validate instance values (examples, defaults) against schemas of a loaded document.

Uses openapi-schema-validator (JSON Schema 2020-12 for OpenAPI 3.1, the OpenAPI
3.0 dialect with `nullable` for 3.0), formats checked, `$ref`s resolved against
the whole document.
"""

from __future__ import annotations

from typing import Any


class SchemaChecker:
    """Checks values against schemas taken from one OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )

        if str(document.get("openapi", "")).startswith("3.0"):
            self._root = OAS30Validator(document, format_checker=oas30_format_checker)
        else:
            self._root = OAS31Validator(document, format_checker=oas31_format_checker)

    def errors(self, schema: Any, value: Any) -> list[str]:
        """Messages for every way `value` fails `schema` (empty when it is valid)."""
        try:
            validator = self._root.evolve(schema=schema)
            found = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        except Exception as exc:  # a broken schema must not crash the linter
            return [f"schema cannot be checked ({type(exc).__name__}: {exc})"]
        messages = []
        for error in found:
            where = "".join(
                f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
            )
            messages.append(f"{where.lstrip('.') or '(root)'}: {error.message}")
        return messages
