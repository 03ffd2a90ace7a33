#!/usr/bin/env python3
"""Hostile inputs under 10 MB: each must finish in 30 s and 1 GiB, with diagnostics, no traceback.

Usage (from the repository root):

    .venv/bin/python bench/hostile.py                 # every input, lint and generate
    .venv/bin/python bench/hostile.py --only redos    # inputs whose name contains "redos"
    .venv/bin/python bench/hostile.py --commands lint

Each input is written into `.cache/hostile/` (git-ignored), then `python -m
generator lint` and `generate` run on it as separate processes; the table gives
the exit status, wall time, CPU time and peak RSS (from `wait4`) and the first
diagnostic. The limit is on wall time: on a shared machine, CPU time shows the
work itself.
The exit status is 1 when any run takes over 30 s or 1 GiB, prints a
traceback, or exits with anything but 0 or 1. Not part of `make test` (it
measures time); the tests check the same attacks without timing them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "hostile"
MAX_BYTES = 10_000_000
MAX_SECONDS = 30.0
MAX_RSS_KIB = 1024 * 1024
KILL_AFTER = 300.0


def spec(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "security": [],
        "paths": {},
        "components": {"schemas": schemas},
    }
    document.update(extra)
    return document


def as_json(document: Any) -> str:
    return json.dumps(document, separators=(",", ":"))


BEEZUP = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$"


def alias_bomb() -> str:
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}"]
    lines.append("x-a: &a [" + ", ".join(["lol"] * 9) + "]")
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def alias_near_limit() -> str:
    """Aliases that expand to just under the limit: the work that is still allowed."""
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}"]
    lines.append("x-a: &a [" + ", ".join(["1"] * 99) + "]")
    lines.append("x-b: &b [" + ", ".join(["*a"] * 99) + "]")
    lines.append("x-c: [" + ", ".join(["*b"] * 99) + "]")
    return "\n".join(lines) + "\n"


def deep_json() -> str:
    depth = MAX_BYTES // 2 - 100
    return "[" * depth + "]" * depth


def deep_yaml() -> str:
    return "openapi: 3.1.0\nx: " + "[" * 5000 + "]" * 5000 + "\n"


def redos_one() -> str:
    example = "http://" + "a" * 30 + ".com/" + "a " * 4_000_000 + "!"
    return as_json(spec({"Url": {"type": "string", "pattern": BEEZUP, "example": example}}))


def redos_many() -> str:
    example = "http://" + "a" * 30 + ".com/" + "a " * 200 + "!"
    schemas = {
        f"S{i}": {
            "type": "string",
            "pattern": BEEZUP.replace("^", f"^(?:z{i})?", 1),
            "example": example,
        }
        for i in range(17_000)
    }
    return as_json(spec(schemas))


def distinct_patterns() -> str:
    """Thousands of distinct patterns near the engine's size limit, each with an example."""
    schemas = {
        f"S{i}": {
            "type": "string",
            "pattern": f"^(?:[a-z]{{1,100}}){{1,90}}x{i}$",
            "example": "a" * 300,
        }
        for i in range(25_000)
    }
    return as_json(spec(schemas))


def long_patterns() -> str:
    """Patterns of 9,000 characters (the translator's limit is 10,000), all different."""
    body = "(?:ab|cd)" * 1000
    schemas = {f"S{i}": {"type": "string", "pattern": body + str(i)} for i in range(1000)}
    return as_json(spec(schemas))


def exponential_anyof() -> str:
    schemas: dict[str, Any] = {
        f"S{i}": {"anyOf": [{"$ref": f"#/components/schemas/S{i + 1}"}] * 2} for i in range(60)
    }
    schemas["S60"] = {"type": "string"}
    for i in range(0, 60, 3):
        schemas[f"S{i}"]["example"] = [1] * 1000
    return as_json(spec(schemas))


def unique_items() -> str:
    example = [{"id": i} for i in range(600_000)]
    return as_json(spec({"A": {"type": "array", "uniqueItems": True, "example": example}}))


def big_enum() -> str:
    values = [f"v{i}" for i in range(300_000)]
    example = ["v299999"] * 300_000
    return as_json(spec({"A": {"type": "array", "items": {"enum": values}, "example": example}}))


def ref_chain() -> str:
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(200_000)
    }
    schemas["S200000"] = {"type": "string"}
    return as_json(spec(schemas))


