"""`$anchor` references: `#name` (JSON Schema 2020-12, used by OpenAPI 3.1 and 3.2).

A schema may declare `$anchor: name`; a `$ref` of `#name` in the same schema resource, or of
`file.yaml#name` from another file, names that schema. The loader turns each such reference
into the JSON pointer of the schema it names before anything else reads the document, so
that the rest of the generator only ever follows pointers.

A schema resource is the document, or a schema with its own `$id` (and what it holds, up to
the next `$id`): `#name` is looked up in the resource the reference sits in. A name declared
once in the file resolves from anywhere in it; one declared in several resources resolves
only from inside one of them. What does not resolve is left as it is, and reported where it
is followed (E103, E105).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .load import join_pointer, resolve_pointer, split_pointer, walk_nodes

if TYPE_CHECKING:
    from .load import SourceFile

# the syntax of an anchor name (JSON Schema 2020-12 §8.2.2: an XML NCName)
_NAME = re.compile(r"[A-Za-z_][-A-Za-z0-9._]*\Z")

# the start of a same-document `$ref`'s value (`$ref": "#`), matched where `$ref` is found
_LOCAL_REF_HEAD = re.compile(rb"""\$ref['"]?[ \t\r\n]*:[ \t\r\n]*['"]?#""")
_VALUE_END = re.compile(rb"""['"\r\n]""")
_PERCENT_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
# another spelling of `%` or `$` (`\u0025`, `\x25`, `\u0024ref`): the document is walked
_OTHER_SPELLINGS = re.compile(rb"\\(?:u0025|x25|u0024|x24|U00000025|U00000024)")


def _may_hold_escaped_local_refs(data: bytes) -> bool:
    """Might the file hold a same-document `$ref` with a percent escape? One pass over the
    escapes in the bytes (few in a real spec), each looked up in the value of the last
    `$ref` before it, read once, at most a kilobyte of it (a pattern scanning to the end of
    each line from every `$ref` took 27 s on 360 kB: hostile audit 13)."""
    if _OTHER_SPELLINGS.search(data) is not None:
        return True
    following = data.find(b"$ref")
    value = (0, 0)  # where the last `$ref`'s local value starts and ends
    for escape in _PERCENT_ESCAPE.finditer(data):
        at = escape.start()
        if following < 0 or following > at:
            if value[0] <= at < value[1]:
                return True
            continue
        while 0 <= following < at:  # the last `$ref` before this escape
            last, following = following, data.find(b"$ref", following + 4)
        head = _LOCAL_REF_HEAD.match(data, last)
        if head is None:
            value = (0, 0)
            continue
        stop = head.end() + 1024
        end = _VALUE_END.search(data, head.end(), stop)
        value = (head.end(), end.start() if end is not None else min(stop, len(data)))
        if value[0] <= at < value[1]:
            return True
    return False


# name -> [(pointer of the schema declaring it, pointer of its schema resource)]
AnchorIndex = dict[str, list[tuple[str, str]]]


def is_anchor_fragment(fragment: str) -> bool:
    """True when a `$ref`'s fragment (the text after `#`) is an anchor name, not a pointer."""
    return _NAME.match(fragment) is not None


def _scan(data: Any) -> tuple[AnchorIndex, dict[str, str]]:
    """The document's anchors (with the schema resource each belongs to), and the pointer
    of each of its schemas that declares an `$id`, by that `$id` (an `$id` two schemas declare is left out: it names neither)."""
    ids: dict[str, str] = {}
    repeated: set[str] = set()
    found: list[tuple[str, str]] = []
    for pointer, node, is_schema in walk_nodes(data):
        if not is_schema:
            continue
        own = node.get("$id")
        if isinstance(own, str):
            if own in ids:
                repeated.add(own)
            ids[own] = pointer
        name = node.get("$anchor")
        if isinstance(name, str) and _NAME.match(name):
            found.append((name, pointer))
    identified = set(ids.values())
    index: AnchorIndex = {}
    for name, pointer in found:
        index.setdefault(name, []).append((pointer, _resource(pointer, identified)))
    return index, {own: pointer for own, pointer in ids.items() if own not in repeated}


