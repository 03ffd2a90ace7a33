"""Nothing a spec points at is fetched or opened: proved with audit hooks, in a subprocess.

The subprocess installs `sys.addaudithook` before importing the generator, runs
`lint` and `generate` on hostile specs that use every reference keyword (and
calls the example checker and the structural check directly, so that the
libraries see the references even where lint would stop first), and records
every `open` outside the spec's folder, the output folder, the format cache and
the Python installation, and every socket connection or name lookup, which it
also refuses (so a regression fails here instead of hanging).
Audit hooks cannot be removed, hence the subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

HTTP = "http://127.0.0.1:9"
SECRET = "file:///etc/hostname"


def _spec(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "security": [],
        "paths": {},
        "components": {"schemas": schemas},
    }
    spec.update(extra)
    return spec


def _operation(**extra: Any) -> dict[str, Any]:
    return {
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {"200": {"description": "ok", **extra}},
            }
        }
    }


HOSTILE: dict[str, dict[str, Any]] = {
    "ref_http": _spec({"A": {"$ref": f"{HTTP}/a.json"}}),
    "ref_file": _spec({"A": {"$ref": f"{SECRET}#/A"}}),
    "ref_outside": _spec({"A": {"$ref": "../outside.yaml#/A"}}),
    "ref_symlink_outside": _spec({"A": {"$ref": "link.yaml#/A"}}),
    "dynamic_ref": _spec(
        {
            "A": {"$dynamicRef": f"{HTTP}/meta", "example": 1},
            "B": {"$dynamicRef": SECRET, "default": "x"},
        }
    ),
    "schema_keyword": _spec({"A": {"$schema": f"{HTTP}/dialect", "type": "string", "example": 1}}),
    "dialect": _spec({"A": {"type": "string", "example": 1}}, jsonSchemaDialect=f"{HTTP}/d"),
    "id_base": _spec(
        {"A": {"$id": f"{HTTP}/root.json", "properties": {"b": {"$ref": "b.json"}}, "example": {}}}
    ),
    "id_file": _spec({"A": {"$id": SECRET, "$ref": "#/$defs/x", "example": 1}}),
    "example_and_default_refs": _spec(
        {
            "A": {
                "type": "object",
                "example": {"$ref": f"{HTTP}/example.json"},
                "default": {"$ref": SECRET},
                "properties": {"p": {"type": "string", "default": {"$ref": f"{HTTP}/d"}}},
            }
        }
    ),
    "refs_in_data_with_a_structural_error": {
        **_spec(
            {
                "A": {
                    "type": "object",
                    "example": {"$ref": f"{HTTP}/example.json"},
                    "default": {"$ref": SECRET},
                }
            }
        ),
        "info": {"title": "no version"},
    },
    "external_value": _spec(
        {},
        paths=_operation(
            content={
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {
                        "remote": {"externalValue": f"{HTTP}/ex.json"},
                        "local": {"externalValue": SECRET},
                    },
                }
            }
        ),
    ),
    "security_urls": _spec(
        {},
        paths=_operation(),
        security=[{"oidc": []}, {"oauth": []}],
        components={
            "securitySchemes": {
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": f"{HTTP}/.well-known/x"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {"tokenUrl": f"{HTTP}/token", "scopes": {}},
                        "authorizationCode": {
                            "authorizationUrl": f"{HTTP}/auth",
                            "tokenUrl": SECRET,
                            "refreshUrl": f"{HTTP}/refresh",
                            "scopes": {},
                        },
                    },
                },
            }
        },
        servers=[{"url": f"{HTTP}/v1"}],
        externalDocs={"url": f"{HTTP}/docs"},
    ),
    "openapi30": {
        "openapi": "3.0.3",
        "info": {"title": "Hostile", "version": "1", "termsOfService": f"{HTTP}/tos"},
        "paths": {},
        "components": {
            "schemas": {
                "A": {"type": "object", "example": {"$ref": SECRET}, "default": {"$ref": HTTP}},
                "B": {"$ref": f"{HTTP}/b.json"},
            }
        },
    },
}

SCRIPT = r"""
import json, os, sys
spec_dir, out_dir, cache_dir, log_path, *allowed = sys.argv[1:]
allowed = [os.path.realpath(p) for p in [spec_dir, out_dir, cache_dir, *allowed]]
events, busy = [], []

def hook(event, args):
    if busy:
        return
    busy.append(1)
    try:
        if event == "open" and isinstance(args[0], (str, bytes)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if not any(path == root or path.startswith(root + os.sep) for root in allowed):
                events.append(["open", path])
        elif event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
            events.append([event, repr(args[1:] if event == "socket.connect" else args)])
            raise PermissionError("network access refused by the audit test")
    finally:
        busy.clear()

sys.addaudithook(hook)

from generator.cli import main
from generator.load import load_spec
from generator.lint import iter_operations
from generator.schema_check import SchemaChecker
from generator.structure import check_structure, passes_metaschema

def each_schema_value(document):
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("example", "default"):
                if key in node:
                    yield node, node[key]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)

codes = {}
for name in sorted(os.listdir(spec_dir)):
    if not name.endswith(".json"):
        continue
    path = os.path.join(spec_dir, name)
    main(["lint", path])
    main(["generate", path, "--output", os.path.join(out_dir, name[:-5]), "--package-name", "pkg"])
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    checker = SchemaChecker(document)
    for schema, value in each_schema_value(document):
        checker.errors(schema, value)
    passes_metaschema(document)
    try:
        spec = load_spec(path)
    except Exception:
        continue
    list(check_structure(spec))

with open(log_path, "w", encoding="utf-8") as handle:
    json.dump(events, handle)
"""


def test_no_file_outside_the_spec_folder_is_opened_and_no_connection_made(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("A: {type: string}\n", encoding="utf-8")
    (specs / "link.yaml").symlink_to(outside)
    for name, spec in HOSTILE.items():
        (specs / f"{name}.json").write_text(json.dumps(spec), encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    log = out / "events.json"
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    # the generator's own code, templates and installed metadata, and the interpreter's
    # and the configuration (pyproject.toml, read where the command runs)
    own = [ROOT / "generator", ROOT / "templates", ROOT / "billing_sdkgen.egg-info"]
    own.append(ROOT / "pyproject.toml")
    allowed = [*map(str, own), "/dev/null", *python]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(specs), str(out), str(cache), str(log), *allowed],
        cwd=ROOT,
        env={**os.environ, "BILLING_SDKGEN_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    # the refusals are reported, located, never acted upon
    for code in ("E101", "E102", "E201"):
        assert code in result.stderr, result.stderr
    assert json.loads(log.read_text(encoding="utf-8")) == []


def test_json_schema_metaschemas_come_from_the_installed_files_by_name() -> None:
    """The 2020-12 / 2019-09 metaschemas an OpenAPI 3.1 document's schemas name are read
    from jsonschema-specifications' own file for each, and only by a vocabulary *name*:
    anything else (a path, an unknown draft) gets no file."""
    from generator import structure

    draft = "https://json-schema.org/draft/2020-12/"
    assert structure._draft_file(draft + "schema")["$id"] == draft + "schema"
    assert structure._draft_file(draft + "meta/core")["$id"] == draft + "meta/core"
    assert structure._draft_file(draft + "meta/meta-data")["$id"] == draft + "meta/meta-data"
    for other in ("meta/../metaschema.json", "meta/", "schema/../x", "meta/nope"):
        assert structure._draft_file(draft + other) is None, other
    assert structure._draft_file("http://json-schema.org/draft-07/schema") is None
    assert structure._bundled_only(draft + "schema#")["$id"] == draft + "schema"
