"""The pipeline: load → lint → IR → render → format → write, for one spec."""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import progress
from .diagnostics import (
    Diagnostic,
    Location,
    Severity,
    SpecError,
    has_errors,
    sorted_diagnostics,
)
from .lint_child import (
    Refusal,
    ignore_refusal,
    lint_and_signal,
    lint_file,
    listen_for_refusal,
)
from .options import Options

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

    from .fingerprint import Staleness
    from .ir import Api
    from .load import Spec
    from .module_cache import ModuleCache
    from .release import Release
    from .write import Reuse

PARALLEL_LINT_BYTES = 1_000_000  # specs this large lint in parallel with generation


@dataclass(frozen=True)
class GenerateResult:
    """What one generation did."""

    package_name: str
    diagnostics: tuple[Diagnostic, ...]
    files: int
    changed: bool
    models: int
    operations: int

    @property
    def summary(self) -> str:
        """One line for the terminal."""
        state = "written" if self.changed else "unchanged"
        warnings = sum(1 for d in sorted_diagnostics(self.diagnostics) if not d.is_error)
        return (
            f"{self.operations} operation(s), {self.models} model(s), {self.files} file(s) {state}"
            + (f", {warnings} warning(s)" if warnings else "")
        )


def generate_package(
    spec_path: Path,
    output: Path,
    *,
    package_name: str | None = None,
    options: Options | None = None,
    force: bool = False,
    checked: Staleness | None = None,
) -> GenerateResult:
    """Generate the package for `spec_path` into `output`; SpecError when the spec is unusable.

    Generated files edited (or files added) by hand since the last generation are
    not overwritten without `force`: SpecError (E806) names each of them. `checked`: what
    `fingerprint.staleness` found in `output` just before (no interrupted generation was
    pending), whose check of the generated files is taken instead of reading them again.
    """
    from .ir_build import build_api
    from .lint import Profile, lint_spec
    from .load import load_spec
    from .release import plan_release
    from .write import settle

    options = options or Options()
    try:
        settle(output)
    except OSError as exc:
        raise SpecError(
            [Diagnostic("E802", Severity.ERROR, Location(str(output)), str(exc))]
        ) from None
    # the previous tree's files, verified unchanged: hard-linked where the new ones match
    reuse = None if force else _refuse_hand_changes(output, checked)
    given = _given_name(spec_path, package_name or options.package)
    house_style = options.house_style
    staged: Path | None = None  # where the forked renderers of a large spec wrote its files
    written: set[str] = set()  # the files of `files` already there
    cache: ModuleCache | None = None
    if _is_large(spec_path):
        files, spec_files, name, diagnostics, api, release, staged, cache = _generate_large(
            spec_path, given, options, output, written, reuse
        )
    else:
        from .module_cache import for_generation

        progress.stage("loading the spec")
        spec = load_spec(spec_path, ref_root=options.ref_root)
        spec_files = list(spec.files)  # what the fingerprint covers
        name, notes = _name_and_notes(spec, spec_path, given)
        cache = for_generation(options, name, reuse, output)
        progress.stage("linting")
        diagnostics = lint_spec(spec, Profile.GENERATE, house_style=house_style) + notes
        if has_errors(diagnostics):
            raise SpecError(diagnostics)
        try:
            progress.stage("building the IR")
            api = build_api(spec, name, spec_path.name, diagnostics, options)
            if has_errors(diagnostics):  # what the translation refuses (E811): nothing written
                raise SpecError(diagnostics)
            if cache is not None:
                cache.add(api)
            release = plan_release(output, spec.document, api, options, cache=cache)
            api = replace(api, package_version=release.version)
            progress.stage("rendering and formatting", len(api.operations))
            files = render_and_format(api, options, cache=cache)
        except Exception:
            _raise_structural(diagnostics)
            raise
    release = release.complete()  # (a large spec's diff was computed while it rendered)
    files.update(release.files)
    if release.note is not None:
        diagnostics.append(_version_warning(spec_path, release.note))
    from .fingerprint import CUSTOM_DIR, FINGERPRINT_FILE, file_hashes, stamp_text
    from .write import WriteError, discard_staging, write_tree

    inputs = [spec_path, *spec_files]
    inputs += [Path(p) for p in (options.templates, options.config_file) if p is not None]
    _refuse_inputs_inside(output, inputs, f"{name}/{CUSTOM_DIR}")
    try:
        hashes = file_hashes(files)  # (hashed once: the stamp's, and the cache's records)
        files[FINGERPRINT_FILE] = stamp_text(
            spec_path,
            name,
            spec_files,
            hashes,
            options=options.fingerprint_text(),
            template_override=options.templates,
            module_cache=cache.finish(hashes) if cache is not None else None,
        )
        progress.stage("writing the package")
        changed = write_tree(
            output,
            files,
            keep=[f"{name}/{CUSTOM_DIR}"],
            staged=staged,
            written=written,
            reuse=reuse,
        )
        if cache is not None:
            cache.prune()  # the previous generation's pickled nodes
    except (WriteError, OSError) as exc:
        # an OSError's text is "[Errno 13] Permission denied: '…'": say it as a sentence
        message = (
            str(exc)
            if isinstance(exc, WriteError)
            else f"cannot write the package: {exc.strerror or type(exc).__name__}"
            + (f" ({exc.filename})" if exc.filename else "")
        )
        raise SpecError(
            [Diagnostic("E802", Severity.ERROR, Location(str(output)), message)]
        ) from None
    finally:
        if staged is not None:
            discard_staging(staged)  # unless write_tree used it up
    return GenerateResult(
        package_name=name,
        diagnostics=tuple(diagnostics),
        files=len(files),
        changed=changed,
        models=len(api.models),
        operations=len(api.operations),
    )


