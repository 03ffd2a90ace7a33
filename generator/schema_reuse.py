"""Stage 3a (reuse): structurally identical inline schemas become one model.

Specs generated from code often inline every object where it is used: Hetzner Cloud has
no component schema at all, and each of its 73 action operations answers its own copy
of `{"action": {id, command, status, …}}`. Named by pointer, every copy was a class of
its own (`PostServersIdActionsPoweronResponseAction`, 71 `…ActionStatus` enums): no one
`Action` type to annotate or `isinstance`-check. As datamodel-code-generator's
`--reuse-model` does, copies that would validate and serialise alike share one model.

Which schemas: an anonymous object or enum (one with `properties`, `allOf` or `enum`)
nested inside the schema of a body, parameter or header, outside `components/schemas`
(a named component is never merged with anything), holding no `$ref` itself and named by
no `$ref`. A body's or parameter's own schema is not one: its class is named after its
operation, which another operation's method must not return.

When alike: every keyword counts (formats, patterns, defaults, `readOnly`, `nullable`,
discriminators, `x-` extensions, descriptions: the field descriptions and docstring of
the one model are then right for every copy, and objects of one shape described as
different things stay apart), except `example`s and `title`s. Examples are sample values
(Hetzner's copies differ only there: `start_server`, `create_image`); a title names the
schema as the tool that inlined it saw it (Hetzner's `NullableAction` is its `Action`,
nullable) and names no class here: the model shows its first copy's. Keyword order does
not count, property order does (the fields' order), `required` counts as a set. An
object of a request body with `readOnly` properties stays apart from a response's (the
marks may mean nothing in what only requests hold: `SchemaUsage`). The nullability of
the schema itself is written where each copy is used (`Action | None`), never in its
class, so it is left out of the comparison (and kept at every use).

Names: copies that all sit under one property (`action`) are named after it (`Action`)
when that name is free: the copies directly under a property when any (the items of an
array property `actions` aside), else items of like-named arrays (`TagsItem`).
Otherwise the model keeps the name its first copy would have had. Copies nested inside
a merged schema are one copy (the merged model's), so they keep the name they get there
(`ActionStatus`), unless they also appear elsewhere.

The index is built in one iterative walk (no recursion on nesting), on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .load import deref, join_pointer

# keywords whose value is a map of schemas, a schema, a list of schemas
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_SCHEMA_VALUES = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
        "contentSchema",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_IGNORED = frozenset({"example", "examples", "title"})  # what no copy is told apart by
# keys of the document (outside schemas) whose values hold no schema a model is made of
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
_ROOT_KEYS = frozenset({"schema", "itemSchema"})  # a body's, parameter's, header's schema
# a walk past this many objects indexes nothing (every schema keeps a model of its own)
_MAX_NODES = 2_000_000


@dataclass(frozen=True)
class Group:
    """Copies of one inline schema: `key` tells groups apart; `text` is the property name
    every copy sits under, when they share one (the name the model is claimed from)."""

    key: int
    text: str | None


@dataclass(frozen=True)
class Place:
    """Where a schema sits: under the property `name` (`action`), or as the items of its
    array (`depth` 1: `actions: {type: array, items: …}`), of their arrays (2)…"""

    name: str
    depth: int = 0

    def text(self) -> str:
        """The text a name is claimed from (`action`, `actions item`)."""
        return self.name + " item" * self.depth


@dataclass
class _Copy:
    """One candidate schema met in the walk (in document order)."""

    pointer: str
    node: dict[str, Any]
    parent: int | None  # the nearest enclosing candidate, by index
    place: Place | None  # the property it sits under, if any
    group: int = -1  # its group (fingerprint and side), -1 when it is no candidate


class InlineReuse:
    """The groups of structurally identical inline schemas of one document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._groups: dict[str, tuple[dict[str, Any], Group]] | None = None  # by pointer

    def group(self, pointer: str, schema: dict[str, Any]) -> Group | None:
        """The group of the inline schema at `pointer` when it has other copies (None when
        it has none, is not an inline candidate, or `schema` is not the one found there)."""
        if self._groups is None:
            self._groups = _Index(self.document).groups()
        found = self._groups.get(pointer)
        if found is None or found[0] is not schema:
            return None
        return found[1]


