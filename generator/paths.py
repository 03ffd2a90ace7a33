"""Where the generator's own files are (the templates and the runtime modules), and its
cache folder.

`templates/` sits at the top of a source checkout, beside `generator/`; the
wheel maps it into the package as `generator/templates/` (hatchling
`force-include`, see pyproject.toml). The installed location is looked for
first: it exists only in an installed wheel, so a checkout never mistakes
another project's `templates/` folder for its own.
"""

from __future__ import annotations

import os
from pathlib import Path

GENERATOR_DIR = Path(__file__).resolve().parent
RUNTIME_DIR = GENERATOR_DIR / "runtime"


def _templates_dir() -> Path:
    installed = GENERATOR_DIR / "templates"
    if installed.is_dir():
        return installed
    return GENERATOR_DIR.parent / "templates"


TEMPLATES_DIR = _templates_dir()


def cache_root() -> Path:
    """The generator's cache folder (black's output, the module cache's packs, the compiled
    templates, the configurations that passed the schema): `BILLING_SDKGEN_CACHE`, else
    `billing-sdkgen` in the XDG cache folder."""
    root = os.environ.get("BILLING_SDKGEN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "billing-sdkgen"
    )
    return Path(root)


def private_cache_folder(name: str) -> Path | None:
    """`name` in the cache folder, created private to the user when missing (what it holds
    decides what the generator runs or skips); None when it cannot be created."""
    folder = cache_root() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