def _generate_large(
    spec_path: Path,
    given: str | None,
    options: Options,
    output: Path,
    written: set[str],
    reuse: Reuse | None = None,
) -> tuple[
    dict[str, str],
    list[Path],
    str,
    list[Diagnostic],
    Api,
    Release,
    Path | None,
    ModuleCache | None,
]:
    """A large spec: its lint runs in a child while the IR is built here; children forked
    after the IR render and format the package (a pool formats instead where there is no
    `fork`). Nothing is written before the lint has passed, and its errors come first.
    The lint child starts before the spec is loaded: forked from a small process, it
    shares no pages with the document this process is about to build the IR from.
    The forked renderers write the files into the staging folder returned last (None
    when they did not), and add their paths to `written`, hard-linking what `reuse` holds
    unchanged. The `module_cache` (returned last) lets a regeneration render only the
    modules whose IR changed, and reassemble the previous IR for the API diff instead of
    building it."""
    from .forked import EarlyStart, Forked, can_fork, render_forked
    from .ir_build import build_api
    from .load import load_spec
    from .module_cache import for_generation
    from .release import plan_release
    from .write import begin_staging, discard_staging

    pool: ProcessPoolExecutor | None = None
    early = EarlyStart()  # renders the model modules from the moment the models are final
    lint: Forked[list[Diagnostic]] | Future[list[Diagnostic]]
    release: Release | None = None
    cache: ModuleCache | None = None
    previous: Any = None
    staged: Path | None = None
    if can_fork():
        previous = listen_for_refusal()
        lint = Forked(
            lint_and_signal,
            str(spec_path),
            options.house_style,
            previous is not None,
            options.ref_root,
        )
        if options.formatter == "black":
            with contextlib.suppress(OSError):  # then write_tree writes all, or says why not
                staged = begin_staging(output)
            early.write_to, early.reuse = staged, reuse
    else:
        from concurrent.futures import ProcessPoolExecutor  # (~10 ms: only this path)

        pool = ProcessPoolExecutor(max_workers=2)
        lint = pool.submit(lint_file, str(spec_path), options.house_style, options.ref_root)
        pool.submit(warm_up_formatter)
    try:
        spec_files: list[Path] = []
        name = given or ""
        notes: list[Diagnostic] = []
        ir_warnings: list[Diagnostic] = []
        failure: Exception | None = None
        try:
            try:  # the lint's refusal (LintRefused) may arrive anywhere in here
                if previous is not None:
                    Refusal.arm()
                progress.stage("loading the spec")
                spec = load_spec(spec_path, ref_root=options.ref_root)
                spec_files = list(spec.files)
                name, notes = _name_and_notes(spec, spec_path, given)
                progress.stage("building the IR (linting beside it)")
                on_models = None
                if pool is None and options.formatter == "black" and options.templates is None:
                    # the built-in templates only: an override may read anything of the Api
                    on_models = early.append_started
                    early.cache = for_generation(options, name, reuse, output)
                    cache = early.cache
                api = build_api(spec, name, spec_path.name, ir_warnings, options, on_models)
                if cache is None:
                    cache = for_generation(options, name, reuse, output)
                if cache is not None:
                    cache.add(api)
                # forking renderers: the API diff is computed beside them (`Release.complete`)
                release = plan_release(
                    output,
                    spec.document,
                    api,
                    options,
                    parallel=pool is None,
                    cache=cache,
                )
                api = replace(api, package_version=release.version)
                del spec  # the IR holds what rendering needs: free the document first
                progress.stage("rendering and formatting", len(api.operations))
                if options.formatter != "black":
                    files = render_and_format(api, options)
                elif pool is None:
                    files = render_forked(
                        api,
                        options.templates,
                        early=early.take(),
                        write_to=staged,
                        written=written,
                        reuse=reuse,
                        cache=cache,
                    )
                else:
                    files = render_streaming(api, pool, options)
            finally:
                if previous is not None:
                    signal.signal(signal.SIGUSR1, ignore_refusal)  # the child signals at most once
                    Refusal.armed = False
        except Exception as exc:  # a spec the lint refuses may break the IR: lint first
            failure = exc  # (LintRefused: the lint found errors, the IR was stopped)
        progress.stage("waiting for the lint")
        diagnostics = lint.result() + notes + ir_warnings
    except BaseException:
        if staged is not None:
            discard_staging(staged)
        if release is not None:
            release.close()
        raise
    finally:
        early.close()  # unless render_forked took it: the IR failed, or the lint refused
        if isinstance(lint, Forked):
            lint.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if previous is not None:
            signal.signal(signal.SIGUSR1, previous)
    if has_errors(diagnostics) or failure is not None:
        if staged is not None:
            discard_staging(staged)
        if release is not None:
            release.close()
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    if failure is not None:
        _raise_structural(diagnostics)
        raise failure
    assert release is not None  # built whenever nothing failed
    return files, spec_files, name, diagnostics, api, release, staged, cache


