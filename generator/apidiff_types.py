"""Type changes for the API diff: how a type node of the old IR relates to the new one.

Everything here works on `typeir` nodes; nothing is re-parsed from generated text. A type
change is described by what it does to the set of values the type admits, and the caller
(`apidiff`) decides what that means where the type sits: widening a parameter is harmless,
widening a response field is not.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from . import typeir as t

# the outcome of comparing two types, from the point of view of the values they admit
WIDENED = "type-widened"  # every old value is still admitted, and more
NARROWED = "type-narrowed"  # every new value was admitted before, not the other way round
CHANGED = "type-changed"  # neither: some old values are refused and some new ones appear
NULLABLE_ADDED = "nullable-added"  # the same type, now admitting None
NULLABLE_REMOVED = "nullable-removed"
TIGHTENED = "constraint-tightened"  # the same type with stricter constraints
LOOSENED = "constraint-loosened"
CONSTRAINT_CHANGED = "constraint-changed"  # a pattern, a multiple or other metadata changed

_INT64 = (-(2**63), 2**63 - 1)  # a 64-bit integer's range (`format: int64`)

# constraint keywords (pydantic `Field` arguments) and which way is stricter
_LOWER_BOUNDS = frozenset({"ge", "gt", "min_length"})
_UPPER_BOUNDS = frozenset({"le", "lt", "max_length"})


def compare_types(old: t.TypeNode, new: t.TypeNode) -> str | None:
    """How `new` relates to `old`: one of the outcome constants, or None when they are equal.

    Constraints (`Annotated` metadata) only decide when the bare types are equal.
    """
    if old == new:
        return None
    bare_old, bare_new = strip(old), strip(new)
    if bare_old == bare_new:
        return compare_constraints(old, new)
    if t.without_none(bare_old) == t.without_none(bare_new):
        return NULLABLE_ADDED if t.admits_none(bare_new) else NULLABLE_REMOVED
    wider = within(bare_old, bare_new)
    narrower = within(bare_new, bare_old)
    if wider and narrower:
        return None  # the same values, spelled differently
    if wider:
        return WIDENED
    return NARROWED if narrower else CHANGED


# what `within` asks of the models of both IRs: the classes each derives from (by name, in
# either IR), and the enums of strings or integers, each a subclass of `str` or `int`
_HIERARCHY: contextvars.ContextVar[tuple[dict[str, set[str]], dict[str, t.TypeNode]]] = (
    contextvars.ContextVar("apidiff_hierarchy", default=({}, {}))
)


@contextmanager
def hierarchy(models: Iterable[Any]) -> Iterator[None]:
    """Compare types knowing the classes of `models` (both IRs'): a generated subclass
    (`class VipCustomer(Customer)`, GitHub's `IssuesUpdateResponse(Issue)`) and a string
    enum (`ApiEnum`, a `str`) are subtypes, not a changed type (diff audit 8)."""
    bases: dict[str, set[str]] = {}
    values: dict[str, t.TypeNode] = {}
    for model in models:
        bases.setdefault(model.name, set()).update(model.bases)
        if model.kind == "enum":
            values[model.name] = t.INT if model.enum_base == "int" else t.STR
    token = _HIERARCHY.set((bases, values))
    try:
        yield
    finally:
        _HIERARCHY.reset(token)


def _subclass(name: str, parent: t.TypeNode) -> bool:
    """Does generated model `name` derive from `parent` (a model, `str` or `int`)?"""
    bases, values = _HIERARCHY.get()
    if values.get(name) == parent or (values.get(name) == t.INT and parent == t.FLOAT):
        return True
    if not isinstance(parent, t.ModelRef):
        return False
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current == parent.name:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(bases.get(current, ()))
    return False


def within(child: t.TypeNode, parent: t.TypeNode) -> bool:
    """Conservatively: is every value of `child` a value of `parent`?

    Leaves are decided by `typeir.is_subtype`; containers are compared by their values
    (covariantly: a `list[int]` is a list of floats), unions member by member.
    """
    if child == parent or parent == t.ANY:
        return True
    if isinstance(parent, t.Union):
        members = child.members if isinstance(child, t.Union) else (child,)
        # (a member found as it is first: each was compared with every other, 21 s for a
        # `oneOf` of 4,000 objects gaining one; diff audit 10)
        same = set(parent.members)
        return all(m in same or any(within(m, p) for p in parent.members) for m in members)
    if isinstance(child, t.Union):
        return all(within(m, parent) for m in child.members)
    if isinstance(child, t.Generic) and isinstance(parent, t.Generic):
        return (
            child.origin == parent.origin
            and len(child.args) == len(parent.args)
            and all(within(c, p) for c, p in zip(child.args, parent.args, strict=True))
        )
    return t.is_subtype(child, parent, _subclass)


def strip(node: t.TypeNode) -> t.TypeNode:
    """The type without its `Annotated` metadata, at any depth (a sized integer is an `int`
    with bounds: `constraints`)."""
    while isinstance(node, t.Annotated):
        node = node.base
    if t.sized_int_bounds(node) is not None:
        return t.INT
    if isinstance(node, t.Union):
        return t.union(strip(m) for m in node.members)
    if isinstance(node, t.Generic):
        return t.Generic(node.origin, tuple(strip(a) for a in node.args))
    if isinstance(node, t.Subscript):
        return t.Subscript(node.symbol, tuple(strip(a) for a in node.args))
    return node


def constraints(node: t.TypeNode) -> dict[tuple[tuple[int, ...], str], Any]:
    """Every constraint under `node`, keyed by (position in the bare type, keyword).

    Positions are child indexes, so two types with equal bare types line up. Metadata other
    than `Field` keywords (`Strict()`, a discriminator, a secret's pattern) is keyed by the
    name of its callable.
    """
    found: dict[tuple[tuple[int, ...], str], Any] = {}
    stack: list[tuple[t.TypeNode, tuple[int, ...]]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        while isinstance(current, t.Annotated):
            for call in current.metadata:
                if call.symbol == t.S.FIELD:
                    found.update(((path, key), value) for key, value in call.kwargs)
                elif call.symbol == t.S.SECRET_PATTERN and call.args:
                    found[(path, "pattern")] = call.args[0]
                else:
                    found[(path, call.symbol.name)] = call
            current = current.base
        limits = t.sized_int_bounds(current)
        if limits is not None:  # the format's range, where the schema's own says no more
            if limits != _INT64:  # (no caller sends more: `int64` added to GitHub's ids was
                # 13 of its 374 "breaking" constraints; diff audit 11)
                found.setdefault((path, "ge"), limits[0])
                found.setdefault((path, "le"), limits[1])
            found.setdefault((path, t.S.STRICT.name), t.Call(t.S.STRICT))
        children = enumerate(current.children())
        stack.extend((child, (*path, index)) for index, child in children)
    return found


def compare_constraints(old: t.TypeNode, new: t.TypeNode) -> str | None:
    """Tightened, loosened or changed constraints of two types with equal bare types."""
    before, after = constraints(old), constraints(new)
    directions: set[str] = set()
    for key in before.keys() | after.keys():
        keyword = key[1]
        if key not in after:
            directions.add(LOOSENED if _is_bound(keyword) else CONSTRAINT_CHANGED)
        elif key not in before:
            directions.add(TIGHTENED if _is_bound(keyword) else CONSTRAINT_CHANGED)
        elif before[key] != after[key]:
            directions.add(_bound_direction(keyword, before[key], after[key]))
    if not directions:
        return None
    return directions.pop() if len(directions) == 1 else CONSTRAINT_CHANGED


def constraint_message(old: t.TypeNode, new: t.TypeNode) -> str:
    """The constraints that differ, as `max_length 3 → 2, pattern added`."""
    before, after = constraints(old), constraints(new)
    parts = []
    for key in sorted(before.keys() | after.keys(), key=repr):
        keyword = key[1]
        if key not in after:
            parts.append(f"{keyword} {before[key]!r} removed")
        elif key not in before:
            parts.append(f"{keyword} {after[key]!r} added")
        elif before[key] != after[key]:
            parts.append(f"{keyword} {before[key]!r} → {after[key]!r}")
    return ", ".join(parts)


def _is_bound(keyword: str) -> bool:
    return keyword in _LOWER_BOUNDS or keyword in _UPPER_BOUNDS


def _bound_direction(keyword: str, before: Any, after: Any) -> str:
    numbers = (int, float)
    if not (isinstance(before, numbers) and isinstance(after, numbers)):
        return CONSTRAINT_CHANGED
    if keyword in _LOWER_BOUNDS:
        return TIGHTENED if after > before else LOOSENED
    if keyword in _UPPER_BOUNDS:
        return TIGHTENED if after < before else LOOSENED
    return CONSTRAINT_CHANGED
