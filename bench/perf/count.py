"""What a run produced: .py files and lines, and the operations and typed JSON responses found.

The spec side counts every `(METHOD, path)` under `paths` and every `(METHOD, path, status)`
whose response has a JSON media type with a schema; path parameters are blanked (`/a/{}`).
Each tool's output is read with `ast`, never imported: ours (`OperationInfo(...)` calls),
openapi-python-client (`api/**` modules with `sync_detailed`) and openapi-generator
(`api/*_api.py` classes: `param_serialize(method=..., resource_path=...)` and the
`_response_types_map` of each operation). "Dropped" is what the spec declares and the output
lacks, matched by key.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.perf.common import HTTP_METHODS

_SKIP_DIRS = {"__pycache__", ".ruff_cache", "build", ".mypy_cache"}


def count_python(root: Path) -> tuple[int, int]:
    """(.py files, lines) of `root` (one file, or a folder less caches and build folders)."""
    if root.is_file():
        return 1, _count_lines(root)
    files = lines = 0
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = [d for d in subdirs if d not in _SKIP_DIRS and not d.endswith(".egg-info")]
        for name in names:
            if name.endswith(".py"):
                files += 1
                lines += _count_lines(Path(directory, name))
    return files, lines


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _template_key(path: str) -> str:
    """A path with its parameter names blanked: `/a/{id}` and `/a/{Id}` compare equal."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _status_key(status: object) -> str:
    text = str(status)
    return text.lower() if text.lower() == "default" else text.upper()


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True)
class Coverage:
    """Operations as (METHOD, path template) and JSON responses as (METHOD, path, status)."""

    operations: frozenset[tuple[str, str]]
    responses: frozenset[tuple[str, str, str]]