def allof_cycle() -> str:
    schemas = {
        f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{(i + 1) % 100_000}"}]}
        for i in range(100_000)
    }
    return as_json(spec(schemas))


def wide_yaml_diagnostics() -> str:
    """120,000 bad examples in one YAML mapping: every diagnostic needs its line."""
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "security: []", "paths: {}"]
    lines += ["components:", "  schemas:", "    A:", "      type: object", "      properties:"]
    lines += [f"        p{i}: {{type: integer, example: x}}" for i in range(120_000)]
    return "\n".join(lines) + "\n"


def many_models() -> str:
    """A large valid spec: 15,000 small component schemas (generate's own cost; 40,000 in
    4.8 MB are more models than its size allows, E004)."""
    schemas = {
        f"Model{i}": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "next": {"$ref": f"#/components/schemas/Model{(i + 1) % 15_000}"},
            },
        }
        for i in range(15_000)
    }
    return as_json(spec(schemas))


def long_integers() -> str:
    big = "9" * 1000
    schemas = {f"S{i}": {"type": "integer", "multipleOf": 7, "example": 0} for i in range(4800)}
    text = as_json(spec(schemas))
    return text.replace('"example":0', f'"example":{big}').replace(
        '"multipleOf":7', f'"multipleOf":{big}7'
    )


def duplicate_far_apart() -> str:
    filler = ",".join(f'"x-{i}":{i}' for i in range(560_000))
    return '{"openapi":"3.1.0",' + filler + ',"openapi":"3.0.0"}'


def inline_bomb_files(folder: Path) -> Path:
    """Files whose `$ref`s outside components are inlined: each level doubles the copies."""
    for level in range(30):
        target = f"level{level + 1}.yaml" if level < 29 else None
        body: dict[str, object] = {"description": "x" * 10}
        if target:
            body = {"a": {"$ref": f"{target}#/x"}, "b": {"$ref": f"{target}#/x"}}
        (folder / f"level{level}.yaml").write_text(json.dumps({"x": body}), encoding="utf-8")
    root = spec({}, paths={"/a": {"get": {"responses": {"200": {"$ref": "level0.yaml#/x"}}}}})
    path = folder / "root.json"
    path.write_text(as_json(root), encoding="utf-8")
    return path


def allof_lattice() -> str:
    """`allOf` bases 40 levels deep, each level extending both models of the next, the
    top one an operation's body: a walk that queues a base once per path takes 2**40 steps
    (the README's example of the body reads the models' required-field rules)."""
    ref = "#/components/schemas/"
    schemas: dict[str, Any] = {
        f"{side}{i}": {
            "allOf": [{"$ref": f"{ref}A{i + 1}"}, {"$ref": f"{ref}B{i + 1}"}],
            "properties": {f"{side.lower()}{i}": {"type": "string"}},
        }
        for i in range(40)
        for side in "AB"
    }
    schemas.update({f"{side}40": {"type": "object"} for side in "AB"})
    body = {"content": {"application/json": {"schema": {"$ref": f"{ref}A0"}}}}
    operation = {"requestBody": body, "responses": {"200": {"description": "ok", **body}}}
    return as_json(spec(schemas, paths={"/a": {"post": {"operationId": "put", **operation}}}))


