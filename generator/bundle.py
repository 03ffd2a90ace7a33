"""Bundling (part of stage 1, load): external file `$ref`s become local `#/components/…` ones.

The bundler is the only place where a spec's references reach the file system: what a
reference names, and which files may be read for it, is `bundle_refs.RefFinder`'s (a
scheme is refused, E101, unless it is a 3.2 document's `$self`; a file outside the spec's
folder is refused, E102; only regular files, within the spec's byte budget). A reference
to the root's own `$self` stays a local reference. References outside
components are inlined; every node copied that way counts towards
`limits.MAX_INLINED_NODES` as it is copied (bundling stops at the first node
over the budget), and the bundled document may not nest deeper than
`limits.MAX_DEPTH`, so a few small files cannot expand into a huge document;
inlinings nest at most `limits.MAX_INLINE_NESTING` deep (a chain of `$ref`s to
`$ref`s adds no depth, but Python frames).
Each node is walked once: what an inlining adds is walked by the inlining, in
the file it came from, and the referencing node walks only its own keys, so the
work is bounded by the files' size plus the budget (what an inlining added used
to be walked again by every level above it: `inline_bomb` of bench/hostile.py,
30 files that each name the next one twice, took 30 s of CPU instead of 4).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .bundle_refs import RefFinder, Target
from .diagnostics import Diagnostic, SpecError
from .limits import MAX_DEPTH, MAX_INLINE_NESTING, MAX_INLINED_NODES, MAX_SPEC_BYTES
from .load import (
    SCHEMA_LIST_KEYS,
    SCHEMA_MAP_KEYS,
    SCHEMA_VALUED_KEYS,
    SourceFile,
    Spec,
    is_data_key,
    join_pointer,
)


class _Stop(Exception):
    """A limit was reached: stop bundling (the diagnostic is already recorded)."""


class _OverBudget(Exception):
    """Copying for an inlining went past `MAX_INLINED_NODES` (raised by `Bundler._copy`)."""


class Bundler:
    """Rewrite external file `$ref`s into local `#/components/…` references."""

    def __init__(self, spec: Spec, base_dir: Path, budget_bytes: int = MAX_SPEC_BYTES) -> None:
        self.spec = spec
        self.max_inlined_nodes = MAX_INLINED_NODES
        self.inlined_nodes = 0  # nodes copied by inlinings so far
        self.errors: list[Diagnostic] = []
        self.refs = RefFinder(spec, base_dir, budget_bytes, self.errors)
        self.registered: dict[tuple[str, str], str] = {}
        self.inlining: set[tuple[str, str]] = set()
        # where `_register` put (and walked) components: a walk of their section skips them
        self.bundled: set[str] = set()

    def run(self) -> None:
        """Bundle every external reference; SpecError with every problem found."""
        try:
            self._walk(self.spec.document, self.spec.root, "", "", in_schema=False)
        except _Stop:
            pass
        if self.errors:
            raise SpecError(self.errors)

    def _walk(
        self, node: Any, source: SourceFile, src_ptr: str, doc_ptr: str, *, in_schema: bool
    ) -> None:
        """Visit `node` (which lives in `source` at `src_ptr`, and in the bundle at `doc_ptr`)."""
        if doc_ptr.count("/") > MAX_DEPTH:
            self.refs.error(
                source,
                src_ptr,
                "E004",
                f"with its file $refs inlined, the document nests deeper than {MAX_DEPTH} levels",
            )
            raise _Stop
        if doc_ptr in self.bundled:
            return  # a component `_register` has walked (a walk of its section reached it)
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(
                    item,
                    source,
                    join_pointer(src_ptr, index),
                    join_pointer(doc_ptr, index),
                    in_schema=in_schema,
                )
            return
        if not isinstance(node, dict):
            return
        self._walk_keys(node, list(node), source, src_ptr, doc_ptr, in_schema=in_schema)

    def _walk_keys(
        self,
        node: dict[str, Any],
        keys: list[str],
        source: SourceFile,
        src_ptr: str,
        doc_ptr: str,
        *,
        in_schema: bool,
    ) -> None:
        """Visit `keys` of `node`: all of them, or the ones an inlining added from `source`
        (an inlining below adds keys to `node`, and walks them itself)."""
        ref = node.get("$ref") if "$ref" in keys else None
        if isinstance(ref, str) and (not ref.startswith("#") or source is not self.spec.root):
            new_ref = self._rewrite(ref, source, src_ptr, doc_ptr, in_schema=in_schema, holder=node)
            if new_ref is not None:
                node["$ref"] = new_ref
        for key in keys:
            value = node.get(key)
            if (
                key == "$ref"
                or not isinstance(value, (dict, list))
                or is_data_key(key, in_schema=in_schema)
            ):
                continue
            child_src, child_doc = join_pointer(src_ptr, key), join_pointer(doc_ptr, key)
            if (
                (key in SCHEMA_MAP_KEYS and in_schema)
                or (key == "schemas" and doc_ptr == "/components")
            ) and isinstance(value, dict):
                # a snapshot: bundling a file may add schemas to this very mapping
                for name, sub in list(value.items()):
                    self._walk(
                        sub,
                        source,
                        join_pointer(child_src, name),
                        join_pointer(child_doc, name),
                        in_schema=True,
                    )
            else:
                child_in_schema = key in SCHEMA_VALUED_KEYS or key in SCHEMA_LIST_KEYS
                self._walk(value, source, child_src, child_doc, in_schema=child_in_schema)

    def _rewrite(
        self,
        ref: str,
        source: SourceFile,
        src_ptr: str,
        doc_ptr: str,
        *,
        in_schema: bool,
        holder: dict[str, Any],
    ) -> str | None:
        here = join_pointer(src_ptr, "$ref")
        own = self.refs.own_uri(source)
        if own is not None and ref.partition("#")[0] == own:
            # 3.2 `$self`: a reference to the document's own URI stays in the document
            return "#" + ref.partition("#")[2]
        found = self.refs.find(ref, source, here)
        if found is None:
            return None
        if found.key in self.registered:
            return self.registered[found.key]
        tokens = found.tokens
        if len(tokens) == 3 and tokens[0] == "components":
            section, name = tokens[1], tokens[2]
        elif in_schema:
            section, name = "schemas", tokens[-1] if tokens else found.path.stem
        else:
            return self._inline(ref, found, doc_ptr, holder, source, here)
        return self._register(section, name, found)

    def _register(self, section: str, name: str, found: Target) -> str:
        components = self.spec.document.setdefault("components", {})
        bucket = components.setdefault(section, {})
        unique, counter = name, 2
        while unique in bucket:
            unique, counter = f"{name}{counter}", counter + 1
        local = "#" + join_pointer("/components", section, unique)
        self.registered[found.key] = local
        bucket[unique] = copy.deepcopy(found.node)
        doc_ptr = local[1:]
        self.spec.origins[doc_ptr] = (found.file, found.pointer)
        self._walk(
            bucket[unique], found.file, found.pointer, doc_ptr, in_schema=section == "schemas"
        )
        self.bundled.add(doc_ptr)
        return local

    def _inline(
        self,
        ref: str,
        found: Target,
        doc_ptr: str,
        holder: dict[str, Any],
        source: SourceFile,
        here: str,
    ) -> str | None:
        if found.key in self.inlining:
            self.refs.error(
                source,
                here,
                "E104",
                f"$ref {ref!r} is circular outside components: point it at components/<section>/<name> instead",
            )
            return None
        node = found.node
        if not isinstance(node, dict):
            self.refs.error(source, here, "E103", f"$ref {ref!r} must point at an object")
            return None
        if len(self.inlining) >= MAX_INLINE_NESTING:  # (each level is a few Python frames)
            self.refs.error(
                source,
                here,
                "E004",
                f"$ref {ref!r} is inlined inside {MAX_INLINE_NESTING} other inlined $refs:"
                " point it at components/<section>/<name> instead",
            )
            raise _Stop
        # the keys the holder does not set itself (its own win), copied and counted
        wanted = {k: v for k, v in node.items() if k == "$ref" or k not in holder}
        try:
            added: dict[str, Any] = self._copy(wanted)
        except _OverBudget:
            self.refs.error(
                source,
                here,
                "E004",
                f"inlining file $refs copies more than {self.max_inlined_nodes:,} nodes:"
                " reference shared parts from components/<section>/<name> instead",
            )
            raise _Stop from None
        holder.pop("$ref", None)
        holder.update(added)  # before the walk: it may register components into these
        self.spec.origins[doc_ptr] = (found.file, found.pointer)
        self.inlining.add(found.key)
        self._walk_keys(holder, list(added), found.file, found.pointer, doc_ptr, in_schema=False)
        self.inlining.discard(found.key)
        return None

    def _copy(self, node: Any) -> Any:
        """A copy of `node`'s mappings and lists (scalars are immutable: shared), each node
        counted towards `max_inlined_nodes` as it is made; _OverBudget at the first one over."""
        self.inlined_nodes += 1
        if self.inlined_nodes > self.max_inlined_nodes:
            raise _OverBudget
        if isinstance(node, dict):
            return {key: self._copy(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self._copy(item) for item in node]
        return node
