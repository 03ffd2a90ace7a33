"""What `bench/percall.py` calls, and the code a person would write by hand to call it.

- **The operation:** the one the package's README shows under "Usage" (`client.NAME(...)`),
  with the README's own arguments, and the facts the package's offline test kit
  (`testing._ROUTES`) holds about it: method, path, models, request-id headers and the
  spec's first example of its success status.
- **The hand-written client:** one generic httpx + pydantic function per operation,
  parameterized by what a person copies from the spec (`HandWrittenClient`), with the auth
  headers written by hand (`HAND_AUTH`), and for PayPal plain pydantic models written by
  hand as well (`OWN_MODELS`).

Runs in the project venv (httpx and pydantic), inside the `bench/percall.py` process.
"""

from __future__ import annotations

import ast
import importlib
import sys
import uuid
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx

# The auth headers a hand-written client would send, written by hand from each spec's
# security schemes and the test credentials of the package's `testing` module. They are
# checked against the generated client's request before anything is timed.
HAND_AUTH: dict[str, dict[str, str]] = {
    "paypal_billing_entities": {"Authorization": "Bearer test-bearer_auth"},
    "partner_center_billing": {"Authorization": "Bearer test-bearer_auth"},
    # the document requires both: "Security: JWT" and the `sessionId` header
    "billingplatform_billing_profile": {
        "Authorization": "Bearer test-jwt_auth",
        "sessionId": "test-session_id",
    },
    "abillity_billing_information": {
        "SystemInformation": "test-system_information",
        "username": "test-username",
        "password": "test-password",
    },
}


# --------------------------------------------------------------------------- the operation


@dataclass(frozen=True)
class Operation:
    """What is called: the README's example call and the spec's facts about it."""

    package: str
    name: str  # method of Client / AsyncClient
    params: dict[str, Any]  # the README call's arguments other than `body`
    body: Any  # the README call's body (a JSON-like mapping)
    method: str
    path: str  # template, e.g. /billing-entities/{billing_entity_code}
    request_model: Any
    response_model: Any  # None when the success response has no JSON body
    request_id_headers: tuple[str, ...]
    status: int
    response_body: bytes


def find_package(project: Path) -> str:
    """The import name of the one package inside a project folder (it has `_client.py`)."""
    clients = sorted(project.glob("*/_client.py"))
    if len(clients) != 1:
        raise SystemExit(f"{project}: expected one package with a _client.py, found {clients}")
    return clients[0].parent.name


def method_of(client: Any, dotted: str) -> Any:
    """`client.customers.sources.list` for `customers.sources.list`."""
    for part in dotted.split("."):
        client = getattr(client, part)
    return client


