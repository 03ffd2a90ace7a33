"""The package does not grow as operations times description (hostile audit 8): one body
property's 1.3 MB description was copied into the docstring of every method taking the
body, sync and async: 100 operations made 254 MB of package from a 1.3 MB spec."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import generate_package
from tests.conftest import minimal_spec, write_spec


def test_a_long_description_is_written_once(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(30_000))  # ~270 kB
    schema = {"type": "object", "properties": {"note": {"type": "string", "description": words}}}
    paths = {
        f"/things{n}": {
            "post": {
                "operationId": f"createThing{n}",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}
                },
                "responses": {"204": {"description": "done"}},
            }
        }
        for n in range(30)
    }
    output = tmp_path / "out"
    generate_package(write_spec(tmp_path, minimal_spec({"B": schema}, paths), "spec.json"), output)
    size = sum(p.stat().st_size for p in output.rglob("*.py"))
    assert size < 3 * len(words) + 2_000_000  # (was 30 * 2 * 270 kB, about 16 MB)
    models = "".join(p.read_text() for p in (output / "test_api" / "models").rglob("*.py"))
    assert "word29999" in models  # the whole text, in the model
    resources = "".join(p.read_text() for p in (output / "test_api" / "resources").rglob("*.py"))
    assert "word29999" not in resources and "word50 " in resources
