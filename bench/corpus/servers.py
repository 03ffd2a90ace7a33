"""Fork servers: per pool slot, one `check.py serve` per tool, forking each check, and one
`genserver` forking each `generate` of ours.

Starting a new interpreter and importing pydantic and httpx costs more than checking a
typical package, and importing the generator about as much as generating a typical spec. A
server imports them once; each check or generate runs in a child it forks, which has never
seen another spec's work (see `check.serve`, `genserver`). `--fresh-interpreter` turns this
off: every step then starts a new interpreter, as the reproduction commands do.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from bench.corpus import proc
from bench.corpus.check import MARKER
from bench.perf.common import PROJECT_PY, ROOT

CHECK_SCRIPT = Path(__file__).resolve().parent / "check.py"


class _Server:
    """A running fork server (`argv`) and the pipes to talk to it, started on first use."""

    def __init__(self, argv: list[str], log: Path) -> None:
        self.argv, self.log = argv, log
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as stderr:
            process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )
        proc.track(process.pid)
        return process

    def ask(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The server's reply to `request`, or None if it died (it is started anew next time)."""
        if self.process is None or self.process.poll() is not None:
            if proc.stopping():
                raise proc.Interrupted("server")
            self.process = self._start()
        pipe_in: IO[str] | None = self.process.stdin
        pipe_out: IO[str] | None = self.process.stdout
        assert pipe_in is not None and pipe_out is not None
        try:
            pipe_in.write(json.dumps(request) + "\n")
            pipe_in.flush()
            line = pipe_out.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self.close()
            return None
        reply: dict[str, Any] = json.loads(line)
        return reply

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


class CheckServer(_Server):
    """A running `check.py serve MODE`."""

    def __init__(self, python: Path, mode: str, log: Path) -> None:
        super().__init__([str(python), str(CHECK_SCRIPT), "serve", mode], log)
        self.mode = mode

    def check(
        self, project: Path, package: str, spec: Path, timeout: float, log: Path
    ) -> proc.Completed:
        """One check, as if `check.py MODE PROJECT PACKAGE SPEC` had run with `timeout`."""
        reply = self.ask(
            {
                "mode": self.mode,
                "project": str(project),
                "package": package,
                "spec": str(spec),
                "timeout": timeout,
                "log": str(log),
            }
        )
        log_text = log.read_text(errors="replace") if log.is_file() else ""
        if reply is None:  # the server died (it should not): report it
            return proc.Completed(1, 0.0, 0, "", log_text + "\ncheck server died")
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


class GenerateServer(_Server):
    """A running `python -m bench.corpus.genserver` (the project's Python): each `generate`
    forked from an interpreter that has imported the generator (see `genserver`)."""

    def __init__(self, log: Path) -> None:
        super().__init__([str(PROJECT_PY), "-m", "bench.corpus.genserver"], log)

    def generate(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        cwd: Path,
        log_dir: Path,
        name: str,
        env: Mapping[str, str],
    ) -> proc.Completed:
        """As `proc.run([python, "-m", "generator", *argv], …)`: output in `log_dir/name.*`."""
        if proc.stopping():
            raise proc.Interrupted(name)
        log_dir.mkdir(parents=True, exist_ok=True)
        out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
        out_path.write_bytes(b"")
        err_path.write_bytes(b"")
        reply = self.ask(
            {
                "argv": list(argv),
                "cwd": str(cwd),
                "env": dict(env),
                "timeout": timeout,
                "stdout": str(out_path),
                "stderr": str(err_path),
            }
        )
        stdout, stderr = out_path.read_text(errors="replace"), err_path.read_text(errors="replace")
        if reply is None:
            return proc.Completed(1, 0.0, 0, stdout, stderr + "\ngenerate server died")
        output = str(reply["output"])
        if output.startswith("CRASH "):  # the child's harness failed (not the generator)
            stderr += "\ngenerate server: " + output[len("CRASH ") :]
        return proc.Completed(
            reply["returncode"], float(reply["wall"]), int(reply["peak_kib"]), stdout, stderr
        )


class Servers:
    """The servers of every (slot, tool), started on first use."""

    def __init__(self, pythons: dict[str, Path], log_dir: Path) -> None:
        self.pythons, self.log_dir = pythons, log_dir
        self.servers: dict[tuple[int, str], CheckServer] = {}
        self.generators: dict[int, GenerateServer] = {}
        self.lock = threading.Lock()

    def generator(self, slot: int) -> GenerateServer:
        """The generate server of one slot."""
        with self.lock:
            if slot not in self.generators:
                log = self.log_dir / f"generate-server-{slot}.log"
                self.generators[slot] = GenerateServer(log)
            return self.generators[slot]

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
            for server in [*self.servers.values(), *self.generators.values()]:
                server.close()
            self.servers.clear()
            self.generators.clear()
