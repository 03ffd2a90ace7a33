"""`<package>.testing.MockAPI`: the offline kit built from each spec's examples."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import httpx
import pytest

from tests.conftest import method
from tests.spec_cases import OperationCase, operation_cases

CASES = operation_cases()


def _kit(case: OperationCase) -> Any:
    return importlib.import_module(f"{case.package}.testing").MockAPI()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_operation_answers_with_its_example(case: OperationCase) -> None:
    mock = _kit(case)
    result = method(mock.client(), case.method_name)(**case.valid_arguments())
    success = next(s for s, _ in case.responses() if s.startswith("2"))
    examples = case.response_examples(success)
    if examples:
        dumped = result.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context={"reveal_secrets": True}
        )
        assert set(dumped) == set(examples[0][1])
    else:
        assert result is None
    assert len(mock.requests) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_documented_errors_are_selectable(case: OperationCase) -> None:
    package = importlib.import_module(case.package)
    client = _kit(case).client(max_retries=0)
    for status, _ in case.responses():
        for name, _value in case.response_examples(status):
            if status.startswith("2"):
                continue
            with pytest.raises(package.APIStatusError) as raised:
                method(client, case.method_name)(
                    **case.valid_arguments(),
                    extra_headers={"Prefer": f"code={status}, example={name}"},
                )
            assert raised.value.status_code == int(status)
            assert raised.value.parsed is not None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_missing_credentials_answer_401(case: OperationCase) -> None:
    package = importlib.import_module(case.package)
    mock = _kit(case)
    client = package.Client(
        base_url=mock.base_url, http_client=httpx.Client(transport=mock.transport())
    )
    with pytest.raises(package.AuthenticationError):
        method(client, case.method_name)(**case.valid_arguments())


@pytest.mark.parametrize("case", [c for c in CASES if c.request_examples()], ids=lambda c: c.id)
def test_body_that_breaks_the_spec_gets_422(case: OperationCase) -> None:
    mock = _kit(case)
    with httpx.Client(transport=mock.transport(), base_url=mock.base_url) as raw_http:
        path = case.path
        for name, value in case.path_arguments().items():
            path = path.replace("{" + name + "}", str(value))
        response = raw_http.request(
            case.method.upper(),
            mock.base_url + path,
            json=[1, 2],
            headers={
                "Authorization": "Bearer t",
                "sessionId": "s",
                "SystemInformation": "s",
                "username": "u",
                "password": "p",
            },
        )
    assert response.status_code == 422, response.text
    assert "does not match the spec" in response.json()["message"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_async_client_of_the_kit(case: OperationCase) -> None:
    mock = _kit(case)

    async def run() -> Any:
        client = mock.async_client()
        return await method(client, case.method_name)(**case.valid_arguments())

    asyncio.run(run())
    assert len(mock.requests) == 1
