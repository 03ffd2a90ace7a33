"""Deprecated operations (UX audit 8): Velo's deprecated v3 calls took the plain names
(`client.payees.list`, `retrieve`) and the current v4 ones got the leftovers
(`list_payees_v4`); calling a deprecated one said nothing. A current operation now takes a
verb before a deprecated one, and a deprecated method says so in its docstring and warns
(`typing_extensions.deprecated`: a `DeprecationWarning`, and type checkers flag its use)."""

from __future__ import annotations

import warnings
from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec, recording

PAYEE = {"type": "object", "properties": {"id": {"type": "string"}}}
LIST = {
    "description": "Payees.",
    "content": {"application/json": {"schema": {"type": "array", "items": PAYEE}}},
}


def _spec() -> dict[str, Any]:
    paths = {
        "/v3/payees": {
            "get": {
                "operationId": "listPayeesV3",
                "tags": ["Payees"],
                "deprecated": True,
                "responses": {"200": LIST},
            }
        },
        "/v4/payees": {
            "get": {"operationId": "listPayeesV4", "tags": ["Payees"], "responses": {"200": LIST}}
        },
    }
    return minimal_spec({}, paths)


def test_a_current_operation_takes_the_verb_and_a_deprecated_one_warns(
    build_package: BuildPackage,
) -> None:
    package = build_package(_spec())
    http, seen = recording(lambda _: httpx.Response(200, json=[{"id": "p1"}]))
    payees = package.Client(http_client=http).payees
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [p.id for p in payees.list()] == ["p1"]  # the current one, no warning
    assert seen[-1].url.path.endswith("/v4/payees")
    deprecated = next(name for name in dir(payees) if name.startswith("list_payees_v3"))
    assert "Deprecated:" in (getattr(payees, deprecated).__doc__ or "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(payees, deprecated)()
    assert [w.category for w in caught] == [DeprecationWarning]
    assert seen[-1].url.path.endswith("/v3/payees")
