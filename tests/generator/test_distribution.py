"""A generated package's name and version: importable, shadowing nothing, valid for pip and TOML."""

from __future__ import annotations

import email.parser
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.distribution import (
    default_package_name,
    package_name_problem,
    pep440_version,
    suggest_package_name,
)
from tests.conftest import minimal_spec, write_spec


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("json", "standard-library module 'json'"),
        ("typing", "standard-library module 'typing'"),
        ("datetime", "standard-library module 'datetime'"),
        ("Json", "standard-library module 'json'"),
        ("tomllib", "standard-library"),
        ("distutils", "standard-library"),  # gone from 3.12, still there in 3.10
        ("pydantic", "which the generated code imports"),
        ("httpx", "which the generated code imports"),
        ("typing_extensions", "which the generated code imports"),
        ("annotated_types", "which the generated code imports"),
        ("anyio", "which the generated code imports"),
        ("class", "keyword"),
        ("None", "keyword"),
        ("match", "keyword"),
        ("café", "not a valid Python import name"),
        ("1api", "not a valid Python import name"),
        ("my-api", "not a valid Python import name"),
        ("../x", "not a valid Python import name"),
        ("_private", "starts with '_'"),
        ("a" * 65, "longer than 64"),
        # the stamp leaves `dist/` alone at any depth: its files went unchecked (gencli audit)
        ("dist", "the folder build tools write"),
        ("Dist", "the folder build tools write"),
    ],
)
def test_unsafe_names(name: str, problem: str) -> None:
    assert problem in (package_name_problem(name) or "")
    suggestion = suggest_package_name(name)
    assert package_name_problem(suggestion) is None, suggestion


def test_every_stdlib_module_is_refused() -> None:
    assert all(package_name_problem(name) for name in sys.stdlib_module_names)


@pytest.mark.parametrize("name", ["paypal_billing", "json_api", "billing2", "test_api"])
def test_safe_names(name: str) -> None:
    assert package_name_problem(name) is None


@pytest.mark.parametrize(
    ("stem", "title", "expected", "noted"),
    [
        ("paypal-billing", "Anything", "paypal_billing", False),
        ("openapi", "Pet Store", "pet_store", False),
        ("swagger", "Pet Store", "pet_store", False),
        ("openai", "Klarna Shopping", "klarna_shopping", False),  # a ChatGPT plugin's spec
        ("payments", "GOV.UK Pay API", "gov_uk_pay_api", False),  # a project's own app name
        ("api", None, "api", False),
        ("spec", "JSON", "json_api", False),  # the title is unsafe too: made safe
        ("datetime", "Calendar Service", "calendar_service", True),
        ("json", "Billing", "billing", True),
        ("json", None, "json_api", True),
        ("café", "x", "cafe", False),
        ("current", "Twitter API v2", "twitter_api_v2", False),  # a release channel
        ("v2", "Pet Store", "pet_store", False),
        ("2024-01-01", "Pet Store", "pet_store", False),
        ("openapi-v3.1", "Pet Store", "pet_store", False),
        ("swagger2", "Pet Store", "pet_store", False),
        ("petstore-v2", "x", "petstore_v2", False),  # a name with a version keeps it
    ],
)
def test_default_names(stem: str, title: str | None, expected: str, noted: bool) -> None:
    name, note = default_package_name(stem, title)
    assert name == expected
    assert (note is not None) is noted
    assert package_name_problem(name) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.0.0", "1.0.0"),
        ("v1.0", "1.0"),
        ("1.0.0-beta", "1.0.0b0"),
        ("2.0.0-rc.1", "2.0.0rc1"),
        ("2024.01.15", "2024.1.15"),
        ("\u0661.\u0662", "0.0.0"),  # Arabic-Indic digits: pip refuses them
        ("latest", "0.0.0"),
        ("1" * 5000, "0.0.0"),
    ],
)
def test_versions(text: str, expected: str) -> None:
    version, reason = pep440_version(text)
    assert version == expected
    assert (reason is None) is (expected != "0.0.0")


@pytest.mark.parametrize(
    ("text", "expected"),
    # (payments audit 21: Nordigen's `2.0 (v2)` was 0.0.0, and no option could change it)
    [("2.0 (v2)", "2.0"), ("v3 beta", "3"), ("2023-01-15", "0.0.0"), ("1.2.x", "0.0.0")],
)
def test_a_version_that_is_not_pep_440_gives_the_one_it_begins_with(
    text: str, expected: str
) -> None:
    assert pep440_version(text) == (expected, "is not a PEP 440 version")


@pytest.mark.parametrize(
    "name",
    # (hostile audit 14: `pip` uninstalled pip, `sitecustomize` ran at every interpreter
    # start, the standard library's `test` hid the generated package)
    [
        *("json", "typing", "pydantic", "class", "None", "café", "pip", "sitecustomize", "test"),
        *("generator", "billing_sdkgen"),  # the generator's own (hostile audit 15)
    ],
)
def test_generate_refuses_an_unsafe_package_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    spec = write_spec(tmp_path, minimal_spec())
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output), "--package-name", name]) == 1
    out = capsys.readouterr().err
    assert "E801" in out and "--package-name" in out  # the hint suggests another
    assert not output.exists()


@pytest.mark.parametrize(
    "filename", ["datetime.yaml", "json.json", "typing.yaml", "pip.yaml", "usercustomize.json"]
)
def test_a_dangerous_file_name_gives_the_package_its_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], filename: str
) -> None:
    spec = write_spec(tmp_path, minimal_spec(), filename)
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert (output / "test_api" / "__init__.py").is_file()
    assert "W804" in capsys.readouterr().err


def test_hostile_title_version_and_name_give_valid_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_data = minimal_spec()
    spec_data["info"]["title"] = 'café "quoted" \\ \x1b[2J \u2028 end\rRequires-Dist: evilpkg'
    spec_data["info"]["version"] = "\u0661.\u0662"
    spec = write_spec(tmp_path, spec_data, "openapi.json")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert "W805" in capsys.readouterr().err
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((output / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == "0.0.0"
    description = project["project"]["description"]
    # on one line: a CR ended the metadata's `Summary:` header, and the title's next "line"
    # was a dependency pip installed (hostile audit 8)
    assert description.endswith('café "quoted" \\  [2J   end Requires-Dist: evilpkg')
    metadata = email.parser.Parser().parsestr(f"Summary: {description}\n\n")
    assert metadata.get_all("Requires-Dist") is None
    name = next(iter(project["tool"]["setuptools"]["package-data"]))
    assert name.isascii() and name.isidentifier() and package_name_problem(name) is None
