"""Shared helpers for the behaviour tests of the four generated billing packages.

Every test drives a real generated `Client` / `AsyncClient` against an
`httpx.MockTransport`; nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import time as _real_time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = ROOT / "specs"

MODES = ("sync", "async")

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class Pkg:
    """What a test needs to know about one generated package."""

    name: str
    spec_file: str
    op: str  # the method used by the generic tests (`billing_entities.update`)
    op_kwargs: Callable[[], dict[str, Any]]  # keyword arguments of a valid call
    auth: dict[str, Any]  # client keyword arguments of a working credential set
    idempotent: bool  # is `op` retried without an idempotency key?
    declared_errors: frozenset[int]  # error statuses `op` declares a model for
    error_model: str  # name of that model in <pkg>.models
    error_body: dict[str, Any]  # a body matching the error model
    error_message: str  # the server message inside error_body
    success_body: dict[str, Any] | None  # a 2xx body for `op` (None: empty body)
    success_model: str | None  # name of the 2xx model (None: op returns None)
    secret_fields: tuple[str, ...] = field(default=())

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(self.name)

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{self.name}.models")

    @property
    def errors(self) -> ModuleType:
        return importlib.import_module(f"{self.name}.errors")

    @property
    def base_client(self) -> ModuleType:
        return importlib.import_module(f"{self.name}._base_client")

    def spec(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(
            (SPECS_DIR / self.spec_file).read_text(encoding="utf-8")
        )
        return loaded

    def __str__(self) -> str:  # readable test ids
        return self.name


# ---- per-package data -----------------------------------------------------------------

PARTNER_PROFILE: dict[str, Any] = {
    "CompanyName": "TEST_TEST_BugBash1",
    "Address": {
        "Country": "US",
        "Region": None,
        "City": "Redmond",
        "State": "WA",
        "AddressLine1": "1 Microsoft Way",
        "AddressLine2": "",
        "PostalCode": "98052",
        "FirstName": None,
        "LastName": None,
        "PhoneNumber": None,
    },
    "PrimaryContact": {
        "FirstName": "Test",
        "LastName": "Customer",
        "Email": None,
        "PhoneNumber": "",
    },
    "PurchaseOrderNumber": "9888",
    "TaxId": "12-345678",
    "BillingCurrency": "USD",
    "Links": {"Self": {"Uri": "/profiles/billing", "Method": "GET", "Headers": []}},
    "Attributes": {
        "Etag": "eyJpZCI6IkJpbGxpbmdQcm9maWxlIiwidmVyc2lvbiI6MX0=",
        "ObjectType": "BillingProfile",
    },
}

PAYPAL_ENTITY: dict[str, Any] = {
    "name": "Acme Billing",
    "default_currency": "USD",
    "code": "acme-main",
    "is_default": True,
    "id": "0b4f4a46-6e42-4a55-9e8e-2f3f6c7d8e9f",
    "created_at": "2025-04-25T02:03:31Z",
}

BP_PROFILE: dict[str, Any] = {
    "SemiAnnualBillingMonth": "January",
    "MonthlyBillingDate": "1",
    "Address1": "1 Contoso Way",
    "TimeZoneId": "America/Los_Angeles",
    "PaymentTermDays": "0",
    "BillingMethod": "Credit Card",
    "BillingCycle": "MONTHLY",
    "BillTo": "Contoso Ltd.",
    "InvoiceTemplateId": 101,
    "Id": "5022",
    "AccountId": 12346,
    "Status": "ACTIVE",
    "CalendarType": "Gregorian",
    "CalendarClosingMonth": "December",
    "CalendarClosingWeekday": "Friday",
    "PaymentCreditAllocationMethod": "Allocate To Invoice",
    "CurrencyCode": 1,
}

BP_RECORD: dict[str, Any] = {
    **BP_PROFILE,
    "Created": "2025-04-25 02:03:31",
    "UpdatedUserId": "17",
}

PARTNER = Pkg(
    name="partner_center_billing",
    spec_file="partner-center-billing.yaml",
    op="profiles.billing.update",
    op_kwargs=lambda: {"body": {"PurchaseOrderNumber": "9001"}},
    auth={"bearer_auth": "pc-token-SECRET-7f3a"},
    idempotent=True,
    declared_errors=frozenset({400, 401, 403, 404, 412, 500}),
    error_model="Error",
    error_body={
        "code": 3000,
        "description": "Invalid property PurchaseOrderNumber",
        "source": "PartnerFD",
    },
    error_message="Invalid property PurchaseOrderNumber",
    success_body=PARTNER_PROFILE,
    success_model="BillingProfile",
)

PAYPAL = Pkg(
    name="paypal_billing_entities",
    spec_file="paypal-billing-entities.yaml",
    op="billing_entities.update",
    op_kwargs=lambda: {"billing_entity_code": "acme-main", "body": {"name": "Acme Billing"}},
    auth={"bearer_auth": "pp-token-SECRET-91bc"},
    idempotent=True,
    declared_errors=frozenset({400, 401, 403, 404, 422}),
    error_model="Error",
    error_body={
        "name": "INVALID_REQUEST",
        "message": "Request is not well-formed, syntactically incorrect, or violates schema.",
        "debug_id": "b1d1f06c7246c",
    },
    error_message="Request is not well-formed, syntactically incorrect, or violates schema.",
    success_body=PAYPAL_ENTITY,
    success_model="BillingEntity",
)

BILLINGPLATFORM = Pkg(
    name="billingplatform_billing_profile",
    spec_file="billingplatform-billing-profile.yaml",
    op="billing_profile.create",
    op_kwargs=lambda: {"body": {"brmObjects": dict(BP_PROFILE)}},
    auth={"session_id": "bp-session-SECRET-44d0", "jwt_auth": "bp-jwt-SECRET-9e1f"},
    idempotent=False,
    declared_errors=frozenset({400, 401, 404, 429, 500}),
    error_model="Error",
    error_body={"error": "Bad request", "message": "BillingCycle is not valid"},
    error_message="BillingCycle is not valid",
    success_body={"retrieveResponse": BP_RECORD},
    success_model="SaveBillingProfileResponse",
    secret_fields=("CreditCardNumber", "CreditCardCCV", "CreditCardToken", "AchBankAcctNum"),
)

ABILLITY = Pkg(
    name="abillity_billing_information",
    spec_file="abillity-billing-information.yaml",
    op="site.billinginformation.update",
    op_kwargs=lambda: {"id": 42, "body": {"Email": "accounts@acme-widgets.co.uk"}},
    auth={
        "system_information": "ab-system-SECRET-0c1d",
        "username": "api-user",
        "password": "ab-password-SECRET-e5f6",
    },
    idempotent=False,
    declared_errors=frozenset({400, 404}),
    error_model="ErrorMessage",
    error_body={"Message": "Site with ID 42 not found"},
    error_message="Site with ID 42 not found",
    success_body=None,
    success_model=None,
    secret_fields=("CardNumber", "AccountNumber"),
)

PACKAGES: tuple[Pkg, ...] = (PARTNER, PAYPAL, BILLINGPLATFORM, ABILLITY)
IDEMPOTENT = tuple(p for p in PACKAGES if p.idempotent)
NON_IDEMPOTENT = tuple(p for p in PACKAGES if not p.idempotent)

pkg_param = pytest.mark.parametrize("pkg", PACKAGES, ids=str)
mode_param = pytest.mark.parametrize("mode", MODES)


# ---- responses ------------------------------------------------------------------------


def json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def success_response(pkg: Pkg, headers: Mapping[str, str] | None = None) -> httpx.Response:
    if pkg.success_body is None:
        return httpx.Response(200, headers=dict(headers or {}))
    return json_response(200, pkg.success_body, headers)


def error_response(
    pkg: Pkg, status: int, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    return json_response(status, pkg.error_body, headers)


class Recorder:
    """A MockTransport handler that records requests and plays back responses.

    `responses` items are httpx.Response objects, exceptions (raised), or callables
    taking the request. The last item repeats forever.
    """

    def __init__(self, *responses: Any) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        index = min(len(self.requests) - 1, len(self.responses) - 1)
        item = self.responses[index]
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, type) and issubclass(item, httpx.TransportError):
            raise item("mock failure", request=request)
        if callable(item):
            item = item(request)
        # a fresh Response every time (a Response can only be consumed once)
        return httpx.Response(item.status_code, headers=item.headers, content=item.content)

    @property
    def calls(self) -> int:
        return len(self.requests)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


# ---- running an operation in sync or async mode -------------------------------------


def make_client(pkg: Pkg, mode: str, http_client: Any, **kwargs: Any) -> Any:
    cls = pkg.module.Client if mode == "sync" else pkg.module.AsyncClient
    options = {**pkg.auth, **kwargs}
    return cls(http_client=http_client, **options)


def run(
    pkg: Pkg,
    mode: str,
    handler: Handler,
    *,
    client_kwargs: Mapping[str, Any] | None = None,
    op: str | None = None,
    op_kwargs: Mapping[str, Any] | None = None,
    raw: bool = False,
    options: Mapping[str, Any] | None = None,
    calls: int = 1,
) -> Any:
    """Build a client over `handler` and run an operation `calls` times; return the result(s).

    Exceptions propagate to the caller (use pytest.raises around `run`).
    """
    name = op or pkg.op
    kwargs = dict(pkg.op_kwargs() if op_kwargs is None else op_kwargs)
    transport = httpx.MockTransport(handler)

    def target(client: Any) -> Any:
        if options:
            client = client.with_options(**options)
        resource, _, method = name.rpartition(".")
        target = client
        for part in resource.split("."):
            target = getattr(target, part)
        return getattr(target.with_raw_response if raw else target, method)

    if mode == "sync":
        with httpx.Client(transport=transport) as http:
            client = make_client(pkg, mode, http, **(client_kwargs or {}))
            results = [target(client)(**kwargs) for _ in range(calls)]
    else:

        async def main() -> list[Any]:
            async with httpx.AsyncClient(transport=transport) as http:
                client = make_client(pkg, mode, http, **(client_kwargs or {}))
                out = []
                for _ in range(calls):
                    result = target(client)(**kwargs)
                    assert inspect.isawaitable(result), "AsyncClient operations must be awaitable"
                    out.append(await result)
                return out

        results = asyncio.run(main())
    return results[0] if calls == 1 else results


def sink() -> Any:
    """The golden kitchen_sink_31 package (every OpenAPI 3.1 feature the generator handles)."""
    import kitchen_sink_31

    return kitchen_sink_31


def on_sink(mode: str, handler: Any, invoke: Any, **client_kwargs: Any) -> Any:
    """`invoke(client)` on kitchen_sink_31's client over `handler` (awaited when async)."""
    transport = httpx.MockTransport(handler)
    options = {"bearer": "sink-token", **client_kwargs}
    if mode == "sync":
        return invoke(sink().Client(http_client=httpx.Client(transport=transport), **options))

    async def main() -> Any:
        http = httpx.AsyncClient(transport=transport)
        return await invoke(sink().AsyncClient(http_client=http, **options))

    return asyncio.run(main())


