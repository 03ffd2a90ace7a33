"""The CLI's output stays one escaped line per diagnostic, and no input gives a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, minimal_spec, write_spec

FORGED = "A\x1b[2J\x1b]0;pwned\x07\r\nfake.yaml:1:1: E999 forged\u2028\u202eX"
LINE = re.compile(r"^(\S.*?):(\d+):(\d+): ([EW]\d{3})( warning:)? .*$")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_spec_text_cannot_forge_lines_or_move_the_cursor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    spec = minimal_spec({FORGED: {"type": "string"}})
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["lint", str(path), "--format", output_format]) == 1
    out = capsys.readouterr().err
    lines = out.splitlines()
    assert len(lines) == len(out.split("\n")) - 1  # no CR, no other line break
    assert lines.pop() == "1 error(s), 1 warning(s) in 1 file(s)"  # the summary
    for line in lines:
        assert line.isprintable(), repr(line)
        assert "fake.yaml:1:1" not in line.split(" ", 1)[0]
        if output_format == "text":
            assert LINE.match(line), line
        else:
            assert line.startswith(("::error ", "::warning ")), line
    assert "\\x1b[2J" in out


def test_a_lone_surrogate_never_breaks_the_output(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    text = json.dumps(minimal_spec({"A": {"type": "integer", "example": "\ud800 x"}}))
    path.write_text(text, encoding="utf-8")
    for encoding in ("utf-8", "ascii"):
        result = _run("lint", str(path), env={"PYTHONIOENCODING": encoding})
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr + result.stdout
        assert b"E401" in result.stderr and b"\\ud800" in result.stderr


def test_a_control_character_in_the_file_name_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_spec(tmp_path, minimal_spec(), "spec\x1b[2J\nE999.yaml")
    assert main(["lint", str(path)]) == 0
    assert main(["lint", str(tmp_path / "missing\r\n.yaml")]) == 1
    out = capsys.readouterr().err
    # the two summaries and one diagnostic: no line break from the file names
    assert out.count("\n") == 3 and "missing\\x0d\\x0a.yaml:1:1: E001" in out


def test_generate_all_on_a_file_or_a_missing_folder(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, minimal_spec())
    for target in (spec, tmp_path / "missing"):
        result = _run("generate-all", str(target), "--output", str(tmp_path / "out"))
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr + result.stdout
        assert re.match(rb"^\S+:1:1: E001 cannot read spec folder: ", result.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_generate_all_on_a_folder_with_a_fifo_and_a_link_to_dev_zero(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    write_spec(specs, minimal_spec({"A": {"type": "string"}}), "acme-billing.yaml")
    os.mkfifo(specs / "fifo.yaml")
    (specs / "zero.json").symlink_to("/dev/zero")
    output = tmp_path / "out"
    result = _run("generate-all", str(specs), "--output", str(output))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr + result.stdout
    assert b"fifo.yaml:1:1: E001 cannot read file: it is a FIFO" in result.stderr
    assert b"zero.json:1:1: E001 cannot read file: it is a device" in result.stderr
    assert sorted(p.name for p in output.iterdir()) == ["acme_billing"]  # the good one is generated


def test_generate_all_refuses_two_specs_for_one_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    write_spec(specs, minimal_spec(), "openapi.yaml")  # both are named after "Test API"
    write_spec(specs, minimal_spec(), "swagger.json")
    assert main(["generate-all", str(specs), "--output", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().err
    assert "swagger.json:1:1: E803 package 'test_api' is already generated from" in out


def test_one_spec_listed_twice_is_generated_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`specs = ["spec.yaml", "./spec.yaml"]` named one file twice: E803 said its package was
    already generated from that very file, and the run failed (hostile audit 17)."""
    write_spec(tmp_path, minimal_spec(), "spec.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.billing-sdkgen]\nspecs = ["spec.yaml", "./spec.yaml"]\noutput = "out"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 0
    out = capsys.readouterr().err
    assert "E803" not in out and out.count("file(s) written") == 1, out


def test_an_unforeseen_failure_is_an_e900_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.ir_build

    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(generator.ir_build, "build_api", broken)
    spec = write_spec(tmp_path, minimal_spec())
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().err
    assert re.search(r"spec\.yaml:1:1: E900 internal error: the spec nests too deeply", out)


def test_force_never_deletes_the_spec_it_generates_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile audit 14: `generate out/api/spec.yaml --output out --force` deleted `out/api/`
    (the spec and the file it references) with the previous package: E802, nothing written.
    Under the package's `_custom/`, which every generation keeps, a spec is safe."""
    spec = minimal_spec({"Thing": {"$ref": "things.yaml#/Thing"}})
    output = tmp_path / "out"
    assert (
        main(["generate", str(write_spec(tmp_path, minimal_spec())), "--output", str(output)]) == 0
    )
    inside = output / "api"
    inside.mkdir()
    (inside / "things.yaml").write_text("Thing: {type: string}\n", encoding="utf-8")
    path = write_spec(inside, spec)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    capsys.readouterr()
    assert main(["generate", str(path), "--output", str(output), "--force"]) == 1
    err = capsys.readouterr().err
    assert "E802 the output folder holds api/spec.yaml" in err
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    kept = next(output.glob("*/_custom"))
    moved = write_spec(kept, spec)
    (kept / "things.yaml").write_text("Thing: {type: string}\n", encoding="utf-8")
    assert main(["generate", str(moved), "--output", str(output), "--force"]) == 0
    assert moved.exists()
    # nor the configuration or the templates it names (hostile audit 15)
    config = output / "sdkgen.toml"
    config.write_text('[tool.billing-sdkgen]\ntemplates = "tpl"\n', encoding="utf-8")
    (output / "tpl").mkdir()
    capsys.readouterr()
    command = ["generate", str(moved), "--output", str(output), "--config", str(config)]
    assert main([*command, "--force"]) == 1
    assert "E802 the output folder holds " in capsys.readouterr().err  # (tpl, sdkgen.toml)
    assert config.exists() and (output / "tpl").is_dir()


def test_the_file_systems_refusals_are_no_internal_errors(tmp_path: Path) -> None:
    """A spec file name that is no UTF-8 generated an E900 `UnicodeEncodeError` (the stamp
    hashed its name as text), and an output path the file system refuses (a name too long)
    an E900 "internal error … please report it": an E802 says what the file system said
    (gencli audit)."""
    spec = minimal_spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}})
    folder = os.fsencode(tmp_path)
    named = write_spec(tmp_path, spec, "shop.yaml")
    odd = os.path.join(folder, b"sh\xffop.yaml")
    os.rename(named, odd)
    done = _run("generate", os.fsdecode(odd), "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"E900" not in done.stderr
    again = _run("generate", os.fsdecode(odd), "--output", str(tmp_path / "out"))
    assert again.returncode == 0 and b"up to date" in again.stderr
    long = tmp_path / ("x" * 300)
    refused = _run("generate", os.fsdecode(odd), "--output", str(long))
    assert refused.returncode == 1
    assert b"E802 the file system refused (File name too long)" in refused.stderr
    assert b"E900" not in refused.stderr and b"Traceback" not in refused.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_ref_to_a_fifo_or_a_device_says_it_is_no_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused before anything is read, as before; the message said "not found" of a FIFO
    that is there (gencli audit)."""
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    schemas = {"A": {"$ref": "fifo.yaml#/A"}, "B": {"$ref": "zero.yaml#/B"}}
    spec = write_spec(tmp_path, minimal_spec(schemas), "shop.yaml")
    assert main(["lint", str(spec)]) == 1
    err = capsys.readouterr().err
    assert "file fifo.yaml is not a regular file" in err
    assert "$ref 'zero.yaml#/B' leaves the spec's folder" in err  # (a link out of it)
