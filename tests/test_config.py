"""`[tool.billing-sdkgen]`: located errors, and every option changing what is generated."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import locate
from generator.diagnostics import SpecError
from generator.formatters import find_ruff
from tests.conftest import minimal_spec, write_spec


def _shop_spec() -> dict[str, Any]:
    """Three operations under two tags; each uses its own model."""
    schemas = {
        name: {"type": "object", "properties": {"id": {"type": "string"}}}
        for name in ("Customer", "Charge", "Refund")
    }

    def get(operation_id: str, tag: str, model: str) -> dict[str, Any]:
        response = {"$ref": f"#/components/schemas/{model}"}
        return {
            "get": {
                "operationId": operation_id,
                "tags": [tag],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": response}},
                    }
                },
            }
        }

    paths = {
        "/customers": get("GetCustomers", "Customers", "Customer"),
        "/charges": get("GetCharges", "Charges", "Charge"),
        "/refunds": get("GetRefunds", "Charges", "Refund"),
    }
    return minimal_spec(schemas, paths)


def _project(tmp_path: Path, table: str) -> Path:
    """A project folder: pyproject.toml with `table`, specs/shop.yaml."""
    (tmp_path / "specs").mkdir()
    write_spec(tmp_path / "specs", _shop_spec(), "shop.yaml")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(table), encoding="utf-8")
    return tmp_path


def _import(folder: Path, name: str) -> Any:
    sys.path.insert(0, str(folder))
    try:
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[loaded]
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


def test_errors_name_the_file_and_the_line_of_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(
        tmp_path,
        """\
        [project]
        name = "mine"

        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"
        formatter = "blak"

        [tool.billing-sdkgen.spec.shop]
        include = { tags = "Customers" }
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 1
    err = capsys.readouterr().err
    assert "pyproject.toml:7:1: E810 tool.billing-sdkgen.formatter: 'blak' is not one of" in err
    assert "pyproject.toml:10:1: E810 tool.billing-sdkgen.spec.shop.include.tags:" in err
    assert not (tmp_path / "clients").exists()


