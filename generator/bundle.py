"""Bundling (part of stage 1, load): external file `$ref`s become local `#/components/…` ones.

The bundler is the only place where a spec's references reach the file system.
A reference to the root document's own `$self` URI (OpenAPI 3.2) is read as local.
A reference with a scheme (`http:`, `https:`, `file:`, any `name:`) is refused
(E101), a file reference that leaves the spec's folder once resolved, symlinks
included, is refused (E102), and only regular files are read, within what is
left of the spec's byte budget (`limits.MAX_SPEC_BYTES`). References outside
components are inlined; copies made that way count towards
`limits.MAX_INLINED_NODES`, and the bundled document may not nest deeper than
`limits.MAX_DEPTH`, so a few small files cannot expand into a huge document.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .diagnostics import Diagnostic, Location, Severity, SpecError
from .limits import MAX_DEPTH, MAX_INLINED_NODES, MAX_SPEC_BYTES
from .load import (
    SCHEMA_LIST_KEYS,
    SCHEMA_MAP_KEYS,
    SCHEMA_VALUED_KEYS,
    SourceFile,
    Spec,
    _display_name,
    is_data_key,
    join_pointer,
    read_source,
    resolve_pointer,
    split_pointer,
)


class _Stop(Exception):
    """A limit was reached: stop bundling (the diagnostic is already recorded)."""


def count_nodes(node: Any) -> int:
    """How many mappings, lists and scalars `node` holds (itself included), iteratively."""
    count, stack = 0, [node]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


class Bundler:
    """Rewrite external file `$ref`s into local `#/components/…` references."""

    def __init__(self, spec: Spec, base_dir: Path, budget_bytes: int = MAX_SPEC_BYTES) -> None:
        self.spec = spec
        self.base_dir = base_dir
        self.budget_bytes = budget_bytes
        self.inlined_nodes = 0
        self.errors: list[Diagnostic] = []
        self.registered: dict[tuple[Path, str], str] = {}
        self.inlining: set[tuple[Path, str]] = set()

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
            self._error(
                source,
                src_ptr,
                "E004",
                f"with its file $refs inlined, the document nests deeper than {MAX_DEPTH} levels",
            )
            raise _Stop
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
        ref = node.get("$ref")
        if isinstance(ref, str) and (not ref.startswith("#") or source is not self.spec.root):
            new_ref = self._rewrite(ref, source, src_ptr, doc_ptr, in_schema=in_schema, holder=node)
            if new_ref is not None:
                node["$ref"] = new_ref
        for key, value in list(node.items()):
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

    def _error(self, source: SourceFile, pointer: str, code: str, message: str) -> None:
        line, col = source.position(pointer)
        self.errors.append(
            Diagnostic(code, Severity.ERROR, Location(source.display, line, col, pointer), message)
        )

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
        own = self._own_uri(source)
        if own is not None and ref.partition("#")[0] == own:
            # 3.2 `$self`: a reference to the document's own URI stays in the document
            return "#" + ref.partition("#")[2]
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref):
            self._error(
                source,
                here,
                "E101",
                f"remote $ref {ref!r} refused: references are never fetched; download the file next to the spec and reference it by relative path",
            )
            return None
        file_part, _, fragment = ref.partition("#")
        if file_part:
            try:
                target = (source.path.parent / unquote(file_part)).resolve()
                target.relative_to(self.base_dir)
            except (ValueError, OSError):
                self._error(
                    source,
                    here,
                    "E102",
                    f"$ref {ref!r} leaves the spec's folder: file references must stay under {self.base_dir.name}/",
                )
                return None
        else:
            target = source.path.resolve()
        target_source = self._source(target, source, here, ref)
        if target_source is None:
            return None
        pointer = "/" + fragment.lstrip("/") if fragment else ""
        try:
            resolved = resolve_pointer(target_source.data, pointer)
        except (KeyError, ValueError):
            self._error(
                source,
                here,
                "E103",
                f"$ref {ref!r} does not resolve: no {pointer or '/'} in {target_source.display}",
            )
            return None
        key = (target, pointer)
        if key in self.registered:
            return self.registered[key]
        tokens = split_pointer(pointer)
        if len(tokens) == 3 and tokens[0] == "components":
            section, name = tokens[1], tokens[2]
        elif in_schema:
            section, name = "schemas", tokens[-1] if tokens else target.stem
        else:
            return self._inline(
                ref, resolved, target_source, pointer, doc_ptr, holder, source, here
            )
        local = self._register(section, name, key, resolved, target_source, pointer)
        return local

    def _own_uri(self, source: SourceFile) -> str | None:
        """The `$self` URI (OpenAPI 3.2) of the root document, when `source` is the root and
        declares one (another file's own references are bundled like any file's)."""
        data = source.data
        if source is not self.spec.root or not (
            isinstance(data, dict) and str(data.get("openapi", "")).startswith("3.2.")
        ):
            return None
        own = data.get("$self")
        return own if isinstance(own, str) and own and "#" not in own else None

    def _source(self, target: Path, source: SourceFile, here: str, ref: str) -> SourceFile | None:
        if target in self.spec.files:
            return self.spec.files[target]
        try:
            is_file = target.is_file()
        except (OSError, ValueError):
            is_file = False
        if not is_file:
            self._error(
                source, here, "E103", f"$ref {ref!r} does not resolve: file {target.name} not found"
            )
            return None
        try:
            loaded = read_source(target, _display_name(target), max(self.budget_bytes, 0))
        except SpecError as exc:
            self.errors.extend(exc.diagnostics)
            return None
        self.budget_bytes -= loaded.size
        self.spec.files[target] = loaded
        return loaded

    def _register(
        self,
        section: str,
        name: str,
        key: tuple[Path, str],
        node: Any,
        source: SourceFile,
        pointer: str,
    ) -> str:
        components = self.spec.document.setdefault("components", {})
        bucket = components.setdefault(section, {})
        unique, counter = name, 2
        while unique in bucket:
            unique, counter = f"{name}{counter}", counter + 1
        local = "#" + join_pointer("/components", section, unique)
        self.registered[key] = local
        bucket[unique] = copy.deepcopy(node)
        doc_ptr = local[1:]
        self.spec.origins[doc_ptr] = (source, pointer)
        self._walk(bucket[unique], source, pointer, doc_ptr, in_schema=section == "schemas")
        return local

    def _inline(
        self,
        ref: str,
        node: Any,
        target: SourceFile,
        pointer: str,
        doc_ptr: str,
        holder: dict[str, Any],
        source: SourceFile,
        here: str,
    ) -> str | None:
        key = (target.path, pointer)
        if key in self.inlining:
            self._error(
                source,
                here,
                "E104",
                f"$ref {ref!r} is circular outside components: point it at components/<section>/<name> instead",
            )
            return None
        if not isinstance(node, dict):
            self._error(source, here, "E103", f"$ref {ref!r} must point at an object")
            return None
        self.inlined_nodes += count_nodes(node)
        if self.inlined_nodes > MAX_INLINED_NODES:
            self._error(
                source,
                here,
                "E004",
                f"inlining file $refs copies more than {MAX_INLINED_NODES:,} nodes: reference"
                " shared parts from components/<section>/<name> instead",
            )
            raise _Stop
        self.inlining.add(key)
        replacement = copy.deepcopy(node)
        holder.pop("$ref", None)
        for k, v in replacement.items():
            holder.setdefault(k, v)
        self.spec.origins[doc_ptr] = (target, pointer)
        self._walk(holder, target, pointer, doc_ptr, in_schema=False)
        self.inlining.discard(key)
        return None
