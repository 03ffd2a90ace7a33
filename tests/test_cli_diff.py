"""`diff OLD NEW` and `diff SPEC --against REF`: output formats and exit statuses for CI."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.apidiff_specs import BASE, Spec
from tests.conftest import ROOT, write_spec


def _pair(tmp_path: Path, new: Spec) -> tuple[str, str]:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    return str(write_spec(tmp_path / "old", BASE)), str(write_spec(tmp_path / "new", new))


def _breaking() -> Spec:
    new = copy.deepcopy(BASE)
    new["components"]["schemas"]["User"]["properties"].pop("age")
    return new


def _compatible() -> Spec:
    new = copy.deepcopy(BASE)
    new["components"]["schemas"]["User"]["properties"]["bio"] = {"type": "string"}
    return new


def test_breaking_change_exits_1_and_text_is_grouped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _pair(tmp_path, _breaking())
    assert main(["diff", old, new]) == 1
    out = capsys.readouterr().out
    assert "models:\n  BREAKING   models.User.age: field removed  [response-field-removed]" in out
    assert out.rstrip().endswith(
        "1 breaking, 0 unknown, 0 compatible change(s); semver bump: major"
    )


def test_compatible_change_exits_0_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair(tmp_path, _compatible())
    assert main(["diff", old, new, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["breaking"] is False and report["bump"] == "minor"
    assert report["summary"] == {"breaking": 0, "unknown": 0, "compatible": 1}
    assert [c["rule"] for c in report["changes"]] == ["response-field-added-optional"]


def test_no_change_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair(tmp_path, copy.deepcopy(BASE))
    assert main(["diff", old, new]) == 0
    assert "no changes to the Python API" in capsys.readouterr().out


def test_markdown_and_github_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair(tmp_path, _breaking())
    assert main(["diff", old, new, "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert "### models" in markdown
    assert "| breaking | `models.User.age`: field removed | `response-field-removed` |" in markdown
    assert main(["diff", old, new, "--format", "github"]) == 1
    github = capsys.readouterr().out
    # the summary first (Actions shows 10 annotations of a kind: the count must be one)
    first, second = github.splitlines()[:2]
    assert first == (
        "::error title=API diff::1 breaking, 0 unknown, 0 compatible change(s); semver bump: major"
    )
    assert second.startswith("::error title=response-field-removed::models.User.age: field removed")


def test_unusable_spec_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = _pair(tmp_path, BASE)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n")
    assert main(["diff", old, str(broken)]) == 2
    captured = capsys.readouterr()
    assert "E002" in captured.err and "unusable" in captured.err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_against_a_git_revision_reads_the_spec_and_its_referenced_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    specs = repo / "specs"
    specs.mkdir(parents=True)
    spec = copy.deepcopy(BASE)
    spec["components"]["schemas"]["Error"] = {"$ref": "error.yaml"}
    write_spec(specs, BASE["components"]["schemas"]["Error"], filename="error.yaml")
    spec_path = write_spec(specs, spec, filename="api.yaml")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    changed = copy.deepcopy(BASE["components"]["schemas"]["Error"])
    changed["properties"].pop("message")  # a breaking change in the referenced file only
    write_spec(specs, changed, filename="error.yaml")
    assert main(["diff", str(spec_path), "--against", "HEAD"]) == 1
    assert "[response-field-removed]" in capsys.readouterr().out
    git("commit", "-qam", "v2")
    assert main(["diff", str(spec_path), "--against", "HEAD"]) == 0
    assert main(["diff", str(spec_path), "--against", "no-such-ref"]) == 2
    assert "no-such-ref" in capsys.readouterr().err


def test_python_dash_m_generator_diff(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, _breaking())
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "diff", old, new],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert "[response-field-removed]" in completed.stdout


def test_the_configuration_names_what_the_diff_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`diff` describes the package the configuration generates, as `check` does: a renamed
    model is reported under its configured name (it was under the spec's)."""
    old, new = _pair(tmp_path, _breaking())
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.billing-sdkgen.spec.spec]\nrename-models = { User = "Member" }\n',
        encoding="utf-8",
    )
    assert main(["diff", old, new, "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "models.Member.age: field removed" in out and "models.User" not in out
    config.write_text("[tool.billing-sdkgen]\nrename-models = 3\n", encoding="utf-8")
    assert main(["diff", old, new, "--config", str(config)]) == 2
    assert "E810" in capsys.readouterr().err
