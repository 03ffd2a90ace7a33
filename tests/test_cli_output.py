"""What the CLI prints: stderr, grouped warnings, --quiet/--verbose, json, colour, house style,
--version, the skip of an unchanged spec and `check`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator import __version__
from generator.cli import main
from generator.cli_report import Reporter, use_colour
from generator.diagnostics import Diagnostic, Location, Severity
from tests.conftest import minimal_spec, write_spec


def _without_operation_ids(count: int) -> dict[str, Any]:
    """A spec whose operations have no operationId (E301, a warning in `generate`) and no
    security requirement nor 4xx response (house style: only `lint` reports them)."""
    spec: dict[str, Any] = minimal_spec()
    spec["paths"] = {
        f"/items{index}": {"get": {"responses": {"204": {"description": "done"}}}}
        for index in range(count)
    }
    return spec


def test_warnings_are_grouped_by_code_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _without_operation_ids(5))
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert sum(": E301 warning:" in line for line in lines) == 3
    assert "… 2 more E301 warnings (5 in all; --verbose lists them)" in lines
    assert not any(code in captured.err for code in ("E501", "E701", "W601"))  # house style
    assert re.search(
        r"5 operation\(s\), 0 model\(s\), \d+ file\(s\) written, 5 warning\(s\)$", lines[-1]
    )


def test_verbose_lists_every_warning_and_quiet_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _without_operation_ids(5))
    assert main(["generate", str(spec), "--output", str(tmp_path / "a"), "--verbose"]) == 0
    assert capsys.readouterr().err.count(": E301 warning:") == 5
    assert main(["generate", str(spec), "--output", str(tmp_path / "b"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_house_style_is_left_to_lint_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _without_operation_ids(1))
    assert main(["generate", str(spec), "--output", str(tmp_path / "a")]) == 0
    assert "E701" not in capsys.readouterr().err
    assert main(["generate", str(spec), "--output", str(tmp_path / "b"), "--house-style"]) == 0
    err = capsys.readouterr().err
    assert "E701 warning:" in err and "E501 warning:" in err
    assert main(["lint", str(spec)]) == 1
    err = capsys.readouterr().err
    assert ": E701 " in err and ": E501 " in err


def test_json_format_is_one_document_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, _without_operation_ids(2))
    assert main(["lint", str(spec), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    codes = sorted({d["code"] for d in document["diagnostics"]})
    assert codes == ["E301", "E501", "E701"]
    first = document["diagnostics"][0]
    assert first["file"] == str(spec) and first["line"] > 1 and first["severity"] == "error"
    assert document["errors"] == 6 and document["warnings"] == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(_Terminal()) and not use_colour(io.StringIO())
    diagnostic = Diagnostic("E105", Severity.ERROR, Location("s.yaml", 3, 4), "no target")
    terminal = _Terminal()
    Reporter("text", stream=terminal).diagnostics([diagnostic])
    assert terminal.getvalue() == "\x1b[31ms.yaml:3:4: E105 no target\x1b[0m\n"
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    Reporter("text", stream=plain).diagnostics([diagnostic])
    assert plain.getvalue() == "s.yaml:3:4: E105 no target\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"billing-sdkgen {__version__}\n"


def test_an_unchanged_spec_is_skipped_before_it_is_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.load

    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}))
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spec was loaded")

    monkeypatch.setattr(generator.load, "load_spec", refuse)
    capsys.readouterr()
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert capsys.readouterr().err == f"{output}: up to date (inputs unchanged)\n"


def test_check_names_what_is_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}))
    output = tmp_path / "out"
    arguments = ["check", str(spec), "--output", str(output)]
    assert main(arguments) == 1
    assert "stale: not generated yet" in capsys.readouterr().err
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert main(arguments) == 0
    capsys.readouterr()
    (output / "test_api" / "models" / "a.py").write_text("A = int\n", encoding="utf-8")
    spec.write_text(spec.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(arguments) == 1
    err = capsys.readouterr().err
    assert "the spec changed since generation" in err
    assert "1 file(s) edited by hand: test_api/models/a.py" in err


@pytest.mark.parametrize("large", [False, True], ids=["in-process", "forked"])
def test_a_progress_line_on_a_terminal_is_erased_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    from generator import pipeline, progress

    monkeypatch.setattr(progress, "_DELAY", 0.0)
    monkeypatch.setattr(progress, "_INTERVAL", 0.0)
    monkeypatch.setattr(progress, "MIN_OPERATIONS", 3)
    if large:  # the forked path: lint beside the IR, children count the files they render
        monkeypatch.setattr(pipeline, "_is_large", lambda path: True)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    spec = write_spec(tmp_path, _without_operation_ids(3))
    assert main(["generate", str(spec), "--output", str(tmp_path / "out")]) == 0
    shown = terminal.getvalue()
    assert "\r\x1b[K" + str(spec) + ": loading the spec (" in shown
    assert ": rendering and formatting (" in shown
    if large:
        assert re.search(r"/\d+ files rendered", shown)
    # erased before the warnings and the summary, which stay on their own lines
    after = shown.rsplit("\r\x1b[K", 1)[1]
    assert "E301 warning" in after and "rendering" not in after
    assert re.search(
        r": 3 operation\(s\), 0 model\(s\), \d+ file\(s\) written, 3 warning\(s\)\n$", after
    )


def test_no_progress_line_off_a_terminal_nor_for_a_small_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator import progress

    monkeypatch.setattr(progress, "_DELAY", 0.0)
    spec = write_spec(tmp_path, _without_operation_ids(3))
    assert main(["generate", str(spec), "--output", str(tmp_path / "a")]) == 0
    assert "\x1b[K" not in capsys.readouterr().err  # not a terminal (CI logs)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["generate", str(spec), "--output", str(tmp_path / "b")]) == 0
    # a small spec: the line is erased once its operations are counted, and not drawn again
    after = terminal.getvalue().split(": building the IR", 1)[-1]
    assert "rendering" not in after and "writing" not in after
