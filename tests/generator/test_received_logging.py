"""UX audit 15: a success body the spec declares none for, where the method's type
(`Any`) and docstring say it is returned as received, is logged at DEBUG (Trello's 324
operations each warned); a warning stays where the type says otherwise."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording

OK = {"200": {"description": "ok"}}


def _trello() -> dict[str, Any]:
    model = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    typed = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}},
        }
    }
    paths = {
        # declared without content: typed Any, "returned as received"
        "/actions/{id}": {"get": {"operationId": "getAction", "responses": OK}},
        "/cards": {"post": {"operationId": "addCard", "responses": OK}},
        # beside a body: a POST's 202 is typed None, a body there contradicts the type
        "/boards": {
            "post": {
                "operationId": "addBoard",
                "responses": {**typed, "202": {"description": "accepted"}},
            }
        },
        "/labels": {"get": {"operationId": "getLabels", "responses": model}},
    }
    spec = minimal_spec({"B": {"type": "object"}}, paths)
    spec["paths"]["/actions/{id}"]["get"]["parameters"] = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    return spec


def test_a_body_the_method_types_as_received_is_logged_at_debug(
    build_package: BuildPackage, caplog: pytest.LogCaptureFixture
) -> None:
    """Trello declares no body on any of its 324 operations: each one's first call warned
    "the spec declares no body … returned as received", which its type and docstring say."""
    package = build_package(_trello())

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202 if request.url.path.endswith("/boards") else 200, json={"x": 1})

    http, _ = recording(answer)
    client = package.Client(http_client=http)
    caplog.set_level(logging.DEBUG)
    assert client.actions.retrieve("a1") == {"x": 1}
    assert client.cards.create() == {"x": 1}
    said = [(r.levelno, r.getMessage()) for r in caplog.records if "declares no body" in r.message]
    assert [level for level, _ in said] == [logging.DEBUG, logging.DEBUG]
    caplog.clear()
    assert client.boards.create() == {"x": 1}  # typed `B | None`: a warning
    said = [(r.levelno, r.getMessage()) for r in caplog.records if "declares no body" in r.message]
    assert [level for level, _ in said] == [logging.WARNING]

    caplog.clear()

    async def main() -> Any:
        transport = httpx.MockTransport(answer)
        aclient = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        return await aclient.actions.retrieve("a2")  # (the first call's log is once a path)

    assert asyncio.run(main()) == {"x": 1}


def test_the_runtime_reads_the_type_as_the_generator_wrote_it(build_package: BuildPackage) -> None:
    """`_responses.typed_as_received` holds for exactly the methods typed `Any` whose
    success the spec declares without content (the generator's `received_as_is`)."""
    package = build_package(_trello())
    responses = importlib.import_module(f"{package.__name__}._responses")
    client = package.Client(base_url="https://api.example.test")
    found = {}
    for dotted in ("actions.retrieve", "cards.create", "boards.create"):
        resource, name = dotted.split(".")
        method = getattr(getattr(client, resource), name)
        module = importlib.import_module(type(getattr(client, resource)).__module__)
        info = getattr(module, f"_op_{name}")()
        returned = str(inspect.signature(method).return_annotation)
        found[dotted] = (returned, responses.typed_as_received(info))
    assert found["cards.create"] == ("Any", True)
    assert found["boards.create"][1] is False and found["boards.create"][0] != "Any"
