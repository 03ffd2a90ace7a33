"""The CLI's commands: `lint`, `generate`, `generate-all` and `check` (thin: resolve, call, report).

Each command takes its specs from the command line or, without them, from the
configuration (`[tool.billing-sdkgen]`, see `config`). Whatever the input, the
output is diagnostics, never a traceback: a failure this process did not foresee
(a bug, memory running out) is reported as `file:1:1: E900 internal error …`.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import progress
from .cli_report import SHOWN_PER_CODE, Reporter
from .config import Config, config_spec_files
from .diagnostics import Diagnostic, Location, Severity, SpecError, escape, has_errors
from .options import Options

if TYPE_CHECKING:
    from .apidiff import ApiDiff
    from .fingerprint import Staleness

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_T = TypeVar("_T")


def guarded(where: str, work: Callable[[], _T]) -> _T:
    """Run `work`; SpecError (E900 at `where`) for a failure no stage turned into diagnostics.

    The cyclic garbage collector is paused meanwhile: a spec's document and IR are
    millions of long-lived objects that each collection walks again (a fifth of the
    time on GitHub's spec), while the stages leave almost no cycles behind (the peak
    memory is the same without it). It runs again, as it was, once `work` returns.
    """
    paused = gc.isenabled()
    gc.disable()
    code = "E900"
    try:
        return work()
    except SpecError:
        raise
    except MemoryError:
        message = "internal error: out of memory"
    except RecursionError:
        message = "internal error: the spec nests too deeply for this stage"
    except OSError as exc:  # the file system's refusal, not a bug (gencli audit)
        what = f": {escape(str(exc.filename))[:300]}" if exc.filename is not None else ""
        message = f"the file system refused ({exc.strerror or exc}){what}"
        code = "E802"
    except Exception as exc:
        message = f"internal error ({type(exc).__name__}: {exc}); please report it with the spec"
    finally:
        if paused:
            gc.enable()
    location = Location(where)
    raise SpecError([Diagnostic(code, Severity.ERROR, location, message)]) from None


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """`N error(s), M warning(s) in K file(s)`."""
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def _usage_error(message: str) -> SpecError:
    return SpecError([Diagnostic("E809", Severity.ERROR, Location("billing-sdkgen"), message)])


def spec_files(spec_dir: str) -> list[Path]:
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


def configured_specs(config: Config) -> list[Path]:
    """The configuration's spec files; SpecError when there is no configuration or no spec."""
    if config.file is None or not config.specs:
        raise _usage_error(
            "no SPEC given and no `specs` in [tool.billing-sdkgen] of a pyproject.toml here"
        )
    return config_spec_files(config)


def run_lint(spec_paths: Sequence[str], config: Config, report: Reporter) -> int:
    """Lint each spec (every rule, `lint`'s strict profile); 1 when any error."""
    from .lint import Profile, lint_spec
    from .load import load_spec

    paths = list(spec_paths) or [str(p) for p in configured_specs(config)]
    found: list[Diagnostic] = []
    for spec_path in paths:

        def lint_one(path: str = spec_path) -> list[Diagnostic]:
            ref_root = config.options_for(Path(path)).ref_root
            return lint_spec(load_spec(path, keep_nodes=True, ref_root=ref_root), Profile.STRICT)

        try:
            found.extend(guarded(spec_path, lint_one))
        except SpecError as exc:
            found.extend(exc.diagnostics)
    report.diagnostics(found)
    report.note(summary(found, len(paths)))
    return 1 if has_errors(found) else 0


def package_for(spec_path: Path, given: str | None = None, ref_root: Path | None = None) -> str:
    """The package name `generate` will give this spec (loads it only for a generic file name)."""
    from .distribution import default_package_name, needs_title
    from .naming import package_name

    if given:
        return given
    if not needs_title(spec_path.stem):
        return package_name(spec_path.stem)
    from .load import load_spec  # (the loader and PyYAML: ~11 ms an unchanged run skips)

    info = load_spec(spec_path, ref_root=ref_root).document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return default_package_name(spec_path.stem, title if isinstance(title, str) else None)[0]


