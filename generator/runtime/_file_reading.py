"""Files read while a request is sent: a raw body's chunks, a part's file object, a path
opened as its part is sent; what is left of a file to send, and the error of a read that
fails mid-upload (`unreadable`: the upload stopped, nothing of the file or its path in it).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any

from . import errors

__all__ = [
    "FileChunks",
    "PartReading",
    "PathReading",
    "length_left",
    "plain_file",
    "unreadable",
    "why_unreadable",
]

_CHUNK = 64 * 1024  # bytes read at a time


class FileChunks:
    """A file (a path opened when sent, or a file object) read in chunks, sync or async; a
    read that fails stops the request with `RequestValidationError` (`unreadable`)."""

    def __init__(self, source: Any) -> None:
        self.source = source

    def _chunks(self) -> Iterator[bytes]:
        try:
            if isinstance(self.source, os.PathLike):
                with open(self.source, "rb") as file:
                    yield from iter(lambda: file.read(_CHUNK), b"")
            else:
                yield from iter(lambda: self.source.read(_CHUNK), b"")
            return
        except OSError as exc:
            error = unreadable("body", exc)
        raise error  # (outside the handler: nothing of the file is chained)

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


def length_left(source: Any) -> int | None:
    """The bytes left in a path or a seekable file, or None when unknown (a known length
    goes as `Content-Length`, not chunked: an `io.BytesIO`, which has no file number, went
    chunked, which upload endpoints often refuse; UX audit 18). Only a plain file on disk
    is measured by its file number: a `gzip.open` file's is the compressed file's, a pipe's
    size is 0, and either declared a wrong length (h11 refused the request half sent;
    media audit 2)."""
    try:
        if isinstance(source, os.PathLike):
            return os.stat(source).st_size
        if source.seekable():
            if plain_file(source):
                return int(os.fstat(source.fileno()).st_size - source.tell())
            here = source.tell()  # (measured by seeking: gzip's cannot seek from the end)
            end = source.seek(0, io.SEEK_END)
            source.seek(here)
            return int(end - here)
    except (AttributeError, OSError, ValueError):
        pass
    return None


def plain_file(file: Any) -> bool:
    """Is `file` a file of the file system read as it is (`open(path, "rb")`), a regular
    file, whose size its file number tells?"""
    if not isinstance(file, (io.BufferedReader, io.BufferedRandom, io.FileIO)):
        return False
    try:
        return stat.S_ISREG(os.fstat(file.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def why_unreadable(exc: OSError) -> str:
    """Why a file cannot be read, without its path (`No such file or directory`)."""
    return f"the file cannot be read ({type(exc).__name__}: {exc.strerror or 'read failed'})"


def unreadable(field: str, exc: OSError) -> errors.RequestValidationError:
    """The error of a file whose read failed while the request was being sent (the upload
    stopped), naming its field (`body`: a raw body); nothing of the file is chained."""
    problem = {"loc": (field,), "msg": f"{why_unreadable(exc)}; the upload stopped", "type": "file"}
    return errors.RequestValidationError("request not completed", [problem])


class PartReading:
    """A file object sent as a part: a read that fails is `unreadable` (a raw `OSError`
    came out of the transport); everything else is the file's own."""

    def __init__(self, field: str, file: Any) -> None:
        self._field = field
        self._file = file

    def read(self, size: int = -1) -> Any:
        try:
            return self._file.read(size)
        except OSError as exc:
            error = unreadable(self._field, exc)
        raise error  # (outside the handler: the OSError, which may name the path, is not chained)

    def fileno(self) -> int:
        """The file's number, for a plain file only: httpx declares the size that number
        gives as the part's length (a pipe's is 0, a `gzip.open` file's the compressed
        size: a wrong `Content-Length`, media audit 2); another is measured by seeking or
        sent chunked."""
        if not plain_file(self._file):
            raise OSError("no plain file")
        return int(self._file.fileno())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """The file's `seek`; one it cannot do is `io.UnsupportedOperation` (an `OSError`),
        which httpx takes for a length it cannot measure or a file it cannot rewind (gzip's
        `ValueError` from the end came out raw)."""
        try:
            return int(self._file.seek(offset, whence))
        except ValueError as exc:  # (`io.UnsupportedOperation` is one too: a pipe's)
            raise io.UnsupportedOperation(str(exc)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class PathReading:
    """A path sent as a part, opened when httpx reads it and closed at its end: it was read
    whole first, and h11's framing and the socket's writes copied it again (a 300 MB file
    took 900 MB; media audit 6). Its length is the file's size (`seek` from the end, as
    httpx measures a file without a number: `fileno` is refused); a retry rewinds it."""

    def __init__(self, field: str, path: Path, size: int) -> None:
        self._field = field
        self._path = path
        self._size = size
        self._file: IO[bytes] | None = None
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        try:
            if self._file is None:
                self._file = self._path.open("rb")
                if self._position:
                    self._file.seek(self._position)
            data = self._file.read(size)
        except OSError as exc:
            error = unreadable(self._field, exc)
        else:
            self._position += len(data)
            if not data or size < 0:
                self.close()
            return data
        raise error  # (outside the handler: the OSError, which may name the path, is not chained)

    def fileno(self) -> int:
        raise io.UnsupportedOperation("measured by its size")

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = base + offset
        if self._file is not None:
            self._file.seek(self._position)
        return self._position

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:  # (a request given up half sent)
        with contextlib.suppress(Exception):
            self.close()
