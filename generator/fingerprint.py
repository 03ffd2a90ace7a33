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
to reference a new file has changed itself, so the recorded list is enough. Only
the standard library is imported here, so the check costs milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .limits import InputTooLarge, NotRegularFile, read_regular_file, regular_file_chunks
from .paths import GENERATOR_DIR, TEMPLATES_DIR

FINGERPRINT_FILE = ".sdkgen-inputs"
CUSTOM_DIR = "_custom"  # the user code area of a package: generation never touches it
STAMP_FORMAT = 2
# what tools and installs leave in a package folder: neither generated nor hand-written
_IGNORED_PARTS = frozenset(
    {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".venv"}
)


def _tree_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


def file_hash(data: bytes) -> str:
    """The hash recorded for one generated file (SHA-256, shortened: edits, not attacks)."""
    return hashlib.sha256(data).hexdigest()[:24]


def _relative_spec_files(spec_path: Path, spec_files: Iterable[Path]) -> list[str]:
    """The spec files as POSIX paths relative to the spec's folder, the spec itself first
    (`../common/pet.yaml` for a file that `ref_root` let the spec read from beside it)."""
    folder = spec_path.resolve().parent
    root = spec_path.resolve()
    others = sorted({p.resolve() for p in spec_files} - {root})
    return [root.name] + [PurePosixPath(os.path.relpath(p, folder)).as_posix() for p in others]


def _spec_digest(folder: Path, relative: Sequence[str], package_name: str) -> str:
    """Spec files are read as `load` reads them (regular files only, within the size limit)."""
    digest = hashlib.sha256(f"{package_name}\0".encode())
    for name in relative:
        # a megabyte at a time: the whole file, joined and then copied into `name + data`,
        # made GitHub's 13 MB spec the largest part of the generation's peak memory
        digest.update(name.encode() + b"\0")
        for chunk in regular_file_chunks(folder / name):
            digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def _builtin_digest() -> str:
    """The generator's version, modules and templates (unchanged while a process runs)."""
    digest = hashlib.sha256(f"billing-sdkgen {__version__}\0".encode())
    for root, suffix in ((TEMPLATES_DIR, ".jinja"), (GENERATOR_DIR, ".py")):
        for path in _tree_files(root, (suffix,)):
            name = path.relative_to(root).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def generator_digest(template_override: Path | None = None) -> str:
    """A hash of the generator's version, modules and templates (and the override folder,
    read anew each time: the user edits it)."""
    if template_override is None:
        return _builtin_digest()
    digest = hashlib.sha256(_builtin_digest().encode())
    for path in _tree_files(template_override, (".jinja",)):
        name = path.relative_to(template_override).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_text(
    spec_path: Path,
    package_name: str,
    spec_files: Iterable[Path],
    files: Mapping[str, str],
    *,
    options: str = "",
    template_override: Path | None = None,
    module_cache: Mapping[str, Any] | None = None,
) -> str:
    """The `.sdkgen-inputs` text of a package about to be written as `files`
    (`module_cache`: what `ModuleCache.finish` says to record)."""
    relative = _relative_spec_files(spec_path, spec_files)
    stamp: dict[str, Any] = {
        "format": STAMP_FORMAT,
        "package": package_name,
        "spec": _spec_digest(spec_path.resolve().parent, relative, package_name),
        "spec_files": relative,
        "generator": generator_digest(template_override),
        "options": hashlib.sha256(options.encode()).hexdigest(),
        "files": {
            path: file_hash(text.encode("utf-8"))
            for path, text in sorted(files.items())
            if not is_user_path(path)
        },
    }
    stamp.update(module_cache or {})
    return json.dumps(stamp, indent=1, ensure_ascii=True) + "\n"


def is_user_path(relative: str) -> bool:
    """True for paths generation neither writes nor counts: the user code area and caches."""
    parts = relative.split("/")
    return (
        parts[0] == FINGERPRINT_FILE
        or CUSTOM_DIR in parts[:2]
        or any(p in _IGNORED_PARTS or p.endswith(".egg-info") for p in parts)
        or relative.endswith(".pyc")
    )


def read_stamp(output: Path) -> dict[str, Any] | None:
    """The stamp of a generated folder (None when absent, unreadable or of another format)."""
    try:
        stamp = json.loads(read_regular_file(output / FINGERPRINT_FILE, 64 << 20))
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != STAMP_FORMAT:
        return None
    return stamp


@dataclass(frozen=True)
class Staleness:
    """What differs between a generated folder and what generating it now would write."""

    reasons: tuple[str, ...] = ()  # inputs that changed since generation
    edited: tuple[str, ...] = ()  # generated files whose content changed
    added: tuple[str, ...] = ()  # files beside the generated ones (outside `_custom/`)
    missing: tuple[str, ...] = ()  # generated files that are gone
    package: str | None = None
    api_inputs_changed: bool = False  # the spec or the configuration: the API may change

    @property
    def up_to_date(self) -> bool:
        """True when generating again would write exactly what is there."""
        return not (self.reasons or self.edited or self.added or self.missing)

    @property
    def hand_changes(self) -> tuple[str, ...]:
        """Files a regeneration would overwrite or delete although someone wrote them."""
        return tuple(sorted((*self.edited, *self.added)))


def _present_files(output: Path) -> list[str]:
    found = []
    for folder, subfolders, names in os.walk(output):
        subfolders[:] = [d for d in subfolders if d not in _IGNORED_PARTS]
        base = Path(folder).relative_to(output).as_posix()
        for name in names:
            relative = name if base == "." else f"{base}/{name}"
            if not is_user_path(relative):
                found.append(relative)
    return sorted(found)


def file_changes(output: Path, stamp: Mapping[str, Any]) -> Staleness:
    """Generated files of `output` edited, added or missing since the stamp was written."""
    recorded = stamp.get("files")
    if not isinstance(recorded, dict):
        return Staleness()
    present = _present_files(output)
    edited = []
    for relative in present:
        expected = recorded.get(relative)
        if expected is None:
            continue
        try:
            data = read_regular_file(output / relative, 1 << 30)
        except (OSError, InputTooLarge, NotRegularFile):
            edited.append(relative)
            continue
        if file_hash(data) != expected:
            edited.append(relative)
    added = sorted(set(present) - set(recorded))
    missing = sorted(set(recorded) - set(present))
    return Staleness(edited=tuple(edited), added=tuple(added), missing=tuple(missing))


def staleness(
    spec_path: Path,
    output: Path,
    package_name: str | None = None,
    *,
    options: str = "",
    template_override: Path | None = None,
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
        same_spec = same_spec and stamp.get("spec") == _spec_digest(
            spec_path.resolve().parent, relative, name
        )
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        same_spec = False
    if not same_spec:
        reasons.append("the spec changed since generation")
    if stamp.get("generator") != generator_digest(template_override):
        reasons.append("the generator or its templates changed")
    same_options = stamp.get("options") == hashlib.sha256(options.encode()).hexdigest()
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
    )


def is_up_to_date(
    spec_path: Path,
    output: Path,
    package_name: str | None = None,
    *,
    options: str = "",
    template_override: Path | None = None,
) -> bool:
    """True when `output` was generated from exactly these inputs and nobody changed it since."""
    return staleness(
        spec_path, output, package_name, options=options, template_override=template_override
    ).up_to_date