@dataclass(frozen=True)
class Job:
    """One package to generate or check: its spec, output folder and options."""

    spec: Path
    output: Path
    options: Options
    package: str | None = None  # None: from the spec (file name or info.title)


def job_staleness(job: Job) -> Staleness:
    """`fingerprint.staleness` of `job`'s output, with every input of the job (`generate`'s
    skip and `check` once each wrote this call, and `check` forgot the ref-root)."""
    from .fingerprint import staleness

    options = job.options
    return staleness(
        job.spec,
        job.output,
        job.package,
        options=options.fingerprint_text(),
        template_override=options.templates,
        ref_root=options.ref_root,
    )


def _stale_text(job: Job, force: bool = False) -> tuple[str | None, Staleness | None]:
    """None when the output is up to date (checked before the spec is even loaded), else
    why not; and what was found (None when an interrupted generation must be settled
    first), whose hand-edit check of the generated files `generate_package` reuses."""
    from .write import has_leftovers

    options = job.options
    # (not with templates of the user's or ruff: their changes are not in the options'
    # hash the quick check compares, only in what the long way computes)
    if (
        options.configuration_key is not None
        and options.templates is None
        and options.formatter != "ruff"
    ):
        from .stamp import options_digest, remember_options

        # for the quick check of the next `generate SPEC --output DIR` (`quick`)
        remember_options(
            options.configuration_key,
            job.spec.stem,
            options_digest(options.fingerprint_text()),
            options.package,
        )

    if has_leftovers(job.output):
        return "an interrupted generation left files to clean up", None
    state = job_staleness(job)
    if state.up_to_date and not force:
        return None, state
    return "; ".join(state.reasons) or "generated files changed", state


def generate_one(job: Job, report: Reporter, *, force: bool = False, skip: bool = True) -> int:
    """Generate one package unless its inputs are unchanged; report what happened."""
    shown = escape(str(job.output))
    try:
        stale = functools.partial(_stale_text, job, force)
        reason, state = guarded(str(job.spec), stale) if skip else ("", None)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        report.problem(f"{escape(str(job.spec))}: generation failed; {shown} left unchanged")
        return 1
    if reason is None:
        report.note(f"{shown}: up to date (inputs unchanged)")
        return 0
    from .pipeline import generate_package  # (~20 ms of imports an unchanged run skips)

    work = functools.partial(
        generate_package,
        job.spec,
        job.output,
        package_name=job.package,
        options=job.options,
        force=force,
        checked=state,  # (the generated files were just read and hashed: once is enough)
    )
    shows_progress = report.format == "text" and report.verbosity >= 0 and _is_tty(report)
    try:
        with progress.display(report.stream, str(job.spec), enabled=shows_progress):
            result = guarded(str(job.spec), work)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        report.problem(
            f"{escape(str(job.spec))}: generation failed: {summary(exc.diagnostics, 1)}; "
            f"{shown} left unchanged"
        )
        return 1
    report.diagnostics(result.diagnostics)
    report.note(f"{shown}: {result.summary}")
    return 0


