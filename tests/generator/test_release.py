"""Generated packages are versioned and carry a CHANGELOG from the API diff of each generation."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.pipeline import generate_package
from generator.release import CHANGELOG_FILE, SNAPSHOT_FILE
from tests.conftest import minimal_spec, write_spec


def _spec(version: str, extra_field: bool = False, with_name: bool = True) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": {"type": "string"}}
    if with_name:
        properties["name"] = {"type": "string"}
    if extra_field:
        properties["nickname"] = {"type": "string"}
    item = {"type": "object", "required": ["id"], "properties": properties}
    paths = {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    }
                },
            }
        }
    }
    spec = minimal_spec({"Item": item}, paths)
    spec["info"]["version"] = version
    return spec


def _generate(tmp_path: Path, spec: dict[str, Any]) -> tuple[str, str]:
    path = write_spec(tmp_path, copy.deepcopy(spec), "items.yaml")
    output = tmp_path / "out"
    generate_package(path, output, force=True)
    text = (output / "pyproject.toml").read_text(encoding="utf-8")
    version = next(line for line in text.splitlines() if line.startswith("version = "))
    return version.split('"')[1], (output / CHANGELOG_FILE).read_text(encoding="utf-8")


def test_a_semver_info_version_is_the_package_version(tmp_path: Path) -> None:
    version, changelog = _generate(tmp_path, _spec("2.3.4"))
    assert version == "2.3.4"
    assert "## 2.3.4 (info.version `2.3.4`)\n\nFirst generation." in changelog
    assert (tmp_path / "out" / SNAPSHOT_FILE).is_file()


def test_regenerating_an_unchanged_spec_writes_the_same_files(tmp_path: Path) -> None:
    _generate(tmp_path, _spec("2024-01-01"))
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    _generate(tmp_path, _spec("2024-01-01"))
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before


def test_versions_follow_the_diff_when_info_version_is_not_semver(tmp_path: Path) -> None:
    version, _ = _generate(tmp_path, _spec("2024-01-01"))
    assert version == "0.0.0"  # not PEP 440 either: 0.0.0 (W805)
    version, changelog = _generate(tmp_path, _spec("2024-02-01", extra_field=True))
    assert version == "0.1.0"  # a new optional response field: minor
    assert "## 0.1.0 (info.version `2024-02-01`)" in changelog
    assert "`models.Item.nickname`" in changelog and "response-field-added-optional" in changelog
    version, changelog = _generate(tmp_path, _spec("2024-03-01", extra_field=True, with_name=False))
    assert version == "1.0.0"  # a removed response field breaks readers: major
    assert "response-field-removed" in changelog
    # newest entry first, older ones kept
    assert changelog.index("## 1.0.0") < changelog.index("## 0.1.0") < changelog.index("## 0.0.0")


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
def test_a_semver_info_version_below_the_diff_s_bump_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], large: bool
) -> None:
    """Diff audit 3: a provider that keeps `1.0.0` (222 of the directory's specs say so)
    or bumps the patch of a breaking change had the package keep or bump that version,
    silently, under an entry saying "semver bump: major". The version stays the spec's
    (a large spec's is decided before its diff is known); W807 and the entry say so."""
    monkeypatch.setattr("generator.pipeline._is_large", lambda _path: large)
    path = write_spec(tmp_path, _spec("1.0.0"), "items.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(path), "--output", str(output)]) == 0
    edits = [  # (info.version, a field of the response added, what the diff calls for)
        ("1.0.0", False, "major bump: 2.0.0"),  # the name removed: breaking
        ("1.0.1", True, "minor bump: 1.1.0"),  # a nickname added: an addition
    ]
    for version, extra, wanted in edits:
        write_spec(tmp_path, _spec(version, extra, with_name=False), "items.yaml")
        capsys.readouterr()
        assert main(["generate", str(path), "--output", str(output), "--force"]) == 0
        err = capsys.readouterr().err
        assert "items.yaml:4:3: W807" in err and wanted in err, err
        changelog = (output / CHANGELOG_FILE).read_text(encoding="utf-8")
        entry = changelog.split("\n## ")[1]
        assert entry.startswith(f"{version} (info.version `{version}`)")
        assert "> Warning: info.version" in entry and wanted in entry
    write_spec(tmp_path, _spec("2.0.0", extra_field=True), "items.yaml")
    capsys.readouterr()
    assert main(["generate", str(path), "--output", str(output), "--force"]) == 0
    assert "W807" not in capsys.readouterr().err  # (the name back: 2.0.0 is what it calls for)


def test_a_numeric_non_semver_version_starts_the_series(tmp_path: Path) -> None:
    version, _ = _generate(tmp_path, _spec("1"))
    assert version == "1.0.0"


def test_check_reports_the_api_diff_of_a_changed_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` on a package whose spec changed says what regenerating would change."""
    _generate(tmp_path, _spec("2024-01-01"))
    spec = tmp_path / "items.yaml"
    output = str(tmp_path / "out")
    assert main(["check", str(spec), "--output", output]) == 0
    write_spec(tmp_path, _spec("2024-02-01", extra_field=True, with_name=False), "items.yaml")
    capsys.readouterr()
    assert main(["check", str(spec), "--output", output]) == 1
    err = capsys.readouterr().err
    assert "stale: the spec changed since generation" in err
    assert "regenerating changes the Python API: 1 breaking, 0 unknown, 1 compatible" in err
    assert "BREAKING" in err and "models.Item.name" in err and "[response-field-removed]" in err
    assert main(["check", str(spec), "--output", output, "--no-api-diff"]) == 1
    assert "regenerating changes" not in capsys.readouterr().err
    # a spec that `generate` would refuse: its errors, not a diff
    broken = _spec("2024-03-01")
    broken["components"]["schemas"]["Item"] = {"$ref": "#/components/schemas/Missing"}
    write_spec(tmp_path, broken, "items.yaml")
    assert main(["check", str(spec), "--output", output]) == 1
    err = capsys.readouterr().err
    assert "`generate` would refuse it" in err and "regenerating changes" not in err


def test_check_says_what_its_diff_leaves_out_when_the_configuration_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Diff audit 6: a configuration that renames a model (`from shop.models import Item`
    fails) was "regenerating changes the Python API: 0 breaking, 0 unknown, 0 compatible":
    both sides are built with the configuration now, and `check` says so."""
    spec = write_spec(tmp_path, _spec("2024-01-01"), "items.yaml")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.billing-sdkgen]\n", encoding="utf-8")
    output = str(tmp_path / "out")
    assert main(["generate", str(spec), "--output", output, "--config", str(config)]) == 0
    config.write_text(
        '[tool.billing-sdkgen.spec.items]\nrename-models = { Item = "Thing" }\n', encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["check", str(spec), "--output", output, "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "stale: the configuration changed" in err
    assert "the configuration changed too: the API diff compares the specs" in err


@pytest.mark.parametrize("kind", ["link", "fifo", "latin-1"])
def test_the_previous_generation_is_read_as_regular_files_only(tmp_path: Path, kind: str) -> None:
    """Hostile audit 8: with `--force`, a snapshot or CHANGELOG linked to a file outside
    put that file's text into the new CHANGELOG (and its version); a FIFO hung, and one
    byte of Latin-1 in CHANGELOG.md made every later generation fail (E900)."""
    version, _ = _generate(tmp_path, _spec("2024-01-01"))
    output = tmp_path / "out"
    outside = tmp_path / "outside.json"
    outside.write_text('{"package_version": "8.0.0", "document": {"x": "OUTSIDE"}}\n')
    (tmp_path / "outside.md").write_text("# x\n\n## 0.1 OUTSIDE-LINE\n", encoding="utf-8")
    for name, target in ((SNAPSHOT_FILE, outside), (CHANGELOG_FILE, tmp_path / "outside.md")):
        (output / name).unlink()
        if kind == "link":
            (output / name).symlink_to(target)
        elif kind == "fifo":
            os.mkfifo(output / name)
    if kind == "latin-1":
        generate_package(
            write_spec(tmp_path, _spec("2024-01-01"), "items.yaml"), output, force=True
        )
        written = (output / CHANGELOG_FILE).read_bytes()
        (output / CHANGELOG_FILE).write_bytes(written + b"\n## 0.0.1 caf\xe9\n")
    version, changelog = _generate(tmp_path, _spec("2024-02-01", extra_field=True))
    # (without a snapshot to diff, the project's 0.0.0 is followed by a minor release;
    # Latin-1's was regenerated once more after its snapshot went: 0.1.0, then 0.2.0)
    assert "OUTSIDE" not in changelog
    assert version == ("0.2.0" if kind == "latin-1" else "0.1.0")
    if kind == "latin-1":
        assert "caf\ufffd" in changelog


def test_the_version_never_goes_below_the_project_s(tmp_path: Path) -> None:
    """Diff audit 5: with the snapshot lost, the series 0.1.0, 1.0.0 went back to 0.0.0 and a
    second "First generation" entry; a version set by hand in pyproject.toml (2.0.0) was
    taken back to 0.1.0 by `--force`."""
    _generate(tmp_path, _spec("2024-01-01"))
    version, _ = _generate(tmp_path, _spec("2024-02-01", extra_field=True))
    assert version == "0.1.0"
    output = tmp_path / "out"
    (output / SNAPSHOT_FILE).unlink()
    version, changelog = _generate(tmp_path, _spec("2024-03-01", extra_field=True))
    assert version == "0.2.0" and changelog.count("First generation") == 1
    assert f"({SNAPSHOT_FILE}) is missing: what changed since `0.1.0` is not known" in changelog
    pyproject = output / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('version = "0.2.0"', 'version = "2.0.0"'),
        encoding="utf-8",
    )
    version, changelog = _generate(tmp_path, _spec("2024-04-01"))  # a field removed
    assert version == "3.0.0" and changelog.index("## 3.0.0") < changelog.index("## 0.2.0")


def test_a_semver_info_version_below_the_project_s_is_not_taken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review: a version set by hand (2.0.0) went back to the spec's semver `1.0.0` under
    `--force`; the package keeps its series (W807 says why), and with the snapshot lost a
    semver `info.version` equal to the project's is warned about too."""
    path = write_spec(tmp_path, _spec("1.0.0"), "items.yaml")
    output = tmp_path / "out"
    assert main(["generate", str(path), "--output", str(output)]) == 0
    pyproject = output / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "2.0.0"')
    pyproject.write_text(text, encoding="utf-8")
    write_spec(tmp_path, _spec("1.0.0", extra_field=True), "items.yaml")  # an addition
    capsys.readouterr()
    assert main(["generate", str(path), "--output", str(output), "--force"]) == 0
    assert 'version = "2.1.0"' in pyproject.read_text(encoding="utf-8")
    assert "is below the package's version `2.0.0`" in capsys.readouterr().err
    (output / SNAPSHOT_FILE).unlink()
    write_spec(tmp_path, _spec("2.1.0", extra_field=True), "items.yaml")
    assert main(["generate", str(path), "--output", str(output), "--force"]) == 0
    err = capsys.readouterr().err
    assert 'version = "2.1.0"' in pyproject.read_text(encoding="utf-8")
    assert "W807" in err and "its changes are unknown: a minor bump: 2.2.0 or later" in err


def test_a_changelog_over_its_limit_keeps_its_newest_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Diff audit 5: a CHANGELOG over 16 MiB lost every entry to the new one."""
    monkeypatch.setattr("generator.release._CHANGELOG_LIMIT", 4096)
    _generate(tmp_path, _spec("2024-01-01"))
    changelog = tmp_path / "out" / CHANGELOG_FILE
    text = changelog.read_text(encoding="utf-8")
    head, first = text.split("\n## ", 1)
    older = "".join(f"\n## 0.0.{n} (old)\n\n" + "x" * 300 + "\n" for n in range(20, 0, -1))
    changelog.write_text(f"{head}{older}\n## {first}", encoding="utf-8")
    version, written = _generate(tmp_path, _spec("2024-02-01", extra_field=True))
    assert written.index(f"## {version} ") < written.index("## 0.0.20 (old)")
    assert "## 0.0.1 (old)" not in written and "Older entries are left out" in written
    assert len(written.encode()) < 4096 + 2048


def test_a_lone_surrogate_the_diff_quotes_is_written_escaped(tmp_path: Path) -> None:
    """Mutation audit 24: a path key holding a lone surrogate (`/items/\\ud800`), quoted by
    the API diff in the CHANGELOG, is no UTF-8: every regeneration over the package failed
    with E900 at 1:1."""
    operation = {"get": {"operationId": "getItem", "responses": {"200": {"description": "ok"}}}}
    output = tmp_path / "out"
    for path in ("/items/", "/items/\ud800"):
        spec = {"openapi": "3.0.3", "info": {"title": "S", "version": "1.0.0"}}
        spec["paths"] = {path: operation}
        written = tmp_path / "s.json"
        written.write_text(json.dumps(spec), encoding="utf-8")  # (JSON escapes it)
        generate_package(written, output, force=True)
    assert "\\ud800" in (output / CHANGELOG_FILE).read_text(encoding="utf-8")
