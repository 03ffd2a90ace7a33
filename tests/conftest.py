"""Shared fixtures: build a package from an inline spec and import it."""

from __future__ import annotations

import difflib
import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SPECS_DIR = ROOT / "specs"
GENERATED_DIR = ROOT / "generated"
GOLDEN_SPECS_DIR = ROOT / "tests" / "golden" / "specs"
GOLDEN_DIR = ROOT / "tests" / "golden" / "packages"
KITCHEN_SINK_PACKAGES = ("kitchen_sink_30", "kitchen_sink_31")
# OpenAPI 3.2's kitchen sink: what 3.2 adds (tests/test_kitchen_sink_32.py), not the 3.0/3.1 one
KITCHEN_SINK_32 = "kitchen_sink_32"
BILLING_PACKAGES = {
    "partner-center-billing": "partner_center_billing",
    "paypal-billing-entities": "paypal_billing_entities",
    "billingplatform-billing-profile": "billingplatform_billing_profile",
    "abillity-billing-information": "abillity_billing_information",
}

# property tests are derandomized in CI (`.ci/run` sets CI=true): a run that does not land
# is one that a change broke, not one that drew a new example; local runs keep exploring
# (a local run found `https://xn--`, which the origin test's reference did not handle)
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# the committed generated packages (billing and kitchen sinks) are importable in every test
for _package_dir in [*sorted(GENERATED_DIR.glob("*")), *sorted(GOLDEN_DIR.glob("*"))]:
    if _package_dir.is_dir() and str(_package_dir) not in sys.path:
        sys.path.insert(0, str(_package_dir))


def write_spec(directory: Path, spec: dict[str, Any] | str, filename: str = "spec.yaml") -> Path:
    """Write an inline spec (a dict, or YAML/JSON text) into `directory`."""
    path = directory / filename
    if isinstance(spec, str):
        path.write_text(spec, encoding="utf-8")
    elif filename.endswith(".json"):
        path.write_text(json.dumps(spec), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


BuildPackage = Callable[..., ModuleType]


def assert_package_builds(package: ModuleType) -> None:
    """Every exported model fully builds and every operation's type hints resolve.

    Models load lazily (`defer_build`), so importing a package proves little: this
    touches each model, rebuilds it with `raise_errors=True` (a class whose types
    cannot be resolved fails here), builds a `TypeAdapter` for each alias, and
    resolves the hints of every public method of the clients (with the models as locals).
    """
    import enum
    import inspect
    import pkgutil
    import typing

    from pydantic import BaseModel, TypeAdapter

    models = importlib.import_module(f"{package.__name__}.models")
    values = [getattr(models, name) for name in models.__all__]
    # subclasses first: a base built first resolves the annotations its subclasses inherit,
    # which would hide a subclass module that cannot resolve them on its own
    classes = [v for v in values if isinstance(v, type) and issubclass(v, BaseModel)]
    for cls in sorted(classes, key=lambda c: -len(c.__mro__)):
        # an empty namespace, not this frame's: a model's names resolve in its own module
        # only, as at first use (a schema named `TypeAdapter` or `models` resolved here)
        cls.model_rebuild(force=True, raise_errors=True, _types_namespace={})
    for name, value in zip(models.__all__, values, strict=True):
        if isinstance(value, type) and issubclass(value, BaseModel):
            continue
        if isinstance(value, type) and issubclass(value, enum.Enum):
            assert list(value), f"{name}: an enum without members"
        else:
            TypeAdapter(value)
    owners: list[type] = [package.Client, package.AsyncClient]
    resources = importlib.import_module(f"{package.__name__}.resources")
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"{resources.__name__}.{info.name}")
        owners.extend(getattr(module, name) for name in module.__all__)
    for client in owners:
        for name, member in inspect.getmembers(client, inspect.isfunction):
            if not name.startswith("_"):
                # as runtime tools resolve them (`pydantic.validate_call`, FastAPI, sphinx):
                # by the method's own module, whose models load lazily (install audit)
                typing.get_type_hints(member)


def assert_package_passes_checkers(package: ModuleType, cache: Path) -> None:
    """`ruff check` (with the package's own configuration) and `mypy --strict` find nothing
    in a package `build_package` made, as tests/test_typecheck.py checks the committed ones;
    `cache` is mypy's cache folder."""
    assert package.__file__ is not None
    project = Path(package.__file__).parents[1]
    for command in (
        ["ruff", "check", "--no-cache", "."],
        ["mypy", "--strict", "--cache-dir", str(cache), package.__name__],
    ):
        result = subprocess.run(
            [sys.executable, "-m", *command],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def recording(
    answer: Callable[[Any], Any] | None = None,
) -> tuple[Any, list[Any]]:
    """An `httpx.Client` on a `MockTransport` that keeps every request it is sent (in the
    list returned with it) and answers `answer(request)`, else 204 No Content."""
    import httpx

    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request) if answer is not None else httpx.Response(204)

    return httpx.Client(transport=httpx.MockTransport(handler)), sent


