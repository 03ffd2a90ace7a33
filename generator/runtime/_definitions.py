"""Model schemas built without recursing through the models they hold: each is a
definition built after the model that holds it (`schema_of`, `ApiModel`'s schema hook).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import contextvars
from typing import Any, cast

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["schema_of"]


# Pydantic builds a model's schema in one recursive descent through the models it holds
# (about 11 Python frames a model), and pydantic-core builds the validator by descending that
# schema again: a chain of 90 models ran out of Python's stack, and one of 400 built from the
# bottom up crashed pydantic-core. So a model's schema refers to the models it holds, as
# definitions built one after another (`_schema_of`); a reference that carries metadata stays
# a reference (pydantic inlines the others; before pydantic 2.11 only its own keys counted).
_KEEP_REFERENCE = "pydantic_js_functions"


class _SchemaBuild:
    """A schema being built: is a model's own schema under way (a model it holds is then
    deferred), and the models deferred, each with the reference that waits for its name."""

    __slots__ = ("deferred", "within")

    def __init__(self) -> None:
        self.within = False
        self.deferred: list[tuple[type[BaseModel], core_schema.DefinitionReferenceSchema]] = []


_SCHEMA_BUILD: contextvars.ContextVar[_SchemaBuild | None] = contextvars.ContextVar(
    "schema_build", default=None
)


def schema_of(model: type[BaseModel], handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    """The schema of `model` (`ApiModel.__get_pydantic_core_schema__`), in which each model it
    holds is a reference to a definition built after it, in a loop rather than a recursion:
    no chain or cycle of models, however long, deepens either descent by more than one model.
    Validation and serialisation then follow pydantic-core's limit for recursive models (255
    models deep)."""
    build = _SCHEMA_BUILD.get()
    if build is not None:
        if not build.within:
            return _own_schema(model, handler, build)
        # named once the schema is built (pydantic names it)
        reference = core_schema.definition_reference_schema("", metadata={_KEEP_REFERENCE: []})
        build.deferred.append((model, reference))
        return reference
    build = _SchemaBuild()
    token = _SCHEMA_BUILD.set(build)
    try:
        schema = _own_schema(model, handler, build)
        deferred = build.deferred
        while deferred:  # (building one may defer more)
            held, reference = deferred.pop()
            built = handler.resolve_ref_schema(handler.generate_schema(held))
            reference["schema_ref"] = cast("dict[str, Any]", built)["ref"]
        return schema
    finally:
        _SCHEMA_BUILD.reset(token)


def _own_schema(
    model: type[BaseModel], handler: GetCoreSchemaHandler, build: _SchemaBuild
) -> core_schema.CoreSchema:
    build.within = True
    try:
        return handler(model)
    finally:
        build.within = False
