"""The pipeline: load → lint → IR → render → format → write, for one spec."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Location, Severity, SpecError, has_errors


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
        warnings = sum(1 for d in self.diagnostics if not d.is_error)
        return (
            f"{self.operations} operation(s), {self.models} model(s), {self.files} file(s) {state}"
            + (f", {warnings} warning(s)" if warnings else "")
        )


def package_name_for(spec_path: Path) -> str:
    """The default import name for a spec file (`paypal-billing.yaml` → `paypal_billing`)."""
    from .ir_build import default_package_name

    return default_package_name(spec_path.stem)


def generate_package(
    spec_path: Path, output: Path, *, package_name: str | None = None
) -> GenerateResult:
    """Generate the package for `spec_path` into `output`; SpecError when the spec is unusable."""
    from .ir_build import build_api
    from .lint import Profile, lint_spec
    from .load import load_spec

    name = package_name or package_name_for(spec_path)
    if not name.isidentifier() or name.startswith("_"):
        location = Location(str(spec_path))
        message = f"package name {name!r} is not a valid Python import name"
        raise SpecError([Diagnostic("E801", Severity.ERROR, location, message)])
    spec = load_spec(spec_path)
    diagnostics = lint_spec(spec, Profile.GENERATE)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    api = build_api(spec, name, spec_path.name)
    files = render_and_format(api)
    from .write import WriteError, write_tree

    try:
        changed = write_tree(output, files)
    except (WriteError, OSError) as exc:
        raise SpecError(
            [Diagnostic("E802", Severity.ERROR, Location(str(output)), str(exc))]
        ) from None
    return GenerateResult(
        package_name=name,
        diagnostics=tuple(diagnostics),
        files=len(files),
        changed=changed,
        models=len(api.models),
        operations=len(api.operations),
    )


def render_and_format(api: object) -> dict[str, str]:
    """Render the package's files from the IR and format the Python ones."""
    from .format import format_files
    from .ir import Api
    from .render import render_package

    assert isinstance(api, Api)
    return format_files(render_package(api))
