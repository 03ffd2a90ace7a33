#!/usr/bin/env python3
"""Paginating N items: a generated client's auto-pagination against a hand-written loop.

Usage (from the repository root, with the project venv; `bench/run.py` runs it too):

    .venv/bin/python -m generator generate bench/perf/paging-spec.yaml --output /tmp/paging
    .venv/bin/python bench/paging.py --project /tmp/paging --items 10000 --repeats 5

The package is generated from `bench/perf/paging-spec.yaml`, a synthetic billing API with one
list operation per common scheme: `invoices.list` pages with a cursor (Stripe's `has_more` +
`starting_after`), `payments.list` with the `Link` header (GitHub's). One shared
`httpx.MockTransport` handler serves `--items` items in pages of `--page-size`, every page's
body encoded once before timing, so the server side costs the same for every variant.

Variants, each one whole pass over every item, `--repeats` rounds (the order rotates):

- `generated`: `for item in client.invoices.list(limit=page_size): ...`;
- `hand-written`: an `httpx.Client(base_url=..., transport=...)` and a plain loop:
  `client.get(path, params=..., headers=auth)`, `raise_for_status()`, the page's model
  `model_validate_json(response.content)` (the generated package's models, so both do the
  same validation work), yield the items, then the next request: `starting_after` = the last
  item's id while `has_more`, or `response.links["next"]["url"]` while there is one;
- the same two with `AsyncClient`s (`async for`).

Before timing, one pass of each variant is recorded: the same requests (method, URL,
`Authorization`, `Accept`, `User-Agent`) and the same items (`model_dump()` equal). A
mismatch is reported as an error instead of a timing. Prints one JSON document: per
operation, milliseconds per pass and the ratio generated ÷ hand-written per round, median
(min-max) over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import platform
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import GenericAlias
from typing import Any

import httpx
import pydantic

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run by path: make the repository root importable
    sys.path.insert(0, str(ROOT))

from bench.perf.handwritten import find_package  # noqa: E402

BASE_URL = "https://api.example.test"
TOKEN = "bench-token"  # a made-up credential for the mock
TARGET = 1.2  # issue 18: paginating 10,000 items within 1.2x of a hand-written loop


def _invoice(n: int) -> dict[str, Any]:
    return {
        "id": f"in_{n:08d}",
        "object": "invoice",
        "customer": f"cus_{n % 977:05d}",
        "status": ("draft", "open", "paid", "uncollectible", "void")[n % 5],
        "currency": "eur" if n % 3 else "usd",
        "amount_due": 1000 + n,
        "amount_paid": 1000 + n if n % 5 == 2 else 0,
        "created": 1_760_000_000 + n * 60,
        "due_date": None if n % 4 == 0 else f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "description": None if n % 2 else f"Invoice {n} for services",
        "metadata": {"order": str(n), "region": "eu" if n % 3 else "us"},
        "lines": [
            {"id": f"il_{n}_{k}", "amount": 500 + k, "quantity": 1 + k, "description": None}
            for k in range(2)
        ],
    }


def _payment(n: int) -> dict[str, Any]:
    return {
        "id": n + 1,
        "amount": f"{10 + n % 900}.{n % 100:02d}",
        "currency": "EUR" if n % 3 else "USD",
        "status": ("pending", "succeeded", "failed", "refunded")[n % 4],
        "created_at": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
        "reference": None if n % 2 else f"ref-{n}",
        "card": {
            "brand": "visa",
            "last4": f"{n % 10000:04d}",
            "exp_month": 1 + n % 12,
            "exp_year": 2027 + n % 5,
        },
    }


class Server:
    """Every page of both operations, encoded once; `handle` only looks them up."""

    def __init__(self, items: int, page_size: int) -> None:
        self.page_size = page_size
        self.invoices: dict[str | None, bytes] = {}
        invoices = [_invoice(n) for n in range(items)]
        after: str | None = None
        for start in range(0, items, page_size):
            data = invoices[start : start + page_size]
            body = {
                "object": "list",
                "data": data,
                "has_more": start + page_size < items,
                "url": "/v1/invoices",
            }
            self.invoices[after] = json.dumps(body).encode()
            after = data[-1]["id"]
        payments = [_payment(n) for n in range(items)]
        pages = max(1, -(-items // page_size))
        self.payments: dict[int, tuple[bytes, str | None]] = {}
        for number in range(1, pages + 1):
            data = payments[(number - 1) * page_size : number * page_size]
            link = None
            if number < pages:
                nxt = f"{BASE_URL}/v1/payments?per_page={page_size}&page={number + 1}"
                last = f"{BASE_URL}/v1/payments?per_page={page_size}&page={pages}"
                link = f'<{nxt}>; rel="next", <{last}>; rel="last"'
            self.payments[number] = (json.dumps(data).encode(), link)
        self.pages = len(self.invoices), len(self.payments)
        self.recorded: list[tuple[str, ...]] | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The page the request asks for."""
        if self.recorded is not None:
            keep = ("authorization", "accept", "user-agent")
            self.recorded.append(
                (request.method, str(request.url), *(request.headers.get(h, "") for h in keep))
            )
        params = request.url.params
        headers = {"content-type": "application/json"}
        if request.url.path == "/v1/invoices":
            return httpx.Response(
                200, content=self.invoices[params.get("starting_after")], headers=headers
            )
        body, link = self.payments[int(params.get("page", "1"))]
        if link is not None:
            headers["link"] = link
        return httpx.Response(200, content=body, headers=headers)


