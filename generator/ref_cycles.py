"""Lint rule E106: `$ref`s that only ever point at other `$ref`s, in a circle.

`A: {$ref: B}` with `B: {$ref: A}`, or a request body schema whose `$ref` names
itself, describe no type at all: every schema on the circle is only a reference
to the next. Generation cannot give such a schema a meaning (a class would
validate into endless recursion), so it is an error that names each place.
A cycle through a real schema (`A` with a property of type `A`) is fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from .diagnostics import Diagnostic
from .load import Spec, join_pointer


def check_ref_cycles(spec: Spec, refs: list[tuple[str, str]]) -> Iterator[Diagnostic]:
    """E106 for each circle of `$ref`s (holder pointer, ref) that reference only each other."""
    target_of = {holder: ref[1:] for holder, ref in refs if ref.startswith("#")}
    state: dict[str, int] = {}  # 1: on the current walk, 2: known to end or known cyclic
    cyclic: list[list[str]] = []
    for start in target_of:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in target_of and not state.get(node):
            state[node] = 1
            path.append(node)
            node = target_of[node]
        if node is not None and state.get(node) == 1:  # closed a circle on this walk
            cyclic.append(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    for circle in cyclic:  # one diagnostic a circle, where the walk first entered it
        shown = " -> ".join("#" + pointer for pointer in [*circle, circle[0]])
        yield spec.diagnostic(
            "E106",
            join_pointer(circle[0], "$ref"),
            f"circular $ref: {shown} never reaches a schema",
        )
