"""Structural validation (E201): the OpenAPI metaschema, and JSON Schema's own for schemas.

A fast check first: jsonschema-rs validates the document against its OpenAPI
3.0/3.1/3.2 metaschema (openapi-spec-validator's copy) and, for 3.1 and 3.2, every
Schema Object against the metaschema of its dialect, in milliseconds on a 13 MB spec.
Only when that fails does the pure-Python `jsonschema` run, for its messages,
on the document and on the schemas the fast check refused.

Only bundled metaschemas are used, and nothing the spec names is fetched: a
`$schema` (or `jsonSchemaDialect`) naming an unknown dialect is an error, not a
download. jsonschema-rs gets a retriever that serves the metaschemas bundled
with `jsonschema-specifications` and the OpenAPI 3.2 dialect bundled with
`openapi-schema-validator`, and refuses every other URI; `jsonschema` gets
`schema_check.OFFLINE_REGISTRY` with the same OpenAPI dialect added.

A 3.1 Schema Object is checked against JSON Schema 2020-12 unless it names another
dialect; a 3.2 one against the OpenAPI 3.2 dialect (2020-12 plus the shapes of
`discriminator`, `xml` and `externalDocs`), which is 3.2's default `jsonSchemaDialect`.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .limits import MAX_REPORTED
from .load import Spec, join_pointer, walk_nodes
from .structure_explain import explain

_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_OAS32_DIALECT = "https://spec.openapis.org/oas/3.2/dialect/2025-09-17"
# OpenAPI versions whose Schema Objects are full JSON Schema, checked one by one
_JSON_SCHEMA_VERSIONS = ("3.1", "3.2")
# the dialects a Schema Object may name, and the bundled metaschema that checks each
_DIALECTS = {
    "https://json-schema.org/draft/2020-12/schema": _DRAFT_2020_12,
    "https://json-schema.org/draft/2019-09/schema": "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema": "http://json-schema.org/draft-07/schema",
    "http://json-schema.org/draft-06/schema": "http://json-schema.org/draft-06/schema",
    "http://json-schema.org/draft-04/schema": "http://json-schema.org/draft-04/schema",
    "https://spec.openapis.org/oas/3.1/dialect/base": _DRAFT_2020_12,
    "https://spec.openapis.org/oas/3.1/dialect/2024-10-25": _DRAFT_2020_12,
    "https://spec.openapis.org/oas/3.1/dialect/2024-11-10": _DRAFT_2020_12,
    _OAS32_DIALECT: _OAS32_DIALECT,
}
_MESSAGE_CHARS = 300
_UNION_KEYWORDS = frozenset({"oneOf", "anyOf"})


def _metaschema_uri(dialect: Any) -> str | None:
    """The bundled metaschema for a `$schema` value; None when it names no known dialect."""
    if not isinstance(dialect, str):
        return None
    return _DIALECTS.get(dialect.rstrip("#"))


def _bundled_only(uri: str) -> Any:
    """jsonschema-rs retriever: bundled metaschemas only, nothing fetched or opened."""
    uri = uri.rstrip("#")
    openapi = _openapi_dialects()
    if uri in openapi:
        return openapi[uri]
    found = _draft_file(uri)
    if found is not None:
        return found
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]

    try:
        return REGISTRY.contents(uri)
    except Exception:
        raise ValueError(f"{uri}: not fetched (only bundled metaschemas are used)") from None


def _installed(package: str) -> Path | None:
    """The folder of an installed package, found without importing it (its data files are
    read from there); None when it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0])


# JSON Schema's own metaschemas, as jsonschema-specifications ships them (by folder)
_VOCABULARIES = frozenset({"format-annotation", "format-assertion", "meta-data"})
_DRAFT_FOLDERS = {
    "https://json-schema.org/draft/2020-12/": "draft202012",
    "https://json-schema.org/draft/2019-09/": "draft201909",
}


@functools.cache
def _draft_file(uri: str) -> Any:
    """A 2020-12 or 2019-09 metaschema or vocabulary (every OpenAPI 3.1 document's schemas
    name the first), read from jsonschema-specifications' one file for it: importing the
    package loads all of its ~50 schemas into a registry (60 ms of every 3.1 spec's lint).
    None when `uri` is not one of them (the registry then answers)."""
    prefix = next((p for p in _DRAFT_FOLDERS if uri.startswith(p)), None)
    installed = _installed("jsonschema_specifications")
    if prefix is None or installed is None:
        return None
    rest = uri[len(prefix) :]
    folder = installed / "schemas" / _DRAFT_FOLDERS[prefix]
    vocabulary = rest.removeprefix("meta/") if rest.startswith("meta/") else ""
    if rest == "schema":
        path = folder / "metaschema.json"
    elif vocabulary.isidentifier() or vocabulary in _VOCABULARIES:  # a name, never a path
        path = folder / "vocabularies" / vocabulary
    else:
        return None
    try:
        contents = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = isinstance(contents, dict) and str(contents.get("$id", "")).rstrip("#") == uri
    return contents if same else None


