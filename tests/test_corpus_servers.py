"""The corpus's generate server (bench/corpus/genserver.py) against a new interpreter.

A `generate` forked from the server must be what `python -m generator` is: the same exit
status, the same output on stdout and stderr, the same files; and a timeout must still kill
it. These tests start real processes (the project's Python), and measure no time.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import proc
from bench.corpus.servers import GenerateServer
from bench.perf.common import PROJECT_PY, ROOT
from tests.conftest import write_spec


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerateServer]:
    started = GenerateServer(tmp_path_factory.mktemp("server") / "server.log")
    yield started
    started.close()


def _env(cache: Path) -> dict[str, str]:
    return dict(os.environ, BILLING_SDKGEN_CACHE=str(cache), PYTHONDONTWRITEBYTECODE="1")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _both(server: GenerateServer, tmp_path: Path, spec: Path) -> tuple[Path, Path]:
    """Generate `spec` into `forked/out` through the server and into `fresh/out` through a new
    interpreter (each with its own empty cache); assert the two runs said the same."""
    argv = ["generate", str(spec), "--output", "out", "--package-name", "pkg_x"]
    forked, fresh = tmp_path / "forked", tmp_path / "fresh"
    forked.mkdir()
    fresh.mkdir()
    done = server.generate(
        argv, timeout=120, cwd=forked, log_dir=forked, name="g", env=_env(forked / "cache")
    )
    plain = subprocess.run(
        [str(PROJECT_PY), "-m", "generator", *argv],
        cwd=fresh,
        env=_env(fresh / "cache"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )
    return forked / "out", fresh / "out"


def test_a_forked_generate_writes_what_a_new_interpreter_writes(
    server: GenerateServer, tmp_path: Path
) -> None:
    spec = ROOT / "specs" / "paypal-billing-entities.yaml"
    forked, fresh = _both(server, tmp_path, spec)
    assert (forked / "pyproject.toml").is_file()
    assert _files(forked) == _files(fresh)


def test_a_forked_refusal_says_what_a_new_interpreter_says(
    server: GenerateServer, tmp_path: Path
) -> None:
    spec = write_spec(tmp_path, "openapi: 3.1.0\ninfo: [\n")
    forked, fresh = _both(server, tmp_path, spec)
    assert not forked.exists() and not fresh.exists()
    second = _generate(server, tmp_path, spec, 120)  # the server serves on after a refusal
    assert second.returncode == 1 and ": E002 invalid YAML" in second.stderr


def test_a_forked_generate_past_its_limit_is_killed(server: GenerateServer, tmp_path: Path) -> None:
    done = _generate(server, tmp_path, ROOT / "specs" / "paypal-billing-entities.yaml", 0.001)
    assert isinstance(done, proc.Completed) and done.timed_out


def _generate(server: GenerateServer, folder: Path, spec: Path, timeout: float) -> proc.Completed:
    """`generate SPEC --output out` in `folder` through the server, within `timeout`."""
    return server.generate(
        ["generate", str(spec), "--output", "out"],
        timeout=timeout,
        cwd=folder,
        log_dir=folder,
        name="g",
        env=_env(folder / "cache"),
    )
