"""Diagnostics as values: every problem found in a spec is a `Diagnostic`, never a traceback.

A diagnostic names a stable code, a severity and a source location
(`file:line:col`, plus the JSON pointer inside the document). Stages collect
them; the CLI prints them sorted and exits non-zero when any is an error.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

MAX_MESSAGE_CHARS = 1000
MAX_POINTER_CHARS = 200
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class Severity(enum.Enum):
    """How bad a diagnostic is: errors stop generation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: 1-based line and column, and the JSON pointer there."""

    file: str
    line: int = 1
    col: int = 1
    pointer: str = ""

    def __str__(self) -> str:
        return f"{escape(self.file)}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable `code`, a `severity`, where it is and what is wrong."""

    code: str
    severity: Severity
    location: Location
    message: str
    hint: str = ""
    # what `generate` does instead of refusing (an E201 it reports as a warning): "ignored the
    # key"…; shown after the message on warnings only (an error repairs nothing)
    repair: str = ""

    @property
    def text(self) -> str:
        """The message as printed: with the repair made, on a warning that states one."""
        if self.repair and not self.is_error:
            return f"{self.message}; {self.repair}"
        return self.message

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, then code and message (stable output)."""
        loc = self.location
        return (loc.file, loc.line, loc.col, self.code, self.message)

    @property
    def is_error(self) -> bool:
        """True when this diagnostic must stop generation."""
        return self.severity is Severity.ERROR


def escape(text: str) -> str:
    """`text` safe for one line of a terminal or CI log: control and format characters,
    line separators and lone surrogates (ESC, CR, LF, U+202E, U+2028, U+D800…) as `\\x1b`,
    `\\u202e`-style escapes, so that spec text can neither move the cursor, clear the
    screen, forge a diagnostic line nor break the output's encoding."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or unicodedata.category(char) not in _ESCAPED_CATEGORIES:
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def _one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message as one escaped line: runs of white space become one space, long text is cut."""
    text = escape(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pointer(pointer: str) -> str:
    """A JSON pointer for display: escaped, and shortened in the middle when very long."""
    text = escape(pointer)
    if len(text) <= MAX_POINTER_CHARS:
        return text
    half = MAX_POINTER_CHARS // 2
    return text[:half] + "…" + text[-half:]


def format_text(diagnostic: Diagnostic) -> str:
    """Render as `file:line:col: CODE message` (warnings say so after the code), one line."""
    label = diagnostic.code if diagnostic.is_error else f"{diagnostic.code} warning:"
    text = f"{diagnostic.location}: {label} {_one_line(diagnostic.text)}"
    if diagnostic.location.pointer:
        text += f" (#{_pointer(diagnostic.location.pointer)})"
    if diagnostic.hint:
        text += f" [hint: {_one_line(diagnostic.hint)}]"
    return text


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape a value for a GitHub Actions workflow command."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    """Render as a GitHub Actions annotation (`::error file=…,line=…::message`)."""
    loc = diagnostic.location
    kind = "error" if diagnostic.is_error else "warning"
    props = ",".join(
        [
            f"file={_github_escape(escape(loc.file), property_value=True)}",
            f"line={loc.line}",
            f"col={loc.col}",
            f"title={_github_escape(diagnostic.code, property_value=True)}",
        ]
    )
    message = _one_line(diagnostic.text)
    if loc.pointer:
        message += f" (#{_pointer(loc.pointer)})"
    return f"::{kind} {props}::{_github_escape(message)}"


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return diagnostics de-duplicated and sorted by location then code. A finding that
    lint and the stage that repaired it both report (E402 under `--house-style`) is kept
    once, with the repair."""
    unique: dict[tuple[str, Severity], Diagnostic] = {}
    for diagnostic in diagnostics:
        key = (format_text(replace(diagnostic, repair="")), diagnostic.severity)
        if key not in unique or (diagnostic.repair and not unique[key].repair):
            unique[key] = diagnostic
    return sorted(unique.values(), key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.is_error for d in diagnostics)


@dataclass
class SpecError(Exception):
    """Raised when a stage cannot go on; carries the diagnostics that explain why."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(format_text(d) for d in sorted_diagnostics(self.diagnostics))
