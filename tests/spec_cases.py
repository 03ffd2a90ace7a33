"""Helpers that read the billing specs to drive tests: operations, examples, arguments."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from generator.lint import iter_operations
from generator.naming import Style, styled
from tests.conftest import BILLING_PACKAGES, SPECS_DIR

CLIENT_OPTIONS = (
    "self",
    "base_url",
    "http_client",
    "event_hooks",
    "timeout",
    "max_retries",
    "default_headers",
    "max_response_size",
    "strict_response_validation",
)


@cache
def load_document(spec_name: str) -> dict[str, Any]:
    """The spec as plain data."""
    data: dict[str, Any] = yaml.safe_load(
        (SPECS_DIR / f"{spec_name}.yaml").read_text(encoding="utf-8")
    )
    return data


def deref(document: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def snake(text: str) -> str:
    """The generator's snake_case."""
    return styled(text, Style.SNAKE)


def media_examples(document: dict[str, Any], media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(name, value) of a media type's `example` and `examples`."""
    if "example" in media:
        yield "example", media["example"]
    for name, example in (media.get("examples") or {}).items():
        example = deref(document, example)
        if "value" in example:
            yield name, example["value"]


# how each billing operation is called on the generated client (its resource and method)
METHODS = {
    "updateSiteBillingInformation": "site.billinginformation.update",
    "saveBillingProfile": "billing_profile.create",
    "getBillingProfile": "profiles.billing.retrieve",
    "updateBillingProfile": "profiles.billing.update",
    "updateBillingEntity": "billing_entities.update",
}


@dataclass(frozen=True)
class OperationCase:
    """One operation of one billing spec."""

    package: str
    spec_name: str
    path: str
    method: str
    operation: dict[str, Any]

    @property
    def document(self) -> dict[str, Any]:
        return load_document(self.spec_name)

    @property
    def method_name(self) -> str:
        """`billing_entities.update`: the method's path from the client."""
        return METHODS[self.operation["operationId"]]

    @property
    def id(self) -> str:
        return f"{self.package}.{self.method_name}"

    def path_arguments(self) -> dict[str, Any]:
        """Valid values for the path parameters (examples first)."""
        arguments: dict[str, Any] = {}
        item = self.document["paths"][self.path]
        for parameter in self.operation.get("parameters", []) + item.get("parameters", []):
            parameter = deref(self.document, parameter)
            if parameter["in"] != "path":
                continue
            schema = deref(self.document, parameter.get("schema", {}))
            value = parameter.get("example", schema.get("example"))
            if value is None:
                value = 42 if schema.get("type") == "integer" else "acme_inc"
            arguments[snake(parameter["name"])] = value
        return arguments

    def request_examples(self) -> list[tuple[str, Any]]:
        """The JSON request body examples."""
        body = deref(self.document, self.operation.get("requestBody", {}))
        media = body.get("content", {}).get("application/json") or {}
        return list(media_examples(self.document, media))

    def responses(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(status, response object) for every documented response."""
        for status, response in self.operation["responses"].items():
            yield str(status), deref(self.document, response)

    def response_examples(self, status: str) -> list[tuple[str, Any]]:
        """The JSON examples of one response."""
        response = deref(self.document, self.operation["responses"][status])
        media = response.get("content", {}).get("application/json") or {}
        return list(media_examples(self.document, media))

    def valid_arguments(self) -> dict[str, Any]:
        """Arguments for a call the spec allows: path values and the first body example."""
        arguments = self.path_arguments()
        examples = self.request_examples()
        if examples:
            arguments["body"] = examples[0][1]
        return arguments


def operation_cases() -> list[OperationCase]:
    """Every operation of every billing spec."""
    cases = []
    for spec_name, package in BILLING_PACKAGES.items():
        document = load_document(spec_name)
        for path, method, _, operation in iter_operations(document):
            cases.append(OperationCase(package, spec_name, path, method, operation))
    return cases


def credentials_for(client_class: type) -> dict[str, str]:
    """Test credentials for every credential argument of a generated client class."""
    signature = inspect.signature(client_class.__init__)  # type: ignore[misc]
    return {name: f"test-{name}" for name in signature.parameters if name not in CLIENT_OPTIONS}
