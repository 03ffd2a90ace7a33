"""Both model generators for one spec, side by side: ours and datamodel-code-generator (DCG).

`prepare_oracles` starts one DCG process per spec (all in parallel, each a few
hundred milliseconds), generates our package for every spec meanwhile, then
imports both outputs. `SpecOracle.outcome(side, schema, payload)` validates one
payload with one side's model: "accept", "reject", or "crash: ..." (anything but a
pydantic ValidationError, e.g. an unresolvable forward reference).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

# counters the test module fills and tests/oracle/conftest.py prints after the run
STATS: dict[str, int] = {"pairs": 0, "mismatches": 0, "known": 0}

ORACLE_DIR = Path(__file__).resolve().parent
FIXTURE_SPECS_DIR = ORACLE_DIR / "specs"
REAL_SPECS_DIR = ORACLE_DIR.parents[1] / "specs"

# DCG options (datamodel-codegen 0.89.0, see `datamodel-codegen --help` and
# https://koxudaxi.github.io/datamodel-code-generator/cli-reference/):
DCG_OPTIONS = [
    "--input-file-type", "openapi",
    "--openapi-scopes", "schemas",  # component schemas only, as ours
    "--output-model-type", "pydantic_v2.BaseModel",
    "--use-annotated",  # constraints as Annotated[..., Field(...)] ...
    "--field-constraints",  # ... not con* types
    "--snake-case-field",  # wire names kept as aliases, like ours
    "--use-standard-collections",
    "--use-union-operator",
    "--target-python-version", f"{sys.version_info.major}.{sys.version_info.minor}",
    # without it DCG drops OpenAPI 3.0 `nullable: true` on *required* properties and on
    # array items (a required `{type: string, nullable: true}` became plain `str`), which
    # JSON Schema/OpenAPI contradict; with it, required+nullable is `X | None` (no default)
    "--strict-nullable",
    # the keywords of every allOf part (and beside a $ref) apply, as in JSON Schema; without
    # these DCG keeps the last part's keyword, or only the $ref target, and drops the rest
    "--intersect-allof-keywords",
    "--use-site-models-for-constrained-refs",
    "--disable-timestamp",
    "--formatters", "builtin",  # no black/isort run: faster, output is only imported
    "--ignore-pyproject",  # never pick up a [tool.datamodel-codegen] table of the project
]  # fmt: skip


@dataclass(frozen=True)
class SpecUnderTest:
    """One spec the oracle runs on: `key` is the test id (`fixture/…` or `real/…`)."""

    key: str
    path: Path


def specs_under_test() -> list[SpecUnderTest]:
    fixtures = [
        SpecUnderTest(f"fixture/{p.stem}", p) for p in sorted(FIXTURE_SPECS_DIR.glob("*.yaml"))
    ]
    real = [SpecUnderTest(f"real/{p.stem}", p) for p in sorted(REAL_SPECS_DIR.glob("*.yaml"))]
    return fixtures + real


@contextmanager
def dcg_warnings_silenced() -> Iterator[None]:
    """pytest runs with filterwarnings=error; DCG output may warn on import/validation.

    Only pydantic's own UserWarnings about generated field names are silenced
    (e.g. a property called `schema` or `json` shadowing a BaseModel attribute).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Field name .* shadows", category=UserWarning)
        yield


