"""Skip work that cannot change: a fingerprint of everything a package is generated from.

The fingerprint hashes the spec's folder files, the templates, the generator's
own modules and its version. `generate` writes it into the package
(`.sdkgen-inputs`); when the fingerprint of the inputs still matches, nothing
needs generating. Only the standard library is imported here, so the check
costs milliseconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__

FINGERPRINT_FILE = ".sdkgen-inputs"
_GENERATOR_DIR = Path(__file__).resolve().parent
_TEMPLATES_DIR = _GENERATOR_DIR.parent / "templates"
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def _tree_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


def inputs_fingerprint(spec_path: Path, package_name: str) -> str:
    """SHA-256 over the spec folder's spec files, the templates, the generator and its version."""
    digest = hashlib.sha256(
        f"billing-sdkgen {__version__}\0{package_name}\0{spec_path.name}\0".encode()
    )
    groups = [
        _tree_files(spec_path.resolve().parent, _SPEC_SUFFIXES),  # $refs may reach siblings
        _tree_files(_TEMPLATES_DIR, (".jinja",)),
        _tree_files(_GENERATOR_DIR, (".py",)),
    ]
    for files in groups:
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_up_to_date(spec_path: Path, output: Path, package_name: str) -> bool:
    """True when `output` was generated from exactly these inputs (and still has its stamp)."""
    stamp = output / FINGERPRINT_FILE
    try:
        recorded = stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return recorded == inputs_fingerprint(spec_path, package_name)