def call(
    pkg: Pkg,
    mode: str,
    handler: Handler,
    invoke: Callable[[Any], Any],
    **client_kwargs: Any,
) -> Any:
    """Build a client over `handler` and return `invoke(client)`, awaited on the async
    client (`invoke` must then return an awaitable)."""
    transport = httpx.MockTransport(handler)
    if mode == "sync":
        with httpx.Client(transport=transport) as http:
            return invoke(make_client(pkg, mode, http, **client_kwargs))

    async def main() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            result = invoke(make_client(pkg, mode, http, **client_kwargs))
            assert inspect.isawaitable(result), "AsyncClient calls must be awaitable"
            return await result

    return asyncio.run(main())


def auth_headers(pkg: Pkg) -> set[str]:
    """The (lower-case) names of the headers that carry `pkg`'s credentials."""
    schemes = importlib.import_module(f"{pkg.name}._schemes").SCHEMES
    return {
        ("authorization" if s.kind in ("bearer", "basic", "oauth2") else s.wire_name.lower())
        for s in schemes.values()
        if s.location == "header"
    }


# ---- sleeping and time ---------------------------------------------------------------


class _TimeProxy:
    """Stands in for the `time` module inside `_sync_client`: records sleeps, sleeps not."""

    def __init__(self, delays: list[float]) -> None:
        self._delays = delays

    def sleep(self, seconds: float) -> None:
        self._delays.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(_real_time, name)


class _AsyncSleep:
    """Stands in for `_async_client._sleep` (its `asyncio.sleep`): records sleeps, sleeps not."""

    def __init__(self, delays: list[float]) -> None:
        self._delays = delays

    async def __call__(self, seconds: float) -> None:
        self._delays.append(seconds)


def patch_sleep(
    monkeypatch: pytest.MonkeyPatch, pkg: Pkg, delays: list[float] | None = None
) -> list[float]:
    """Replace time.sleep / asyncio.sleep as seen by the package's request loops
    (`_sync_client`, `_async_client`).

    The requested delays are appended to `delays` (a new list when not given).
    """
    delays = [] if delays is None else delays
    sync_loop = importlib.import_module(f"{pkg.name}._sync_client")
    async_loop = importlib.import_module(f"{pkg.name}._async_client")
    monkeypatch.setattr(sync_loop, "time", _TimeProxy(delays))
    monkeypatch.setattr(async_loop, "_sleep", _AsyncSleep(delays))
    return delays