class _Index:
    """One walk of the document outside `components/schemas`: fingerprints, then groups."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.copies: list[_Copy] = []
        self.refs: set[str] = set()  # local `$ref` targets (pointers)
        self.interned: dict[tuple[Any, ...], int] = {}
        self.fingerprints: dict[int, int] = {}  # id(schema) → its interned fingerprint
        self.nodes = 0

    def groups(self) -> dict[str, tuple[dict[str, Any], Group]]:
        """Every candidate with other copies, by pointer (empty past `_MAX_NODES`)."""
        if not self._walk_document():
            return {}
        keys: dict[tuple[int, bool], int] = {}
        members: dict[int, list[int]] = {}
        for index, copy in enumerate(self.copies):
            if id(copy.node) not in self.fingerprints or copy.pointer in self.refs:
                continue  # (a `$ref` names it: it keeps a model of its own)
            own = self._intern(copy.node, own=True)
            copy.group = keys.setdefault((own, self._sent_only(copy)), len(keys))
            members.setdefault(copy.group, []).append(index)
        shared = {group: indexes for group, indexes in members.items() if len(indexes) > 1}
        texts = self._names(shared)
        found: dict[str, tuple[dict[str, Any], Group]] = {}
        for key, indexes in shared.items():
            group = Group(key, texts.get(key))
            for index in indexes:
                found[self.copies[index].pointer] = (self.copies[index].node, group)
        return found

    def _sent_only(self, copy: _Copy) -> bool:
        """Is `copy` an object of a request body with `readOnly` properties (marks that
        `SchemaUsage` may find meaningless there, and not in a response's copy)?"""
        pointer = copy.pointer
        if "/requestBody/" not in pointer or "/callbacks/" in pointer:
            return False
        properties = copy.node.get("properties")
        return isinstance(properties, dict) and any(
            isinstance(sub, dict)
            and bool(sub.get("readOnly") or deref(self.document, sub).get("readOnly"))
            for sub in properties.values()
        )

    def _names(self, shared: dict[int, list[int]]) -> dict[int, str]:
        """The text each group is named from, when every copy sits under a property: the
        property's name when the copies directly under a property share it (`action`, the
        items of `actions` aside), else when all are items of like-named arrays. Copies
        inside a copy merged into an earlier one are not counted (never planned)."""
        first: dict[int, int] = {}  # group → its first copy that is planned
        hidden = [False] * len(self.copies)
        seen: dict[int, list[Place | None]] = {}
        for index, copy in enumerate(self.copies):
            parent = copy.parent
            if parent is not None:
                outer = self.copies[parent]
                hidden[index] = hidden[parent] or (
                    outer.group in shared and first.get(outer.group) != parent
                )
            if hidden[index] or copy.group not in shared:
                continue
            first.setdefault(copy.group, index)
            seen.setdefault(copy.group, []).append(copy.place)
        names: dict[int, str] = {}
        for group, places in seen.items():
            known = [p for p in places if p is not None]
            if len(places) < 2 or len(known) < len(places):
                continue
            direct = [p for p in known if p.depth == 0] or known
            if all(p == direct[0] for p in direct):
                names[group] = direct[0].text()
        return names

    def _walk_document(self) -> bool:
        """Find the schemas of bodies, parameters and headers (and the `$ref`s) outside
        `components/schemas`, and index them; False past `_MAX_NODES`."""
        stack: list[tuple[Any, str]] = [(self.document, "")]
        while stack:
            node, pointer = stack.pop()
            self.nodes += 1
            if self.nodes > _MAX_NODES:
                return False
            if isinstance(node, list):
                for index in range(len(node) - 1, -1, -1):
                    if isinstance(node[index], (dict, list)):
                        stack.append((node[index], f"{pointer}/{index}"))
                continue
            ref = node.get("$ref")
            if isinstance(ref, str):
                self._note_ref(node)
            components = pointer == "/components"
            for key, value in reversed(node.items()):
                if not isinstance(value, (dict, list)) or not isinstance(key, str):
                    continue
                if key in _DATA_KEYS or key.startswith("x-") or (components and key == "schemas"):
                    continue
                where = join_pointer(pointer, key)
                if key in _ROOT_KEYS and isinstance(value, dict):
                    if _bare_ref(value):  # (most bodies of a spec with components)
                        self._note_ref(value)
                    elif not self._walk_schema(value, where):
                        return False
                else:
                    stack.append((value, where))
        return True

    def _note_ref(self, node: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            self.refs.update((ref[1:], unquote(ref[1:])))

    def _walk_schema(self, root: dict[str, Any], root_pointer: str) -> bool:
        """Fingerprint `root` and everything in it (children before parents), recording the
        candidates in document order; False past `_MAX_NODES`."""
        # (node, pointer, enclosing candidate, place, is this the exit visit)
        stack: list[tuple[Any, str, int | None, Place | None, bool]] = [
            (root, root_pointer, None, None, False)
        ]
        active: set[int] = set()  # schemas being walked (a schema inside itself: a cycle)
        while stack:
            node, pointer, parent, place, leaving = stack.pop()
            if leaving:
                active.discard(id(node))
                self.fingerprints[id(node)] = self._intern(node)
                continue
            self.nodes += 1
            if self.nodes > _MAX_NODES:
                return False
            if not isinstance(node, dict) or id(node) in active:
                continue
            self._note_ref(node)
            inner = parent
            if node is not root and _is_candidate(node):
                inner = len(self.copies)
                self.copies.append(_Copy(pointer, node, parent, place))
            if id(node) in self.fingerprints:  # met before (one object in two places)
                continue
            active.add(id(node))
            stack.append((node, pointer, inner, place, True))
            for child, where, child_place in reversed(_children(node, pointer, place)):
                if _bare_ref(child):  # fingerprinted as its `$ref` (`_of`), nothing to walk
                    self._note_ref(child)
                elif id(child) not in active:  # (one inside itself: see `_of`)
                    stack.append((child, where, inner, child_place, False))
        return True

    def _intern(self, node: dict[str, Any], own: bool = False) -> int:
        """The fingerprint of `node` from its children's (keyword order aside). `own`: the
        fingerprint of the model it makes, its own nullability aside (`nullable`, `null`
        among its types or values), which each use of it writes (`Action | None`)."""
        parts: list[tuple[Any, ...]] = []
        for key, value in node.items():
            if key in _IGNORED or (own and key == "nullable"):
                continue
            if own and key == "type" and isinstance(value, list):
                kept = sorted({str(v) for v in value} - {"null"})
                value = kept[0] if len(kept) == 1 else kept
            elif own and key == "enum" and isinstance(value, list):
                value = [v for v in value if v is not None]
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                parts.append((key, "map", tuple((n, self._of(v)) for n, v in value.items())))
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                parts.append((key, "list", tuple(self._of(v) for v in value)))
            elif key in _SCHEMA_VALUES and isinstance(value, dict):
                parts.append((key, "schema", self._of(value)))
            elif key == "required" and isinstance(value, list):
                names = sorted({str(v) for v in value})
                parts.append((key, "set", tuple(names)))
            else:
                parts.append((str(key), "raw", _raw(value)))
        shape = tuple(sorted(parts, key=lambda part: part[0]))
        return self.interned.setdefault(shape, len(self.interned))

    def _of(self, value: Any) -> Any:
        """A child's fingerprint: interned for a schema walked, unique for one inside
        itself, the JSON text of anything else (`true`)."""
        if isinstance(value, dict):
            if _bare_ref(value):
                return ("$ref", value["$ref"])
            found = self.fingerprints.get(id(value))
            if found is None:  # a cycle: equal to nothing else
                return ("cycle", len(self.interned), id(value))
            return found
        return _raw(value)


def _bare_ref(node: dict[str, Any]) -> bool:
    """Is `node` only a `$ref` (`{"$ref": "#/components/schemas/Repo"}`)?"""
    return len(node) == 1 and isinstance(node.get("$ref"), str)


def _is_candidate(node: dict[str, Any]) -> bool:
    """Could `node` be planned as an inline object or enum (and is it no `$ref`)?"""
    if "$ref" in node:
        return False
    return (
        isinstance(node.get("properties"), dict)
        or isinstance(node.get("allOf"), list)
        or isinstance(node.get("enum"), list)
    )


def _children(
    node: dict[str, Any], pointer: str, place: Place | None
) -> list[tuple[dict[str, Any], str, Place | None]]:
    """The schemas directly inside `node`, in document order, each with its pointer and
    where it sits (`place` is `node`'s)."""
    found: list[tuple[dict[str, Any], str, Place | None]] = []
    for key, value in node.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    child = Place(str(name)) if key == "properties" else None
                    found.append((sub, join_pointer(pointer, key, str(name)), child))
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for index, sub in enumerate(value):
                if isinstance(sub, dict):
                    found.append((sub, join_pointer(pointer, key, index), None))
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            items = key == "items" and place is not None
            item = Place(place.name, place.depth + 1) if items and place else None
            found.append((value, join_pointer(pointer, key), item))
    return found


def _raw(value: Any) -> Any:
    """A keyword's value, comparable: a scalar with its type (`1`, `1.0` and `true` apart),
    anything else as canonical JSON text."""
    if value is None or isinstance(value, (str, int, float)):
        return (type(value).__name__, value)
    try:
        try:
            return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):  # keys of mixed types, a value JSON has no form for
            return repr(value)
    except RecursionError:  # a value nested past the stack (hostile): equal to nothing else
        return ("deep", id(value))
