"""The `diff` command: what a new spec changes in the generated Python API (see `apidiff`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_report import Reporter
from .diagnostics import SpecError

if TYPE_CHECKING:
    from .options import Options


def run_diff(
    old_spec: str,
    new_spec: str | None,
    against: str | None,
    output_format: str,
    verbosity: int = 0,
    config_file: str | None = None,
) -> int:
    """Compare the Python API of two specs, each generated with the options the
    configuration (`config_file`, else the nearest pyproject.toml's) gives the new spec (its
    renames, selections, overrides, as `check` does); 1 when a change is breaking, 2 when
    unusable."""
    import tempfile

    from .apidiff import diff_apis, load_surfaces
    from .apidiff_git import GitError, spec_at_revision
    from .apidiff_report import render
    from .commands import guarded

    diagnostics_format = "github" if output_format == "github" else "text"
    if against is not None and new_spec is not None:
        print("diff: give one SPEC with --against, or OLD and NEW", file=sys.stderr)
        return 2
    if against is None and new_spec is None:
        print("diff: give OLD and NEW specs, or SPEC --against REF", file=sys.stderr)
        return 2
    options = _options(config_file, Path(old_spec if new_spec is None else new_spec))
    if options is None:
        return 2
    with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as scratch:
        ref_roots = [options.ref_root, options.ref_root]
        if against is not None:
            # the ref-root's files at REF, under a folder that stands for it (only the spec's
            # folder was written out: the old spec then lay out of the ref-root)
            try:
                old_path, new_path = (
                    str(spec_at_revision(old_spec, against, Path(scratch), options.ref_root)),
                    old_spec,
                )
            except GitError as exc:
                print(f"diff: {exc}", file=sys.stderr)
                return 2
            ref_roots[0] = None if options.ref_root is None else Path(scratch)
        else:
            old_path, new_path = old_spec, new_spec or ""
        try:
            surfaces = load_surfaces([old_path, new_path], options, ref_roots)
            # (comparing and rendering: a failure no stage foresaw is E900, no traceback)
            diff = guarded(new_path, lambda: diff_apis(surfaces[0], surfaces[1]))
            text = guarded(new_path, lambda: render(diff, output_format))
        except SpecError as exc:
            report = Reporter(diagnostics_format, verbosity)
            report.diagnostics(exc.diagnostics)
            errors = sum(1 for d in exc.diagnostics if d.is_error)
            print(f"diff: unusable spec: {errors} error(s)", file=sys.stderr)
            return 2
    sys.stdout.write(text)
    return 1 if diff.breaking else 0


def _options(config_file: str | None, spec: Path) -> Options | None:
    """The options the configuration gives `spec` (defaults without one); None, after
    saying why, when the configuration is invalid."""
    from .config import find_config, load_config

    path = Path(config_file) if config_file else find_config(Path.cwd())
    try:
        return load_config(path).options_for(spec)
    except SpecError as exc:
        Reporter("text", 0).diagnostics(exc.diagnostics)
        print(f"diff: {path}: invalid configuration", file=sys.stderr)
        return None
