"""Writing an `ApiDiff`: text grouped by resource or tag, JSON, Markdown, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import groupby

from .apidiff import ApiDiff
from .apidiff_rules import Change, Level

FORMATS = ("text", "json", "markdown", "github")
UNGROUPED = "(untagged)"


def summary(diff: ApiDiff) -> str:
    """`N breaking, N unknown, N compatible change(s)` and the semver bump it calls for."""
    counts = ", ".join(f"{diff.count(level)} {level.value}" for level in Level)
    bump = f"; semver bump: {diff.bump}" if diff.bump else ""
    return f"{counts} change(s){bump}"


def _groups(diff: ApiDiff) -> Iterator[tuple[str, list[Change]]]:
    for group, changes in groupby(diff.changes, key=lambda c: c.group):
        yield group or UNGROUPED, list(changes)


def format_text(diff: ApiDiff) -> str:
    """One block per resource or tag, a line per change: level, rule, subject, message."""
    lines = [f"{diff.title}: {diff.old_version} → {diff.new_version}"]
    if not diff.changes:
        lines.append("no changes to the Python API")
    for group, changes in _groups(diff):
        lines.append("")
        lines.append(f"{group}:")
        for change in changes:
            lines.append(
                f"  {change.level.value.upper():<10} {change.subject}: {change.message}"
                f"  [{change.rule.code}]"
            )
    lines.append("")
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


def format_json(diff: ApiDiff) -> str:
    """The whole diff as a JSON object (`summary`, `changes`), stable key order."""
    document = {
        "title": diff.title,
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "summary": {level.value: diff.count(level) for level in Level},
        "breaking": diff.breaking,
        "bump": diff.bump,
        "changes": [
            {
                "level": change.level.value,
                "rule": change.rule.code,
                "reason": change.rule.reason,
                "group": change.group,
                "subject": change.subject,
                "message": change.message,
            }
            for change in diff.changes
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def format_markdown(diff: ApiDiff) -> str:
    """A Markdown section (a CHANGELOG entry): one table per resource or tag."""
    lines = [f"## {_md(diff.title)} {_md(diff.new_version)}", "", f"{summary(diff)}."]
    for group, changes in _groups(diff):
        lines += ["", f"### {_md(group)}", "", "| | change | rule |", "|---|---|---|"]
        for change in changes:
            text = f"`{_md(change.subject)}`: {_md(change.message)}"
            lines.append(f"| {change.level.value} | {text} | `{change.rule.code}` |")
    return "\n".join(lines) + "\n"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


_COMMANDS = {Level.BREAKING: "error", Level.UNKNOWN: "warning", Level.COMPATIBLE: "notice"}


def format_github(diff: ApiDiff) -> str:
    """GitHub Actions workflow commands: breaking → error, unknown → warning, else notice;
    the summary first, as an annotation of the worst level (Actions shows 10 annotations of
    each kind a step: GitHub's 22 → 23 showed 10 of 374 errors, all of one resource, and
    no count; diff audit 11)."""
    lines = []
    if diff.changes:
        worst = next(level for level in Level if diff.count(level))
        lines.append(f"::{_COMMANDS[worst]} title=API diff::{_github_escape(summary(diff))}")
    for change in diff.changes:
        title = _github_escape(f"{change.rule.code}").replace(":", "%3A").replace(",", "%2C")
        message = _github_escape(f"{change.subject}: {change.message} ({change.rule.reason})")
        lines.append(f"::{_COMMANDS[change.level]} title={title}::{message}")
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[ApiDiff], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
    "github": format_github,
}


def render(diff: ApiDiff, output_format: str) -> str:
    """The diff in one of `FORMATS`."""
    return FORMATTERS[output_format](diff)
