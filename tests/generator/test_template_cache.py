"""The templates' compiled code is kept between runs, and a bad cache never fails a run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import jinja2
import pytest

from generator import render, template_cache
from generator.paths import TEMPLATES_DIR


def _bytecode_cache(cache: Path) -> jinja2.BytecodeCache | None:
    """The template cache of a run whose cache folder is `cache`."""
    with mock.patch.dict(os.environ, {"BILLING_SDKGEN_CACHE": str(cache)}):
        return template_cache.bytecode_cache()


def _environment(cache: Path, templates: Path = TEMPLATES_DIR) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_bytecode_cache(cache),
    )


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile(
        self: jinja2.Environment, source: object, name: object = None, *a: object, **k: object
    ) -> object:
        compiled.append(str(name))
        return original(self, source, name, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return compiled


def test_a_second_run_loads_the_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "macros.jinja").write_text("{% macro hi(x) %}hi {{ x }}{% endmacro %}")
    (templates / "page.jinja").write_text('{% import "macros.jinja" as m %}{{ m.hi(x) }}')
    compiled = _count_compiles(monkeypatch)
    assert (
        _environment(tmp_path / "cache", templates).get_template("page.jinja").render(x=1) == "hi 1"
    )
    assert sorted(compiled) == ["macros.jinja", "page.jinja"]
    assert len(list((tmp_path / "cache" / "templates").iterdir())) == 2
    compiled.clear()
    assert (
        _environment(tmp_path / "cache", templates).get_template("page.jinja").render(x=2) == "hi 2"
    )
    assert compiled == []


def test_the_generators_templates_compile_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every template of `templates/`, as the pipeline's environment compiles them."""
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path))
    render.environment.cache_clear()
    try:
        names = [n for n in render.environment().list_templates() if n.endswith(".jinja")]
        for name in names:
            render.environment().get_template(name)
        render.environment.cache_clear()
        compiled = _count_compiles(monkeypatch)
        for name in names:
            render.environment().get_template(name)
        assert compiled == []
        assert len(list((tmp_path / "templates").iterdir())) == len(names)
    finally:
        render.environment.cache_clear()


def test_an_edited_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.jinja").write_text("one {{ x }}")
    assert (
        _environment(tmp_path / "cache", templates).get_template("t.jinja").render(x=1) == "one 1"
    )
    (templates / "t.jinja").write_text("two {{ x }}")
    compiled = _count_compiles(monkeypatch)
    assert (
        _environment(tmp_path / "cache", templates).get_template("t.jinja").render(x=1) == "two 1"
    )
    assert compiled == ["t.jinja"]


def test_a_damaged_cache_file_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.jinja").write_text("{{ x }}!")
    _environment(tmp_path / "cache", templates).get_template("t.jinja")
    (entry,) = (tmp_path / "cache" / "templates").iterdir()
    entry.write_bytes(entry.read_bytes()[:40])  # the header and a cut checksum
    compiled = _count_compiles(monkeypatch)
    assert _environment(tmp_path / "cache", templates).get_template("t.jinja").render(x=2) == "2!"
    assert compiled == ["t.jinja"]


def test_a_folder_that_cannot_be_made_or_written_costs_only_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("")
    assert _bytecode_cache(tmp_path / "file") is None
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.jinja").write_text("{{ x }}?")

    def refuse(*_: object, **__: object) -> object:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)  # as jinja2.bccache calls it
    assert _environment(tmp_path / "cache", templates).get_template("t.jinja").render(x=3) == "3?"
    assert list((tmp_path / "cache" / "templates").iterdir()) == []
