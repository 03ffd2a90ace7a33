"""The command line of `bench/run.py` (and `python -m bench.perf`): options, then the run.

One invocation: floors, `generate-all` (billing), each spec's rounds, imports and start-up,
the scaling runs, the per-call overhead and the profile, in that order; then the report goes
to `--output` and to stdout. The exit status is 0 even when a peer crashes: a crash is a
result, recorded in the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.perf.common import BENCH_PY, CACHE, DEFAULT_TIMEOUT, PROJECT_PY, ROOT, billing_specs, log
from bench.perf.fetch import (
    OURS_ONLY,
    REMOTE_SPECS,
    SPEC_GROUPS,
    ensure_remote_spec,
    select_specs,
)
from bench.perf.imports import bench_imports
from bench.perf.measure import GNU_TIME
from bench.perf.paging import bench_paging
from bench.perf.percall import bench_percall
from bench.perf.profiling import bench_profile
from bench.perf.report import Report, code_fingerprint, machine_info, render
from bench.perf.rounds import bench_floors, bench_generate_all, bench_spec
from bench.perf.scaling import (
    DEFAULT_SCALING_FACTORS,
    SCALING_KEYS,
    SCALING_SOURCE,
    bench_scaling,
    ensure_scaled_specs,
)
from bench.perf.startup import bench_startup
from bench.perf.variants import OURS_KEYS, VARIANT_KEYS, build_variants, select_variants
from bench.perf.venv import (
    PEER_PACKAGES,
    PROJECT_PACKAGES,
    ensure_bench_venv,
    java_version,
    package_versions,
)


def _int_list(text: str) -> list[int]:
    try:
        values = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of integers: {text!r}"
        ) from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError("factors must be integers of at least 1")
    return values


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Benchmark our generator against openapi-python-client, "
        "datamodel-code-generator and openapi-generator (see bench/README.md).",
    )
    parser.add_argument(
        "--specs",
        default=",".join(SPEC_GROUPS),
        help="comma-separated: billing, stripe, github, scaling, a billing spec's file stem, "
        "or none (default: %(default)s)",
    )
    parser.add_argument(
        "--variants",
        default=",".join(VARIANT_KEYS),
        help="comma-separated variant keys to run (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds per spec (default: 3)")
    parser.add_argument(
        "--skip-peers", action="store_true", help="only our generator (no bench venv needed)"
    )
    parser.add_argument(
        "--output",
        default=str(ROOT / "bench" / "RESULTS.md"),
        help="Markdown report to write (default: bench/RESULTS.md)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds before one process is killed (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-output",
        action="store_true",
        help="keep the generated outputs and logs under .cache/bench/",
    )
    parser.add_argument(
        "--scaling-factors",
        type=_int_list,
        default=list(DEFAULT_SCALING_FACTORS),
        help="copies of Stripe in the synthetic specs of `--specs scaling` (default: 1,2,4,8)",
    )
    parser.add_argument(
        "--percall",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time the per-call overhead of generated clients (default: on)",
    )
    parser.add_argument(
        "--percall-source",
        choices=("fresh", "committed"),
        default="fresh",
        help="fresh: generate the packages first; committed: use generated/ (default: fresh)",
    )
    parser.add_argument(
        "--percall-specs",
        default=None,
        help="billing spec stems whose packages are timed (default: all four)",
    )
    parser.add_argument("--percall-calls", type=int, default=2000, help="calls per round")
    parser.add_argument("--percall-repeats", type=int, default=5, help="rounds per variant")
    parser.add_argument(
        "--paging",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time auto-pagination against hand-written loops (default: on)",
    )
    parser.add_argument("--paging-items", type=int, default=10_000, help="items per pass")
    parser.add_argument("--paging-repeats", type=int, default=7, help="rounds per variant")
    parser.add_argument(
        "--startup",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time `import <pkg>; <pkg>.Client()` and the first call of ours (default: on)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run ours once under cProfile per --profile-specs, cold and warm (slow; off)",
    )
    parser.add_argument(
        "--profile-specs",
        default="github,stripe",
        help="specs to profile: github and/or stripe (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.percall_calls < 1 or args.percall_repeats < 1:
        parser.error("--percall-calls and --percall-repeats must be at least 1")
    if args.paging_items < 1 or args.paging_repeats < 1:
        parser.error("--paging-items and --paging-repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report; the exit status is 0 even when a peer crashes."""
    args = parse_args(argv)
    if not PROJECT_PY.exists():
        raise SystemExit(f"{PROJECT_PY} is missing: run `make generate` (or `make bench`) first")
    started = dt.datetime.now().astimezone()
    report = Report(
        command=shlex.join(
            [
                os.path.relpath(sys.executable, ROOT)
                if sys.executable.startswith(str(ROOT))
                else sys.executable,
                os.path.relpath(sys.argv[0], ROOT),
                *sys.argv[1:],
            ]
        ),
        started=started.isoformat(timespec="seconds"),
        machine=machine_info(),
        runs=args.runs,
        fingerprint=code_fingerprint(),
    )
    if not GNU_TIME.exists():
        log("note: /usr/bin/time not found: polling /proc VmHWM instead (no CPU time)")
    keys = select_variants(args.variants, args.skip_peers)
    billing_stems = [p.stem for p in billing_specs()]
    percall_stems = (
        [t.strip() for t in args.percall_specs.split(",") if t.strip()]
        if args.percall_specs
        else billing_stems
    )
    if args.percall and set(percall_stems) - set(billing_stems):
        unknown = ", ".join(sorted(set(percall_stems) - set(billing_stems)))
        raise SystemExit(f"--percall-specs: unknown {unknown} (use {', '.join(billing_stems)})")
    profile_names = [t.strip() for t in args.profile_specs.split(",") if t.strip()]
    if args.profile and set(profile_names) - set(REMOTE_SPECS):
        unknown = ", ".join(sorted(set(profile_names) - set(REMOTE_SPECS)))
        raise SystemExit(f"--profile-specs: unknown {unknown} (use {', '.join(REMOTE_SPECS)})")
    specs = select_specs(args.specs)
    scaling = "scaling" in {t.strip() for t in args.specs.split(",")}
    scaling_keys = [k for k in keys if k in SCALING_KEYS]
    if scaling and not scaling_keys:
        log(f"scaling: none of its variants ({', '.join(SCALING_KEYS)}) is selected: skipped")
        scaling = False
    java = java_version() if "ogen" in keys else None
    if "ogen" in keys and java is None:
        log("ogen: no Java runtime (`java -version` failed): openapi-generator is skipped")
    runnable = [k for k in keys if k not in OURS_KEYS and (k != "ogen" or java)]
    peers_needed = (bool(specs) and bool(runnable)) or (
        scaling and any(k not in OURS_KEYS for k in scaling_keys)
    )
    scaled_specs = (
        ensure_scaled_specs(ensure_remote_spec(REMOTE_SPECS[SCALING_SOURCE]), args.scaling_factors)
        if scaling
        else []
    )
    pythons = {"project venv": PROJECT_PY}
    report.versions["project venv"] = package_versions(PROJECT_PY, PROJECT_PACKAGES)
    if peers_needed:
        ensure_bench_venv()
        pythons["bench venv"] = BENCH_PY
        report.versions["bench venv"] = package_versions(BENCH_PY, PEER_PACKAGES)
    if "ogen" in keys:
        report.versions.setdefault("bench venv", {})["Java"] = java or "missing (ogen skipped)"
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=CACHE))
    try:
        opc_config = work / "opc-literal-enums.yaml"
        opc_config.write_text("literal_enums: true\n")
        variants = build_variants(keys, opc_config, java)
        report.floors = bench_floors(args.runs, pythons, work)
        if any(s.group == "billing" for s in specs):
            report.generate_all = bench_generate_all(args.runs, work, args.timeout)
        for spec in specs:
            log(f"{spec.name}: {spec.path} ({spec.path.stat().st_size / 1e6:.2f} MB)")
            chosen = [v for v in variants if spec.group not in OURS_ONLY or v.key in OURS_KEYS]
            spec_result = bench_spec(spec, chosen, args.runs, work, args.timeout)
            report.specs.append(spec_result)
            report.imports += bench_imports(spec_result, args.runs, args.timeout)
            if args.startup:
                startup = bench_startup(spec_result, args.runs, work, args.timeout)
                report.startup += [startup] if startup is not None else []
            if not args.keep_output:
                for result in spec_result.results.values():
                    if result.kept:
                        shutil.rmtree(result.kept, ignore_errors=True)
        if scaling:
            report.scaling = bench_scaling(
                scaled_specs,
                [v for v in variants if v.key in SCALING_KEYS],
                args.runs,
                work,
                args.timeout,
            )
        if args.percall:
            report.percall = bench_percall(
                percall_stems,
                args.percall_source,
                args.percall_calls,
                args.percall_repeats,
                work,
                args.timeout,
            )
        if args.paging:
            report.paging = bench_paging(
                args.paging_items, 100, args.paging_repeats, work, args.timeout
            )
        if args.profile:
            report.profiles = bench_profile(profile_names, work, args.timeout)
    finally:
        if args.keep_output:
            log(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report.finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    report.fingerprint_end = code_fingerprint()
    if report.fingerprint_end != report.fingerprint:
        log("warning: generator/ or templates/ changed during the run; see the report")
    report.load_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    text = render(report)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    log(f"wrote {output}")
    print(text)
    return 0
