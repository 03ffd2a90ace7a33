"""Differential test: our generated pydantic models against datamodel-code-generator's.

For every spec (the fixture specs in tests/oracle/specs/ and the four real specs
in specs/), both generators produce models; every component schema then gets
the payloads of `payloads.cases_for_spec` (examples, minimal and full
instances, valid variants, invalid mutations, all derived from the schema),
and each payload must be accepted or rejected alike by our model and DCG's.

A mismatch is reported with the schema, the case id, the payload, both
outcomes and the verdict of openapi-schema-validator (OAS 3.0/3.1 dialect,
formats asserted) as a tie-breaker for whoever reads the failure. Differences
that are by design, or where DCG is the one that is wrong, are listed in
KNOWN_DIFFERENCES below; each entry is asserted to still occur, so the table
cannot rot. Disagreements where our generator is wrong are *not* listed: they
fail until the generator is fixed.

Run: `.venv/bin/python -m pytest tests/oracle -q`.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .harness import (
    STATS,
    OracleSet,
    SpecOracle,
    SpecUnderTest,
    prepare_oracles,
    specs_under_test,
)
from .payloads import Case, SchemaView, cases_for_spec


def _load_views(specs: list[SpecUnderTest]) -> dict[str, SchemaView]:
    from generator.load import load_spec

    return {spec.key: SchemaView(load_spec(spec.path).document) for spec in specs}


SPECS = specs_under_test()
VIEWS = _load_views(SPECS)
# the payloads of every component schema, by spec: derived once, at collection
CASES: dict[str, dict[str, list[Case]]] = {
    key: cases_for_spec(view.document) for key, view in VIEWS.items()
}


# --------------------------------------------------------------------------------------------
# KNOWN_DIFFERENCES: (spec, schema, case-id pattern) → the outcomes that differ, and why.
# `case` is an fnmatch pattern over the case ids of payloads.py. Every entry must match at
# least one case, and every case it matches must still show exactly these outcomes.
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Known:
    spec: str
    schema: str
    case: str
    ours: str
    dcg: str
    reason: str

    def matches(self, spec: str, case: Case) -> bool:
        return (
            self.spec == spec
            and self.schema == case.schema
            and fnmatch.fnmatchcase(case.case_id, self.case)
        )


# By our design: a required readOnly/writeOnly property is optional in our models (requests
# leave read-only fields out, responses never carry write-only ones), so its absence -- and,
# as the field is then `X | None`, a null -- is accepted. DCG keeps it required (as JSON
# Schema does: readOnly/writeOnly do not lift `required`).
READ_WRITE_ONLY = "ours: required readOnly/writeOnly properties are optional (design)"
# By our design (and ours is right): `dependentRequired` is enforced by our ApiModel
# validator; DCG ignores the keyword, so it accepts a trigger property without its
# dependencies, which JSON Schema 2020-12 rejects.
DEPENDENT_REQUIRED = "ours enforces dependentRequired; DCG ignores it (DCG wrong)"
# DCG is wrong: its EmailStr (pydantic + email-validator) accepts the RFC 5322 name-addr form
# "Jane Doe <jane@example.com>" (and keeps only the address); `format: email` is an RFC 5321
# Mailbox, which has no display name. Ours (`local@domain.tld` check) rejects it.
EMAIL_DISPLAY_NAME = "DCG's EmailStr accepts 'Name <addr>' (DCG wrong)"
# DCG by design: it narrows the discriminator property of every branch of a discriminated
# union (and of the allOf children of a branch) to `Literal[tag]`, so the branch model on its
# own rejects another value. JSON Schema: the branch schema (`petType: {type: string}`)
# accepts any string; only the union cares about the tag. Ours keeps the branch as written.
DISCRIMINATOR_NARROWING = "DCG narrows a union branch's tag property to Literal (DCG differs)"
# Ours is right: `format: date-time` is an RFC 3339 string (`type: string`), so an integer is
# rejected; DCG's datetime accepts a Unix timestamp.
DATETIME_INTEGER = (
    "ours requires an RFC 3339 string for date-time; DCG accepts an integer (DCG wrong)"
)
# Ours is right: an object whose `oneOf` branches only list `required` properties needs exactly
# one branch satisfied; DCG ignores the keyword on an object with properties.
OBJECT_ONE_OF = "ours enforces an object-level oneOf of required sets; DCG ignores it (DCG wrong)"
# Ours is right: `uniqueItems: true` refuses a repeated item (hostile audit 14); DCG's
# `list[str]` (without `--use-unique-items-as-set`) accepts it.
UNIQUE_ITEMS = "ours enforces uniqueItems; DCG's list accepts repeats (DCG wrong)"

KNOWN_DIFFERENCES: tuple[Known, ...] = (
    # -- readOnly / writeOnly -----------------------------------------------------------------
    Known("fixture/annotations", "Account", "$:drop_required(id)", "accept", "reject", READ_WRITE_ONLY),
    # (a required writeOnly one is refused when sent: ours is checked as a request is)
    # -- dependentRequired --------------------------------------------------------------------
    Known("fixture/annotations", "Shipping", "$:dependent_required(*)", "reject", "accept", DEPENDENT_REQUIRED),
    # -- email with a display name --------------------------------------------------------------
    Known("fixture/annotations", "Account", "$.email:display_name_email", "reject", "accept", EMAIL_DISPLAY_NAME),
    Known("fixture/scalars-31", "FormatWithConstraints", "$.contact:display_name_email", "reject", "accept", EMAIL_DISPLAY_NAME),
    Known("real/paypal-billing-entities", "BillingEntityUpdate", "$.email:display_name_email", "reject", "accept", EMAIL_DISPLAY_NAME),
    Known("real/paypal-billing-entities", "BillingEntity", "$.email:display_name_email", "reject", "accept", EMAIL_DISPLAY_NAME),
    # -- discriminator tag narrowed on the branch models ------------------------------------------
    Known("fixture/composition", "Cat", "$.petType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition", "Dog", "$.petType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition", "Kitten", "$.petType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition", "Circle", "$.kind:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition", "Square", "$.kind:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition-30", "Created", "$.eventType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition-30", "Deleted", "$.eventType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/composition-30", "Envelope", "$.previous.eventType:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/recursion", "Number", "$.op:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    Known("fixture/recursion", "Sum", "$.op:not_this_branch_tag", "accept", "reject", DISCRIMINATOR_NARROWING),
    # -- date-time given as an integer ------------------------------------------------------------
    Known("fixture/composition-30", "Event", "$.at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("fixture/composition-30", "Created", "$.at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("fixture/composition-30", "Deleted", "$.at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("fixture/composition-30", "Envelope", "$.*.at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("fixture/scalars-31", "Formats", "$.*t:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("real/paypal-billing-entities", "BillingEntity", "$.*ed_at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    Known("real/paypal-billing-entities", "Tax", "$.created_at:wrong_type_integer", "reject", "accept", DATETIME_INTEGER),
    # -- object-level oneOf of required sets --------------------------------------------------------
    Known("fixture/composition", "ExactlyOneId", "full", "reject", "accept", OBJECT_ONE_OF),
    Known("fixture/composition", "ExactlyOneId", "$:extra_property_allowed", "reject", "accept", OBJECT_ONE_OF),
    # -- uniqueItems ----------------------------------------------------------------------------------
    Known("fixture/scalars-31", "UniqueItems", "$.tags:duplicate_items", "reject", "accept", UNIQUE_ITEMS),
)  # fmt: skip


# By our design (issue 12, "strict in what you send"): integers, numbers and booleans are
# `Strict()` in our models, so the lax-coercion probes ("5" or 5.0 for an integer, "true" or 1
# for a boolean) are rejected; DCG's lax models convert them. Response parsing passes
# `strict=False` and accepts them like DCG (tests/behaviour/test_strict_requests.py). These
# hold for every schema, so they are matched by case-id suffix rather than listed one by one.
STRICT_SCALARS = "ours: numbers and booleans are strict in requests (design); DCG converts"
BY_DESIGN: tuple[tuple[str, str, str, str], ...] = (
    (":numeric_string", "reject", "accept", STRICT_SCALARS),
    (":integral_float", "reject", "accept", STRICT_SCALARS),
    (":string_boolean", "reject", "accept", STRICT_SCALARS),
    (":integer_boolean", "reject", "accept", STRICT_SCALARS),
)


def _probe(case_id: str, suffix: str) -> bool:
    """`…:numeric_string`, or the same probe inside a union branch (`…:numeric_string(branch[0])`)."""
    return case_id.endswith(suffix) or (suffix + "(") in case_id


def by_design(case: Case) -> tuple[str, str, str, str] | None:
    for entry in BY_DESIGN:
        if _probe(case.case_id, entry[0]):
            return entry
    return None


def known_for(spec: str, case: Case) -> Known | None:
    for known in KNOWN_DIFFERENCES:
        if known.matches(spec, case):
            return known
    return None


# --------------------------------------------------------------------------------------------
# fixtures and helpers
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def oracle_set(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OracleSet]:
    oracles = prepare_oracles(SPECS, tmp_path_factory.mktemp("oracle"))
    yield oracles
    oracles.close()


def _oracle(oracle_set: OracleSet, spec: str) -> SpecOracle:
    if spec in oracle_set.errors:
        pytest.fail(f"{spec}: {oracle_set.errors[spec]}")
    return oracle_set.oracles[spec]


def _reference(spec: str, schema: str, payload: Any) -> str:
    """openapi-schema-validator's verdict: shown beside a disagreement, never compared with."""
    return "accept" if VIEWS[spec].component_valid(schema, payload) else "reject"


