"""Contract tests over real HTTP: the generated clients against Prism serving the same spec.

Prism validates every request it receives (path, headers, security, body
schema and formats) and reports what it did not accept in the `sl-violations`
response header; a non-empty header fails the test with its content.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tests.contract.coverage import COVERAGE
from tests.contract.prism import PrismServer
from tests.contract.support import assert_no_violations, contract_call
from tests.spec_cases import OperationCase, operation_cases

CASES = operation_cases()


def _error_cases() -> list[Any]:
    params = []
    for case in CASES:
        for status, response in case.responses():
            if not status.startswith("2") and status[0].isdigit() and "content" in response:
                params.append(pytest.param(case, status, id=f"{case.id}-{status}"))
    return params


def _named_example_cases() -> list[Any]:
    params = []
    for case in CASES:
        for status, _ in case.responses():
            for name, _value in case.response_examples(status):
                params.append(pytest.param(case, status, name, id=f"{case.id}-{status}-{name}"))
    return params


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_valid_call_is_accepted_and_parsed(
    case: OperationCase, mode: str, prism_servers: dict[str, PrismServer]
) -> None:
    server = prism_servers[case.package]
    raw = call(case, server, mode, raw=True)
    assert_no_violations(raw)
    assert 200 <= raw.status_code < 300
    declared = dict(case.responses())[str(raw.status_code)]
    if "content" in declared:
        assert raw.parsed is not None and hasattr(raw.parsed, "model_dump")
    else:
        assert raw.parsed is None
    COVERAGE.operations.add((case.package, case.method_name))
    COVERAGE.statuses.add((case.package, case.method_name, str(raw.status_code)))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("case", "status"), _error_cases())
def test_documented_error_raises_its_class(
    case: OperationCase, status: str, mode: str, prism_servers: dict[str, PrismServer]
) -> None:
    package = importlib.import_module(case.package)
    with pytest.raises(package.APIStatusError) as raised:
        call(case, prism_servers[case.package], mode, prefer=f"code={status}")
    error = raised.value
    assert error.status_code == int(status)
    assert type(error) is package.errors.error_class_for(int(status))
    assert error.parsed is not None and hasattr(error.parsed, "model_dump"), error.body
    assert "sl-violations" not in error.headers, error.headers.get("sl-violations")
    COVERAGE.statuses.add((case.package, case.method_name, status))


@pytest.mark.parametrize(("case", "status", "name"), _named_example_cases())
def test_named_examples_are_served_and_parse(
    case: OperationCase, status: str, name: str, prism_servers: dict[str, PrismServer]
) -> None:
    package = importlib.import_module(case.package)
    prefer = f"code={status}, example={name}"
    expected = dict(case.response_examples(status))[name]
    if status.startswith("2"):
        raw = call(case, prism_servers[case.package], "sync", raw=True, prefer=prefer)
        assert_no_violations(raw)
        parsed = raw.parsed
    else:
        with pytest.raises(package.APIStatusError) as raised:
            call(case, prism_servers[case.package], "sync", prefer=prefer)
        parsed = raised.value.parsed
    dumped = parsed.model_dump(
        mode="json", by_alias=True, exclude_unset=True, context={"reveal_secrets": True}
    )
    assert set(dumped) == set(expected)
    COVERAGE.examples.add((case.package, case.method_name, status, name))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.operation.get("security", True)], ids=lambda c: c.id
)
def test_missing_credentials_get_401(
    case: OperationCase, mode: str, prism_servers: dict[str, PrismServer]
) -> None:
    package = importlib.import_module(case.package)
    with pytest.raises(package.AuthenticationError) as raised:
        call(case, prism_servers[case.package], mode, credentials=False)
    assert raised.value.status_code == 401
    explanation = (
        raised.value.headers.get("sl-violations", "") + raised.value.text
    )  # header, or body when no 401 is documented
    assert "security" in explanation.lower()


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", [c for c in CASES if c.request_examples()], ids=lambda c: c.id)
def test_invalid_payload_never_reaches_the_server(
    case: OperationCase, mode: str, prism_servers: dict[str, PrismServer]
) -> None:
    server = prism_servers[case.package]
    before = server.requests_received()
    arguments = {**case.path_arguments(), "body": ["not", "an", "object"]}
    package = importlib.import_module(case.package)
    with pytest.raises(package.RequestValidationError):
        call(case, server, mode, arguments=arguments)
    assert server.requests_received() == before, server.log()[-2000:]


def call(
    case: OperationCase,
    server: PrismServer,
    mode: str,
    *,
    raw: bool = False,
    prefer: str | None = None,
    credentials: bool = True,
    arguments: dict[str, Any] | None = None,
) -> Any:
    """Call the case's operation against the server, sync or async."""
    kwargs = dict(arguments if arguments is not None else case.valid_arguments())
    if prefer:
        kwargs["extra_headers"] = {"Prefer": prefer}

    return contract_call(
        case.package,
        case.method_name,
        server.base_url,
        mode,
        kwargs,
        raw=raw,
        credentials=credentials,
        check_violations=credentials,
    )
