"""`diff --against REF`: the spec as it was at a git revision, written to a temporary folder.

A spec may `$ref` other files in its folder (never outside it: E102), so the spec files of
that folder (`*.yaml`, `*.yml`, `*.json`, recursively) are written out together, read by
one `git cat-file --batch`. Nothing in the working tree is touched.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class GitError(Exception):
    """git failed or the spec is not tracked at the revision; the message says which."""


def _git(cwd: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args)}: {detail}")
    return completed.stdout


def spec_at_revision(
    spec_path: str | Path, revision: str, target: Path, root: Path | None = None
) -> Path:
    """Write the spec (and the spec files of its folder, or of `root`, the `ref-root` that
    holds it) as of `revision` under `target`, which then stands for that folder.

    Returns the path of the spec inside `target`. GitError when git fails or the spec
    did not exist at that revision.
    """
    spec = Path(spec_path).resolve()
    top = Path(_git(spec.parent, "rev-parse", "--show-toplevel").decode().strip())
    relative = spec.relative_to(top)
    folder = relative.parent
    if root is not None:
        try:
            folder = root.resolve().relative_to(top)
        except ValueError:
            raise GitError(f"the ref-root {root} is not in the repository of {spec}") from None
    listing = _git(
        top, "ls-tree", "-r", "-z", "--name-only", revision, "--", folder.as_posix() or "."
    )
    names = [n for n in listing.decode("utf-8", "surrogateescape").split("\0") if n]
    wanted = [n for n in names if n.lower().endswith(SPEC_SUFFIXES)]
    if relative.as_posix() not in wanted:
        raise GitError(f"{relative.as_posix()} does not exist at {revision}")
    for name, content in _blobs(top, revision, wanted):
        destination = target / Path(name).relative_to(folder)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    return target / relative.relative_to(folder)


def _blobs(top: Path, revision: str, names: list[str]) -> Iterator[tuple[str, bytes]]:
    """(name, content) of each file `names` lists as of `revision`, from one `git cat-file
    --batch` (a `git show` a file took 9-12 s for a folder of 3,000 JSON files: gencli
    audit); a name no batch line can carry (a line break) by `git show`."""
    plain = [name for name in names if "\n" not in name and "\r" not in name]
    for name in names:
        if name not in plain:
            yield name, _git(top, "show", f"{revision}:{name}")
    if not plain:
        return
    try:
        batch = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    assert batch.stdin is not None and batch.stdout is not None
    try:
        for name in plain:  # one object at a time: git flushes each answer
            batch.stdin.write(f"{revision}:{name}\n".encode("utf-8", "surrogateescape"))
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
                raise GitError(f"git cat-file: no file {name} at {revision}")
            size = int(header[2])
            content = batch.stdout.read(size)
            if len(content) != size or batch.stdout.read(1) != b"\n":
                raise GitError(f"git cat-file: {name} at {revision} was cut short")
            yield name, content
    finally:
        batch.stdin.close()
        batch.stdout.close()
        batch.wait()
