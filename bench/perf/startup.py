"""Start-up of our generated package: `import <pkg>; <pkg>.Client()`, and the first call.

Two targets of issue 18, measured on every spec ours generated (GitHub is the one quoted):

- `import <pkg>; <pkg>.Client()` within 1.5x of `import httpx, pydantic` alone: both as
  whole processes (`python -c STATEMENT` in the output folder, bytecode written by an
  untimed first run, then `runs` warm runs; medians);
- the first call through one operation within 20 ms: `bench/perf/firstcall_probe.py`
  (`prepare`, then `time` in fresh interpreters) on `httpx.MockTransport`, which answers with
  the spec's example. The first call loads the operation's module and models and builds
  their validators; the second call is there for comparison.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.perf.cells import median, median_int, mib, outcome_cell, seconds
from bench.perf.common import PROJECT_PY, ROOT, bytecode_env, log, rel
from bench.perf.measure import Measurement, measure
from bench.perf.rounds import SpecResult

PROBE = ROOT / "bench" / "perf" / "firstcall_probe.py"
IMPORT_TARGET = 1.5  # import <pkg>; <pkg>.Client() ÷ import httpx, pydantic
FIRST_CALL_TARGET = 0.020  # seconds
BASELINE = "import httpx, pydantic"
# Operations tried first, per spec (GitHub's own examples for repos.get and issues.get do not
# match their schemas, so the next one that works is taken): see firstcall_probe.prepare.
PREFERRED_CALLS = {"github": ("repos.get", "issues.get", "repos.list_for_org", "meta.root")}


@dataclass
class StartupResult:
    """One package: whole-process import timings and the in-process first-call probes."""

    spec: str
    package: str
    statement: str
    baseline: list[Measurement] = field(default_factory=list)
    client: list[Measurement] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)
    probes: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    commands: list[str] = field(default_factory=list)


def bench_startup(
    spec_result: SpecResult, runs: int, work: Path, timeout: float
) -> StartupResult | None:
    """Time `import <pkg>; <pkg>.Client()`, its baseline and the first call, for ours."""
    ours = spec_result.results.get("ours")
    if ours is None or ours.kept is None:
        return None
    output = ours.kept / "out"
    clients = sorted(output.glob("*/_client.py"))
    if not clients:
        return None
    package = clients[0].parent.name
    name = spec_result.spec.name
    result = StartupResult(name, package, f"import {package}; {package}.Client()")
    logs, env = work / f"startup-{name}", bytecode_env()
    for statement, bucket in ((BASELINE, result.baseline), (result.statement, result.client)):
        command = [str(PROJECT_PY), "-c", statement]
        measure(command, cwd=output, env=env, log_dir=logs, timeout=timeout)  # writes bytecode
        bucket += [
            measure(command, cwd=output, env=env, log_dir=logs, timeout=timeout)
            for _ in range(runs)
        ]
        log(
            f"{name}: start-up: {statement}: {statistics.median(m.wall for m in bucket):.3f} s, "
            f"{bucket[-1].outcome}"
        )
    plan_path = logs / "firstcall.json"
    calls = ",".join(PREFERRED_CALLS.get(name, ()))
    prepare = [str(PROBE), "prepare", "--project", str(output), "--output", str(plan_path)]
    prepare += ["--call", calls] if calls else []
    shown_out = f"/tmp/bench-{name}"
    result.commands = [
        f".venv/bin/python -m generator generate {rel(spec_result.spec.path)} --output {shown_out}",
        f"(py=$PWD/.venv/bin/python; cd {shown_out} && $py -c '{BASELINE}' "
        f"&& $py -c '{result.statement}')",
        f".venv/bin/python {rel(PROBE)} prepare --project {shown_out}"
        + (f" --call {calls}" if calls else "")
        + " --output /tmp/firstcall.json",
        f".venv/bin/python {rel(PROBE)} time /tmp/firstcall.json",
    ]
    found = _probe(prepare, env, timeout)
    if isinstance(found, str):
        result.error = f"prepare: {found}"
        log(f"{name}: first call: {result.error}")
        return result
    result.plan = found
    timed = [str(PROBE), "time", str(plan_path)]
    for index in range(runs + 1):  # the first run writes the operation's bytecode: not kept
        found = _probe(timed, env, timeout)
        if isinstance(found, str):
            result.error = f"time: {found}"
            break
        if index:
            result.probes.append(found)
    first = median(p["first_call_s"] for p in result.probes)
    log(
        f"{name}: first call {result.plan.get('call')}: "
        + (f"{first * 1000:.1f} ms" if first is not None else str(result.error))
    )
    return result


def _probe(argv: list[str], env: dict[str, str], timeout: float) -> dict[str, Any] | str:
    """Run the probe script with the project venv: its JSON, or what went wrong."""
    try:
        done = subprocess.run(
            [str(PROJECT_PY), *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout:.0f} s"
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"exit {done.returncode}: {tail}"
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def render_startup(results: list[StartupResult], runs: int) -> list[str]:
    """The section: whole-process imports against the baseline, then the first call."""
    out = [
        "## Start-up of our package: `import <pkg>; <pkg>.Client()` and the first call",
        "",
        "*Import*: `python -c STATEMENT` in the output folder, a whole process with the "
        f"bytecode an untimed first run wrote; median of {runs}. Target: ≤ {IMPORT_TARGET}x "
        f"`{BASELINE}`. *First call*: `bench/perf/firstcall_probe.py` in a fresh "
        "interpreter: `perf_counter` around `import <pkg>` + `Client(http_client=...)` on "
        "`httpx.MockTransport`, then around the first and the second call of one operation "
        "(the mock answers with the spec's example); median of "
        f"{runs}. Target: first call ≤ {FIRST_CALL_TARGET * 1000:.0f} ms.",
        "",
        f"| spec | `{BASELINE}` s | `import <pkg>; <pkg>.Client()` s | ratio | within "
        f"{IMPORT_TARGET}x? | peak MiB | operation | in-process import + Client() s | "
        "first call ms | second call ms | within "
        f"{FIRST_CALL_TARGET * 1000:.0f} ms? | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    commands: list[str] = []
    for item in results:
        base = median(m.wall for m in item.baseline if m.ok)
        mine = median(m.wall for m in item.client if m.ok)
        ratio = mine / base if mine is not None and base else None
        first = median(p["first_call_s"] for p in item.probes)
        second = median(p["second_call_s"] for p in item.probes)
        inside = median(p["import_client_s"] for p in item.probes)
        operation = f"`{item.plan['call']}` ({item.plan['http']})" if item.plan.get("call") else "—"
        outcome = outcome_cell([*item.baseline, *item.client])
        if item.error:
            outcome = f"{outcome}; first call: {item.error}".replace("|", "\\|")
        out.append(
            f"| {item.spec} | {seconds(base, 3)} | {seconds(mine, 3)} | "
            f"{'—' if ratio is None else f'**{ratio:.2f}**'} | "
            f"{'—' if ratio is None else ('yes' if ratio <= IMPORT_TARGET else 'no')} | "
            f"{mib(median_int(m.peak_kib for m in item.client))} | {operation} | "
            f"{seconds(inside, 3)} | {_ms(first)} | {_ms(second)} | "
            f"{'—' if first is None else ('yes' if first <= FIRST_CALL_TARGET else 'no')} | "
            f"{outcome} |"
        )
        commands += [f"# {item.spec}", *item.commands]
    out += ["", "Reproduce (from the repository root):", "", "```bash", *commands, "```", ""]
    return out


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.1f}"
