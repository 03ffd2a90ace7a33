"""A generated package's resources as a user calls them (issue 15): sync, async, raw and
paginated calls through `httpx.MockTransport`, body keyword arguments, lazy loading, and
`mypy --strict` over a user's script."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage
from tests.resource_specs import STRIPE_LIKE


class Stripe:
    """A MockTransport handler: customers over two pages, everything else echoed back."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path, params = request.url.path, request.url.params
        if path.endswith("/customers") and request.method == "GET":
            first = "starting_after" not in params
            ids = ["cus_1", "cus_2"] if first else ["cus_3"]
            return httpx.Response(200, json={"data": [{"id": i} for i in ids], "has_more": first})
        if path.endswith("/sources") and request.method == "GET":
            return httpx.Response(200, json={"data": [{"id": "src_1"}], "has_more": False})
        return httpx.Response(200, json={"id": path.rsplit("/", 1)[-1], "email": "e@x.test"})


@pytest.fixture
def stripe(build_package: BuildPackage) -> ModuleType:
    return build_package(STRIPE_LIKE)


def _client(package: ModuleType, handler: Stripe) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return package.Client(base_url="https://api.example.test", http_client=http)


def _async_client(package: ModuleType, handler: Stripe) -> Any:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return package.AsyncClient(base_url="https://api.example.test", http_client=http)


def test_sync_calls_pages_and_raw_responses(stripe: ModuleType) -> None:
    handler = Stripe()
    client = _client(stripe, handler)
    name = type(client).__name__  # named after the API (here its package)
    assert name.endswith("Client") and getattr(stripe, name) is stripe.Client
    page = client.customers.list(limit=2)
    assert handler.requests == []  # lazy
    assert [c.id for c in page] == ["cus_1", "cus_2", "cus_3"]
    assert handler.requests[1].url.params["starting_after"] == "cus_2"
    customer = client.customers.retrieve("cus_9")
    assert isinstance(customer, stripe.models.Customer) and customer.id == "cus_9"
    assert handler.requests[-1].url.path == "/v1/customers/cus_9"
    source = client.customers.sources.retrieve("cus_9", "src_2")
    assert handler.requests[-1].url.path == "/v1/customers/cus_9/sources/src_2"
    assert source.id == "src_2"
    raw = client.customers.with_raw_response.retrieve(customer="cus_9")
    assert raw.status_code == 200 and raw.parsed.id == "cus_9"
    raw_page = client.customers.sources.with_raw_response.list("cus_9")
    assert raw_page.status_code == 200 and [s.id for s in raw_page.parsed] == ["src_1"]
    assert client.invoices.pay("in_1").id == "pay"


def test_async_calls_pages_and_raw_responses(stripe: ModuleType) -> None:
    handler = Stripe()

    async def main() -> None:
        client = _async_client(stripe, handler)
        assert [c.id async for c in client.customers.list()] == ["cus_1", "cus_2", "cus_3"]
        first = await client.customers.list()
        assert [c.id for c in first.items] == ["cus_1", "cus_2"] and await first.has_next_page()
        assert (await client.customers.sources.verify("cus_1", "src_1")).id == "verify"
        raw = await client.customers.with_raw_response.retrieve("cus_2")
        assert raw.status_code == 200 and raw.parsed.id == "cus_2"
        raw_page = await client.customers.with_raw_response.list()
        assert [c.id for c in raw_page.parsed.items] == ["cus_1", "cus_2"]
        assert type(client).__name__ == "Async" + stripe.Client.__name__

    asyncio.run(main())


def test_body_keyword_arguments_keep_omitted_apart_from_null(stripe: ModuleType) -> None:
    handler = Stripe()
    client = _client(stripe, handler)
    client.customers.update("cus_1", name=None)
    assert json.loads(handler.requests[-1].content) == {"name": None}
    client.customers.update("cus_1")  # an optional body, nothing given: none is sent
    assert handler.requests[-1].content == b""
    # a query parameter and a body property of the same name: the body's gets a suffix
    client.customers.create(email="e@x.test", limit=2, limit_=3, body_="b", timeout_=4)
    request = handler.requests[-1]
    assert request.url.params["limit"] == "2"
    assert json.loads(request.content) == {
        "email": "e@x.test",
        "limit": 3,
        "body": "b",
        "timeout": 4,
    }
    client.customers.create(body={"email": "whole@x.test"})
    assert json.loads(handler.requests[-1].content) == {"email": "whole@x.test"}
    sent = len(handler.requests)
    with pytest.raises(stripe.RequestValidationError, match="not both"):
        client.customers.create(email="e@x.test", body={"email": "e@x.test"})
    with pytest.raises(stripe.RequestValidationError, match="email"):
        client.customers.create()  # a required body with a required field: checked, not sent
    assert len(handler.requests) == sent


