"""Check one generated package in a fresh interpreter; print one JSON line with the findings.

Usage (the corpus run calls it; a report's reproduction lines too):

    .venv/bin/python bench/corpus/check.py ours PROJECT_DIR PACKAGE SPEC
    .cache/bench-venv/bin/python bench/corpus/check.py opc PROJECT_DIR PACKAGE SPEC

`PROJECT_DIR` is the folder that holds the package folder. The last line of stdout is
`CORPUS-CHECK {json}`; the exit status is 0 whatever was found (findings are data). The script
uses only the standard library at module level (it runs in the project venv for our packages
and in the bench venv for openapi-python-client's), plus PyYAML for YAML specs and pydantic for
our models.

- **import:** `import PACKAGE`.
- **models:** ours: for every name in `PACKAGE.models.__all__`, the attribute; a pydantic
  `BaseModel` subclass must `model_rebuild(raise_errors=True)` and then be complete, with a real
  validator (not pydantic's mock); anything else must build a `TypeAdapter`. opc: the attribute
  (its models are attrs classes, with nothing to build).
- **operations:** the spec's operations (path items times HTTP methods) against what the package
  offers, through the one function `OPERATIONS[mode]` (the package layout is about to change:
  replace that function, nothing else).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import json
import os
import pkgutil
import selectors
import signal
import sys
import time
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

MARKER = "CORPUS-CHECK "
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_LISTED = 5  # failures listed per check; all are counted
MAX_MESSAGE = 300


@dataclass
class Findings:
    """What the checks found; `None` for a check that did not run."""

    imported: str | None = None  # "ok" or "ExceptionType: message"
    models_total: int | None = None
    models_failed: int | None = None
    model_failures: list[tuple[str, str]] = field(default_factory=list)
    operations_expected: int | None = None
    operations_found: int | None = None
    operations_error: str | None = None  # the operations check itself failed
    hints_failed: int | None = None
    hint_failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def describe(error: BaseException) -> str:
    """`Type: first line … last line of the message`, bounded.

    The last line is where pydantic puts the reason (`Error building "str" validator:` …
    `error: look-around … is not supported`); its documentation links are left out.
    """
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("For further information")]
    message = lines[0] if len(lines) < 2 else f"{lines[0]} … {lines[-1]}"
    text = f"{type(error).__name__}: {message}".strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


# --------------------------------------------------------------------------- the spec


def load_spec(path: Path) -> Any:
    """The parsed spec: JSON with `json`, YAML with PyYAML (C loader when present)."""
    text = path.read_bytes()
    if path.suffix.lower() == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _resolve(ref: str, document: Any, base: Path | None) -> tuple[Any, Any, Path | None]:
    """(target, its document, its folder) of a `$ref`, local or to a file beside the spec."""
    location, _, pointer = ref.partition("#")
    if location:
        if base is None:
            return None, document, base
        path = (base / location).resolve()
        document, base = load_spec(path), path.parent
    target = document
    for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, dict) else None
    return target, document, base


def spec_operations(document: Any, base: Path | None = None) -> list[tuple[str, str]]:
    """Every (METHOD, path) of the spec: path items (after `$ref`s) times HTTP methods.

    A path item may be a `$ref`: local (3.1: to `components/pathItems`) or, with `base` (the
    spec's folder), to another file, as the generator bundles them.
    """
    paths = document.get("paths") if isinstance(document, dict) else None
    found: list[tuple[str, str]] = []
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        where, folder = document, base
        for _ in range(16):
            ref = item.get("$ref") if isinstance(item, dict) else None
            if not isinstance(ref, str):
                break
            try:
                item, where, folder = _resolve(ref, where, folder)
            except (OSError, ValueError):
                item = None
        if isinstance(item, dict):
            found += [(m.upper(), str(path)) for m in HTTP_METHODS if isinstance(item.get(m), dict)]
    return found


# --------------------------------------------------------------------------- operations


@dataclass
class Operations:
    """What the package offers for the spec's operations."""

    found: int
    hints_checked: int = 0
    hint_failures: list[tuple[str, str]] = field(default_factory=list)


class _Unbound(Mapping[str, Any]):
    """The models whose names a module does not bind: `namespace` less `bound`'s keys.

    A view, not a copy: copying 26,971 models for each of 3,954 resource modules (Microsoft
    Graph beta) took 23 s of a check.
    """

    def __init__(self, namespace: dict[str, Any], bound: dict[str, Any]) -> None:
        self._namespace, self._bound = namespace, bound

    def __getitem__(self, name: str) -> Any:
        if name in self._bound:
            raise KeyError(name)
        return self._namespace[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._namespace if name not in self._bound)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def resource_operations(package: ModuleType, namespace: dict[str, Any]) -> Operations:
    """Ours: every operation is a public method of a synchronous resource class, one
    `PACKAGE.resources.<module>` a resource (`client.customers.sources.list`).

    Counts the public functions of every `SyncAPIResource` subclass (sub-resources and
    `with_raw_response` are properties, not functions; a `begin_…` method is its
    operation's second), and resolves each one's type hints
    with `typing.get_type_hints`, the models (`namespace`) as locals: the resource modules
    import them only under TYPE_CHECKING, so that they load lazily. A model whose name the
    module already binds (a model called `Field` beside pydantic's) is left out, as a type
    checker sees it: the module would import that model under another name if it used it.
    """
    base = importlib.import_module(f"{package.__name__}._sync_client").SyncAPIResource
    resources = importlib.import_module(f"{package.__name__}.resources")
    result = Operations(found=0)
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"{resources.__name__}.{info.name}")
        for class_name in module.__all__:
            cls = getattr(module, class_name)
            if not (isinstance(cls, type) and issubclass(cls, base)):
                continue
            for name, member in vars(cls).items():
                if name.startswith("_") or not inspect.isfunction(member):
                    continue
                # (a deprecated operation's method is wrapped by `typing_extensions.deprecated`:
                # its code and globals are the wrapped function's)
                function = inspect.unwrap(member)
                # a long-running operation's `begin_…` method (it calls `_begin`) is the
                # operation's second method: its hints are checked, it is not counted
                result.found += "_begin" not in function.__code__.co_names
                result.hints_checked += 1
                extra = _Unbound(namespace, function.__globals__)
                try:
                    typing.get_type_hints(function, localns=extra)
                except Exception as error:
                    result.hint_failures.append((f"{info.name}.{name}", describe(error)))
    return result


