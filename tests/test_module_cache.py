"""Regenerating after an edit (`generator/module_cache.py`), on the large path (forked
renderers) and the small one: only the modules whose IR changed are rendered, the files are those a cold generation writes, and the API
diff reassembled from the cache is the one the previous spec's rebuilt IR gives."""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.module_packs import IrUnpickler
from tests.apidiff_specs import BASE, Spec
from tests.conftest import GOLDEN_SPECS_DIR, ROOT, write_spec

RENDERS = "BILLING_SDKGEN_TEST_RENDERS"  # the file the counting wrappers append to


def _spec() -> Spec:
    """BASE with a second resource (`teams`), so that an edit can leave one untouched."""
    spec = copy.deepcopy(BASE)
    ok = {
        "200": {
            "description": "the team",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Team"}}},
        }
    }
    spec["paths"]["/teams/{id}"] = {
        "get": {
            "operationId": "getTeam",
            "tags": ["teams"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": ok,
        }
    }
    spec["components"]["schemas"]["Team"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "lead": {"$ref": "#/components/schemas/User"}},
    }
    return spec


def _describe_get_user(spec: Spec) -> None:
    spec["paths"]["/users/{id}"]["get"]["description"] = "Read one user, edited."


def _add_user_field(spec: Spec) -> None:
    spec["components"]["schemas"]["User"]["properties"]["bio"] = {"type": "string"}


def _remove_address_city(spec: Spec) -> None:
    spec["components"]["schemas"]["Address"]["properties"]["zip"] = {"type": "string"}
    del spec["components"]["schemas"]["Address"]["properties"]["city"]


def _remove_get_team(spec: Spec) -> None:
    del spec["paths"]["/teams/{id}"]


def _add_projects(spec: Spec) -> None:
    spec["components"]["schemas"]["Project"] = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "owner": {"$ref": "#/components/schemas/Team"}},
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Project"}}}
    spec["paths"]["/projects"] = {
        "post": {
            "operationId": "createProject",
            "tags": ["projects"],
            "requestBody": {"required": True, "content": content},
            "responses": {"201": {"description": "created", "content": content}},
        }
    }


def _rename_team(spec: Spec) -> None:
    text = json.dumps(spec).replace("/schemas/Team", "/schemas/Group")
    spec.clear()
    spec.update(json.loads(text))
    spec["components"]["schemas"]["Group"] = spec["components"]["schemas"].pop("Team")


def _secure_with_bearer(spec: Spec) -> None:
    spec["components"]["securitySchemes"]["bearer"] = {"type": "http", "scheme": "bearer"}
    spec["security"] = [{"bearer": []}]


EDITS: dict[str, Callable[[Spec], None]] = {
    "description": _describe_get_user,
    "field-added": _add_user_field,
    "field-removed": _remove_address_city,
    "operation-removed": _remove_get_team,
    "resource-added": _add_projects,
    "model-renamed": _rename_team,
    "security-changed": _secure_with_bearer,
}


