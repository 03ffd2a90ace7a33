"""Importing what each tool generated: `python -c STATEMENT` in the output folder.

Each statement runs once with every `__pycache__` removed ("first": includes compiling), then
`runs` times warm, as after an install. Ours: `import <pkg>.models`, `import <pkg>` and
touching one model; opc: `import <pkg>.models`; dcg: its module, or its package and every
module in it; ogen: `import <pkg>` (its `__init__` imports every API and model class).
"""

from __future__ import annotations

import ast
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.perf.common import BENCH_PY, PROJECT_PY, bytecode_env, log
from bench.perf.measure import Measurement, measure
from bench.perf.rounds import SpecResult, VariantResult


@dataclass
class ImportResult:
    """Timings of one `python -c …` statement against a generated output."""

    spec: str
    variant: str
    statement: str
    first: Measurement  # with no __pycache__: compiles, writes the bytecode
    warm: list[Measurement]


def import_statements(result: VariantResult) -> tuple[Path, Path, list[str]] | None:
    """(python, cwd, statements) that import what a variant generated, or None."""
    folder = result.kept
    if folder is None:
        return None
    tool = result.variant.tool
    if tool == "ours":
        clients = sorted((folder / "out").glob("*/_client.py"))
        if not clients:
            return None
        package = clients[0].parent
        statements = [f"import {package.name}.models", f"import {package.name}"]
        model = _first_model(package)
        if model:
            statements.append(f"import {package.name}.models as m; m.{model}")
        return PROJECT_PY, folder / "out", statements
    if tool == "opc":
        packages = [p for p in folder.iterdir() if p.name.startswith("opc_") and p.is_dir()]
        if not packages:
            return None
        return BENCH_PY, folder, [f"import {packages[0].name}.models"]
    if tool == "ogen":
        projects = sorted(p for p in folder.glob("ogen_*") if (p / p.name).is_dir())
        if not projects:
            return None
        return BENCH_PY, projects[0], [f"import {projects[0].name}"]
    modules = sorted(folder.glob("dcg_*.py"))
    if modules:
        return PROJECT_PY, folder, [f"import {modules[0].stem}"]
    packages = sorted(p for p in folder.glob("dcg_*") if (p / "__init__.py").is_file())
    if not packages:
        return None
    name = packages[0].name  # dcg's package layout: import it, then every module in it
    return (
        PROJECT_PY,
        folder,
        [
            f"import {name}",
            f"import importlib, pkgutil, {name} as p; [importlib.import_module(m.name) "
            f"for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]",
        ],
    )


def _first_model(package: Path) -> str | None:
    """The first name in `__all__` of our models module (`models.py` or `models/`)."""
    for models in (package / "models.py", package / "models" / "__init__.py"):
        try:
            tree = ast.parse(models.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                names = ast.literal_eval(node.value) if isinstance(node, ast.Assign) else []
                return str(names[0]) if names else None
    return None


def bench_imports(spec_result: SpecResult, runs: int, timeout: float) -> list[ImportResult]:
    """Time each import statement: first with no bytecode cache, then `runs` times warm.

    Every `__pycache__` under the output is removed before a statement's first run, so
    "first" always includes compiling everything that statement imports.
    """
    found: list[ImportResult] = []
    for key, result in spec_result.results.items():
        if result.variant.warm:
            continue  # same code as the cold run
        plan = import_statements(result)
        if plan is None:
            continue
        python, cwd, statements = plan
        logs = (result.kept or cwd) / "import-logs"
        for statement in statements:
            command = [str(python), "-c", statement]
            remove_bytecode(cwd)
            env = bytecode_env()
            first = measure(command, cwd=cwd, env=env, log_dir=logs, timeout=timeout)
            warm = [
                measure(command, cwd=cwd, env=env, log_dir=logs, timeout=timeout)
                for _ in range(runs)
            ]
            log(
                f"{spec_result.spec.name}: import ({key}): {statement}: first {first.wall:.3f} s,"
                f" warm {statistics.median(m.wall for m in warm):.3f} s, {warm[-1].outcome}"
            )
            found.append(ImportResult(spec_result.spec.name, key, statement, first, warm))
    return found


def remove_bytecode(root: Path) -> None:
    """Remove every `__pycache__` under `root`: the next import compiles everything again."""
    for cache in list(root.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