def _is_tty(report: Reporter) -> bool:
    try:
        return report.stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _jobs(
    specs: Sequence[Path], output_root: Path, config: Config, report: Reporter
) -> tuple[list[Job], int]:
    """A job per spec, each in `output_root/<package>`; E803 for two specs of one package."""
    jobs, status = [], 0
    generated: dict[str, Path] = {}
    listed: set[Path] = set()
    for spec_path in specs:
        try:
            same = spec_path.resolve()
        except (OSError, RuntimeError):  # (a link loop: reported when the spec is read)
            same = spec_path.absolute()
        if same in listed:  # one file listed twice (`spec.yaml`, `./spec.yaml`): one job
            continue  # (it was E803, "already generated from" itself: hostile audit 17)
        listed.add(same)
        options = config.options_for(spec_path)
        try:
            name = guarded(
                str(spec_path),
                functools.partial(package_for, spec_path, options.package, options.ref_root),
            )
        except SpecError as exc:
            report.diagnostics(exc.diagnostics)
            report.problem(f"{escape(str(spec_path))}: nothing written")
            status = 1
            continue
        if name in generated:
            message = f"package {name!r} is already generated from {generated[name]}"
            hint = "rename one of the files, or give one spec another info.title"
            report.diagnostics(
                [Diagnostic("E803", Severity.ERROR, Location(str(spec_path)), message, hint)]
            )
            status = 1
            continue
        generated[name] = spec_path
        jobs.append(Job(spec_path, output_root / name, options, name))
    return jobs, status


def _resolve_many(
    spec_dir: str | None, output: str | None, config: Config
) -> tuple[list[Path], Path]:
    """Specs and output root of `generate-all`/`check`: the arguments, else the configuration."""
    specs = spec_files(spec_dir) if spec_dir is not None else configured_specs(config)
    root = Path(output) if output is not None else config.output
    if root is None:
        raise _usage_error("no --output given and no `output` in [tool.billing-sdkgen]")
    if not specs:
        raise _usage_error(
            f"{escape(spec_dir or str(config.file))}: no specs (*.yaml, *.yml, *.json) found"
        )
    return specs, root


def run_generate_all(
    spec_dir: str | None, output: str | None, config: Config, report: Reporter, *, force: bool
) -> int:
    """Generate a package for every spec of a folder (or of the configuration)."""
    try:
        specs, root = _resolve_many(spec_dir, output, config)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        return 1
    jobs, status = _jobs(specs, root, config, report)
    for job in jobs:
        status = max(status, generate_one(job, report, force=force))
    return status


def single_job(spec: str, output: str | None, package: str | None, config: Config) -> Job:
    """The job of `generate SPEC`/`check SPEC`: options from the configuration (by file stem)."""
    spec_path = Path(spec)
    options = config.options_for(spec_path)
    if package == "":  # (it was the default name, silently: gencli audit)
        raise _usage_error("--package-name is empty: give a name, or leave the option out")
    package = package or options.package
    if output is not None:
        return Job(spec_path, Path(output), options, package)
    if config.output is None:
        raise _usage_error("no --output given and no `output` in [tool.billing-sdkgen]")
    name = guarded(spec, functools.partial(package_for, spec_path, package, options.ref_root))
    return Job(spec_path, config.output / name, options, package)


def run_generate(
    spec: str | None,
    output: str | None,
    package: str | None,
    config: Config,
    report: Reporter,
    *,
    force: bool,
) -> int:
    """Generate one package (or, without SPEC, every configured one)."""
    if spec is None:
        return run_generate_all(None, output, config, report, force=force)
    try:
        job = single_job(spec, output, package, config)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        return 1
    return generate_one(job, report, force=force)


