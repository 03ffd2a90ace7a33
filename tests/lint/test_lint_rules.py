"""Every lint rule against a small broken fixture: exact code, exact line, message, exit status.

Each fixture in `fixtures/` is otherwise clean, so the STRICT profile (the `lint`
command) reports exactly its own diagnostic. Line numbers were counted by hand
in the fixture: the line of the offending key (or of the `- ` item for a list
entry, of the operation's method key for operation-level rules).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ._helpers import FIXTURES, run_lint

# (fixture, code, line, message substring)
RULE_CASES = [
    # load errors
    ("E002_bad_yaml.yaml", "E002", 4, "invalid YAML: mapping values are not allowed"),
    ("E002_bad_json.json", "E002", 10, "invalid JSON: Expecting ',' delimiter"),
    ("E003_top_level_list.yaml", "E003", 1, "the top level is not a mapping"),
    ("E003_swagger2.yaml", "E003", 1, "Swagger 2.0 is not supported"),
    ("E003_openapi_2x_version.yaml", "E003", 5, "unsupported OpenAPI version '2.0.0'"),
    ("E003_openapi_4x_version.yaml", "E003", 3, "unsupported OpenAPI version '4.0.0'"),
    ("E003_no_openapi_field.yaml", "E003", 1, "no 'openapi' version field"),
    (
        "E002_duplicate_key.yaml",
        "E002",
        30,
        "duplicate key 'type' (first at line 29, again at line 30)",
    ),
    ("E004_long_integer.yaml", "E004", 30, "integer literal with 1,001 digits: the limit is 1,000"),
    # $ref errors
    ("E101_remote_ref.yaml", "E101", 18, "remote $ref 'https://example.com/x.yaml#/A' refused"),
    (
        "E102_subfolder/E102_ref_outside_folder.yaml",
        "E102",
        18,
        "$ref '../outside.yaml' leaves the spec's folder",
    ),
    ("E103_missing_file.yaml", "E103", 18, "file no-such-file.yaml not found"),
    ("E104_circular/E104_circular_inline_ref.yaml", "E104", 3, "$ref '#/pets' is circular"),
    (
        "E105_unresolved_local_ref.yaml",
        "E105",
        18,
        "$ref '#/components/schemas/Missing' does not resolve",
    ),
    ("E106_long_ref_chain.yaml", "E106", 28, "chain of 66 schemas referencing one another"),
    (
        "E108_circular_alias.yaml",
        "E108",
        30,
        "circular $ref with no schema in it: Animal → Pet → Animal",
    ),
    ("E107_allof_cycle.yaml", "E107", 31, "'Animal' includes itself through allOf"),
    (
        "W112_discriminator_property_undeclared.yaml",
        "W112",
        33,
        "discriminator property 'kind' is declared by none of the oneOf members: ignored",
    ),
    (
        "E111_wrong_ref_kind.yaml",
        "E111",
        13,
        "$ref '#/components/schemas/Limit' points at a schema where a parameter is expected",
    ),
    # structure
    ("E201_structural.yaml", "E201", 3, "'version' is a required property"),
    # operations
    ("E301_missing_operation_id.yaml", "E301", 10, "GET /pets has no operationId"),
    (
        "E302_duplicate_operation_id.yaml",
        "E302",
        18,
        "fixtures/E302_duplicate_operation_id.yaml:11:7",
    ),
    ("E303_undeclared_path_param.yaml", "E303", 10, "path parameter {petId} of '/pets/{petId}'"),
    (
        "E304_extra_path_param.yaml",
        "E304",
        13,
        "'petId' does not appear in the path template '/pets'",
    ),
    ("E309_query_in_path_template.yaml", "E309", 11, "{q} in the query part of '/pets?q={q}'"),
    # tags (3.2 hierarchy)
    ("E305_unknown_tag_parent.yaml", "E305", 9, "names parent 'animals', which is not a declared"),
    ("E306_tag_parent_cycle.yaml", "E306", 7, "tags 'pets' → 'cats' → 'pets' form a cycle"),
    # examples and defaults
    ("E401_invalid_example.yaml", "E401", 17, "'ten' is not of type 'integer'"),
    ("E401_invalid_example_format.yaml", "E401", 18, "'2023-01-15' is not a 'date-time'"),
    ("E401_external/root.yaml", "E401", 6, "'seven' is not of type 'integer'"),
    ("E402_invalid_default.yaml", "E402", 18, "0 is less than the minimum of 1"),
    ("W403_unsupported_pattern.yaml", "W403", 30, "pattern '(?<=a)b' is not checked"),
    ("W404_check_budget.yaml", "W404", 29, "takes more than the limit of 1,500,000 steps"),
    ("W406_lone_surrogate.json", "W406", 48, "const holds a lone surrogate"),
    ("W407_nan_bound.yaml", "W407", 30, "`maximum` is NaN, which no number compares with"),
    ("W408_unenforced_keyword.yaml", "W408", 30, "`not` is not enforced by the models"),
    (
        "W409_enum_off_type.yaml",
        "W409",
        31,
        "enum values 1 (integer), 2 (integer) are not of type string",
    ),
    ("W410_huge_enum.yaml", "W410", 31, "an enum of 5,001 values is a Literal type"),
    (
        "W109_mapping_names_nothing.yaml",
        "W109",
        31,
        "discriminator mapping 'bird' → '#/components/schemas/Bird' names no schema",
    ),
    ("W202_server_default_outside_enum.yaml", "W202", 10, "default 'zz' is not among its enum"),
    (
        "W317_same_paths.yaml",
        "W317",
        19,
        "path '/users/{name}' names the same paths as '/users/{id}'",
    ),
    # responses, components, security
    ("E501_no_4xx_response.yaml", "E501", 12, "GET /pets documents no 4xx response"),
    ("W601_unused_component.yaml", "W601", 24, "component schemas/Unused is never referenced"),
    (
        "W108_content_type_header_ref.yaml",
        "W108",
        17,
        "a `$ref` in a `Content-Type` header of a response or an encoding is not followed",
    ),
    ("E701_no_security.yaml", "E701", 8, "GET /pets declares no security requirement"),
    (
        "E702_unknown_security_scheme.yaml",
        "E702",
        13,
        "names 'oauth', which components.securitySchemes",
    ),
]

# fixtures whose diagnostic is located in another file than the one linted
DIAGNOSTIC_FILE = {
    "E104_circular/E104_circular_inline_ref.yaml": "E104_circular/items.yaml",
    "E401_external/root.yaml": "E401_external/schemas/pet.yaml",
}

CLEAN_FIXTURES = ["clean.yaml", "multi/root.yaml"]


@pytest.mark.parametrize(
    ("fixture", "code", "line", "message"),
    RULE_CASES,
    ids=[case[0] for case in RULE_CASES],
)
def test_rule(
    capsys: pytest.CaptureFixture[str], fixture: str, code: str, line: int, message: str
) -> None:
    path = FIXTURES / fixture
    result = run_lint(capsys, path)
    assert result.codes == [code], result.out
    reported = result.reported[0]
    assert reported.is_in(FIXTURES / DIAGNOSTIC_FILE.get(fixture, fixture)), reported.raw
    assert reported.line == line, reported.raw
    assert message in reported.message, reported.raw
    assert reported.warning is code.startswith("W")
    assert result.status == (0 if code.startswith("W") else 1)
    expected_summary = (
        "0 error(s), 1 warning(s)" if code.startswith("W") else "1 error(s), 0 warning(s)"
    )
    assert expected_summary in result.err


def test_every_rule_code_has_a_fixture() -> None:
    import generator.lint

    documented = set(re.findall(r"\b[EW]\d{3}\b", generator.lint.__doc__ or ""))
    # the docstring lists ranges (E001-E003, E101-E104): expand them
    for start, end in re.findall(r"\b([EW]\d{3})-([EW]\d{3})\b", generator.lint.__doc__ or ""):
        documented |= {f"{start[0]}{n:03d}" for n in range(int(start[1:]), int(end[1:]) + 1)}
    covered = {case[1] for case in RULE_CASES} | {"E001"}  # E001 has no fixture file: see below
    # codes only `generate` reports (`| W405 | (generate) …`): tests/generator covers them
    covered |= set(re.findall(r"\b([EW]\d{3}) \| \(generate\)", generator.lint.__doc__ or ""))
    assert documented <= covered, sorted(documented - covered)


@pytest.mark.parametrize("fixture", CLEAN_FIXTURES)
def test_clean_fixture(capsys: pytest.CaptureFixture[str], fixture: str) -> None:
    result = run_lint(capsys, FIXTURES / fixture)
    assert result.out == ""
    assert result.status == 0
    assert "0 error(s), 0 warning(s) in 1 file(s)" in result.err


def test_e302_message_names_the_first_use(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_lint(capsys, FIXTURES / "E302_duplicate_operation_id.yaml")
    first_use = (FIXTURES / "E302_duplicate_operation_id.yaml").read_text().splitlines()[10]
    assert first_use.strip() == "operationId: pets"  # line 11, as the message says
    assert result.reported[0].message.startswith("operationId 'pets' of POST /pets")


def test_pointer_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_lint(capsys, FIXTURES / "E702_unknown_security_scheme.yaml")
    assert result.reported[0].raw.endswith("(#/paths/~1pets/get/security/0/oauth)")
    assert result.reported[0].col == 11


# --format github


def test_github_format_error(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "E302_duplicate_operation_id.yaml"
    result = run_lint(capsys, path, fmt="github")
    lines = result.out.splitlines()
    assert len(lines) == 1
    match = re.fullmatch(
        r"::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^:]+)::(?P<msg>.*)",
        lines[0],
    )
    assert match, lines[0]
    assert match["file"] == str(path).replace(":", "%3A").replace(",", "%2C")
    assert match["line"] == "18"
    assert match["col"] == "7"
    assert match["title"] == "E302"
    assert (
        "operationId 'pets' of POST /pets is already used at " in match["msg"]
        and ":11:" in match["msg"]
    )
    assert match["msg"].endswith("(#/paths/~1pets/post/operationId)")
    assert result.status == 1


def test_github_format_warning(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_lint(capsys, FIXTURES / "W601_unused_component.yaml", fmt="github")
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::warning file=")
    assert ",line=24,col=5,title=W601::" in lines[0]
    assert result.status == 0


def test_github_format_load_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_lint(capsys, FIXTURES / "E002_bad_json.json", fmt="github")
    assert re.fullmatch(
        r"::error file=[^,]+,line=10,col=3,title=E002::invalid JSON: .*", result.out.strip()
    ), result.out
    assert result.status == 1


# ordering


def test_output_sorted_within_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    # the rules find these in another order (operations, examples, components, security)
    result = run_lint(capsys, FIXTURES / "sorting_multiple_errors.yaml")
    assert [(r.line, r.code) for r in result.reported] == [
        (7, "E702"),
        (10, "E301"),
        (11, "E501"),
        (33, "E402"),
        (34, "W601"),
    ]
    assert result.status == 1


def test_output_sorted_across_files(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [
        FIXTURES / "W601_unused_component.yaml",
        FIXTURES / "sorting_multiple_errors.yaml",
        FIXTURES / "E002_bad_json.json",
        FIXTURES / "E302_duplicate_operation_id.yaml",
        FIXTURES / "E104_circular/E104_circular_inline_ref.yaml",
    ]
    result = run_lint(capsys, *paths)
    keys = [(r.file, r.line, r.col) for r in result.reported]
    assert keys == sorted(keys)
    assert len(result.reported) == 9
    assert f"in {len(paths)} file(s)" in result.err
    assert result.status == 1


def test_warnings_only_exit_zero_errors_exit_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_lint(capsys, FIXTURES / "W601_unused_component.yaml").status == 0
    mixed = run_lint(
        capsys, FIXTURES / "W601_unused_component.yaml", FIXTURES / "E501_no_4xx_response.yaml"
    )
    assert sorted(mixed.codes) == ["E501", "W601"]
    assert mixed.status == 1


# no traceback, whatever the input


def _all_fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".json"))


@pytest.mark.parametrize("path", _all_fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_no_traceback_on_any_fixture(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    from generator import schema_check

    # test_rule already spends the real budget on W404_check_budget.yaml (15 s here)
    monkeypatch.setattr(schema_check, "CHECK_STEPS", 50_000)
    result = run_lint(capsys, path)  # asserts no "Traceback" on stdout or stderr
    assert result.status in (0, 1)
    assert re.search(r"\d+ error\(s\), \d+ warning\(s\) in 1 file\(s\)", result.err)


def test_nonexistent_file_is_e001(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run_lint(capsys, missing)
    assert result.codes == ["E001"]
    assert result.reported[0].file == str(missing)
    assert (result.reported[0].line, result.reported[0].col) == (1, 1)
    assert "cannot read file" in result.reported[0].message
    assert result.status == 1


def test_directory_is_e001(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "spec.yaml"
    folder.mkdir()
    result = run_lint(capsys, folder)
    assert result.codes == ["E001"]
    assert "cannot read file" in result.reported[0].message
    assert result.status == 1


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",  # binary, not UTF-8
        b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n",  # Latin-1 text
        b"openapi: 3.1.0\x00\x01\x02\n",  # UTF-8, but control characters
    ],
    ids=["png", "latin1", "control-chars"],
)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_binary_file_is_e001_or_e002(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"binary{suffix}"
    path.write_bytes(content)
    result = run_lint(capsys, path)
    assert len(result.reported) == 1
    assert result.reported[0].code in ("E001", "E002")
    assert result.status == 1


def test_control_character_error_is_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(
        b'openapi: 3.1.0\ninfo:\n  title: t\n  version: "1"\npaths: {}\nx-note: a \x07 bell\n'
    )
    result = run_lint(capsys, path)
    assert result.codes == ["E002"]
    assert "control characters are not allowed" in result.reported[0].message
    # the bell character is on line 6, column 11
    assert (result.reported[0].line, result.reported[0].col) == (6, 11), result.reported[0].raw


@pytest.mark.parametrize("content", ["", "\n", "# only a comment\n", "---\n"])
def test_empty_file_is_e003(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str
) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_lint(capsys, path)
    assert result.codes == ["E003"]
    assert "not an OpenAPI document" in result.reported[0].message
    assert result.status == 1


def test_bom_is_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "clean.yaml").read_bytes())
    result = run_lint(capsys, path)
    assert result.out == ""
    assert result.status == 0


# missed cases: each of these fixtures should report what its comment says


def test_ref_under_property_named_default_counts_as_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`default` is a property name here, not the `default` keyword: Flag is referenced."""
    result = run_lint(capsys, FIXTURES / "regressions/property_named_default_ref.yaml")
    assert result.out == ""
    assert result.status == 0


