"""Bounds on untrusted input: how much is read, how deep it nests, how far it expands.

A spec is untrusted input. Every limit here is checked where the input is first
seen (the file's size before reading it, nesting depth and YAML alias expansion
right after parsing, integer literals while parsing) and reported as a located
E004 diagnostic, never as a traceback or an exhausted machine. The limits are
far above what real specs need: Microsoft Graph's 20 MB spec (the largest we
know of) nests 30 levels deep and uses no aliases.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # not `typing`'s: the quick check imports this module, and not typing
if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_SPEC_BYTES = 64 * 1024 * 1024
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a pyproject.toml (a 200 MB one took 13 s and 425 MB)
"""Size limit of one spec: its file and every file its `$ref`s bundle, together."""

MAX_DEPTH = 200
"""Deepest nesting of mappings and lists in a parsed document."""

MAX_ALIAS_NODES = 1_000_000
"""How many nodes YAML aliases may add to a document when they are expanded."""

MAX_INLINED_NODES = 1_000_000
"""How many nodes bundling may copy when it inlines file `$ref`s outside components."""

MAX_INLINE_NESTING = 64
"""How deep inlinings may nest (a `$ref` outside components to one that is inlined too…)."""

MAX_INT_DIGITS = 1000
"""Longest integer literal (decimal digits, or hex/octal digits) accepted in a document."""

MAX_REF_CHAIN = 64
"""Longest chain of schemas that only alias or extend another (`$ref`, `allOf`)."""

MAX_ENUM_MEMBERS = 5_000
"""Most values of an `enum` written as an Enum class; one of more is a `Literal` type (W410):
mypy checks an Enum class at about 1 ms a member (10,000: 10 s; three of 50,000 did not
finish in 10 minutes), a `Literal` of 10,000 values in 0.6 s. The directory's largest enum
has 2,477 values."""

MAX_REPORTED = 100
"""Diagnostics of one kind reported for one file before the rest are summarised."""

OPERATIONS_BASE, OPERATIONS_PER_MB = 1_000, 1_500
"""A spec may declare at most 1,000 operations plus 1,500 a megabyte of its files (60,000
operations of one line each in a 3.5 MB file took 35 s and 1 GiB to generate: hostile
audit 17). Real specs are far below it: the directory's densest large one is Autotask's
(2,958 in 3.4 MB), Microsoft Graph beta's 22,361 are in 47 MB."""

MODELS_BASE, MODELS_PER_MB = 5_000, 6_000
"""A spec may make at most 5,000 models plus 6,000 a megabyte of its files (140,000 models of
one property each fit in 10 MB, each its own module: 35 s to generate; found after hostile
audit 17). Real specs are far below it: in the directory, counting every schema with
properties, an enum or a union (more than it makes models), AWS EC2's 13,410 in 4.7 MB are
a third of it; Microsoft Graph beta's 26,971 models are in 47 MB."""


def max_models(spec_bytes: int) -> int:
    """How many models (classes: objects, enums, aliases) a spec of `spec_bytes` may make."""
    return MODELS_BASE + MODELS_PER_MB * spec_bytes // 1_000_000


class TooManyModels(Exception):
    """The spec makes more models than its size allows (`max_models`); `pointer` is the
    schema that went past the limit."""

    def __init__(self, pointer: str, limit: int) -> None:
        super().__init__(
            f"the schemas make more than {limit:,} models, the limit for this spec's size "
            f"({MODELS_BASE:,} plus {MODELS_PER_MB:,} a megabyte)"
        )
        self.pointer = pointer


MAX_SECURITY_SCHEMES = 1_000
"""Security schemes a spec may declare: each is an argument of the clients (40,000 took 11 s
to generate, 120,000 fit in 10 MB; found after hostile audit 17). The directory's most is 7."""

MAX_SERVER_VARIABLES = 1_000
"""Variables of the first server, each an argument of the clients (10,000 in 348 kB took
15 s to generate). The directory's most is 3."""

