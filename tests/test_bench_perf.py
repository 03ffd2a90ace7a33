"""The benchmark package (`bench/perf/`): what it reads from outputs and how it reports.

No process is timed here: no test depends on wall time (bench/README.md).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from bench.perf import report, rounds
from bench.perf.count import Coverage, ogen_coverage, spec_coverage
from bench.perf.fetch import BenchSpec
from bench.perf.variants import build_variants, select_variants

SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{petId}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
        "404":
          description: missing
          content:
            application/problem+json:
              schema: {type: object}
        "500":
          description: no body
    delete:
      responses:
        "204": {description: gone}
"""

# The shape of openapi-generator 7.26's python `api/*_api.py` modules, trimmed.
OGEN_API = """\
class PetsApi:
    def get_pet(self, pet_id):
        _response_types_map: Dict[str, Optional[str]] = {
            '200': "object",
            '404': None,
        }
        return self.api_client.call_api(response_types_map=_response_types_map)

    def get_pet_with_http_info(self, pet_id):
        _response_types_map: Dict[str, Optional[str]] = {'200': "object"}

    def _get_pet_serialize(self, pet_id):
        return self.api_client.param_serialize(
            method='GET',
            resource_path='/pets/{petId}',
        )

    def delete_pet(self, pet_id):
        _response_types_map: Dict[str, Optional[str]] = {'204': None}

    def _delete_pet_serialize(self, pet_id):
        return self.api_client.param_serialize(method='DELETE', resource_path='/pets/{petId}')
"""


def test_spec_coverage_counts_operations_and_json_responses() -> None:
    import yaml

    declared = spec_coverage(yaml.safe_load(SPEC))
    assert declared.operations == {("GET", "/pets/{}"), ("DELETE", "/pets/{}")}
    assert declared.responses == {("GET", "/pets/{}", "200"), ("GET", "/pets/{}", "404")}


def test_ogen_coverage_reads_serialize_calls_and_response_type_maps(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "pets_api.py").write_text(textwrap.dedent(OGEN_API))
    found = ogen_coverage(tmp_path)
    assert found == Coverage(
        frozenset({("GET", "/pets/{}"), ("DELETE", "/pets/{}")}),
        frozenset({("GET", "/pets/{}", "200")}),  # 404 maps to None: untyped
    )
    assert ogen_coverage(tmp_path / "missing") is None


def test_ogen_is_a_selectable_variant_after_the_others() -> None:
    assert select_variants("ogen,ours", skip_peers=False) == ["ours", "ogen"]
    assert select_variants("ours,ogen", skip_peers=True) == ["ours"]


def test_without_java_ogen_is_skipped_and_reported_so(tmp_path: Path) -> None:
    spec = tmp_path / "pets.yaml"
    spec.write_text(SPEC)
    variants = build_variants(["ogen"], tmp_path / "opc.yaml", java=None)
    assert [v.skip for v in variants] == ["no Java"]
    result = rounds.bench_spec(BenchSpec("pets", spec, "billing"), variants, 1, tmp_path, 60.0)
    ogen = result.results["ogen"]
    assert (ogen.skipped, ogen.runs) == ("no Java", [])  # nothing was run
    text = report.render(report.Report(command="bench", started="now", specs=[result]))
    assert "| pets | skipped: no Java |" in text
    assert "| openapi-generator (python generator, defaults) |" in text
    assert text.count("skipped: no Java") == 2  # the summary and the spec's table
    assert build_variants(["ogen"], tmp_path / "opc.yaml", java="openjdk 17")[0].skip is None


