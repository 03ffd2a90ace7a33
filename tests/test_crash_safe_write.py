"""The output swap survives a kill at any step: old or new tree, never neither, nothing stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.quick import up_to_date_status
from generator.stamp import has_leftovers
from generator.write import FORCE_SWAP, KILL_AT, _exchange
from tests.conftest import ROOT, minimal_spec, write_spec


def _spec(version: int) -> dict[str, Any]:
    fields = {f"field{i}": {"type": "string"} for i in range(version)}
    return minimal_spec({"Thing": {"type": "object", "properties": fields}})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate_killed(spec: Path, output: Path, step: str, swap: str) -> int:
    env = {**os.environ, KILL_AT: step, FORCE_SWAP: swap}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    return result.returncode


def _exchange_works(tmp_path: Path) -> bool:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    try:
        return _exchange(first, second)
    finally:
        first.rmdir()
        second.rmdir()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """The spec (at version 1), and the trees versions 1 and 2 of it give (version 2
    generated over version 1: its CHANGELOG holds the diff)."""
    snapshots = []
    folder = tmp_path / "reference"
    folder.mkdir()
    for version in (1, 2):
        spec = write_spec(folder, _spec(version), "billing.yaml")
        assert main(["generate", str(spec), "--output", str(folder / "out")]) == 0
        snapshots.append(_snapshot(folder / "out"))
    specs = tmp_path / "specs"
    specs.mkdir()
    return write_spec(specs, _spec(1), "billing.yaml"), snapshots[0], snapshots[1]


STEPS = [
    ("exchange", "staged"),
    ("exchange", "exchanged"),
    ("rename", "staged"),
    ("rename", "journaled"),
    ("rename", "moved-old"),
    ("rename", "swapped"),
]


@pytest.mark.parametrize(("swap", "step"), STEPS, ids=[f"{s}-{t}" for s, t in STEPS])
def test_a_kill_between_steps_leaves_a_whole_tree_and_the_next_run_cleans_up(
    tmp_path: Path,
    versions: tuple[Path, dict[str, bytes], dict[str, bytes]],
    swap: str,
    step: str,
) -> None:
    if swap == "exchange" and not _exchange_works(tmp_path):
        pytest.skip("this file system cannot swap folders in one step")
    spec, old, new = versions
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert _snapshot(output) == old
    write_spec(spec.parent, _spec(2), spec.name)

    assert _generate_killed(spec, output, step, swap) == -signal.SIGKILL
    assert output.is_dir() or step == "moved-old"  # only the journal's window has no output
    if output.is_dir():
        assert _snapshot(output) in (old, new)

    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert _snapshot(output) == new
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".out", "out"))) == [
        "out"
    ]


def test_a_kill_before_the_first_output_exists(
    tmp_path: Path, versions: tuple[Path, dict[str, bytes], dict[str, bytes]]
) -> None:
    spec, old, _ = versions
    output = tmp_path / "out"
    assert _generate_killed(spec, output, "staged", "exchange") == -signal.SIGKILL
    assert not output.exists()
    assert any(p.name.startswith(".out.new-") for p in tmp_path.iterdir())
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert _snapshot(output) == old
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())


def test_stale_siblings_of_other_folders_are_left_alone(
    tmp_path: Path, versions: tuple[Path, dict[str, bytes], dict[str, bytes]]
) -> None:
    spec, _, _ = versions
    unrelated = [tmp_path / ".other.new-abc123", tmp_path / ".out.newer", tmp_path / "x.out.old-1"]
    for folder in unrelated:
        folder.mkdir()
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    assert all(folder.is_dir() for folder in unrelated)


def test_the_rendering_folder_of_a_dead_run_is_removed_and_a_live_ones_kept(
    tmp_path: Path, versions: tuple[Path, dict[str, bytes], dict[str, bytes]]
) -> None:
    """A large spec's renderers write into `.out.render-<pid>-…` before the swap: a run
    killed while rendering leaves it behind, and the next run removes it; a folder of a
    run still rendering (a live pid) is not touched."""
    spec, old, _ = versions
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is free now (and not reused within the test)
    stale = tmp_path / f".out.render-{dead.pid}-abc"
    live = tmp_path / f".out.render-{os.getpid()}-def"
    for folder in (stale, live):
        (folder / "pkg").mkdir(parents=True)
        (folder / "pkg" / "models.py").write_text("partial = 1\n", encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    assert _snapshot(tmp_path / "out") == old
    assert not stale.exists()
    assert live.is_dir()
    # killed once the package was up to date: the next run removes it all the same, where
    # the quick check answered "up to date" and left it (gencli audit)
    (stale / "pkg").mkdir(parents=True)
    assert has_leftovers(str(tmp_path / "out"))
    argv = ["generate", str(spec), "--output", str(tmp_path / "out")]
    assert up_to_date_status(argv) is None  # (the long way, which cleans up)
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    assert not stale.exists() and live.is_dir() and _snapshot(tmp_path / "out") == old


def test_a_large_spec_whose_renderers_wrote_the_files_leaves_nothing_beside_them(
    tmp_path: Path,
    versions: tuple[Path, dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator import pipeline

    spec, old, new = versions
    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert _snapshot(output) == old
    write_spec(spec.parent, _spec(2), spec.name)
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert _snapshot(output) == new
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".out", "out"))) == [
        "out"
    ]


def test_files_a_renderer_could_not_write_are_written_by_the_parent(
    tmp_path: Path,
    versions: tuple[Path, dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forked renderer whose write fails (a name too long, a full disk) hands its files
    back unwritten: the parent writes them, or reports E802 with the file system's reason,
    never an internal error."""
    from generator import pipeline, write

    def refuse(root: Path, files: object, made: object = None, reuse: object = None) -> None:
        raise OSError(36, "File name too long")

    spec, old, _ = versions
    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    monkeypatch.setattr(write, "write_files", refuse)
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    assert _snapshot(tmp_path / "out") == old
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())


def test_the_package_folder_gets_the_mode_mkdir_gives(tmp_path: Path) -> None:
    """The staging folder came from `mkdtemp` (0700) and became the package: a shared or
    CI checkout could not read it, and an existing 0755 package was made 0700."""
    spec = write_spec(tmp_path, _spec(1))
    output = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert main(["generate", str(spec), "--output", str(output)]) == 0
        assert output.stat().st_mode & 0o777 == 0o755
        output.chmod(0o750)  # the owner's choice stays across a regeneration
        assert main(["generate", str(write_spec(tmp_path, _spec(2))), "--output", str(output)]) == 0
        assert output.stat().st_mode & 0o777 == 0o750
    finally:
        os.umask(old)


def test_a_file_replaced_since_the_hand_edit_check_is_not_linked(tmp_path: Path) -> None:
    """`Reuse` links a previous file whose hash the stamp records; a run into the same folder
    may have swapped its own tree in since the check read it (gencli audit: two overlapping
    runs left a tree of both and a false E806). What was linked is read back: other bytes
    are written instead."""
    from generator.fingerprint import file_hash
    from generator.write import Reuse

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.py").write_bytes(b"A = 2\n")  # the other run's file, since the check
    (old / "b.py").write_bytes(b"B = 1\n")
    reuse = Reuse(old, {"a.py": file_hash(b"A = 1\n"), "b.py": file_hash(b"B = 1\n")})
    assert not reuse.link("a.py", b"A = 1\n", new / "a.py")
    assert not (new / "a.py").exists()  # (the caller writes it)
    assert reuse.link("b.py", b"B = 1\n", new / "b.py")
    assert (new / "b.py").stat().st_ino == (old / "b.py").stat().st_ino