def _resource(pointer: str, identified: set[str]) -> str:
    """The pointer of the schema resource `pointer` lies in: its nearest `$id` ancestor
    (itself included), or "" for the document."""
    prefix = pointer
    while prefix:
        if prefix in identified:
            return prefix
        prefix = prefix[: prefix.rfind("/")]
    return ""


def anchor_pointer(index: AnchorIndex, name: str, resource: str = "") -> str | None:
    """The pointer of the schema `#name` names from inside `resource`; None when no schema
    declares it, or several do and none of them in `resource`."""
    candidates = index.get(name, [])
    if len(candidates) == 1:
        return candidates[0][0]
    inside = [pointer for pointer, owner in candidates if owner == resource]
    return inside[0] if len(inside) == 1 else None


def resolve_in_file(source: SourceFile) -> None:
    """Rewrite the `$anchor` and `$id` references of one file of a spec (the root, or one
    the bundler reads), and keep its anchors for `file#name` references to it. Only a file
    whose text mentions `$anchor` or `$id` is walked.

    A same-document pointer written with percent escapes is spelled as the pointer it reads
    as (`#/components/schemas/Foo%20Bar` is `#/components/schemas/Foo Bar`): the rest of the
    generator tells schemas apart by their references, and one schema must not be two models.
    Only a file whose bytes hold such a reference is walked."""
    if _may_hold_escaped_local_refs(source.content()):
        unescape_local_refs(source.data)
    if source.mentions(b"$anchor", b"$id"):
        source.anchors = rewrite_anchor_refs(source.data)


def unescape_local_refs(data: Any) -> None:
    """Rewrite (in place) each `#/…` `$ref` of `data` holding a percent escape as the JSON
    pointer it is read as (RFC 6901 §6: a URI fragment is percent-decoded, then read as a
    pointer), its tokens escaped as a pointer's are (`~0`, `~1`)."""
    for _, node, _ in walk_nodes(data):
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/") or "%" not in ref:
            continue
        try:
            tokens = split_pointer(ref)
        except ValueError:  # a fragment that is no pointer once decoded: reported where used
            continue
        node["$ref"] = "#" + join_pointer("", *tokens)


def rewrite_anchor_refs(data: Any) -> AnchorIndex:
    """Replace every same-document `$ref: '#name'` of `data` by `#` and the JSON pointer of
    the schema it names (in place); return the document's anchors, for references to it
    from other files.

    A `#/…` pointer inside a schema with its own `$id` is relative to that schema (its
    resource), not to the document: when it does not resolve in the document but does in
    that schema, it is rewritten to the document's pointer too. A reference to the `$id`
    of a schema the document embeds (`box.json`, `box.json#/properties/size`,
    `box.json#name`) names that schema, not a file: it is rewritten the same way.
    """
    index, ids = _scan(data)
    if not index and not ids:
        return index
    identified = set(ids.values())
    for pointer, node, _ in walk_nodes(data):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        target: str | None = None
        if not ref.startswith("#"):
            base, _, fragment = ref.partition("#")
            if base in ids:
                target = _within(data, index, ids[base], fragment)
        elif is_anchor_fragment(ref[1:]):
            target = anchor_pointer(index, ref[1:], _resource(pointer, identified))
        elif ref.startswith("#/") and identified and not _resolves(data, ref):
            target = _within(data, index, _resource(pointer, identified), ref[1:])
        if target is not None:
            node["$ref"] = "#" + target
    return index


def _within(data: Any, index: AnchorIndex, resource: str, fragment: str) -> str | None:
    """The document pointer of `fragment` (empty, a `/…` pointer or an anchor name) read
    in the schema resource at `resource`; None when it names nothing there."""
    if not fragment:
        return resource
    if is_anchor_fragment(fragment):
        return anchor_pointer(index, fragment, resource)
    if resource and fragment.startswith("/") and _resolves(data, "#" + resource + fragment):
        return resource + fragment
    return None


def _resolves(data: Any, ref: str) -> bool:
    try:
        resolve_pointer(data, ref)
    except (KeyError, ValueError):
        return False
    return True
