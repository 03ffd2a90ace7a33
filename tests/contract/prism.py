"""Start and stop Prism mock servers (`@stoplight/prism-cli`, pinned in package.json)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

PRISM = ROOT / "node_modules" / ".bin" / "prism"
REQUEST_LINE = "[HTTP SERVER]"


def unavailable_reason() -> str | None:
    """Why Prism cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not PRISM.exists():
        return f"{PRISM.relative_to(ROOT)} is missing: run `make test` (it runs `npm ci`)"
    return None


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PrismServer:
    """One `prism mock` process serving one spec on a loopback port."""

    spec: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The server's URL, for a generated client's `base_url=`."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Launch Prism directly (not through npx) in its own process group."""
        with self.log_path.open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [
                    str(PRISM),
                    "mock",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    str(self.spec),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,
            )

    def wait_until_ready(self, timeout: float = 90.0) -> None:
        """Block until the port accepts connections; fail with Prism's log if it dies first."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prism exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(
            f"prism did not listen on {self.port} within {timeout:.0f} s:\n{self.log()}"
        )

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after 5 s."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        """Everything Prism printed so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def requests_received(self) -> int:
        """How many requests reached the server (its `[HTTP SERVER] … Request received` lines)."""
        return sum(
            1
            for line in self.log().splitlines()
            if REQUEST_LINE in line and "Request received" in line
        )
