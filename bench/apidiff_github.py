"""The API diff on two real GitHub spec versions: how many changes, how long, spot checks.

Fetches the pinned `@octokit/openapi` 22.0.0 and 23.0.2 specs with the bench fetcher
(`npm pack` into `.cache/bench/`, checksums verified), then times whole-process runs of
`python -m generator diff OLD NEW --format json` and prints the counts per level and rule.
A few breaking and compatible changes, checked by hand against the two documents, must be
reported; the script exits 1 when one is missing. Not part of `make test`:

    .venv/bin/python bench/apidiff_github.py [--runs 3]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run by path: the root
from bench.perf.common import ROOT, log
from bench.perf.fetch import REMOTE_SPECS, RemoteSpec, ensure_remote_spec

OLD = RemoteSpec(
    name="github 22.0.0",
    package="@octokit/openapi@22.0.0",
    tarball="octokit-openapi-22.0.0.tgz",
    tarball_sha256="e98e1f37788db941b4fa05e6fec098b584360cbf88b7c643dddfd4098ec436b6",
    member="package/generated/api.github.com.json",
    file_name="github-22.0.0.json",
    file_sha256="3e8065e9059605343c997b736154b12f7f2bb2b8f409b1a6b40b16b6728c2eaa",
)
NEW = REMOTE_SPECS["github"]  # 23.0.2, the spec `make bench` generates

# (rule, subject): checked against the documents. 23.0.2 drops the operation
# `copilot/copilot-metrics-for-organization` and the `code_scanning_upload` rate-limit
# resource, and adds a `copilot_usage_records` one.
SPOT_CHECKS = (
    ("method-removed", "copilot.copilot_metrics_for_organization"),
    ("method-removed", "reactions.create_for_team_discussion_legacy"),
    # 23.0.2 gives GET /organizations/{org}/settings/billing/budgets `page` and `per_page`
    ("method-paginated", "billing.get_all_budgets_org() → return"),
    ("response-field-removed", "models.RateLimitOverviewResources.code_scanning_upload"),
    ("response-field-added-optional", "models.RateLimitOverviewResources.copilot_usage_records"),
)


def main() -> int:
    """Fetch, time `runs` diffs, print the summary; 1 when a spot check fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    old, new = ensure_remote_spec(OLD), ensure_remote_spec(NEW)
    run_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    command = [sys.executable, "-m", "generator", "diff", str(old), str(new), "--format", "json"]
    walls: list[float] = []
    cpus: list[float] = []
    output = ""
    for index in range(args.runs):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        )  # the diff process and its lint workers
        log(
            f"run {index + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU,"
            f" exit {completed.returncode}"
        )
        if completed.returncode not in (0, 1):
            print(completed.stderr, file=sys.stderr)
            return 2
        output = completed.stdout
    report = json.loads(output)
    rules = collections.Counter((c["level"], c["rule"]) for c in report["changes"])
    print(
        f"GitHub {report['old_version']} → {report['new_version']} (@octokit/openapi 22.0.0 → 23.0.2)"
    )
    print(", ".join(f"{count} {level}" for level, count in report["summary"].items()))
    print(
        f"wall: median {statistics.median(walls):.2f} s of {len(walls)} (min {min(walls):.2f} s);"
        f" CPU (all processes): median {statistics.median(cpus):.2f} s;"
        f" load average before: {run_load}"
    )
    for (level, code), count in sorted(rules.items(), key=lambda item: (item[0][0], -item[1])):
        print(f"  {level:<10} {code:<40} {count}")
    found = {(c["rule"], c["subject"]) for c in report["changes"]}
    missing = [check for check in SPOT_CHECKS if check not in found]
    for code, subject in SPOT_CHECKS:
        print(
            f"spot check {'ok     ' if (code, subject) in found else 'MISSING'} {code}: {subject}"
        )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
