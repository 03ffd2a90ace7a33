"""A required `readOnly` property (an `id` the server assigns) is optional in the model, since
no request holds it; under `strict_response_validation` a response without it is refused,
as one without any other required property is. It was accepted: the strict mode checked
what the model required, and the model did not require it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, round_trip_paths

CARD = {
    "type": "object",
    "required": ["id", "brand"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "brand": {"type": "string"},
        "owner": {
            "type": "object",
            "required": ["uid"],
            "properties": {"uid": {"type": "integer", "readOnly": True}},
        },
    },
}
PATHS = round_trip_paths("/cards", "createCard", "cards", "Card")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_strict_read_needs_required_read_only_fields(
    build_package: BuildPackage, mode: str
) -> None:
    import asyncio

    package = build_package(minimal_spec({"Card": CARD}, PATHS))
    answers: list[dict[str, Any]] = []
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json=answers.pop(0))

    def create(strict: bool, answer: dict[str, Any]) -> Any:
        answers.append(answer)
        body = {"brand": "visa", "owner": {}}  # (no `id` nor `uid`: requests never hold them)
        if mode == "sync":
            http = httpx.Client(transport=httpx.MockTransport(handler))
            client = package.Client(
                base_url="https://api.test", http_client=http, strict_response_validation=strict
            )
            return client.cards.create(**body)

        async def main() -> Any:
            http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
            client = package.AsyncClient(
                base_url="https://api.test", http_client=http, strict_response_validation=strict
            )
            return await client.cards.create(**body)

        return asyncio.run(main())

    whole = {"id": "card_1", "brand": "visa", "owner": {"uid": 7}}
    assert create(True, whole).id == "card_1"
    for answer, where in (
        ({"brand": "visa", "owner": {"uid": 7}}, "id"),
        ({"id": "card_1", "brand": "visa", "owner": {}}, "owner"),
    ):
        with pytest.raises(package.APIResponseValidationError, match=where):
            create(True, answer)
        assert create(False, answer).brand == "visa"  # (lenient: read as it came)
    assert sent[0] == b'{"brand":"visa","owner":{}}'