POINTER_CHARS_BASE, POINTER_CHARS_PER_BYTE = 16_000_000, 8
"""The JSON pointers of every mapping and list of a document may add up to 16,000,000
characters plus 8 a byte of its files: a key is in the pointer of every node below it,
and a 290,000-character path above 64,000 parameters (2.9 MB) made 18 GB of pointers (the
lint ran out of memory; found after hostile audit 17). Real specs are far below it: the
directory's highest is 4.2 characters a byte (a small Azure spec), GitHub's 0.7."""


def max_pointer_chars(spec_bytes: int) -> int:
    """How many characters the JSON pointers of a spec of `spec_bytes` may add up to."""
    return POINTER_CHARS_BASE + POINTER_CHARS_PER_BYTE * spec_bytes


def pointer_message(budget: int) -> str:
    """E004's message for pointers over `budget` characters."""
    return (
        f"the document's JSON pointers add up to more than {budget:,} characters (long keys "
        f"above many nodes; the limit is {POINTER_CHARS_BASE:,} plus {POINTER_CHARS_PER_BYTE} "
        "a byte of the spec)"
    )


def pointer_token_length(token: str) -> int:
    """The length of `token` in a JSON pointer (`~` and `/` escaped)."""
    if "~" in token or "/" in token:
        return len(token) + token.count("~") + token.count("/")
    return len(token)


def pointer_chars_over(document: object, budget: int) -> bool:
    """Do the JSON pointers of the document's mappings and lists (data included) add up to
    more than `budget` characters? Counted from their lengths, without building one (the
    parser counts them for each file as it checks the depth; this is for the bundled
    document)."""
    total = 0
    stack: list[tuple[object, int]] = [(document, 0)]
    push, pop = stack.append, stack.pop
    while stack:
        node, length = pop()
        total += length
        if total > budget:
            return True
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    push((value, length + 1 + pointer_token_length(str(key))))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    push((value, length + 1 + len(str(index))))
    return False


def max_operations(spec_bytes: int) -> int:
    """How many operations a spec of `spec_bytes` (its files together) may declare."""
    return OPERATIONS_BASE + OPERATIONS_PER_MB * spec_bytes // 1_000_000


class InputTooLarge(Exception):
    """A file is larger than the limit (carries the message for the diagnostic)."""


class NotRegularFile(Exception):
    """A path names something other than a regular file (a FIFO, a device, a folder)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_SPEC_BYTES) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    The file is opened without blocking (a FIFO would otherwise wait for a writer
    forever) and checked with `fstat` on the open descriptor, so a link to
    `/dev/zero` or a FIFO is refused before anything is read; at most `limit + 1`
    bytes are ever read. OSError when it cannot be opened or read.
    """
    return b"".join(regular_file_chunks(path, limit))


def regular_file_chunks(
    path: str | os.PathLike[str], limit: int = MAX_SPEC_BYTES
) -> Iterator[bytes]:
    """`read_regular_file`'s bytes a megabyte at a time, with its checks, for a reader that
    does not need them whole (a digest: the chunks and their join held a spec twice)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    _regular_before_opening(path)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"it is {_kind(info.st_mode)}")
        if info.st_size > limit:
            raise InputTooLarge(_too_large(info.st_size, limit))
        read = 0
        while read <= limit:
            chunk = os.read(descriptor, min(limit + 1 - read, 1 << 20))
            if not chunk:
                break
            read += len(chunk)
            if read > limit:
                raise InputTooLarge(_too_large(read, limit))
            yield chunk
    finally:
        os.close(descriptor)


def _regular_before_opening(path: str | os.PathLike[str]) -> None:
    """Refuse what is no regular file before opening it: opening a device has effects of
    its own (a watchdog is armed by `open`, a serial line raises DTR), and the descriptor's
    check after it comes too late for those (hostile audit 8). The check after opening
    stays: the file may change in between."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(f"it is {_kind(info.st_mode)}")


def _too_large(size: int, limit: int) -> str:
    return f"file is larger than the limit of {limit:,} bytes ({size:,} bytes)"