def _get(operation_id: str, **extra: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
    return {
        "get": {
            "operationId": operation_id,
            "responses": {"200": {"description": "ok", "content": content}},
            **extra,
        }
    }


def ref_text() -> str:
    """`$ref:#` written 10 MB-worth in a description, no `$ref` at all: the escaped-reference
    scan of the bytes read each to the end of its line (27 s on 360 kB: hostile audit 13)."""
    schemas = {"A": {"type": "object", "description": "$ref:#" * 1_500_000}}
    return as_json(spec(schemas))


def shared_default() -> str:
    """A `$ref`'d parameter schema with a 100,000-item default on 2,000 operations: it was
    checked at each use (204 s: hostile audit 13)."""
    big = {"type": "array", "items": {"type": "integer"}, "default": [0] * 100_000}
    page = {"type": "object", "properties": {"id": {"type": "string"}}}
    parameter = {"name": "f", "in": "query", "schema": {"$ref": "#/components/schemas/Big"}}
    paths = {f"/r{i}": _get(f"get{i}", parameters=[parameter]) for i in range(2_000)}
    return as_json(spec({"Big": big, "Page": page}, paths=paths))


def wide_allof_lists() -> str:
    """An `allOf` of 150,000 members behind 1,000 list operations: pagination detection read
    it whole at each (60 s: hostile audit 13)."""
    members = [{"description": f"d{i}"} for i in range(150_000)]
    page = {"allOf": [{"$ref": "#/components/schemas/Base"}, *members]}
    base = {"type": "object", "properties": {"data": {"type": "array", "items": {}}}}
    cursor = [{"name": "cursor", "in": "query", "schema": {"type": "string"}}]
    paths = {f"/l{i}": _get(f"list{i}", parameters=cursor) for i in range(1_000)}
    return as_json(spec({"Page": page, "Base": base}, paths=paths))


def qualified_names() -> str:
    """19,000 component keys of 240 parts, equal but for their first: the class-name search
    grew every key one part a round (155 s for this 10 MB spec: hostile audit 16)."""
    tail = ".".join(["a"] * 238) + ".C"
    schemas = {f"p{i}.{tail}": {"type": "object"} for i in range(19_000)}
    return as_json(spec(schemas))


def query_key_spellings() -> str:
    """5,000 operations, each requiring a query parameter spelling `key` its own way
    (`k-e_y`, `k.e-y`…): the credential count looked each name up in every operation
    (66 s in that step alone for 20,000: hostile audit 16)."""
    marks = "-_."
    spellings = [f"k{a}e{b}y{c}" for a in marks for b in marks for c in marks]
    paths = {}
    for i in range(5_000):
        name = spellings[i % len(spellings)] + "_" * (i // len(spellings))
        parameter = {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        # (described: 5,000 bare operations in 1.7 MB are over the operation limit, E004)
        paths[f"/q{i}"] = _get(f"get{i}", parameters=[parameter], description="d" * 400)
    return as_json(spec({"Page": {"type": "object"}}, paths=paths))


def many_small_models() -> str:
    """140,000 models of one property in 10 MB, each its own module: 35 s to generate before
    a spec's models were bounded by its size (E004 now)."""
    one = {"type": "object", "properties": {"a": {"type": "string"}}}
    return as_json(spec({f"M{i}": one for i in range(140_000)}))


def long_path_many_parameters() -> str:
    """A 290,000-character path above its 32,000 parameters (2.9 MB): every node below the
    path has it in its JSON pointer, 18 GB of them, and the lint ran out of memory (E004:
    the pointers are bounded by the spec's size)."""
    count = 32_000
    path = "/" + "/".join(f"{{p{i}}}" for i in range(count))
    text = {"type": "string"}
    params = [
        {"name": f"p{i}", "in": "path", "required": True, "schema": text} for i in range(count)
    ]
    operation = {
        "operationId": "a",
        "parameters": params,
        "responses": {"200": {"description": ""}},
    }
    return as_json(spec({}, paths={path: {"get": operation}}))


def many_security_schemes() -> str:
    """40,000 security schemes, each an argument of the clients: 11 s to generate (E004:
    at most 1,000)."""
    scheme = {"type": "apiKey", "in": "header", "name": "X-Key"}
    document = spec({})
    document["components"]["securitySchemes"] = {f"s{i}": scheme for i in range(40_000)}
    return as_json(document)


def many_server_variables() -> str:
    """10,000 variables of the first server, each an argument of the clients: 15 s to
    generate from 348 kB (E004: at most 1,000)."""
    names = [f"v{i}" for i in range(10_000)]
    url = "https://api.example.com/" + "/".join(f"{{{name}}}" for name in names)
    variables = {name: {"default": "x"} for name in names}
    return as_json(spec({}, servers=[{"url": url, "variables": variables}]))


def many_callbacks() -> str:
    """20,000 callbacks of one operation, each a webhook of the package: 17 s of CPU to
    generate from 4.3 MB (E004: callbacks count as operations)."""
    body = {"type": "object", "properties": {"a": {"type": "string"}}}
    hook = {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "ok"}},
        }
    }
    callbacks = {f"cb{i}": {"{$request.body#/url}": hook} for i in range(20_000)}
    operation = {"operationId": "a", "callbacks": callbacks, "responses": {"200": {}}}
    return as_json(spec({}, paths={"/a": {"post": operation}}))


def many_operations() -> str:
    """60,000 operations of one line each in 3.5 MB: 35 s and 1 GiB to generate, before a
    spec's operations were bounded by its size (hostile audit 17): E004 now."""
    one = {"get": {"responses": {"200": {"description": ""}}}}
    return as_json(spec({}, paths={f"/{i}": one for i in range(60_000)}))


