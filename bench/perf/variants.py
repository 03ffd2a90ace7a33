"""The variants: each tool, with its options, as a command for one run.

One round runs them in `VARIANT_KEYS` order: ours with a cold format cache, ours again with
the cache that run filled, openapi-python-client ("opc"; defaults, then `literal_enums`),
datamodel-code-generator ("dcg"; default formatters, then none) and openapi-generator's
python generator ("ogen", Java). Every run writes into its own fresh folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.perf.common import BENCH_VENV, PROJECT_PY, bytecode_env
from bench.perf.fetch import BenchSpec


@dataclass(frozen=True)
class RunContext:
    """Where one run writes: its private folder, the output inside it, and the format cache."""

    spec: BenchSpec
    folder: Path
    cache: Path  # BILLING_SDKGEN_CACHE for ours


@dataclass(frozen=True)
class Variant:
    """One way of generating code from a spec (ours, or a peer with given options)."""

    key: str
    label: str
    tool: str  # "ours", "opc", "dcg" or "ogen"
    command: Callable[[RunContext], list[str]]
    output: Callable[[RunContext], Path]  # what the run produces (folder or file)
    warm: bool = False  # ours only: reuse the previous cold run's cache
    finish: Callable[[RunContext], None] | None = None  # untimed tidying after the run
    skip: str | None = None  # why it cannot run on this machine (e.g. "no Java"): not run


def _safe(ctx: RunContext) -> str:
    """The spec name as an identifier: the peers' package names are `<tool>_<safe name>`."""
    return re.sub(r"[^0-9a-zA-Z_]", "_", ctx.spec.name)


def _ours_command(ctx: RunContext) -> list[str]:
    return [
        str(PROJECT_PY),
        "-m",
        "generator",
        "generate",
        str(ctx.spec.path),
        "--output",
        str(ctx.folder / "out"),
    ]


def _opc_package(ctx: RunContext) -> Path:
    return ctx.folder / f"opc_{_safe(ctx)}"


def _opc_command(config: Path | None) -> Callable[[RunContext], list[str]]:
    def command(ctx: RunContext) -> list[str]:
        argv = [
            str(BENCH_VENV / "bin" / "openapi-python-client"),
            "generate",
            "--path",
            str(ctx.spec.path),
            "--output-path",
            str(_opc_package(ctx)),
            "--overwrite",
            "--meta",
            "none",
        ]
        return argv + (["--config", str(config)] if config else [])

    return command


def _dcg_base(ctx: RunContext) -> Path:
    """dcg's `--output`: a path without a suffix, which dcg accepts for both layouts.

    dcg writes a single module when the spec allows it and a package (a folder of modules)
    when schema names contain dots ("modular references", e.g. Stripe's
    `checkout.session`). With `--output X.py` the second case fails with "Modular
    references require an output directory, not a file"; with a suffix-less path that does
    not exist yet, dcg creates the folder for a package and writes a plain file otherwise.
    """
    return ctx.folder / f"dcg_{_safe(ctx)}"


def _dcg_output(ctx: RunContext) -> Path:
    """The package folder dcg wrote, or its single module (renamed to `.py` by `_dcg_finish`)."""
    base = _dcg_base(ctx)
    return base if base.is_dir() else base.with_suffix(".py")


def _dcg_finish(ctx: RunContext) -> None:
    """Untimed: give a single-module output its `.py` suffix, so that it imports."""
    base = _dcg_base(ctx)
    if base.is_file():
        base.rename(base.with_suffix(".py"))


def _dcg_command(extra: Sequence[str]) -> Callable[[RunContext], list[str]]:
    def command(ctx: RunContext) -> list[str]:
        return [
            str(BENCH_VENV / "bin" / "datamodel-codegen"),
            "--input",
            str(ctx.spec.path),
            "--input-file-type",
            "openapi",
            "--output",
            str(_dcg_base(ctx)),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            *extra,
        ]

    return command


def _ogen_project(ctx: RunContext) -> Path:
    """The folder openapi-generator writes: setup files, docs/, test/ and the package."""
    return ctx.folder / f"ogen_{_safe(ctx)}"


