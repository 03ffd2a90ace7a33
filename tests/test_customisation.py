"""Customisation that survives regeneration: the `_custom/` user code area, and hand edits of
generated files detected and refused (E806) unless `--force`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import minimal_spec, write_spec

CUSTOM_CODE = '''\
from .._client import Client


def make_client() -> Client:
    """A client with our defaults."""
    return Client(base_url="https://example.test", max_retries=0)


GREETING = "hello from _custom"
'''


def _spec(version: str) -> dict[str, object]:
    spec = minimal_spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}})
    spec["info"] = {"title": "Shop", "version": version}
    return spec


def test_custom_code_survives_regeneration_and_is_imported(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    custom = output / "shop" / "_custom"
    assert "never writes, changes or deletes" in (custom / "__init__.py").read_text()
    (custom / "__init__.py").write_text(CUSTOM_CODE, encoding="utf-8")
    (custom / "helpers.py").write_text("VALUE = 42\n", encoding="utf-8")

    write_spec(tmp_path, _spec("2.0.0"), "shop.yaml")  # the spec changes: a real regeneration
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert '__version__ = "2.0.0"' in (output / "shop" / "__init__.py").read_text()
    assert (custom / "__init__.py").read_text(encoding="utf-8") == CUSTOM_CODE
    assert (custom / "helpers.py").read_text(encoding="utf-8") == "VALUE = 42\n"
    assert main(["check", str(spec), "--output", str(output)]) == 0  # yours: not "stale"

    script = (
        "import shop, shop._custom as c, shop._custom.helpers as h\n"
        "assert c.GREETING == 'hello from _custom' and h.VALUE == 42\n"
        "assert str(c.make_client().base_url).startswith('https://example.test')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=output, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_tool_folders_in_the_project_survive_regeneration(tmp_path: Path) -> None:
    """`.venv/`, `dist/`, `build/`, `*.egg-info/` and caches that installs and builds leave in
    the project folder are the user's: the stamp does not count them, and a regeneration
    deleted them with the old tree (gencli audit). They are carried into the new one, links
    and all; `--force` keeps them too (it overwrites generated files only)."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    made = {
        ".venv/bin/python-stub": "#!/bin/sh\n",
        ".venv/lib/site.txt": "x\n",
        "dist/shop-1.0.0-py3-none-any.whl": "wheel\n",
        "build/lib/shop/__init__.py": "# built\n",
        "shop.egg-info/PKG-INFO": "Name: shop\n",
        ".mypy_cache/3.11/x.json": "{}\n",
        "venv/pyvenv.cfg": "home = /usr\n",  # (`python -m venv venv`; review)
        ".tox/py311/log.txt": "ok\n",
    }
    for relative, text in made.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_text(text, encoding="utf-8")
    (output / ".venv" / "lib64").symlink_to("lib")
    assert main(["check", str(spec), "--output", str(output)]) == 0  # none of them counts

    for version, force in (("2.0.0", []), ("3.0.0", ["--force"])):
        write_spec(tmp_path, _spec(version), "shop.yaml")  # a real regeneration each time
        assert main(["generate", str(spec), "--output", str(output), *force]) == 0
        assert f'__version__ = "{version}"' in (output / "shop" / "__init__.py").read_text()
        for relative, text in made.items():
            assert (output / relative).read_text(encoding="utf-8") == text, relative
        assert os.readlink(output / ".venv" / "lib64") == "lib"
    assert main(["check", str(spec), "--output", str(output)]) == 0


