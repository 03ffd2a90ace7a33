"""Generate server: `python -m bench.corpus.genserver`, forking each `generate` of ours.

A corpus run generates thousands of specs; a new interpreter importing the generator costs
about as much as generating a typical one (~0.2 s of a small spec's ~0.35 s). This server
imports the generator's modules once (`PRELOAD`: those a `generate` imports, nothing run),
and each request runs in a child it forks, as `python -m generator ARGV` would run in a new
interpreter: its own session, working folder, environment and output files, the generator's
entry point (`generator.quick.main`, which reads `sys.argv`), then the interpreter's exit
handlers and `os._exit` with the command's status. No child ever sees another spec: the
server itself runs nothing of the generator but its imports. `--fresh-interpreter` turns
this off, and every reproduction command in the report is the plain `python -m generator`.

Protocol: one JSON request a line on stdin, `{"argv", "cwd", "env", "timeout", "stdout",
"stderr"}`; one JSON reply a line on stdout, `{"returncode" (None on timeout), "wall",
"peak_kib", "output"}` (see `check.fork_one`).
"""

from __future__ import annotations

import atexit
import functools
import importlib
import json
import os
import sys
import traceback
from typing import Any

from bench.corpus.check import fork_one

PRELOAD = (
    "generator.quick",
    "generator.cli",
    "generator.pipeline",
    "generator.load",
    "generator.lint",
    "generator.ir_build",
    "generator.render",
    "generator.format",
    "generator.write",
    "generator.readme",
    "jinja2",
    "jsonschema_rs",
    "yaml",
    "black",
)


def _preload() -> None:
    """Import what every `generate` imports (a module this generator lacks is skipped)."""
    sys.dont_write_bytecode = True  # as PYTHONDONTWRITEBYTECODE, which the corpus sets
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _generate(request: dict[str, Any]) -> tuple[int, bytes]:
    """In the forked child: `python -m generator ARGV` in the request's folder and environment."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["python -m generator", *request["argv"]]
    from generator.quick import main

    try:
        code = main()
    except SystemExit as exit_:  # argparse's errors, as the interpreter would end
        code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception:  # as the interpreter ends on an uncaught exception (the report's causes)
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()  # what the interpreter runs at its exit (thread pools joined)
    return code, b""


def serve() -> int:
    """Answer requests until stdin closes."""
    _preload()
    replies = sys.stdout
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            reply = fork_one(
                float(request["timeout"]),
                request["stdout"],
                functools.partial(_generate, request),
                stderr=request["stderr"],
            )
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