def spec_coverage(document: Any) -> Coverage:
    """What the spec declares: every operation, and every response with a JSON schema."""

    def deref(node: Any) -> Any:
        for _ in range(32):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                return node
            target: Any = document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            node = target
        return node

    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths or {}).items():
        item = deref(item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            key = (method.upper(), _template_key(path))
            operations.add(key)
            for status, response in (operation.get("responses") or {}).items():
                response = deref(response)
                content = response.get("content") if isinstance(response, dict) else None
                if not isinstance(content, dict):
                    continue
                if any(
                    _is_json(media_type) and isinstance(media, dict) and "schema" in media
                    for media_type, media in content.items()
                ):
                    responses.add((*key, _status_key(status)))
    return Coverage(frozenset(operations), frozenset(responses))


def _string_value(node: ast.AST) -> str | None:
    """The text of a string constant, `"…".format(…)` or f-string (placeholders as `{}`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return _string_value(node.func.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _string_value(v) or "" if isinstance(v, ast.Constant) else "{}" for v in node.values
        )
    return None


def ours_coverage(output: Path) -> Coverage | None:
    """Operations and typed JSON responses our generated package declares.

    Finds every `OperationInfo(method=…, path=…, responses={status: (kind, type)})` call in
    the package's modules (module constants or lazy factories alike); a response counts as
    typed when its parse kind is "json". Falls back to counting the public methods of
    `class Client` (responses unknown) when the templates no longer have that shape. None
    when there is no `_client.py`.
    """
    clients = sorted(output.glob("*/_client.py"))
    if not clients:
        return None
    package = clients[0].parent
    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    for module in sorted(package.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "OperationInfo(" not in text:
            continue
        for call in ast.walk(ast.parse(text)):
            if not (isinstance(call, ast.Call) and _call_name(call) == "OperationInfo"):
                continue
            fields = {k.arg: k.value for k in call.keywords if k.arg}
            method = _string_value(fields.get("method", ast.Pass()))
            path = _string_value(fields.get("path", ast.Pass()))
            if method is None or path is None:
                continue
            key = (method.upper(), _template_key(path))
            operations.add(key)
            table = fields.get("responses")
            if isinstance(table, ast.Dict):
                for status, value in zip(table.keys, table.values, strict=True):
                    kind = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else None
                    if status is not None and _string_value(kind or ast.Pass()) == "json":
                        responses.add((*key, _status_key(_string_value(status))))
    if operations:
        return Coverage(frozenset(operations), frozenset(responses))
    tree = ast.parse(clients[0].read_text(encoding="utf-8"))
    for node in tree.body:  # fallback: public methods of class Client, names only
        if isinstance(node, ast.ClassDef) and node.name == "Client":
            names = {
                ("?", f.name)
                for f in node.body
                if isinstance(f, ast.FunctionDef)
                and not f.name.startswith("_")
                and not f.decorator_list
            }
            return Coverage(frozenset(names), frozenset())
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def opc_coverage(package: Path) -> Coverage | None:
    """Endpoints openapi-python-client generated and the statuses it parses from JSON.

    Every module under `<package>/api/` with a `sync_detailed` function is one operation;
    its `_get_kwargs` holds `"method"` and `"url"`. In `_parse_response`, each
    `if response.status_code == N` (or `A <= … <= B`, a `NXX` range) branch that calls
    `response.json()` is a typed response; a trailing unconditional branch is `default`.
    """
    api = package / "api"
    if not api.is_dir():
        return None
    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    for module in sorted(api.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        if "sync_detailed" not in functions or "_get_kwargs" not in functions:
            continue
        method = path = None
        for node in ast.walk(functions["_get_kwargs"]):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    name = _string_value(k) if k is not None else None
                    if name == "method":
                        method = _string_value(v)
                    elif name == "url":
                        path = _string_value(v)
        if method is None or path is None:
            continue
        key = (method.upper(), _template_key(path))
        operations.add(key)
        parse = functions.get("_parse_response")
        for statement in parse.body if parse else []:
            if isinstance(statement, ast.If):
                status = _opc_status(statement.test)
                if status and _calls_json(statement.body):
                    responses.add((*key, status))
            elif _calls_json([statement]):
                responses.add((*key, "default"))
    return Coverage(frozenset(operations), frozenset(responses))


def _opc_status(test: ast.AST) -> str | None:
    if not isinstance(test, ast.Compare):
        return None
    numbers = [
        c.value
        for c in [test.left, *test.comparators]
        if isinstance(c, ast.Constant) and isinstance(c.value, int)
    ]
    if len(numbers) == 1:
        return str(numbers[0])
    if len(numbers) == 2 and numbers[1] - numbers[0] == 99 and numbers[0] % 100 == 0:
        return f"{numbers[0] // 100}XX"
    return None


def _calls_json(statements: Sequence[ast.stmt]) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "json"
        for statement in statements
        for node in ast.walk(statement)
    )


# --------------------------------------------------------------------------- variants


def ogen_coverage(package: Path) -> Coverage | None:
    """Operations openapi-generator's python generator wrote, and the statuses it types.

    Every `_<name>_serialize` method of a class under `<package>/api/` is one operation; its
    `self.api_client.param_serialize(method=..., resource_path=...)` call gives the key. The
    public `<name>` method holds `_response_types_map = {"200": "Model", "404": None, ...}`:
    a status with a type (not None) is a typed response.
    """
    api = package / "api"
    if not api.is_dir():
        return None
    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    for module in sorted(api.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
            for name, function in methods.items():
                if not (name.startswith("_") and name.endswith("_serialize")):
                    continue
                key = _ogen_operation(function)
                if key is None:
                    continue
                operations.add(key)
                public = methods.get(name[1 : -len("_serialize")])
                for status in _ogen_typed_statuses(public) if public else ():
                    responses.add((*key, status))
    return Coverage(frozenset(operations), frozenset(responses))


def _ogen_operation(function: ast.FunctionDef) -> tuple[str, str] | None:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and _call_name(node) == "param_serialize":
            fields = {k.arg: k.value for k in node.keywords if k.arg}
            method = _string_value(fields.get("method", ast.Pass()))
            path = _string_value(fields.get("resource_path", ast.Pass()))
            if method is not None and path is not None:
                return method.upper(), _template_key(path)
    return None


def _ogen_typed_statuses(function: ast.FunctionDef) -> list[str]:
    for node in ast.walk(function):
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if (
            isinstance(target, ast.Name)
            and target.id == "_response_types_map"
            and isinstance(node, ast.AnnAssign)
            and isinstance(node.value, ast.Dict)
        ):
            return [
                _status_key(_string_value(status))
                for status, value in zip(node.value.keys, node.value.values, strict=True)
                if status is not None and _string_value(value) is not None
            ]
    return []
