"""Check servers: one `check.py serve` process per pool slot and tool, forking each check.

Starting a new interpreter and importing pydantic and httpx costs more than checking a
typical package. A server imports them once; each check runs in a child it forks, which has
never seen generated code (see `check.serve`). `--fresh-interpreter` turns this off: every
check then starts `check.py` anew, as the reproduction commands do.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from bench.corpus import proc
from bench.corpus.check import MARKER

CHECK_SCRIPT = Path(__file__).resolve().parent / "check.py"


class CheckServer:
    """A running `check.py serve MODE` and the pipes to talk to it."""

    def __init__(self, python: Path, mode: str, log: Path) -> None:
        self.python, self.mode, self.log = python, mode, log
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as stderr:
            process = subprocess.Popen(
                [str(self.python), str(CHECK_SCRIPT), "serve", self.mode],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )
        proc.track(process.pid)
        return process

    def check(
        self, project: Path, package: str, spec: Path, timeout: float, log: Path
    ) -> proc.Completed:
        """One check, as if `check.py MODE PROJECT PACKAGE SPEC` had run with `timeout`."""
        if self.process is None or self.process.poll() is not None:
            if proc.stopping():
                raise proc.Interrupted("check")
            self.process = self._start()
        request = {
            "mode": self.mode,
            "project": str(project),
            "package": package,
            "spec": str(spec),
            "timeout": timeout,
            "log": str(log),
        }
        pipe_in: IO[str] | None = self.process.stdin
        pipe_out: IO[str] | None = self.process.stdout
        assert pipe_in is not None and pipe_out is not None
        try:
            pipe_in.write(json.dumps(request) + "\n")
            pipe_in.flush()
            line = pipe_out.readline()
        except BrokenPipeError:
            line = ""
        log_text = log.read_text(errors="replace") if log.is_file() else ""
        if not line:  # the server died (it should not): report it, start anew next time
            self.close()
            return proc.Completed(1, 0.0, 0, "", log_text + "\ncheck server died")
        reply: dict[str, Any] = json.loads(line)
        output = str(reply["output"])
        if output.startswith("CRASH "):
            log_text += "\n" + output[len("CRASH ") :]
        return proc.Completed(
            reply["returncode"],
            float(reply["wall"]),
            int(reply["peak_kib"]),
            output if output.startswith(MARKER) else "",
            log_text,
        )

    def close(self) -> None:
        """Stop the server (it exits when its stdin closes)."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        proc.untrack(process.pid)


class Servers:
    """The servers of every (slot, tool), started on first use."""

    def __init__(self, pythons: dict[str, Path], log_dir: Path) -> None:
        self.pythons, self.log_dir = pythons, log_dir
        self.servers: dict[tuple[int, str], CheckServer] = {}
        self.lock = threading.Lock()

    def get(self, slot: int, tool: str) -> CheckServer:
        """The server of one slot and tool (a slot is used by one thread at a time)."""
        with self.lock:
            key = (slot, tool)
            if key not in self.servers:
                log = self.log_dir / f"check-server-{tool}-{slot}.log"
                self.servers[key] = CheckServer(self.pythons[tool], tool, log)
            return self.servers[key]

    def close(self) -> None:
        """Stop them all."""
        with self.lock:
            for server in self.servers.values():
                server.close()
            self.servers.clear()
