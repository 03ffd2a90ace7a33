"""Command line: `python -m generator lint|generate|generate-all|diff …` (thin: parses, calls, prints)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .diagnostics import (
    Diagnostic,
    SpecError,
    format_github,
    format_text,
    has_errors,
    sorted_diagnostics,
)


def _print_diagnostics(diagnostics: list[Diagnostic], output_format: str) -> None:
    formatter = format_github if output_format == "github" else format_text
    for diagnostic in sorted_diagnostics(diagnostics):
        print(formatter(diagnostic))


def _summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def run_lint(spec_paths: Sequence[str], output_format: str) -> int:
    """Lint each spec; print `file:line:col: CODE message` lines; 1 when any error."""
    from .lint import Profile, lint_spec
    from .load import load_spec

    found: list[Diagnostic] = []
    for spec_path in spec_paths:
        try:
            spec = load_spec(spec_path)
        except SpecError as exc:
            found.extend(exc.diagnostics)
            continue
        found.extend(lint_spec(spec, Profile.STRICT))
    _print_diagnostics(found, output_format)
    print(_summary(found, len(spec_paths)), file=sys.stderr)
    return 1 if has_errors(found) else 0


def run_generate(spec_path: str, output: str, package_name: str | None, output_format: str) -> int:
    """Generate one package from one spec into `output` (replaced atomically)."""
    from .pipeline import generate_package

    try:
        result = generate_package(Path(spec_path), Path(output), package_name=package_name)
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, output_format)
        print(
            f"generation failed: {_summary(exc.diagnostics, 1)}; {output} left unchanged",
            file=sys.stderr,
        )
        return 1
    _print_diagnostics(list(result.diagnostics), output_format)
    print(f"{result.package_name}: {result.summary}", file=sys.stderr)
    return 0


def run_generate_all(spec_dir: str, output_root: str, output_format: str) -> int:
    """Generate a package for every `*.yaml`/`*.yml`/`*.json` spec in a folder."""
    from .fingerprint import is_up_to_date
    from .naming import package_name

    specs = sorted(
        p for p in Path(spec_dir).iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")
    )
    if not specs:
        print(f"{spec_dir}: no specs (*.yaml, *.yml, *.json) found", file=sys.stderr)
        return 1
    status = 0
    for spec_path in specs:
        name = package_name(spec_path.stem)
        target = Path(output_root) / name
        if is_up_to_date(spec_path, target, name):
            print(f"{target}: up to date (inputs unchanged)", file=sys.stderr)
            continue
        try:
            from .pipeline import generate_package

            result = generate_package(spec_path, target)
        except SpecError as exc:
            _print_diagnostics(exc.diagnostics, output_format)
            print(f"{spec_path}: generation failed; {target} left unchanged", file=sys.stderr)
            status = 1
            continue
        _print_diagnostics(list(result.diagnostics), output_format)
        print(f"{target}: {result.summary}", file=sys.stderr)
    return status


def run_diff(old_spec: str, new_spec: str | None, against: str | None, output_format: str) -> int:
    """Compare the Python API of two specs; 1 when a change is breaking, 2 when unusable."""
    import tempfile

    from .apidiff import diff_apis, load_surfaces
    from .apidiff_git import GitError, spec_at_revision
    from .apidiff_report import render

    diagnostics_format = "github" if output_format == "github" else "text"
    with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as scratch:
        if against is not None:
            if new_spec is not None:
                print("diff: give one SPEC with --against, or OLD and NEW", file=sys.stderr)
                return 2
            try:
                old_path, new_path = (
                    str(spec_at_revision(old_spec, against, Path(scratch))),
                    old_spec,
                )
            except GitError as exc:
                print(f"diff: {exc}", file=sys.stderr)
                return 2
        elif new_spec is None:
            print("diff: give OLD and NEW specs, or SPEC --against REF", file=sys.stderr)
            return 2
        else:
            old_path, new_path = old_spec, new_spec
        try:
            surfaces = load_surfaces([old_path, new_path])
        except SpecError as exc:
            _print_diagnostics(exc.diagnostics, diagnostics_format)
            print(f"diff: unusable spec: {_summary(exc.diagnostics, 1)}", file=sys.stderr)
            return 2
    diff = diff_apis(surfaces[0], surfaces[1])
    sys.stdout.write(render(diff, output_format))
    return 1 if diff.breaking else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m generator`."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Lint OpenAPI 3.0/3.1 specs and generate typed Python SDK packages from them.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser("lint", help="check specs; print file:line:col: CODE message")
    lint.add_argument("specs", nargs="+", metavar="SPEC")
    lint.add_argument("--format", choices=("text", "github"), default="text")
    generate = commands.add_parser("generate", help="generate one package from one spec")
    generate.add_argument("spec", metavar="SPEC")
    generate.add_argument(
        "--output", required=True, metavar="DIR", help="project folder to (re)create"
    )
    generate.add_argument(
        "--package-name", metavar="NAME", help="import name (default: from the file name)"
    )
    generate.add_argument("--format", choices=("text", "github"), default="text")
    generate_all = commands.add_parser(
        "generate-all", help="generate a package per spec in a folder"
    )
    generate_all.add_argument("spec_dir", metavar="SPEC_DIR")
    generate_all.add_argument(
        "--output", required=True, metavar="DIR", help="folder holding one project per spec"
    )
    generate_all.add_argument("--format", choices=("text", "github"), default="text")
    diff = commands.add_parser(
        "diff",
        help="what NEW changes in the Python API generated from OLD; exit 1 when breaking",
    )
    diff.add_argument("old", metavar="OLD", help="the old spec (or the spec, with --against)")
    diff.add_argument("new", metavar="NEW", nargs="?", help="the new spec")
    diff.add_argument(
        "--against", metavar="REF", help="compare SPEC at git revision REF with SPEC now"
    )
    diff.add_argument("--format", choices=("text", "json", "markdown", "github"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "lint":
        return run_lint(args.specs, args.format)
    if args.command == "generate":
        return run_generate(args.spec, args.output, args.package_name, args.format)
    if args.command == "diff":
        return run_diff(args.old, args.new, args.against, args.format)
    return run_generate_all(args.spec_dir, args.output, args.format)
