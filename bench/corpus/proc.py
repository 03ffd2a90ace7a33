"""One subprocess: run with a timeout, measured for wall time and peak RSS.

The child runs in its own session, so a timeout kills its whole process group (black's
worker pool included). It is reaped with `os.wait4`, whose resource usage gives `ru_maxrss`:
the peak RSS of the child or of any descendant it waited for (the largest single process,
not a sum), in KiB on Linux. A blocking wait is used: `Popen.wait(timeout=…)` polls.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_ACTIVE: set[int] = set()  # process groups still running, killed on interrupt
_LOCK = threading.Lock()
_STOPPING = threading.Event()  # set by kill_all: no new process starts


class Interrupted(Exception):
    """The run was interrupted: a step that has not started yet will not."""


@dataclass(frozen=True)
class Completed:
    """What one process did."""

    returncode: int | None  # None: killed on timeout
    wall: float  # seconds
    peak_kib: int
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        """True when the timeout killed it."""
        return self.returncode is None


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: Path,
    log_dir: Path,
    name: str,
    env: Mapping[str, str] | None = None,
) -> Completed:
    """Run `argv`; its stdout and stderr go to `log_dir/<name>.out|.err` and are returned."""
    if _STOPPING.is_set():
        raise Interrupted(name)
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        with _LOCK:
            _ACTIVE.add(process.pid)
        fired = threading.Event()
        timer = threading.Timer(timeout, _kill, (process.pid, fired))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            with _LOCK:
                _ACTIVE.discard(process.pid)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
    code: int | None = None if fired.is_set() else process.returncode
    return Completed(
        code,
        wall,
        int(usage.ru_maxrss),
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
    )


def _kill(pid: int, fired: threading.Event) -> None:
    fired.set()
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stopping() -> bool:
    """True once `kill_all` ran."""
    return _STOPPING.is_set()


def track(pid: int) -> None:
    """Kill the process group of `pid` on interrupt too (see `kill_all`)."""
    with _LOCK:
        _ACTIVE.add(pid)


def untrack(pid: int) -> None:
    """`pid` has ended: forget it."""
    with _LOCK:
        _ACTIVE.discard(pid)


def kill_all() -> None:
    """Kill the process groups of every run still going, and start no more (on Ctrl-C)."""
    _STOPPING.set()
    with _LOCK:
        pids = list(_ACTIVE)
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
