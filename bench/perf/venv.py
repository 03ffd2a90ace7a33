"""The peers' virtual environment (`.cache/bench-venv`), the versions installed, and Java.

One venv holds every peer at a pinned version, and what their generated packages need to
import: openapi-python-client (its packages import httpx, attrs and dateutil),
datamodel-code-generator (pydantic), and openapi-generator through the `openapi-generator-cli`
package, which bundles the jar and runs it with the `java` found on PATH (Debian's
`default-jre-headless`); its packages import pydantic, urllib3 and dateutil.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from bench.perf.common import BENCH_PY, BENCH_VENV, ROOT, log

PEER_REQUIREMENTS = (
    "openapi-python-client==0.29.1",
    "datamodel-code-generator==0.89.0",
    "openapi-generator-cli==7.26.0",
    # openapi-generator's python packages need these at import time (its requirements.txt)
    "python-dateutil==2.9.0.post0",
    "urllib3==2.8.0",
)

# What the report lists of each venv.
PROJECT_PACKAGES = (
    "billing-sdkgen",
    "black",
    "pydantic",
    "Jinja2",
    "PyYAML",
    "openapi-spec-validator",
    "httpx",
)
PEER_PACKAGES = (
    "openapi-python-client",
    "datamodel-code-generator",
    "openapi-generator-cli",
    "ruff",
    "black",
    "isort",
    "pydantic",
    "attrs",
    "httpx",
    "urllib3",
)


def ensure_bench_venv() -> None:
    """Create `.cache/bench-venv` with the pinned peers unless it already has them."""
    if BENCH_PY.exists() and venv_has(BENCH_PY, PEER_REQUIREMENTS):
        log(f"peers: reusing {BENCH_VENV.relative_to(ROOT)}")
        return
    log(
        f"peers: creating {BENCH_VENV.relative_to(ROOT)} and installing {' '.join(PEER_REQUIREMENTS)}"
    )
    if not BENCH_PY.exists():
        subprocess.run(["python3", "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run(
        [
            str(BENCH_PY),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *PEER_REQUIREMENTS,
        ],
        check=True,
    )
    if not venv_has(BENCH_PY, PEER_REQUIREMENTS):
        raise SystemExit(f"{BENCH_VENV}: the peers did not install ({PEER_REQUIREMENTS})")


def venv_has(python: Path, requirements: Iterable[str]) -> bool:
    """True when the environment of `python` has every `name==version` of `requirements`."""
    wanted = dict(r.split("==") for r in requirements)
    found = package_versions(python, wanted)
    return all(found.get(name) == version for name, version in wanted.items())


def package_versions(python: Path, names: Iterable[str]) -> dict[str, str]:
    """Installed versions of `names` in the environment of `python` (missing ones left out)."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    try:
        done = subprocess.run(
            [str(python), "-c", code, *names], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    return dict(json.loads(done.stdout))


def java_version() -> str | None:
    """The first line of `java -version` (the runtime openapi-generator uses), or None."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[0].strip() if lines else None
