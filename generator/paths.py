"""Where the generator's own files are (the templates and the runtime modules), and its
cache folder, as `Path`s (`locations` finds them).
"""

from __future__ import annotations

from pathlib import Path

from .locations import GENERATOR_FOLDER, TEMPLATES_FOLDER, cache_folder

GENERATOR_DIR = Path(GENERATOR_FOLDER)
RUNTIME_DIR = GENERATOR_DIR / "runtime"
TEMPLATES_DIR = Path(TEMPLATES_FOLDER)


def cache_root() -> Path:
    """The generator's cache folder (`locations.cache_folder`)."""
    return Path(cache_folder())


def private_cache_folder(name: str) -> Path | None:
    """`name` in the cache folder, created private to the user when missing (what it holds
    decides what the generator runs or skips); None when it cannot be created."""
    folder = cache_root() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
