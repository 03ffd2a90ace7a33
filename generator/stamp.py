"""The stamp a generated package carries (`.sdkgen-inputs`), read and checked with the
standard library's `os` and SHA-256 alone: the quick check (`quick`) runs these
before the rest of the generator is imported, and `fingerprint` builds on them.

What the stamp holds is described in `fingerprint`. Here: the digests (the spec's files,
the generator's own files, the options), the walk of a generated folder (which files are
generated, which are the user's), and, in the cache folder, the options a configuration
gives each spec (`remember_options`), so that the quick check can compare them with the
stamp's without reading the configuration.
"""

from __future__ import annotations

import os
import sys

from . import __version__
from .limits import InputTooLarge, NotRegularFile, read_regular_file, regular_file_chunks
from .locations import GENERATOR_FOLDER, TEMPLATES_FOLDER, cache_folder

TYPE_CHECKING = False  # not `typing`'s, which the quick check does not import
if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
    from hashlib import _Hash
    from typing import Any

FINGERPRINT_FILE = ".sdkgen-inputs"
CUSTOM_DIR = "_custom"  # the user code area of a package: generation never touches it
STAMP_FORMAT = 2
# what tools and installs leave in a package folder: neither generated nor hand-written
_IGNORED_PARTS = frozenset(
    {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".venv"}
    # (`python -m venv venv`, tox's and nox's: deleted by `--force` as added by hand: review)
    | {"venv", ".tox", ".nox", ".hypothesis"}
)


# bytes: hashed with the interpreter's own SHA-256 until this many have been, after which
# OpenSSL's is loaded (`hashlib`: ~2.5 ms to load, then about five times faster)
_BUILTIN_SHA256_BYTES = 1 << 20
_hashed = [0]  # bytes hashed so far in this process
_builtin_sha256: list[Callable[[bytes], _Hash]] = []  # the module's constructor, once found


def _sha256(data: bytes = b"", expected: int = 0) -> _Hash:
    """A SHA-256 object fed `data` (and about to be fed `expected` bytes more): the same
    digest either way, from the interpreter's built-in module while little has been hashed
    (a quick check hashes a few hundred kilobytes: loading OpenSSL's library would be an
    eighth of it), else from `hashlib`, and always once `hashlib` is loaded."""
    _hashed[0] += len(data) + expected
    if "hashlib" not in sys.modules and _hashed[0] <= _BUILTIN_SHA256_BYTES:
        if not _builtin_sha256:
            for name in ("_sha2", "_sha256"):  # (its name from Python 3.12, before)
                try:
                    _builtin_sha256.append(__import__(name).sha256)
                    break
                except ImportError:
                    continue
        if _builtin_sha256:
            return _builtin_sha256[0](data)
    import hashlib

    return hashlib.sha256(data)


def file_hash(data: bytes) -> str:
    """The hash recorded for one generated file (SHA-256, shortened: edits, not attacks)."""
    return _sha256(data).hexdigest()[:24]


