"""Command line: `billing-sdkgen lint|generate|generate-all|check|diff …` (and `python -m generator`).

Thin: parses the arguments, reads the configuration (`[tool.billing-sdkgen]` in
the nearest pyproject.toml, or `--config`), calls a command (`commands`,
`cli_diff`) and returns its exit status. Diagnostics go to stderr (see
`cli_report`); spec text is escaped before it is printed, and the streams replace
what their encoding cannot show instead of failing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .cli_report import FORMATS, Reporter
from .diagnostics import Diagnostic, Location, Severity, SpecError


def _common(verbosity_only: bool = False) -> argparse.ArgumentParser:
    """Options every subcommand takes: output format and verbosity."""
    common = argparse.ArgumentParser(add_help=False)
    if not verbosity_only:
        common.add_argument(
            "--format",
            choices=FORMATS,
            default="text",
            help="diagnostics as text lines, GitHub annotations, or one JSON document on stdout",
        )
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every warning (not only the first of each code)",
    )
    common.add_argument(
        "--config", metavar="FILE", help="pyproject.toml to read (default: the nearest one)"
    )
    if not verbosity_only:
        common.add_argument(
            "--ref-root",
            metavar="DIR",
            help="a folder file $refs may read from (default: each spec's own folder)",
        )
    return common


def _generation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force", action="store_true", help="overwrite generated files edited by hand"
    )
    parser.add_argument(
        "--house-style",
        action="store_true",
        help="also report the house-style rules (E401, E402, E501, E701, W601), as lint does",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `billing-sdkgen` / `python -m generator`."""
    parser = argparse.ArgumentParser(
        prog="billing-sdkgen",
        description=(
            "Lint OpenAPI 3.0/3.1/3.2 specs and generate typed Python SDK packages from them. "
            "Without SPEC, commands use [tool.billing-sdkgen] of the nearest pyproject.toml."
        ),
    )
    parser.add_argument("--version", action="version", version=f"billing-sdkgen {__version__}")
    common = _common()
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser(
        "lint", parents=[common], help="check specs with every rule; exit 1 on errors"
    )
    lint.add_argument("specs", nargs="*", metavar="SPEC")
    generate = commands.add_parser(
        "generate",
        parents=[common],
        help="generate one package (without SPEC: every configured one)",
    )
    generate.add_argument("spec", metavar="SPEC", nargs="?")
    generate.add_argument("--output", metavar="DIR", help="project folder to (re)create")
    generate.add_argument(
        "--package-name",
        metavar="NAME",
        help="import name (default: from the file name, or info.title when that is generic)",
    )
    _generation_options(generate)
    generate_all = commands.add_parser(
        "generate-all", parents=[common], help="generate a package per spec in a folder"
    )
    generate_all.add_argument("spec_dir", metavar="SPEC_DIR", nargs="?")
    generate_all.add_argument("--output", metavar="DIR", help="folder holding one project per spec")
    _generation_options(generate_all)
    check = commands.add_parser(
        "check",
        parents=[common],
        help="exit 1 when a generated package is stale (spec changed, or files edited)",
    )
    check.add_argument("spec", metavar="SPEC", nargs="?")
    check.add_argument("--output", metavar="DIR", help="the generated project folder")
    check.add_argument("--package-name", metavar="NAME")
    check.add_argument(
        "--no-api-diff",
        dest="api_diff",
        action="store_false",
        help="do not report what regenerating would change in the Python API",
    )
    diff = commands.add_parser(
        "diff",
        parents=[_common(verbosity_only=True)],
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


def _dispatch(args: argparse.Namespace, report: Reporter) -> int:
    from dataclasses import replace

    from . import commands
    from .config import find_config, load_config

    config_file = Path(args.config) if args.config else find_config(Path.cwd())
    try:
        config = load_config(config_file)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        report.problem(f"{config_file}: invalid configuration")
        return 1
    chosen: dict[str, Any] = {}
    if getattr(args, "house_style", False):
        chosen["house_style"] = True
    if getattr(args, "ref_root", None):
        chosen["ref_root"] = Path(args.ref_root).resolve()
    if not (chosen or args.config or getattr(args, "package_name", None)):
        from .stamp import configuration_key

        # the options come from the configuration alone: `generate` remembers them (`quick`)
        chosen["configuration_key"] = configuration_key(
            None if config_file is None else str(config_file)
        )
    if chosen:
        config = replace(
            config,
            defaults=replace(config.defaults, **chosen),
            per_spec=tuple((k, replace(o, **chosen)) for k, o in config.per_spec),
        )
    if args.command == "lint":
        return commands.run_lint(args.specs, config, report)
    if args.command == "generate":
        return commands.run_generate(
            args.spec, args.output, args.package_name, config, report, force=args.force
        )
    if args.command == "check":
        return commands.run_check(
            args.spec, args.output, args.package_name, config, report, api_diff=args.api_diff
        )
    return commands.run_generate_all(args.spec_dir, args.output, config, report, force=args.force)


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _urls_given(args: argparse.Namespace) -> list[Diagnostic]:
    """An E001 for each SPEC argument that is a URL: nothing is fetched on a spec's behalf
    (`https://…` was read as the path `https:/…`, "no such file")."""
    given = [*getattr(args, "specs", ())]
    given += [getattr(args, key, None) for key in ("spec", "spec_dir", "old", "new")]
    message = (
        "cannot read file: a URL (the generator reads local files only and fetches nothing;"
        " download the document and give its path)"
    )
    return [
        Diagnostic("E001", Severity.ERROR, Location(text), message)
        for text in given
        if isinstance(text, str) and _URL.match(text)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    _tolerant_streams()
    args = build_parser().parse_args(argv)
    verbosity = -1 if args.quiet else 1 if args.verbose else 0
    urls = _urls_given(args)
    if urls:
        refusal = Reporter(args.format if args.command != "diff" else "text", verbosity)
        refusal.diagnostics(urls)
        refusal.finish()
        return 1
    try:
        if args.command == "diff":
            from .cli_diff import run_diff

            return run_diff(args.old, args.new, args.against, args.format, verbosity, args.config)
        report = Reporter(args.format, verbosity, group=args.command != "lint")
        try:
            return _dispatch(args, report)
        finally:
            report.finish()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