def garbage_bytes() -> bytes:
    return bytes(range(256)) * (MAX_BYTES // 256 - 1)


INPUTS: dict[str, tuple[str, Callable[[], str | bytes]]] = {
    "alias_bomb": (".yaml", alias_bomb),
    "alias_near_limit": (".yaml", alias_near_limit),
    "deep_json": (".json", deep_json),
    "deep_yaml": (".yaml", deep_yaml),
    "redos_one": (".json", redos_one),
    "redos_many": (".json", redos_many),
    "distinct_patterns": (".json", distinct_patterns),
    "long_patterns": (".json", long_patterns),
    "exponential_anyof": (".json", exponential_anyof),
    "unique_items": (".json", unique_items),
    "big_enum": (".json", big_enum),
    "ref_chain": (".json", ref_chain),
    "allof_cycle": (".json", allof_cycle),
    "allof_lattice": (".json", allof_lattice),
    "wide_yaml_diagnostics": (".yaml", wide_yaml_diagnostics),
    "many_models": (".json", many_models),
    "long_integers": (".json", long_integers),
    "duplicate_far_apart": (".json", duplicate_far_apart),
    "garbage_bytes": (".yaml", garbage_bytes),
    "ref_text": (".json", ref_text),
    "shared_default": (".json", shared_default),
    "wide_allof_lists": (".json", wide_allof_lists),
    "qualified_names": (".json", qualified_names),
    "query_key_spellings": (".json", query_key_spellings),
    "many_operations": (".json", many_operations),
    "many_small_models": (".json", many_small_models),
    "long_path_many_parameters": (".json", long_path_many_parameters),
    "many_security_schemes": (".json", many_security_schemes),
    "many_server_variables": (".json", many_server_variables),
    "many_callbacks": (".json", many_callbacks),
}


def build(name: str) -> Path:
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if name == "inline_bomb":
        path = inline_bomb_files(folder)
    else:
        suffix, builder = INPUTS[name]
        content = builder()
        path = folder / f"spec{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    size = sum(p.stat().st_size for p in folder.iterdir())
    if size > MAX_BYTES:
        raise SystemExit(f"{name}: {size:,} bytes, over the 10 MB this benchmark is about")
    return path


def run(command: list[str]) -> tuple[int, float, float, int, str]:
    """Exit status (or -1 on timeout), wall and CPU seconds (user + system, the process
    and the workers it waited for), peak RSS (KiB) and combined output."""
    start = time.perf_counter()
    with open(WORK / "output.txt", "w+b") as sink:
        process = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        deadline = start + KILL_AFTER
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                status = -1
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        sink.seek(0)
        output = sink.read().decode("utf-8", "replace")
    code = -1 if status == -1 else os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return code, wall, cpu, int(usage.ru_maxrss), output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run the inputs whose name contains this")
    parser.add_argument("--commands", default="lint,generate")
    args = parser.parse_args()
    names = [n for n in [*INPUTS, "inline_bomb"] if args.only in n]
    commands = args.commands.split(",")
    failures = 0
    print("| input | size | command | exit | wall | CPU | peak RSS | first line of output |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        path = build(name)
        size = sum(p.stat().st_size for p in path.parent.iterdir())
        for command in commands:
            argv = [sys.executable, "-m", "generator", command, str(path)]
            if command == "generate":
                output_dir = path.parent / "out"
                argv += ["--output", str(output_dir), "--package-name", "hostile"]
            code, wall, cpu, rss, output = run(argv)
            first = next((line for line in output.splitlines() if line.strip()), "")
            first = first.replace(str(path.parent) + "/", "")[:110].replace("|", "\\|")
            bad = (
                code not in (0, 1)
                or wall > MAX_SECONDS
                or rss > MAX_RSS_KIB
                or "Traceback" in output
            )
            failures += bad
            mark = " **over**" if bad else ""
            print(
                f"| {name} | {size / 1e6:.1f} MB | {command} | {code} | {wall:.1f} s{mark}"
                f" | {cpu:.1f} s"
                f" | {rss / 1024:.0f} MiB | `{first}` |",
                flush=True,
            )
            shutil.rmtree(path.parent / "out", ignore_errors=True)
        shutil.rmtree(path.parent, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