class Hand:
    """The hand-written loops, with the generated package's models."""

    def __init__(self, package: Any, page_size: int) -> None:
        models = importlib.import_module(f"{package.__name__}.models")
        self.invoice_list = models.InvoiceList
        page_type: Any = GenericAlias(list, (models.Payment,))  # list[Payment]
        self.payments: pydantic.TypeAdapter[list[Any]] = pydantic.TypeAdapter(page_type)
        self.page_size = page_size
        self.headers = {
            "Authorization": f"Bearer {TOKEN}",
            "Accept": "application/json",
            "User-Agent": f"paging-spec/1.0.0 python-httpx/{httpx.__version__}",
        }

    def invoices_sync(self, http: httpx.Client) -> Iterator[Any]:
        params: dict[str, Any] = {"limit": self.page_size}
        while True:
            response = http.get("/v1/invoices", params=params, headers=self.headers)
            response.raise_for_status()
            page = self.invoice_list.model_validate_json(response.content)
            yield from page.data
            if not page.has_more or not page.data:
                return
            params = {"limit": self.page_size, "starting_after": page.data[-1].id}

    def payments_sync(self, http: httpx.Client) -> Iterator[Any]:
        url: str = "/v1/payments"
        params: dict[str, Any] | None = {"per_page": self.page_size}
        while True:
            response = http.get(url, params=params, headers=self.headers)
            response.raise_for_status()
            yield from self.payments.validate_json(response.content)
            following = response.links.get("next")
            if following is None:
                return
            url, params = following["url"], None

    async def invoices_async(self, http: httpx.AsyncClient) -> AsyncIterator[Any]:
        params: dict[str, Any] = {"limit": self.page_size}
        while True:
            response = await http.get("/v1/invoices", params=params, headers=self.headers)
            response.raise_for_status()
            page = self.invoice_list.model_validate_json(response.content)
            for item in page.data:
                yield item
            if not page.has_more or not page.data:
                return
            params = {"limit": self.page_size, "starting_after": page.data[-1].id}

    async def payments_async(self, http: httpx.AsyncClient) -> AsyncIterator[Any]:
        url: str = "/v1/payments"
        params: dict[str, Any] | None = {"per_page": self.page_size}
        while True:
            response = await http.get(url, params=params, headers=self.headers)
            response.raise_for_status()
            for item in self.payments.validate_json(response.content):
                yield item
            following = response.links.get("next")
            if following is None:
                return
            url, params = following["url"], None


Pass = Callable[[], Any]  # one whole pass; returns the items (recording) or their count