def _show(payload: Any, limit: int = 400) -> str:
    text = json.dumps(payload, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _mapped(oracle: SpecOracle, schema: str) -> None:
    missing = [
        side
        for side, names in (("ours", oracle.ours_names), ("DCG", oracle.dcg_names))
        if schema not in names
    ]
    if missing:
        pytest.fail(f"component {schema!r} has no model on the side(s): {', '.join(missing)}")


PAIRS = [(spec.key, name) for spec in SPECS for name in CASES[spec.key]]


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("spec", "schema"), PAIRS, ids=[f"{s}::{n}" for s, n in PAIRS])
def test_ours_and_dcg_agree(oracle_set: OracleSet, spec: str, schema: str) -> None:
    """Every payload of `schema` is accepted by our model iff DCG's model accepts it."""
    oracle = _oracle(oracle_set, spec)
    _mapped(oracle, schema)
    mismatches = []
    for case in CASES[spec][schema]:
        if known_for(spec, case) is not None:
            continue
        STATS["pairs"] += 1
        ours = oracle.outcome("ours", schema, case.payload)
        dcg = oracle.outcome("dcg", schema, case.payload)
        design = by_design(case)
        if design is not None:
            # a probe ours rejects by design: the outcomes must be exactly the designed ones
            # (DCG accepting shows the probe is a conversion, not an invalid value)
            if (ours, dcg) == design[1:3] or ours == dcg == "reject":
                continue
        if ours != dcg:
            STATS["mismatches"] += 1
            mismatches.append(
                f"  [{case.case_id}] payload={_show(case.payload)}\n"
                f"      ours={ours} | DCG={dcg} | "
                f"JSON Schema (openapi-schema-validator)={_reference(spec, schema, case.payload)}"
            )
    if mismatches:
        pytest.fail(
            f"{spec} schema {schema!r} (ours: {oracle.ours_names[schema]}, DCG: "
            f"{oracle.dcg_names[schema]}): {len(mismatches)} disagreement(s)\n"
            + "\n".join(mismatches),
            pytrace=False,
        )


