"""Hostile specs that used to hang, exhaust memory or crash: each is now one located diagnostic."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ._helpers import run_lint


def _spec(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "security": [],
        "paths": {},
        "components": {"schemas": schemas},
    }


def _write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_alias_bomb_is_e004(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}"]
    lines.append("x-a: &a [" + ", ".join(["lol"] * 9) + "]")
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    result = run_lint(capsys, _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n"))
    assert result.codes == ["E004"], result.out
    assert "YAML aliases expand the document by more than 1,000,000 nodes" in result.out


def _inline_bomb(folder: Path, levels: int) -> Path:
    """`levels` files, each naming the next one twice outside components: every $ref is
    inlined, so the last file would be copied 2**(levels - 1) times (bench/hostile.py)."""
    for level in range(levels):
        body: dict[str, Any] = {"description": "leaf"}
        if level < levels - 1:
            ref = {"$ref": f"level{level + 1}.yaml#/x"}
            body = {"a": ref, "b": ref}
        _write(folder, f"level{level}.yaml", {"x": body})
    root = _spec({})
    root["paths"] = {"/a": {"get": {"responses": {"200": {"$ref": "level0.yaml#/x"}}}}}
    return _write(folder, "root.json", root)


def test_inlining_bomb_stops_at_the_node_budget(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nodes are counted as they are copied, and each mapping is walked once. Walking again
    what an inlining had already walked cost a walk per level above it for every copy: 30 s
    of CPU at the real budget. Here the budget is 2,000 nodes, and the work is counted in
    mappings walked, not timed."""
    from generator import bundle

    monkeypatch.setattr(bundle, "MAX_INLINED_NODES", 2000)
    walk_keys = bundle.Bundler._walk_keys
    walks = 0

    def counted(self: bundle.Bundler, *args: Any, **kwargs: Any) -> None:
        nonlocal walks
        walks += 1
        walk_keys(self, *args, **kwargs)

    monkeypatch.setattr(bundle.Bundler, "_walk_keys", counted)
    result = run_lint(capsys, _inline_bomb(tmp_path, 30))
    assert result.codes == ["E004"], result.out
    assert "inlining file $refs copies more than 2,000 nodes" in result.out
    assert result.reported[0].file.endswith(".yaml") and result.reported[0].line == 1
    assert walks < 2000, walks  # at most one per mapping copied or read (1,127; was 4,758)


def test_long_chain_of_inlined_refs_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A chain of $refs to $refs outside components, each inlined inside the previous one,
    adds no depth to the document: 600 links exhausted Python's stack (E900, no line)."""
    links: dict[str, Any] = {f"x{i}": {"$ref": f"#/x{i + 1}"} for i in range(600)}
    links["x600"] = {"description": "end"}
    (tmp_path / "links.json").write_text(json.dumps(links, indent=1), encoding="utf-8")
    root = _spec({})
    root["paths"] = {"/a": {"get": {"responses": {"200": {"$ref": "links.json#/x0"}}}}}
    result = run_lint(capsys, _write(tmp_path, "root.json", root))
    assert result.codes == ["E004"], result.out
    assert "'#/x64' is inlined inside 64 other inlined $refs" in result.out
    assert result.reported[0].file.endswith("links.json")
    assert result.reported[0].line == 2 + 63 * 3 + 1  # `"$ref": "#/x64"`, inside "x63"


def test_recursive_yaml_alias_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\nx-loop: &l [*l]\n"
    result = run_lint(capsys, _write(tmp_path, "loop.yaml", text))
    assert result.codes in (["E002"], ["E004"]), result.out
    assert result.status == 1


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(150):  # 150 nested inline objects: 300 levels
        node = {"type": "object", "properties": {"a": node}}
    result = run_lint(capsys, _write(tmp_path, f"deep{suffix}", _spec({"Deep": node})))
    assert result.codes == ["E004"], result.out
    assert "nests deeper than the limit of 200 levels" in result.out