def _variants(package: Any, server: Server, page_size: int) -> dict[str, dict[str, Pass]]:
    """Per operation: variant name → a function that makes one whole pass."""
    transport = httpx.MockTransport(server.handle)
    client = package.Client(bearer=TOKEN, http_client=httpx.Client(transport=transport))
    aclient = package.AsyncClient(bearer=TOKEN, http_client=httpx.AsyncClient(transport=transport))
    http = httpx.Client(base_url=BASE_URL, transport=transport)
    ahttp = httpx.AsyncClient(base_url=BASE_URL, transport=transport)
    hand = Hand(package, page_size)
    loop = asyncio.new_event_loop()

    def drain(items: Any) -> list[Any]:
        return list(items)

    def adrain(items: AsyncIterator[Any]) -> list[Any]:
        async def run() -> list[Any]:
            return [item async for item in items]

        return loop.run_until_complete(run())

    return {
        "invoices.list (cursor)": {
            "generated": lambda: drain(client.invoices.list(limit=page_size)),
            "hand": lambda: drain(hand.invoices_sync(http)),
            "generated-async": lambda: adrain(aclient.invoices.list(limit=page_size).__aiter__()),
            "hand-async": lambda: adrain(hand.invoices_async(ahttp)),
        },
        "payments.list (link_header)": {
            "generated": lambda: drain(client.payments.list(per_page=page_size)),
            "hand": lambda: drain(hand.payments_sync(http)),
            "generated-async": lambda: adrain(
                aclient.payments.list(per_page=page_size).__aiter__()
            ),
            "hand-async": lambda: adrain(hand.payments_async(ahttp)),
        },
    }


def _verify(server: Server, passes: dict[str, Pass], items: int) -> str:
    """One recorded pass of each variant: the same requests and the same items."""
    seen: dict[str, tuple[list[tuple[str, ...]], list[Any]]] = {}
    for name, make in passes.items():
        server.recorded = []
        got = make()
        seen[name] = (server.recorded, [item.model_dump() for item in got])
        server.recorded = None
    first_name, (requests, dumped) = next(iter(seen.items()))
    if len(dumped) != items:
        raise SystemExit(f"{first_name}: {len(dumped)} items, expected {items}")
    for name, (other_requests, other_dumped) in seen.items():
        if other_requests != requests:
            diff = next(
                (a, b)
                for a, b in zip([*requests, ()], [*other_requests, ()], strict=False)
                if a != b
            )
            raise SystemExit(f"{name} sends other requests than {first_name}: {diff}")
        if other_dumped != dumped:
            raise SystemExit(f"{name} yields other items than {first_name}")
    return (
        f"{len(passes)} variants: {len(requests)} identical requests each (method, URL, "
        f"Authorization, Accept, User-Agent) and equal items ({items})"
    )


def bench_operation(
    name: str, passes: dict[str, Pass], server: Server, items: int, repeats: int
) -> dict[str, Any]:
    """Time every variant's whole pass, `repeats` rounds, the order rotating per round."""
    verified = _verify(server, passes, items)
    for make in passes.values():  # warm: every model and validator built, every page once
        make()
    names = list(passes)
    ms: dict[str, list[float]] = {n: [] for n in names}
    for round_number in range(repeats):
        shift = round_number % len(names)
        for variant in names[shift:] + names[:shift]:
            gc.collect()  # no variant pays for another's garbage
            started = time.perf_counter()
            passes[variant]()
            ms[variant].append((time.perf_counter() - started) * 1000)
    ratios: dict[str, dict[str, float]] = {}
    for mine, theirs, key in (
        ("generated", "hand", "sync"),
        ("generated-async", "hand-async", "async"),
    ):
        per_round = [a / b for a, b in zip(ms[mine], ms[theirs], strict=True)]
        ratios[key] = {
            "median": statistics.median(per_round),
            "min": min(per_round),
            "max": max(per_round),
        }
    return {
        "operation": name,
        "verified": verified,
        "variants": {n: {"ms": ms[n], "median_ms": statistics.median(ms[n])} for n in names},
        "ratios": ratios,
    }


def main(argv: list[str] | None = None) -> int:
    """Time both list operations of the package in `--project`; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--project", required=True, type=Path, help="the generated project")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if min(args.items, args.page_size, args.repeats) < 1:
        parser.error("--items, --page-size and --repeats must be at least 1")
    project = args.project.resolve()
    sys.path.insert(0, str(project))
    package = importlib.import_module(find_package(project))
    server = Server(args.items, args.page_size)
    results = [
        bench_operation(name, passes, server, args.items, args.repeats)
        for name, passes in _variants(package, server, args.page_size).items()
    ]
    json.dump(
        {
            "package": package.__name__,
            "items": args.items,
            "page_size": args.page_size,
            "pages": dict(zip(("invoices", "payments"), server.pages, strict=True)),
            "repeats": args.repeats,
            "target": TARGET,
            "operations": results,
            "environment": {
                "python": platform.python_version(),
                "httpx": httpx.__version__,
                "pydantic": pydantic.VERSION,
            },
        },
        sys.stdout,
        indent=1,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
