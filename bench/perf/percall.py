"""Per-call overhead: `bench/percall.py` on each billing package, and its report section.

Each package is generated first by the generator under test (`fresh`) or taken from
`generated/` (`committed`); `bench/percall.py` then times it in its own project-venv process
against hand-written httpx + pydantic code on `httpx.MockTransport` and prints JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.perf.common import PROJECT_PY, ROOT, billing_specs, log, rel
from bench.perf.measure import measure

PERCALL_SCRIPT = ROOT / "bench" / "percall.py"
PERCALL_TARGET = 1.15  # issue 18: generated per-call time within 1.15x of hand-written code


@dataclass
class PercallResult:
    """What `bench/percall.py` printed for each package, and how the packages were made."""

    source: str  # "fresh" or "committed"
    calls: int
    repeats: int
    entries: list[dict[str, Any]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)


def bench_percall(
    stems: Sequence[str], source: str, calls: int, repeats: int, work: Path, timeout: float
) -> PercallResult:
    """Run `bench/percall.py` once per package, each in its own project-venv process.

    `fresh`: the package is generated first from `specs/<stem>.yaml` by the current
    generator (into the work folder, with an empty format cache); `committed`: the package
    under `generated/` is used as it is.
    """
    result = PercallResult(source, calls, repeats)
    specs = {p.stem: p for p in billing_specs()}
    for stem in stems:
        if stem not in specs:
            raise SystemExit(f"--percall-specs: unknown {stem!r} (use {', '.join(sorted(specs))})")
        package = stem.replace("-", "_")
        if source == "committed":
            project = ROOT / "generated" / package
            reproduce = ""
        else:
            project = work / "percall" / package
            env = dict(os.environ, BILLING_SDKGEN_CACHE=str(work / "percall-cache"))
            generate = [
                str(PROJECT_PY),
                "-m",
                "generator",
                "generate",
                str(specs[stem]),
                "--output",
                str(project),
            ]
            log(f"per-call: generating {package} …")
            m = measure(generate, cwd=ROOT, env=env, log_dir=work / "percall-logs" / package)
            if not m.ok:
                result.entries.append({"project": package, "error": f"generate: {m.outcome}"})
                continue
            reproduce = (
                f".venv/bin/python -m generator generate {rel(specs[stem])} "
                f"--output /tmp/percall/{package} && "
            )
        argv = [
            str(PROJECT_PY),
            str(PERCALL_SCRIPT),
            "--project",
            str(project),
            "--calls",
            str(calls),
            "--repeats",
            str(repeats),
        ]
        shown = rel(project) if source == "committed" else f"/tmp/percall/{package}"
        result.commands.append(
            f"{reproduce}.venv/bin/python bench/percall.py --project {shown} "
            f"--calls {calls} --repeats {repeats}"
        )
        log(f"per-call: timing {package} ({calls} calls x {repeats} rounds per variant) …")
        try:
            done = subprocess.run(
                argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            result.entries.append({"project": package, "error": f"timeout after {timeout:.0f} s"})
            continue
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            result.entries.append(
                {"project": package, "error": f"exit {done.returncode}: {tail[0]}"}
            )
            continue
        for entry in json.loads(done.stdout):
            entry["project"] = shown
            result.entries.append(entry)
            ratio = (entry.get("ratios") or {}).get("sync") or {}
            log(
                f"per-call: {package}: generated ÷ hand-written = "
                f"{ratio.get('median', float('nan')):.2f}"
                if "error" not in entry
                else f"per-call: {package}: {entry['error']}"
            )
    return result


def render_percall(percall: PercallResult) -> list[str]:
    """Per package: generated vs hand-written per-call µs on httpx.MockTransport."""
    made = (
        "generated just before, from `specs/`, by the generator under test"
        if percall.source == "fresh"
        else "the committed packages under `generated/`"
    )
    first = next((e for e in percall.entries if "error" not in e), None)
    chunk, warmup = (first["chunk"], first["warmup"]) if first else ("?", "?")
    out = [
        "## Per-call overhead on `httpx.MockTransport`",
        "",
        f"`bench/percall.py`, one project-venv process per package ({made}). The "
        "operation is the one each package's README shows, with the README's arguments; a "
        "shared `MockTransport` handler answers every call with the spec's first success "
        "example. *Generated* = `Client.<operation>(…, body=RequestModel.model_validate(…))`; "
        "*hand-written* = `httpx.Client(base_url=…, transport=…)` plus a plain function "
        '(`model_validate`, `model_dump(mode="json", by_alias=True, exclude_unset=True)`, '
        "`client.request(…, json=…, headers=auth)`, `raise_for_status()`, "
        "`ResponseModel.model_validate_json(response.content)`), using the *generated "
        "package's models*, so that both do the same validation work. Before timing, one "
        "request of every variant is recorded: same method, URL, headers and body bytes, and "
        f"equal results. {warmup} warm-up calls, then {percall.calls} calls per variant and "
        f"round, {percall.repeats} rounds; within a round the variants take turns in chunks "
        f"of {chunk} calls; the ratio is generated ÷ hand-written within each round, median "
        f"(min-max) over the rounds. Target: ≤ {PERCALL_TARGET}x.",
        "",
        "| package | operation | generated µs | hand-written µs | ratio (sync) | "
        f"generated async µs | hand-written async µs | ratio (async) | within {PERCALL_TARGET}x? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    checks: list[str] = []
    for entry in percall.entries:
        if "error" in entry:
            cells = " | ".join(["—"] * 7)
            out.append(f"| {entry.get('project', '?')} | **failed**: {entry['error']} | {cells} |")
            continue
        variants = entry["variants"]
        ratios = entry["ratios"]

        def us(key: str, variants: dict[str, Any] = variants) -> str:
            item = variants.get(key)
            return "—" if item is None else f"{item['median_us']:.0f}"

        def ratio_cell(key: str, ratios: dict[str, Any] = ratios) -> str:
            item = ratios.get(key)
            if not item:
                return "—"
            return f"**{item['median']:.2f}** ({item['min']:.2f}-{item['max']:.2f})"

        verdicts = [
            r["median"] <= entry["target"] for k in ("sync", "async") if (r := ratios.get(k))
        ]
        out.append(
            f"| {entry['package']} | `{entry['operation']}` ({entry['http']}) | "
            f"{us('generated')} | {us('hand')} | {ratio_cell('sync')} | "
            f"{us('generated-async')} | {us('hand-async')} | {ratio_cell('async')} | "
            f"{'yes' if verdicts and all(verdicts) else 'no'} |"
        )
        for key, item in variants.items():
            samples = item["us"]
            base_key = "hand-async" if key.endswith("-async") else "hand"
            base = variants.get(base_key, {}).get("median_us")
            details.append(
                f"| {entry['package']} | {item['label']} | {item['median_us']:.1f} | "
                f"{min(samples):.1f}-{max(samples):.1f} | "
                + (f"{item['median_us'] / base:.2f} |" if base else "|")
            )
        if ratios.get("sync_vs_own_models"):
            item = ratios["sync_vs_own_models"]
            details.append(
                f"| {entry['package']} | generated ÷ hand-written with its own plain models "
                f"(per round) | | | {item['median']:.2f} ({item['min']:.2f}-{item['max']:.2f}) |"
            )
        checks.append(
            f"- **{entry['package']}:** {entry['verified']}; auth headers of the hand-written "
            f"code {entry['auth_headers']}; the mock answers {entry['status']} with "
            + (
                f"{entry['response_bytes']} bytes of JSON ({entry['response_model']})."
                if entry["response_bytes"]
                else "an empty body."
            )
        )
    out += [
        "",
        "Every variant (µs per call, median and min-max over the rounds; *÷ hand-written* "
        "compares medians, async variants with the async hand-written one). *Own plain models*: PayPal's models written by hand as plain "
        "pydantic models (same fields and constraints, none of the generated base class's "
        "extras). *httpx only*: the same request with a pre-encoded body and no model work, "
        "the floor of any client on this transport.",
        "",
        "| package | variant | µs per call | min-max | ÷ hand-written (median) |",
        "|---|---|---|---|---|",
        *details,
        "",
    ]
    out += [*checks, ""]
    if first is not None:
        environment = first["environment"]
        out += [
            f"Python {environment['python']}, httpx {environment['httpx']}, pydantic "
            f"{environment['pydantic']}.",
            "",
        ]
    out += ["Reproduce:", "", "```bash", *percall.commands, "```", ""]
    return out
