"""Path parameters' values: an empty one is refused before sending (the request would go to
another URL), so an enum's `""` is no value a call can give (UX audit 8: kompany's
`dataset` admitted `""` in its type, and the README's example used it, and raised)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, recording


def _spec() -> dict[str, Any]:
    dataset = {
        "name": "dataset",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["", "mini", "full"]},
    }
    operation = {"operationId": "getDataset", "responses": {"204": {"description": "ok"}}}
    return minimal_spec({}, {"/company/{dataset}": {"parameters": [dataset], "get": operation}})


def test_an_empty_enum_value_of_a_path_parameter_is_no_choice(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    http, seen = recording(lambda _: httpx.Response(204))
    company = package.Client(http_client=http).company
    annotation = str(type(company).retrieve.__annotations__["dataset"])  # (text: lazy models)
    assert annotation.endswith("Literal['mini', 'full']")
    company.retrieve("mini")
    assert seen[0].url.path.endswith("/company/mini")
    with pytest.raises(package.errors.RequestValidationError):
        company.retrieve("")
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert 'retrieve("mini")' in readme
