"""`generate SPEC --output DIR` with nothing to do, answered before the generator is imported.

`billing-sdkgen` and `python -m generator` start here. For exactly that command (the spec
and `--output`, no other option), the stamp of DIR is checked with the standard library
alone (`stamp`). The package is up to date, and the command says so as the full check
would, in a few milliseconds, when: the options that the configuration found (or none)
gives the spec, as an earlier `generate` remembered them in the cache folder, hash as the
stamp records; the spec's files, the generator's files and every generated file have their
recorded hashes; and no interrupted write is pending.

Anything else, or any doubt, runs the command line (`cli`), which decides and reports as
always: a first run, a configuration not seen before (the command line remembers its
options), a change. This never refuses anything, it only skips, and it writes nothing but
the generator's digest in the cache folder (`stamp.builtin_digest`).
"""

from __future__ import annotations

import os
import sys

from .limits import InputTooLarge, NotRegularFile
from .locations import nearest_config
from .stamp import (
    changed_files,
    configuration_key,
    generator_digest,
    has_leftovers,
    read_stamp,
    remembered_options,
    spec_digest,
)

TYPE_CHECKING = False  # not `typing`'s, which this module does not import
if TYPE_CHECKING:
    from collections.abc import Sequence


def main() -> int:
    """Entry point of `billing-sdkgen`: the quick answer, else the command line's."""
    status = up_to_date_status(sys.argv[1:])
    if status is not None:
        return status
    from .cli import main as command_line

    return command_line()


def run() -> None:
    """`billing-sdkgen` and `python -m generator`: `main`, then the process ends at once.

    As mypy's command line does: the exit handlers run (`atexit`: pools and children
    joined, temporary folders removed) and the standard streams are flushed, but the
    document and the IR are not freed object by object on the way out (55 ms of a cold
    `generate` of Stripe's spec, 70 ms of GitHub's, 170 ms of Graph's). A stream that
    cannot be flushed ends the interpreter's way, which reports it as it always has.
    """
    import atexit

    status = main()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    os._exit(status)


def _generate_arguments(argv: Sequence[str]) -> tuple[str, str] | None:
    """(SPEC, DIR) of `generate SPEC --output DIR` (or `--output=DIR`, in either order)."""
    if len(argv) not in (3, 4) or argv[0] != "generate":
        return None
    rest = list(argv[1:])
    if len(rest) == 3 and rest[0] == "--output":
        spec, output = rest[2], rest[1]
    elif len(rest) == 3 and rest[1] == "--output":
        spec, output = rest[0], rest[2]
    elif len(rest) == 2 and rest[0].startswith("--output="):
        spec, output = rest[1], rest[0].removeprefix("--output=")
    elif len(rest) == 2 and rest[1].startswith("--output="):
        spec, output = rest[0], rest[1].removeprefix("--output=")
    else:
        return None
    if not spec or not output or spec.startswith("-") or output.startswith("-"):
        return None
    return spec, output


def _shown(path: str) -> str:
    """`str(Path(path))` (the full command's spelling of the folder), without pathlib."""
    root = "//" if path.startswith("//") and not path.startswith("///") else ""
    root = root or ("/" if path.startswith("/") else "")
    return root + "/".join(part for part in path.split("/") if part not in ("", ".")) or "."


def up_to_date_status(argv: Sequence[str]) -> int | None:
    """0 after saying that the package is up to date, when `argv` is `generate SPEC
    --output DIR` and nothing changed; None when the command line must decide."""
    arguments = _generate_arguments(argv)
    if arguments is None:
        return None
    spec, output = arguments
    shown = _shown(output)
    try:
        if not (shown.isprintable() and _unchanged(spec, output)):  # (or let `cli` escape it)
            return None
    except (OSError, ValueError, InputTooLarge, NotRegularFile):  # the command line says why
        return None
    print(f"{shown}: up to date (inputs unchanged)", file=sys.stderr)
    return 0


def _unchanged(spec: str, output: str) -> bool:
    """True when generating `spec` into `output` now, with the options its configuration
    gives (as `generate` remembered them), would write exactly what is there (cheapest
    checks first)."""
    if has_leftovers(output):
        return False
    stamp = read_stamp(output)
    key = configuration_key(nearest_config(os.getcwd()))
    name = os.path.basename(spec)
    options = None if key is None else remembered_options(key, os.path.splitext(name)[0])
    if stamp is None or options is None or stamp.get("options") != options[0]:
        return False
    relative = stamp.get("spec_files")
    package = stamp.get("package")
    if not (isinstance(relative, list) and relative and isinstance(package, str)):
        return False
    if relative[0] != name or options[1] not in (None, package):
        return False
    folder = os.path.dirname(os.path.realpath(spec))
    # (the spec's folder: a configured `ref-root` is not known here; a file beyond it
    # sends the command the long way, which knows it)
    if stamp.get("spec") != spec_digest(folder, [str(r) for r in relative], package, folder):
        return False
    return stamp.get("generator") == generator_digest() and not any(changed_files(output, stamp))