def _import_file(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves forward references through sys.modules
    spec.loader.exec_module(module)
    return module


def _validator(obj: Any) -> Callable[[Any], Any]:
    if isinstance(obj, type) and issubclass(obj, BaseModel):
        return obj.model_validate
    return TypeAdapter(obj).validate_python  # enums and type aliases


def _sending_validator(obj: Any) -> Callable[[Any], Any]:
    """Our models as a request is checked: built, then refused where an optional field that
    may not be null holds None (`_types.check_not_null`, which sending runs: a model holding
    one is built, so that pydantic's `model_validate(m.model_dump())` round-trips)."""
    validate = _validator(obj)
    base = next((c for c in getattr(obj, "__mro__", ()) if c.__name__ == "ApiModel"), None)
    if base is None:
        return validate
    check = sys.modules[base.__module__].check_not_null

    def validate_and_check(payload: Any) -> Any:
        value = validate(payload)
        try:
            check(value)
        except ValueError as exc:  # (a rejection, as `_run` reads pydantic's)
            raise ValidationError.from_exception_data(
                "sending", [{"type": "value_error", "input": payload, "ctx": {"error": exc}}]
            ) from None
        return value

    return validate_and_check


def _run(validate: Callable[[Any], Any], payload: Any) -> str:
    try:
        validate(payload)
    except ValidationError:
        return "reject"
    except Exception as exc:  # a broken model is a finding, not a rejection
        return f"crash: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return "accept"


@dataclass
class SpecOracle:
    """Our models and DCG's for one spec, with component name → class name on each side."""

    spec: SpecUnderTest
    document: dict[str, Any]
    ours: ModuleType
    dcg: ModuleType
    ours_names: dict[str, str]
    dcg_names: dict[str, str]
    _validators: dict[tuple[str, str], Callable[[Any], Any]] = field(default_factory=dict)

    def validator(self, side: str, schema: str) -> Callable[[Any], Any]:
        key = (side, schema)
        if key not in self._validators:
            module, names = (
                (self.ours, self.ours_names) if side == "ours" else (self.dcg, self.dcg_names)
            )
            if side == "dcg":
                with dcg_warnings_silenced():
                    self._validators[key] = _validator(getattr(module, names[schema]))
            else:
                self._validators[key] = _sending_validator(getattr(module, names[schema]))
        return self._validators[key]

    def outcome(self, side: str, schema: str, payload: Any) -> str:
        try:
            validate = self.validator(side, schema)
        except Exception as exc:
            return f"crash: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        if side == "dcg":
            with dcg_warnings_silenced():
                return _run(validate, payload)
        return _run(validate, payload)


def dcg_command(spec_path: Path, output: Path, metadata: Path) -> list[str]:
    return [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(spec_path),
        "--output", str(output),
        "--emit-model-metadata", str(metadata),
        *DCG_OPTIONS,
    ]  # fmt: skip


def _our_class_names(spec_path: Path, package: str) -> dict[str, str]:
    """Component name → our class/alias name, from the generator's own IR."""
    from generator.ir_build import build_api
    from generator.load import join_pointer, load_spec

    api = build_api(load_spec(spec_path), package, spec_path.name)
    by_source = {model.source: model.name for model in api.models}
    schemas = load_spec(spec_path).document.get("components", {}).get("schemas", {})
    return {
        name: by_source[join_pointer("/components/schemas", name)]
        for name in schemas
        if join_pointer("/components/schemas", name) in by_source
    }


def _dcg_class_names(metadata: Path) -> dict[str, str]:
    data = json.loads(metadata.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for model in data.get("models", []):
        path = model.get("source_path") or []
        if len(path) == 3 and path[:2] == ["components", "schemas"]:
            names.setdefault(path[2], model["class_name"])
    return names


@dataclass
class OracleSet:
    """Every spec's oracle, plus what went wrong building some of them."""

    oracles: dict[str, SpecOracle]
    errors: dict[str, str]
    imported: list[str]
    added_paths: list[str]

    def close(self) -> None:
        for name in self.imported:
            for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
                del sys.modules[key]
        for path in self.added_paths:
            if path in sys.path:
                sys.path.remove(path)


def prepare_oracles(specs: list[SpecUnderTest], workdir: Path) -> OracleSet:
    """Generate both sides for every spec (DCG in parallel processes) and import them."""
    from generator.load import load_spec
    from generator.pipeline import generate_package

    run_id = uuid.uuid4().hex[:8]
    processes: dict[str, tuple[subprocess.Popen[bytes], Path, Path, Path]] = {}
    for spec in specs:
        slug = spec.key.replace("/", "_").replace("-", "_")
        out = workdir / f"dcg_{slug}.py"
        meta = workdir / f"dcg_{slug}.json"
        log = workdir / f"dcg_{slug}.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                dcg_command(spec.path, out, meta),
                cwd=workdir,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        processes[spec.key] = (process, out, meta, log)

    oracles: dict[str, SpecOracle] = {}
    errors: dict[str, str] = {}
    imported: list[str] = []
    added: list[str] = []
    ours_by_key: dict[str, tuple[ModuleType, dict[str, str]]] = {}
    for spec in specs:
        package = f"oracle_{spec.key.replace('/', '_').replace('-', '_')}_{run_id}"
        output = workdir / package
        try:
            generate_package(spec.path, output, package_name=package)
        except Exception as exc:
            errors[spec.key] = f"our generator failed: {type(exc).__name__}: {exc}"
            continue
        sys.path.insert(0, str(output))
        added.append(str(output))
        imported.append(package)
        try:
            importlib.import_module(package)
            models = importlib.import_module(f"{package}.models")
        except Exception as exc:  # e.g. a class emitted before the base class it extends
            errors[spec.key] = (
                f"our generated package does not import: {type(exc).__name__}: {exc} "
                f"(see {output / package / 'models.py'})"
            )
            continue
        ours_by_key[spec.key] = (models, _our_class_names(spec.path, package))

    for spec in specs:
        process, out, meta, log = processes[spec.key]
        code = process.wait(timeout=120)
        if code != 0 or not out.exists():
            errors.setdefault(
                spec.key, f"DCG failed ({code}): {log.read_text(errors='replace')[-2000:]}"
            )
            continue
        if spec.key in errors:
            continue
        name = f"dcg_{spec.key.replace('/', '_').replace('-', '_')}_{run_id}"
        try:
            with dcg_warnings_silenced():
                dcg_module = _import_file(out, name)
        except Exception as exc:
            errors[spec.key] = f"DCG output does not import: {type(exc).__name__}: {exc}"
            continue
        imported.append(name)
        models, ours_names = ours_by_key[spec.key]
        oracles[spec.key] = SpecOracle(
            spec=spec,
            document=load_spec(spec.path).document,
            ours=models,
            dcg=dcg_module,
            ours_names=ours_names,
            dcg_names=_dcg_class_names(meta),
        )
    return OracleSet(oracles, errors, imported, added)
