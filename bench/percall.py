#!/usr/bin/env python3
"""Per-call overhead of a generated client against hand-written httpx + pydantic code.

Usage (from the repository root, with the project venv; `bench/run.py` runs it too):

    .venv/bin/python bench/percall.py                                   # the committed packages
    .venv/bin/python bench/percall.py --project generated/paypal_billing_entities
    .venv/bin/python bench/percall.py --calls 2000 --repeats 5 --warmup 200

For each project folder (a folder that holds one generated package, e.g.
`generated/paypal_billing_entities`, which is put on `sys.path`, not installed; what is
called and the hand-written code are in `bench/perf/handwritten.py`):

1. The operation is the one the package's README shows under "Usage" (`client.NAME(...)`),
   called with the README's own arguments. The README's body mapping is the request.
2. `testing._ROUTES` of the package (the offline mock kit) gives the operation's
   `OperationInfo` (method, path, request and response models, request-id headers) and the
   spec's first example of its success status: that JSON is the fixed answer of one
   `httpx.MockTransport` handler, shared by every variant.
3. Variants, each timed for `--calls` calls after `--warmup` untimed ones, in `--repeats`
   rounds (the order of the variants rotates between rounds):
   - `generated`: `Client(...).NAME(**params, body=RequestModel.model_validate(body))`;
   - `hand-written`: one `httpx.Client(base_url=..., transport=MockTransport(...))` and a
     plain function: `RequestModel.model_validate(body)`, `model_dump(mode="json",
     by_alias=True, exclude_unset=True)`, `client.request(METHOD, url, json=..., headers=...)`,
     `raise_for_status()`, `ResponseModel.model_validate_json(response.content)`. It uses the
     generated package's models, so both variants do the same validation work;
   - `hand-written, own models` (PayPal only): the same function with plain pydantic models
     written here by hand (same fields and constraints, no generated base class);
   - `httpx only`: the same request with a pre-encoded body and no model work at all
     (the floor that no client can go below);
   - `generated (async)` and `hand-written (async)`: the same with `AsyncClient`s, every
     round's calls awaited one after the other inside one event loop.
4. Before timing, one call of each variant is recorded and compared: same method, URL,
   body bytes and headers (request-id header values aside: they are fresh UUIDs), and
   equal parsed results. A mismatch is reported as an error instead of a timing.

Prints one JSON document (a list, one entry per project) to stdout. Per-call times are
microseconds (perf_counter around the loop, divided by `--calls`); the ratio is
generated ÷ hand-written per round, median (and min-max) over the rounds.
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
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pydantic

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run by path: make the repository root importable
    sys.path.insert(0, str(ROOT))

from bench.perf.handwritten import (  # noqa: E402
    HAND_AUTH,
    OWN_MODELS,
    HandWrittenClient,
    Operation,
    load_operation,
    method_of,
)

TARGET_RATIO = 1.15  # issue 18

# --------------------------------------------------------------------------- measuring


@dataclass
class Variant:
    """One way of making the call: a zero-argument callable (sync) or coroutine factory."""

    key: str
    label: str
    sync: Callable[[], Any] | None = None
    coro: Callable[[], Awaitable[Any]] | None = None


async def _time_chunk(variant: Variant, calls: int) -> float:
    """Seconds for `calls` calls of one variant (sync ones run plainly inside the loop)."""
    if variant.sync is not None:
        fn = variant.sync
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        return time.perf_counter() - started
    assert variant.coro is not None
    coro = variant.coro
    started = time.perf_counter()
    for _ in range(calls):
        await coro()
    return time.perf_counter() - started


async def _measure(
    variants: list[Variant], calls: int, repeats: int, warmup: int, chunk: int
) -> dict[str, list[float]]:
    """Per-call microseconds of every variant, one value per round.

    Within a round the variants take turns in chunks of `chunk` calls until each has made
    `calls`, so that a disturbance from elsewhere on the machine (other processes, CPU
    frequency) hits all of them alike; the order of the turns rotates from round to round.
    """
    for variant in variants:
        await _time_chunk(variant, warmup)
    samples: dict[str, list[float]] = {v.key: [] for v in variants}
    for number in range(repeats):
        shift = number % len(variants)
        order = variants[shift:] + variants[:shift]
        totals = dict.fromkeys(samples, 0.0)
        gc.collect()
        done = 0
        while done < calls:
            step = min(chunk, calls - done)
            for variant in order:
                totals[variant.key] += await _time_chunk(variant, step)
            done += step
        for key, total in totals.items():
            samples[key].append(total / calls * 1e6)
    return samples


def _request_shape(request: httpx.Request, id_headers: tuple[str, ...]) -> dict[str, Any]:
    ids = {h.lower() for h in id_headers}
    headers = {}
    for name, value in request.headers.items():
        if name.lower() in ids:
            uuid.UUID(value)  # a fresh UUID on both sides; its value differs by design
            value = "<uuid>"
        headers[name.lower()] = value
    return {
        "method": request.method,
        "url": str(request.url),
        "headers": dict(sorted(headers.items())),
        "body": request.content.decode("utf-8", "replace"),
    }


def _dump(result: Any) -> Any:
    if isinstance(result, pydantic.BaseModel):
        return result.model_dump(mode="json")
    return result


def bench_project(
    project: Path, calls: int, repeats: int, warmup: int, chunk: int
) -> dict[str, Any]:
    """Time every variant on one project's operation; verify first that they are the same call."""
    op = load_operation(project)
    package = importlib.import_module(op.package)
    testing = importlib.import_module(f"{op.package}.testing")
    credentials = dict(testing._TEST_CREDENTIALS)
    base_url = str(package.DEFAULT_BASE_URL)
    status, content = op.status, op.response_body
    response_headers = {"content-type": "application/json"} if content else {}
    recorded: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers=response_headers)

    def recording(request: httpx.Request) -> httpx.Response:
        recorded.append(request)
        return handler(request)

    transport = httpx.MockTransport(handler)
    params, data = op.params, op.body
    request_model, response_model = op.request_model, op.response_model
    generated_http = httpx.Client(transport=transport)
    generated = package.Client(base_url=base_url, http_client=generated_http, **credentials)
    agenerated_http = httpx.AsyncClient(transport=transport)
    agenerated = package.AsyncClient(base_url=base_url, http_client=agenerated_http, **credentials)
    # Every variant's entry point is bound once, outside the timed loops, alike.
    generated_call = method_of(generated, op.name)
    agenerated_call = method_of(agenerated, op.name)
    # One request of the generated client, recorded: its User-Agent (`<package>/<version>
    # python-httpx/…`) is what a hand-written client of this API would send too, and for a
    # package not in HAND_AUTH its auth headers are copied from it (flagged in the output).
    probe = package.Client(
        base_url=base_url,
        http_client=httpx.Client(transport=httpx.MockTransport(recording)),
        **credentials,
    )
    method_of(probe, op.name)(**params, body=request_model.model_validate(data))
    sent = recorded.pop().headers
    user_agent = {"User-Agent": sent["user-agent"]} if "user-agent" in sent else {}
    if op.package in HAND_AUTH:
        auth, auth_source = (
            HAND_AUTH[op.package],
            "written by hand (HAND_AUTH in bench/perf/handwritten.py)",
        )
    else:
        auth = {
            k: v
            for k, v in sent.items()
            if k.lower() not in {"accept", "content-type", "content-length", "host"}
            and k.lower() not in {"user-agent", "accept-encoding", "connection"}
            and k.lower() not in {h.lower() for h in op.request_id_headers}
        }
        auth_source = "copied from the generated client's request (package not in HAND_AUTH)"
    auth = {**user_agent, **auth}
    # The generated models drop read-only fields and reveal secret fields only under this
    # serialization context; without it the hand-written body would not be the same body.
    context = {"reveal_secrets": True, "request": True}
    hand = HandWrittenClient(op, auth, request_model, response_model, context)
    http = httpx.Client(base_url=base_url, transport=transport)
    ahttp = httpx.AsyncClient(base_url=base_url, transport=transport)
    own: HandWrittenClient | None = None
    if op.package in OWN_MODELS:
        own_request, own_response = OWN_MODELS[op.package]()
        own = HandWrittenClient(op, auth, own_request, own_response, None)
    hand_call, hand_acall = hand.call, hand.acall
    floor_body = json.dumps(
        hand._body(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()
    floor_headers = {**hand.headers, "Content-Type": "application/json"}
    floor_url = hand._url(params)

    def floor() -> Any:
        headers = floor_headers
        if op.request_id_headers:
            headers = {**headers, **{h: str(uuid.uuid4()) for h in op.request_id_headers}}
        response = http.request(op.method, floor_url, content=floor_body, headers=headers)
        response.raise_for_status()
        return None

    variants = [
        Variant(
            "generated",
            "generated Client",
            sync=lambda: generated_call(**params, body=request_model.model_validate(data)),
        ),
        Variant(
            "hand", "hand-written (generated models)", sync=lambda: hand_call(http, params, data)
        ),
    ]
    if own is not None:
        own_call = own.call
        variants.append(
            Variant(
                "hand-own-models",
                "hand-written (own plain models)",
                sync=lambda: own_call(http, params, data),
            )
        )
    variants += [
        Variant("httpx-only", "httpx only (pre-encoded body, no models)", sync=floor),
        Variant(
            "generated-async",
            "generated AsyncClient",
            coro=lambda: agenerated_call(**params, body=request_model.model_validate(data)),
        ),
        Variant(
            "hand-async",
            "hand-written async (generated models)",
            coro=lambda: hand_acall(ahttp, params, data),
        ),
    ]

    verification = verify(op, package, credentials, base_url, recording, recorded, hand, own)

    samples = asyncio.run(_measure(variants, calls, repeats, warmup, chunk))

    def ratio(mine: str, theirs: str) -> dict[str, float] | None:
        pairs = [a / b for a, b in zip(samples[mine], samples[theirs], strict=True) if b]
        if not pairs:
            return None
        return {"median": statistics.median(pairs), "min": min(pairs), "max": max(pairs)}

    ratios: dict[str, Any] = {
        "sync": ratio("generated", "hand"),
        "async": ratio("generated-async", "hand-async"),
    }
    if own is not None:
        ratios["sync_vs_own_models"] = ratio("generated", "hand-own-models")
    generated_http.close()
    http.close()

    async def close_async() -> None:
        await ahttp.aclose()
        await agenerated_http.aclose()

    asyncio.run(close_async())
    return {
        "package": op.package,
        "project": _display(project),
        "operation": op.name,
        "http": f"{op.method} {op.path}",
        "request_model": getattr(op.request_model, "__name__", str(op.request_model)),
        "response_model": getattr(op.response_model, "__name__", None),
        "status": op.status,
        "response_bytes": len(op.response_body),
        "auth_headers": auth_source,
        "verified": verification,
        "calls": calls,
        "repeats": repeats,
        "warmup": warmup,
        "chunk": chunk,
        "variants": {
            v.key: {
                "label": v.label,
                "us": [round(x, 2) for x in samples[v.key]],
                "median_us": round(statistics.median(samples[v.key]), 2),
            }
            for v in variants
        },
        "ratios": ratios,
        "target": TARGET_RATIO,
    }


def verify(
    op: Operation,
    package: Any,
    credentials: dict[str, Any],
    base_url: str,
    recording: Callable[[httpx.Request], httpx.Response],
    recorded: list[httpx.Request],
    hand: HandWrittenClient,
    own: HandWrittenClient | None,
) -> str:
    """One recorded call per client kind: the same request on the wire and the same result."""
    transport = httpx.MockTransport(recording)
    data = op.body
    client = package.Client(
        base_url=base_url, http_client=httpx.Client(transport=transport), **credentials
    )
    results = {
        "generated": method_of(client, op.name)(
            **op.params, body=op.request_model.model_validate(data)
        )
    }
    http = httpx.Client(base_url=base_url, transport=transport)
    results["hand-written"] = hand.call(http, op.params, data)
    if own is not None:
        results["hand-written, own models"] = own.call(http, op.params, data)

    async def both_async() -> list[Any]:
        aclient_http = httpx.AsyncClient(transport=transport)
        aclient = package.AsyncClient(base_url=base_url, http_client=aclient_http, **credentials)
        ahttp = httpx.AsyncClient(base_url=base_url, transport=transport)
        found = [
            await method_of(aclient, op.name)(
                **op.params, body=op.request_model.model_validate(data)
            ),
            await hand.acall(ahttp, op.params, data),
        ]
        await ahttp.aclose()
        await aclient_http.aclose()
        return found

    results["generated async"], results["hand-written async"] = asyncio.run(both_async())
    shapes = [_request_shape(r, op.request_id_headers) for r in recorded]
    recorded.clear()
    labels = list(results)
    for label, shape in zip(labels[1:], shapes[1:], strict=True):
        if shape != shapes[0]:
            diff = {k: (shapes[0][k], shape[k]) for k in shape if shape[k] != shapes[0][k]}
            raise SystemExit(f"{op.package}: {label} sends another request: {diff}")
    first = _dump(results["generated"])
    for label in labels[1:]:
        if _dump(results[label]) != first:
            raise SystemExit(f"{op.package}: {label} returns another result than generated")
    return (
        f"{len(shapes)} recorded requests identical (method, URL, headers, body bytes; "
        f"request-id values aside) and equal parsed results"
    )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def default_projects() -> list[Path]:
    """The committed packages: every folder under generated/ that holds one."""
    return sorted(p.parent.parent for p in (ROOT / "generated").glob("*/*/_client.py"))


def main(argv: list[str] | None = None) -> int:
    """Parse options, run every project, print the JSON list."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--project",
        action="append",
        type=Path,
        help="folder holding a generated package (repeatable; default: every one under generated/)",
    )
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per round")
    parser.add_argument("--repeats", type=int, default=5, help="rounds (the median is reported)")
    parser.add_argument("--warmup", type=int, default=200, help="untimed calls per variant first")
    parser.add_argument(
        "--chunk",
        type=int,
        default=100,
        help="calls per turn: within a round the variants take turns in chunks this long",
    )
    args = parser.parse_args(argv)
    if min(args.calls, args.repeats, args.chunk) < 1 or args.warmup < 0:
        parser.error("--calls, --repeats and --chunk must be at least 1, --warmup at least 0")
    projects = args.project or default_projects()
    results: list[dict[str, Any]] = []
    for project in projects:
        try:
            results.append(
                bench_project(project, args.calls, args.repeats, args.warmup, args.chunk)
            )
        except SystemExit as error:
            results.append({"project": _display(project), "error": str(error)})
    environment = {
        "python": platform.python_version(),
        "httpx": httpx.__version__,
        "pydantic": pydantic.VERSION,
    }
    for item in results:
        item["environment"] = environment
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