def method(client: Any, dotted: str) -> Any:
    """The method `client.customers.sources.list` named by `customers.sources.list`."""
    target = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def raw_method(client: Any, dotted: str) -> Any:
    """The raw-response twin of `method(client, dotted)` (`….with_raw_response.list`)."""
    resource, _, name = dotted.rpartition(".")
    return getattr(method(client, resource).with_raw_response, name)


# files black has already left unchanged in this process, by their text after the header
# comment: most of a package is the runtime, copied verbatim under a header naming the
# package, and black took ~1.5 s a package on those same ~30 files each time
_BLACK_STABLE: set[tuple[int, str]] = set()
# a header line black leaves as it is: a space after `#`, no trailing white space
_PLAIN_COMMENT = re.compile(r"# \S(?:[^\r\n]*\S)?")


def _black_key(text: str) -> tuple[int, str] | None:
    """The header's line count and the digest of what follows it; None when a header line
    is one black would rewrite (then the whole file is checked every time)."""
    lines = text.split("\n")
    count = 0
    while count < len(lines) and lines[count].startswith("#"):
        if not _PLAIN_COMMENT.fullmatch(lines[count]):
            return None
        count += 1
    rest = "\n".join(lines[count:])
    return count, hashlib.sha256(rest.encode("utf-8", "surrogatepass")).hexdigest()


def assert_black_stable(output: Path) -> None:
    """Every .py file is exactly what black would write for the whole file.

    The generator writes black's style itself and hands black only the top-level
    statements that need it, one at a time: this checks both against black. A text
    already checked in this process (its code byte for byte, under another header of
    plain comment lines: black does not touch those) is not checked again.
    """
    from generator.format import format_source

    for path in sorted(output.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        key = _black_key(text)
        if key is not None and key in _BLACK_STABLE:
            continue
        formatted = format_source(text)
        if formatted != text:
            diff = "".join(
                difflib.unified_diff(
                    text.splitlines(True), formatted.splitlines(True), str(path), "black", n=1
                )
            )
            raise AssertionError(f"black would change {path.name}:\n{diff[:3000]}")
        if key is not None:
            _BLACK_STABLE.add(key)


@pytest.fixture
def build_package(tmp_path: Path) -> Iterator[BuildPackage]:
    """Generate a package from an inline spec into tmp_path, import it, return the module."""
    imported: list[str] = []
    added_paths: list[str] = []

    def build(spec: dict[str, Any] | str, *, filename: str = "spec.yaml") -> ModuleType:
        from generator.pipeline import generate_package

        # (a letter among the digits: twelve digits in a row, one package in ~280, are
        # masked in error messages as a card number would be, and a message naming the
        # package's variable did not match)
        digits = uuid.uuid4().hex[:12]
        name = f"pkg_{digits[:6]}x{digits[6:]}"
        spec_dir = tmp_path / f"spec_{name}"
        spec_dir.mkdir()
        spec_path = write_spec(spec_dir, spec, filename)
        output = tmp_path / name
        generate_package(spec_path, output, package_name=name)
        assert_black_stable(output)
        sys.path.insert(0, str(output))
        added_paths.append(str(output))
        imported.append(name)
        module = importlib.import_module(name)
        assert_package_builds(module)
        return module

    yield build
    for name in imported:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    for path in added_paths:
        if path in sys.path:
            sys.path.remove(path)


def round_trip_paths(path: str, operation_id: str, resource: str, schema: str) -> dict[str, Any]:
    """`paths` of one POST that sends the component `schema` as its required JSON body and
    answers 200 with it: what a test of a schema's values both ways needs."""
    ref = {"$ref": f"#/components/schemas/{schema}"}
    json_ref = {"application/json": {"schema": ref}}
    operation = {
        "operationId": operation_id,
        "x-sdk-resource": resource,
        "requestBody": {"required": True, "content": json_ref},
        "responses": {"200": {"description": f"The {schema}.", "content": json_ref}},
    }
    return {path: {"post": operation}}


def minimal_spec(
    schemas: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
    *,
    version: str = "3.1.0",
    security_schemes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A valid spec around the given component schemas and paths."""
    spec: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "Test API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }
    if security_schemes:
        spec["components"]["securitySchemes"] = security_schemes
        spec["security"] = [{name: []} for name in security_schemes]
    return spec
