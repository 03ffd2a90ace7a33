"""The generate profile: metaschema details are warnings, found on peers' and real specs;
only what makes a correct package impossible is refused (issue 13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Severity, SpecError
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, write_spec

INFO = {"title": "Lenient", "version": "1"}
CASES: dict[str, dict[str, Any]] = {
    # datamodel-code-generator's test specs: schemas only, no info, no paths
    "no-info-no-paths": {
        "openapi": "3.0.3",
        "components": {
            "schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}
        },
    },
    # googleapis cloudbuild: an unknown top-level key
    "unknown-top-level-key": {"openapi": "3.1.0", "info": INFO, "paths": {}, "source": "x"},
    # `const` and a boolean exclusiveMaximum where the version does not allow them
    "const-in-3.0": {
        "openapi": "3.0.3",
        "info": INFO,
        "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"const": 3}}}}},
    },
    # a response schema that is not a schema, and responses that are a list
    "broken-responses": {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {
                        "200": {"description": "x", "content": {"application/json": {"schema": 5}}}
                    },
                }
            },
            "/b": {"get": {"operationId": "getB", "responses": []}},
        },
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_lint_refuses_and_generate_builds(
    case: str, tmp_path: Path, build_package: BuildPackage
) -> None:
    path = write_spec(tmp_path, CASES[case], "spec.json")
    strict = lint_spec(load_spec(path), Profile.STRICT)
    assert any(d.code == "E201" and d.severity is Severity.ERROR for d in strict)
    lenient = lint_spec(load_spec(path), Profile.GENERATE)
    assert [d for d in lenient if d.code == "E201"]
    assert all(d.severity is Severity.WARNING for d in lenient if d.code == "E201")
    build_package(CASES[case], filename="spec.json")  # generates, imports, every model builds


def test_a_document_the_ir_cannot_translate_reports_its_structural_errors(
    tmp_path: Path,
) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {},
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": 5, "required": "x", "allOf": {"a": 1}}
            }
        },
    }
    path = write_spec(tmp_path, spec, "spec.json")
    with pytest.raises(SpecError) as raised:
        generate_package(path, tmp_path / "out", package_name="broken")
    errors = [d for d in raised.value.diagnostics if d.severity is Severity.ERROR]
    assert errors and {d.code for d in errors} == {"E201"}
    assert "is not of type 'array'" in errors[0].message and errors[0].location.line == 1
    assert not (tmp_path / "out").exists()
