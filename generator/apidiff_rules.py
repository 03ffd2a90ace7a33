"""The API diff's rules: every change it reports is classified by exactly one of these.

A rule has a code (`parameter-added-required`), a level (breaking, compatible or unknown)
and a one-line reason. Type rules exist once per position a type can hold, because the
same change means opposite things for what a caller sends and what it receives: a wider
parameter accepts everything it accepted before, a wider response field hands the caller
values its code has never seen.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from . import apidiff_types as k
from . import typeir as t


class Level(enum.Enum):
    """How a change affects code written against the old package."""

    BREAKING = "breaking"
    UNKNOWN = "unknown"
    COMPATIBLE = "compatible"

    @property
    def rank(self) -> int:
        """Breaking first, then unknown, then compatible."""
        return ("breaking", "unknown", "compatible").index(self.value)


B, C, U = Level.BREAKING, Level.COMPATIBLE, Level.UNKNOWN


@dataclass(frozen=True)
class Rule:
    """A named classification: `code`, its `level` and why."""

    code: str
    level: Level
    reason: str


RULES: dict[str, Rule] = {}


def _add(code: str, level: Level, reason: str) -> None:
    RULES[code] = Rule(code, level, reason)


def rule(code: str) -> Rule:
    """The rule named `code` (KeyError for an unknown code: a bug in the differ)."""
    return RULES[code]


# positions a type can hold, and whether values flow from the caller (input) or to it
INPUT_POSITIONS = ("parameter", "request-body", "request-field", "request-alias")
OUTPUT_POSITIONS = ("response", "response-field", "response-alias", "error")

_INPUT_TYPE_RULES = {
    k.WIDENED: (C, "every value accepted before is still accepted"),
    k.NARROWED: (B, "values accepted before are now refused"),
    k.CHANGED: (B, "the type changed: values accepted before are refused"),
    k.NULLABLE_ADDED: (C, "None is now accepted as well"),
    k.NULLABLE_REMOVED: (B, "None is no longer accepted"),
    k.LOOSENED: (C, "looser constraints accept every value accepted before"),
    k.TIGHTENED: (B, "stricter constraints refuse values accepted before"),
    k.CONSTRAINT_CHANGED: (U, "a pattern, multiple or other metadata changed"),
}
_OUTPUT_TYPE_RULES = {
    k.NARROWED: (C, "every value returned now was possible before"),
    k.WIDENED: (B, "values the caller's code has never seen may now be returned"),
    k.CHANGED: (B, "the type changed: code reading the value breaks"),
    k.NULLABLE_REMOVED: (C, "None is no longer returned"),
    k.NULLABLE_ADDED: (B, "None may now be returned"),
    k.TIGHTENED: (C, "stricter constraints: every value returned was possible before"),
    k.LOOSENED: (U, "looser constraints: values outside the old bounds may be returned"),
    k.CONSTRAINT_CHANGED: (U, "a pattern, multiple or other metadata changed"),
}
for _position in INPUT_POSITIONS:
    for _outcome, (_level, _reason) in _INPUT_TYPE_RULES.items():
        _add(f"{_position}-{_outcome}", _level, _reason)
for _position in OUTPUT_POSITIONS:
    for _outcome, (_level, _reason) in _OUTPUT_TYPE_RULES.items():
        _add(f"{_position}-{_outcome}", _level, _reason)

# methods
_add("method-removed", B, "calls to the method fail")
_add("method-added", C, "a new method breaks no existing call")
_add("method-deprecated", C, "the method still works; it is marked deprecated")
_add("method-route-changed", C, "the HTTP method or path changed; the Python call is the same")
_add("method-security-tightened", B, "calls with credentials that sufficed are refused unsent")
_add("method-security-loosened", C, "the credentials that sufficed still do")
_add("method-moved", B, "calls at the old resource or name fail; the same operation is elsewhere")
# pagination (what a list method returns)
_add("method-paginated", B, "returns a page (iterate it, or read `.items`), not the body")
_add("method-unpaginated", B, "returns the response body, not a page that fetches the next ones")
_add("pagination-changed", C, "pages are fetched another way; iterating them is the same")
# positional arguments (path parameters, before `*`)
_add("parameter-position-changed", B, "calls passing the argument by position pass another")
_add("parameter-made-keyword-only", B, "calls passing the argument by position fail")
_add("parameter-made-positional", C, "calls passing the argument by keyword still work")
# parameters (keyword arguments, by Python name)
_add("parameter-removed", B, "calls passing the argument fail")
_add("parameter-added-required", B, "existing calls lack the new required argument")
_add("parameter-added-optional", C, "a new optional argument breaks no existing call")
_add("parameter-made-required", B, "calls omitting the argument fail")
_add("parameter-made-optional", C, "calls giving the argument still work")
_add("parameter-location-changed", C, "sent elsewhere (path, query, header, body); same argument")
_add("parameter-renamed", B, "calls passing the old name fail, or fill another argument")
# request body (`body=`)
_add("request-body-removed", B, "calls passing `body=` fail")
_add("request-body-added-required", B, "existing calls lack the now required `body=`")
_add("request-body-added-optional", C, "a new optional `body=` breaks no existing call")
_add("request-body-made-required", B, "calls omitting `body=` fail")
_add("request-body-made-optional", C, "calls giving `body=` still work")
# errors
_add("error-added", C, "a newly documented error status; APIStatusError was possible before")
_add("error-removed", C, "an error status is no longer documented")
# models (classes in `<package>.models`)
_add("model-removed", B, "imports of the class fail")
_add("model-added", C, "a new class breaks no import")
_add("model-kind-changed", B, "the class changed between model, enum and alias")
_add("model-base-removed", B, "isinstance checks and inherited attributes break")
_add("model-base-added", C, "the class gained a base class")
_add("enum-member-renamed", B, "the member's Python name changed for the same value")
for _side, _reading in (("request", "sent"), ("response", "received")):
    _add(f"{_side}-field-removed", B, f"code naming the attribute of a {_reading} model fails")
    _add(f"{_side}-enum-member-removed", B, "code naming the member fails")
    _add(f"{_side}-enum-member-added", C, "a new member breaks no existing code")
_add("request-field-added-required", B, "existing constructors lack the new required field")
_add("request-field-added-optional", C, "a new optional field breaks no constructor")
_add("request-field-made-required", B, "constructors omitting the field fail")
_add("request-field-made-optional", C, "constructors giving the field still work")
_add("response-field-added-required", C, "a new field is always present; nothing breaks")
_add("response-field-added-optional", C, "a new field breaks no code that reads the model")
_add("response-field-made-optional", B, "the field may now be None")
_add("response-field-made-required", C, "the field is now always present")
# credentials (constructor arguments of Client / AsyncClient)
_add("auth-scheme-removed", B, "clients built with that credential argument fail")
_add("auth-scheme-added", C, "a new optional credential argument")
_add("auth-argument-renamed", B, "the credential's constructor argument has a new name")
_add("auth-scheme-changed", U, "the credential is sent differently (kind, location or name)")
# webhooks (what `webhooks.parse` takes by name)
_add("webhook-removed", B, "parsing it by name fails; its payload class may be gone")
_add("webhook-added", C, "a new event to parse; the events known before parse as they did")
# servers (where calls go)
_add("server-changed", U, "calls go to another base URL unless the client is given one")
_add("method-server-changed", U, "the method's calls go to another server")


@dataclass(frozen=True)
class Change:
    """One difference between the two APIs and the rule that classified it."""

    rule: Rule
    group: str  # resource or tag of the method; `models` or `client` for the rest
    subject: str  # what changed: `get_user`, `get_user(limit)`, `models.User.name`
    message: str

    @property
    def level(self) -> Level:
        """The rule's classification."""
        return self.rule.level

    def sort_key(self) -> tuple[str, int, str, str]:
        """By group, breaking first, then subject and rule."""
        return (self.group, self.level.rank, self.subject, self.rule.code)


def type_change(
    group: str, subject: str, position: str, old: t.TypeNode, new: t.TypeNode
) -> Iterator[Change]:
    """The change (none or one) from type `old` to `new` where `position` holds them."""
    outcome = k.compare_types(old, new)
    if outcome is not None:
        if outcome in (k.TIGHTENED, k.LOOSENED, k.CONSTRAINT_CHANGED):
            message = f"constraints: {k.constraint_message(old, new)}"
        else:
            message = type_message(old, new)
        yield Change(rule(f"{position}-{outcome}"), group, subject, message)


class _Plain:
    """Spells types for messages: symbols by name, models by class name."""

    def symbol(self, symbol: t.Symbol) -> str:
        return symbol.name

    def model(self, name: str) -> str:
        return name

    def builtin(self, name: str) -> str:
        return name


def show_type(node: t.TypeNode, limit: int = 80) -> str:
    """A type as a short message text (`str | None`), cut at `limit` characters."""
    text = k.strip(node).render(_Plain())  # constraints are reported on their own
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_message(old: t.TypeNode, new: t.TypeNode) -> str:
    """`old` → `new`, for a message."""
    return f"`{show_type(old)}` → `{show_type(new)}`"
