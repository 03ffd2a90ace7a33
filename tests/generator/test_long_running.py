"""Long-running operations (Azure's `x-ms-long-running-operation`: 1,317 operations of 234
directory specs): `begin_<method>` sends the request and returns a poller whose `result()`
follows the operation as Azure's SDKs do (a status monitor, a `Location`, the resource's
own `provisioningState`) and returns the final body. Sync and async, on httpx.MockTransport."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, assert_package_builds, minimal_spec, write_spec

BASE = "https://api.example.test/v1"
_TEXT = {"type": "string"}
_NAME = {"name": "vmName", "in": "path", "required": True, "schema": _TEXT}


@pytest.fixture
def build_package(build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch) -> BuildPackage:
    """conftest's, with each package's default polling interval 0: the servers here answer
    `Retry-After: 0`, which means the interval (as azure-core reads it; polled without a
    pause before, 9,100 requests in 3 s: hostile audit 12)."""

    def build(spec: dict[str, Any] | str, *, filename: str = "spec.yaml") -> Any:
        package = build_package(spec, filename=filename)
        polling = importlib.import_module(f"{package.__name__}._polling")
        monkeypatch.setattr(polling, "DEFAULT_POLLING_INTERVAL", 0.0)
        return package

    return build


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _spec() -> dict[str, Any]:
    machine = {
        "type": "object",
        "required": ["location"],
        "properties": {
            "name": {"type": "string", "readOnly": True},
            "location": _TEXT,
            "properties": {
                "type": "object",
                "properties": {"provisioningState": {"type": "string", "readOnly": True}},
            },
        },
    }
    result = {"type": "object", "properties": {"id": _TEXT, "output": _TEXT}}
    ok: dict[str, Any] = {"description": "Done.", "content": _json("Machine")}
    return minimal_spec(
        {"Machine": machine, "Result": result},
        {
            "/vms/{vmName}": {
                "put": {
                    "operationId": "Machines_CreateOrUpdate",
                    "x-ms-long-running-operation": True,
                    "parameters": [_NAME],
                    "requestBody": {"required": True, "content": _json("Machine")},
                    "responses": {"200": ok, "201": {**ok, "description": "Created."}},
                },
                "delete": {
                    "operationId": "Machines_Delete",
                    "x-ms-long-running-operation": True,
                    "parameters": [_NAME],
                    "responses": {
                        "200": {"description": "Deleted."},
                        "202": {"description": "Accepted."},
                        "204": {"description": "Gone."},
                    },
                },
            },
            "/vms/{vmName}/restart": {
                "post": {
                    "operationId": "Machines_Restart",
                    "x-ms-long-running-operation": True,
                    "x-ms-long-running-operation-options": {"final-state-via": "location"},
                    "parameters": [
                        _NAME,  # a parameter of the name the begin method takes: renamed
                        {"name": "polling_interval", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {"description": "Restarted.", "content": _json("Result")},
                        "202": {"description": "Accepted."},
                    },
                }
            },
            "/vms/{vmName}/capture": {
                "post": {
                    "operationId": "Machines_Capture",
                    "x-ms-long-running-operation": True,
                    "x-ms-long-running-operation-options": {
                        "final-state-via": "azure-async-operation"
                    },
                    "parameters": [_NAME],
                    "responses": {
                        "200": {"description": "Captured.", "content": _json("Result")},
                        "202": {"description": "Accepted."},
                    },
                }
            },
        },
    )


def test_the_ir_reads_long_running_operations(tmp_path: Path) -> None:
    from generator.ir_build import build_api
    from generator.load import load_spec

    api = build_api(load_spec(write_spec(tmp_path, _spec(), "spec.json")), "pkg", "spec.json")
    found = {
        op.name: (op.polling.method, op.polling.final_state_via)
        for op in api.operations
        if op.polling is not None
    }
    assert found == {
        "create_or_update": ("begin_create_or_update", None),
        "delete": ("begin_delete", None),
        "restart": ("begin_restart", "location"),
        "capture": ("begin_capture", "azure-async-operation"),
    }
    restart = next(op for op in api.operations if op.name == "restart")
    assert [p.name for p in restart.parameters] == ["vm_name", "polling_interval_"]


class _Azure:
    """A server whose operations take two polls: a status monitor (PUT, capture), a
    `Location` (restart, delete) or the resource itself (PUT without headers)."""

    def __init__(self, *, monitor_status: str = "Succeeded", headers: bool = True) -> None:
        self.seen: list[str] = []
        self.polls: dict[str, int] = {}
        self.monitor_status = monitor_status
        self.headers = headers

    def _poll(self, key: str) -> int:
        self.polls[key] = self.polls.get(key, 0) + 1
        return self.polls[key]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        self.seen.append(f"{request.method} {path}")
        later = {"Retry-After": "0"}
        machine: dict[str, Any] = {"name": "vm1", "location": "westeurope"}
        if request.method == "PUT":
            if not self.headers:  # the resource's own provisioning state
                state = {**machine, "properties": {"provisioningState": "Creating"}}
                return httpx.Response(201, json=state, headers=later)
            monitor = {"Azure-AsyncOperation": f"{BASE}/operations/put?api-version=1"}
            return httpx.Response(201, json=machine, headers={**later, **monitor})
        if request.method == "DELETE":
            return httpx.Response(202, headers={**later, "Location": "/v1/results/delete"})
        if path == "/vms/vm1/restart":
            located = {"Location": f"{BASE}/results/restart"}
            monitor = {"Azure-AsyncOperation": f"{BASE}/operations/restart"}
            return httpx.Response(202, headers={**later, **located, **monitor})
        if path == "/vms/vm1/capture":
            return httpx.Response(
                202, headers={**later, "Azure-AsyncOperation": f"{BASE}/operations/capture"}
            )
        if path.startswith("/operations/"):
            if self._poll(path) < 2:
                return httpx.Response(200, json={"status": "InProgress"}, headers=later)
            body: dict[str, Any] = {"status": self.monitor_status, "id": "op-1"}
            if self.monitor_status == "Failed":
                body["error"] = {"code": "QuotaExceeded", "message": "No cores left."}
            else:
                body["output"] = "captured"
            return httpx.Response(200, json=body, headers=later)
        if path == "/results/delete":
            if self._poll(path) < 2:
                return httpx.Response(202, headers=later)
            return httpx.Response(204)
        if path == "/results/restart":  # (read once the monitor said Succeeded)
            return httpx.Response(200, json={"id": "r-1", "output": "restarted"})
        if request.method == "GET" and path == "/vms/vm1":
            provisioning = "Creating" if self._poll(path) < 2 and not self.headers else "Succeeded"
            return httpx.Response(
                200,
                json={**machine, "properties": {"provisioningState": provisioning}},
                headers=later,
            )
        return httpx.Response(404, json={"error": {"code": "NotFound"}})


def _client(
    package: Any, server: Callable[[httpx.Request], httpx.Response], asynchronous: bool
) -> Any:
    if asynchronous:
        http: Any = httpx.AsyncClient(transport=httpx.MockTransport(server))
        return package.AsyncClient(base_url=BASE, http_client=http)
    return package.Client(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(server))
    )


def _run(asynchronous: bool, begin: Any) -> tuple[Any, Any]:
    """(poller, result) of a `begin_…` call, on either client."""
    if not asynchronous:
        poller = begin()
        return poller, poller.result()

    async def main() -> tuple[Any, Any]:
        poller = await begin()
        return poller, await poller.result()

    return asyncio.run(main())


@pytest.mark.parametrize("asynchronous", [False, True])
def test_each_way_of_polling_ends_with_the_final_body(
    build_package: BuildPackage, asynchronous: bool
) -> None:
    package = build_package(_spec())
    assert_package_builds(package)
    server = _Azure()
    machines = _client(package, server, asynchronous).machines

    # a status monitor, then the resource itself (a PUT's final body is at its URL)
    poller, machine = _run(
        asynchronous, lambda: machines.begin_create_or_update("vm1", location="westeurope")
    )
    assert isinstance(machine, package.models.Machine)
    assert machine.properties.provisioning_state == "Succeeded"
    assert poller.done() and poller.status() == "Succeeded"
    assert server.seen[-3:] == ["GET /operations/put", "GET /operations/put", "GET /vms/vm1"]

    # the monitor polled, then `final-state-via: location`: the final body is the Location's
    server.seen.clear()
    _, restarted = _run(asynchronous, lambda: machines.begin_restart("vm1", polling_interval=0))
    assert restarted == package.models.Result(id="r-1", output="restarted")
    assert server.seen[1:] == [
        "GET /operations/restart",
        "GET /operations/restart",
        "GET /results/restart",
    ]

    # a POST whose final state is the status monitor's body, read as the 200 response's type
    _, captured = _run(asynchronous, lambda: machines.begin_capture("vm1"))
    assert isinstance(captured, package.models.Result)
    assert (captured.id, captured.output) == ("op-1", "captured")

    # a `Location` (relative) polled until it stops answering 202; no body
    server.seen.clear()
    poller, deleted = _run(asynchronous, lambda: machines.begin_delete("vm1"))
    assert deleted is None and poller.done()
    assert server.seen == ["DELETE /vms/vm1", "GET /results/delete", "GET /results/delete"]


def test_a_put_without_headers_polls_its_provisioning_state(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    server = _Azure(headers=False)
    poller = _client(package, server, False).machines.begin_create_or_update("vm1", location="x")
    assert poller.status() == "Creating" and not poller.done()
    assert poller.initial_response.status_code == 201
    machine = poller.result()
    assert machine.properties.provisioning_state == "Succeeded"
    assert server.seen == ["PUT /vms/vm1", "GET /vms/vm1", "GET /vms/vm1"]


def test_an_operation_done_at_once_is_not_polled(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        body = {"name": "vm1", "location": "x", "properties": {"provisioningState": "Succeeded"}}
        return httpx.Response(200, json=body)

    poller = _client(package, server, False).machines.begin_create_or_update("vm1", location="x")
    assert poller.done() and poller.result().name == "vm1"
    assert seen == ["PUT"]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_failed_operation_raises_with_the_services_error(
    build_package: BuildPackage, asynchronous: bool
) -> None:
    package = build_package(_spec())
    machines = _client(package, _Azure(monitor_status="Failed"), asynchronous).machines
    with pytest.raises(package.LongRunningOperationError) as raised:
        _run(asynchronous, lambda: machines.begin_capture("vm1"))
    assert isinstance(raised.value, package.APIError)
    assert raised.value.status == "Failed"
    assert raised.value.parsed["error"]["code"] == "QuotaExceeded"
    assert "Failed" in str(raised.value) and "No cores left." in str(raised.value)


def test_a_polling_url_on_another_origin_is_not_followed(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        monitor = {"Azure-AsyncOperation": "https://evil.test/steal", "Retry-After": "0"}
        return httpx.Response(202, headers=monitor)

    client = _client(package, server, False)
    poller = client.machines.begin_capture("vm1")
    with pytest.raises(package.LongRunningOperationError, match="origin"):
        poller.result()
    assert seen == [f"{BASE}/vms/vm1/capture"]


def test_result_waits_at_most_its_timeout(build_package: BuildPackage) -> None:
    package = build_package(_spec())

    def server(request: httpx.Request) -> httpx.Response:  # no Retry-After: the interval
        return httpx.Response(202, headers={"Location": f"{BASE}/results/never"})

    machines = _client(package, server, False).machines
    poller = machines.begin_restart("vm1", polling_interval=60)
    # the package's own error (an `except APIError` did not catch the built-in one), and
    # a TimeoutError all the same
    with pytest.raises(package.PollingTimeoutError) as raised:
        poller.result(timeout=0.01)
    assert isinstance(raised.value, package.APIError) and isinstance(raised.value, TimeoutError)
    assert not poller.done() and poller.status() == "InProgress"


@pytest.mark.parametrize("after", ["0", "0.0001"])
def test_a_retry_after_of_no_time_is_no_busy_loop(build_package: BuildPackage, after: str) -> None:
    """`Retry-After: 0` polled without a pause, 9,100 requests in 3 s (hostile audit 12):
    0 means the interval, as azure-core reads it, and less than a second is a second."""
    package = build_package(_spec())
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            202, headers={"Location": f"{BASE}/results/never", "Retry-After": after}
        )

    machines = _client(package, server, False).machines
    poller = machines.begin_restart("vm1", polling_interval=60)
    with pytest.raises(TimeoutError):
        poller.result(timeout=0.3)
    assert len(seen) <= 2  # the request and at most one poll


def test_begin_methods_are_typed_pollers(build_package: BuildPackage) -> None:
    """(`assert_package_builds` resolves every method's hints.)"""
    package = build_package(_spec())
    for client, poller in ((package.Client, "Poller"), (package.AsyncClient, "AsyncPoller")):
        method = client(base_url=BASE).machines.begin_create_or_update
        signature = inspect.signature(method)
        assert signature.return_annotation == f"{poller}[_models.Machine]"
        assert signature.parameters["polling_interval"].annotation == "float | None"
    assert issubclass(package.LongRunningOperationError, package.APIError)


def test_the_readme_shows_a_poller_that_runs(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.test_readme_snippets import run_readme

    package = build_package(_spec())
    project = Path(str(package.__file__)).parents[1]
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "## Long-running operations" in readme
    assert "poller = client.machines.begin_" in readme
    workdir = tmp_path / "work"
    workdir.mkdir()
    run_readme(project, package.__name__, monkeypatch, workdir)


# ---- hostile audit 5 -----------------------------------------------------------------------


def _secured_spec() -> dict[str, Any]:
    spec = _spec()
    spec["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
    }
    spec["security"] = [{"key": []}]
    return spec


def test_polls_send_what_the_call_gave_and_errors_redact_the_credentials(
    build_package: BuildPackage,
) -> None:
    """A credential given in `extra_headers` went with the first request only (the polls
    got a 401), and a failed operation's message echoed the client's key in clear."""
    package = build_package(_secured_spec())
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            monitor = {"Azure-AsyncOperation": f"{BASE}/operations/1", "Retry-After": "0"}
            return httpx.Response(202, headers=monitor)
        failed = {"status": "Failed", "error": {"message": "key s3cr3t-key was revoked"}}
        return httpx.Response(200, json=failed)

    http = httpx.Client(transport=httpx.MockTransport(server))
    client = package.Client(base_url=BASE, key="s3cr3t-key", http_client=http)
    poller = client.machines.begin_capture("vm1", extra_headers={"X-Trace": "t1"})
    with pytest.raises(package.LongRunningOperationError) as raised:
        poller.result()
    assert "s3cr3t" not in str(raised.value) and "[redacted]" in str(raised.value)
    assert [r.headers.get("x-trace") for r in seen] == ["t1", "t1"]


def test_a_put_answering_202_without_a_body_is_polled(build_package: BuildPackage) -> None:
    """A PUT declaring 200 and 201 that answers an undeclared 202 and a monitor, no body:
    `begin_…` raised `EmptyResponseError` after sending the PUT."""
    package = build_package(_spec())
    server = _Azure()

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            monitor = {"Azure-AsyncOperation": f"{BASE}/operations/put", "Retry-After": "0"}
            return httpx.Response(202, headers=monitor)
        return server(request)

    machines = _client(package, answer, False).machines
    assert machines.begin_create_or_update("vm1", location="x").result().name == "vm1"


def test_a_relative_server_completed_by_httpx_polls_its_own_origin(
    build_package: BuildPackage,
) -> None:
    spec = _spec()
    spec["servers"] = [{"url": "/v1"}]
    package = build_package(spec)
    http = httpx.Client(
        base_url="https://api.example.test", transport=httpx.MockTransport(_Azure())
    )
    result = package.Client(http_client=http).machines.begin_capture("vm1").result()
    assert result.output == "captured"


@pytest.mark.parametrize("url", ["https://[::1/op", "https://api.example.test/v1/op\x7f"])
def test_a_garbled_polling_url_is_not_followed(build_package: BuildPackage, url: str) -> None:
    """(A raw `httpx.InvalidURL` escaped from `begin_…`, after the request was sent.)"""
    package = build_package(_spec())

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, headers=[(b"Azure-AsyncOperation", url.encode())])

    poller = _client(package, server, False).machines.begin_capture("vm1")
    assert poller.done() and poller.result() is None


@pytest.mark.parametrize("interval", [-1.0, float("nan"), float("inf")])
def test_a_polling_interval_that_is_no_duration_is_refused_before_sending(
    build_package: BuildPackage, interval: float
) -> None:
    package = build_package(_spec())
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202)

    with pytest.raises(package.RequestValidationError, match="polling_interval"):
        _client(package, server, False).machines.begin_capture("vm1", polling_interval=interval)
    assert seen == []


def test_result_waits_its_whole_timeout(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`result(timeout=5)` with a 60 s interval raised at once; it waits the 5 s first."""
    package = build_package(_spec())
    slept: list[float] = []
    monkeypatch.setattr(f"{package.__name__}._polling.time.sleep", slept.append)

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, headers={"Location": f"{BASE}/results/never"})

    poller = _client(package, server, False).machines.begin_restart("vm1", polling_interval=60)
    with pytest.raises(TimeoutError):
        poller.result(timeout=5)
    assert len(slept) == 1 and 4 < slept[0] <= 5


def test_a_final_state_via_of_another_type_is_ignored(tmp_path: Path) -> None:
    from generator.ir_build import build_api
    from generator.load import load_spec

    spec = _spec()
    spec["paths"]["/vms/{vmName}/restart"]["post"]["x-ms-long-running-operation-options"] = {
        "final-state-via": ["location"]  # (E900: unhashable)
    }
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    restart = next(op for op in api.operations if op.name == "restart")
    assert restart.polling is not None and restart.polling.final_state_via is None