def test_bad_ref_under_property_named_example_is_e105(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`example` is a property name here: its broken `$ref` is an E105 at the `$ref` line."""
    result = run_lint(capsys, FIXTURES / "regressions/property_named_example_bad_ref.yaml")
    assert result.codes == ["E105"], result.out
    assert result.reported[0].line == 21
    assert result.status == 1


def test_example_under_property_named_value_is_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`value` is a property name here, not an Example object's `value`: its example is checked."""
    result = run_lint(capsys, FIXTURES / "regressions/property_named_value_bad_example.yaml")
    assert result.codes == ["E401"], result.out
    assert result.reported[0].line == 22
    assert "'ten' is not of type 'integer'" in result.reported[0].message
    assert result.status == 1


def test_operations_behind_local_path_item_ref_are_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`paths./pets.$ref: '#/components/pathItems/Pets'`: GET /pets still needs an operationId."""
    result = run_lint(capsys, FIXTURES / "regressions/path_item_local_ref.yaml")
    assert result.codes == ["E301"], result.out
    assert "GET /pets has no operationId" in result.reported[0].message
    # at the operation (line 19) or at the `$ref` that brings it in (line 10)
    assert result.reported[0].line in (10, 19)
    assert result.status == 1


def test_structural_error_inside_a_schema_is_located(capsys: pytest.CaptureFixture[str]) -> None:
    """E201 from a component schema points at that schema's key, not at the document start."""
    result = run_lint(capsys, FIXTURES / "regressions/schema_structural_error.yaml")
    assert result.codes == ["E201"], result.out
    reported = result.reported[0]
    assert "'id' is not of type 'array'" in reported.message
    assert reported.raw.endswith("(#/components/schemas/Pet/required)"), reported.raw
    assert (reported.line, reported.col) == (30, 7), reported.raw
    assert result.status == 1


SCHEMA_WITH_BAD_KEYWORD = """\
openapi: 3.1.0
info: {title: T, version: "1"}
security: []
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        n: {type: integer, minimum: "x"}
"""


def test_metaschema_fast_path_accepts_valid_and_refuses_invalid_specs(tmp_path: Path) -> None:
    """The fast metaschema check passes our specs and fails broken ones, nested schemas too."""
    from generator.lint import passes_metaschema
    from generator.load import load_spec

    specs = sorted((Path(__file__).resolve().parents[2] / "specs").glob("*.yaml"))
    assert specs and all(passes_metaschema(load_spec(p).document) for p in specs)
    broken = tmp_path / "broken.yaml"
    broken.write_text(SCHEMA_WITH_BAD_KEYWORD, encoding="utf-8")
    assert not passes_metaschema(load_spec(broken).document)
    structural = FIXTURES / "E201_structural.yaml"
    assert not passes_metaschema(load_spec(structural).document)
    swagger = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    assert not passes_metaschema(swagger)


def test_nested_schema_errors_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad keyword deep inside a 3.1 schema is an E201 at that keyword's line."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(SCHEMA_WITH_BAD_KEYWORD, encoding="utf-8")
    result = run_lint(capsys, broken)
    errors = [(r.code, r.line) for r in result.reported if not r.warning]
    assert errors == [("E201", 10)], result.out


OAI_FAIL = sorted((FIXTURES / "oai_fail").glob("*.yaml"))


@pytest.mark.parametrize("fixture", OAI_FAIL, ids=[p.stem for p in OAI_FAIL])
def test_lint_refuses_every_oai_31_fail_document(
    capsys: pytest.CaptureFixture[str], fixture: Path
) -> None:
    """The OAI's own invalid 3.1 documents: `lint` (strict) refuses each with a located E201
    (or another error), while `generate` only warns (the corpus counts them as generated)."""
    result = run_lint(capsys, fixture)
    assert result.status == 1, result.out
    errors = [r for r in result.reported if not r.warning]
    assert errors and all(r.line >= 1 for r in errors), result.out
    assert "Traceback" not in result.out


def test_the_oai_fail_fixtures_are_all_eleven() -> None:
    assert len(OAI_FAIL) == 11


def test_w109_reads_mapping_pointers_as_the_loader_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A percent-encoded pointer to a schema names it; a pointer to a node that is no
    schema (`#/info`) names none."""
    text = (FIXTURES / "W109_mapping_names_nothing.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'bird: "#/components/schemas/Bird"',
        'kitty: "#/components/schemas/C%61t"\n          info: "#/info"',
    )
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    run = run_lint(capsys, tmp_path / "spec.yaml")
    assert [(r.code, r.message.split(" names ")[0]) for r in run.reported] == [
        ("W109", "discriminator mapping 'info' → '#/info'")
    ]