def _ogen_package(ctx: RunContext) -> Path:
    """The package inside the project folder (what is counted and imported)."""
    return _ogen_project(ctx) / f"ogen_{_safe(ctx)}"


def _ogen_command(ctx: RunContext) -> list[str]:
    """`openapi-generator-cli generate -g python` with its defaults (docs and test stubs too)."""
    return [
        str(BENCH_VENV / "bin" / "openapi-generator-cli"),
        "generate",
        "--input-spec",
        str(ctx.spec.path),
        "--generator-name",
        "python",
        "--output",
        str(_ogen_project(ctx)),
        "--package-name",
        f"ogen_{_safe(ctx)}",
    ]


VARIANT_KEYS = ("ours", "ours-warm", "opc", "opc-literal", "dcg", "dcg-nofmt", "ogen")
OURS_KEYS = frozenset({"ours", "ours-warm"})


def build_variants(
    selected: Sequence[str], opc_config: Path, java: str | None = "java"
) -> list[Variant]:
    """The run order of one round (ours cold, ours warm, then the peers), less unselected ones.

    `java` is the Java runtime's version line (None: no Java, so ogen is "skipped: no Java").
    """
    variants = [
        Variant("ours", "ours (cold cache)", "ours", _ours_command, lambda c: c.folder / "out"),
        Variant(
            "ours-warm",
            "ours (warm cache)",
            "ours",
            _ours_command,
            lambda c: c.folder / "out",
            warm=True,
        ),
        Variant(
            "opc",
            "openapi-python-client (defaults, --meta none)",
            "opc",
            _opc_command(None),
            _opc_package,
        ),
        Variant(
            "opc-literal",
            "openapi-python-client (literal_enums: true)",
            "opc",
            _opc_command(opc_config),
            _opc_package,
        ),
        Variant(
            "dcg",
            "datamodel-codegen (models, default formatters)",
            "dcg",
            _dcg_command(()),
            _dcg_output,
            finish=_dcg_finish,
        ),
        Variant(
            "dcg-nofmt",
            "datamodel-codegen (models, --no-formatters)",
            "dcg",
            _dcg_command(("--no-formatters",)),
            _dcg_output,
            finish=_dcg_finish,
        ),
        Variant(
            "ogen",
            "openapi-generator (python generator, defaults)",
            "ogen",
            _ogen_command,
            _ogen_package,
            skip=None if java else "no Java",
        ),
    ]
    return [v for v in variants if v.key in selected]


def select_variants(selection: str, skip_peers: bool) -> list[str]:
    """Resolve `--variants` (comma-separated keys) and `--skip-peers` into variant keys."""
    keys = [t.strip() for t in selection.split(",") if t.strip()]
    unknown = [k for k in keys if k not in VARIANT_KEYS]
    if unknown:
        raise SystemExit(
            f"--variants: unknown {', '.join(unknown)} (use {', '.join(VARIANT_KEYS)})"
        )
    if skip_peers:
        keys = [k for k in keys if k in OURS_KEYS]
    if "ours-warm" in keys and "ours" not in keys:
        raise SystemExit("--variants: ours-warm reuses the cache that ours (cold) fills; add ours")
    return [k for k in VARIANT_KEYS if k in keys]


def variant_env(variant: Variant, cache: Path) -> dict[str, str]:
    """The environment of one run: ours gets its cache dir; peers find ruff (opc's hooks) on PATH.

    Bytecode is written and read, as after an install: pip compiled the peers' modules,
    while a PYTHONDONTWRITEBYTECODE left in the caller's shell would make every run of
    ours compile the generator's modules again (about 0.15 s a run).
    """
    env = bytecode_env()
    env.pop("PYTHONHASHSEED", None)
    if variant.tool == "ours":
        env["BILLING_SDKGEN_CACHE"] = str(cache)
    else:  # opc's post-hooks call `ruff` from PATH; wide rich tracebacks stay on one line
        env["PATH"] = f"{BENCH_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["COLUMNS"] = "200"
    return env


# --------------------------------------------------------------------------- running
