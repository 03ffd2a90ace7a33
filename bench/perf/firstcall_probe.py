"""The first call through one operation of a generated package, on `httpx.MockTransport`.

Run by path with the project venv, in two steps (`bench/run.py` runs both; see bench/README.md):

    .venv/bin/python bench/perf/firstcall_probe.py prepare --project /tmp/gh --call repos.get \\
        --output /tmp/firstcall.json
    .venv/bin/python bench/perf/firstcall_probe.py time /tmp/firstcall.json

`prepare` imports the package's offline test kit (`<pkg>.testing`), picks the operation
(the first of `--call`, then of the test kit's, that it can call with path arguments alone,
whose success status has a JSON example the client accepts; else the README's call, body
included), and writes the plan: the
Client method, its arguments, the test credentials and the example the mock answers with.
It is untimed, in a process of its own, so that the timed process has never loaded the
test kit or any operation.

`time` then measures, in a fresh interpreter, with `time.perf_counter()`:
`import <pkg>; <pkg>.Client(http_client=httpx.Client(transport=MockTransport(...)))`, the
first call of the operation (it loads the operation's module and models, and builds their
validators; a list operation's first page is fetched) and a second call, and prints them
as one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Container
from pathlib import Path
from typing import Any


def _package(project: Path) -> str:
    clients = sorted(project.glob("*/_client.py"))
    if len(clients) != 1:
        raise SystemExit(f"{project}: expected one package with a _client.py, found {clients}")
    return clients[0].parent.name


def _argument(annotation: object) -> object:
    """A value for a required path parameter: 1 for an integer, "example" otherwise."""
    import re

    return 1 if re.search(r"\bint\b", str(annotation)) else "example"


def prepare(project: Path, calls: list[str], output: Path) -> dict[str, Any]:
    """Choose the operation and write the plan `time` reads.

    The candidates are `calls` in that order, then every operation of the test kit. The
    first one that can be called with path arguments alone, whose success status has a JSON
    example, and whose example the client accepts (some specs' examples do not match their
    own schemas) is the one. When none can, the call the package's README shows (with its
    body) is taken, as `bench/percall.py` does.
    """
    import importlib

    package = _package(project)
    sys.path.insert(0, str(project.resolve()))
    module = importlib.import_module(package)
    testing = importlib.import_module(f"{package}.testing")
    routes = {route.name: route for route in testing._ROUTES}
    unknown = [name for name in calls if name not in routes]
    if unknown:
        raise SystemExit(f"{package}: no operation {', '.join(unknown)} in testing._ROUTES")
    order = [*calls, *(name for name in routes if name not in calls)]
    refused: list[str] = []
    for name in order:
        plan = _plan(module, testing, routes[name], project)
        if plan is None:
            continue
        problem = _try(module, plan)
        if problem is None:
            output.write_text(json.dumps(plan, indent=2), encoding="utf-8")
            return plan
        refused.append(f"{name}: {problem}")
    readme = _readme_call(project, routes)
    if readme is not None:
        plan = _plan(module, testing, routes[readme[0]], project, given=readme[2])
        if plan is not None:
            plan["args"] = readme[1]
        problem = "no success status" if plan is None else _try(module, plan)
        if plan is not None and problem is None:
            output.write_text(json.dumps(plan, indent=2), encoding="utf-8")
            return plan
        refused.append(f"{readme[0]} (README): {problem}")
    detail = f" ({'; '.join(refused[:3])})" if refused else ""
    raise SystemExit(f"{package}: no operation callable with path arguments alone{detail}")


def _method(client: Any, dotted: str) -> Any:
    """`client.customers.sources.list` for `customers.sources.list`."""
    for part in dotted.split("."):
        client = getattr(client, part)
    return client


def _readme_call(
    project: Path, operations: Container[str]
) -> tuple[str, list[Any], dict[str, Any]] | None:
    """The README's call of one of `operations` that sends a body, if it has one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
    from bench.perf.handwritten import readme_call

    try:
        return readme_call(project, operations)
    except (OSError, SystemExit):
        return None