def test_nesting_within_the_limit_is_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    node: dict[str, Any] = {"type": "string"}
    example: Any = "x"
    for _ in range(95):
        node = {"type": "object", "properties": {"a": node}}
        example = {"a": example}
    node["example"] = example
    result = run_lint(capsys, _write(tmp_path, "deep.json", _spec({"Deep": node})))
    assert [r.code for r in result.reported if not r.warning] == [], result.out


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{"openapi": "3.1.0", "info": {"title": "T", "version": 1' + "0" * 5000 + "}}", 1),
        ("openapi: 3.1.0\ninfo:\n  title: T\n  version: 1" + "0" * 5000 + "\n", 4),
        ("openapi: 3.1.0\ninfo:\n  title: T\n  version: 0x" + "f" * 5000 + "\n", 4),
    ],
    ids=["json", "yaml", "yaml-hex"],
)
def test_huge_integer_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, line: int
) -> None:
    suffix = ".json" if text.startswith("{") else ".yaml"
    result = run_lint(capsys, _write(tmp_path, f"int{suffix}", text))
    assert result.codes == ["E004"], result.out
    assert result.reported[0].line == line
    assert "the limit is 1,000" in result.out


def test_duplicate_json_key_names_both_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = '{\n  "openapi": "3.1.0",\n  "info": {"title": "T", "version": "1"},\n  "openapi": "3.0.0"\n}\n'
    result = run_lint(capsys, _write(tmp_path, "dup.json", text))
    assert result.codes == ["E002"], result.out
    assert (result.reported[0].line, result.reported[0].col) == (4, 3)
    assert "duplicate key 'openapi' (first at line 2, again at line 4)" in result.out


def test_yaml_keys_that_become_equal_are_duplicates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\nx-r:\n  200: a\n  '200': b\n"
    result = run_lint(capsys, _write(tmp_path, "dup.yaml", text))
    assert result.codes == ["E002"], result.out
    assert "duplicate key '200' (first at line 5, again at line 6)" in result.out