@functools.cache
def _openapi_dialects() -> dict[str, Any]:
    """The OpenAPI 3.2 dialect and vocabulary metaschemas bundled with openapi-schema-validator,
    by `$id` (read from the installed package's files: nothing is fetched)."""
    installed = _installed("openapi_schema_validator")
    if installed is None:
        return {}
    folder = installed / "schemas" / "oas3.2"
    found = {}
    for path in sorted(folder.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            found[contents["$id"]] = contents
    return found


@functools.cache
def _openapi_metaschema(version: str) -> Any:
    # openapi-spec-validator's own copy of the metaschema, read without importing the
    # package (its import alone costs a third of a second)
    installed = _installed("openapi_spec_validator")
    if installed is None:
        raise ImportError("openapi-spec-validator is not installed")
    folder = installed / "resources" / "schemas"
    schema = json.loads((folder / f"v{version}" / "schema.json").read_text(encoding="utf-8"))
    return _mended(schema) if version == "3.1" else schema


def _mended(schema: Any) -> Any:
    """The 3.1 metaschema as the OAI now publishes it: its Link Object's `server` field was
    misspelled `body` (OAI/OpenAPI-Specification#4463), and `example` beside `examples`
    (which the 3.1 text calls mutually exclusive) was not refused; the OAI's own `fail/`
    tests expect both refused."""
    definitions = schema.get("$defs", {})
    link = definitions.get("link", {}).get("properties", {})
    if "body" in link and "server" not in link:
        link["server"] = link.pop("body")
    for name in ("parameter", "media-type", "header"):  # beside their unevaluatedProperties
        holder = definitions.get(name)
        if isinstance(holder, dict) and "not" not in holder:
            holder["not"] = {"required": ["example", "examples"]}
    return schema


@functools.cache
def _fast_validator(metaschema: str) -> Any:
    """A jsonschema-rs validator for the OpenAPI metaschema ("3.0", "3.1", "3.2") or a dialect
    URI."""
    import jsonschema_rs

    if metaschema in ("3.0", "3.1", "3.2"):
        schema = _openapi_metaschema(metaschema)
    else:
        schema = _bundled_only(metaschema)
    return jsonschema_rs.validator_for(schema, retriever=_bundled_only, validate_formats=False)


def _schema_nodes(source: Spec | dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    nodes = source.nodes() if isinstance(source, Spec) else walk_nodes(source)
    for pointer, node, is_schema in nodes:
        if is_schema and isinstance(node, dict):
            yield pointer, node


def _dialect_of(document: dict[str, Any], node: dict[str, Any]) -> Any:
    default = _OAS32_DIALECT if str(document.get("openapi", "")).startswith("3.2.") else None
    return node.get("$schema", document.get("jsonSchemaDialect", default or _DRAFT_2020_12))


def passes_metaschema(source: Spec | dict[str, Any]) -> bool:
    """True when the document is valid against its OpenAPI 3.0/3.1/3.2 metaschema (fast check).

    For 3.1 and 3.2, every Schema Object is also checked against the metaschema of its
    dialect (`$schema`, else `jsonSchemaDialect`, else 2020-12 for 3.1 and the OpenAPI
    3.2 dialect for 3.2); an unknown dialect fails.
    """
    document = source.document if isinstance(source, Spec) else source
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0.", "3.1.", "3.2.")):
        return False
    try:
        if not _fast_validator(version[:3]).is_valid(document):
            return False
        if version[:3] in _JSON_SCHEMA_VERSIONS:
            for _, node in _schema_nodes(source):
                uri = _metaschema_uri(_dialect_of(document, node))
                if uri is None or not _fast_validator(uri).is_valid(node):
                    return False
    except Exception:  # a third-party check: when in doubt, take the thorough path
        return False
    return True


@dataclass(frozen=True)
class _Found:
    """One structural error: where, what, and what `generate` does about it."""

    pointer: str
    message: str
    from_schema: bool  # found checking a Schema Object against its dialect
    keyword: str = ""  # the metaschema keyword that failed
    repair: str = ""


def check_structure(spec: Spec) -> Iterator[Diagnostic]:
    """E201 for each structural error (at most `MAX_REPORTED`), located at its JSON pointer,
    with the repair `generate` makes where it makes a known one (see `structure_explain`)."""
    if passes_metaschema(spec):
        return
    try:
        found = list(itertools.islice(_unique(_structural_errors(spec)), MAX_REPORTED + 1))
    except Exception:  # the validators are third-party (RecursionError too): never crash
        found = _fallback_errors(spec)
    # a schema's own errors explain a document-level "not valid under any of …" above it
    schema_errors = [f.pointer for f in found if f.from_schema]
    for item in found[:MAX_REPORTED]:
        if (
            not item.from_schema
            and item.keyword in _UNION_KEYWORDS
            and any(p == item.pointer or p.startswith(item.pointer + "/") for p in schema_errors)
        ):
            continue
        yield replace(
            spec.diagnostic("E201", item.pointer, _shorten(item.message)), repair=item.repair
        )
    if len(found) > MAX_REPORTED:
        yield spec.diagnostic(
            "E201",
            found[MAX_REPORTED].pointer,
            f"more than {MAX_REPORTED} structural errors: the first {MAX_REPORTED} are"
            " reported, this one and those after it are not",
        )


def _unique(found: Iterator[_Found]) -> Iterator[_Found]:
    """Each error once (a nested Schema Object's errors are also its parent's)."""
    seen: set[tuple[str, str]] = set()
    for item in found:
        if (item.pointer, item.message) not in seen:
            seen.add((item.pointer, item.message))
            yield item


def _fallback_errors(spec: Spec) -> list[_Found]:
    """The errors as jsonschema-rs reports them, for a document on which the pure-Python
    validator fails (an input it cannot handle, a recursion limit): located, without the
    detail of `structure_explain`; one sentence at the document when that fails too."""
    document = spec.document
    version = str(document.get("openapi", ""))[:3]
    try:
        found = [
            _Found(join_pointer("", *error.instance_path), error.message, False)
            for error in _fast_validator(version).iter_errors(document)
        ]
        if version in _JSON_SCHEMA_VERSIONS:
            for pointer, node in _schema_nodes(spec):
                uri = _metaschema_uri(_dialect_of(document, node))
                for error in _fast_validator(uri).iter_errors(node) if uri else ():
                    found.append(
                        _Found(join_pointer(pointer, *error.instance_path), error.message, True)
                    )
        return list(itertools.islice(_unique(iter(found)), MAX_REPORTED + 1))
    except Exception:
        message = (
            f"the document could not be checked against the OpenAPI {version} metaschema:"
            " the validators failed on it; its structure is unchecked"
        )
        return [_Found("", message, False)]


def _structural_errors(spec: Spec) -> Iterator[_Found]:
    """Each structural error, in order: located, explained (`structure_explain`)."""
    from jsonschema import validators

    from .schema_check import OFFLINE_REGISTRY

    document = spec.document
    version = str(document.get("openapi", ""))[:3]
    schemas = {pointer for pointer, _, is_schema in spec.nodes() if is_schema}
    metaschema = _openapi_metaschema(version)
    validator = validators.validator_for(metaschema)(metaschema, registry=OFFLINE_REGISTRY)
    for error in _first_errors(validator, document):
        for item in explain(error, "", version, schemas):
            yield _Found(item.pointer, item.message, False, item.keyword, item.repair)
    if version not in _JSON_SCHEMA_VERSIONS:
        return
    for pointer, node in _schema_nodes(spec):
        dialect = _dialect_of(document, node)
        uri = _metaschema_uri(dialect)
        where = join_pointer(pointer, "$schema") if "$schema" in node else pointer
        if uri is None:
            yield _Found(
                where,
                f"unknown JSON Schema dialect {dialect!r}: name a bundled draft or none",
                True,
            )
            continue
        try:
            valid = _fast_validator(uri).is_valid(node)
        except Exception:  # jsonschema-rs takes no lone surrogate (W406): the slow check decides
            valid = False
        if valid:
            continue
        for error in _first_errors(_slow_validator(uri), node):
            for item in explain(error, pointer, version, schemas):
                yield _Found(item.pointer, item.message, True, item.keyword, item.repair)


@functools.cache
def _slow_validator(uri: str) -> Any:
    from jsonschema import validators
    from jsonschema_specifications import REGISTRY
    from referencing import Resource

    from .schema_check import OFFLINE_REGISTRY

    openapi = _openapi_dialects()
    meta = openapi[uri] if uri in openapi else REGISTRY.contents(uri)
    # the OpenAPI dialect's vocabulary metaschema, served from the bundle (never fetched)
    registry = OFFLINE_REGISTRY.with_resources(
        (key, Resource.from_contents(contents)) for key, contents in openapi.items()
    )
    return validators.validator_for(meta)(meta, registry=registry)


def _first_errors(validator: Any, instance: Any) -> list[Any]:
    """The first errors of `instance` (at most one more than reported), in document order."""
    errors = list(itertools.islice(validator.iter_errors(instance), MAX_REPORTED + 1))
    return sorted(errors, key=lambda error: [str(part) for part in error.absolute_path])


def _shorten(message: str) -> str:
    """A long message cut in the middle (a huge value's repr), keeping how it ends."""
    if len(message) <= _MESSAGE_CHARS:
        return message
    half = _MESSAGE_CHARS // 2
    return message[:half] + " … " + message[-half:]
