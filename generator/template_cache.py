"""The templates' compiled code, kept between runs (Jinja's bytecode cache).

Compiling the templates from source is ~85 ms of every cold `generate` (a small spec's run
is ~0.45 s). Jinja keeps each template's compiled code in a file named after the template
and checked against a SHA-1 of its source (`jinja2.FileSystemBytecodeCache`), so an edited
or overriding template is compiled again; its header names the Python version, so another
interpreter's code is never loaded. The folder is `templates/` in the generator's cache
folder (`paths.cache_root`), created private to the user. A folder that cannot be created,
read or written costs the compile, never the run.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket

from .paths import private_cache_folder

__all__ = ["bytecode_cache"]


class _TolerantCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, where any failure to load or store is a cache miss."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill `bucket` from its file; a damaged or unreadable file leaves it empty."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged file (pickle, marshal) or OSError: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store `bucket` (Jinja writes a temporary file and renames it); failures pass."""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache in the cache folder's `templates/`, or None when it cannot be created."""
    folder = private_cache_folder("templates")
    return None if folder is None else _TolerantCache(str(folder))