def test_allof_naming_itself_is_e107(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = _spec({"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}})
    result = run_lint(capsys, _write(tmp_path, "self.json", spec))
    assert "E107" in result.codes, result.out


def test_long_ref_chain_is_e106(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(3000)
    }
    schemas["S3000"] = {"type": "string"}
    result = run_lint(capsys, _write(tmp_path, "chain.json", _spec(schemas)))
    errors = [r for r in result.reported if not r.warning]
    assert [r.code for r in errors] == ["E106"], result.out
    assert "chain of 3001 schemas" in errors[0].message


@pytest.mark.parametrize("key", ["allOf", "oneOf"])
def test_a_long_chain_through_schemas_with_properties_is_not_told_to_add_some(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str
) -> None:
    """E106's hint said "give the intermediate schemas properties" to an `allOf` chain whose
    schemas all have properties: it names the keyword the links go through instead."""
    schemas: dict[str, Any] = {
        f"B{i}": {
            key: [
                {"$ref": f"#/components/schemas/B{i + 1}"},
                {"type": "object", "properties": {f"p{i}": {"type": "string"}}},
            ]
        }
        for i in range(70)
    }
    schemas["B70"] = {"type": "object", "properties": {"last": {"type": "string"}}}
    result = run_lint(capsys, _write(tmp_path, "chain.json", _spec(schemas)))
    assert "E106" in result.codes, result.out
    line = next(line for line in result.err.splitlines() if " E106 " in line)
    assert "give the intermediate schemas properties" not in line
    assert f"its links go through `{key}`, which later stages follow" in line


def test_a_long_chain_of_bare_refs_is_told_to_reference_the_last(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(70)
    }
    schemas["S70"] = {"type": "string"}
    result = run_lint(capsys, _write(tmp_path, "chain.json", _spec(schemas)))
    line = next(line for line in result.err.splitlines() if " E106 " in line)
    assert "[hint: each schema but the last only names the next: reference the last one" in line


def test_catastrophic_pattern_is_checked_in_linear_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """beezup.com's URL pattern against a long example (Python's re runs for hours)."""
    pattern = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$"
    example = "http://" + "a" * 30 + ".com/" + "a " * 20_000 + "!"
    spec = _spec({"Url": {"type": "string", "pattern": pattern, "example": example}})
    result = run_lint(capsys, _write(tmp_path, "redos.json", spec))
    assert [r.code for r in result.reported if not r.warning] == ["E401"], result.out
    assert "does not match" in result.out


def test_ecma_pattern_syntax_is_understood(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _spec(
        {
            "Name": {"type": "string", "pattern": r"^\p{Lu}[\p{L}\-]*$", "example": "Zoë-Ann"},
            "Code": {"type": "string", "pattern": r"^\d+$", "example": "\u0663"},
        }
    )
    result = run_lint(capsys, _write(tmp_path, "ecma.json", spec))
    errors = [r for r in result.reported if not r.warning]
    assert [r.code for r in errors] == ["E401"], result.out  # only the Arabic-Indic digit
    assert "Code" in errors[0].raw


def test_pattern_the_engine_cannot_run_never_refuses_a_spec(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _spec({"A": {"type": "string", "pattern": r"(a)\1", "example": "zz"}})
    result = run_lint(capsys, _write(tmp_path, "backref.json", spec))
    assert result.status == 0, result.out
    assert "W403" in result.codes


def test_many_large_distinct_patterns_are_compiled_within_budgets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25,000 distinct large patterns took minutes: each was compiled (6 ms) by W403's check
    and again by the example checks. Past `COMPILE_WEIGHT` they are only translated, and the
    example checks spend budget on compiling, even for empty examples."""
    from generator import lint, patterns, schema_check

    monkeypatch.setattr(lint, "COMPILE_WEIGHT", 20_000)
    monkeypatch.setattr(schema_check, "CHECK_STEPS", 5_000)
    schemas: dict[str, Any] = {
        f"S{i}": {
            "type": "string",
            "pattern": f"^(?:[a-z]{{1,100}}){{1,90}}lint{i}$",
            "example": "",
        }
        for i in range(40)
    }
    schemas["Big"] = {"type": "string", "pattern": "(?:a{1000}){1000}"}  # over the engine's size
    schemas["Backref"] = {"type": "string", "pattern": r"(a)\1"}
    compiled: list[str] = []
    compile_one = patterns._compile

    def record(pattern: str) -> object:
        compiled.append(pattern)
        return compile_one(pattern)

    monkeypatch.setattr(patterns, "_compile", record)
    result = run_lint(capsys, _write(tmp_path, "many.json", _spec(schemas)))
    w403 = [r.message for r in result.reported if r.code == "W403"]
    assert len(w403) == 1 and "backreference" in w403[0], result.out  # Big was not compiled
    assert "W404" in result.codes, result.out
    assert len(compiled) < 15, compiled


def test_exponential_example_check_stops_at_the_budget(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import schema_check

    monkeypatch.setattr(schema_check, "CHECK_STEPS", 20_000)
    schemas: dict[str, Any] = {
        f"S{i}": {"anyOf": [{"$ref": f"#/components/schemas/S{i + 1}"}] * 2} for i in range(40)
    }
    schemas["S40"] = {"type": "string"}
    schemas["S0"]["example"] = 1
    result = run_lint(capsys, _write(tmp_path, "expo.json", _spec(schemas)))
    assert "W404" in result.codes, result.out
    assert "20,000 steps" in result.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_are_refused_without_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    result = run_lint(capsys, fifo, zero)
    assert result.codes == ["E001", "E001"], result.out
    assert "it is a FIFO" in result.out and "it is a device" in result.out


def test_file_larger_than_the_limit_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import load

    monkeypatch.setattr(load, "MAX_SPEC_BYTES", 1000)
    path = _write(tmp_path, "big.yaml", "openapi: 3.1.0\n" + "# padding\n" * 200)
    result = run_lint(capsys, path)
    assert result.codes == ["E004"], result.out
    assert "larger than the limit of 1,000 bytes" in result.out


def test_ref_to_a_device_inside_the_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    spec = _spec({"A": {"$ref": "zero.yaml#/A"}})
    result = run_lint(capsys, _write(tmp_path, "spec.json", spec))
    assert result.codes == ["E102"], result.out  # resolved, it leaves the folder


def _operations(count: int, item: dict[str, Any] | None = None) -> dict[str, Any]:
    document = _spec({})
    one = {"get": {"responses": {"200": {"description": ""}}}}
    document["paths"] = {f"/{i}": item or one for i in range(count)}
    return document


def test_more_operations_than_the_spec_s_size_allows_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """60,000 one-line operations in 3.5 MB took 35 s and 1 GiB to generate (hostile audit
    17): a spec may declare 1,000 operations plus 1,500 a megabyte (`limits`)."""
    result = run_lint(capsys, _write(tmp_path, "many.json", _operations(1_200)))
    assert result.codes == ["E004"], result.out
    assert "1,200 operations exceed the limit of 1,111 for 74,608 bytes" in result.out
    assert "many.json:1:" in result.out and "(#/paths)" in result.out


def test_operations_behind_path_item_refs_count_each_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A path item `$ref` is generated as the item it names: 400 paths naming one item of
    three methods are 1,200 operations (3.1's `components/pathItems`)."""
    document = _operations(400, {"$ref": "#/components/pathItems/Three"})
    answer = {"responses": {"200": {"description": ""}}}
    document["components"]["pathItems"] = {"Three": dict.fromkeys(("get", "put", "post"), answer)}
    result = run_lint(capsys, _write(tmp_path, "refs.json", document))
    assert result.codes == ["E004"], result.out
    assert "1,200 operations exceed" in result.out


def test_operations_within_the_limit_are_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = run_lint(capsys, _write(tmp_path, "few.json", _operations(1_000)))
    assert "E004" not in result.codes, result.out


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_pointers_adding_up_past_the_spec_s_size_are_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    """A key is in the pointer of every node below it: a 290,000-character path above
    64,000 parameters (2.9 MB) made 18 GB of pointers, and the lint ran out of memory. The
    parser counts their lengths as it checks the depth (`limits.max_pointer_chars`)."""
    import yaml

    count = 3_000
    path = "/" + "/".join(f"{{p{i}}}" for i in range(count))
    text = {"type": "string"}
    params = [
        {"name": f"p{i}", "in": "path", "required": True, "schema": text} for i in range(count)
    ]
    document = _spec({})
    document["paths"] = {path: {"get": {"parameters": params, "responses": {"200": {}}}}}
    written = json.dumps(document) if suffix == ".json" else yaml.safe_dump(document)
    result = run_lint(capsys, _write(tmp_path, "long" + suffix, written))
    assert result.codes == ["E004"], result.out
    assert "JSON pointers add up to more than" in result.out and f"long{suffix}:1:1:" in result.out


def test_pointer_lengths_are_counted_as_the_walks_spell_them() -> None:
    from generator.limits import pointer_chars_over

    document: dict[str, Any] = {"a/b": [{"~": {}}]}  # /a~1b (5), /a~1b/0 (7), /a~1b/0/~0 (10)
    assert not pointer_chars_over(document, 22) and pointer_chars_over(document, 21)


def test_more_security_schemes_than_clients_take_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each security scheme is an argument of the clients: 40,000 took 11 s to generate and
    120,000 fit in 10 MB; the directory's most is 7."""
    document = _spec({})
    scheme = {"type": "apiKey", "in": "header", "name": "X-Key"}
    document["components"]["securitySchemes"] = {f"s{i}": scheme for i in range(1_001)}
    result = run_lint(capsys, _write(tmp_path, "schemes.json", document))
    assert result.codes == ["E004"], result.out
    assert "1,001 security schemes exceed the limit of 1,000" in result.out
    assert "(#/components/securitySchemes)" in result.out
    document["components"]["securitySchemes"] = {f"s{i}": scheme for i in range(1_000)}
    result = run_lint(capsys, _write(tmp_path, "fewer.json", document))
    assert "E004" not in result.codes, result.out


def test_more_server_variables_than_clients_take_is_e004(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each variable of the first server is an argument of the clients: 10,000 in 348 kB
    took 15 s to generate; the directory's most is 3."""
    document = _spec({})
    names = [f"v{i}" for i in range(1_001)]
    url = "https://api.example.test/" + "/".join(f"{{{name}}}" for name in names)
    document["servers"] = [{"url": url, "variables": {n: {"default": "x"} for n in names}}]
    result = run_lint(capsys, _write(tmp_path, "variables.json", document))
    assert "E004" in result.codes, result.out
    assert "1,001 variables of the first server exceed the limit of 1,000" in result.out


def test_callbacks_count_as_operations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Each callback's operations are webhooks of the package: 20,000 callbacks of one
    operation (4.3 MB) took 17 s of CPU to generate. Counted as operations, through `$ref`s."""
    answer = {"responses": {"200": {"description": ""}}}
    document = _spec({})
    document["components"]["callbacks"] = {"Hook": {"{$request.body#/url}": {"post": answer}}}
    callbacks = {f"c{i}": {"$ref": "#/components/callbacks/Hook"} for i in range(1_100)}
    document["paths"] = {"/a": {"post": {**answer, "callbacks": callbacks}}}
    result = run_lint(capsys, _write(tmp_path, "callbacks.json", document))
    assert "E004" in result.codes, result.out
    assert "1,101 operations exceed" in result.out
