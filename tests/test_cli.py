"""The CLI: clear `file:line` errors, non-zero exits, and an output folder never half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import ROOT, minimal_spec, write_spec


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_broken_spec_leaves_existing_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_spec(
        tmp_path, minimal_spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}})
    )
    output = tmp_path / "out"
    assert main(["generate", str(good), "--output", str(output)]) == 0
    before = _snapshot(output)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: [\n")
    assert main(["generate", str(broken), "--output", str(output)]) == 1
    captured = capsys.readouterr()
    assert f"{broken.name}:6:1: E002 invalid YAML" in captured.err
    assert "left unchanged" in captured.err
    assert _snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "out", "spec.yaml"]


def test_unresolved_ref_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, minimal_spec({"A": {"$ref": "#/components/schemas/Missing"}}))
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().err
    line = next(i for i, text in enumerate(spec.read_text().splitlines(), 1) if "Missing" in text)
    assert f"spec.yaml:{line}:" in out and "E105" in out and "Missing" in out


def test_refuses_to_replace_a_folder_it_did_not_generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, minimal_spec())
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert main(["generate", str(spec), "--output", str(precious)]) == 1
    assert (precious / "notes.txt").read_text() == "keep me"
    assert "refusing to replace" in capsys.readouterr().err


def test_invalid_package_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, minimal_spec())
    assert (
        main(["generate", str(spec), "--output", str(tmp_path / "o"), "--package-name", "../evil"])
        == 1
    )
    assert "E801" in capsys.readouterr().err


def test_json_specs_are_supported(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}), filename="api.json")
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    # `api` is a generic file name: the package is named after info.title ("Test API")
    assert (tmp_path / "out" / "test_api" / "models" / "a.py").is_file()


def test_regeneration_without_changes_touches_nothing(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}))
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    mtimes = {p: p.stat().st_mtime_ns for p in output.rglob("*")}
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*")} == mtimes


def test_large_garbage_is_its_own_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A large spec lints in a child, which reports the file's E001 itself (it came back
    as E900 "internal error (ChildFailed: SpecError: …)")."""
    from generator import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\xff\xfe\x00binary")
    assert main(["generate", str(garbage), "--output", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "garbage.yaml:1:1: E001 file is not UTF-8 text" in err
    assert "E900" not in err and "Traceback" not in err


def test_no_traceback_for_garbage(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\xff\xfe\x00binary")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(garbage),
            "--output",
            str(tmp_path / "o"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "garbage.yaml:1:1: E001" in result.stderr


def test_large_spec_path_matches_the_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Specs over PARALLEL_LINT_BYTES lint in a worker: same files, same errors, nothing written."""
    from generator import pipeline

    spec = write_spec(
        tmp_path,
        minimal_spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}),
    )
    assert main(["generate", str(spec), "--output", str(tmp_path / "small")]) == 0
    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    assert main(["generate", str(spec), "--output", str(tmp_path / "large")]) == 0
    assert _snapshot(tmp_path / "large") == _snapshot(tmp_path / "small")

    broken = tmp_path / "broken.yaml"
    text = spec.read_text(encoding="utf-8").replace(
        "type: string", "$ref: '#/components/schemas/Nope'"
    )
    broken.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", str(broken), "--output", str(tmp_path / "never")]) == 1
    captured = capsys.readouterr()
    assert "E105" in captured.err and "Traceback" not in captured.out + captured.err
    assert not (tmp_path / "never").exists()


def test_a_lint_refusal_before_the_ir_starts_reports_the_lint_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tiny spec's lint child can refuse (SIGUSR1) while the parent is still forking it:
    the refusal waits until the parent is where it stops the IR. It escaped as E900
    "internal error (LintRefused)" (seen once in `make test`); here the parent waits, after
    forking the lint child, until the refusal has arrived."""
    import time

    from generator import forked, lint_child, pipeline

    real = forked.Forked.__init__

    def forked_then_refused(self: Any, function: Any, *args: Any) -> None:
        real(self, function, *args)
        if function is lint_child.lint_and_signal:
            deadline = time.monotonic() + 60
            while not lint_child.Refusal.pending and time.monotonic() < deadline:
                time.sleep(0.01)
            assert lint_child.Refusal.pending, "the lint child never refused"

    monkeypatch.setattr(forked.Forked, "__init__", forked_then_refused)
    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    spec = minimal_spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}})
    text = write_spec(tmp_path, spec).read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("type: string", "$ref: '#/components/schemas/Nope'"), encoding="utf-8"
    )
    assert main(["generate", str(broken), "--output", str(tmp_path / "never")]) == 1
    err = capsys.readouterr().err
    assert "E105" in err and "E900" not in err, err
    assert not (tmp_path / "never").exists()


