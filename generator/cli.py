"""Command line: `python -m generator lint|generate|generate-all|diff …` (thin: parses, calls, prints).

Whatever the input, the output is diagnostics, one line each, never a traceback:
a failure this process did not foresee (a bug, memory running out) is reported
as `file:1:1: E900 internal error …` with exit status 1. Spec text is escaped
before it is printed (`diagnostics.escape`), and the streams replace what their
encoding cannot show instead of failing.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .diagnostics import (
    Diagnostic,
    Location,
    Severity,
    SpecError,
    escape,
    format_github,
    format_text,
    has_errors,
    sorted_diagnostics,
)

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_T = TypeVar("_T")


def _print_diagnostics(diagnostics: list[Diagnostic], output_format: str) -> None:
    formatter = format_github if output_format == "github" else format_text
    for diagnostic in sorted_diagnostics(diagnostics):
        print(formatter(diagnostic))


def _note(text: str) -> None:
    print(text, file=sys.stderr)


def _summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def _guarded(where: str, work: Callable[[], _T]) -> _T:
    """Run `work`; SpecError (E900 at `where`) for a failure no stage turned into diagnostics."""
    try:
        return work()
    except SpecError:
        raise
    except MemoryError:
        message = "internal error: out of memory"
    except RecursionError:
        message = "internal error: the spec nests too deeply for this stage"
    except Exception as exc:
        message = f"internal error ({type(exc).__name__}: {exc}); please report it with the spec"
    location = Location(where)
    raise SpecError([Diagnostic("E900", Severity.ERROR, location, message)]) from None


def run_lint(spec_paths: Sequence[str], output_format: str) -> int:
    """Lint each spec; print `file:line:col: CODE message` lines; 1 when any error."""
    from .lint import Profile, lint_spec
    from .load import load_spec

    found: list[Diagnostic] = []
    for spec_path in spec_paths:

        def lint_one(path: str = spec_path) -> list[Diagnostic]:
            return lint_spec(load_spec(path), Profile.STRICT)

        try:
            found.extend(_guarded(spec_path, lint_one))
        except SpecError as exc:
            found.extend(exc.diagnostics)
    _print_diagnostics(found, output_format)
    _note(_summary(found, len(spec_paths)))
    return 1 if has_errors(found) else 0


def run_generate(spec_path: str, output: str, package_name: str | None, output_format: str) -> int:
    """Generate one package from one spec into `output` (replaced atomically)."""
    from .pipeline import generate_package

    try:
        result = _guarded(
            spec_path,
            lambda: generate_package(Path(spec_path), Path(output), package_name=package_name),
        )
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, output_format)
        summary = _summary(exc.diagnostics, 1)
        _note(f"generation failed: {summary}; {escape(output)} left unchanged")
        return 1
    _print_diagnostics(list(result.diagnostics), output_format)
    _note(f"{result.package_name}: {result.summary}")
    return 0


def _spec_files(spec_dir: str) -> list[Path]:
    """The spec files of a folder (sorted); SpecError (E001) when it is not a readable folder."""
    folder = Path(spec_dir)
    try:
        entries = sorted(folder.iterdir())
    except NotADirectoryError:
        reason = "it is not a folder"
    except FileNotFoundError:
        reason = "no such folder"
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    else:
        return [p for p in entries if p.suffix.lower() in SPEC_SUFFIXES]
    message = f"cannot read spec folder: {reason}"
    raise SpecError([Diagnostic("E001", Severity.ERROR, Location(spec_dir), message)])


def _package_for(spec_path: Path) -> str:
    """The package name `generate` will give this spec (loads it only for a generic file name)."""
    from .distribution import default_package_name, needs_title
    from .load import load_spec
    from .naming import package_name

    if not needs_title(spec_path.stem):
        return package_name(spec_path.stem)
    info = load_spec(spec_path).document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return default_package_name(spec_path.stem, title if isinstance(title, str) else None)[0]


def run_generate_all(spec_dir: str, output_root: str, output_format: str) -> int:
    """Generate a package for every `*.yaml`/`*.yml`/`*.json` spec in a folder."""
    from .fingerprint import is_up_to_date
    from .pipeline import generate_package

    try:
        specs = _spec_files(spec_dir)
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, output_format)
        return 1
    if not specs:
        _note(f"{escape(spec_dir)}: no specs (*.yaml, *.yml, *.json) found")
        return 1
    status = 0
    generated: dict[str, Path] = {}
    for spec_path in specs:
        shown, target = escape(str(spec_path)), None
        try:
            name = _guarded(str(spec_path), functools.partial(_package_for, spec_path))
            if name in generated:
                message = f"package {name!r} is already generated from {generated[name]}"
                hint = "rename one of the files, or give one spec another info.title"
                location = Location(str(spec_path))
                raise SpecError([Diagnostic("E803", Severity.ERROR, location, message, hint)])
            generated[name] = spec_path
            target = Path(output_root) / name
            if is_up_to_date(spec_path, target, name):
                _note(f"{escape(str(target))}: up to date (inputs unchanged)")
                continue
            result = _guarded(
                str(spec_path), functools.partial(generate_package, spec_path, target)
            )
        except SpecError as exc:
            _print_diagnostics(exc.diagnostics, output_format)
            left = f"{escape(str(target))} left unchanged" if target else "nothing written"
            _note(f"{shown}: generation failed; {left}")
            status = 1
            continue
        _print_diagnostics(list(result.diagnostics), output_format)
        _note(f"{escape(str(target))}: {result.summary}")
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
        "--package-name",
        metavar="NAME",
        help="import name (default: from the file name, or info.title when that is generic)",
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


def _tolerant_streams() -> None:
    """Let stdout/stderr replace what their encoding cannot show (`\\udc80`, `\\xe9`…)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    _tolerant_streams()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "lint":
            return run_lint(args.specs, args.format)
        if args.command == "generate":
            return run_generate(args.spec, args.output, args.package_name, args.format)
        if args.command == "diff":
            return run_diff(args.old, args.new, args.against, args.format)
        return run_generate_all(args.spec_dir, args.output, args.format)
    except KeyboardInterrupt:
        _note("interrupted")
        return 130
