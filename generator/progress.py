"""A progress line on the terminal while a large spec is generated.

`generate` on a spec with hundreds of operations runs for seconds: the CLI opens a
`display` on stderr when stderr is a terminal (text format, not `--quiet`), and the
pipeline reports its stages to it (`stage`, `advance`); with no display open, both do
nothing. The line is redrawn in place (`\\r`, erase to the end of the line) only when
its text changes, at most every `_INTERVAL` seconds and not in the first `_DELAY`, and
erased when the display closes,
so the lines the reporter prints afterwards are all that stays. No thread: the stages
report from the main thread, and the forked renderers count their files in shared
memory, which the parent reads while it waits for them (`forked.render_forked`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from .diagnostics import escape

__all__ = ["active", "advance", "display", "stage"]

# below this many operations, a spec is generated too fast for a progress line to help
MIN_OPERATIONS = 200
_INTERVAL = 0.1
_DELAY = 0.5  # nothing is drawn before: a fast generation shows no line at all


class _Display:
    """The progress line of one generation."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = escape(label)
        self.started = time.perf_counter()
        self.text = ""
        self.shown = ""
        self.drawn_at = 0.0
        self.enabled = True  # until the spec turns out small

    def show(self, text: str, force: bool = False) -> None:
        self.text = text
        now = time.perf_counter()
        if not self.enabled or now - self.started < _DELAY:
            return
        if not force and now - self.drawn_at < _INTERVAL:
            return
        line = f"{self.label}: {text} ({now - self.started:.1f} s)"
        if line != self.shown:
            self.stream.write("\r\x1b[K" + line)
            self.stream.flush()
            self.shown, self.drawn_at = line, now

    def erase(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = ""


_ACTIVE: list[_Display] = []


@contextmanager
def display(stream: TextIO, label: str, enabled: bool = True) -> Iterator[None]:
    """Show the progress of the generation run inside the block on `stream` (a terminal)."""
    if not enabled:
        yield
        return
    shown = _Display(stream, label)
    _ACTIVE.append(shown)
    try:
        yield
    finally:
        _ACTIVE.remove(shown)
        shown.erase()


def active() -> bool:
    """True when a progress line is shown (the pipeline then counts rendered files)."""
    return bool(_ACTIVE) and _ACTIVE[-1].enabled


def stage(text: str, operations: int | None = None) -> None:
    """The generation reached a new stage (`building the IR`); `operations`, once known,
    turns the line off for a spec too small to need it."""
    if not _ACTIVE:
        return
    shown = _ACTIVE[-1]
    if operations is not None and operations < MIN_OPERATIONS:
        shown.erase()
        shown.enabled = False
    shown.show(text, force=True)


def advance(done: int, total: int, what: str = "files rendered") -> None:
    """`done` of `total` items of the current stage are finished."""
    if _ACTIVE:
        _ACTIVE[-1].show(f"{done:,}/{total:,} {what}")
