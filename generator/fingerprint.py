"""Skip work that cannot change: a fingerprint of everything a package is generated from.

The fingerprint hashes the spec's files (the spec and the files its `$ref`s
bundle), the templates, the generator's own modules and its version. `generate`
writes it into the package (`.sdkgen-inputs`: the hash, then the spec files it
covers, relative to the spec's folder); when the fingerprint of those inputs
still matches, nothing needs generating. A spec that starts to reference a new
file has changed itself, so the recorded list is enough. Only the standard
library is imported here, so the check costs milliseconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from . import __version__
from .limits import InputTooLarge, NotRegularFile, read_regular_file

FINGERPRINT_FILE = ".sdkgen-inputs"
_GENERATOR_DIR = Path(__file__).resolve().parent
_TEMPLATES_DIR = _GENERATOR_DIR.parent / "templates"


def _tree_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


def _relative_spec_files(spec_path: Path, spec_files: Iterable[Path]) -> list[str]:
    """The spec files as POSIX paths relative to the spec's folder, the spec itself first."""
    folder = spec_path.resolve().parent
    root = spec_path.resolve()
    others = sorted({p.resolve() for p in spec_files} - {root})
    return [root.name] + [PurePosixPath(p.relative_to(folder)).as_posix() for p in others]


def inputs_fingerprint(spec_path: Path, package_name: str, spec_files: Iterable[Path] = ()) -> str:
    """The stamp text: a SHA-256 over the inputs, then the spec files it covers, one a line.

    Spec files are read as `load` reads them (regular files only, within the size limit).

    `spec_files` are the files the spec bundles (the spec itself is always included).
    """
    relative = _relative_spec_files(spec_path, spec_files)
    return _digest(spec_path.resolve().parent, relative, package_name) + "".join(
        f"\n{name}" for name in relative
    )


def _digest(folder: Path, relative: list[str], package_name: str) -> str:
    digest = hashlib.sha256(f"billing-sdkgen {__version__}\0{package_name}\0".encode())
    for name in relative:
        digest.update(name.encode() + b"\0" + read_regular_file(folder / name) + b"\0")
    for group in (_tree_files(_TEMPLATES_DIR, (".jinja",)), _tree_files(_GENERATOR_DIR, (".py",))):
        for path in group:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_up_to_date(spec_path: Path, output: Path, package_name: str) -> bool:
    """True when `output` was generated from exactly these inputs (and still has its stamp)."""
    stamp = output / FINGERPRINT_FILE
    try:
        recorded, *relative = stamp.read_text(encoding="utf-8").split("\n")
        relative = [name for name in relative if name]
        if not relative or relative[0] != spec_path.name:
            return False
        return recorded == _digest(spec_path.resolve().parent, relative, package_name)
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        return False
