"""The built wheel works as a user installs it: `billing-sdkgen` from a fresh venv, outside the repo.

Offline: the wheel is built with the project venv's hatchling (`--no-build-isolation`),
installed with `--no-deps --no-index` into a new venv, and the generator's dependencies
come from the project venv's site-packages through a `.pth` file (plain path lines: the
project's editable install, which would put the source checkout on `sys.path`, is not
read). The fresh venv's own site-packages comes first, so `import generator` is the
installed copy, and the test asserts so. No templates or specs are reachable from the
checkout: the spec is copied into a folder outside the repository, which is also the
working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS_DIR

pytestmark = pytest.mark.install

SPEC = "abillity-billing-information.yaml"
TIMEOUT = 120


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its `bin` folder."""
    work = tmp_path_factory.mktemp("wheel")
    wheels = work / "dist"
    build = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        work,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = wheels.glob("billing_sdkgen-*.whl")
    environment = work / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work
    )
    assert purelib.returncode == 0, purelib.stderr
    # the dependencies (jinja2, black, pydantic, httpx…) from the project venv, after our own
    project_site = sysconfig.get_path("purelib")
    Path(purelib.stdout.strip(), "zz_project_deps.pth").write_text(project_site + "\n")
    install = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        work,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return environment / "bin"


def test_installed_cli_generates_checks_and_the_package_imports(
    installed: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "project"
    outside.mkdir()
    assert ROOT not in outside.parents
    spec = outside / SPEC
    shutil.copyfile(SPECS_DIR / SPEC, spec)
    cli = str(installed / "billing-sdkgen")

    where = _run(
        [str(installed / "python"), "-c", "import generator; print(generator.__file__)"], outside
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.startswith(str(installed.parent)), where.stdout

    version = _run([cli, "--version"], outside)
    assert version.returncode == 0 and version.stdout.startswith("billing-sdkgen "), version

    generate = _run([cli, "generate", SPEC, "--output", "client"], outside)
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert "Traceback" not in generate.stderr
    package = outside / "client" / "abillity_billing_information"
    assert (package / "_client.py").is_file()

    check = _run([cli, "check", SPEC, "--output", "client"], outside)
    assert check.returncode == 0, check.stdout + check.stderr

    # a changed spec makes `check` fail, naming what is stale
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    stale = _run([cli, "check", SPEC, "--output", "client"], outside)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "spec changed" in stale.stderr

    use = _run(
        [
            str(installed / "python"),
            "-c",
            "import abillity_billing_information as p; "
            "assert p.Client and p.AsyncClient and p.models.__all__; print(p.__file__)",
        ],
        outside / "client",
    )
    assert use.returncode == 0, use.stdout + use.stderr
    assert use.stdout.startswith(str(package)), use.stdout
