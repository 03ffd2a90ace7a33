"""How the CLI shows diagnostics and notes: formats, grouping, verbosity, colour.

Diagnostics and notes go to stderr (`--format json` writes one JSON document to
stdout instead, for tools). Errors are always listed one by one; warnings are
grouped by code: the first `SHOWN_PER_CODE` of a code are listed, then one line
says how many more there are (`--verbose` lists them all, `--quiet` none). Colour
only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TextIO

from .diagnostics import Diagnostic, format_github, format_text, sorted_diagnostics

SHOWN_PER_CODE = 3
FORMATS = ("text", "github", "json")
_RED, _YELLOW, _DIM, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


def use_colour(stream: TextIO) -> bool:
    """True when `stream` is a terminal and `NO_COLOR` is not set."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _as_json(diagnostic: Diagnostic) -> dict[str, Any]:
    location = diagnostic.location
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "file": location.file,
        "line": location.line,
        "col": location.col,
        "pointer": location.pointer,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


class Reporter:
    """Prints what one command found, in the chosen format and verbosity."""

    def __init__(
        self,
        output_format: str = "text",
        verbosity: int = 0,
        stream: TextIO | None = None,
        *,
        group: bool = True,
    ) -> None:
        self.format = output_format
        self.verbosity = verbosity  # -1 quiet, 0 default, 1 verbose
        self.stream = stream if stream is not None else sys.stderr
        self.colour = output_format == "text" and use_colour(self.stream)
        self.group = group and verbosity <= 0
        self.collected: list[Diagnostic] = []
        self.notes: list[str] = []

    def _line(self, text: str, colour: str = "") -> None:
        if self.colour and colour:
            text = f"{colour}{text}{_RESET}"
        print(text, file=self.stream)

    def diagnostics(self, found: Iterable[Diagnostic]) -> None:
        """Show diagnostics: every error; warnings grouped by code (or none when quiet)."""
        ordered = sorted_diagnostics(found)
        if self.format == "json":
            self.collected.extend(ordered)
            return
        errors = [d for d in ordered if d.is_error]
        warnings = [] if self.verbosity < 0 else [d for d in ordered if not d.is_error]
        by_code: dict[str, list[Diagnostic]] = defaultdict(list)
        for warning in warnings:
            by_code[warning.code].append(warning)
        shown = list(errors)
        hidden: dict[str, int] = {}
        for code, group in by_code.items():
            limit = SHOWN_PER_CODE if self.group else len(group)
            shown.extend(group[:limit])
            if len(group) > limit:
                hidden[code] = len(group) - limit
        render = format_github if self.format == "github" else format_text
        for diagnostic in sorted(shown, key=Diagnostic.sort_key):
            self._line(render(diagnostic), _RED if diagnostic.is_error else _YELLOW)
        for code, count in sorted(hidden.items()):
            total = len(by_code[code])
            self._line(
                f"… {count:,} more {code} warnings ({total:,} in all; --verbose lists them)",
                _DIM,
            )

    def note(self, text: str) -> None:
        """A progress or summary line (not shown with --quiet)."""
        if self.format == "json":
            self.notes.append(text)
        if self.verbosity >= 0:
            self._line(text)

    def detail(self, text: str) -> None:
        """A line shown only with --verbose."""
        if self.verbosity > 0:
            self._line(text, _DIM)

    def problem(self, text: str) -> None:
        """A line about a failure: shown even with --quiet."""
        if self.format == "json":
            self.notes.append(text)
        self._line(text, _RED)

    def finish(self) -> None:
        """Write the JSON document (`--format json`) to stdout."""
        if self.format != "json":
            return
        document = {
            "diagnostics": [_as_json(d) for d in sorted_diagnostics(self.collected)],
            "errors": sum(1 for d in self.collected if d.is_error),
            "warnings": sum(1 for d in self.collected if not d.is_error),
            "notes": self.notes,
        }
        sys.stdout.write(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