def opc_endpoint_modules(package: ModuleType, namespace: dict[str, Any]) -> Operations:
    """openapi-python-client: every module under `PACKAGE.api` with a `sync_detailed`."""
    api = importlib.import_module(f"{package.__name__}.api")
    result = Operations(found=0)
    for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)  # an import error fails the whole check
        if callable(getattr(module, "sync_detailed", None)):
            result.found += 1
    return result


OPERATIONS: dict[str, Callable[[ModuleType, dict[str, Any]], Operations]] = {
    "ours": resource_operations,
    "opc": opc_endpoint_modules,
}


# --------------------------------------------------------------------------- models


def build_model(obj: Any) -> None:
    """Ours: make pydantic build the model's validator now (models are built lazily)."""
    from pydantic import BaseModel, TypeAdapter

    if isinstance(obj, type) and issubclass(obj, BaseModel):
        obj.model_rebuild(raise_errors=True)
        validator = obj.__pydantic_validator__
        if not obj.__pydantic_complete__ or type(validator).__name__.startswith("Mock"):
            raise RuntimeError("not complete after model_rebuild(raise_errors=True)")
    else:
        TypeAdapter(obj)


def check_models(findings: Findings, models: ModuleType, build: bool) -> dict[str, Any]:
    """Every name of `models.__all__`, fetched and (ours) built; returns them by name."""
    names = list(getattr(models, "__all__", []))
    namespace: dict[str, Any] = {}
    failed: list[tuple[str, str]] = []
    for name in names:
        try:
            value = getattr(models, name)
            namespace[name] = value
            if build:
                build_model(value)
        except Exception as error:
            failed.append((name, describe(error)))
    findings.models_total, findings.models_failed = len(names), len(failed)
    findings.model_failures = failed[:MAX_LISTED]
    return namespace


# --------------------------------------------------------------------------- main


