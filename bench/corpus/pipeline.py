"""The per-spec pipeline, run for many specs at once by a small pool.

For each spec, one after the other, each step its own subprocess with a timeout:

1. ours: `.venv/bin/python -m generator generate SPEC --output OUT --package-name pkg_x` (forked
   from a server that has imported the generator, unless `--fresh-interpreter`: `genserver`), with
   a fresh, empty format cache (`BILLING_SDKGEN_CACHE`), so every spec is timed cold (the
   templates' compiled code is shared, as after any earlier run: `fresh_cache`), and the
   generator's bytecode written once before the first spec, as an install writes it;
2. if it generated: `bench/corpus/check.py ours OUT pkg_x SPEC` in a fresh interpreter;
3. with `--mypy`: `mypy --strict -p pkg_x` in OUT (one mypy cache per pool slot, so the
   private core, identical in every package, and pydantic and httpx are analysed once);
4. the same for openapi-python-client 0.29.1 in the bench venv (`generate --meta none`, then
   `check.py opc`, then mypy with the bench venv's site-packages).

The pool is threads, each waiting on its own subprocesses: the parent does no heavy work and
imports nothing per spec. Results are plain dicts (what the JSON file holds).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import causes, proc
from bench.corpus.check import MARKER
from bench.corpus.fetch import CorpusSpec, display_path
from bench.corpus.servers import CHECK_SCRIPT, CheckServer, GenerateServer, Servers
from bench.perf.common import BENCH_VENV, PROJECT_PY, ROOT, fresh_cache, log

OURS_PACKAGE = "pkg_x"
OPC_PACKAGE = "opc_x"
PYTHONS = {"ours": PROJECT_PY, "opc": BENCH_VENV / "bin" / "python"}


@dataclass(frozen=True)
class Settings:
    """How each spec is run."""

    work: Path  # one folder per spec in flight goes here
    timeout: float  # per generate and per check, at least
    timeout_per_mb: float  # ... and this many seconds per megabyte of spec, when more
    mypy: bool | None  # None: only for the peers' specs
    mypy_timeout: float
    opc: bool
    keep: bool  # keep each spec's folder (outputs and logs)
    fresh_interpreter: bool  # each generate and check in a new interpreter, not a fork server
    alone_above: float  # specs over this many megabytes are generated one at a time, first

    def limit(self, spec: CorpusSpec) -> float:
        """The time limit of one generate or check of `spec`: larger specs get longer."""
        return max(self.timeout, self.timeout_per_mb * spec.size / 1e6)

    def alone(self, spec: CorpusSpec) -> bool:
        """Whether `spec` is generated with the machine to itself (no other spec in flight)."""
        return spec.size > self.alone_above * 1e6


# --------------------------------------------------------------------------- one tool


def _generate(
    spec: CorpusSpec,
    tool: str,
    folder: Path,
    settings: Settings,
    server: GenerateServer | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Run one generator (ours through `server` if given); returns the project folder and the
    record of the run."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="200")
    if tool == "ours":
        project = folder / "ours"
        env["BILLING_SDKGEN_CACHE"] = str(folder / "format-cache")
        fresh_cache(folder / "format-cache", settings.work / "templates-cache")
        argv = [str(PROJECT_PY), "-m", "generator", "generate", str(spec.path)]
        argv += ["--output", str(project), "--package-name", OURS_PACKAGE]
        if spec.ref_root is not None:  # the peers' multi-file tests reach beside their folder
            argv += ["--ref-root", str(spec.ref_root)]
        home = "generator"
    else:
        project = folder / "opc"
        env["PATH"] = f"{BENCH_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"  # its ruff hooks
        argv = [str(BENCH_VENV / "bin" / "openapi-python-client"), "generate"]
        argv += ["--path", str(spec.path), "--output-path", str(project / OPC_PACKAGE)]
        argv += ["--meta", "none"]
        home = "openapi_python_client"
    if server is not None and tool == "ours":
        done = server.generate(
            argv[3:],  # after `python -m generator`
            timeout=settings.limit(spec),
            cwd=folder,
            log_dir=folder / "logs",
            name=f"{tool}-generate",
            env=env,
        )
    else:
        done = proc.run(
            argv,
            timeout=settings.limit(spec),
            cwd=folder,
            log_dir=folder / "logs",
            name=f"{tool}-generate",
            env=env,
        )
    output = done.stdout + "\n" + done.stderr  # ours: diagnostics on stdout, summary on stderr
    status, cause = causes.generate_status(done.returncode, output, home)
    record: dict[str, Any] = {
        "status": status,
        "returncode": done.returncode,
        "wall": round(done.wall, 3),
        "peak_kib": done.peak_kib,
        "cause": cause,
    }
    if tool == "ours":
        errors, warnings = causes.diagnostics(output)
        record.update(
            errors=len(errors), warnings=warnings, first_error=errors[0] if errors else None
        )
    else:
        record["warnings"] = "Warning(s) encountered" in output
        if cause is not None:
            record["cause"] = _opc_cause(status, output) or cause
    return project, record


_OPC_ERRORS = "Error(s) encountered while generating"


def _opc_cause(status: str, output: str) -> str | None:
    """opc reports errors as text, not tracebacks: the first lines after its error header."""
    if status != "failed" or _OPC_ERRORS not in output:
        return None
    lines = [line.strip() for line in output.split(_OPC_ERRORS, 1)[1].splitlines()]
    lines = [line for line in lines if line and not line.startswith("For further information")]
    return f"generate failed: {causes.normalise('; '.join(lines[1:5]))}"


def _check(
    spec: CorpusSpec,
    tool: str,
    project: Path,
    folder: Path,
    settings: Settings,
    server: CheckServer | None,
) -> dict[str, Any]:
    package = OURS_PACKAGE if tool == "ours" else OPC_PACKAGE
    if server is not None:
        log = folder / "logs" / f"{tool}-check.log"
        done = server.check(project, package, spec.path, settings.limit(spec), log)
    else:
        done = proc.run(
            [str(PYTHONS[tool]), str(CHECK_SCRIPT), tool, str(project), package, str(spec.path)],
            timeout=settings.limit(spec),
            cwd=folder,
            log_dir=folder / "logs",
            name=f"{tool}-check",
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    record: dict[str, Any] = {"wall": round(done.wall, 3), "peak_kib": done.peak_kib}
    if done.timed_out:
        return record | {"status": "timeout", "causes": ["check: timeout"]}
    if not lines:
        crash = causes.crash_cause(done.stderr, package) or causes.normalise(
            (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        )
        return record | {"status": "crash", "causes": [f"check crashed: {crash}"]}
    findings: dict[str, Any] = json.loads(lines[-1][len(MARKER) :])
    found = causes.check_causes(findings)
    return record | findings | {"status": "failed" if found else "ok", "causes": found}


def _mypy(tool: str, project: Path, folder: Path, slot: int, settings: Settings) -> dict[str, Any]:
    argv = [str(PROJECT_PY), "-m", "mypy", "--strict", "--no-color-output"]
    argv += ["--cache-dir", str(settings.work / f"mypy-cache-{tool}-{slot}")]
    if tool == "opc":  # its packages need attrs and dateutil, from the bench venv
        argv += ["--python-executable", str(BENCH_VENV / "bin" / "python")]
    argv += ["-p", OURS_PACKAGE if tool == "ours" else OPC_PACKAGE]
    done = proc.run(
        argv,
        timeout=settings.mypy_timeout,
        cwd=project,
        log_dir=folder / "logs",
        name=f"{tool}-mypy",
    )
    status, errors, cause = causes.mypy_findings(done.returncode, done.stdout)
    return {"status": status, "errors": errors, "cause": cause, "wall": round(done.wall, 3)}


@dataclass
class Started:
    """A spec whose generators ran: the result so far, and each tool's project to check."""

    spec: CorpusSpec
    folder: Path
    result: dict[str, Any]
    projects: dict[str, Path]