def test_touching_a_resource_loads_only_its_module(stripe: ModuleType) -> None:
    folder = Path(str(stripe.__file__)).parent.parent
    script = textwrap.dedent(
        f"""
        import sys
        import {stripe.__name__} as package

        client = package.Client(base_url="https://x.test")
        loaded = lambda: sorted(
            m for m in sys.modules if m.startswith(("{stripe.__name__}.resources.", "{stripe.__name__}.models."))
        )
        assert loaded() == [], loaded()
        client.customers.sources
        assert loaded() == [
            "{stripe.__name__}.resources.customers",
            "{stripe.__name__}.resources.customers_sources",
        ], loaded()
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=folder, check=True)


USER_SCRIPT = """\
from __future__ import annotations

import asyncio
from typing import Any

import httpx
from typing_extensions import assert_type

from {package} import Async{client}, RawResponse, {client}, models
from {package}._pagination import AsyncPage, SyncPage


def main() -> None:
    client = {client}(base_url="https://x.test")
    assert_type(client.customers.list(limit=10), SyncPage[models.Customer])
    for customer in client.customers.list():
        assert_type(customer, models.Customer)
    assert_type(client.customers.retrieve("cus_1"), models.Customer)
    created = client.customers.create(email="e@x.test", name=None, address={{"city": "Paris"}})
    assert_type(created, models.Customer)
    client.customers.create(body=models.CustomerCreate(email="e@x.test"))
    client.customers.update("cus_1", name=None)
    raw = client.customers.with_raw_response.retrieve("cus_1")
    assert_type(raw, RawResponse[models.Customer])
    assert_type(client.customers.sources.list("cus_1"), SyncPage[models.Source])
    client.customers.retrieve("cus_1", extra_query={{"expand": ["sources"]}}, extra_body={{"a": 1}})
    assert_type(client.get("/v1/balance"), Any)
    assert_type(client.post("/v1/x", body={{"a": 1}}, cast_to=models.Customer), models.Customer)
    assert_type(client.delete("/v1/x", cast_to=httpx.Response), httpx.Response)
    assert_type(client.request("HEAD", "/v1/x", cast_to=str), str)
    client.customers.create(name="no email")  # type: ignore[call-overload]
    client.customers.retrieve(1)  # type: ignore[arg-type]
    client.get("/v1/x", params={{"a": 1}})  # type: ignore[call-overload]


async def amain() -> None:
    client = Async{client}(base_url="https://x.test")
    assert_type(await client.customers.retrieve("cus_1"), models.Customer)
    assert_type(client.customers.list(), AsyncPage[models.Customer])
    async for customer in client.customers.list():
        assert_type(customer, models.Customer)
    assert_type(await client.get("/v1/x", cast_to=models.Customer), models.Customer)
    assert_type(await client.patch("/v1/x", body={{}}, idempotency_key="k"), Any)
    raw = await client.customers.with_raw_response.list()
    assert_type(raw, RawResponse[AsyncPage[models.Customer]])


asyncio.run(amain())
"""


def test_a_users_script_passes_mypy_strict(stripe: ModuleType, tmp_path: Path) -> None:
    """Written as a user would: named clients, resources, pages, raw responses, calls to
    undocumented endpoints; the `type: ignore`s prove that mypy rejects a missing required
    body field, a wrong type and an unknown argument (`--strict` reports an ignore that is
    not needed)."""
    script = tmp_path / "user.py"
    text = USER_SCRIPT.format(package=stripe.__name__, client=stripe.Client.__name__)
    script.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), str(script)],
        cwd=Path(str(stripe.__file__)).parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
