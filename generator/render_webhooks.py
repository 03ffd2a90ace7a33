"""What `webhooks.py.jinja` sees: its imports, and a scope that names every model as
`_models.X` (the module defines `WEBHOOKS` and `parse`, and any name may be a model's)."""

from __future__ import annotations

from typing import Any

from . import typeir as t
from .imports import render_imports
from .ir import Api
from .render import Scope
from .typeir import S


class _ModelsByModule(Scope):
    """Spellings of a module that names models as `_models.X` (any name may be a model)."""

    def model(self, name: str) -> str:
        return f"_models.{name}"


def webhook_context(api: Api) -> dict[str, Any]:
    """What `webhooks.py.jinja` needs beyond the package context."""
    declared = {
        *t.symbols_of([api.webhook_event_type]),
        S.MAPPING,
        S.CAST,
        S.WEBHOOK_INFO,
        S.PARSE_EVENT,
        S.WEBHOOK_ERROR,
        S.WEBHOOK_VERIFICATION_ERROR,
    }
    scope = _ModelsByModule((), declared)
    members: dict[str, dict[tuple[str, str], None]] = {}
    if any(isinstance(node, t.ModelRef) for node in t.walk([api.webhook_event_type])):
        members["."] = {("models", "_models"): None}  # (unused, ruff's F401: only when named)
    for symbol in declared:
        members.setdefault(symbol.module, {})[(symbol.name, scope.symbol(symbol))] = None
    return {"webhook_scope": scope, "webhook_imports": render_imports(members)}
