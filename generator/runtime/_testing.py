"""The offline test kit's engine: an `httpx.MockTransport` handler that answers from the
spec's own examples. `testing.py` (generated) gives it the package's routes, security
schemes and clients as `MockAPI`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from ._base_client import OperationInfo, SchemeInfo
from ._wire import problems, validate_python

__all__ = ["BaseMockAPI", "Route"]


@dataclass(frozen=True)
class Route:
    """One operation as the mock serves it."""

    name: str
    pattern: re.Pattern[str]  # matches the operation's URL paths
    info: Callable[[], OperationInfo]
    default_status: str
    examples: Mapping[str, Mapping[str, str]]  # status -> example name -> JSON text

    @property
    def operation(self) -> OperationInfo:
        """What the spec says about the operation."""
        return self.info()


def _prefer(request: httpx.Request) -> dict[str, str]:
    preferences: dict[str, str] = {}
    for part in request.headers.get("prefer", "").split(","):
        key, _, value = part.strip().partition("=")
        if value:
            preferences[key.strip().lower()] = value.strip().strip('"')
    return preferences


class BaseMockAPI:
    """An in-process mock of an API: an `httpx.MockTransport` handler serving the spec's examples."""

    def __init__(
        self,
        routes: tuple[Route, ...],
        schemes: Mapping[str, SchemeInfo],
        *,
        base_url: str,
        check_credentials: bool = True,
    ) -> None:
        self.base_url = base_url
        self.check_credentials = check_credentials
        self.requests: list[httpx.Request] = []
        self._routes = routes
        self._schemes = schemes

    def transport(self) -> httpx.MockTransport:
        """A transport for `httpx.Client(transport=...)` or `httpx.AsyncClient(transport=...)`."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request the way the spec documents it."""
        route = self._route(request)
        if route is None:
            return httpx.Response(
                404, json={"message": f"no operation matches {request.method} {request.url.path}"}
            )
        self.requests.append(request)
        if self.check_credentials and not self._has_credentials(request, route.operation):
            return self._answer(route, request, "401", fallback={"message": "credentials missing"})
        problem = self._body_problem(request, route.operation)
        if problem is not None:
            return httpx.Response(422, json={"message": problem})
        status = _prefer(request).get("code", route.default_status)
        return self._answer(route, request, status, fallback=None)

    def _route(self, request: httpx.Request) -> Route | None:
        for route in self._routes:
            if route.operation.method == request.method and route.pattern.match(request.url.path):
                return route
        return None

    def _answer(
        self, route: Route, request: httpx.Request, status: str, fallback: Any
    ) -> httpx.Response:
        examples = route.examples.get(status) or {}
        wanted = _prefer(request).get("example")
        if wanted is not None and wanted not in examples:
            return httpx.Response(
                404, json={"message": f"no example {wanted!r} for status {status}"}
            )
        if examples:
            text = examples[wanted] if wanted else next(iter(examples.values()))
            return httpx.Response(int(status), json=json.loads(text))
        if fallback is not None:
            return httpx.Response(int(status), json=fallback)
        return httpx.Response(int(status))

    def _has_credentials(self, request: httpx.Request, operation: OperationInfo) -> bool:
        if not operation.security or () in operation.security:
            return True
        cookies = request.headers.get("cookie", "")
        for alternative in operation.security:
            present = True
            for key in alternative:
                scheme = self._schemes[key]
                if scheme.kind in ("bearer", "oauth2", "basic"):
                    present = present and "authorization" in request.headers
                elif scheme.location == "header":
                    present = present and scheme.wire_name in request.headers
                elif scheme.location == "query":
                    present = present and scheme.wire_name in request.url.params
                else:
                    present = present and f"{scheme.wire_name}=" in cookies
            if present:
                return True
        return False

    @staticmethod
    def _body_problem(request: httpx.Request, operation: OperationInfo) -> str | None:
        if operation.body_type is None or operation.encoding != "json" or not request.content:
            return None
        try:
            validate_python(operation.body_type, json.loads(request.content))
        except ValidationError as exc:
            found = problems(exc)
        except ValueError as exc:  # not JSON, or a null the spec does not allow
            found = [{"loc": (), "msg": str(exc)}]
        else:
            return None
        return "request body does not match the spec: " + "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in found
        )
