"""Bundling, part 1: what a `$ref` of a spec file names, reading the file it names on first use.

The only place where a spec's references reach the file system (`bundle` rewrites them).
A reference with a scheme (`http:`, `https:`, `file:`, any `name:`) is refused (E101),
unless it is the `$self` URI (OpenAPI 3.2) of a document already read; a file reference
that leaves the spec's folder once resolved, symlinks included, is refused (E102); only
regular files are read, within what is left of the spec's byte budget.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

from .anchors import anchor_pointer, is_anchor_fragment, resolve_in_file
from .diagnostics import Diagnostic, Location, Severity, SpecError
from .load import SourceFile, Spec, _display_name, read_source, resolve_pointer, split_pointer

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Target(NamedTuple):
    """What a `$ref` names: a node of a file (the file's path is resolved)."""

    key: tuple[str, str]  # (path, pointer): registered, or being inlined, once per key
    path: Path
    file: SourceFile
    pointer: str
    tokens: tuple[str, ...]
    node: Any


class RefFinder:
    """Finds what the `$ref`s of one spec's files name; its errors go to `errors`."""

    def __init__(
        self, spec: Spec, base_dir: Path, budget_bytes: int, errors: list[Diagnostic]
    ) -> None:
        self.spec = spec
        self.base_dir = base_dir
        self.budget_bytes = budget_bytes
        self.errors = errors
        # (referencing file, $ref) -> what it names, once it resolved; failures are not
        # kept, so that each one is reported where it occurs
        self.found: dict[tuple[str, str], Target] = {}
        # (folder of the referencing file, file part of a $ref) -> the file, None when it
        # leaves the spec's folder: resolving a path costs a system call per component
        self.targets: dict[tuple[Path, str], Path | None] = {}

    def error(self, source: SourceFile, pointer: str, code: str, message: str) -> None:
        """An error located at `pointer` in `source`."""
        line, col = source.position(pointer)
        self.errors.append(
            Diagnostic(code, Severity.ERROR, Location(source.display, line, col, pointer), message)
        )

    def find(self, ref: str, source: SourceFile, here: str) -> Target | None:
        """What `ref` (at `here` in `source`) names, reading its file on first use; None,
        with a diagnostic, when it is refused or does not resolve."""
        return self.found.get((str(source.path), ref)) or self._resolve(ref, source, here)

    def _resolve(self, ref: str, source: SourceFile, here: str) -> Target | None:
        """What `ref` (at `here` in `source`) names, reading its file on first use; None,
        with a diagnostic, when it is refused or does not resolve."""
        if _SCHEME.match(ref) and self._by_self_uri(ref.partition("#")[0]) is None:
            self.error(
                source,
                here,
                "E101",
                f"remote $ref {ref!r} refused: references are never fetched; download the file next to the spec and reference it by relative path",
            )
            return None
        file_part, _, fragment = ref.partition("#")
        named = self._by_self_uri(file_part) if _SCHEME.match(file_part) else None
        target: Path | None
        if named is not None:
            target = named
        elif file_part:
            target = self._target(source.path.parent, file_part)
            if target is None:
                self.error(
                    source,
                    here,
                    "E102",
                    f"$ref {ref!r} leaves the spec's folder: file references must stay under {self.base_dir.name}/ (--ref-root DIR, or `ref-root` in the configuration, allows a wider folder)",
                )
                return None
        else:
            target = source.path.resolve()
        target_source = self._source(target, source, here, ref)
        if target_source is None:
            return None
        if fragment and is_anchor_fragment(fragment):  # `file.yaml#name`: an `$anchor`
            anchored = anchor_pointer(target_source.anchors, fragment)
            if anchored is None:
                self.error(
                    source,
                    here,
                    "E103",
                    f"$ref {ref!r} does not resolve: no schema of {target_source.display} "
                    f"declares $anchor {fragment!r} (or several do)",
                )
                return None
            fragment = anchored
        pointer = "/" + fragment.lstrip("/") if fragment else ""
        try:
            resolved = resolve_pointer(target_source.data, pointer)
        except (KeyError, ValueError):
            self.error(
                source,
                here,
                "E103",
                f"$ref {ref!r} does not resolve: no {pointer or '/'} in {target_source.display}",
            )
            return None
        key = (str(target), pointer)
        tokens = tuple(split_pointer(pointer))
        found = Target(key, target, target_source, pointer, tokens, resolved)
        self.found[(str(source.path), ref)] = found
        return found

    def _target(self, folder: Path, file_part: str) -> Path | None:
        """The file `file_part` names from `folder`, symlinks resolved; None when it is
        outside the spec's folder (or cannot be resolved). Resolved once per pair."""
        key = (folder, file_part)
        if key not in self.targets:
            try:
                target = (folder / unquote(file_part)).resolve()
                target.relative_to(self.base_dir)
            except (ValueError, OSError):
                self.targets[key] = None
            else:
                self.targets[key] = target
        return self.targets[key]

    def own_uri(self, source: SourceFile) -> str | None:
        """The `$self` URI of the root document, when `source` is the root and declares one
        (a reference to it stays a local reference)."""
        return _self_uri(source.data) if source is self.spec.root else None

    def _by_self_uri(self, uri: str) -> Path | None:
        """The file already read whose `$self` is `uri` (OpenAPI 3.2 names a document by it,
        dcg's `self_spelled_external_ref`); None when no file read so far declares it."""
        for path, loaded in self.spec.files.items():
            if _self_uri(loaded.data) == uri:
                return path
        return None

    def _source(self, target: Path, source: SourceFile, here: str, ref: str) -> SourceFile | None:
        if target in self.spec.files:
            return self.spec.files[target]
        try:
            is_file = target.is_file()
            exists = is_file or target.exists()
        except (OSError, ValueError):
            is_file = exists = False
        if not is_file:
            # (a FIFO, a device or a folder was "not found": gencli audit)
            what = "is not a regular file" if exists else "not found"
            self.error(
                source, here, "E103", f"$ref {ref!r} does not resolve: file {target.name} {what}"
            )
            return None
        try:
            loaded = read_source(target, _display_name(target), max(self.budget_bytes, 0))
        except SpecError as exc:
            self.errors.extend(exc.diagnostics)
            return None
        self.budget_bytes -= loaded.size
        resolve_in_file(loaded)
        self.spec.files[target] = loaded
        return loaded


def _self_uri(data: Any) -> str | None:
    """The `$self` URI of an OpenAPI 3.2 document (only an OpenAPI document is named by it: a
    JSON Schema file's `$self` is an ordinary key, dcg's `self_of_json_schema_document`)."""
    if not (isinstance(data, dict) and str(data.get("openapi", "")).startswith("3.2.")):
        return None
    own = data.get("$self")
    return own if isinstance(own, str) and own and "#" not in own else None
