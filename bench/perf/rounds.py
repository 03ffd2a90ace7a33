"""Running the rounds: every variant on one spec, `generate-all`, and the start-up floors.

Rounds alternate ours and the peers (ours cold, ours warm, each peer, then the next round),
so that a disturbance from elsewhere on the shared machine hits them alike. The first good
output of each variant is counted and kept for the import timings; the others are removed.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.perf.cells import mib
from bench.perf.common import PROJECT_PY, ROOT, SPEC_DIR, bytecode_env, fresh_cache, log
from bench.perf.count import (
    Coverage,
    count_python,
    ogen_coverage,
    opc_coverage,
    ours_coverage,
    spec_coverage,
)
from bench.perf.fetch import BenchSpec, load_document
from bench.perf.measure import Measurement, measure
from bench.perf.pages import ours_pages, spec_lists
from bench.perf.variants import RunContext, Variant, variant_env

# How each tool's output is read for operations and typed responses (dcg: models only).
COVERAGE: dict[str, Callable[[Path], Coverage | None]] = {
    "ours": ours_coverage,
    "opc": opc_coverage,
    "ogen": ogen_coverage,
}


@dataclass
class VariantResult:
    """Every round's measurement of one variant on one spec, plus its output's shape."""

    variant: Variant
    runs: list[Measurement] = field(default_factory=list)
    files: int | None = None
    lines: int | None = None
    coverage: Coverage | None = None
    pages: dict[tuple[str, str], str] | None = None  # ours: paged operation → scheme
    kept: Path | None = None  # the output kept for the import timings
    skipped: str | None = None  # the variant could not run here (no runs): why


@dataclass
class SpecResult:
    """All variants on one spec, and the spec's own numbers."""

    spec: BenchSpec
    size: int
    declared: Coverage
    load_seconds: float
    results: dict[str, VariantResult]
    lists: frozenset[tuple[str, str]] = frozenset()  # the spec's list operations (pages.py)
    # ours again into the cold run's folder: RERUNS label → one measurement per round
    reruns: dict[str, list[Measurement]] = field(default_factory=dict)
    edited: str | None = None  # what the one-edit rerun changed


UNCHANGED = "unchanged spec (same output, same cache)"
ONE_EDIT = "one operation's text edited (same output, same cache)"


def edited_copy(spec: BenchSpec, folder: Path) -> tuple[Path, str] | None:
    """A JSON spec with the first operation's summary (or description) edited, written
    under the same file name in `folder` (the package name stays), and what was edited."""
    if spec.path.suffix.lower() != ".json":
        return None
    document = load_document(spec.path)
    for route, item in (document.get("paths") or {}).items():
        for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict):
                continue
            key = "summary" if "summary" in operation else "description"
            operation[key] = f"Edited: {operation.get(key) or ''}"
            folder.mkdir(parents=True, exist_ok=True)
            copy = folder / spec.path.name
            copy.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            return copy, f"the {key} of {method.upper()} {route}"
    return None


def bench_spec(
    spec: BenchSpec, variants: list[Variant], runs: int, work: Path, timeout: float
) -> SpecResult:
    """Run `runs` rounds of every variant on `spec`, alternating ours and the peers."""
    load_times = []
    document: Any = load_document(spec.path)  # untimed: imports the parser, warms the page cache
    for _ in range(runs):
        started = time.perf_counter()
        document = load_document(spec.path)
        load_times.append(time.perf_counter() - started)
    declared = spec_coverage(document)
    lists = spec_lists(document)
    del document
    results = {v.key: VariantResult(v, skipped=v.skip) for v in variants}
    reruns: dict[str, list[Measurement]] = {}
    edit = edited_copy(spec, work / f"{spec.name}-edited")
    for variant in variants:
        if variant.skip:
            log(f"{spec.name}: {variant.label}: skipped: {variant.skip}")
    for round_number in range(1, runs + 1):
        cache = work / f"{spec.name}-r{round_number}-cache"
        for variant in (v for v in variants if not v.skip):
            folder = work / f"{spec.name}-r{round_number}-{variant.key}"
            folder.mkdir(parents=True)
            if variant.tool == "ours" and not variant.warm:
                shutil.rmtree(cache, ignore_errors=True)  # cold: a fresh, empty cache
                fresh_cache(cache, work / "templates-cache")
            ctx = RunContext(spec, folder, cache)
            log(f"{spec.name}: round {round_number}/{runs}: {variant.label} …")
            m = measure(
                variant.command(ctx),
                cwd=folder,
                env=variant_env(variant, cache),
                log_dir=folder / "logs",
                timeout=timeout,
            )
            log(
                f"{spec.name}: round {round_number}/{runs}: {variant.label}: {m.wall:.2f} s, "
                f"{mib(m.peak_kib)} MiB, {m.outcome}"
            )
            if variant.finish is not None:
                variant.finish(ctx)
            if variant.key == "ours" and m.ok:
                _rerun(ctx, variant, edit, reruns, timeout, f"round {round_number}/{runs}")
            result = results[variant.key]
            result.runs.append(m)
            output = variant.output(ctx)
            if m.ok and result.kept is None and output.exists():
                result.files, result.lines = count_python(output)
                if variant.tool in COVERAGE:
                    result.coverage = COVERAGE[variant.tool](output)
                if variant.tool == "ours":
                    result.pages = ours_pages(output)
                result.kept = folder
            elif result.kept != folder:
                shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return SpecResult(
        spec,
        spec.path.stat().st_size,
        declared,
        statistics.median(load_times),
        results,
        lists,
        reruns,
        edit[1] if edit else None,
    )