def test_a_name_ending_in_a_newline_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`distribution = "a\\n"` passed the check (Python's `re` matches a pattern's `$` before
    a final newline), and the package's pyproject.toml named `a\\n`: pip refused to build it
    (hostile audit 17)."""
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"

        [tool.billing-sdkgen.spec.shop]
        distribution = "a\\n"
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 1
    err = capsys.readouterr().err
    assert "pyproject.toml:6:1: E810 tool.billing-sdkgen.spec.shop.distribution:" in err
    assert not (tmp_path / "clients").exists()


def test_invalid_toml_and_unknown_spec_tables_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "[tool.billing-sdkgen]\nformatter = black\n")
    config = str(project / "pyproject.toml")
    assert main(["lint", "--config", config]) == 1
    assert "pyproject.toml:2:13: E810 invalid TOML: Invalid value" in capsys.readouterr().err
    (project / "pyproject.toml").write_text(
        '[tool.billing-sdkgen]\nspecs = ["specs"]\n\n[tool.billing-sdkgen.spec.shopp]\nclient = "Shop"\n'
    )
    assert main(["lint", "--config", config]) == 1
    assert "pyproject.toml:4:1: E810 no configured spec is named 'shopp'" in capsys.readouterr().err


@pytest.mark.parametrize("tool", ['"none"', "[1]"])
def test_a_tool_key_that_is_no_table_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    """`tool = "none"` in the nearest pyproject.toml that mentions billing-sdkgen raised an
    AttributeError traceback from every command, `lint SPEC` and `diff` included (gencli
    audit)."""
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}), "shop.yaml")
    (tmp_path / "pyproject.toml").write_text(f"# billing-sdkgen\ntool = {tool}\n")
    monkeypatch.chdir(tmp_path)
    for argv in (["lint", str(spec)], ["generate", str(spec), "--output", "out"]):
        capsys.readouterr()
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and "pyproject.toml:2:1: E810 `tool` is not a table" in err


def test_locate_follows_tables_and_dotted_keys() -> None:
    text = (
        '[tool.billing-sdkgen]\nspecs = []\n[tool."billing-sdkgen".spec.a]\nrename-models.X = "Y"\n'
    )
    assert locate(text, ["tool", "billing-sdkgen", "specs", "0"]) == 2
    assert locate(text, ["tool", "billing-sdkgen", "spec", "a", "rename-models", "X"]) == 4
    assert locate(text, ["tool", "billing-sdkgen", "spec", "a", "client"]) == 3


def test_the_configuration_drives_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"

        [tool.billing-sdkgen.spec.shop]
        package = "shop_lite"
        distribution = "shop-lite-sdk"
        client = "Shop"
        include = { tags = ["Charges"] }
        exclude = { operation-ids = ["GetRefunds"] }
        rename-models = { Charge = "Payment", Nope = "X" }
        rename-operations = { GetCharges = "list_payments" }
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0  # no SPEC: every configured spec
    err = capsys.readouterr().err
    assert "W811 warning: rename-models: no component schema named 'Nope'" in err
    project = tmp_path / "clients" / "shop_lite"
    assert 'name = "shop-lite-sdk"' in (project / "pyproject.toml").read_text(encoding="utf-8")
    package = _import(project, "shop_lite")
    assert package.Client is package.Shop and package.AsyncClient is package.AsyncShop
    charges = importlib.import_module("shop_lite.resources.charges").Charges
    assert [n for n in vars(charges) if not n.startswith("_")] == [
        "with_raw_response",
        "list_payments",
    ]  # GetRefunds (excluded) would be `charges.get_refunds`: no name moved
    # only the models the selected operation reaches, under their configured names
    assert package.models.__all__ == ["Payment"]
    assert main(["check"]) == 0


def test_a_template_override_and_the_formatter_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"
        templates = "my-templates"
        formatter = "none"
        """,
    )
    (tmp_path / "my-templates").mkdir()
    (tmp_path / "my-templates" / "README.md.jinja").write_text(
        "# {{ api.title }}: our own README\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 0
    readme = tmp_path / "clients" / "shop" / "README.md"
    assert readme.read_text(encoding="utf-8") == "# Test API: our own README\n"
    # the override is an input: changing it makes the package stale, and regeneration
    # brings it in
    (tmp_path / "my-templates" / "README.md.jinja").write_text("# changed\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert main(["generate-all"]) == 0
    assert readme.read_text(encoding="utf-8") == "# changed\n"
    assert _import(tmp_path / "clients" / "shop", "shop").Client
    # every file its templates may load counts: an included text file, and a folder of
    # macros linked in (gencli audit: only `*.jinja` outside linked folders were hashed)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "line.jinja").write_text("shared 1", encoding="utf-8")
    (tmp_path / "my-templates" / "macros").symlink_to(tmp_path / "shared")
    (tmp_path / "my-templates" / "banner.txt").write_text("banner 1", encoding="utf-8")
    (tmp_path / "my-templates" / "README.md.jinja").write_text(
        '{% include "banner.txt" %} {% include "macros/line.jinja" %}\n', encoding="utf-8"
    )
    assert main(["generate-all"]) == 0
    assert readme.read_text(encoding="utf-8").strip() == "banner 1 shared 1"
    for path, text in (("banner.txt", "banner 2"), ("macros/line.jinja", "shared 2")):
        (tmp_path / "my-templates" / path).write_text(text, encoding="utf-8")
        assert main(["check"]) == 1
        assert main(["generate-all"]) == 0
    assert readme.read_text(encoding="utf-8").strip() == "banner 2 shared 2"
    assert main(["check"]) == 0
    # what a version control folder in it holds is no template (review: a fetch made it stale)
    (tmp_path / "my-templates" / ".git").mkdir()
    (tmp_path / "my-templates" / ".git" / "FETCH_HEAD").write_text("abc", encoding="utf-8")
    assert main(["check"]) == 0


@pytest.mark.skipif(find_ruff() is None, reason="ruff is not installed")
def test_ruff_format_is_a_formatter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(
        tmp_path,
        '[tool.billing-sdkgen]\nspecs = ["specs"]\noutput = "clients"\nformatter = "ruff"\n',
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 0
    assert _import(tmp_path / "clients" / "shop", "shop").Client
    assert main(["check"]) == 0
    # another ruff release formats otherwise: the package is stale (gencli audit)
    from generator import formatters

    monkeypatch.setattr(formatters, "ruff_version", lambda: "ruff 99.0.0 (0)")
    assert main(["check"]) == 1


def test_without_a_configuration_a_spec_is_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 1
    assert "E809 no SPEC given and no `specs`" in capsys.readouterr().err
    spec = write_spec(tmp_path, minimal_spec())
    assert main(["generate", str(spec)]) == 1
    assert "E809 no --output given" in capsys.readouterr().err


def test_resources_and_pagination_are_configured_per_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`resources` and `pagination` say what `x-sdk-resource` / `x-pagination` would, and win
    over the spec's own; a glob names several operations; a key naming none is a warning."""
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"

        [tool.billing-sdkgen.spec.shop]
        resources = { "Get*s" = "billing.ledger", GetCustomers = "people", Nope = "x" }
        pagination = { GetCharges = { scheme = "page", param = "page" }, None_ = false }
        """,
    )
    spec = _shop_spec()
    charges = spec["paths"]["/charges"]["get"]
    charges["parameters"] = [{"name": "page", "in": "query", "schema": {"type": "integer"}}]
    listed = {"type": "array", "items": {"$ref": "#/components/schemas/Charge"}}
    charges["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "object",
        "properties": {"data": listed},
    }
    write_spec(tmp_path / "specs", spec, "shop.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    assert "resources: no operation matches 'Nope'" in err
    assert "pagination: no operation matches 'None_'" in err
    package = _import(tmp_path / "clients" / "shop", "shop")
    client = package.Client(base_url="http://shop.test")
    assert callable(client.people.retrieve)  # the exact key wins over the pattern
    ledger = client.billing.ledger
    assert {n for n in dir(ledger) if not n.startswith("_")} >= {"list", "retrieve"}
    assert type(ledger.list()).__name__ == "SyncPage"  # lazy: nothing sent yet


def test_a_pagination_override_is_checked_against_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]

        [tool.billing-sdkgen.spec.shop]
        pagination = { GetCharges = { scheme = "pages" } }
        resources = { GetCharges = "not a path" }
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 1
    err = capsys.readouterr().err
    assert "pyproject.toml:6:" in err and "E810" in err


def test_strict_responses_sets_the_clients_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import inspect

    import httpx

    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"
        strict-responses = true

        [tool.billing-sdkgen.spec.depot]
        strict-responses = false
        """,
    )
    write_spec(tmp_path / "specs", _shop_spec(), "depot.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 0
    off_spec = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": 5}))
    shop = _import(tmp_path / "clients" / "shop", "shop")
    depot = _import(tmp_path / "clients" / "depot", "depot")
    for package, strict in ((shop, True), (depot, False)):
        for client_class in (package.Client, package.AsyncClient):
            parameter = inspect.signature(client_class).parameters["strict_response_validation"]
            assert parameter.default is strict
        client = package.Client(http_client=httpx.Client(transport=off_spec))
        if strict:
            with pytest.raises(package.APIResponseValidationError):
                client.customers.retrieve()
            assert (
                client.with_options(strict_response_validation=False).customers.retrieve().id == 5
            )
        else:
            assert client.customers.retrieve().id == 5
    readme = (tmp_path / "clients" / "shop" / "README.md").read_text(encoding="utf-8")
    assert "Responses are checked strictly (this package's default)" in readme
    # the option is in the fingerprint: changing it makes the package stale
    assert main(["check"]) == 0
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("strict-responses = true", "strict-responses = false"))
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "shop" in capsys.readouterr().err
    pyproject.write_text(text.replace("strict-responses = true", 'strict-responses = "yes"'))
    assert main(["generate-all"]) == 1
    err = capsys.readouterr().err
    assert (
        "pyproject.toml:4:1: E810 tool.billing-sdkgen.strict-responses: 'yes' is not of type" in err
    )


def _refuse(*_: object) -> Any:
    raise AssertionError("the configuration was checked again")


def test_a_table_that_passed_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged valid table skips the schema check (and jsonschema-rs's import); any
    change to it, or an invalid one, is checked every time."""
    from generator import config

    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path / "cache"))
    file = tmp_path / "pyproject.toml"
    file.write_text('[tool.billing-sdkgen]\nspecs = ["specs"]\nformatter = "none"\n')
    first = config.load_config(file)
    assert len(list((tmp_path / "cache" / "config-valid").iterdir())) == 1
    with monkeypatch.context() as patched:
        patched.setattr(config, "_fast_validator", _refuse)
        patched.setattr(config, "_validator", _refuse)
        assert config.load_config(file) == first
        file.write_text('[tool.billing-sdkgen]\nspecs = ["specs"]\nformatter = "ruff"\n')
        with pytest.raises(AssertionError, match="checked again"):
            config.load_config(file)
    file.write_text('[tool.billing-sdkgen]\nspecs = ["specs"]\nformatter = "yapf"\n')
    for _ in range(2):
        with pytest.raises(SpecError) as raised:
            config.load_config(file)
        assert raised.value.diagnostics[0].code == "E810"
    assert len(list((tmp_path / "cache" / "config-valid").iterdir())) == 1


def test_a_date_and_its_text_are_different_tables(tmp_path: Path) -> None:
    from generator import config

    as_text = config._valid_marker({"package": "1979-05-27"})
    as_date = config._valid_marker({"package": date(1979, 5, 27)})  # TOML's `1979-05-27`
    assert as_text is not None and as_date is not None and as_text != as_date


def test_configuration_notes_point_at_their_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A W811 about a configured key, and E811, are located at the key's line of the file
    (they were at pyproject.toml:1:1), in the spec's own table or the global one."""
    _project(
        tmp_path,
        """\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"

        [tool.billing-sdkgen.spec.shop]
        client = "Shop"
        rename-models = { Charge = "Payment" }
        resources = { "Missing*" = "gone" }

        [tool.billing-sdkgen.spec.shop.rename-operations]
        GetCharges = "list_payments"
        Nope = "x"
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    config = tmp_path / "pyproject.toml"
    assert f"{config}:12:1: W811 warning: rename-operations: no operation 'Nope'" in err
    assert f"{config}:8:1: W811 warning: resources: no operation matches 'Missing*'" in err
    (tmp_path / "pyproject.toml").write_text(
        '[tool.billing-sdkgen]\nspecs = ["specs"]\noutput = "clients"\n\n'
        '[tool.billing-sdkgen.spec.shop]\nclient = "Shop"\ninclude = { tags = ["None"] }\n',
        encoding="utf-8",
    )
    assert main(["generate"]) == 1
    assert f"{config}:7:1: E811 include/exclude select" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["nested", "fifo", "device"])
def test_a_hostile_configuration_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Hostile audit 8: arrays nested 5,000 deep in the nearest pyproject.toml printed a
    RecursionError traceback; `--config` on a FIFO hung, on `/dev/zero` ran out of memory."""
    project = _project(tmp_path, "")
    config = project / "pyproject.toml"
    config.unlink()
    if kind == "nested":
        config.write_text("[tool.billing-sdkgen]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    elif kind == "fifo":
        os.mkfifo(config)
    else:
        config.symlink_to("/dev/zero")
    monkeypatch.chdir(project)
    assert main(["lint", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "pyproject.toml:1:1: E810" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["pip", "Setuptools", "httpx", "pydantic_core", "billing.sdkgen"])
def test_a_distribution_name_that_would_replace_an_installed_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Hostile audit 14: `distribution = "pip"` made a package whose install removed pip."""
    _project(
        tmp_path,
        f"""\
        [tool.billing-sdkgen]
        specs = ["specs"]
        output = "clients"

        [tool.billing-sdkgen.spec.shop]
        distribution = "{name}"
        """,
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate-all"]) == 1
    err = capsys.readouterr().err
    assert "pyproject.toml:6:1: E810 tool.billing-sdkgen.spec.shop.distribution:" in err
    assert "would replace the installed distribution" in err
    assert not (tmp_path / "clients").exists()