def _dotted(node: ast.expr) -> str | None:
    """`customers.sources.list` for `client.customers.sources.list`, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id == "client" and parts:
        return ".".join(reversed(parts))
    return None


def readme_call(project: Path, operations: Container[str]) -> tuple[str, list[Any], dict[str, Any]]:
    """The method (`billing_entities.update`), positional and keyword literal arguments of
    the first call in the README of one of `operations` that sends a body (`body=` or body
    keyword arguments): not a client method such as `client.with_options(timeout=2.0)`."""
    text = (project / "README.md").read_text(encoding="utf-8")
    for block in text.split("```python")[1:]:
        code = block.split("```", 1)[0]
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.keywords:
                continue
            name = _dotted(node.func)
            if name is None or name not in operations:
                continue
            try:
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {str(k.arg): ast.literal_eval(k.value) for k in node.keywords if k.arg}
            except ValueError:
                continue
            return name, args, kwargs
    raise SystemExit(f"{project}/README.md: no call of an operation with a body")


def load_operation(project: Path) -> Operation:
    """Import the package from `project` and describe the operation its README calls."""
    package = find_package(project)
    sys.path.insert(0, str(project.resolve()))
    testing = importlib.import_module(f"{package}.testing")
    routes = {route.name: route for route in testing._ROUTES}
    name, args, kwargs = readme_call(project, routes)
    route = routes[name]
    info = route.operation
    status = route.default_status
    examples = route.examples.get(status) or {}
    response_body = next(iter(examples.values())).encode() if examples else b""
    kind, response_model = info.responses.get(status, ("none", None))
    template = [part.split("}", 1)[0] for part in info.path.split("{")[1:]]
    placeholders = set(template)
    params = dict(zip(template, args, strict=False))  # path arguments, in path order
    params.update({k: kwargs.pop(k) for k in list(kwargs) if k in placeholders})
    if "body" in kwargs:
        body = kwargs.pop("body")
    else:  # body keyword arguments: the model's fields by Python name → the wire names
        fields = info.body_type.model_fields
        body = {
            (fields[k].serialization_alias or fields[k].alias or k) if k in fields else k: v
            for k, v in kwargs.items()
        }
        kwargs = {}
    kwargs = {**params, **kwargs}
    if set(kwargs) != placeholders:
        raise SystemExit(
            f"{package}.{name}: README arguments {sorted(kwargs)} are not exactly the path "
            f"parameters {sorted(placeholders)} (other parameter kinds are not supported here)"
        )
    return Operation(
        package=package,
        name=name,
        params=kwargs,
        body=body,
        method=info.method,
        path=info.path,
        request_model=info.body_type,
        response_model=response_model if kind == "json" else None,
        request_id_headers=tuple(info.request_id_headers),
        status=int(status),
        response_body=response_body,
    )


# --------------------------------------------------------------------------- hand-written code


class HandWrittenClient:
    """What a competent engineer writes by hand for one operation with httpx and pydantic.

    Written once, generically, so that it serves each billing package: it is parameterized by
    the facts a person would copy from the spec (method, path, models, auth headers, the
    request-id headers the API wants). The per-call work is that of a plain function:

        body = RequestModel.model_validate(data)
        response = http.put(f"/billing-entities/{quote(code, safe='')}",
                            json=body.model_dump(mode="json", by_alias=True, exclude_unset=True),
                            headers=HEADERS)
        response.raise_for_status()
        return ResponseModel.model_validate_json(response.content)
    """

    def __init__(
        self,
        op: Operation,
        headers: Mapping[str, str],
        request_model: Any,
        response_model: Any,
        dump_context: dict[str, Any] | None,
    ) -> None:
        self.method = op.method
        self.path = op.path
        self.headers = {"Accept": "application/json", **headers}
        self.request_model = request_model
        self.response_model = response_model
        self.request_id_headers = op.request_id_headers
        self.dump_context = dump_context

    def _url(self, params: Mapping[str, Any]) -> str:
        return self.path.format(**{k: quote(str(v), safe="") for k, v in params.items()})

    def _headers(self) -> dict[str, str]:
        if not self.request_id_headers:
            return self.headers
        return {**self.headers, **{h: str(uuid.uuid4()) for h in self.request_id_headers}}

    def _body(self, data: Any) -> Any:
        body = self.request_model.model_validate(data)
        return body.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context=self.dump_context
        )

    def _parse(self, response: httpx.Response) -> Any:
        response.raise_for_status()
        if self.response_model is None:
            return None
        return self.response_model.model_validate_json(response.content)

    def call(self, http: httpx.Client, params: Mapping[str, Any], data: Any) -> Any:
        """One call, synchronous."""
        response = http.request(
            self.method, self._url(params), json=self._body(data), headers=self._headers()
        )
        return self._parse(response)

    async def acall(self, http: httpx.AsyncClient, params: Mapping[str, Any], data: Any) -> Any:
        """One call, asynchronous."""
        response = await http.request(
            self.method, self._url(params), json=self._body(data), headers=self._headers()
        )
        return self._parse(response)


def paypal_own_models() -> tuple[Any, Any]:
    """PayPal's request and response models, written by hand as plain pydantic v2 models.

    The same fields, types and constraints as the spec (patterns, lengths, the RFC 3339
    date-times with an offset, the UUID id, a simple email check); none of the generated
    base class's extras (kept unknown fields, read-only and dependent-required rules,
    validation on assignment, lenient enums, secret masking).
    """
    from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

    def email(value: str) -> str:
        local, at, domain = value.partition("@")
        if not (local and at and "." in domain):
            raise ValueError("not an email address")
        return value

    Currency = Annotated[str, Field(min_length=3, max_length=3, pattern="^[A-Z]{3}$")]
    Code = Annotated[str, Field(pattern="^[a-zA-Z0-9_-]*$")]
    Email = Annotated[str, AfterValidator(email)]
    Rate = Annotated[
        str,
        Field(
            pattern="^(?!0+(?:\\.0+)?$)(?:0?\\.\\d{1,2}|[1-9]\\d?(?:\\.\\d{1,2})?|100(?:\\.0{1,2})?)$"
        ),
    ]

    class Address(BaseModel):
        line1: str | None = None
        line2: str | None = None
        city: str | None = None
        state: str | None = None
        postal_code: str | None = None
        country: Annotated[str, Field(pattern="^[A-Z]{2}$")] | None = None

    class Tax(BaseModel):
        model_config = ConfigDict(regex_engine="python-re")  # the rate pattern has a look-ahead

        id: str | None = None
        name: str
        code: Code | None = None
        description: str | None = None
        rate: Rate | None = None
        created_at: AwareDatetime | None = None

    class BillingEntityUpdate(BaseModel):
        name: str
        default_currency: Currency | None = None
        finalize_zero_amount_invoice: bool | None = None
        address: Address | None = None
        legal_name: str | None = None
        legal_number: str | None = None
        email: Email | None = None
        timezone: str | None = None
        tax_codes: list[str] | None = None

    class BillingEntity(BaseModel):
        name: str
        default_currency: Currency | None = None
        finalize_zero_amount_invoice: bool | None = None
        address: Address | None = None
        legal_name: str | None = None
        legal_number: str | None = None
        email: Email | None = None
        timezone: str | None = None
        code: Code | None = None
        is_default: bool | None = None
        id: uuid.UUID | None = None
        created_at: AwareDatetime | None = None
        updated_at: AwareDatetime | None = None
        taxes: list[Tax] | None = None

    return BillingEntityUpdate, BillingEntity


OWN_MODELS: dict[str, Callable[[], tuple[Any, Any]]] = {
    "paypal_billing_entities": paypal_own_models
}
