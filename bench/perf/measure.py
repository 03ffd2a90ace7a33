"""Measuring one process: wall time, peak RSS of its largest process, CPU time, outcome.

Wall time is `time.perf_counter()` around a blocking `wait()`; GNU `/usr/bin/time` gives the
peak RSS (`%M`, the largest process of the tree, not their sum) and the CPU time. Without GNU
time, a thread polls VmHWM of the whole process tree in /proc every 20 ms (no CPU figure).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.perf.common import DEFAULT_TIMEOUT

GNU_TIME = Path("/usr/bin/time")


@dataclass
class Measurement:
    """One process run: wall time, peak RSS of its largest process, CPU time and outcome."""

    wall: float
    peak_kib: int | None
    cpu: float | None  # user + system seconds, children included
    returncode: int | None  # None: killed on timeout
    outcome: str  # "ok", or what went wrong (last line of the tool's error output)

    @property
    def ok(self) -> bool:
        """True when the process exited 0."""
        return self.returncode == 0


_TIME_FORMAT = "%M %e %U %S"


def measure(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    log_dir: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> Measurement:
    """Run `command` as a whole process and measure it.

    Wall time is `time.perf_counter()` around the process. Peak memory and CPU time come
    from GNU `/usr/bin/time -f '%M %e %U %S'` (`%M` is the largest maxrss among the process
    and its waited-for descendants, not their sum). Without GNU time, /proc/<pid>/status
    VmHWM of the process tree is polled instead (no CPU time then). The tool's stdout and
    stderr go to files in `log_dir`; the last non-empty line becomes the outcome on failure.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    stdout_path, stderr_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    time_path = log_dir / "time.txt"
    use_gnu_time = GNU_TIME.exists()
    argv = list(command)
    if use_gnu_time:
        argv = [str(GNU_TIME), "-o", str(time_path), "-f", _TIME_FORMAT, *argv]
    poller: _TreePeakPoller | None = None
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        if not use_gnu_time:
            poller = _TreePeakPoller(process.pid)
            poller.start()
        # A blocking wait: `wait(timeout=…)` polls with up to 50 ms sleeps, which would
        # quantise short runs. A timer kills the process group this call started instead.
        timed_out = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (process.pid, timed_out))
        timer.start()
        try:
            returncode: int | None = process.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        if timed_out.is_set():
            returncode = None
    peak_kib: int | None = None
    cpu: float | None = None
    if poller is not None:
        poller.stop()
        peak_kib = poller.peak_kib or None
    elif time_path.exists():
        peak_kib, cpu = _parse_gnu_time(time_path.read_text(errors="replace"))
    if returncode is None:
        outcome = f"timeout after {timeout:.0f} s"
    elif returncode == 0:
        outcome = "ok"
    else:
        outcome = f"exit {returncode}: {_last_line(stderr_path) or _last_line(stdout_path)}"
    return Measurement(wall, peak_kib, cpu, returncode, outcome)


def _kill_group(pid: int, flag: threading.Event) -> None:
    """Timeout: kill the session `measure` started for this run (its own process group)."""
    flag.set()
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _parse_gnu_time(text: str) -> tuple[int | None, float | None]:
    """The `%M %e %U %S` line is the last one (GNU time may write a status line first)."""
    for line in reversed(text.strip().splitlines()):
        parts = line.split()
        if len(parts) == 4:
            try:
                return int(parts[0]), float(parts[2]) + float(parts[3])
            except ValueError:
                continue
    return None, None


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b:?")


def _last_line(path: Path, limit: int = 200) -> str:
    """What a failed tool said last: its final exception (joined when wrapped) or last line."""
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [line for line in lines if line]
    if not lines:
        return ""
    starts = [i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)]
    text = " ".join(lines[starts[-1] :]) if starts else lines[-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TreePeakPoller:
    """Fallback peak-memory probe: polls VmHWM of a process and its descendants via /proc."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Begin polling in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the thread."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self._tree():
                self.peak_kib = max(self.peak_kib, _vmhwm(pid))
            self._stop.wait(self.interval)

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return tree


def _vmhwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0