def test_startup_section_gives_the_ratio_the_first_call_and_the_commands() -> None:
    from bench.perf.measure import Measurement
    from bench.perf.startup import StartupResult, render_startup

    def run(wall: float) -> Measurement:
        return Measurement(wall, 40 * 1024, None, 0, "ok")

    item = StartupResult("github", "github", "import github; github.Client()")
    item.baseline, item.client = [run(0.2), run(0.4)], [run(0.5), run(0.5)]
    item.plan = {"call": "repos.list_for_org", "http": "GET /orgs/{org}/repos"}
    item.probes = [{"import_client_s": 0.4, "first_call_s": 0.012, "second_call_s": 0.001}]
    item.commands = ["echo reproduce"]
    row = next(line for line in render_startup([item], 2) if line.startswith("| github |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:5] == ["0.300", "0.500", "**1.67**", "no"]  # medians; 1.67 > 1.5
    assert cells[6:11] == [
        "`repos.list_for_org` (GET /orgs/{org}/repos)",
        "0.400",
        "12.0",
        "1.0",
        "yes",
    ]
    assert "echo reproduce" in render_startup([item], 2)


def test_pagination_coverage_counts_lists_and_what_we_page(tmp_path: Path) -> None:
    from bench.perf.pages import ours_pages, render_pages, spec_lists

    array: dict[str, object] = {"type": "array", "items": {"type": "string"}}

    def get(schema: dict[str, Any], *query: str) -> dict[str, object]:
        content = {"application/json": {"schema": schema}}
        return {
            "get": {
                "parameters": [{"name": n, "in": "query"} for n in query],
                "responses": {"200": {"description": "ok", "content": content}},
            }
        }

    document = {
        "paths": {
            "/a/{id}": get(array, "per_page"),  # a list
            "/b": get(array),  # a whole list: no sign of paging
            "/c": get({"type": "object", "properties": {"data": array, "has_more": {}}}),
            "/d": get({"type": "object", "properties": {"tags": array}}),  # one object
        }
    }
    lists = spec_lists(document)
    assert lists == {("GET", "/a/{}"), ("GET", "/c")}
    resources = tmp_path / "pkg" / "resources"
    resources.mkdir(parents=True)
    (resources / "a.py").write_text(
        textwrap.dedent(
            """\
            def _op_list():
                return OperationInfo(method="GET", path="/a/{id}", responses={})

            def _page_list():
                return PageInfo(scheme="link_header", items=None)
            """
        )
    )
    pages = ours_pages(tmp_path)
    assert pages == {("GET", "/a/{}"): "link_header"}
    row = render_pages([("x", lists, pages)])[-2]
    assert row == "| x | 2 | 1 | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 0 |"


def test_paging_bench_runs_both_schemes_and_checks_the_variants_agree(tmp_path: Path) -> None:
    """`bench/paging.py` on the paging spec's package: every variant sends the same requests
    and yields the same items (a small run: the figures are `make bench`'s)."""
    import json
    import subprocess
    import sys

    from bench.perf.paging import PAGING_SCRIPT, PAGING_SPEC
    from generator.pipeline import generate_package

    generate_package(PAGING_SPEC, tmp_path / "paging")
    argv = [sys.executable, str(PAGING_SCRIPT), "--project", str(tmp_path / "paging")]
    argv += ["--items", "30", "--page-size", "7", "--repeats", "1"]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(done.stdout)
    assert result["pages"] == {"invoices": 5, "payments": 5}
    names = [operation["operation"] for operation in result["operations"]]
    assert names == ["invoices.list (cursor)", "payments.list (link_header)"]
    for operation in result["operations"]:
        assert "5 identical requests each" in operation["verified"]
        assert "equal items (30)" in operation["verified"]
        assert set(operation["ratios"]) == {"sync", "async"}


def test_paging_bench_refuses_variants_that_disagree() -> None:
    import pytest

    from bench import paging

    class Item:
        def __init__(self, value: int) -> None:
            self.value = value

        def model_dump(self) -> dict[str, int]:
            return {"value": self.value}

    class Server:
        recorded: list[tuple[str, ...]] | None = None

    server = Server()

    def good() -> list[Item]:
        assert server.recorded is not None
        server.recorded.append(("GET", "/v1/invoices"))
        return [Item(1), Item(2)]

    def short() -> list[Item]:
        assert server.recorded is not None
        server.recorded.append(("GET", "/v1/invoices"))
        return [Item(1)]

    def other_url() -> list[Item]:
        assert server.recorded is not None
        server.recorded.append(("GET", "/v1/invoices?limit=2"))
        return [Item(1), Item(2)]

    fake: Any = server
    assert "equal items (2)" in paging._verify(fake, {"a": good, "b": good}, 2)
    with pytest.raises(SystemExit, match="other items"):
        paging._verify(fake, {"a": good, "b": short}, 2)
    with pytest.raises(SystemExit, match="other requests"):
        paging._verify(fake, {"a": good, "b": other_url}, 2)
    with pytest.raises(SystemExit, match="1 items, expected 2"):
        paging._verify(fake, {"a": short}, 2)


def test_the_one_edit_rerun_edits_one_operation_under_the_same_file_name(tmp_path: Path) -> None:
    import json

    from bench.perf.measure import Measurement

    source = tmp_path / "api.json"
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/a": {"parameters": [], "get": {"description": "List a."}},
            "/b": {"post": {"summary": "Make b."}},
        },
    }
    source.write_text(json.dumps(document))
    spec = BenchSpec("api", source, "stripe")
    edited = rounds.edited_copy(spec, tmp_path / "edited")
    assert edited is not None
    copy, what = edited
    assert copy == tmp_path / "edited" / "api.json" and what == "the description of GET /a"
    changed = json.loads(copy.read_text())
    assert changed["paths"]["/a"]["get"]["description"] == "Edited: List a."
    assert changed["paths"]["/b"] == document["paths"]["/b"]
    yaml_spec = BenchSpec("y", tmp_path / "y.yaml", "billing")
    assert rounds.edited_copy(yaml_spec, tmp_path / "y") is None

    def run(wall: float) -> Measurement:
        return Measurement(wall, 1024 * 30, wall, 0, "ok")

    result = rounds.SpecResult(spec, 10, Coverage(frozenset(), frozenset()), 0.1, {}, frozenset())
    result.reruns = {rounds.UNCHANGED: [run(0.2)], rounds.ONE_EDIT: [run(1.0)]}
    result.edited = what
    text = "\n".join(report._render_reruns(result, [run(4.0)]))
    assert "The edit: the description of GET /a." in text
    assert f"| {rounds.UNCHANGED} | 0.20 | 30 | 0.05 | ≤ 0.1 | ok |" in text
    assert f"| {rounds.ONE_EDIT} | 1.00 | 30 | 0.25 | ≤ 0.3 | ok |" in text