def check(mode: str, project: Path, package_name: str, spec: Path) -> Findings:
    """Run the checks in order; a failed import stops them."""
    findings = Findings()
    started = time.perf_counter()
    try:
        findings.operations_expected = len(spec_operations(load_spec(spec), spec.parent))
    except Exception as error:  # the generator read it: a harness problem, reported as such
        findings.operations_error = f"reading the spec: {describe(error)}"
    findings.seconds["spec"] = time.perf_counter() - started
    started = time.perf_counter()
    sys.path.insert(0, str(project))
    try:
        package = importlib.import_module(package_name)
    except BaseException as error:  # SystemExit from a package is a finding too
        findings.imported = describe(error)
        return findings
    findings.imported = "ok"
    findings.seconds["import"] = time.perf_counter() - started
    started = time.perf_counter()
    namespace: dict[str, Any] = {}
    try:
        models = importlib.import_module(f"{package_name}.models")
    except ModuleNotFoundError:  # no schemas: nothing to build
        findings.models_total = findings.models_failed = 0
    except Exception as error:
        findings.models_total = findings.models_failed = 1
        findings.model_failures = [("(models)", describe(error))]
    else:
        namespace = check_models(findings, models, build=mode == "ours")
    findings.seconds["models"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        operations = OPERATIONS[mode](package, namespace)
    except Exception as error:
        findings.operations_error = describe(error)
    else:
        findings.operations_found = operations.found
        findings.hints_failed = len(operations.hint_failures)
        findings.hint_failures += operations.hint_failures[:MAX_LISTED]
    findings.seconds["operations"] = time.perf_counter() - started
    return findings


# --------------------------------------------------------------------------- fork server

PRELOAD = {
    "ours": ("pydantic", "httpx", "yaml", "typing_extensions", "email_validator"),
    "opc": ("attrs", "httpx", "dateutil.parser", "yaml"),
}


def _preload(mode: str) -> None:
    """Import the libraries every package of `mode` uses, and warm pydantic's lazy imports."""
    for name in PRELOAD[mode]:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    if mode == "ours":
        from pydantic import BaseModel, TypeAdapter

        class _Warm(BaseModel):
            value: int | None = None

        _Warm.model_validate({"value": 1})
        TypeAdapter(list[_Warm])


def _child(request: dict[str, Any]) -> tuple[int, bytes]:
    """In the forked child: run the check; the exit status and the result line."""
    findings = check(
        request["mode"], Path(request["project"]), request["package"], Path(request["spec"])
    )
    return 0, (MARKER + json.dumps(asdict(findings))).encode()


def redirect_output(stdout: str, stderr: str) -> None:
    """In a forked child: stdin from /dev/null, stdout and stderr appended to these files (what
    the child prints must not reach the server's pipes)."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, stdout), (2, stderr)):
        with open(path, "ab") as log:
            os.dup2(log.fileno(), fd)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)


def fork_one(
    timeout: float, log: str, run: Callable[[], tuple[int, bytes]], *, stderr: str | None = None
) -> dict[str, Any]:
    """Run `run` in a forked child of its own session (a timeout kills its whole process group,
    and what it starts), its output appended to `log` (stderr to `stderr` if given), and wait:
    `{"returncode" (None on timeout), "wall", "peak_kib", "output"}`, where output is the bytes
    `run` returned (or `CRASH <what it raised>`, exit status 1)."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        code, data = 1, b"CRASH nothing ran"
        try:
            os.setsid()
            redirect_output(log, stderr or log)
            code, data = run()
        except BaseException as error:
            code, data = 1, f"CRASH {describe(error)}".encode()
        try:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            view = memoryview(data)
            while view:
                view = view[os.write(write, view) :]
        finally:
            os._exit(code)
    os.close(write)
    deadline = started + timeout
    chunks: list[bytes] = []
    timed_out = False
    with selectors.DefaultSelector() as selector:
        selector.register(read, selectors.EVENT_READ)
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                break
            if selector.select(left):
                chunk = os.read(read, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    os.close(read)
    _, status, usage = os.wait4(pid, 0)
    return {
        "returncode": None if timed_out else os.waitstatus_to_exitcode(status),
        "wall": time.perf_counter() - started,
        "peak_kib": usage.ru_maxrss,
        "output": b"".join(chunks).decode(errors="replace"),
    }


def serve(mode: str) -> int:
    """Fork server: one JSON request a line on stdin, one JSON reply a line on stdout.

    A request is `{"mode", "project", "package", "spec", "timeout", "log"}`. Each check runs in
    a child forked from this process, which has imported only the libraries in `PRELOAD` and
    never any generated code, so every child starts as fresh as a new interpreter, without
    paying for pydantic's and httpx's imports each time. The reply has the child's exit
    status (None on timeout), wall time, peak RSS and the result line.
    """
    _preload(mode)
    replies = sys.stdout
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            child = functools.partial(_child, request)
            reply = fork_one(float(request["timeout"]), request["log"], child)
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
    return 0


def main(argv: list[str]) -> int:
    """Entry point: `check.py ours|opc PROJECT_DIR PACKAGE SPEC` or `check.py serve ours|opc`."""
    if len(argv) == 2 and argv[0] == "serve" and argv[1] in OPERATIONS:
        return serve(argv[1])
    if len(argv) != 4 or argv[0] not in OPERATIONS:
        print(__doc__, file=sys.stderr)
        return 2
    findings = check(argv[0], Path(argv[1]).resolve(), argv[2], Path(argv[3]).resolve())
    sys.stdout.flush()
    print(MARKER + json.dumps(asdict(findings)), flush=True)
    return 0


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    sys.exit(main(sys.argv[1:]))