@pytest.mark.parametrize(
    "known", KNOWN_DIFFERENCES, ids=[f"{k.spec}::{k.schema}::{k.case}" for k in KNOWN_DIFFERENCES]
)
def test_known_difference_still_exists(oracle_set: OracleSet, known: Known) -> None:
    """Each KNOWN_DIFFERENCES entry still matches cases, all with the recorded outcomes."""
    assert known.spec in CASES and known.schema in CASES[known.spec], f"no such schema: {known}"
    oracle = _oracle(oracle_set, known.spec)
    matched = [c for c in CASES[known.spec][known.schema] if known.matches(known.spec, c)]
    assert matched, f"the entry matches no case any more (remove it?): {known}"
    for case in matched:
        STATS["known"] += 1
        outcomes = (
            oracle.outcome("ours", known.schema, case.payload),
            oracle.outcome("dcg", known.schema, case.payload),
        )
        assert outcomes == (known.ours, known.dcg), (
            f"[{case.case_id}] payload={_show(case.payload)}: expected ours={known.ours}, "
            f"DCG={known.dcg} ({known.reason}); got ours={outcomes[0]}, DCG={outcomes[1]}"
        )


@pytest.mark.parametrize("spec", [s.key for s in SPECS])
def test_both_generators_cover_every_component(oracle_set: OracleSet, spec: str) -> None:
    """Both sides generated and imported; every component schema maps to a model on each."""
    oracle = _oracle(oracle_set, spec)
    components = set(CASES[spec])
    assert components, f"{spec} has no component schemas"
    assert components <= set(oracle.ours_names), sorted(components - set(oracle.ours_names))
    assert components <= set(oracle.dcg_names), sorted(components - set(oracle.dcg_names))