def test_fingerprint_covers_the_spec_and_the_files_it_references(tmp_path: Path) -> None:
    """generate-all skips a package until the spec or a file it $refs changes; other files don't count."""
    from generator.fingerprint import is_up_to_date

    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "shared").mkdir()
    shared = specs / "shared" / "money.yaml"
    shared.write_text("type: object\nproperties:\n  amount: {type: integer}\n", encoding="utf-8")
    spec_text = minimal_spec({"A": {"$ref": "shared/money.yaml"}})
    spec = write_spec(specs, spec_text, "acme-billing.yaml")
    output = tmp_path / "out" / "acme_billing"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    stamp = json.loads((output / ".sdkgen-inputs").read_text(encoding="utf-8"))
    assert stamp["spec_files"] == ["acme-billing.yaml", "shared/money.yaml"]
    assert is_up_to_date(spec, output, "acme_billing")
    (specs / "unrelated.json").write_text("{}", encoding="utf-8")  # not referenced: no effect
    assert is_up_to_date(spec, output, "acme_billing")
    shared.write_text(shared.read_text(encoding="utf-8") + "description: changed\n")
    assert not is_up_to_date(spec, output, "acme_billing")
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert is_up_to_date(spec, output, "acme_billing")
    shared.unlink()
    assert not is_up_to_date(spec, output, "acme_billing")


def test_lint_errors_stop_the_ir_of_a_large_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lint child tells the parent at once when it refuses the spec (SIGUSR1): a doomed
    IR is not built to the end (a 200,000-long `$ref` chain cost 40 s of it)."""
    import time

    from generator import forked, ir_build, lint_child, pipeline

    if not forked.can_fork():
        pytest.skip("the lint runs in a forked child only where fork exists")
    monkeypatch.setattr(pipeline, "PARALLEL_LINT_BYTES", 0)
    stopped: list[bool] = []
    started = tmp_path / "ir-started"
    lint_file = lint_child.lint_file

    def lint_once_the_ir_runs(
        spec_path: str, house_style: bool = False, ref_root: Path | None = None
    ) -> list[Any]:
        for _ in range(6000):  # the order, not the time, matters: the IR starts first
            if started.exists():
                break
            time.sleep(0.01)
        return lint_file(spec_path, house_style, ref_root)

    def endless_ir(*args: object, **kwargs: object) -> None:
        started.touch()
        try:
            time.sleep(120)  # interrupted by the refusal, or the test fails below
        except lint_child.LintRefused:
            stopped.append(True)
            raise

    monkeypatch.setattr(lint_child, "lint_file", lint_once_the_ir_runs)

    monkeypatch.setattr(ir_build, "build_api", endless_ir)
    spec = write_spec(
        tmp_path,
        minimal_spec({"A": {"type": "object", "properties": {"x": {"$ref": "#/nope"}}}}),
    )
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 1
    assert stopped == [True]
    assert not (tmp_path / "out").exists()


def test_ref_root_widens_the_folder_file_references_may_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spec in `api/` that references `../common/pet.yaml` (dcg's external_ref_mapping and
    discriminator tests): refused (E102) unless `--ref-root` or `ref-root` allows the wider
    folder; the large-spec path (its lint in a forked child) reads the same root."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    name: {type: string}\n"
    )
    schema = {"$ref": "../common/pet.yaml#/Pet"}
    ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    spec = minimal_spec(
        paths={"/pets": {"get": {"operationId": "getPet", "responses": {"200": ok}}}}
    )
    api = tmp_path / "api"
    api.mkdir()
    path = write_spec(api, spec, "openapi.yaml")  # a generic name: the title names the package
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 1
    refused = capsys.readouterr()
    assert "E102 $ref '../common/pet.yaml#/Pet' leaves the spec's folder" in refused.err
    assert "--ref-root DIR" in refused.err
    assert not (tmp_path / "out").exists()
    assert main(["lint", str(path), "--ref-root", str(tmp_path)]) == 1  # E501 etc., no E102
    assert "E102" not in capsys.readouterr().err
    argv = ["generate", str(path), "--output", str(tmp_path / "out"), "--ref-root", "."]
    assert main(argv) == 0, capsys.readouterr()
    assert (tmp_path / "out").is_dir()
    # the stamp lists the file beside the spec's folder: read again where `--ref-root` says
    assert main(argv) == 0 and "up to date" in capsys.readouterr().err
    assert main(["check", str(path), "--output", str(tmp_path / "out"), "--ref-root", "."]) == 0
    monkeypatch.setattr("generator.pipeline._is_large", lambda _path: True)
    (tmp_path / "pyproject.toml").write_text('[tool.billing-sdkgen]\nref-root = "."\n')
    assert main(["generate", str(path), "--output", str(tmp_path / "out2"), "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "out2").rglob("pet.py")) == sorted(
        p.name for p in (tmp_path / "out").rglob("pet.py")
    )


def test_a_ref_root_must_hold_the_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ref-root that does not exist, is a file, or lies beside the spec was taken without a
    word, and the spec's own sub-folders were then "out of" it (gencli audit)."""
    (tmp_path / "api").mkdir()
    spec = write_spec(tmp_path / "api", minimal_spec({"A": {"type": "string"}}), "shop.yaml")
    (tmp_path / "other").mkdir()
    for root in ("missing", "api/shop.yaml", "other"):
        capsys.readouterr()
        assert main(["lint", str(spec), "--ref-root", str(tmp_path / root)]) == 1
        assert "E102 the ref-root" in capsys.readouterr().err
    assert main(["lint", str(spec), "--ref-root", str(tmp_path)]) in (0, 1)
    assert "E102" not in capsys.readouterr().err
    # an empty package name was the default one, silently
    assert main(["generate", str(spec), "--output", str(tmp_path / "o"), "--package-name", ""]) == 1
    assert "E809 --package-name is empty" in capsys.readouterr().err


