"""Checks shared by the contract suite and its own self-test."""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

import httpx

from tests.conftest import method, raw_method
from tests.spec_cases import credentials_for


class ContractViolation(AssertionError):
    """Prism reported that a request does not match the spec."""


def assert_no_violations(raw: Any) -> None:
    """Fail, printing Prism's findings, when a response (or status error) carries `sl-violations`."""
    violations = raw.headers.get("sl-violations")
    if violations:
        try:
            details = json.dumps(json.loads(violations), indent=2)
        except ValueError:
            details = violations
        raise ContractViolation(f"Prism found the request does not match the spec:\n{details}")


def make_client(
    package_name: str,
    base_url: str,
    http_client: httpx.Client | httpx.AsyncClient,
    *,
    credentials: bool = True,
) -> Any:
    """A generated client on `http_client`, without retries (a contract call is one request)."""
    package = importlib.import_module(package_name)
    client_class = (
        package.AsyncClient if isinstance(http_client, httpx.AsyncClient) else package.Client
    )
    options: dict[str, Any] = credentials_for(client_class) if credentials else {}
    return client_class(base_url=base_url, http_client=http_client, max_retries=0, **options)


def contract_call(
    package_name: str,
    method_name: str,
    base_url: str,
    mode: str,
    arguments: dict[str, Any],
    *,
    raw: bool = False,
    credentials: bool = True,
    check_violations: bool = True,
) -> Any:
    """Call one operation over real HTTP, sync or async; Prism's violations fail the call.

    `check_violations=False` is for calls that are meant to break the contract (no credentials).
    """
    package = importlib.import_module(package_name)

    def checked(result: Any) -> Any:
        if raw and check_violations:
            assert_no_violations(result)
        return result

    try:
        if mode == "sync":
            with httpx.Client() as http_client:
                client = make_client(package_name, base_url, http_client, credentials=credentials)
                target = (raw_method if raw else method)(client, method_name)
                return checked(target(**arguments))

        async def run() -> Any:
            async with httpx.AsyncClient() as http_client:
                client = make_client(package_name, base_url, http_client, credentials=credentials)
                target = (raw_method if raw else method)(client, method_name)
                return await target(**arguments)

        return checked(asyncio.run(run()))
    except package.APIStatusError as error:
        if check_violations:
            assert_no_violations(error)
        raise