def run_check(
    spec: str | None,
    output: str | None,
    package: str | None,
    config: Config,
    report: Reporter,
    api_diff: bool = True,
) -> int:
    """Exit 1 when a generated package is stale: its spec, the generator, the configuration
    changed since it was generated, or its generated files were edited by hand. When the
    spec or the configuration changed, what regenerating would change in the package's
    Python API is reported too (`api_diff`)."""
    try:
        if spec is not None:
            jobs, status = [single_job(spec, output, package, config)], 0
        else:
            specs, root = _resolve_many(None, output, config)
            jobs, status = _jobs(specs, root, config, report)
    except SpecError as exc:
        report.diagnostics(exc.diagnostics)
        return 1
    stale = 0
    for job in jobs:
        try:
            state = guarded(str(job.spec), functools.partial(job_staleness, job))
        except SpecError as exc:
            report.diagnostics(exc.diagnostics)
            status = 1
            continue
        shown = escape(str(job.output))
        if state.up_to_date:
            report.note(f"{shown}: up to date")
            continue
        stale += 1
        parts = list(state.reasons)
        for what, files in (
            ("edited by hand", state.edited),
            ("added by hand", state.added),
            ("missing", state.missing),
        ):
            if files:
                listed = files if report.verbosity > 0 else files[:SHOWN_PER_CODE]
                more = f" and {len(files) - len(listed)} more" if len(files) > len(listed) else ""
                parts.append(f"{len(files)} file(s) {what}: {', '.join(listed)}{more}")
        report.problem(f"{shown}: stale: {'; '.join(parts)}")
        if state.api_inputs_changed and api_diff:
            _report_api_changes(job, state.package, report)
            if "the configuration changed" in state.reasons:
                # (the snapshot keeps the spec, not the options: both sides are built with
                # the new ones, and "0 breaking" was said of a rename; diff audit 6)
                report.note(
                    f"{escape(str(job.output))}: the configuration changed too: the API diff"
                    " compares the specs, both built with the configuration now; what the"
                    " configuration itself changes (renames, selections) is not in it"
                )
    if stale:
        report.problem(
            f"{stale} of {len(jobs)} package(s) stale: run `billing-sdkgen generate` "
            "(with --force to overwrite hand edits; keep your code in <package>/_custom/)"
        )
    return 1 if stale or status else 0


_DIFF_LINES = 40  # of an API diff `check` shows without --verbose


def _report_api_changes(job: Job, package: str | None, report: Reporter) -> None:
    """What regenerating `job` would change in its package's Python API: the diff from the
    spec it was generated from (the package's snapshot) to the spec now, with its options."""
    from .apidiff_report import render, summary
    from .ir_build import build_api
    from .lint import Profile, lint_spec
    from .load import load_spec
    from .release import diff_since_generation, read_snapshot

    shown = escape(str(job.output))
    previous = read_snapshot(job.output)
    if previous is None:
        report.note(f"{shown}: no spec snapshot: the API diff needs one generation first")
        return

    def api_diff() -> tuple[ApiDiff | None, list[str]]:
        spec = load_spec(job.spec, ref_root=job.options.ref_root)
        errors = [d for d in lint_spec(spec, Profile.GENERATE) if d.is_error]
        if errors:
            raise SpecError(errors)
        name = job.package or package or job.output.name
        api = build_api(spec, name, job.spec.name, [], job.options)
        diff = diff_since_generation(previous, api, job.options)
        if diff is None or not diff.changes:
            return diff, []
        return diff, render(diff, "github" if report.format == "github" else "text").splitlines()

    try:  # a failure no stage foresaw is an E900 line, never a traceback
        diff, lines = guarded(str(job.spec), api_diff)
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.is_error]
        report.diagnostics(errors)
        if any(d.code == "E900" for d in errors):
            report.problem(f"{shown}: no API diff: the generator failed on the spec")
        else:
            report.problem(
                f"{shown}: the spec has {len(errors)} error(s): `generate` would refuse it"
            )
        return
    if diff is None:
        report.note(f"{shown}: no API diff: the spec it was generated from no longer builds")
        return
    report.problem(f"{shown}: regenerating changes the Python API: {summary(diff)}")
    if not diff.changes:
        return
    lines = lines[:-1]
    if report.format != "github":  # the summary is in the line above
        lines = [f"    {line}" if line else "" for line in lines]
    shown_lines = lines if report.verbosity > 0 else lines[:_DIFF_LINES]
    for line in shown_lines:
        report.note(line)
    if len(shown_lines) < len(lines):
        report.note(
            f"    … {len(lines) - len(shown_lines)} more line(s): --verbose, or "
            "`billing-sdkgen diff OLD NEW`, lists every change"
        )
