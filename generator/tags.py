"""Tags and, in OpenAPI 3.2, their hierarchy: `parent`, `kind` and `summary`.

The document's `tags` list is read once here, for the lint rules on the hierarchy
(E305, E306) and for the IR's tag tree (`Api.tags`), which later groups methods into
resources. The 3.2 fields are read only from 3.2 documents (elsewhere they are unknown
keys: E201, ignored). A `parent` that names no tag, or that closes a cycle of parents,
is reported and read as no parent: the tree stays a forest whatever the document says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .load import is_openapi_32, join_pointer


@dataclass(frozen=True)
class Tag:
    """One declared tag, with its place in the hierarchy (names of parent and children)."""

    name: str
    summary: str = ""
    description: str = ""
    kind: str = ""  # 3.2: free-form ("nav", "badge", "audience"…)
    parent: str | None = None  # None: a top-level tag (also when the spec's parent is broken)
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagProblem:
    """A broken `parent`: its lint code, where it is, and what is wrong."""

    code: str  # "E305" (no such tag) | "E306" (a cycle of parents)
    pointer: str
    message: str


def _text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return value.strip() if isinstance(value, str) else ""


def _declared(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, tag object) of every tag with a name, the first of each name only."""
    raw = document.get("tags")
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, tag in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            found.setdefault(tag["name"], (join_pointer("/tags", index), tag))
    return list(found.values())


def _parents(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Tag name → (its `parent`, pointer of that `parent`), for 3.2 tags that name one."""
    if not is_openapi_32(document):
        return {}
    parents = {}
    for pointer, tag in _declared(document):
        parent = tag.get("parent")
        if isinstance(parent, str):
            parents[tag["name"]] = (parent, join_pointer(pointer, "parent"))
    return parents


def tag_problems(document: dict[str, Any]) -> Iterator[TagProblem]:
    """E305 for each `parent` naming no declared tag, E306 once for each cycle of parents."""
    names = {tag["name"] for _, tag in _declared(document)}
    parents = _parents(document)
    for name, (parent, pointer) in parents.items():
        if parent not in names:
            yield TagProblem(
                "E305",
                pointer,
                f"tag {name!r} names parent {parent!r}, which is not a declared tag:"
                " it is read as a top-level tag",
            )
    for name, cycle in _cycles(parents, names).items():
        shown = " → ".join(repr(n) for n in (*cycle, cycle[0]))
        yield TagProblem(
            "E306",
            parents[name][1],
            f"the parents of tags {shown} form a cycle: tag {name!r} is read as a top-level tag",
        )


def _cycles(parents: dict[str, tuple[str, str]], names: set[str]) -> dict[str, tuple[str, ...]]:
    """For each cycle of parents, its first tag in document order → the tags of the cycle."""
    order = {name: index for index, name in enumerate(parents)}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    found: dict[str, tuple[str, ...]] = {}
    for start in parents:
        walk: list[str] = []
        name: str | None = start
        while name is not None and name in parents and state.get(name) is None:
            state[name] = 1
            walk.append(name)
            parent = parents[name][0]
            name = parent if parent in names else None
        if name is not None and state.get(name) == 1:
            cycle = walk[walk.index(name) :]
            first = min(cycle, key=order.__getitem__)
            at = cycle.index(first)
            found[first] = (*cycle[at:], *cycle[:at])
        for visited in walk:
            state[visited] = 2
    return found


def tag_tree(document: dict[str, Any]) -> tuple[Tag, ...]:
    """The declared tags in document order, each with its parent and children.

    A broken parent (no such tag, or a cycle: see `tag_problems`) is read as none.
    """
    declared = _declared(document)
    names = {tag["name"] for _, tag in declared}
    parents = {name: parent for name, (parent, _) in _parents(document).items() if parent in names}
    for first in _cycles(_parents(document), names):
        parents.pop(first, None)
    children: dict[str, list[str]] = {}
    for name, parent in parents.items():
        children.setdefault(parent, []).append(name)
    openapi_32 = is_openapi_32(document)
    return tuple(
        Tag(
            name=tag["name"],
            summary=_text(tag, "summary") if openapi_32 else "",
            description=_text(tag, "description"),
            kind=_text(tag, "kind") if openapi_32 else "",
            parent=parents.get(tag["name"]),
            children=tuple(children.get(tag["name"], ())),
        )
        for _, tag in declared
    )
