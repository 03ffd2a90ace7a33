"""Skip work that cannot change, and notice hand edits: the stamp a generated package carries.

`generate` writes `.sdkgen-inputs` (JSON) into every package it writes:

- `spec`: a SHA-256 over the spec's files (the spec and the files its `$ref`s
  bundle, listed in `spec_files`, relative to the spec's folder);
- `generator`: over the generator's own modules, its templates (and the template
  override folder, when one is configured) and its version;
- `options`: over the generation options (names, selection, renames, formatter);
- `files`: the hash of every file generation wrote;
- `modules` and `module_packs`: the key of each model and resource module's IR, and where
  the cache keeps the nodes, which let a regeneration reuse what did not change
  (`module_cache`).

When the first three still match, nothing needs generating; `check` reports which
one changed, and every file whose content no longer has its recorded hash (edited
by hand), that is missing, or that was added beside the generated ones. The user
code area (`<package>/_custom/`) and caches are never counted. A spec that starts
to reference a new file has changed itself, so the recorded list is enough. The
digests and the folder's walk are `stamp`'s (the standard library alone).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .limits import InputTooLarge, NotRegularFile
from .stamp import (
    CUSTOM_DIR,
    FINGERPRINT_FILE,
    STAMP_FORMAT,
    changed_files,
    file_hash,
    is_user_path,
    options_digest,
    spec_digest,
)
from .stamp import generator_digest as _generator_digest
from .stamp import read_stamp as _read_stamp

__all__ = [
    "CUSTOM_DIR",
    "FINGERPRINT_FILE",
    "STAMP_FORMAT",
    "Staleness",
    "file_changes",
    "file_hash",
    "generator_digest",
    "is_up_to_date",
    "is_user_path",
    "read_stamp",
    "staleness",
    "stamp_text",
]


def _relative_spec_files(spec_path: Path, spec_files: Iterable[Path]) -> list[str]:
    """The spec files as POSIX paths relative to the spec's folder, the spec itself first
    (`../common/pet.yaml` for a file that `ref_root` let the spec read from beside it)."""
    folder = spec_path.resolve().parent
    root = spec_path.resolve()
    others = sorted({p.resolve() for p in spec_files} - {root})
    return [root.name] + [PurePosixPath(os.path.relpath(p, folder)).as_posix() for p in others]


def generator_digest(template_override: Path | None = None) -> str:
    """A hash of the generator's version, modules and templates (and the override folder,
    read anew each time: the user edits it)."""
    return _generator_digest(None if template_override is None else str(template_override))


def read_stamp(output: Path) -> dict[str, Any] | None:
    """The stamp of a generated folder (None when absent, unreadable or of another format)."""
    return _read_stamp(str(output))


def file_hashes(files: Mapping[str, str]) -> dict[str, str]:
    """The hash the stamp records of each generated file of `files` (path → text), sorted
    (not the user's: `is_user_path`)."""
    return {
        path: file_hash(text.encode("utf-8"))
        for path, text in sorted(files.items())
        if not is_user_path(path)
    }


def stamp_text(
    spec_path: Path,
    package_name: str,
    spec_files: Iterable[Path],
    hashes: Mapping[str, str],
    *,
    options: str = "",
    template_override: Path | None = None,
    module_cache: Mapping[str, Any] | None = None,
) -> str:
    """The `.sdkgen-inputs` text of a package about to be written with the files `hashes`
    (`file_hashes`; `module_cache`: what `ModuleCache.finish` says to record)."""
    relative = _relative_spec_files(spec_path, spec_files)
    stamp: dict[str, Any] = {
        "format": STAMP_FORMAT,
        "package": package_name,
        "spec": spec_digest(str(spec_path.resolve().parent), relative, package_name),
        "spec_files": relative,
        "generator": generator_digest(template_override),
        "options": options_digest(options),
        "files": dict(hashes),
    }
    stamp.update(module_cache or {})
    return json.dumps(stamp, indent=1, ensure_ascii=True) + "\n"


@dataclass(frozen=True)
class Staleness:
    """What differs between a generated folder and what generating it now would write."""

    reasons: tuple[str, ...] = ()  # inputs that changed since generation
    edited: tuple[str, ...] = ()  # generated files whose content changed
    added: tuple[str, ...] = ()  # files beside the generated ones (outside `_custom/`)
    missing: tuple[str, ...] = ()  # generated files that are gone
    package: str | None = None
    api_inputs_changed: bool = False  # the spec or the configuration: the API may change
    files_checked: bool = False  # whether `edited`, `added` and `missing` were looked for

    @property
    def up_to_date(self) -> bool:
        """True when generating again would write exactly what is there."""
        return not (self.reasons or self.edited or self.added or self.missing)

    @property
    def hand_changes(self) -> tuple[str, ...]:
        """Files a regeneration would overwrite or delete although someone wrote them."""
        return tuple(sorted((*self.edited, *self.added)))


def file_changes(output: Path, stamp: Mapping[str, Any]) -> Staleness:
    """Generated files of `output` edited, added or missing since the stamp was written."""
    edited, added, missing = changed_files(str(output), stamp)
    return Staleness(edited=edited, added=added, missing=missing, files_checked=True)


def staleness(
    spec_path: Path,
    output: Path,
    package_name: str | None = None,
    *,
    options: str = "",
    template_override: Path | None = None,
    ref_root: Path | None = None,
) -> Staleness:
    """Compare `output` with what generating `spec_path` into it would record now.

    `package_name` None takes the recorded one: a spec whose title (which names the
    package) changed has a different hash anyway.
    """
    stamp = read_stamp(output)
    if stamp is None:
        reason = "not generated yet" if not output.exists() else "no generation stamp"
        return Staleness(reasons=(reason,))
    name = package_name or str(stamp.get("package"))
    if stamp.get("package") != name:
        return Staleness(reasons=(f"package name changed ({stamp.get('package')} → {name})",))
    reasons = []
    relative = [str(r) for r in stamp.get("spec_files") or []]
    try:
        same_spec = bool(relative) and relative[0] == spec_path.name
        folder = str(spec_path.resolve().parent)
        within = folder if ref_root is None else str(ref_root)
        same_spec = same_spec and stamp.get("spec") == spec_digest(folder, relative, name, within)
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        same_spec = False
    if not same_spec:
        reasons.append("the spec changed since generation")
    if stamp.get("generator") != generator_digest(template_override):
        reasons.append("the generator or its templates changed")
    same_options = stamp.get("options") == options_digest(options)
    if not same_options:
        reasons.append("the configuration changed")
    files = file_changes(output, stamp)
    return Staleness(
        reasons=tuple(reasons),
        edited=files.edited,
        added=files.added,
        missing=files.missing,
        package=name,
        api_inputs_changed=not (same_spec and same_options),
        files_checked=True,
    )


def is_up_to_date(
    spec_path: Path,
    output: Path,
    package_name: str | None = None,
    *,
    options: str = "",
    template_override: Path | None = None,
    ref_root: Path | None = None,
) -> bool:
    """True when `output` was generated from exactly these inputs and nobody changed it since."""
    return staleness(
        spec_path,
        output,
        package_name,
        options=options,
        template_override=template_override,
        ref_root=ref_root,
    ).up_to_date