def _rerun(
    ctx: RunContext,
    variant: Variant,
    edit: tuple[Path, str] | None,
    reruns: dict[str, list[Measurement]],
    timeout: float,
    where: str,
) -> None:
    """Ours again into the cold run's output with its cache: the spec unchanged, then with
    one operation edited (JSON specs); the output is left as the cold run wrote it."""
    runs = [(UNCHANGED, ctx)]
    if edit is not None:
        runs.append((ONE_EDIT, RunContext(replace(ctx.spec, path=edit[0]), ctx.folder, ctx.cache)))
    for label, run_ctx in runs:
        m = measure(
            variant.command(run_ctx),
            cwd=ctx.folder,
            env=variant_env(variant, ctx.cache),
            log_dir=ctx.folder / "logs-rerun",
            timeout=timeout,
        )
        log(f"{ctx.spec.name}: {where}: ours, {label}: {m.wall:.2f} s, {m.outcome}")
        reruns.setdefault(label, []).append(m)
    if edit is not None:  # back to the cold output, for the counts and import timings
        measure(
            variant.command(ctx),
            cwd=ctx.folder,
            env=variant_env(variant, ctx.cache),
            log_dir=ctx.folder / "logs-rerun",
            timeout=timeout,
        )


@dataclass
class GenerateAllResult:
    """`generate-all specs` (what `make generate` runs): cold, and again with nothing changed."""

    cold: list[Measurement] = field(default_factory=list)
    unchanged: list[Measurement] = field(default_factory=list)


def bench_generate_all(runs: int, work: Path, timeout: float) -> GenerateAllResult:
    """Cold: fresh cache and fresh output folder; unchanged: the same again, same folder."""
    result = GenerateAllResult()
    for round_number in range(1, runs + 1):
        folder = work / f"generate-all-r{round_number}"
        cache, out = folder / "cache", folder / "out"
        fresh_cache(cache, work / "templates-cache")
        env = dict(bytecode_env(), BILLING_SDKGEN_CACHE=str(cache))
        command = [
            str(PROJECT_PY),
            "-m",
            "generator",
            "generate-all",
            str(SPEC_DIR),
            "--output",
            str(out),
        ]
        for label, bucket, logs in (
            ("cold", result.cold, "logs-cold"),
            ("nothing changed", result.unchanged, "logs-unchanged"),
        ):
            log(f"generate-all: round {round_number}/{runs}: {label} …")
            m = measure(command, cwd=ROOT, env=env, log_dir=folder / logs, timeout=timeout)
            log(f"generate-all: round {round_number}/{runs}: {label}: {m.wall:.2f} s, {m.outcome}")
            bucket.append(m)
        shutil.rmtree(folder, ignore_errors=True)
    return result


def bench_floors(runs: int, pythons: dict[str, Path], work: Path) -> dict[str, list[Measurement]]:
    """`python -c pass` for each interpreter used: the start-up floor of every row."""
    floors: dict[str, list[Measurement]] = {}
    for name, python in pythons.items():
        floors[name] = [
            measure([str(python), "-c", "pass"], cwd=work, log_dir=work / "floor")
            for _ in range(max(runs, 3))
        ]
    return floors