def _refuse_hand_changes(output: Path, checked: Staleness | None = None) -> Reuse | None:
    """SpecError (E806, one per file) when generated files were edited or added by hand;
    else the previous tree's files as the stamp records them, now verified (`write.Reuse`),
    or None when there is no previous generation. `checked`: that verification, made just
    before (`generate_package`)."""
    from .fingerprint import file_changes, read_stamp
    from .write import Reuse

    stamp = read_stamp(output)
    if stamp is None:
        _refuse_unstamped(output)
        return None
    if checked is not None and checked.files_checked:
        changed = checked
    else:
        changed = file_changes(output, stamp)
    if not changed.hand_changes:
        recorded = stamp.get("files")
        hashes = {str(k): str(v) for k, v in recorded.items()} if isinstance(recorded, dict) else {}
        return Reuse(output.resolve(), hashes, stamp)
    hint = f"move the code into {stamp.get('package')}/_custom/, or pass --force to overwrite"
    found = []
    for relative in changed.hand_changes:
        if relative in changed.edited:
            message = "edited by hand since the last generation: regenerating would overwrite it"
        else:
            message = "added by hand since the last generation: regenerating would delete it"
        location = Location(str(output / relative))
        found.append(Diagnostic("E806", Severity.ERROR, location, message, hint))
    raise SpecError(found)


def _refuse_unstamped(output: Path) -> None:
    """E806 when `output` is a generated folder (its pyproject.toml says so) whose stamp is
    missing or unreadable: which files are generated and which are the user's cannot be told,
    and the folder would be replaced whole, files added by hand deleted (gencli audit: a
    stamp left with merge-conflict markers, or deleted, turned the hand-edit check off)."""
    from .fingerprint import FINGERPRINT_FILE
    from .write import looks_generated

    if not looks_generated(output):
        return  # (a new or empty folder; a foreign one is refused when written)
    message = (
        "no readable generation stamp: the generated files cannot be told from yours, and"
        " regenerating would replace the whole folder"
    )
    hint = "restore the stamp (from version control), or pass --force to replace the folder"
    location = Location(str(output / FINGERPRINT_FILE))
    raise SpecError([Diagnostic("E806", Severity.ERROR, location, message, hint)])


def _raise_structural(diagnostics: list[Diagnostic]) -> None:
    """The generate profile lets metaschema violations (E201) through as warnings; when
    the IR then fails on the document, they were the cause: report them as errors."""
    structural = [d for d in diagnostics if d.code == "E201"]
    if structural:
        raise SpecError([replace(d, severity=Severity.ERROR) for d in structural]) from None


