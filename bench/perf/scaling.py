"""Scaling: ours (and dcg unformatted) on 1x, 2x, 4x, 8x copies of Stripe, and how cost grows.

`ensure_scaled_specs` writes `.cache/bench/scaling/stripe-x<k>.json`: k copies of every
component section but `securitySchemes` and of every path, copy c ≥ 2 renamed `_c<c>` with
its references pointing at its own names. A manifest of checksums decides what is rebuilt.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.perf.cells import median, median_int, mib, outcome_cell, seconds, wall_cell
from bench.perf.common import CACHE, HTTP_METHODS, ROOT, log, matches, sha256_file
from bench.perf.count import count_python
from bench.perf.fetch import BenchSpec, load_document
from bench.perf.measure import measure
from bench.perf.rounds import VariantResult
from bench.perf.variants import RunContext, Variant, variant_env

SCALING_DIR = CACHE / "scaling"
SCALING_BUILDER = 1  # bump when the way copies are made changes: the files are rebuilt
SCALING_SOURCE = "stripe"
DEFAULT_SCALING_FACTORS = (1, 2, 4, 8)
SCALING_KEYS = ("ours", "dcg-nofmt")  # the variants the scaling section runs, when selected


@dataclass(frozen=True)
class ScaledSpec:
    """One synthetic spec: `factor` copies of the source's components and paths."""

    factor: int
    path: Path
    size: int  # bytes
    schemas: int
    operations: int


def _copy_suffix(copy: int) -> str:
    return "" if copy == 1 else f"_c{copy}"


def _renamed_ref(ref: str, suffix: str, sections: frozenset[str]) -> str:
    """`#/components/schemas/A[/…]` → `#/components/schemas/A<suffix>[/…]` (copied sections)."""
    prefix = "#/components/"
    if not ref.startswith(prefix):
        return ref
    parts = ref[len(prefix) :].split("/")
    if len(parts) < 2 or parts[0] not in sections:
        return ref
    parts[1] += suffix  # a JSON-pointer token; the suffix has no `~` or `/` to escape
    return prefix + "/".join(parts)


