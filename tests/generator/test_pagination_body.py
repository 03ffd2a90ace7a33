"""POST searches that page by a position in their JSON body: Square's `cursor` sent and
answered under one name, Plaid's `cursor` → `next_cursor` and its `count`/`offset` lists.
Detected at generation time (the IR's pagination, `in_body`) and followed at run time
through httpx.MockTransport, sync and async: each next page is the same POST with the
position in its body, the caller's own fields kept."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording, write_spec

ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
ITEMS = [{"id": f"it_{n}"} for n in range(5)]


def _post(body: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {
                    "description": "A page.",
                    "content": {"application/json": {"schema": response}},
                }
            },
        }
    }


def _array() -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        **({"required": required} if required else {}),
    }


TEXT = {"type": "string"}
COUNT = {"type": "integer"}
TOKEN = {"$ref": "#/components/schemas/Token"}


def _annotated(schema: dict[str, Any]) -> dict[str, Any]:
    return {"allOf": [schema, {"description": "As AWS's specs write a property."}]}


# a cursor that calls itself an identifier is still one (not so an offset: Telegram's)
PLAID_CURSOR = {
    "type": "string",
    "description": "An identifier that determines which page of results you receive.",
}
# path → (its POST, the PageInfo arguments detected for it)
PAGED: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "/v2/orders/search": (  # Square: `cursor` in, `cursor` out; `orders` named by the path
        _post(
            _object({"query": _object({"state": TEXT}), "limit": COUNT, "cursor": TEXT}),
            _object(
                {
                    "orders": _array(),
                    "order_entries": _array(),
                    "errors": _array(),
                    "cursor": TEXT,
                }
            ),
        ),
        {"scheme": "token", "items": "orders", "param": "cursor", "field": "cursor"},
    ),
    "/wallet/list": (  # Plaid: `cursor` in, `next_cursor` out, `count` required beside it
        _post(
            _object({"cursor": PLAID_CURSOR, "count": COUNT, "iso_currency_code": TEXT}, ["count"]),
            _object({"wallets": _array(), "next_cursor": TEXT, "request_id": TEXT}),
        ),
        {"scheme": "token", "items": "wallets", "param": "cursor", "field": "next_cursor"},
    ),
    "/transfer/list": (  # Plaid: `count` and `offset`, both required
        _post(
            _object({"count": COUNT, "offset": COUNT, "origination_account_id": TEXT}),
            _object({"transfers": _array(), "request_id": TEXT}),
        ),
        {"scheme": "offset", "items": "transfers", "param": "offset"},
    ),
    # AWS's JSON APIs (`X-Amz-Target: secretsmanager.ListSecrets`; 1,435 directory
    # operations): `NextToken` in and out, every property an `allOf` of its type and words
    "/ListSecrets": (
        _post(
            _object({"MaxResults": _annotated(COUNT), "NextToken": _annotated(TOKEN)}),
            _object({"SecretList": _annotated(_array()), "NextToken": _annotated(TOKEN)}),
        ),
        {"scheme": "token", "items": "SecretList", "param": "NextToken", "field": "NextToken"},
    ),
}
UNPAGED: dict[str, dict[str, Any]] = {
    # a required `cursor` is the call's input, not a page's position
    "/cursor/refresh": _post(
        _object({"cursor": TEXT}, ["cursor"]), _object({"data": _array(), "cursor": TEXT})
    ),
    # a body's `token` is a credential as often as a position
    "/auth/exchange": _post(_object({"token": TEXT}), _object({"roles": _array(), "token": TEXT})),
    # Plaid's `transactions/sync`: three arrays, none the list's
    "/transactions/sync": _post(
        _object({"cursor": TEXT, "count": COUNT}),
        _object(
            {
                "added": _array(),
                "modified": _array(),
                "removed": _array(),
                "next_cursor": TEXT,
                "has_more": {"type": "boolean"},
            }
        ),
    ),
    # Telegram's `getUpdates`: its `offset` is an update's identifier, not a count
    "/getUpdates": _post(
        _object(
            {
                "offset": {
                    "type": "integer",
                    "description": "Identifier of the first update to be returned.",
                },
                "limit": COUNT,
            }
        ),
        _object({"ok": {"type": "boolean"}, "result": _array()}),
    ),
    # a body position with nothing in the response to send back in it
    "/reports/run": _post(_object({"cursor": TEXT}), _object({"data": _array()})),
    # a capture answered with its history, a payout with an idempotency cursor: POSTs that
    # write, whose names do not read (paged, each was sent once per page; hostile audit 10)
    "/payments/capture": _post(
        _object({"amount": COUNT, "offset": COUNT, "limit": COUNT}, ["amount"]),
        _object({"data": _array(), "total": COUNT}),
    ),
    "/payouts": _post(
        _object({"amount": COUNT, "cursor": TEXT}, ["amount"]),
        _object({"payouts": _array(), "cursor": TEXT}),
    ),
    # read-named, but answered 201 Created: no search (hostile audit 11)
    "/sessions/search": {
        "post": {
            **_post(_object({"cursor": TEXT}), _object({"data": _array(), "cursor": TEXT}))["post"],
            "responses": {
                "201": {
                    "description": "Created.",
                    "content": {
                        "application/json": {"schema": _object({"data": _array(), "cursor": TEXT})}
                    },
                }
            },
        }
    },
}


def spec() -> dict[str, Any]:
    paths = {path: operation for path, (operation, _) in PAGED.items()}
    paths.update(UNPAGED)
    for path, item in paths.items():
        item["post"]["operationId"] = path.strip("/").replace("/", "_")
        item["post"]["x-sdk-resource"] = path.strip("/").replace("/", "_")
    return minimal_spec({"Item": ITEM, "Token": TEXT}, paths)


def test_the_ir_pages_each_post_search_by_its_body(tmp_path: Path) -> None:
    from generator.ir_build import build_api
    from generator.load import load_spec

    api = build_api(load_spec(write_spec(tmp_path, spec(), "spec.json")), "pkg", "spec.json")
    found = {op.path: op.pagination for op in api.operations}
    for path, (_, expected) in PAGED.items():
        pagination = found[path]
        assert pagination is not None, path
        assert dict(pagination.info_arguments) == {**expected, "in_body": True}, path
    assert {path: found[path] for path in UNPAGED} == dict.fromkeys(UNPAGED)


@pytest.mark.parametrize(
    ("operation_id", "path", "summary", "expected"),
    [
        (
            "aiplatform.projects.locations.migratableResources.search",
            "/v1/{parent}/x:search",
            None,
            True,
        ),
        (None, "/v1/{parent}:searchLinks", None, True),  # Google's action, no operationId
        ("transferList", "/transfer/list", "List transfers", True),  # Plaid: the verb last
        ("institutionsGet", "/institutions/get", None, True),
        (
            "DeprecatedBatchRetrieveInventoryChanges",
            "/v2/inventory/batch-retrieve-changes",
            None,
            True,
        ),
        ("GetStoreReportByCategory", "/v2/user/reports/bycategory", None, True),
        ("QueryChannels", "/channels", "Query channels", True),  # Stream's, answered 201
        (None, "/orders", "Search orders", True),  # the summary's first word
        ("capturePayment", "/payments/{id}/capture", None, False),
        ("createPayout", "/payouts", None, False),
        ("listAndCancel", "/jobs/list", "Cancel the jobs listed", False),  # a write verb first
        ("linkedSources", "/v1/{parent}/linkedSources", None, False),  # no verb: not read
        # a write verb anywhere (hostile audit 11)
        ("getOrCreateCustomer", "/customers/search", None, False),
        ("retrieveAndCapturePayment", "/payments/list", None, False),
    ],
)
def test_a_post_reads_by_its_names(
    operation_id: str | None, path: str, summary: str | None, expected: bool
) -> None:
    from generator.pagination_reads import reads

    raw = {"operationId": operation_id, "summary": summary}
    assert reads({k: v for k, v in raw.items() if v is not None}, path) is expected


def _square(request: httpx.Request) -> httpx.Response:
    """Two items a page; the cursor names where the next page starts."""
    body = json.loads(request.content)
    start = int(body.get("cursor", "c0")[1:])
    page: dict[str, Any] = {"orders": ITEMS[start : start + 2], "order_entries": [], "errors": []}
    if start + 2 < len(ITEMS):
        page["cursor"] = f"c{start + 2}"
    return httpx.Response(200, json=page)


def _bodies(sent: list[httpx.Request]) -> list[dict[str, Any]]:
    return [json.loads(request.content) for request in sent]


def _package(build_package: BuildPackage) -> Any:
    return build_package(spec(), filename="spec.json")


def _async_items(
    package: Any, server: Callable[[httpx.Request], httpx.Response], call: Any
) -> tuple[list[str], list[httpx.Request]]:
    """The ids `call(async_client)` (a page) yields through `server`, and what was sent."""
    sent: list[httpx.Request] = []

    async def serve(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return server(request)

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
        async with package.AsyncClient(
            base_url="https://api.example.test/v1", http_client=http
        ) as client:
            return [item.id async for item in call(client)]

    return asyncio.run(main()), sent


def test_square_search_sends_each_cursor_in_the_body(build_package: BuildPackage) -> None:
    package = _package(build_package)
    http, sent = recording(_square)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    found = [item.id for item in client.v2_orders_search.search(query={"state": "OPEN"}, limit=2)]
    assert found == [item["id"] for item in ITEMS]
    assert [r.method for r in sent] == ["POST"] * 3
    assert _bodies(sent) == [
        {"query": {"state": "OPEN"}, "limit": 2},
        {"query": {"state": "OPEN"}, "limit": 2, "cursor": "c2"},
        {"query": {"state": "OPEN"}, "limit": 2, "cursor": "c4"},
    ]


def test_square_search_async_with_a_model_body_and_extra_body(
    build_package: BuildPackage,
) -> None:
    package = _package(build_package)
    body = {"limit": 2, "cursor": "c1"}  # a caller that starts part-way
    found, sent = _async_items(
        package,
        _square,
        lambda client: client.v2_orders_search.search(body=body, extra_body={"trace": "t"}),
    )
    assert found == [item["id"] for item in ITEMS[1:]]
    assert _bodies(sent) == [
        {"limit": 2, "cursor": "c1", "trace": "t"},
        {"limit": 2, "cursor": "c3", "trace": "t"},
    ]


def test_plaid_offsets_in_the_body_until_a_short_page(build_package: BuildPackage) -> None:
    package = _package(build_package)

    def plaid(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        start, count = body["offset"], body["count"]
        return httpx.Response(200, json={"transfers": ITEMS[start : start + count]})

    http, sent = recording(plaid)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    page = client.transfer_list.list(count=2, offset=0)
    assert [item.id for item in page] == [item["id"] for item in ITEMS]
    assert [body["offset"] for body in _bodies(sent)] == [0, 2, 4, 5]
    assert all(body["count"] == 2 for body in _bodies(sent))


@pytest.mark.parametrize("asynchronous", [False, True])
def test_plaid_cursor_ends_without_a_next_cursor(
    build_package: BuildPackage, asynchronous: bool
) -> None:
    package = _package(build_package)

    def plaid(request: httpx.Request) -> httpx.Response:
        cursor = json.loads(request.content).get("cursor")
        if cursor is None:
            return httpx.Response(200, json={"wallets": ITEMS[:3], "next_cursor": "w3"})
        return httpx.Response(200, json={"wallets": ITEMS[3:], "next_cursor": ""})

    if asynchronous:
        found, sent = _async_items(package, plaid, lambda c: c.wallet_list.list(count=3))
    else:
        http, sent = recording(plaid)
        client = package.Client(base_url="https://api.example.test/v1", http_client=http)
        found = [item.id for item in client.wallet_list.list(count=3)]
    assert found == [item["id"] for item in ITEMS]
    assert _bodies(sent) == [{"count": 3}, {"count": 3, "cursor": "w3"}]


def test_a_search_is_retried_as_a_read(build_package: BuildPackage) -> None:
    """A POST that pages by its body is a read: a 503 on a later page is retried (a POST
    that creates is not), and the method takes no `idempotency_key`."""
    import inspect

    package = _package(build_package)
    failed: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        cursor = json.loads(request.content).get("cursor")
        if cursor == "c2" and not failed:
            failed.append(cursor)
            return httpx.Response(503, headers={"Retry-After": "0"}, json={"errors": []})
        return _square(request)

    http, sent = recording(flaky)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    found = [item.id for item in client.v2_orders_search.search(limit=2)]
    assert found == [item["id"] for item in ITEMS]
    assert [body.get("cursor") for body in _bodies(sent)] == [None, "c2", "c2", "c4"]
    search = inspect.signature(client.v2_orders_search.search).parameters
    assert "idempotency_key" not in search
    assert "idempotency_key" in inspect.signature(client.auth_exchange.create).parameters


def test_a_body_cursor_that_looks_like_a_url_stays_a_cursor(build_package: BuildPackage) -> None:
    """A GET's `next` token that is a URL is followed as a link; a POST's body position is
    sent back as it came (its next page is the same POST, not a GET of a link)."""
    package = _package(build_package)

    def server(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content or b"{}").get("cursor") is None:  # (no body: no cursor)
            page = {"orders": ITEMS[:2], "cursor": "https://api.example.test/v1/next?c=2"}
            return httpx.Response(200, json=page)
        return httpx.Response(200, json={"orders": ITEMS[2:]})

    http, sent = recording(server)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.id for item in client.v2_orders_search.search()] == [i["id"] for i in ITEMS]
    assert [(r.method, r.url.path) for r in sent] == [("POST", "/v1/v2/orders/search")] * 2
    assert sent[0].content == b"" and json.loads(sent[1].content) == {
        "cursor": "https://api.example.test/v1/next?c=2"
    }


def test_a_post_declared_paged_by_a_field_that_is_no_position(tmp_path: Path) -> None:
    """`x-pagination` on a `POST /charges` naming `amount` (hostile audit 9): W309, and the
    POST is no search (the server's number went out as the next charge's amount, retried
    without an idempotency key); one naming its `cursor` pages. Neither is retried: the
    spec calling a POST paged does not make it a read."""
    from generator.ir_build import build_api
    from generator.load import load_spec

    charges = _post(
        _object({"amount": COUNT, "cursor": TEXT}),
        _object({"data": _array(), "next": COUNT, "next_cursor": TEXT}),
    )
    charges["post"]["x-pagination"] = {"scheme": "token", "param": "amount", "field": "next"}
    declared = _post(
        _object({"amount": COUNT, "cursor": TEXT}),
        _object({"data": _array(), "next_cursor": TEXT}),
    )
    declared["post"]["x-pagination"] = {
        "scheme": "token",
        "param": "cursor",
        "field": "next_cursor",
    }
    document = minimal_spec({"Item": ITEM}, {"/charges": charges, "/exports": declared})
    diagnostics: list[Any] = []
    api = build_api(
        load_spec(write_spec(tmp_path, document, "spec.json")), "pkg", "spec.json", diagnostics
    )
    found = {op.path: op for op in api.operations}
    detected = found["/charges"].pagination  # (detection: `cursor` → `next_cursor`)
    assert detected is not None and detected.param == "cursor"
    assert any(d.code == "W309" and "'amount'" in d.message for d in diagnostics)
    exports = found["/exports"]
    assert exports.pagination is not None and exports.pagination.param == "cursor"
    assert not exports.idempotent and not found["/charges"].idempotent


def test_a_body_position_off_its_schema_is_refused_not_sent(
    build_package: BuildPackage,
) -> None:
    """The next page's position goes in the body and is checked with it (hostile audit 9: an
    offset past the field's `maximum` went out in `extra_body`, unchecked)."""
    bounded = _post(
        _object({"count": COUNT, "offset": {"type": "integer", "maximum": 3}}),
        _object({"transfers": _array()}),
    )
    package = build_package(
        minimal_spec({"Item": ITEM}, {"/transfer/list": bounded}), filename="spec.json"
    )

    def server(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        return httpx.Response(200, json={"transfers": ITEMS[body["offset"] :][: body["count"]]})

    http, sent = recording(server)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    found = []
    with pytest.raises(package.RequestValidationError, match="offset"):
        for item in client.transfer.list(count=2, offset=0):
            found.append(item.id)
    assert found == ["it_0", "it_1", "it_2", "it_3"]
    assert [json.loads(r.content)["offset"] for r in sent] == [0, 2]