def _plan(
    module: Any, testing: Any, route: Any, project: Path, given: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The call of one route with made-up path arguments (or `given` ones), or None.

    None when the success status has neither a JSON example nor a test-kit fallback (unless
    the arguments are given: the mock then answers with an empty body) or the call needs more
    than path arguments.
    """
    import inspect

    status = str(route.default_status)
    examples = route.examples.get(status) or {}
    # no example: what the test kit's mock answers instead (the schemas' examples, else
    # values synthesised from the types, decided at generation)
    answer = next(iter(examples.values()), None) or getattr(route, "fallbacks", {}).get(status)
    if not (status.startswith("2") and (answer or given is not None)):
        return None
    info = route.operation
    placeholders = {part.split("}", 1)[0] for part in info.path.split("{")[1:]}
    params: dict[str, object] = dict(given or {})
    signature = inspect.signature(_method(module.Client(base_url="https://x.invalid"), route.name))
    for name, parameter in signature.parameters.items() if given is None else ():
        if name == "self" or parameter.default is not inspect.Parameter.empty:
            continue
        if name not in placeholders:
            return None  # a required query, header or body argument
        params[name] = _argument(parameter.annotation)
    if "owner" in params and "repo" in params:  # GitHub's examples are octocat's
        params.update(owner="octocat", repo="Hello-World")
    return {
        "project": str(project.resolve()),
        "package": module.__name__,
        "call": route.name,
        "http": f"{info.method} {info.path}",
        "args": [],
        "params": params,
        "credentials": dict(testing._TEST_CREDENTIALS),
        # a range ("2XX", Microsoft Graph's) answers with its first code
        "status": int(status.upper().replace("XX", "00"))
        if status.upper().endswith("XX")
        else int(status),
        "body": answer or "",
    }


def _try(module: Any, plan: dict[str, Any]) -> str | None:
    """Make the planned call once here: None when it works, else the error's first line."""
    client = module.Client(http_client=_mock_http(plan), **plan["credentials"])
    try:
        _complete(_method(client, plan["call"])(*plan["args"], **plan["params"]))
    except Exception as error:
        return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return None


def _complete(result: Any) -> Any:
    """The call's result, with its first page fetched when it is a (lazy) page of a list.

    A list operation returns a page that sends its request on first use; the first call is
    only made once that request has been sent and its response parsed.
    """
    if hasattr(result, "iter_pages"):
        result.items  # noqa: B018  # the property fetches the page
    return result


def _mock_http(plan: dict[str, Any]) -> Any:
    """An `httpx.Client` whose transport answers every request with the plan's example."""
    import httpx

    status, body = int(plan["status"]), plan["body"].encode()
    headers = {"content-type": "application/json"} if body else {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    return httpx.Client(transport=httpx.MockTransport(handler))


def time_call(plan_path: Path) -> dict[str, Any]:
    """The timed part, in this fresh interpreter: import + Client(), first and second call."""
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    sys.path.insert(0, plan["project"])
    started = time.perf_counter()
    import importlib

    module = importlib.import_module(plan["package"])
    client = module.Client(http_client=_mock_http(plan), **plan["credentials"])
    constructed = time.perf_counter()
    operation = _method(client, plan["call"])
    result = _complete(operation(*plan["args"], **plan["params"]))
    first = time.perf_counter()
    _complete(operation(*plan["args"], **plan["params"]))
    second = time.perf_counter()
    return {
        "package": plan["package"],
        "call": plan["call"],
        "http": plan["http"],
        "result": type(result).__name__,
        "import_client_s": constructed - started,
        "first_call_s": first - constructed,
        "second_call_s": second - first,
    }


def main(argv: list[str] | None = None) -> int:
    """`prepare --project P [--call NAME] --output PLAN` or `time PLAN`."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare", help="choose the operation and write the plan")
    step.add_argument("--project", type=Path, required=True, help="folder holding the package")
    step.add_argument(
        "--call",
        default="",
        help="comma-separated Client methods to try first (default: the first that fits)",
    )
    step.add_argument("--output", type=Path, required=True, help="the plan (JSON) to write")
    step = steps.add_parser("time", help="time import, Client() and the first call of a plan")
    step.add_argument("plan", type=Path)
    args = parser.parse_args(argv)
    if args.step == "prepare":
        calls = [name.strip() for name in args.call.split(",") if name.strip()]
        found = prepare(args.project, calls, args.output)
    else:
        found = time_call(args.plan)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