def _folder_name(key: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", key)[-120:]


def start_spec(
    spec: CorpusSpec, settings: Settings, slot: int = 0, servers: Servers | None = None
) -> Started:
    """Generate `spec` with each tool (the steps whose times the report quotes)."""
    folder = settings.work / "specs" / _folder_name(spec.key)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    result: dict[str, Any] = {
        "key": spec.key,
        "path": display_path(spec.path),
        "group": spec.group,
        "expect": spec.expect,
        "version": spec.version,
        "size": spec.size,
    }
    projects: dict[str, Path] = {}
    for tool in ("ours", "opc") if settings.opc else ("ours",):
        server = servers.generator(slot) if servers is not None else None
        project, generated = _generate(spec, tool, folder, settings, server)
        result[tool] = {"generate": generated}
        if generated["status"] == "ok":
            projects[tool] = project
    return Started(spec, folder, result, projects)


def finish_spec(
    started: Started, settings: Settings, slot: int, servers: Servers | None = None
) -> dict[str, Any]:
    """Check what each tool generated; the spec's folder is removed afterwards unless kept."""
    spec, folder, result = started.spec, started.folder, started.result
    mypy = settings.mypy if settings.mypy is not None else spec.corpus == "peers"
    for tool, project in started.projects.items():
        server = servers.get(slot, tool) if servers is not None else None
        result[tool]["check"] = _check(spec, tool, project, folder, settings, server)
        if mypy:
            result[tool]["mypy"] = _mypy(tool, project, folder, slot, settings)
    if not settings.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def run_spec(
    spec: CorpusSpec, settings: Settings, slot: int, servers: Servers | None = None
) -> dict[str, Any]:
    """Every step for one spec: each tool generates, then what it generated is checked."""
    return finish_spec(start_spec(spec, settings, slot, servers), settings, slot, servers)


def compile_generator(folder: Path = ROOT / "generator") -> None:
    """Write the generator's bytecode once, as pip does when it installs a package. Every
    `generate` runs with PYTHONDONTWRITEBYTECODE, and an editable install has no bytecode:
    each spec's run compiled the generator's modules from source (~95 ms of a small spec's
    ~0.35 s)."""
    import compileall

    compileall.compile_dir(folder, quiet=1)


def run_all(
    specs: Sequence[CorpusSpec],
    settings: Settings,
    jobs: int,
    on_result: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    """Run every spec, `jobs` at a time; `on_result` sees each result as it completes.

    The specs `settings.alone` picks are generated first, one at a time with nothing else
    running, so that their generate times are those of a user generating one spec on this
    machine, not halved by a neighbour in the pool. Their checks (minutes for Microsoft Graph:
    building every model) then run in the pool first, beside the other specs: run alone
    after the rest, they kept one core idle for 4 minutes of the directory's run.
    On Ctrl-C the running subprocesses are killed and the results so far are returned.
    """
    slots: queue.SimpleQueue[int] = queue.SimpleQueue()
    for slot in range(jobs):
        slots.put(slot)
    stop = threading.Event()
    servers = None if settings.fresh_interpreter else Servers(PYTHONS, settings.work / "logs")

    def guarded(key: str, step: Callable[[int], Any]) -> Any:
        if stop.is_set():
            return None
        slot = slots.get()
        try:
            return step(slot)
        except proc.Interrupted:
            return None
        except Exception:  # a harness bug on one spec must not lose the whole run
            log(f"{key}: harness error, left out:\n{traceback.format_exc()}")
            return None
        finally:
            slots.put(slot)

    def generated(spec: CorpusSpec) -> Callable[[], Started | None]:
        return lambda: guarded(spec.key, lambda slot: start_spec(spec, settings, slot, servers))

    def checked(started: Started) -> Callable[[], dict[str, Any] | None]:
        return lambda: guarded(
            started.spec.key, lambda slot: finish_spec(started, settings, slot, servers)
        )

    def whole(spec: CorpusSpec) -> Callable[[], dict[str, Any] | None]:
        return lambda: guarded(spec.key, lambda slot: run_spec(spec, settings, slot, servers))

    results: list[dict[str, Any]] = []
    began = time.monotonic()

    def run(tasks: list[Callable[[], Any]], width: int) -> list[Any]:
        """Run `tasks` (in order of submission) `width` at a time; their non-None values."""
        values: list[Any] = []
        if not tasks or stop.is_set():
            return values
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="corpus") as pool:
            pending: set[Future[Any]] = {pool.submit(task) for task in tasks}
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        value = future.result()
                        if value is not None:
                            values.append(value)
                        if isinstance(value, dict):
                            results.append(value)
                            on_result(value)
                            _progress(value, len(results), len(specs), time.monotonic() - began)
            except KeyboardInterrupt:
                stop.set()
                for future in pending:
                    future.cancel()
                proc.kill_all()
                log(f"interrupted: {len(results)} of {len(specs)} specs done; reporting those")
        return values

    alone = [s for s in specs if settings.alone(s)]
    shared = [s for s in specs if not settings.alone(s)]
    try:
        started: list[Started] = run([generated(s) for s in alone], 1)
        if alone:
            log(f"{len(started)} large spec(s) generated alone; their checks join the pool")
        run([checked(s) for s in started] + [whole(s) for s in shared], jobs)
    finally:
        if servers is not None:
            servers.close()
    return results


def _progress(result: dict[str, Any], done: int, total: int, elapsed: float) -> None:
    ours = result["ours"]
    text = f"ours {ours['generate']['status']} {ours['generate']['wall']:.2f}s"
    if "check" in ours:
        text += f", check {ours['check']['status']}"
    if "mypy" in ours:
        text += f", mypy {ours['mypy']['status']}"
    if "opc" in result:
        opc = result["opc"]
        text += f"; opc {opc['generate']['status']}"
        if "check" in opc:
            text += f", check {opc['check']['status']}"
    left = elapsed / done * (total - done)
    log(f"{done}/{total} (~{left / 60:.0f} min left) {result['key']}: {text}")