def test_the_repository_around_the_package_is_the_user_s(tmp_path: Path) -> None:
    """Entries at the project's top that generation did not write (a repository's `.git/`,
    `LICENSE`, `.github/`, `.gitignore`) were "added by hand" (E806, one line per file of
    `.git/`), and `--force` deleted them (diff audit 4). They are neither counted nor
    touched; a file added inside the package still is (E806)."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    made = {
        ".git/HEAD": "ref: refs/heads/main\n",
        ".git/objects/ab/cdef": "blob\n",
        ".github/workflows/ci.yml": "on: push\n",
        ".gitignore": "*.pyc\n",
        "LICENSE": "MIT\n",
    }
    for relative, text in made.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_text(text, encoding="utf-8")
    assert main(["check", str(spec), "--output", str(output)]) == 0  # none of them counts
    write_spec(tmp_path, _spec("1.0.0") | {"x-note": "same"}, "shop.yaml")
    assert main(["generate", str(spec), "--output", str(output)]) == 0  # nothing written

    for version, force in (("2.0.0", []), ("3.0.0", ["--force"])):
        write_spec(tmp_path, _spec(version), "shop.yaml")  # a real regeneration each time
        assert main(["generate", str(spec), "--output", str(output), *force]) == 0
        assert f'__version__ = "{version}"' in (output / "shop" / "__init__.py").read_text()
        for relative, text in made.items():
            assert (output / relative).read_text(encoding="utf-8") == text, relative
    (output / "shop" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert main(["check", str(spec), "--output", str(output)]) == 1


def test_a_hand_edit_is_detected_and_refused_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    edited = output / "shop" / "_client.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my fix\n", encoding="utf-8")
    added = output / "shop" / "extra.py"
    added.write_text("X = 1\n", encoding="utf-8")
    write_spec(tmp_path, _spec("2.0.0"), "shop.yaml")
    capsys.readouterr()

    assert main(["generate", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert f"{edited}:1:1: E806 edited by hand since the last generation" in err
    assert f"{added}:1:1: E806 added by hand since the last generation" in err
    assert "pass --force to overwrite" in err
    assert edited.read_text(encoding="utf-8").endswith("# my fix\n")  # nothing written
    assert '"1.0.0"' in (output / "shop" / "__init__.py").read_text(encoding="utf-8")

    assert main(["generate", str(spec), "--output", str(output), "--force"]) == 0
    assert not edited.read_text(encoding="utf-8").endswith("# my fix\n")
    assert not added.exists()
    assert main(["check", str(spec), "--output", str(output)]) == 0


@pytest.mark.parametrize("stamp", ["conflicted", "cut", "deleted"])
def test_without_a_readable_stamp_nothing_is_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stamp: str
) -> None:
    """A stamp left with merge-conflict markers, cut short or deleted turned the hand-edit
    check off: the folder was replaced whole, a file added by hand deleted, an edit
    overwritten, exit 0; the conflicted one also printed a `SystemError` traceback from
    the quick check (gencli audit). E806 names the stamp; `--force` replaces the folder."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    added = output / "shop" / "mine.py"
    added.write_text("X = 1\n", encoding="utf-8")
    path = output / ".sdkgen-inputs"
    text = path.read_text(encoding="utf-8")
    if stamp == "conflicted":
        path.write_text(f"<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> branch\n", "utf-8")
    elif stamp == "cut":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    else:
        path.unlink()
    write_spec(tmp_path, _spec("2.0.0"), "shop.yaml")
    capsys.readouterr()
    assert main(["generate", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}:1:1: E806 no readable generation stamp" in err, err
    assert added.read_text(encoding="utf-8") == "X = 1\n"
    assert '"1.0.0"' in (output / "shop" / "__init__.py").read_text(encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(output), "--force"]) == 0
    assert not added.exists() and '"2.0.0"' in (output / "shop" / "__init__.py").read_text()


def test_an_edit_of_an_up_to_date_package_is_not_skipped_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    (output / "shop" / "errors.py").write_text("# gone\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", str(spec), "--output", str(output)]) == 1
    assert "errors.py:1:1: E806" in capsys.readouterr().err


def test_a_hand_edit_is_refused_when_the_package_name_changes_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the staleness check stops at the new name without looking at the files: the
    # generation must look at them itself (it reuses that check only when it was made)
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    edited = output / "shop" / "_client.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my fix\n", encoding="utf-8")
    capsys.readouterr()
    argv = ["generate", str(spec), "--output", str(output), "--package-name", "store"]
    assert main(argv) == 1
    assert f"{edited}:1:1: E806 edited by hand" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8").endswith("# my fix\n")


