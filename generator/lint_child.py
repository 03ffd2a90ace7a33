"""The lint child of a large spec, and its refusal: the lint runs in a forked child while
the parent builds the IR, and tells the parent (SIGUSR1) as soon as it finds errors, so
that the parent stops building an IR the lint refuses (`pipeline._generate_large`)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, has_errors


class LintRefused(Exception):
    """The lint child found errors while the IR was being built: stop building it."""


class Refusal:
    """Where the lint child's refusal (SIGUSR1) may stop the parent: only once armed, inside
    the region that catches `LintRefused`. A tiny spec's lint can refuse before the parent
    got there (while it forks the child, say): the refusal waits, and arming raises it (it
    escaped as an E900 "internal error (LintRefused)" instead of the lint's E105)."""

    armed = False
    pending = False

    @classmethod
    def listen(cls) -> None:
        cls.armed, cls.pending = False, False

    @classmethod
    def arm(cls) -> None:
        """From here on a refusal raises `LintRefused`; one that came before is raised now."""
        cls.armed = True
        if cls.pending:
            raise LintRefused


def _refused(signum: int, frame: Any) -> None:
    if Refusal.armed and not _swallows(frame):
        raise LintRefused
    if Refusal.armed:  # told again in a moment, where the exception can stop the IR
        threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        return
    Refusal.pending = True


def _swallows(frame: Any) -> bool:
    """Is the interrupted code one whose exceptions Python prints and ignores: a fork
    handler (`logging._releaseLock` after `os.fork()`), a finaliser? The refusal raised
    there printed "Exception ignored in …" and a traceback, and was lost (a CI run)."""
    code = getattr(frame, "f_code", None)
    if code is None:
        return False
    name = code.co_name
    return name in (
        "__del__",
        "_releaseLock",
        "_acquireLock",
        "_after_at_fork_child_reinit_locks",
    ) or (code.co_filename.endswith(("logging/__init__.py", "threading.py", "weakref.py")))


def ignore_refusal(signum: int, frame: Any) -> None:
    """A refusal that arrives after the IR is done changes nothing (the lint result says it)."""


def listen_for_refusal() -> Any:
    """Install the SIGUSR1 handler that stops the IR when the lint child finds errors; the
    previous handler, or None where signals cannot be handled (not the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    Refusal.listen()
    return signal.signal(signal.SIGUSR1, _refused)


def lint_and_signal(
    spec_path: str, house_style: bool, signal_parent: bool, ref_root: Path | None = None
) -> list[Diagnostic]:
    """`lint_file` in the forked child; when it finds errors, the parent is told at once
    (SIGUSR1) so that it stops building an IR the lint refuses: a 200,000-long `$ref`
    chain otherwise cost 40 s of IR for an E106 the lint finds in ten."""
    found = lint_file(spec_path, house_style, ref_root)
    if signal_parent and has_errors(found):
        os.kill(os.getppid(), signal.SIGUSR1)
    return found


def lint_file(
    spec_path: str, house_style: bool = False, ref_root: Path | None = None
) -> list[Diagnostic]:
    """Load and lint a spec (GENERATE profile); runs in a worker process for large specs."""
    from .lint import Profile, lint_spec
    from .load import load_spec

    spec = load_spec(spec_path, keep_nodes=True, ref_root=ref_root)
    return lint_spec(spec, Profile.GENERATE, house_style=house_style)