def test_diff_against_a_revision_reads_the_files_of_the_ref_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff SPEC --against REF` wrote out the spec's folder alone: under a configured
    `ref-root`, the old spec's `../common/` reference could not resolve."""
    (tmp_path / "common").mkdir()
    (tmp_path / "api").mkdir()
    pet: dict[str, Any] = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
    }
    write_spec(tmp_path / "common", {"Pet": pet}, "pet.yaml")
    schema = {"$ref": "../common/pet.yaml#/Pet"}
    ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    spec = minimal_spec(
        paths={"/pet": {"get": {"operationId": "getPet", "responses": {"200": ok}}}}
    )
    path = write_spec(tmp_path / "api", spec, "shop.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.billing-sdkgen]\nref-root = "."\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "v1"]):
        subprocess.run([*git, *args], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    assert main(["diff", str(path), "--against", "HEAD"]) == 0, capsys.readouterr()
    pet["properties"].pop("name")
    pet["required"] = []
    write_spec(tmp_path / "common", {"Pet": pet}, "pet.yaml")
    capsys.readouterr()
    assert main(["diff", str(path), "--against", "HEAD"]) == 1
    assert "Pet.name" in capsys.readouterr().out


@pytest.mark.parametrize("large", [False, True], ids=["small", "large-forked"])
def test_regeneration_links_unchanged_files_and_rewrites_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """After an edit of the spec, a file whose content did not change is the previous one,
    hard-linked into the new tree (same inode, same timestamp: nothing rewritten, and the
    old tree's removal frees nothing); a changed one is new. `--force` over a hand edit
    writes the generated text again, never links the edited file. Both paths: the small
    spec's `write_tree`, and a large spec's forked renderers writing into staging."""
    monkeypatch.setattr("generator.pipeline._is_large", lambda _path: large)
    spec = minimal_spec(
        {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
        {"/pets": {"get": {"operationId": "listPets", "summary": "List pets", "responses": {}}}},
    )
    path = write_spec(tmp_path, spec, "pets.yaml")
    out = tmp_path / "out"
    assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 0
    kept, changed = out / "pets" / "_types.py", out / "README.md"
    before = kept.stat(), changed.stat()
    spec["paths"]["/pets"]["get"]["summary"] = "List every pet"
    write_spec(tmp_path, spec, "pets.yaml")
    assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 0
    assert "List every pet" in changed.read_text()
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (
        before[0].st_ino,
        before[0].st_mtime_ns,
    )
    assert kept.stat().st_nlink == 1  # the old tree is gone
    assert changed.stat().st_ino != before[1].st_ino
    generated = kept.read_text()
    kept.write_text(generated + "# edited by hand\n")
    spec["paths"]["/pets"]["get"]["summary"] = "List pets again"
    write_spec(tmp_path, spec, "pets.yaml")
    assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 1  # E806
    assert main(["generate", str(path), "--output", str(out), "--quiet", "--force"]) == 0
    assert kept.read_text() == generated


def test_a_large_specs_api_diff_computed_beside_rendering_gives_the_same_changelog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large spec with a semver `info.version` builds the previous spec's IR in a forked
    child while the package renders (`Release.complete`); the CHANGELOG entry is the one
    the serial path writes."""
    changelogs = []
    for large in (False, True):
        monkeypatch.setattr("generator.pipeline._is_large", lambda _path, large=large: large)
        ok = {"200": {"description": "ok"}}
        spec = minimal_spec(paths={"/pets": {"get": {"operationId": "listPets", "responses": ok}}})
        spec["info"]["version"] = "1.0.0"
        folder = tmp_path / str(large)
        folder.mkdir()
        path = write_spec(folder, spec, "pets.yaml")
        out = folder / "out"
        assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 0
        spec["paths"]["/toys"] = {"get": {"operationId": "listToys", "responses": ok}}
        spec["info"]["version"] = "1.1.0"
        write_spec(folder, spec, "pets.yaml")
        assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 0
        changelogs.append((out / "CHANGELOG.md").read_text())
    assert changelogs[0] == changelogs[1]
    assert "## 1.1.0" in changelogs[1] and "toys" in changelogs[1].lower()


def test_a_lint_refusal_in_code_that_swallows_exceptions_is_told_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A CI run: the lint child's SIGUSR1 arrived while `logging._releaseLock` ran after a
    fork; `LintRefused` raised there was printed ("Exception ignored in …") and lost. Such
    a frame gets the refusal again a moment later; any other raises it."""
    import signal
    import types

    from generator import lint_child

    told: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: told.append((pid, sig)))
    lint_child.Refusal.listen()
    lint_child.Refusal.armed = True
    try:
        fork_handler = types.SimpleNamespace(
            f_code=types.SimpleNamespace(
                co_name="_releaseLock", co_filename="/x/logging/__init__.py"
            )
        )
        lint_child._refused(signal.SIGUSR1, fork_handler)  # no exception here
        for _ in range(200):
            if told:
                break
            time.sleep(0.01)
        assert told and told[0][1] == signal.SIGUSR1
        ordinary = types.SimpleNamespace(
            f_code=types.SimpleNamespace(co_name="build", co_filename="/x/generator/ir.py")
        )
        with pytest.raises(lint_child.LintRefused):
            lint_child._refused(signal.SIGUSR1, ordinary)
    finally:
        lint_child.Refusal.listen()


@pytest.mark.parametrize(
    "argv",
    [
        ["generate", "https://example.com/openapi.json", "--output", "{out}"],
        ["lint", "{spec}", "http://example.com/spec.yaml"],
        ["check", "file:///tmp/spec.json", "--output", "{out}"],
        ["diff", "https://example.com/old.json", "{spec}"],
    ],
)
def test_a_url_for_a_spec_is_refused_not_read_as_a_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Nothing is fetched on a spec's behalf: a URL is an E001 that says so (it was read as
    the path `https:/example.com/…`, "no such file"), and nothing is written."""
    spec = write_spec(tmp_path, minimal_spec())
    out = tmp_path / "out"
    filled = [a.replace("{out}", str(out)).replace("{spec}", str(spec)) for a in argv]
    assert main(filled) == 1
    err = capsys.readouterr().err
    url = next(a for a in filled if "://" in a)
    assert f"{url}:1:1: E001 cannot read file: a URL" in err
    assert "fetches nothing" in err
    assert not out.exists()