def _refuse_inputs_inside(output: Path, inputs: list[Path], keep: str) -> None:
    """E802 when the spec, a file it references, the templates folder or the configuration
    file lies in the output folder (outside the folder kept across generations): writing the
    package would delete it, `--force` or not (hostile audits 14, 15: `generate
    o3/api/spec.yaml --output o3 --force` removed `o3/api/`; `o/tpl/` went the same way)."""
    root = output.resolve()
    kept = root / keep
    for path in inputs:
        where = Path(path).resolve()
        if where.is_relative_to(root) and not where.is_relative_to(kept):
            message = (
                f"the output folder holds {where.relative_to(root)}, an input of this"
                " generation: writing the package would delete it"
            )
            hint = "generate into another folder, or move it out of this one"
            raise SpecError(
                [Diagnostic("E802", Severity.ERROR, Location(str(output)), message, hint)]
            )


def _given_name(spec_path: Path, package_name: str | None) -> str | None:
    """The import name when it is known before loading; E801 when the given one is unsafe."""
    from .distribution import needs_title, package_name_problem, suggest_package_name
    from .naming import package_name as styled_name

    if package_name is None:
        return None if needs_title(spec_path.stem) else styled_name(spec_path.stem)
    problem = package_name_problem(package_name)
    if problem is None:
        return package_name
    message = f"package name {package_name!r} {problem}"
    hint = f"choose another, for example --package-name {suggest_package_name(package_name)}"
    raise SpecError([Diagnostic("E801", Severity.ERROR, Location(str(spec_path)), message, hint)])


def _name_and_notes(spec: Spec, spec_path: Path, given: str | None) -> tuple[str, list[Diagnostic]]:
    """The import name (from `info.title` when not `given`) and warnings about name and version."""
    from .distribution import default_package_name, pep440_version

    info = spec.document.get("info")
    info = info if isinstance(info, dict) else {}
    notes = []
    name = given
    if name is None:
        title = info.get("title")
        name, note = default_package_name(spec_path.stem, title if isinstance(title, str) else None)
        if note is not None:
            message = f"{note}: the package is named {name!r}, from info.title"
            notes.append(spec.diagnostic("W804", "/info/title", message, warning=True))
    version = str(info.get("version") or "0.0.0")
    used, problem = pep440_version(version)
    if problem is not None:
        message = f"info.version {version[:80]!r} is not a PEP 440 version: the package is versioned {used}"
        if used != "0.0.0":
            message += " (the version it begins with)"
        notes.append(spec.diagnostic("W805", "/info/version", message, warning=True))
    return name, notes


def _version_warning(spec_path: Path, note: str) -> Diagnostic:
    """W807 at the spec's `info.version` (its root file read again: a large spec's document
    is freed before its diff is known, and this is rare)."""
    from .load import read_source

    pointer = "/info/version"
    try:
        source = read_source(spec_path)
        line, col = source.position(pointer)
        where = Location(source.display, line, col, pointer)
    except (SpecError, OSError):
        where = Location(str(spec_path), pointer=pointer)
    return Diagnostic("W807", Severity.WARNING, where, note)


def _is_large(spec_path: Path) -> bool:
    """A spec worth a process pool: at least PARALLEL_LINT_BYTES, and two cores."""
    try:
        size = spec_path.stat().st_size
    except OSError:
        return False  # load_spec reports it
    return size >= PARALLEL_LINT_BYTES and (os.cpu_count() or 1) >= 2


def warm_up_formatter() -> None:
    """Import the formatter and black in a worker before the first batch arrives."""
    from .format import format_source

    format_source("x = 1\n")


def render_streaming(api: Api, pool: Executor, options: Options | None = None) -> dict[str, str]:
    """Render here while the pool formats what is already rendered (black), or render
    everything and format it after (another formatter)."""
    from .format import FormatStream
    from .render import iter_render

    options = options or Options()
    if options.formatter != "black":
        return render_and_format(api, options)
    stream = FormatStream(pool)
    for path, text in iter_render(api, options.templates):
        stream.add(path, text)
    return stream.result()


def render_and_format(
    api: Api,
    options: Options | None = None,
    pool: Executor | None = None,
    cache: ModuleCache | None = None,
) -> dict[str, str]:
    """Render the package's files from the IR and format the Python ones; with a `cache`,
    a module whose IR did not change since the previous generation is that file again."""
    from .format import format_files
    from .formatters import format_with
    from .render import render_jobs

    options = options or Options()
    files: dict[str, str] = {}
    reused: dict[str, str] = {}
    for path, job in render_jobs(api, options.templates):
        previous = None if cache is None else cache.unchanged(path)
        if previous is None:
            files[path] = job()
        else:
            files[path], reused[path] = "", previous
    if options.formatter == "black":
        formatted = format_files({p: t for p, t in files.items() if p not in reused}, pool)
    else:
        formatted = format_with(options.formatter, files, options.config_file or api.spec_file)
    return {path: reused[path] if path in reused else formatted[path] for path in files}