def _with_renamed_refs(node: Any, suffix: str, sections: frozenset[str]) -> Any:
    """A deep copy of `node` whose local component references point at copy `suffix`.

    Rewrites every `$ref` and the values of `discriminator.mapping`.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _renamed_ref(value, suffix, sections)
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {
                    k: _renamed_ref(v, suffix, sections)
                    if isinstance(v, str)
                    else _with_renamed_refs(v, suffix, sections)
                    for k, v in value.items()
                }
            else:
                out[key] = _with_renamed_refs(value, suffix, sections)
        return out
    if isinstance(node, list):
        return [_with_renamed_refs(item, suffix, sections) for item in node]
    return node


def scaled_document(document: dict[str, Any], factor: int) -> dict[str, Any]:
    """`factor` copies of a spec's components and paths, copy 1 being the original.

    Copy c ≥ 2 renames every component (all sections but `securitySchemes`, which stay
    shared) with the suffix `_c<c>`, prefixes every path with `/c<c>`, suffixes every
    `operationId` with `_c<c>`, and rewrites the references inside the copy to the copy's
    own names. Everything else (info, servers, security, tags) is kept once, unchanged.
    """
    components = document.get("components") or {}
    sections = frozenset(
        name
        for name, value in components.items()
        if name != "securitySchemes" and isinstance(value, dict)
    )
    new_components: dict[str, Any] = {}
    for name, value in components.items():
        if name not in sections:
            new_components[name] = value
            continue
        section: dict[str, Any] = {}
        for copy in range(1, factor + 1):
            suffix = _copy_suffix(copy)
            for item_name, item in value.items():
                section[item_name + suffix] = (
                    item if copy == 1 else _with_renamed_refs(item, suffix, sections)
                )
        new_components[name] = section
    paths: dict[str, Any] = {}
    for copy in range(1, factor + 1):
        suffix = _copy_suffix(copy)
        for path, item in (document.get("paths") or {}).items():
            if copy == 1:
                paths[path] = item
                continue
            item = _with_renamed_refs(item, suffix, sections)
            for method in HTTP_METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                    operation["operationId"] += suffix
            paths[f"/c{copy}{path}"] = item
    scaled = dict(document)
    scaled["paths"] = paths
    if components:
        scaled["components"] = new_components
    return scaled


def _count_operations(document: dict[str, Any]) -> int:
    return sum(
        1
        for item in (document.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    )


def ensure_scaled_specs(source: Path, factors: Sequence[int]) -> list[ScaledSpec]:
    """Write (or reuse) `.cache/bench/scaling/stripe-x<k>.json` for every factor.

    A manifest records the source's SHA-256, the builder version and each file's SHA-256;
    a file is rebuilt when it is missing or any of them does not match. The JSON is written
    compactly (`separators=(",", ":")`, keys in document order), so the files are
    byte-for-byte reproducible.
    """
    SCALING_DIR.mkdir(parents=True, exist_ok=True)
    manifest_path = SCALING_DIR / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    source_sha = sha256_file(source)
    if manifest.get("source_sha256") != source_sha or manifest.get("builder") != SCALING_BUILDER:
        manifest = {"source_sha256": source_sha, "builder": SCALING_BUILDER, "files": {}}
    files: dict[str, Any] = manifest.setdefault("files", {})
    document: dict[str, Any] | None = None
    scaled_specs = []
    for factor in factors:
        name = f"{SCALING_SOURCE}-x{factor}.json"
        path = SCALING_DIR / name
        entry = files.get(name)
        if entry is None or not matches(path, str(entry.get("sha256"))):
            if document is None:
                document = load_document(source)
            log(f"scaling: writing {path.relative_to(ROOT)} ({factor}x {source.name})")
            scaled = scaled_document(document, factor)
            partial = path.with_suffix(".partial")
            with partial.open("w", encoding="utf-8") as handle:
                json.dump(scaled, handle, ensure_ascii=False, separators=(",", ":"))
            partial.replace(path)
            entry = files[name] = {
                "sha256": sha256_file(path),
                "schemas": len((scaled.get("components") or {}).get("schemas") or {}),
                "operations": _count_operations(scaled),
            }
            del scaled
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        else:
            log(f"scaling: reusing {path.relative_to(ROOT)} (checksum ok)")
        scaled_specs.append(
            ScaledSpec(
                factor, path, path.stat().st_size, int(entry["schemas"]), int(entry["operations"])
            )
        )
    return scaled_specs


@dataclass
class ScalingResult:
    """Every variant on every factor: `results[variant key][factor]`."""

    source: Path
    specs: list[ScaledSpec]
    results: dict[str, dict[int, VariantResult]]


def bench_scaling(
    scaled: list[ScaledSpec], variants: list[Variant], runs: int, work: Path, timeout: float
) -> ScalingResult:
    """`runs` rounds; in each, every factor (ascending) and every variant, outputs discarded."""
    results = {v.key: {s.factor: VariantResult(v) for s in scaled} for v in variants}
    for round_number in range(1, runs + 1):
        for item in scaled:
            spec = BenchSpec(item.path.stem, item.path, "scaling")
            cache = work / f"{spec.name}-r{round_number}-cache"
            for variant in variants:
                folder = work / f"{spec.name}-r{round_number}-{variant.key}"
                folder.mkdir(parents=True)
                shutil.rmtree(cache, ignore_errors=True)  # ours: always a cold, empty cache
                cache.mkdir(parents=True)
                ctx = RunContext(spec, folder, cache)
                label = f"scaling {spec.name}: round {round_number}/{runs}: {variant.label}"
                log(f"{label} …")
                m = measure(
                    variant.command(ctx),
                    cwd=folder,
                    env=variant_env(variant, cache),
                    log_dir=folder / "logs",
                    timeout=timeout,
                )
                log(f"{label}: {m.wall:.2f} s, {mib(m.peak_kib)} MiB, {m.outcome}")
                if variant.finish is not None:
                    variant.finish(ctx)
                result = results[variant.key][item.factor]
                result.runs.append(m)
                output = variant.output(ctx)
                if m.ok and result.files is None and output.exists():
                    result.files, result.lines = count_python(output)
                shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
    return ScalingResult(scaled[0].path.parent if scaled else SCALING_DIR, scaled, results)


def growth_exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """b in `value ≈ a·k^b`: least squares on log(value) against log(k) (1.0 = linear)."""
    usable = [(k, v) for k, v in points if k > 0 and v > 0]
    if len({k for k, _ in usable}) < 2:
        return None
    slope, _ = statistics.linear_regression(
        [math.log(k) for k, _ in usable], [math.log(v) for _, v in usable]
    )
    return slope


def render_scaling(scaling: ScalingResult, runs: int) -> list[str]:
    """Per factor: time, memory, output size, and time per 1x unit (linear = constant)."""
    out = [
        f"## Scaling: 1x…{max(s.factor for s in scaling.specs)}x a synthetic spec made of "
        "copies of Stripe",
        "",
        f"`.cache/bench/scaling/{SCALING_SOURCE}-x<k>.json` holds k copies of every "
        "component schema of `.cache/bench/stripe.json` (copy c ≥ 2 renamed with the suffix "
        "`_c<c>`, the `$ref`s inside it pointing at its own names) and k copies of every "
        "path (`/c<c>/…`, `operationId` suffixed `_c<c>`); copy 1 is the original. Each run "
        "is a whole process with a fresh output folder (and, for ours, an empty format "
        f"cache, as in the cold rows); {runs} round(s), medians. *Per 1x unit* = wall ÷ k; "
        "*÷ smallest* divides that by the smallest factor's per-unit time, so a flat column "
        "means linear growth (the process start-up and imports, about a second, are part of "
        "every run, which favours large k slightly).",
        "",
        "| variant | k | spec MB | schemas | operations | wall s | peak MiB | CPU s | .py files "
        "| lines | wall s per 1x unit | per-unit ÷ smallest | peak MiB ÷ k | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    specs = {s.factor: s for s in scaling.specs}
    exponents: list[str] = []
    for per_factor in scaling.results.values():
        base: float | None = None
        wall_points: list[tuple[int, float]] = []
        peak_points: list[tuple[int, float]] = []
        for factor in sorted(per_factor):
            result = per_factor[factor]
            spec = specs[factor]
            good = [m for m in result.runs if m.ok]
            wall = statistics.median(m.wall for m in good) if good else None
            peak = median_int(m.peak_kib for m in good)
            unit = wall / factor if wall is not None else None
            if base is None and unit is not None:
                base = unit
            if wall is not None:
                wall_points.append((factor, wall))
            if peak is not None:
                peak_points.append((factor, float(peak)))
            out.append(
                f"| {result.variant.label} | {factor}x | {spec.size / 1e6:.1f} | {spec.schemas} "
                f"| {spec.operations} | {wall_cell(result.runs) if result.runs else '—'} | "
                f"{mib(peak)} | {seconds(median(m.cpu for m in good))} | "
                f"{'—' if result.files is None else result.files} | "
                f"{'—' if result.lines is None else result.lines} | {seconds(unit)} | "
                f"{'—' if unit is None or not base else f'{unit / base:.2f}'} | "
                f"{'?' if peak is None else f'{peak / 1024 / factor:.0f}'} | "
                f"{outcome_cell(result.runs) if result.runs else '—'} |"
            )
        label = next(iter(per_factor.values())).variant.label
        wall_b, peak_b = growth_exponent(wall_points), growth_exponent(peak_points)
        exponents.append(
            f"- **{label}:** wall ∝ k^{'?' if wall_b is None else f'{wall_b:.2f}'}, "
            f"peak memory ∝ k^{'?' if peak_b is None else f'{peak_b:.2f}'} "
            "(least squares on log-log medians; 1.00 = linear)"
        )
    factors = ",".join(str(s.factor) for s in scaling.specs)
    out += [
        "",
        *exponents,
        "",
        f"Reproduce: `.venv/bin/python bench/run.py --specs scaling --scaling-factors {factors} "
        f"--variants {','.join(scaling.results)} --runs {runs} --no-percall`.",
        "",
    ]
    return out