@pytest.fixture(params=[True, False], ids=["large", "small"])
def large(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every spec takes the large path (forked renderers), or the small one (rendered in
    this process), with a cache folder of its own; returns that folder."""
    monkeypatch.setattr("generator.pipeline._is_large", lambda _path: request.param)
    cache = tmp_path / "cache"
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(cache))
    return cache


def _generate(folder: Path, spec: Spec, out: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = write_spec(folder, spec, "users.yaml")
    assert main(["generate", str(path), "--output", str(out), "--quiet"]) == 0


def _tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _without_changelog(tree: dict[str, bytes]) -> dict[str, Any]:
    """The tree minus what a first generation and a regeneration rightly differ in."""
    kept: dict[str, Any] = {k: v for k, v in tree.items() if k != "CHANGELOG.md"}
    stamp = json.loads(kept.pop(".sdkgen-inputs"))
    del stamp["files"]["CHANGELOG.md"]
    kept[".sdkgen-inputs"] = stamp
    return kept


@pytest.mark.parametrize("edit", list(EDITS))
def test_regeneration_writes_what_a_cold_generation_writes(
    tmp_path: Path, large: Path, edit: str
) -> None:
    """Whatever the edit, regenerating over the previous package (reusing the modules whose
    IR did not change) writes the files a cold generation of the edited spec writes."""
    spec = _spec()
    _generate(tmp_path / "v1", spec, tmp_path / "regenerated")
    EDITS[edit](spec)
    _generate(tmp_path / "v2", spec, tmp_path / "regenerated")
    _generate(tmp_path / "v2", spec, tmp_path / "cold")
    regenerated, cold = _tree(tmp_path / "regenerated"), _tree(tmp_path / "cold")
    assert _without_changelog(regenerated) == _without_changelog(cold)
    assert "modules" in json.loads(cold[".sdkgen-inputs"])


@pytest.mark.parametrize("edit", [e for e in EDITS if e != "description"])
@pytest.mark.parametrize("version", ["1.0.0", "2024-01-01"], ids=["semver", "dated"])
def test_the_reassembled_diff_is_the_rebuilt_one(
    tmp_path: Path, large: Path, monkeypatch: pytest.MonkeyPatch, edit: str, version: str
) -> None:
    """The CHANGELOG entry (and the version, when it follows the diff) from the previous IR
    reassembled out of the cache equals the one from rebuilding the previous spec's IR,
    which happens when the cache was emptied."""
    import shutil

    changelogs = []
    for reassembled in (True, False):
        spec = _spec()
        spec["info"]["version"] = version
        out = tmp_path / f"out-{reassembled}"
        _generate(tmp_path / f"v1-{reassembled}", spec, out)
        EDITS[edit](spec)
        if reassembled:
            with monkeypatch.context() as patch:  # the rebuild must not happen
                patch.setattr("generator.release.diff_since_generation", _no_rebuild)
                _generate(tmp_path / f"v2-{reassembled}", spec, out)
        else:
            shutil.rmtree(large / "ir")
            _generate(tmp_path / f"v2-{reassembled}", spec, out)
        changelogs.append((out / "CHANGELOG.md").read_text(encoding="utf-8"))
        pyproject = (out / "pyproject.toml").read_text(encoding="utf-8")
        changelogs.append(next(line for line in pyproject.splitlines() if "version" in line))
    assert changelogs[:2] == changelogs[2:]
    assert changelogs[0].count("\n## ") == 2  # this generation's entry, then the first


def _no_rebuild(*args: object, **kwargs: object) -> None:
    raise AssertionError("the previous IR was rebuilt instead of reassembled")


def _count_renders(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Record (in `log`, from the forked renderers too) each model and resource module rendered."""
    import generator.render as render

    for name in ("_render_module", "_render_resource"):
        original = getattr(render, name)

        def counted(templates: Any, node: Any, context: Any, original: Any = original) -> str:
            with open(log, "a", encoding="utf-8") as file:
                file.write(f"{getattr(node, 'name', None) or node.module}\n")
            return str(original(templates, node, context))

        monkeypatch.setattr(render, name, counted)


def _rendered(log: Path) -> list[str]:
    found = sorted(log.read_text(encoding="utf-8").split()) if log.exists() else []
    log.unlink(missing_ok=True)
    return found


def test_only_modules_whose_ir_changed_are_rendered(
    tmp_path: Path, large: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "renders.log"
    _count_renders(monkeypatch, log)
    spec = _spec()
    out = tmp_path / "out"
    _generate(tmp_path / "v1", spec, out)
    first = _rendered(log)
    keyed = [p.stem for p in out.glob("users/*/*.py") if p.stem != "__init__"]
    assert first == sorted(keyed) and {"users", "teams"} <= set(first)
    _generate(tmp_path / "v1", spec, out)  # unchanged: nothing at all is generated
    assert _rendered(log) == []
    _describe_get_user(spec)
    _generate(tmp_path / "v2", spec, out)
    assert _rendered(log) == ["users"]
    _add_user_field(spec)  # the module of User (which only Team's uses)
    _generate(tmp_path / "v3", spec, out)
    assert _rendered(log) == ["team"]


def test_a_file_and_its_stamp_hash_edited_together_are_rendered_again(
    tmp_path: Path, large: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp is in the output folder, which anyone may edit: a generated file changed
    together with its hash in the stamp (a pull request) is not carried over when the spec
    changes; the cache folder's record of what was rendered decides (gencli audit 7)."""
    from generator.stamp import file_hash

    log = tmp_path / "renders.log"
    _count_renders(monkeypatch, log)
    spec = _spec()
    out = tmp_path / "out"
    _generate(tmp_path / "v1", spec, out)
    _rendered(log)
    team = out / "users" / "models" / "team.py"
    tampered = team.read_bytes() + b"import os\nos.system('echo injected')\n"
    team.write_bytes(tampered)
    stamp_path = out / ".sdkgen-inputs"
    stamp = json.loads(stamp_path.read_text())
    stamp["files"]["users/models/team.py"] = file_hash(tampered)
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    _describe_get_user(spec)  # the module of Team keeps its IR
    _generate(tmp_path / "v2", spec, out)
    assert _rendered(log) == ["team", "users"]
    _generate(tmp_path / "v2", spec, tmp_path / "cold")
    assert team.read_bytes() == (tmp_path / "cold" / "users" / "models" / "team.py").read_bytes()


def test_another_generator_or_options_render_everything(
    tmp_path: Path, large: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys recorded by another generator (or with other options) are not trusted, not
    even when they would match: every module renders again."""
    log = tmp_path / "renders.log"
    _count_renders(monkeypatch, log)
    spec = _spec()
    out = tmp_path / "out"
    _generate(tmp_path / "v1", spec, out)
    first = _rendered(log)
    stamp_path = out / ".sdkgen-inputs"
    stamp = json.loads(stamp_path.read_text())
    stamp["generator"] = "0" * 64
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    _describe_get_user(spec)
    _generate(tmp_path / "v2", spec, out)
    assert _rendered(log) == first


def test_keys_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two processes with different hash seeds record the same keys: sets in the IR
    (cached properties of models) are not part of what is hashed."""
    script = (
        "import sys, generator.pipeline as p; p._is_large = lambda _path: True\n"
        "from generator.cli import main; sys.exit(main(sys.argv[1:]))\n"
    )
    spec = GOLDEN_SPECS_DIR / "kitchen_sink_31.yaml"
    stamps = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "BILLING_SDKGEN_CACHE": str(tmp_path / seed)}
        argv = ["generate", str(spec), "--output", str(out), "--quiet"]
        result = subprocess.run(
            [sys.executable, "-c", script, *argv], env=env, cwd=ROOT, capture_output=True
        )
        assert result.returncode == 0, result.stderr.decode()
        stamps.append(json.loads((out / ".sdkgen-inputs").read_text()))
    assert len(stamps[0]["modules"]) >= 20
    assert stamps[0]["modules"] == stamps[1]["modules"]
    assert stamps[0]["module_packs"] == stamps[1]["module_packs"]


@pytest.mark.parametrize(
    "value",
    [os.system, subprocess.Popen, Path("/"), main, copy.deepcopy],
    ids=["os.system", "Popen", "Path", "a generator function", "copy"],
)
def test_the_cache_unpickles_nothing_but_ir_classes(value: object) -> None:
    with pytest.raises(pickle.UnpicklingError, match="is not a class of the IR"):
        IrUnpickler(io.BytesIO(pickle.dumps(value))).load()


def test_a_node_pickle_refuses_is_rendered_and_the_next_diff_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node that cannot be pickled (a type nested deeper than pickle recurses) is not
    keyed: the package is generated all the same, and the stamp records no `@api`, so the
    next regeneration builds the previous IR instead of reassembling an incomplete one."""
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path / "cache"))
    real = pickle.dumps

    def refusing(value: Any, protocol: int | None = None) -> bytes:
        if "team" in repr(value)[:300].lower():
            raise RecursionError("maximum recursion depth exceeded while pickling")
        return real(value, protocol=protocol)

    spec = _spec()
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr("generator.module_cache.pickle.dumps", refusing)
        _generate(tmp_path / "v1", spec, out)
    modules = json.loads((out / ".sdkgen-inputs").read_text())["modules"]
    assert "@api" not in modules and "users/models/team.py" not in modules
    assert "users/resources/users.py" in modules
    _add_user_field(spec)
    _generate(tmp_path / "v2", spec, out)
    changelog = (out / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "bio" in changelog  # the rebuilt previous IR gave the diff
    assert "@api" in json.loads((out / ".sdkgen-inputs").read_text())["modules"]


def test_the_cache_keeps_the_packs_of_the_last_generation_only(tmp_path: Path, large: Path) -> None:
    """Each generation's nodes are in a few pack files named after it; regenerating deletes
    the previous generation's, and regenerating the same IR keeps them (no duplicates)."""
    spec = _spec()
    out = tmp_path / "out"

    def identities() -> set[str]:
        return {p.name.split("-")[0] for p in (large / "ir").glob("*.pack")}

    _generate(tmp_path / "v1", spec, out)
    first = json.loads((out / ".sdkgen-inputs").read_text())["module_packs"]
    assert identities() == {first}
    _describe_get_user(spec)
    _generate(tmp_path / "v2", spec, out)
    second = json.loads((out / ".sdkgen-inputs").read_text())["module_packs"]
    assert second != first and identities() == {second}
    spec["info"]["description"] = "Only the README shows this."
    _generate(tmp_path / "v3", spec, out)
    assert json.loads((out / ".sdkgen-inputs").read_text())["module_packs"] == second
    assert identities() == {second}
    assert not [p for p in (large / "ir").iterdir() if not p.name.endswith(".pack")]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "removed"])
def test_damaged_packs_fall_back_to_rebuilding_the_previous_ir(
    tmp_path: Path, large: Path, damage: str
) -> None:
    """Packs cut short, overwritten or deleted (a full disk, a cleaned cache) are a miss:
    the diff is computed from the previous spec's rebuilt IR, with the same CHANGELOG."""
    changelogs = []
    for damaged in (False, True):
        spec = _spec()
        out = tmp_path / f"out-{damaged}"
        _generate(tmp_path / f"v1-{damaged}", spec, out)
        if damaged:
            for pack in (large / "ir").glob("*.pack"):
                if damage == "truncated":
                    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
                elif damage == "garbage":
                    pack.write_bytes(b"\x00\x00\x00\x00\x00\x00\x00\x02{}" + os.urandom(64))
                else:
                    pack.unlink()
        _add_user_field(spec)
        _generate(tmp_path / f"v2-{damaged}", spec, out)
        changelogs.append((out / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert changelogs[0] == changelogs[1] and "bio" in changelogs[1]


@pytest.mark.parametrize("how", ["forced", "another-generator"])
def test_the_replaced_generations_packs_go_whoever_wrote_them(
    tmp_path: Path, large: Path, how: str
) -> None:
    """`--force`, or a stamp from another generator version (nothing of it is reused), still
    deletes the packs of the generation it replaces once the new one is written."""
    spec = _spec()
    out = tmp_path / "out"
    _generate(tmp_path / "v1", spec, out)
    stamp_path = out / ".sdkgen-inputs"
    first = json.loads(stamp_path.read_text())["module_packs"]
    argv = ["--quiet"]
    if how == "forced":
        argv.append("--force")
    else:
        stamp = json.loads(stamp_path.read_text())
        stamp["generator"] = "0" * 64
        stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    _describe_get_user(spec)
    path = write_spec(tmp_path / "v1", spec, "users.yaml")
    assert main(["generate", str(path), "--output", str(out), *argv]) == 0
    second = json.loads(stamp_path.read_text())["module_packs"]
    assert second != first
    assert {p.name.split("-")[0] for p in (large / "ir").glob("*.pack")} == {second}
