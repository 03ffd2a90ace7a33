"""`python -m bench.corpus`: run the corpus, write bench/CORPUS.md and the raw JSON results.

Examples (from the repository root; `make corpus CORPUS_ARGS="…"` runs the same):

    .venv/bin/python -m bench.corpus --corpus peers
    .venv/bin/python -m bench.corpus --corpus directory --sample 400 --seed 1
    .venv/bin/python -m bench.corpus --corpus directory --no-opc --only 'directory/stripe.com/*'

See bench/README.md, "Corpus run".
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus import fetch, pipeline, report
from bench.perf.common import BENCH_VENV, PROJECT_PY, ROOT, log
from bench.perf.report import code_fingerprint
from bench.perf.venv import package_versions


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus",
        description="Run our generator (and openapi-python-client) on a corpus of specs and "
        "write bench/CORPUS.md (see bench/README.md).",
    )
    parser.add_argument("--corpus", choices=fetch.CORPORA, default="all")
    parser.add_argument("--sample", type=int, help="run a seeded random sample of N specs")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample (default: 0)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GLOB",
        help="only specs whose key (e.g. 'directory/stripe.com/*') or path matches; repeatable",
    )
    parser.add_argument("--jobs", type=int, default=2, help="specs at a time (default: 2)")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per generate or check (default: 60)"
    )
    parser.add_argument(
        "--timeout-per-mb",
        type=float,
        default=6.0,
        help="a larger spec's limit: this many seconds per MB, when over --timeout (default: 6)",
    )
    parser.add_argument(
        "--alone-above",
        type=float,
        default=10.0,
        metavar="MB",
        help="specs larger than this are generated first, one at a time with nothing else "
        "running; their checks then join the pool (default: 10 MB)",
    )
    parser.add_argument(
        "--flag-after", type=float, default=30.0, help="list ours when slower (default: 30 s)"
    )
    parser.add_argument(
        "--mypy",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="mypy --strict on every generated package (default: only the peers' specs)",
    )
    parser.add_argument("--mypy-timeout", type=float, default=600.0, help="(default: 600 s)")
    parser.add_argument(
        "--opc",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run openapi-python-client 0.29.1 beside ours (default: on)",
    )
    parser.add_argument(
        "--keep-output", action="store_true", help="keep outputs and logs in .cache/corpus/work"
    )
    parser.add_argument(
        "--fresh-interpreter",
        action="store_true",
        help="generate and check each package in a new interpreter, not a child of a fork "
        "server (slower)",
    )
    parser.add_argument(
        "--output", default=str(ROOT / "bench" / "CORPUS.md"), help="(default: bench/CORPUS.md)"
    )
    parser.add_argument(
        "--results",
        help="raw JSON results (default: .cache/corpus/results-<selection>.json; the previous "
        "file of the same selection is kept as .prev.json and diffed in the report)",
    )
    parser.add_argument(
        "--render",
        metavar="RESULTS_JSON",
        help="only write the report of an earlier run's results file (nothing is run)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or (args.sample is not None and args.sample < 1):
        parser.error("--jobs and --sample must be at least 1")
    return args


def selection_label(args: argparse.Namespace) -> str:
    """A file-name-safe name of what was selected, so reruns of it can be compared."""
    label = str(args.corpus)
    if args.sample is not None:
        label += f"-sample{args.sample}-seed{args.seed}"
    if args.only:
        label += "-only-" + hashlib.sha256("\0".join(args.only).encode()).hexdigest()[:8]
    return label


def _git(*argv: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *argv], capture_output=True, text=True)
    return done.stdout.strip()


def commit_text() -> str:
    """`abc1234 (branch corpus)`, noting uncommitted changes to generator/ or templates/."""
    text = f"{_git('rev-parse', '--short', 'HEAD')} (branch {_git('branch', '--show-current')})"
    if _git("status", "--porcelain", "--", "generator", "templates"):
        text += ", with uncommitted changes to generator/ or templates/"
    return text


def machine_text() -> str:
    """Cores, memory and the load average at the start."""
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"Machine: {os.cpu_count()} cores, {memory}, load average {load} at the start"


def _load_previous(path: Path) -> list[dict[str, Any]] | None:
    if not path.is_file():
        return None
    try:
        return list(json.loads(path.read_text())["results"])
    except (ValueError, KeyError, TypeError):
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected specs and write the report; 0 whatever the specs did."""
    args = parse_args(argv)
    if args.render:
        return render_again(Path(args.render), Path(args.output))
    if not PROJECT_PY.exists():
        raise SystemExit(f"{PROJECT_PY} is missing: run `make corpus` (it creates .venv)")
    command = shlex.join([".venv/bin/python", "-m", "bench.corpus", *sys.argv[1:]])
    started = dt.datetime.now().astimezone()
    clock = time.monotonic()
    found = fetch.inventory(args.corpus)
    specs = fetch.select(found.specs, args.only, args.sample, args.seed)
    log(f"{len(specs)} specs selected of {len(found.specs)} in scope")
    versions = package_versions(PROJECT_PY, ("pydantic", "httpx", "mypy", "black"))
    if args.opc:
        fetch.ensure_opc_venv()
        versions |= package_versions(BENCH_VENV / "bin" / "python", ("openapi-python-client",))
    results_path = (
        Path(args.results)
        if args.results
        else fetch.CORPUS_CACHE / f"results-{selection_label(args)}.json"
    )
    previous = _load_previous(results_path)
    work = fetch.CORPUS_CACHE / "work"
    shutil.rmtree(work / "specs", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    settings = pipeline.Settings(
        work=work,
        timeout=args.timeout,
        mypy=args.mypy,
        mypy_timeout=args.mypy_timeout,
        opc=args.opc,
        keep=args.keep_output,
        fresh_interpreter=args.fresh_interpreter,
        timeout_per_mb=args.timeout_per_mb,
        alone_above=args.alone_above,
    )
    fingerprint = code_fingerprint()
    partial = results_path.with_suffix(".partial.jsonl")
    with partial.open("w") as stream:

        def keep(result: dict[str, Any]) -> None:
            stream.write(json.dumps(result) + "\n")
            stream.flush()

        pipeline.compile_generator()
        results = pipeline.run_all(specs, settings, args.jobs, keep)
    results.sort(key=lambda r: str(r["key"]))
    mypy = {None: "mypy on the peers' specs only", True: "mypy on every spec", False: "no mypy"}
    meta = report.Meta(
        command=command,
        started=started.isoformat(timespec="seconds"),
        finished=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        commit=commit_text(),
        machine=machine_text(),
        settings=f"--jobs {args.jobs} (specs over {args.alone_above:g} MB generated alone, "
        f"first; their checks in the pool), timeout per step {args.timeout:.0f} s or {args.timeout_per_mb:g} s per MB "
        "of spec if longer, "
        f"{mypy[args.mypy]}, openapi-python-client {'on' if args.opc else 'off'}",
        versions=versions,
        duration_s=time.monotonic() - clock,
        fingerprint_changed=code_fingerprint() != fingerprint,
        interrupted=len(results) < len(specs),
        selected=len(specs),
        in_scope=found.found,
        out_of_scope=found.out_of_scope,
        unavailable=found.unavailable,
        flag_after=args.flag_after,
        previous=previous,
    )
    if results_path.is_file():
        results_path.replace(results_path.with_suffix(".prev.json"))
    payload = {"meta": meta.to_json(), "results": results}
    results_path.write_text(json.dumps(payload, indent=1) + "\n")
    partial.unlink()
    output = Path(args.output)
    output.write_text(report.render(meta, results), encoding="utf-8")
    log(f"wrote {output} and {fetch.display_path(results_path)}")
    return 0


def render_again(results_path: Path, output: Path) -> int:
    """`--render`: the report of a results file (and its .prev.json), without running."""
    data = json.loads(results_path.read_text())
    meta = report.Meta.from_json(data["meta"])
    meta.previous = _load_previous(results_path.with_suffix(".prev.json"))
    output.write_text(report.render(meta, list(data["results"])), encoding="utf-8")
    log(f"wrote {output} from {fetch.display_path(results_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
