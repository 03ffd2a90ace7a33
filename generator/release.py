"""The version and CHANGELOG.md of a generated package, from the API diff of each generation.

Each package folder keeps the (bundled) spec it was generated from, as minified JSON
(`.sdkgen-spec.json`) with the package version it got. On the next generation the IR of
that snapshot is diffed with the new one (`apidiff`, both built by the running generator,
so only changes of the spec show):

- the version is `info.version` when that is semver (`1.2.3`, `v1.2.3-beta`); otherwise
  the previous version bumped by the diff: major on a breaking change, minor on an
  addition, patch otherwise, unchanged when the API is. A first generation starts from
  `info.version` read as `X.Y.Z` when it is numeric, else as PEP 440 normalises it, else
  `0.0.0` (warning W805). A semver `info.version` lower than the previous version bumped
  by the diff (a provider that kept `1.0.0`, or bumped the patch of a breaking change)
  is kept, and said (`Release.note`: warning W807, and a line of the CHANGELOG entry):
  the version must be known before a large spec's diff is, computed while it renders
  (diff audit 3). One below the package's own version (set by hand in pyproject.toml, or
  the snapshot's) is not taken: the package keeps its series, bumped by the diff;
- a generation that changes the API puts its diff, in Markdown, at the top of the
  package's `CHANGELOG.md`; a first generation says so. Regenerating an unchanged spec
  writes the same files again (byte for byte).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .apidiff import ApiDiff, Surface, diff_apis
from .apidiff_report import format_markdown
from .distribution import pep440_version
from .ir import Api
from .limits import MAX_SPEC_BYTES, InputTooLarge, NotRegularFile, regular_file_chunks
from .options import Options

if TYPE_CHECKING:
    from .module_cache import ModuleCache

SNAPSHOT_FILE = ".sdkgen-spec.json"
CHANGELOG_FILE = "CHANGELOG.md"
_SEMVER = re.compile(r"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?$")
_NUMERIC = re.compile(r"^v?([0-9]{1,9})(?:\.([0-9]{1,9}))?(?:\.([0-9]{1,9}))?$")


@dataclass(frozen=True)
class Release:
    """What a generation adds to the package: its version and the two files that carry it.

    A release planned with `parallel` whose version does not depend on the diff (a semver
    `info.version`) computes the diff in a forked child while the package renders: its
    CHANGELOG.md is added by `complete()`, which every such release must get (or `close()`).
    """

    version: str
    files: dict[str, str]  # CHANGELOG.md and the spec snapshot, by path in the project folder
    diff: ApiDiff | None  # None on a first generation
    # (the child computing the diff, the output, the new API, the previous snapshot)
    pending: tuple[_Pending, Path, Api, Snapshot] | None = None
    # the version is lower than the diff calls for (`_version_note`): warning W807
    note: str | None = None

    def complete(self) -> Release:
        """This release with its CHANGELOG.md, once the diff computed beside it is in."""
        if self.pending is None:
            return self
        from .forked import ChildFailed  # (multiprocessing: only a regeneration needs it)

        child, output, api, previous = self.pending
        try:
            diff = child.result()
        except ChildFailed:
            diff = None  # as when the previous spec no longer builds: no entry
        note = _version_note(api.version, previous, diff)
        changelog = _changelog(output, api, self.version, previous, diff, note=note)
        files = {**self.files, CHANGELOG_FILE: changelog}
        return replace(self, files=files, diff=diff, pending=None, note=note)

    def close(self) -> None:
        """Stop the child computing the diff, when the generation stops before `complete`."""
        if self.pending is not None:
            self.pending[0].close()


def plan_release(
    output: Path,
    document: dict[str, Any],
    api: Api,
    options: Options | None = None,
    *,
    parallel: bool = False,
    cache: ModuleCache | None = None,
) -> Release:
    """The version and files of the package `api` generated into `output` from `document`
    (with `options`, which the previous spec's IR is built with too). With a `cache` that
    can reassemble the previous generation's IR (`module_cache`), that IR is not built
    again. `parallel`: when the version does not depend on the diff, the diff is computed
    by `complete()`: in a forked child beside the renderers when the previous IR must be
    built (building it doubled the IR time of a regeneration), else once the renderers
    have keyed the modules (the cache learned their keys)."""
    previous = read_snapshot(output)
    published = _project_version(output)
    if previous is not None and published is not None:
        # (a version set by hand in pyproject.toml, a release the snapshot does not know:
        # `--force` went back below it; diff audit 5)
        if _triple(published) > _triple(previous.package_version):
            previous = replace(previous, package_version=published)
        published = None
    diff = None
    child: _Pending | None = None
    if previous is not None:
        # (a semver `info.version` below the package's own is not taken: the version then
        # follows the diff, which is needed now)
        later = parallel and _takes_info_version(api.version, previous.package_version)
        if cache is not None and cache.can_reassemble():
            reassembly = _Reassembly(cache, previous, api, options)
            if later:
                child = reassembly
            else:
                diff = reassembly.result()
        else:
            from .forked import Forked, can_fork

            if later and can_fork():
                child = Forked(diff_since_generation, previous, api, options)
            else:
                diff = diff_since_generation(previous, api, options)
    version = _version(api.version, previous, diff, published)
    snapshot = json.dumps(  # ASCII: a lone surrogate in the spec stays writable
        {"package_version": version, "document": document}, separators=(",", ":")
    )
    files = {SNAPSHOT_FILE: snapshot + "\n"}
    if child is not None and previous is not None:
        return Release(version, files, None, (child, output, api, previous))
    note = _version_note(api.version, previous, diff, published)
    files[CHANGELOG_FILE] = _changelog(output, api, version, previous, diff, published, note)
    return Release(version, files, diff, note=note)


class _Pending(Protocol):
    """The diff `Release.complete` waits for."""

    def result(self) -> ApiDiff | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class _Reassembly:
    """The diff from the previous IR reassembled out of the module cache (built again,
    here, in the unlikely case that the cache no longer has a node it had)."""

    cache: ModuleCache
    previous: Snapshot
    api: Api
    options: Options | None

    def result(self) -> ApiDiff | None:
        old_api = self.cache.previous_api(self.api)
        if old_api is None:
            return diff_since_generation(self.previous, self.api, self.options)
        return diff_apis(Surface(old_api), Surface(self.api))

    def close(self) -> None:
        """Nothing runs beside."""


def diff_since_generation(
    previous: Snapshot, api: Api, options: Options | None = None
) -> ApiDiff | None:
    """The API diff from the snapshot `previous` (`read_snapshot`) to `api`; None when the
    snapshot's spec no longer builds."""
    document = previous.document()
    old_api = None if document is None else _api_of(document, api, options)
    return None if old_api is None else diff_apis(Surface(old_api), Surface(api))


@dataclass
class Snapshot:
    """The spec snapshot of a previous generation: its package version, read at once, and
    its document, parsed only when the previous IR is built (Microsoft Graph's 20 MB
    parsed cost 0.2 s and a hundred MB that a diff reassembled from the cache never uses)."""

    package_version: str
    path: Path
    parsed: dict[str, Any] | None = None

    def document(self) -> dict[str, Any] | None:
        """The snapshot's document (None when it is not one after all)."""
        if self.parsed is None:
            data = _read_json(self.path)
            if isinstance(data, dict) and isinstance(data.get("document"), dict):
                self.parsed = data["document"]
        return self.parsed


# how `plan_release` writes a snapshot: the version comes first, and is read alone
_SNAPSHOT_HEAD = re.compile(rb'\{"package_version":("(?:[^"\\]|\\.){0,200}"),"document":\{')


def read_snapshot(output: Path) -> Snapshot | None:
    """The spec snapshot of the package generated into `output` (None when there is none)."""
    path = output / SNAPSHOT_FILE
    first = next(_regular_chunks(path, _SNAPSHOT_LIMIT), None)
    if first is None:
        return None
    head = _SNAPSHOT_HEAD.match(first[:1024])
    if head is not None:
        version = json.loads(head.group(1))
        return Snapshot(version, path) if isinstance(version, str) else None
    data = _read_json(path)  # written otherwise (by hand, say): read it all
    if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
        return None
    if not isinstance(data.get("package_version"), str):
        return None
    return Snapshot(data["package_version"], path, data["document"])


def _read_json(path: Path) -> Any:
    data = b"".join(_regular_chunks(path, _SNAPSHOT_LIMIT))
    try:
        return json.loads(data.decode("utf-8")) if data else None
    except (ValueError, RecursionError):  # (nested deeper than the parser goes: gencli audit)
        return None


# the previous generation's files are the output folder's, which anyone may have written:
# read as regular files, not through a link, within a limit (a link to a file outside put
# its text into the CHANGELOG; a FIFO hung `--force`, `/dev/zero` ran it out of memory)
_SNAPSHOT_LIMIT = 4 * MAX_SPEC_BYTES  # (the spec as JSON: a YAML spec grows a little)
_CHANGELOG_LIMIT = 16 * 1024 * 1024
_TRIMMED = "\n(Older entries are left out: the CHANGELOG keeps its newest 16 MiB.)\n"


def _project_version(output: Path) -> str | None:
    """The version the project's generated pyproject.toml says (None when there is none)."""
    from .write import GENERATED_MARKER

    text = b"".join(_regular_chunks(output / "pyproject.toml", 1 << 20)).decode(errors="replace")
    if GENERATED_MARKER not in text:
        return None
    found = re.search(r'^version = "([0-9A-Za-z.+!-]{1,80})"$', text, re.MULTILINE)
    return found.group(1) if found and re.match(r"[0-9]", found.group(1)) else None


def _changelog_head(path: Path) -> tuple[str, bool]:
    """The CHANGELOG's text, up to `_CHANGELOG_LIMIT` bytes, and whether it went on: a
    longer one lost every entry (diff audit 5); its newest entries are kept now."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return "", False
        with path.open("rb") as file:
            data = file.read(_CHANGELOG_LIMIT + 1)
    except OSError:
        return "", False
    cut = len(data) > _CHANGELOG_LIMIT
    return data[:_CHANGELOG_LIMIT].decode("utf-8", errors="replace"), cut


def _regular_chunks(path: Path, limit: int) -> Iterator[bytes]:
    """The bytes of `path` a megabyte at a time, none when it is a link, no regular file,
    over `limit` or unreadable."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return
        yield from regular_file_chunks(path, limit)
    except (OSError, ValueError, NotRegularFile, InputTooLarge):
        return


def _api_of(document: dict[str, Any], api: Api, options: Options | None) -> Api | None:
    """The IR of the previous generation's spec (None when it no longer builds)."""
    from .ir_build import build_api
    from .load import load_spec

    with tempfile.TemporaryDirectory(prefix="sdkgen-previous-") as folder:
        path = Path(folder) / "previous.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            # (a YAML spec's `.nan` or `.inf` is `NaN` or `Infinity` in the snapshot)
            spec = load_spec(path, json_constants=True)
            return build_api(spec, api.package_name, api.spec_file, [], options)
        except Exception:  # an old snapshot the IR cannot take (SpecError or a bug): no diff
            return None


def _version(
    info_version: str, previous: Snapshot | None, diff: ApiDiff | None, published: str | None
) -> str:
    """The package's version; `published`: the project's version when its snapshot is
    lost (the changes since are unknown: a minor release, never a version below it)."""
    floor = previous.package_version if previous is not None else published
    if _takes_info_version(info_version, floor):
        return pep440_version(info_version.removeprefix("v"))[0]
    if previous is None and published is not None:
        major, minor, _ = _triple(published)
        return f"{major}.{minor + 1}.0"
    if previous is None:
        numeric = _NUMERIC.match(info_version)
        if numeric is None:
            return pep440_version(info_version)[0]  # 0.0.0 when not PEP 440 (warning W805)
        return ".".join(str(int(part or 0)) for part in numeric.groups())
    return _bumped(previous.package_version, diff.bump if diff is not None else None)


def _takes_info_version(info_version: str, floor: str | None) -> bool:
    """Is the package versioned `info.version`: semver, and not below the package's version
    `floor` (one set by hand in pyproject.toml went back to the spec's `1.0.0`: review)?"""
    if not _SEMVER.match(info_version):
        return False
    return floor is None or _triple(info_version) >= _triple(floor)


def _bumped(last: str, bump: str | None) -> str:
    """The version `last` bumped as `bump` (a diff's: major, minor, patch, None) says."""
    if bump is None:
        return last
    major, minor, patch = _triple(last)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _triple(version: str) -> tuple[int, int, int]:
    """The first three numbers of a version (0 for those it lacks)."""
    parts = [int(p) for p in re.findall(r"[0-9]+", version)[:3]] + [0, 0, 0]
    return parts[0], parts[1], parts[2]


def _version_note(
    info_version: str,
    previous: Snapshot | None,
    diff: ApiDiff | None,
    published: str | None = None,
) -> str | None:
    """What to say when a semver `info.version` is not the version the package needs: below
    the package's own (the package keeps its series: `_takes_info_version`), or below the
    previous version bumped by the diff (minor where the snapshot is lost: the changes are
    not known), where users pinned to the old one get the change unannounced; else None."""
    floor = previous.package_version if previous is not None else published
    if not _SEMVER.match(info_version) or floor is None:
        return None
    if not _takes_info_version(info_version, floor):
        return (
            f"info.version {_inline(info_version)} is below the package's version"
            f" {_inline(floor)}: the package keeps its own series, bumped as the diff calls for"
        )
    if previous is None:  # (the snapshot lost: what changed is not known)
        wanted, why = _bumped(floor, "minor"), "its changes are unknown: a minor bump"
    elif diff is not None and diff.bump is not None:
        wanted, why = _bumped(floor, diff.bump), f"the diff calls for a {diff.bump} bump"
    else:
        return None
    if _triple(info_version) >= _triple(wanted):
        return None
    return (
        f"info.version {_inline(info_version)} versions the package though its API changed"
        f" since {_inline(floor)} ({why}: {wanted} or later); users of the earlier version"
        " get the change under a version that does not say so"
    )


def _changelog(
    output: Path,
    api: Api,
    version: str,
    previous: Snapshot | None,
    diff: ApiDiff | None,
    published: str | None = None,
    note: str | None = None,
) -> str:
    """The CHANGELOG: a header, this generation's entry when it is new (with the `note` of
    `_version_note` as a warning), then older entries."""
    from .filters import html_comment

    header = (
        f"<!-- CHANGELOG of the {api.package_name} package, from {html_comment(api.spec_file)}."
        f" Generated by billing-sdkgen {api.generator_version}: generated — do not edit"
        " (each generation keeps the entries below and adds its own). -->\n"
        f"# Changelog of {api.distribution_name}\n\n"
        f"Generated from `{_inline(api.spec_file)[1:-1]}`. Each generation that changes the\n"
        "API adds an entry: the diff of the spec's public Python surface (`billing-sdkgen diff`).\n"
    )
    # (a byte of another encoding edited in by hand made every later `--force` fail)
    old, cut = _changelog_head(output / CHANGELOG_FILE)
    entries = old[old.index("\n## ") + 1 :] if "\n## " in old else ""
    if cut and "\n## " in entries:  # the entries that fit whole, and a word on the rest
        entries = entries[: entries.rindex("\n## ") + 1] + _TRIMMED
    heading = f"## {version} (info.version {_inline(api.version)})"
    said = f"\n> Warning: {note}.\n" if note is not None else ""
    if previous is None and published is not None:
        entry = (
            f"{heading}\n{said}\nThe spec this package was generated from before"
            f" ({SNAPSHOT_FILE}) is missing: what changed since {_inline(published)} is not"
            " known.\n"
        )
    elif previous is None:
        entry = f"{heading}\n\nFirst generation.\n"
    elif diff is None or not diff.changes:
        entry = ""
    else:
        body = format_markdown(diff).split("\n", 1)[1]
        entry = f"{heading}\n{said}{body}"
    parts = [header] + [part for part in (entry, entries) if part]
    # (a lone surrogate a spec's path key holds, quoted by the diff, is no UTF-8: writing the
    # file raised E900 at 1:1 on every regeneration; mutation audit 24) escaped
    return "\n".join(parts).encode("utf-8", "backslashreplace").decode("utf-8")


def _inline(text: str) -> str:
    """Spec text safe in a Markdown heading (one line, no markup)."""
    from .filters import oneline

    flat = oneline(text)[:80]
    return "`" + flat.replace("`", "'") + "`"
