"""`pip install generated/<package>` works in a fresh virtual environment, and the result imports."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import BILLING_PACKAGES, GENERATED_DIR


def test_generated_packages_install_into_a_fresh_venv(tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(environment)
    python = environment / "bin" / "python"
    packages = [str(GENERATED_DIR / name) for name in sorted(BILLING_PACKAGES.values())]
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(BILLING_PACKAGES.values())!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    assert module.__file__ and 'site-packages' in module.__file__, module.__file__\n"
        "    assert module.Client and module.AsyncClient and module.models and module.errors\n"
        "    importlib.resources.files(name).joinpath('py.typed').read_text()\n"
        "import importlib.metadata as md\n"
        "requires = sorted({r.split('>')[0].split('<')[0] for n in "
        f"{[n.replace('_', '-') for n in sorted(BILLING_PACKAGES.values())]!r} for r in md.requires(n)}})\n"
        "assert requires == ['anyio', 'httpx', 'pydantic'], requires\n"
    )
    result = subprocess.run(
        [str(python), "-c", "import importlib.resources\n" + script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sys.prefix != str(environment)


MYPY_STRICT = (sys.executable, "-m", "mypy", "--strict", "--no-incremental")


def _pip_install(python: Path) -> tuple[str, ...]:
    """pip of the environment `python` belongs to, installing without chatter."""
    return (str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check")


def test_an_editable_install_is_seen_by_type_checkers(tmp_path: Path) -> None:
    """`pip install -e <project>` (the README's recipe) must leave a path mypy follows:
    setuptools' import-hook finder (its default for a flat layout) hid the package, and
    every type in the user's code became `Any`."""
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(environment)
    python = environment / "bin" / "python"
    name = BILLING_PACKAGES["paypal-billing-entities"]
    install = subprocess.run(
        [*_pip_install(python), "-e", str(GENERATED_DIR / name)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    user = tmp_path / "user.py"
    user.write_text(
        f"from {name} import Client\n\nreveal_type(Client().billing_entities.update)\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [*MYPY_STRICT, "--python-executable", str(python), str(user)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "BillingEntity" in checked.stdout, checked.stdout
