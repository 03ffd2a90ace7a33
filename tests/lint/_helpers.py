"""Shared helpers for the lint tests: run the CLI in-process and parse its output."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"

_TEXT_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3})(?P<warning> warning:)? "
    r"(?P<message>.*)$"
)


@dataclass(frozen=True)
class Reported:
    """One parsed `file:line:col: CODE message` output line."""

    file: str
    line: int
    col: int
    code: str
    warning: bool
    message: str
    raw: str

    def is_in(self, path: Path) -> bool:
        """True when this diagnostic names `path` (printed relative to cwd or as given)."""
        return Path(self.file).resolve() == path.resolve()


@dataclass(frozen=True)
class LintRun:
    """Exit status, parsed diagnostics and raw streams of one in-process `lint` run."""

    status: int
    reported: list[Reported]
    out: str
    err: str

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reported]


def parse_text_output(out: str) -> list[Reported]:
    """Parse every stdout line; fail on any line that is not a diagnostic."""
    reported = []
    for raw in out.splitlines():
        match = _TEXT_LINE.match(raw)
        assert match, f"not a diagnostic line: {raw!r}"
        reported.append(
            Reported(
                file=match["file"],
                line=int(match["line"]),
                col=int(match["col"]),
                code=match["code"],
                warning=bool(match["warning"]),
                message=match["message"],
                raw=raw,
            )
        )
    return reported


def run_lint(capsys: pytest.CaptureFixture[str], *paths: Path | str, fmt: str = "text") -> LintRun:
    """Run `python -m generator lint PATH...` in-process and capture its output."""
    capsys.readouterr()  # drop anything printed before
    argv = ["lint", *(str(p) for p in paths)]
    if fmt != "text":
        argv += ["--format", fmt]
    status = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err, captured.err
    assert captured.out == "", captured.out  # diagnostics go to stderr
    # every line but the last (the summary) is a diagnostic
    *lines, last = captured.err.splitlines()
    assert re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\) in \d+ file\(s\)", last), last
    diagnostics = "".join(line + "\n" for line in lines)
    reported = parse_text_output(diagnostics) if fmt == "text" else []
    return LintRun(status, reported, diagnostics, captured.err)
