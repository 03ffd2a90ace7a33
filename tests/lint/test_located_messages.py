"""Every diagnostic is a real location and a sentence: no exception text at 1:1 (issue 13).

Each case here used to print a converter's or validator's exception (`ValueError: invalid
literal for int()`, an `E900 internal error (KeyError: 'maybe')`, `structural validation
could not complete: …`), or put an error about one key at the start of the document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import structure
from generator.diagnostics import SpecError
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package

from ._helpers import run_lint

EXCEPTION_TEXT = re.compile(r"\b\w*(Error|Exception)\b|could not complete|Traceback")


@pytest.mark.parametrize(
    ("line", "col", "text", "message"),
    [
        (2, 10, "!!int abc", "invalid YAML: 'abc' cannot be read as !!int"),
        (2, 10, "!!float 1.2.3", "invalid YAML: '1.2.3' cannot be read as !!float"),
        (2, 10, "!!bool maybe", "invalid YAML: 'maybe' cannot be read as !!bool"),
    ],
)
def test_an_explicit_tag_that_cannot_be_read_is_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, line: int, col: int, text: str, message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(f"openapi: 3.1.0\nversion: {text}\n", encoding="utf-8")
    result = run_lint(capsys, path)
    assert result.codes == ["E002"], result.out
    reported = result.reported[0]
    assert (reported.line, reported.col, reported.message) == (line, col, message)
    assert not EXCEPTION_TEXT.search(reported.message)


NOT_JSON = [  # YAML 1.1 types outside the core schema: bytes, datetimes, sets, tuples
    ("x-data: !!binary aGVsbG8=", "!!binary", 9),
    ("x-data: !!timestamp 2001-12-14", "!!timestamp", 9),
    ("x-data: !!timestamp nope", "!!timestamp", 9),
    ("x-data: !!set {a, b}", "!!set", 9),
    ("x-data: !!omap [a: 1, b: 2]", "!!omap", 9),
    ("x-data: !!pairs [a: 1, a: 2]", "!!pairs", 9),
    ("components: {schemas: {S: {type: string, default: !!binary aGVsbG8=}}}", "!!binary", 51),
]
HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: []\npaths: {}\n"


@pytest.mark.parametrize(("text", "tag", "col"), NOT_JSON)
def test_a_tag_that_makes_no_json_value_is_refused_where_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, tag: str, col: int
) -> None:
    """`!!binary` passed lint and made generate print `E900 internal error (TypeError: Object
    of type bytes is not JSON serializable)`; so did `!!timestamp` and `!!set`."""
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + text + "\n", encoding="utf-8")
    result = run_lint(capsys, path)
    assert result.codes == ["E002"], result.out
    reported = result.reported[0]
    assert (reported.line, reported.col) == (5, col)
    assert reported.message.startswith(f"invalid YAML: {tag} is not allowed")
    with pytest.raises(SpecError) as raised:
        generate_package(path, tmp_path / "out")
    found = raised.value.diagnostics
    assert [(d.code, d.location.line, d.location.col) for d in found] == [("E002", 5, col)]
    assert found[0].message == reported.message


def test_unquoted_dates_are_strings(tmp_path: Path) -> None:
    """YAML 1.2's core schema has no timestamps: an unquoted date or date-time in a default
    or an example is the string written, not a datetime (which no JSON tool reads)."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        HEAD + "components:\n  schemas:\n    S:\n      type: object\n      properties:\n"
        "        at: {type: string, default: 2001-12-14t21:59:43.10-05:00, example: 2002-12-14}\n"
        "        on: {type: string, format: date, default: 2002-12-14}\n",
        encoding="utf-8",
    )
    schema = load_spec(path).document["components"]["schemas"]["S"]["properties"]
    assert schema["at"]["default"] == "2001-12-14t21:59:43.10-05:00"
    assert schema["at"]["example"] == schema["on"]["default"] == "2002-12-14"
    result = generate_package(path, tmp_path / "out")
    assert not [d for d in result.diagnostics if d.is_error]
    module = (tmp_path / "out" / result.package_name / "models" / "s.py").read_text("utf-8")
    assert 'at: str | None = Field(default="2001-12-14t21:59:43.10-05:00")' in module


def test_an_unknown_key_is_located_at_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "# a comment\nopenapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: []\n"
        "paths: {}\nsource: cloudbuild\n",
        encoding="utf-8",
    )
    result = run_lint(capsys, path)
    assert result.codes == ["E201"]
    assert (result.reported[0].line, result.reported[0].col) == (6, 1)
    assert result.reported[0].raw.endswith("(#/source)")


def test_a_schema_error_behind_a_reference_alternative_is_found(tmp_path: Path) -> None:
    """3.0: a Schema Object that is wrong inside was "{…} is not valid under any of the given
    schemas" at the response; it is now the wrong key itself."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: []\npaths:\n  /a:\n"
        "    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema:\n"
        "                type: object\n                const: 5\n",
        encoding="utf-8",
    )
    found = [d for d in lint_spec(load_spec(path)) if d.code == "E201"]
    assert [(d.location.line, d.location.col) for d in found] == [(14, 17)]
    assert found[0].location.pointer.endswith("/schema/const")
    assert "not valid under any of the given schemas" not in found[0].message


def test_when_the_detailed_check_fails_the_fast_one_locates_the_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validator failing on an input it cannot handle (the issue's `'paths'`, a recursion
    limit) no longer yields its exception text at 1:1: jsonschema-rs's errors are reported."""

    def broken(spec: object) -> object:
        raise KeyError("paths")

    monkeypatch.setattr(structure, "_structural_errors", broken)
    path = tmp_path / "spec.yaml"
    path.write_text("openapi: 3.0.0\ninfo:\n  title: t\npaths:\n", encoding="utf-8")
    found = [d for d in lint_spec(load_spec(path)) if d.code == "E201"]
    assert {(d.location.line, d.location.pointer) for d in found} == {(2, "/info"), (4, "/paths")}
    assert not any(EXCEPTION_TEXT.search(d.message) for d in found)

    def fast_broken(metaschema: str) -> object:
        raise RecursionError

    monkeypatch.setattr(structure, "_fast_validator", fast_broken)
    (only,) = [d for d in lint_spec(load_spec(path)) if d.code == "E201"]
    assert only.message.startswith("the document could not be checked against the OpenAPI 3.0")
    assert not EXCEPTION_TEXT.search(only.message)


def test_the_summary_of_too_many_errors_is_located_at_the_first_unreported(
    tmp_path: Path,
) -> None:
    schemas = "\n".join(f"    s{i:03d}: {{type: bogus}}" for i in range(120))
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: []\npaths: {}\n"
        f"components:\n  schemas:\n{schemas}\n",
        encoding="utf-8",
    )
    found = [d for d in lint_spec(load_spec(path), Profile.GENERATE) if d.code == "E201"]
    summary = [d for d in found if d.message.startswith("more than 100 structural errors")]
    assert len(summary) == 1, [d.message for d in found][-3:]
    assert summary[0].location.pointer == "/components/schemas/s100/type"
    assert summary[0].location.line == 107
