"""The generated package does not depend on the interpreter that generates it (install
audit): Python 3.12 made `type` a soft keyword, 3.11 added `ExceptionGroup` to the builtins,
3.13 `PythonFinalizationError`, and 3.11 and 3.13 removed standard modules; the reserved
names the generator read from the running interpreter renamed 177 of Stripe's fields
`type_` on 3.12, and `check` found the 3.11 package up to date. Here an interpreter is made
to look like 3.13's (its soft keywords, a builtin more, modules gone) before the generator is
imported: the kitchen sink it generates is the golden one, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.stamp import is_tool_folder
from tests.conftest import ROOT

_LOOK_LIKE_3_13 = """
import builtins, keyword, sys
keyword.softkwlist = ["_", "case", "match", "type"]
keyword.issoftkeyword = frozenset(keyword.softkwlist).__contains__
builtins.PythonFinalizationError = type("PythonFinalizationError", (RuntimeError,), {})
sys.stdlib_module_names = frozenset(sys.stdlib_module_names) - {"aifc", "lib2to3", "cgi"}
"""


def test_the_package_is_the_same_whatever_interpreter_generates_it(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(_LOOK_LIKE_3_13, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    env["BILLING_SDKGEN_CACHE"] = str(tmp_path / "cache")
    spec = ROOT / "tests" / "golden" / "specs" / "kitchen_sink_30.yaml"
    output = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(output), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    golden = ROOT / "tests" / "golden" / "packages" / "kitchen_sink_30"
    made = sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file())
    kept = sorted(
        p.relative_to(golden)
        for p in golden.rglob("*")
        if p.is_file() and not is_tool_folder(p.relative_to(golden).parts[0])
    )
    assert made == kept
    differing = [p for p in made if (output / p).read_bytes() != (golden / p).read_bytes()]
    assert differing == []
    # (the package name a spec file `aifc.yaml` gets does not depend on it either)
    from generator.distribution import STDLIB_MODULES

    assert {"aifc", "lib2to3", "binhex", "cgi"} <= STDLIB_MODULES
