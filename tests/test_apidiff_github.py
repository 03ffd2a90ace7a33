"""The API diff of two real GitHub spec versions (@octokit/openapi 22.0.0 → 23.0.2).

The pinned tarballs are fetched from the npm registry with the bench fetcher (checksums
verified) into `.cache/bench/`, once; `bench/apidiff_github.py` times the same diff. Each
spot check was verified by hand against the two documents.
"""

from __future__ import annotations

from bench.apidiff_github import NEW, OLD, SPOT_CHECKS
from bench.perf.fetch import ensure_remote_spec
from generator.apidiff import diff_apis, load_surfaces
from generator.apidiff_rules import Level


def test_the_github_diff_finds_the_changes_checked_by_hand() -> None:
    old, new = load_surfaces([ensure_remote_spec(OLD), ensure_remote_spec(NEW)])
    diff = diff_apis(old, new)
    found = {(change.rule.code, change.subject) for change in diff.changes}
    assert [check for check in SPOT_CHECKS if check not in found] == []
    assert diff.breaking and diff.bump == "major"
    # nothing is left unclassified but the one pattern change the bench reports
    assert diff.count(Level.UNKNOWN) <= 1
    assert diff.count(Level.BREAKING) > 300 and diff.count(Level.COMPATIBLE) > 1500
