"""Unions that contain themselves (W110): `Pet: oneOf [Cat, Pet]`, or through other unions
(`A: oneOf [Cat, B]`, `B: oneOf [Dog, A]`).

Such a union holds what its other members hold (the least solution of `Pet = Cat | Pet` is
`Cat`), but written as it is, pydantic recursed into the member without reading any input:
a `RootModel` whose root named itself crashed the interpreter (a segmentation fault) on the
first value no other member took, and a cycle of two raised `recursion_loop` on any such
value. Every alias or root model of a cycle of unions gets the members of the whole cycle
that lead out of it; a cycle with none left holds any value (`Any`), as a circle of bare
`$ref`s does (E108). A member inside a list or a model's field reads input first: only the
members a union holds directly (through `Annotated`, and other unions) form a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from . import typeir as t
from .graphs import strongly_connected
from .ir_models import Model
from .typeir import TypeNode

__all__ = ["collapse_union_cycles"]

_UNIONS = ("alias", "root")


def collapse_union_cycles(models: list[Model]) -> tuple[list[Model], list[tuple[str, str]]]:
    """`models` with each union that contains itself rewritten (see the module), and a
    (schema pointer, message) for each model rewritten."""
    unions = {m.name: m for m in models if m.kind in _UNIONS and m.type is not None}
    edges = {
        name: [ref for ref in _direct_refs(model.type) if ref in unions]
        for name, model in unions.items()
        if model.type is not None
    }
    rewritten: dict[str, Model] = {}
    notes: list[tuple[str, str]] = []
    for cycle in _cycles(edges):
        names = [name for name in unions if name in cycle]  # the models' order: reproducible
        members: list[TypeNode] = []
        for name in names:
            members.extend(_outside(unions[name].type, cycle))
        node = t.union(members) if members else t.ANY
        shown = ", ".join(sorted(cycle))
        for name in names:
            rewritten[name] = replace(unions[name], type=node)
            message = (
                f"the union contains itself (through {shown}): it holds what its other"
                " members hold" + ("" if members else "; none is left: any value")
            )
            notes.append((unions[name].source, message))
    if not rewritten:
        return models, []
    return [rewritten.get(m.name, m) for m in models], notes


def _members(node: TypeNode | None) -> Iterator[tuple[TypeNode, TypeNode]]:
    """(member, its type without `Annotated`) for each member a type holds directly: through
    unions (and the `Annotated` around them), not containers. A member keeps its own
    constraints (`Annotated[int, Strict()]`)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        bare = current
        while isinstance(bare, t.Annotated):
            bare = bare.base
        if isinstance(bare, t.Union):
            stack.extend(reversed(bare.members))
        else:
            yield current, bare


def _direct_refs(node: TypeNode | None) -> list[str]:
    return [bare.name for _, bare in _members(node) if isinstance(bare, t.ModelRef)]


def _outside(node: TypeNode | None, cycle: frozenset[str]) -> list[TypeNode]:
    """The direct members of `node` that are not models of `cycle`."""
    return [
        member
        for member, bare in _members(node)
        if not (isinstance(bare, t.ModelRef) and bare.name in cycle)
    ]


def _cycles(edges: dict[str, list[str]]) -> list[frozenset[str]]:
    """The strongly connected components of `edges` that hold a cycle: a single node only
    when it references itself."""
    return [
        frozenset(component)
        for component in strongly_connected(edges)
        if len(component) > 1 or component[0] in edges[component[0]]
    ]