def _tree_entries(
    root: str, suffix: str, prefix: str = ""
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative POSIX path, entry) of the files under `root` whose names end with `suffix`
    (folder links not followed), in no particular order: the
    entries keep what the folder listing said (one `stat` a file at most)."""
    try:
        entries = list(os.scandir(os.path.join(root, prefix) if prefix else root))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _tree_entries(root, suffix, f"{prefix}{entry.name}/")
            elif entry.name.endswith(suffix) and entry.is_file():
                yield f"{prefix}{entry.name}", entry
        except OSError:
            continue


# the digest below by the record it is kept in: computed once a process (the files do not
# change), and written to each cache folder the process uses
_BUILTIN: dict[str, str] = {}
_DIGEST_RECORD = "generator-digest"  # in the cache folder: see `builtin_digest`


def builtin_digest() -> str:
    """A hash of the generator's version, modules and templates.

    Reading and hashing the ~1 MB of them was a tenth of the quick check, so the digest is
    kept in the cache folder under the files' names, sizes, modification times and inodes
    (what Python's bytecode cache trusts: a file rewritten gets a new time), and taken from
    there while those are the same.
    """
    record = os.path.join(cache_folder(), _DIGEST_RECORD)
    if record in _BUILTIN:
        return _BUILTIN[record]
    signature = _sha256(f"billing-sdkgen {__version__}\0".encode())
    files = []
    for root, suffix in ((TEMPLATES_FOLDER, ".jinja"), (GENERATOR_FOLDER, ".py")):
        for name, entry in sorted(_tree_entries(root, suffix), key=lambda item: item[0]):
            info = entry.stat()
            files.append((root, name))
            signature.update(
                f"{entry.path}\0{info.st_size} {info.st_mtime_ns} {info.st_ino}\0".encode()
            )
    key = signature.hexdigest()
    try:
        recorded_key, digest = read_regular_file(record, 4096).decode("utf-8").split()
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        recorded_key = digest = ""
    if recorded_key != key or len(digest) != 64:
        content = _sha256(f"billing-sdkgen {__version__}\0".encode(), 1 << 21)
        for root, name in files:
            with open(os.path.join(root, name), "rb") as file:
                content.update(name.encode() + b"\0" + file.read() + b"\0")
        digest = content.hexdigest()
        _write_record(record, f"{key} {digest}\n")
    _BUILTIN[record] = digest
    return digest


def _write_record(path: str, text: str) -> None:
    """Write a small cache file whole or not at all (a failure only costs the next run)."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def generator_digest(template_override: str | None = None) -> str:
    """`builtin_digest`, with the override folder's templates when one is configured (read
    anew each time: the user edits them)."""
    if template_override is None:
        return builtin_digest()
    digest = _sha256(builtin_digest().encode())
    for name in override_files(template_override):
        try:
            with open(os.path.join(template_override, name), "rb") as file:
                digest.update(os.fsencode(name) + b"\0" + file.read() + b"\0")
        except OSError:  # (unreadable: so it is to the templates too)
            digest.update(os.fsencode(name) + b"\0unreadable\0")
    return digest.hexdigest()


def override_files(root: str) -> list[str]:
    """Every file under the template override folder `root` that its templates may load by
    name (an `{% include "banner.txt" %}` too), folder links followed as Jinja's loader
    follows them, each real folder once (a link to a parent is no loop), hidden ones left out
    (`.git`): sorted POSIX paths. Only the `*.jinja` files outside linked folders were
    hashed, so `check` missed an edit of a shared macro folder linked in, or of an included
    text file (gencli audit)."""
    found: list[str] = []
    seen: set[str] = set()
    stack = [""]
    while stack:
        prefix = stack.pop()
        folder = os.path.join(root, prefix) if prefix else root
        try:
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue  # (a `.git` of the folder: a fetch made every package stale: review)
            try:
                if entry.is_dir():
                    stack.append(f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append(f"{prefix}{entry.name}")
            except OSError:
                continue
    return sorted(found)


def spec_digest(
    folder: str, relative: Sequence[str], package_name: str, within: str | None = None
) -> str:
    """A hash of the spec's files (`relative` to the spec's `folder`, the spec first), read
    as `load` reads them (regular files only, within the size limit). `within`: the folder
    file `$ref`s may read from (the spec's, or the `ref-root`); ValueError for an entry that
    leads out of it, as the stamp's list does when someone else wrote it (gencli audit:
    `../secret/creds.json` was read, and "up to date" confirmed a guess of its content)."""
    inside = None if within is None else os.path.join(os.path.realpath(within), "")
    for index, name in enumerate(relative):
        # the spec itself by its name (the callers compare it), then the files it read
        spec = index == 0 and "/" not in name and name not in ("", ".", "..")
        if not (spec or _spec_file_entry(name)):
            raise ValueError(f"not a spec file of the stamp: {name!r}")
        if inside is not None and not spec:
            if not os.path.realpath(os.path.join(folder, name)).startswith(inside):
                raise ValueError(f"a spec file of the stamp out of {within}: {name!r}")
    sizes = 0
    for name in relative:
        try:
            sizes += os.stat(os.path.join(folder, name)).st_size
        except OSError:
            pass  # (reading it says why)
    digest = _sha256(f"{package_name}\0".encode(), sizes)
    for name in relative:
        # a megabyte at a time: the whole file, joined and then copied into `name + data`,
        # made GitHub's 13 MB spec the largest part of the generation's peak memory
        # (a file name the file system holds as bytes that are no UTF-8: as those bytes;
        # `encode()` raised an E900 for it: gencli audit)
        digest.update(os.fsencode(name) + b"\0")
        for chunk in regular_file_chunks(os.path.join(folder, name)):
            digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def _spec_file_entry(name: str) -> bool:
    """Can a stamp's `spec_files` entry be a file the loader read? A relative path to a
    JSON or YAML file (the spec, or a file its `$ref`s name, `../common/errors.yaml` under a
    `ref-root`). The stamp is the output folder's, which anyone may have written: listing
    `/etc/shadow` or `../.env` made the up-to-date check read and hash it, and "up to date"
    then confirmed a guess of its content (hostile audit 8)."""
    lowered = name.lower()
    return (
        bool(name)
        and not os.path.isabs(name)
        and "\0" not in name
        and "\\" not in name
        and ":" not in name
        and lowered.endswith((".json", ".yaml", ".yml"))
    )


def options_digest(options: str) -> str:
    """The hash recorded for the generation options (`Options.fingerprint_text`)."""
    return _sha256(options.encode()).hexdigest()


def configuration_key(config_file: str | None) -> str | None:
    """What decides the options of a command that gives none of its own: the content of the
    configuration file found ("no configuration" when there is none). None when it cannot
    be read."""
    if config_file is None:
        return _sha256(b"no configuration\0").hexdigest()
    try:
        data = read_regular_file(config_file)
    except (OSError, InputTooLarge, NotRegularFile):
        return None
    return _sha256(b"configuration\0" + data).hexdigest()


_OPTIONS_FOLDER = "options"  # in the cache folder: see `remember_options`


def _options_record(key: str, spec_stem: str) -> str:
    name = _sha256(f"{key}\0{spec_stem}".encode("utf-8", "surrogateescape")).hexdigest()
    return os.path.join(cache_folder(), _OPTIONS_FOLDER, name[:32])


def remember_options(key: str, spec_stem: str, options: str, package: str | None) -> None:
    """Remember, in the cache folder, the options that the configuration whose
    `configuration_key` is `key` gives the spec named `spec_stem`: their hash (as the stamp
    records it) and the package name it sets, if any. `generate` does, for a command that
    gives no option of its own; the quick check then need not read the configuration (TOML,
    its schema and the generator's modules stay unimported). The configuration's place is
    left out, as the options' hash leaves it out (it changes where paths point, not what is
    generated)."""
    record = _options_record(key, spec_stem)
    text = f"{options} {package or '-'}\n"
    try:
        if read_regular_file(record, 4096).decode("utf-8") == text:
            return
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        pass
    _write_record(record, text)


def remembered_options(key: str, spec_stem: str) -> tuple[str, str | None] | None:
    """What `remember_options` remembered: (the options' hash, the package name or None);
    None when nothing was, or the record is unreadable."""
    try:
        text = read_regular_file(_options_record(key, spec_stem), 4096).decode("utf-8")
        options, package = text.split()
    except (OSError, ValueError, InputTooLarge, NotRegularFile):
        return None
    return options, None if package == "-" else package


def is_tool_folder(name: str) -> bool:
    """A folder tools and installs leave in a project (`.venv`, `dist`, `build`, caches,
    `*.egg-info`): neither generated nor hand-written."""
    return name in _IGNORED_PARTS or name.endswith(".egg-info")


def is_user_path(relative: str) -> bool:
    """True for paths generation neither writes nor counts: the user code area and caches."""
    parts = relative.split("/")
    return (
        parts[0] == FINGERPRINT_FILE
        or CUSTOM_DIR in parts[:2]
        or any(p in _IGNORED_PARTS or p.endswith(".egg-info") for p in parts)
        or relative.endswith(".pyc")
    )


def read_stamp(output: str) -> dict[str, Any] | None:
    """The stamp of a generated folder (None when absent, unreadable or of another format)."""
    try:
        path = os.path.join(output, FINGERPRINT_FILE)
        stamp = json_value(read_regular_file(path, 64 << 20))
    except (OSError, ValueError, RecursionError, InputTooLarge, NotRegularFile):
        return None  # (RecursionError: a file nested deeper than the parser goes)
    if not isinstance(stamp, dict) or stamp.get("format") != STAMP_FORMAT:
        return None
    return stamp


class _StrictJson:
    """What CPython's C scanner reads from a `json.JSONDecoder`: strict JSON, plain types."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> float:
        raise ValueError(f"not JSON: {name}")


_JSON_SPACE = " \t\n\r"


def json_value(data: bytes) -> Any:
    """`json.loads(data)` for UTF-8 JSON (NaN and Infinity refused), with CPython's C
    scanner (`_json`) called directly: the `json` module imports `re`, a quarter of the
    quick check's time. ValueError when `data` is not one JSON value."""
    try:
        from _json import make_scanner
    except ImportError:  # another Python: its json module
        import json

        return json.loads(data, parse_constant=_StrictJson.parse_constant)
    text = data.decode("utf-8")
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        value, end = make_scanner(_StrictJson)(text, start)  # type: ignore[arg-type]
    except (StopIteration, SystemError):
        # (SystemError: the scanner reports an error inside an object or array with
        # `json.decoder`'s exception, which it cannot raise unless `json` was imported: a
        # stamp cut short or holding merge-conflict markers printed a traceback)
        raise ValueError("not JSON") from None
    if text[end:].strip(_JSON_SPACE):
        raise ValueError("not JSON: more after the value")
    return value


def present_files(output: str, tops: Container[str] | None = None) -> list[str]:
    """The files of a generated folder that generation writes or counts, sorted; with
    `tops` (`stamped_tops`), only under the entries at the top the generation wrote."""
    found = []
    for folder, subfolders, names in os.walk(output):
        at_top = folder == output
        subfolders[:] = [
            d
            for d in subfolders
            if d not in _IGNORED_PARTS and not (at_top and tops is not None and d not in tops)
        ]
        base = os.path.relpath(folder, output).replace(os.sep, "/")
        for name in names:
            relative = name if base == "." else f"{base}/{name}"
            if at_top and tops is not None and name not in tops:
                continue
            if not is_user_path(relative):
                found.append(relative)
    return sorted(found)


def stamped_tops(recorded: Iterable[str]) -> frozenset[str]:
    """The entries at a project's top that a generation wrote (the first part of each file
    its stamp records, and the stamp): every other one is the user's, neither counted nor
    touched (a repository's `.git/`, `LICENSE`, `.github/`: `--force` deleted them as
    added by hand, diff audit 4)."""
    return frozenset(path.partition("/")[0] for path in recorded) | {FINGERPRINT_FILE}


def changed_files(
    output: str, stamp: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The generated files of `output` edited, added and missing since `stamp` was written."""
    recorded = stamp.get("files")
    if not isinstance(recorded, dict):
        return (), (), ()
    present = present_files(output, stamped_tops(recorded))
    edited = []
    for relative in present:
        expected = recorded.get(relative)
        if expected is None:
            continue
        try:
            data = read_regular_file(os.path.join(output, relative), 1 << 30)
        except (OSError, InputTooLarge, NotRegularFile):
            edited.append(relative)
            continue
        if file_hash(data) != expected:
            edited.append(relative)
    added = sorted(set(present) - set(recorded))
    missing = sorted(set(recorded) - set(present))
    return tuple(edited), tuple(added), tuple(missing)


def journal_name(output_name: str) -> str:
    """The swap journal `write` keeps beside a folder it is replacing (`.NAME.swap`)."""
    return f".{output_name}.swap"


def is_staging_name(output_name: str, entry: str) -> bool:
    """True for the name of a staging folder `write` makes beside the folder `output_name`
    (`.NAME.new-XXXX`, `.NAME.old-XXXX`)."""
    for kind in (".new-", ".old-"):
        prefix = f".{output_name}{kind}"
        rest = entry[len(prefix) :]
        if entry.startswith(prefix) and rest.isascii() and rest.replace("_", "a").isalnum():
            return True
    return False


def has_leftovers(output: str) -> bool:
    """True when an interrupted run left a swap journal or staging folders beside `output`
    (the next `write_tree` completes or removes them: a run must not skip it)."""
    output = os.path.realpath(output)
    parent, name = os.path.split(output)
    if os.path.exists(os.path.join(parent, journal_name(name))):
        return True
    try:
        entries = os.listdir(parent)
    except OSError:
        return False
    rendering = f".{name}.render-"
    for entry in entries:
        if is_staging_name(name, entry):
            return True
        # a killed run's early files (`.NAME.render-PID-XXXX`), once its process is gone:
        # nothing removed them while runs found the package up to date (gencli audit)
        pid = entry[len(rendering) :].partition("-")[0] if entry.startswith(rendering) else ""
        if pid.isdigit() and pid.isascii() and not process_running(int(pid)):
            return True
    return False


def process_running(pid: int) -> bool:
    """Is the process `pid` still running (as far as this user can tell)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a pid: not ours to judge
    return True