def test_a_linked_package_folder_carries_nothing_from_where_it_points(tmp_path: Path) -> None:
    """Hostile audit 8: the package folder of an output folder (anyone's) linked elsewhere;
    regenerating copied that place's `_custom/` (files, settings, secrets) into the package."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "_custom").mkdir(parents=True)
    (elsewhere / "_custom" / "private.txt").write_text("OUTSIDE-PRIVATE\n", encoding="utf-8")
    real = output / "shop"
    real.rename(tmp_path / "moved")
    real.symlink_to(elsewhere, target_is_directory=True)
    write_spec(tmp_path, _spec("2.0.0"), "shop.yaml")
    main(["generate", str(spec), "--output", str(output), "--force"])
    assert not (output / "shop" / "_custom" / "private.txt").exists()
    assert (elsewhere / "_custom" / "private.txt").read_text() == "OUTSIDE-PRIVATE\n"


def test_a_repository_made_first_receives_its_first_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review of diff audit 4's fix: a `git init` folder, or one holding a `LICENSE`, was
    refused (E802) even with `--force`; one holding a README generation writes is refused
    with the name of what would be replaced; any other foreign folder still is."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    (repository / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (repository / "LICENSE").write_text("MIT\n", encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(repository)]) == 0
    assert (repository / "LICENSE").read_text(encoding="utf-8") == "MIT\n"
    assert (repository / ".git" / "HEAD").is_file() and (repository / "shop").is_dir()
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "README.md").write_text("# mine\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", str(spec), "--output", str(clone), "--force"]) == 1
    assert "(it holds README.md, which generation writes)" in capsys.readouterr().err
    assert (clone / "README.md").read_text(encoding="utf-8") == "# mine\n"


def test_force_over_an_unreadable_stamp_keeps_the_repository(tmp_path: Path) -> None:
    """Review: with the stamp conflicted (a merge), `--force` (as E806's hint says) deleted
    `.git/`, `LICENSE` and `.github/`: what the new generation does not write is kept."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (output / "LICENSE").write_text("MIT\n", encoding="utf-8")
    (output / ".sdkgen-inputs").write_text("<<<<<<< HEAD\n{}\n=======\n", encoding="utf-8")
    write_spec(tmp_path, _spec("2.0.0"), "shop.yaml")
    assert main(["generate", str(spec), "--output", str(output)]) == 1  # E806
    assert main(["generate", str(spec), "--output", str(output), "--force"]) == 0
    assert (output / ".git" / "HEAD").is_file() and (output / "LICENSE").is_file()


def test_a_renamed_package_replaces_nothing_of_yours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review: the package renamed `shop_v2` deleted the user's own `shop_v2/` folder at the
    top without a word, and the old package's `_custom/` code went with its folder: both
    are refused now, naming what to move."""
    spec = write_spec(tmp_path, _spec("1.0.0"), "shop.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    (output / "shop" / "_custom" / "helpers.py").write_text("HELPER = 1\n", encoding="utf-8")
    (output / "shop_v2").mkdir()
    (output / "shop_v2" / "NOTES.md").write_text("mine\n", encoding="utf-8")
    renamed = write_spec(tmp_path, _spec("1.0.0"), "shop-v2.yaml")
    capsys.readouterr()
    assert main(["generate", str(renamed), "--output", str(output), "--force"]) == 1
    assert "generation now writes shop_v2, which the last one did not" in capsys.readouterr().err
    (output / "shop_v2" / "NOTES.md").unlink()
    (output / "shop_v2").rmdir()
    assert main(["generate", str(renamed), "--output", str(output), "--force"]) == 1
    assert "move shop/_custom/ into the new package's folder" in capsys.readouterr().err
    assert (output / "shop" / "_custom" / "helpers.py").is_file()