@pytest.mark.parametrize("spec", [s.key for s in SPECS])
def test_payloads_span_valid_and_invalid(spec: str) -> None:
    """Sanity of the payload generator: per schema, JSON Schema accepts some and rejects some."""
    one_sided = []
    anything: list[Any] = [None, True, 1, 1.5, "x", [], {}]
    for schema, cases in CASES[spec].items():
        verdicts = {_reference(spec, schema, c.payload) for c in cases}
        if verdicts == {"accept"} and all(
            _reference(spec, schema, v) == "accept" for v in anything
        ):
            continue  # the schema admits any JSON value: nothing to reject
        if verdicts != {"accept", "reject"}:
            one_sided.append(f"{schema}: {sorted(verdicts)} over {len(cases)} case(s)")
    assert not one_sided, "payload generator produced one-sided cases:\n" + "\n".join(one_sided)


@pytest.mark.parametrize("spec", [s.key for s in SPECS])
def test_defaults_agree(oracle_set: OracleSet, spec: str) -> None:
    """A property left out of a payload takes the same default in both models (and the spec's)."""
    oracle = _oracle(oracle_set, spec)
    view = VIEWS[spec]
    differences = []
    for schema, cases in CASES[spec].items():
        minimal = next((c for c in cases if c.case_id == "minimal"), None)
        s = view.expand({"$ref": f"#/components/schemas/{schema}"})
        defaults = {
            prop: sub["default"]
            for prop, sub in (s.get("properties") or {}).items()
            if isinstance(sub, dict) and "default" in sub
        }
        if minimal is None or not defaults or not isinstance(minimal.payload, dict):
            continue
        dumps = {}
        for side in ("ours", "dcg"):
            instance = oracle.validator(side, schema)(minimal.payload)
            # DCG writes an enum default as its raw value (`colour: Colour | None = 'green'`),
            # never validated: pydantic warns when dumping it; the value is what is compared
            dumps[side] = instance.model_dump(mode="json", by_alias=True, warnings=side == "ours")
        for prop, default in defaults.items():
            if prop in minimal.payload:
                continue
            ours, dcg = dumps["ours"].get(prop), dumps["dcg"].get(prop)
            if ours != dcg:
                differences.append(
                    f"  {schema}.{prop}: ours={ours!r} DCG={dcg!r} spec default={default!r}"
                )
    assert not differences, "defaults differ:\n" + "\n".join(differences)


@pytest.mark.parametrize("entry", BY_DESIGN, ids=[e[0] for e in BY_DESIGN])
def test_by_design_difference_still_exists(oracle_set: OracleSet, entry: tuple[str, ...]) -> None:
    """Each BY_DESIGN probe still occurs somewhere, with ours rejecting what DCG converts."""
    suffix, ours_outcome, dcg_outcome, _ = entry
    seen = 0
    for spec in CASES:
        oracle = _oracle(oracle_set, spec)
        for schema, cases in CASES[spec].items():
            for case in cases:
                if not _probe(case.case_id, suffix) or known_for(spec, case) is not None:
                    continue
                outcomes = (
                    oracle.outcome("ours", schema, case.payload),
                    oracle.outcome("dcg", schema, case.payload),
                )
                if outcomes == (ours_outcome, dcg_outcome):
                    seen += 1
    assert seen, f"no {suffix} probe shows ours={ours_outcome}, DCG={dcg_outcome} any more"
