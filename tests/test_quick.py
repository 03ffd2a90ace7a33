"""The quick check (`generator.quick`): `generate SPEC --output DIR` with nothing to do is
answered from the stamp before the generator is imported, and only then.

Each case changes one input after a generation and checks that the quick check steps
aside (None: the command line decides) exactly when the full check (`fingerprint`) finds
the package stale, and that when it answers, it says what the command line says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import quick, stamp
from generator.cli import main
from tests.conftest import ROOT, minimal_spec, write_spec

CONFIG = '[tool.billing-sdkgen]\nspec.shop.client = "ShopClient"\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A folder with a configuration and a spec, generated once into `out` (from there)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}), filename="shop.yaml")
    assert main(["generate", "shop.yaml", "--output", "out"]) == 0
    return spec, tmp_path / "out"


def _quick(*extra: str, spec: str = "shop.yaml", output: str = "out") -> int | None:
    return quick.up_to_date_status(["generate", spec, "--output", output, *extra])


def test_an_unchanged_package_is_answered_as_the_command_line_answers(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["generate", "shop.yaml", "--output", "./out/"]) == 0
    full = capsys.readouterr().err
    assert full == "out: up to date (inputs unchanged)\n"
    for argv in (
        ["generate", "shop.yaml", "--output", "./out/"],
        ["generate", "--output", "./out/", "shop.yaml"],
        ["generate", "--output=./out/", "shop.yaml"],
        ["generate", "shop.yaml", "--output=./out/"],
    ):
        assert quick.up_to_date_status(argv) == 0
        assert capsys.readouterr().err == full


def _edit_spec(spec: Path, output: Path) -> None:
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def _edit_file(spec: Path, output: Path) -> None:
    readme = output / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nmine\n", encoding="utf-8")


def _add_file(spec: Path, output: Path) -> None:
    # (in the package: an entry at the project's top it did not write is the user's)
    (output / "shop" / "notes.txt").write_text("mine\n", encoding="utf-8")


def _remove_file(spec: Path, output: Path) -> None:
    (output / "CHANGELOG.md").unlink()


def _edit_config(spec: Path, output: Path) -> None:
    (spec.parent / "pyproject.toml").write_text(CONFIG + "# a comment\n", encoding="utf-8")


def _remove_config(spec: Path, output: Path) -> None:
    (spec.parent / "pyproject.toml").unlink()


def _leave_a_journal(spec: Path, output: Path) -> None:
    (output.parent / ".out.swap").write_text("{}", encoding="utf-8")


def _leave_a_staging_folder(spec: Path, output: Path) -> None:
    (output.parent / ".out.new-abc_12").mkdir()


def _break_the_stamp(spec: Path, output: Path) -> None:
    (output / stamp.FINGERPRINT_FILE).write_text("{", encoding="utf-8")


def _configure_another_client(spec: Path, output: Path) -> None:
    config = CONFIG.replace("ShopClient", "StoreClient")
    (spec.parent / "pyproject.toml").write_text(config, encoding="utf-8")
    assert main(["generate", "shop.yaml", "--output", "out", "--house-style"]) == 0


def _forget_the_options(spec: Path, output: Path) -> None:
    shutil.rmtree(Path(os.environ["BILLING_SDKGEN_CACHE"]) / "options")


def _nest_the_stamp(spec: Path, output: Path) -> None:
    (output / stamp.FINGERPRINT_FILE).write_text("[" * 100_000, encoding="utf-8")


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "spec edited": _edit_spec,
    "generated file edited": _edit_file,
    "file added": _add_file,
    "file removed": _remove_file,
    "configuration edited": _edit_config,
    "configuration removed": _remove_config,
    "interrupted swap": _leave_a_journal,
    "staging folder left": _leave_a_staging_folder,
    "stamp unreadable": _break_the_stamp,
    "stamp nested too deep": _nest_the_stamp,
    "regenerated under another configuration, with an option": _configure_another_client,
    "options forgotten": _forget_the_options,
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_change_leaves_the_decision_to_the_command_line(
    project: tuple[Path, Path], change: str
) -> None:
    spec, output = project
    assert _quick() == 0
    CHANGES[change](spec, output)
    assert _quick() is None


def test_a_configuration_edited_without_changing_the_options_is_learnt_once(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    _edit_config(spec, output)
    assert _quick() is None  # not asked about this configuration yet
    assert main(["generate", "shop.yaml", "--output", "out"]) == 0
    assert "up to date" in capsys.readouterr().err
    assert _quick() == 0


def test_options_the_stamp_does_not_count_do_not_stop_the_quick_answer(
    project: tuple[Path, Path],
) -> None:
    argv = ["generate", "shop.yaml", "--output", "out", "--force", "--ref-root", "."]
    assert main(argv) == 0  # generated again, with options that change no file
    assert _quick() == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["generate", "shop.yaml", "--output", "out", "--force"],
        ["generate", "shop.yaml", "--output", "out", "-q"],
        ["generate", "shop.yaml", "--output", "out", "--package-name", "shop"],
        ["generate", "shop.yaml"],
        ["generate", "--output", "out"],
        ["check", "shop.yaml", "--output", "out"],
        ["generate", "-", "--output", "out"],
        ["generate", "other.yaml", "--output", "out"],
    ],
)
def test_other_commands_go_to_the_command_line(project: tuple[Path, Path], argv: list[str]) -> None:
    assert quick.up_to_date_status(argv) is None


def test_a_configuration_found_from_another_folder_with_the_same_content_is_the_same(
    project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the same pyproject.toml, found from below
    assert _quick(spec="../shop.yaml", output="../out") == 0


def test_the_quick_answer_imports_nothing_but_the_standard_library(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    probe = (
        "import sys\n"
        "from generator.quick import up_to_date_status\n"
        "status = up_to_date_status(['generate', 'shop.yaml', '--output', 'out'])\n"
        "print(status, sorted(m for m in sys.modules if m.startswith('generator')))\n"
        "heavy = {'typing', 'pathlib', 'dataclasses', 're', 'json', 'hashlib', 'argparse'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    answer, heavy = result.stdout.splitlines()
    assert answer.startswith("0 ")
    modules = set(re.findall(r"'([\w.]+)'", answer))
    assert modules == {
        "generator",
        "generator.limits",
        "generator.locations",
        "generator.quick",
        "generator.stamp",
    }
    assert heavy == "[]"


def test_the_entry_points_answer_quickly_and_fall_back(project: tuple[Path, Path]) -> None:
    spec, output = project
    command = [sys.executable, "-m", "generator", "generate", "shop.yaml", "--output", "out"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=spec.parent, env=env, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "out: up to date (inputs unchanged)\n")
    _edit_file(spec, output)
    done = subprocess.run(command, cwd=spec.parent, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "E806 edited by hand" in done.stderr


@given(st.text(alphabet="/.ab", max_size=8))
def test_the_folder_is_spelled_as_pathlib_spells_it(path: str) -> None:
    assert quick._shown(path) == str(Path(path))


staging_names = st.tuples(
    st.sampled_from([".out.new-", ".out.old-", ".out.", ".out.new", ".other.new-", "out.new-", ""]),
    st.text(alphabet="aZ9_-.é/ ", max_size=5),
).map("".join)


@given(staging_names)
def test_staging_names_are_the_writers(entry: str) -> None:
    pattern = re.compile(r"\.out\.(?:new|old)-[A-Za-z0-9_]+")
    assert stamp.is_staging_name("out", entry) == bool(pattern.fullmatch(entry))


json_documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@given(json_documents, st.sampled_from(["", " ", "\n", " \t\r\n"]), st.booleans())
def test_the_stamp_is_read_as_json_loads_reads_it(
    value: object, space: str, only_ascii: bool
) -> None:
    text = space + json.dumps(value, indent=1, ensure_ascii=only_ascii) + space
    assert stamp.json_value(text.encode()) == json.loads(text)


@pytest.mark.parametrize("text", ["", " ", "{", '{"a": 1} x', '{"a": NaN}', "[Infinity]", "\xff"])
def test_what_is_not_one_json_value_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        stamp.json_value(text.encode("latin-1"))


def test_the_generator_digest_is_kept_while_its_files_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generator, templates = tmp_path / "generator", tmp_path / "templates"
    (generator / "runtime").mkdir(parents=True)
    templates.mkdir()
    (generator / "a.py").write_text("A = 1\n", encoding="utf-8")
    (generator / "runtime" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (templates / "c.jinja").write_text("{{ c }}\n", encoding="utf-8")
    monkeypatch.setattr(stamp, "GENERATOR_FOLDER", str(generator))
    monkeypatch.setattr(stamp, "TEMPLATES_FOLDER", str(templates))
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path / "cache"))

    def digest() -> str:
        monkeypatch.setattr(stamp, "_BUILTIN", {})  # a new process
        return stamp.builtin_digest()

    first = digest()
    record = tmp_path / "cache" / "generator-digest"
    key, recorded = record.read_text(encoding="ascii").split()
    assert recorded == first
    record.write_text(f"{key} {'0' * 64}\n", encoding="ascii")
    assert digest() == "0" * 64  # taken from the record: the files are as they were
    (generator / "runtime" / "b.py").write_text("B = 3\n", encoding="utf-8")
    second = digest()  # a file rewritten: read again
    assert second not in (first, "0" * 64)
    record.unlink()
    assert digest() == second  # and the same without the record
    (generator / "runtime" / "b.py").write_text("B = 2\n", encoding="utf-8")
    assert digest() == first  # the content decides the digest, not the times


@pytest.mark.parametrize("hashed_before", [0, 1 << 30], ids=["built-in", "openssl"])
def test_either_sha256_gives_the_same_digests(
    hashed_before: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    monkeypatch.setattr(stamp, "_hashed", [hashed_before])
    monkeypatch.delitem(sys.modules, "hashlib")  # as in the quick check's process
    data = bytes(range(256)) * 64
    assert stamp.file_hash(data) == hashlib.sha256(data).hexdigest()[:24]
    built = stamp._sha256(data[:10], expected=len(data) - 10)
    built.update(data[10:])
    assert built.hexdigest() == hashlib.sha256(data).hexdigest()
    # OpenSSL's objects are `HASH`es, the interpreter's own are not
    assert (type(built).__name__ == "HASH") == bool(hashed_before)


def test_a_vanished_working_folder_goes_to_the_command_line(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone() -> str:
        raise FileNotFoundError("the working folder was removed")

    monkeypatch.setattr(os, "getcwd", gone)
    assert _quick() is None


@pytest.mark.parametrize(
    "listed", ["secret.txt", "/etc/hostname", "../secret.yaml\0x", "../outside/creds.json"]
)
def test_a_stamp_naming_files_no_spec_reads_is_not_up_to_date(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, listed: str
) -> None:
    """Hostile audit 8: the output folder's stamp (anyone's, from a pull request) listed
    `/etc/shadow`; the quick check and `check` read and hashed it, and "up to date" then
    confirmed a guess of its content. A recorded spec file is a relative JSON or YAML path."""
    spec, output = project
    (spec.parent / "secret.txt").write_text("the guessed secret\n", encoding="utf-8")
    # out of the spec's folder, where no `ref-root` lets file `$ref`s read (gencli audit)
    (spec.parent.parent / "outside").mkdir(exist_ok=True)
    (spec.parent.parent / "outside" / "creds.json").write_text('{"k": "guessed"}', "utf-8")
    stamp_path = output / ".sdkgen-inputs"
    recorded = json.loads(stamp_path.read_text(encoding="utf-8"))
    recorded["spec_files"] = ["shop.yaml", listed]
    with monkeypatch.context() as unchecked:  # the digest as reading every entry made it
        unchecked.setattr(stamp, "_spec_file_entry", lambda name: True)
        try:
            recorded["spec"] = stamp.spec_digest(str(spec.parent), recorded["spec_files"], "shop")
        except (OSError, ValueError):
            recorded["spec"] = "unreadable"
        stamp_path.write_text(json.dumps(recorded), encoding="utf-8")
        if listed == "secret.txt":
            assert _quick() == 0  # the oracle, before the check
    assert _quick() is None
    assert main(["check", "shop.yaml", "--output", "out"]) == 1


def test_the_command_ends_at_once_after_its_exit_handlers(tmp_path: Path) -> None:
    """`python -m generator` (and `billing-sdkgen`) ends with `os._exit` once `main` returns,
    rather than free the IR object by object; the exit handlers still run first (a
    `sitecustomize` registers one here), the output is all there, and the status is main's."""
    handler = "atexit.register(lambda: print('exit handler ran', file=sys.stderr))"
    (tmp_path / "sitecustomize.py").write_text(f"import atexit, sys\n{handler}\n", "utf-8")
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "string"}}), filename="shop.yaml")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    env["BILLING_SDKGEN_CACHE"] = str(tmp_path / "cache")
    command = [sys.executable, "-m", "generator", "generate", str(spec), "--output"]
    done = subprocess.run(
        [*command, str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith("exit handler ran")
    assert "file(s) written\nexit handler ran" in done.stderr  # the summary, flushed
    refused = subprocess.run(
        [*command, str(tmp_path / "out"), "--package-name", "1bad"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert refused.returncode == 1 and "E801" in refused.stderr
    assert refused.stderr.rstrip().endswith("exit handler ran")
    linted = subprocess.run(  # stdout through a pipe is block-buffered: flushed before the end
        [sys.executable, "-m", "generator", "lint", str(spec), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert linted.returncode == 0 and json.loads(linted.stdout)["errors"] == 0
