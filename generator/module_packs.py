"""Where `module_cache` keeps the pickled IR nodes of a generation: pack files.

Each process that keyed modules writes the pickles it made into one part file in the
cache folder (`BILLING_SDKGEN_CACHE`, else `~/.cache/billing-sdkgen`, under `ir/`): a
generation writes two or three files, not one per module (GitHub's 1,682 small files
cost 0.4 s of a cold run). Once every process is done, the parts are named after the
generation's identity (a hash of all its module keys: the same for the same IR, whatever
process keyed which module), `<identity>-<n>.pack`, which is what the package's stamp
records. A part is a JSON index (key → offset and length, or a record's text: a module
file's hash) after its length, then the pickles; a reader reads the indexes and the
pickles it needs only.

Once the next generation is written, the previous one's packs are deleted (`prune`),
and parts and packs untouched for 30 days (left by a generation that failed) go too.

Packs are read with an unpickler that builds nothing but classes the generator's loaded
modules define (`IrUnpickler`); `module_cache` checks every pickle against its key.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .paths import cache_root

SUFFIX = ".pack"
STALE_SECONDS = 30 * 24 * 3600  # a pack no stamp names is deleted after this long
_HEADER = 8  # bytes of the index's length
_PART = "part-"  # a part file, not yet named after its generation
_RECORDS = "@records"  # the index's entry of the records (a key is hex: no clash)


def packs_folder() -> Path:
    """The folder of the pack files."""
    return cache_root() / "ir"


def write_part(
    pickles: Mapping[str, bytes], records: Mapping[str, str] | None = None
) -> str | None:
    """Write `pickles` (key → pickled node) as a part file, with `records` (key → text: a
    file's hash, `module_cache`) in its index; its name, or None when there is nothing to
    write or the folder cannot be written (the cache is an optimisation)."""
    if not pickles and not records:
        return None
    index: dict[str, Any] = {_RECORDS: dict(records)} if records else {}
    offset = 0
    for key, data in pickles.items():
        index[key] = [offset, len(data)]
        offset += len(data)
    head = json.dumps(index, separators=(",", ":")).encode()
    name = f"{_PART}{uuid.uuid4().hex}"
    folder = packs_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.{os.getpid()}"
        with temporary.open("wb") as file:
            file.write(len(head).to_bytes(_HEADER, "big"))
            file.write(head)
            for data in pickles.values():
                file.write(data)
        temporary.replace(folder / name)
    except OSError:
        return None
    return name


def adopt(parts: Iterable[str], identity: str) -> None:
    """Name the `parts` of a generation after its `identity`; when that generation's
    packs are there already (the same IR generated before), the parts are dropped."""
    folder = packs_folder()
    names = sorted(p for p in set(parts) if p.startswith(_PART) and _valid(p[len(_PART) :]))
    try:
        if any(folder.glob(f"{identity}-*{SUFFIX}")):
            for name in names:
                (folder / name).unlink(missing_ok=True)
            return
        for number, name in enumerate(names):
            (folder / name).replace(folder / f"{identity}-{number}{SUFFIX}")
    except OSError:
        pass


class PackReader:
    """The pickles of one generation's packs, read on demand (None for a key they do not
    hold)."""

    def __init__(self, identity: str | None) -> None:
        self._identity = identity if identity is not None and _valid(identity) else None
        self._index: dict[str, tuple[Path, int, int]] | None = None
        self._records: dict[str, str] = {}  # read with the index

    def exists(self) -> bool:
        """True when the generation has packs in the cache folder."""
        return bool(self._files())

    def _files(self) -> list[Path]:
        if self._identity is None:
            return []
        try:
            return sorted(packs_folder().glob(f"{self._identity}-*{SUFFIX}"))
        except OSError:
            return []

    def record(self, key: str) -> str | None:
        """The text recorded under `key` (`write_part`'s `records`): read with the indexes,
        no file opened for it (one `get` a reused module opened its pack each time)."""
        if self._index is None:
            self._index = self._read_indexes()
        return self._records.get(key)

    def get(self, key: str) -> bytes | None:
        """The pickle stored under `key`."""
        if self._index is None:
            self._index = self._read_indexes()
        found = self._index.get(key)
        if found is None:
            return None
        path, offset, length = found
        try:
            with path.open("rb") as file:
                file.seek(offset)
                data = file.read(length)
        except OSError:
            return None
        return data if len(data) == length else None

    def _read_indexes(self) -> dict[str, tuple[Path, int, int]]:
        index: dict[str, tuple[Path, int, int]] = {}
        for path in self._files():
            try:
                with path.open("rb") as file:
                    size = int.from_bytes(file.read(_HEADER), "big")
                    entries = json.loads(file.read(size))
            except (OSError, ValueError):
                continue
            if not isinstance(entries, dict):
                continue
            start = _HEADER + size
            records = entries.pop(_RECORDS, None)
            if isinstance(records, dict):
                self._records.update((str(k), v) for k, v in records.items() if isinstance(v, str))
            for key, place in entries.items():
                if isinstance(place, list) and len(place) == 2:
                    index[str(key)] = (path, start + int(place[0]), int(place[1]))
        return index


def prune(previous: str | None, current: str | None) -> None:
    """Delete the previous generation's packs (unless it is the current one), and parts
    and packs untouched for `STALE_SECONDS` (a generation that failed)."""
    folder = packs_folder()
    try:
        if previous is not None and _valid(previous) and previous != current:
            for path in folder.glob(f"{previous}-*{SUFFIX}"):
                path.unlink(missing_ok=True)
        entries = list(os.scandir(folder))
    except OSError:
        return
    limit = time.time() - STALE_SECONDS
    for entry in entries:
        if current is not None and entry.name.startswith(current):
            continue
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            pass


def _valid(name: str) -> bool:
    """An identity or part name as made here (a stamp is read from the output folder)."""
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def unpickle(data: bytes) -> Any:
    """A pickled IR node, built by `IrUnpickler` (raises on anything else)."""
    return IrUnpickler(io.BytesIO(data)).load()


class IrUnpickler(pickle.Unpickler):
    """Builds the classes the generator's own modules define (the IR's dataclasses) and
    nothing else: no function, no module, nothing of the standard library."""

    def find_class(self, module: str, name: str) -> Any:
        loaded = sys.modules.get(module) if module.startswith("generator.") else None
        found = getattr(loaded, name, None) if "." not in name else None  # nothing imported
        if isinstance(found, type) and found.__module__ == module:
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a class of the IR")
