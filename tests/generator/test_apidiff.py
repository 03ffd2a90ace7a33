"""The API diff: one spec pair per rule, each with the classification it must get.

Each case edits a copy of one small spec (users read with `get_user`, written with
`update_user`) and lists every rule the diff must report, no more: a spurious change
fails the case as surely as a missing one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.apidiff import ApiDiff, diff_apis, load_surface
from generator.apidiff_rules import RULES, Level
from tests.apidiff_specs import BASE, Spec
from tests.conftest import write_spec


def _op(spec: Spec, method: str) -> Spec:
    operation: Spec = spec["paths"]["/users/{id}"][method]
    return operation


def _schema(spec: Spec, name: str) -> Spec:
    schema: Spec = spec["components"]["schemas"][name]
    return schema


def _param(spec: Spec, name: str) -> Spec:
    return next(p for p in _op(spec, "get")["parameters"] if p["name"] == name)


def _add_param(spec: Spec, required: bool) -> None:
    parameter = {
        "name": "force",
        "in": "query",
        "required": required,
        "schema": {"type": "boolean"},
    }
    _op(spec, "get")["parameters"].append(parameter)


def _del_path_op(spec: Spec) -> None:
    del spec["paths"]["/users/{id}"]["patch"]


def _add_op(spec: Spec) -> None:
    spec["paths"]["/users/{id}"]["delete"] = {
        "operationId": "deleteUser",
        "tags": ["users"],
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {"204": {"description": "gone"}, "404": {"description": "no such user"}},
    }


def _move(spec: Spec) -> None:
    # the route moves, the resource and method stay: `users.retrieve`, `users.update`
    spec["paths"]["/v2/users/{id}"] = spec["paths"].pop("/users/{id}")


def _response_list(spec: Spec) -> None:
    media = _op(spec, "get")["responses"]["200"]["content"]["application/json"]
    media["schema"] = {"type": "array", "items": {"$ref": "#/components/schemas/User"}}


def _add_error(spec: Spec) -> None:
    _op(spec, "patch")["responses"]["409"] = {"$ref": "#/components/responses/NotFound"}


def _add_scheme(spec: Spec) -> None:
    spec["components"]["securitySchemes"]["token"] = {"type": "http", "scheme": "bearer"}


def _require_a_second_credential(spec: Spec) -> None:
    """Diff audit 2: every call was refused before sending (`also needs the credentials`)
    while the diff said "unknown", bump minor."""
    _add_scheme(spec)
    spec["security"] = [{"apiKey": [], "token": []}]


def _allow_a_second_credential(spec: Spec) -> None:
    _add_scheme(spec)
    spec["security"] = [{"apiKey": []}, {"token": []}]


def _remove_scheme(spec: Spec) -> None:
    _add_scheme(spec)
    del spec["components"]["securitySchemes"]["apiKey"]
    spec["security"] = [{"token": []}]


@dataclass(frozen=True)
class Case:
    """An edit of BASE and every rule code the diff must report for it."""

    id: str
    edit: Callable[[Spec], Any]
    rules: tuple[str, ...]


def _list(spec: Spec) -> Spec:
    operation: Spec = spec["paths"]["/users"]["get"]
    return operation


def _nest(spec: Spec) -> None:
    # `org` comes first in the path: `id` is now the second positional argument
    item = spec["paths"].pop("/users/{id}")
    for operation in (item["get"], item["patch"]):
        org = {"name": "org", "in": "path", "required": True, "schema": {"type": "string"}}
        operation["parameters"].insert(0, org)
    spec["paths"]["/orgs/{org}/users/{id}"] = item


def _paged_retrieve(spec: Spec) -> None:
    _response_list(spec)
    _op(spec, "get")["x-pagination"] = {"scheme": "link_header"}


def _query_named_like_a_body_property(spec: Spec) -> None:
    query = {"name": "name", "in": "query", "schema": {"type": "string"}}
    _op(spec, "patch")["parameters"].append(query)


def _body_becomes_a_union(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    schemas["UserImport"] = {"type": "object", "properties": {"source": {"type": "string"}}}
    body = _op(spec, "patch")["requestBody"]["content"]["application/json"]
    body["schema"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/UserUpdate"},
            {"$ref": "#/components/schemas/UserImport"},
        ]
    }


def _query_moves_into_the_body(spec: Spec) -> None:
    _schema(spec, "UserUpdate")["properties"]["note"] = {"type": "string"}


def _with_note_query(spec: Spec) -> Spec:
    new = copy.deepcopy(spec)
    query = {"name": "note", "in": "query", "schema": {"type": "string"}}
    _op(new, "patch")["parameters"].append(query)
    return new


def _answer_a_subclass(spec: Spec) -> None:
    user = {"$ref": "#/components/schemas/User"}
    admin = {"allOf": [user, {"type": "object", "properties": {"level": {"type": "integer"}}}]}
    spec["components"]["schemas"]["Admin"] = admin
    content = _op(spec, "get")["responses"]["200"]["content"]["application/json"]
    content["schema"] = {"$ref": "#/components/schemas/Admin"}


CASES = [
    Case("nothing", lambda s: None, ()),
    Case("description only", lambda s: _schema(s, "User").update(description="A user."), ()),
    # methods
    Case("method removed", _del_path_op, ("method-removed",)),
    Case("method added", _add_op, ("method-added",)),
    Case(
        "method deprecated", lambda s: _op(s, "get").update(deprecated=True), ("method-deprecated",)
    ),
    Case("route changed", _move, ("method-route-changed", "method-route-changed")),
    Case(
        "method moved to another resource",
        lambda s: _op(s, "get").update(tags=["people"]),
        ("method-moved",),
    ),
    # pagination
    Case(
        "pagination removed",
        lambda s: _list(s).update({"x-pagination": False}),
        ("method-unpaginated",),
    ),
    Case(
        "pagination changed",
        lambda s: _list(s).update({"x-pagination": {"scheme": "offset", "param": "after"}}),
        ("pagination-changed",),
    ),
    Case("paginated", _paged_retrieve, ("method-paginated", "response-type-changed")),
    # positional arguments
    Case(
        "path parameter moved",
        _nest,
        (
            "method-route-changed",
            "method-route-changed",
            "parameter-added-required",
            "parameter-added-required",
            "parameter-position-changed",
            "parameter-position-changed",
        ),
    ),
    Case(
        "security loosened",
        lambda s: _op(s, "get").update(security=[]),
        ("method-security-loosened",),
    ),
    Case(
        "security tightened: a second credential required together",
        _require_a_second_credential,
        ("auth-scheme-added",) + ("method-security-tightened",) * 3,
    ),
    Case(
        "security loosened: a second way in",
        _allow_a_second_credential,
        ("auth-scheme-added",) + ("method-security-loosened",) * 3,
    ),
    # parameters
    Case("required parameter added", lambda s: _add_param(s, True), ("parameter-added-required",)),
    Case("optional parameter added", lambda s: _add_param(s, False), ("parameter-added-optional",)),
    Case(
        "parameter removed",
        lambda s: _op(s, "get")["parameters"].pop(1),
        ("parameter-removed",),
    ),
    Case(
        "parameter made required",
        lambda s: _param(s, "limit").update(required=True),
        ("parameter-made-required",),
    ),
    Case(
        "parameter type narrowed",
        lambda s: _param(s, "score").update(schema={"type": "integer"}),
        ("parameter-type-narrowed",),
    ),
    Case(
        "parameter type widened",
        lambda s: _param(s, "limit").update(schema={"type": "number"}),
        ("parameter-type-widened",),
    ),
    Case(
        "parameter type changed",
        lambda s: _param(s, "limit").update(schema={"type": "string"}),
        ("parameter-type-changed",),
    ),
    Case(
        "parameter bound added",
        lambda s: _param(s, "limit")["schema"].update(maximum=100),
        ("parameter-constraint-tightened",),
    ),
    Case(
        "parameter moved to a header",
        lambda s: _param(s, "limit").update({"in": "header"}),
        ("parameter-location-changed",),
    ),
    # request body and request models
    Case(
        "body made optional",
        lambda s: _op(s, "patch")["requestBody"].update(required=False),
        ("request-body-made-optional",),
    ),
    Case(
        "body removed",
        lambda s: _op(s, "patch").pop("requestBody"),
        ("request-body-removed",),
    ),
    Case(
        "request enum member removed",
        lambda s: _schema(s, "Role").update(enum=["admin"]),
        ("request-enum-member-removed",),
    ),
    Case(
        "request enum member added",
        lambda s: _schema(s, "Role").update(enum=["admin", "member", "guest"]),
        ("request-enum-member-added",),
    ),
    Case(
        "request field made required",
        lambda s: _schema(s, "UserUpdate").update(required=["name"]),
        ("request-field-made-required",),
    ),
    Case(
        "request field removed",
        lambda s: _schema(s, "UserUpdate")["properties"].pop("name"),
        ("request-field-removed",),
    ),
    Case(
        "optional request field added",
        lambda s: _schema(s, "UserUpdate")["properties"].update(bio={"type": "string"}),
        ("request-field-added-optional",),
    ),
    Case(
        "request field type narrowed",
        lambda s: _schema(s, "UserUpdate")["properties"].update(age={"type": "integer"}),
        ("request-field-type-narrowed",),
    ),
    Case(
        "request field bound loosened",
        lambda s: _schema(s, "UserUpdate")["properties"]["name"].update(maxLength=100),
        ("request-field-constraint-loosened",),
    ),
    Case(
        "request field bound tightened",
        lambda s: _schema(s, "UserUpdate")["properties"]["name"].update(maxLength=10),
        ("request-field-constraint-tightened",),
    ),
    # a model sent and received: judged by the worse side
    Case(
        "required field added to a model used both ways",
        lambda s: _schema(s, "Address").update(
            required=["zip"], properties={"city": {"type": "string"}, "zip": {"type": "string"}}
        ),
        ("request-field-added-required",),
    ),
    # responses and response models
    Case("response type changed", _response_list, ("response-type-changed",)),
    Case(
        "response field removed",
        lambda s: _schema(s, "User")["properties"].pop("age"),
        ("response-field-removed",),
    ),
    Case(
        "optional response field added",
        lambda s: _schema(s, "User")["properties"].update(bio={"type": "string"}),
        ("response-field-added-optional",),
    ),
    Case(
        "response field made optional",
        lambda s: _schema(s, "User").update(required=["id"]),
        ("response-field-made-optional",),
    ),
    Case(
        "response field made nullable",
        lambda s: _schema(s, "User")["properties"].update(id={"type": ["string", "null"]}),
        ("response-field-nullable-added",),
    ),
    Case(
        "response field type widened",
        lambda s: _schema(s, "User")["properties"].update(age={"type": "number"}),
        ("response-field-type-widened",),
    ),
    Case(
        "response field bound loosened",
        lambda s: _schema(s, "User")["properties"]["nickname"].update(maxLength=30),
        ("response-field-constraint-loosened",),
    ),
    Case(
        "response enum member added",
        lambda s: _schema(s, "Status").update(enum=["active", "blocked", "deleted"]),
        ("response-enum-member-added",),
    ),
    Case(
        "response enum member removed",
        lambda s: _schema(s, "Status").update(enum=["active"]),
        ("response-enum-member-removed",),
    ),
    # errors
    Case("error added", _add_error, ("error-added",)),
    Case(
        "error removed",
        lambda s: _op(s, "get")["responses"].pop("404"),
        ("error-removed",),
    ),
    # models
    Case("model removed", lambda s: s["components"]["schemas"].pop("Legacy"), ("model-removed",)),
    Case(
        "model added",
        lambda s: s["components"]["schemas"].update(Extra={"type": "object"}),
        ("model-added",),
    ),
    Case(
        "model kind changed",
        lambda s: s["components"]["schemas"].update(Legacy={"type": "string", "enum": ["x"]}),
        ("model-kind-changed",),
    ),
    # subtypes the generated classes make (diff audit 8): no false "changed"
    Case(
        "a response field narrowed to a string enum",
        lambda s: _schema(s, "User")["properties"].update(
            nickname={"type": "string", "enum": ["ada", "bob"]}
        ),
        ("response-field-type-narrowed", "model-added"),
    ),
    Case(
        "a response narrowed to a subclass",
        _answer_a_subclass,
        ("response-type-narrowed", "model-added"),
    ),
    # a body's properties as keyword arguments (diff audit 1)
    Case(
        "a body property's argument renamed by a new query parameter",
        _query_named_like_a_body_property,
        ("parameter-renamed",),
    ),
    Case(
        "a body property made readOnly: its keyword argument is gone",
        lambda s: _schema(s, "UserUpdate")["properties"]["name"].update(readOnly=True),
        ("parameter-removed",),
    ),
    Case(
        "an object body became a oneOf: its keyword arguments are gone",
        _body_becomes_a_union,
        ("parameter-removed",) * 4 + ("request-body-type-widened", "model-added"),
    ),
    # servers (diff audit 6: every call went elsewhere, and nothing said so)
    Case(
        "server changed",
        lambda s: s.update(servers=[{"url": "https://api.example.com"}]),
        ("server-changed",),
    ),
    Case(
        "a method's own server",
        lambda s: _op(s, "get").update(servers=[{"url": "https://files.example.test"}]),
        ("method-server-changed",),
    ),
    # credentials
    Case("auth scheme added", _add_scheme, ("auth-scheme-added",)),
    Case(
        "auth scheme removed",
        _remove_scheme,
        ("auth-scheme-added", "auth-scheme-removed")
        + ("method-security-tightened",) * 3,  # every method now needs the token
    ),
]


def _diff(tmp_path: Path, old: Spec, new: Spec) -> ApiDiff:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    before = load_surface(write_spec(tmp_path / "old", old))
    after = load_surface(write_spec(tmp_path / "new", new))
    return diff_apis(before, after)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_table(case: Case, tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    case.edit(new)
    diff = _diff(tmp_path, BASE, new)
    found = sorted(change.rule.code for change in diff.changes)
    assert found == sorted(case.rules), "\n".join(
        f"{c.rule.code}: {c.subject}: {c.message}" for c in diff.changes
    )
    expected_breaking = any(RULES[code].level is Level.BREAKING for code in case.rules)
    assert diff.breaking == expected_breaking


def test_a_query_parameter_moved_into_the_body_keeps_its_argument(tmp_path: Path) -> None:
    """`update(note=…)` still works when the query parameter `note` becomes a property of
    the body: the argument is sent elsewhere (compatible), not removed (diff audit 1c)."""
    old = _with_note_query(BASE)
    new = copy.deepcopy(BASE)
    _query_moves_into_the_body(new)
    diff = _diff(tmp_path, old, new)
    found = sorted(change.rule.code for change in diff.changes)
    assert found == ["parameter-location-changed", "request-field-added-optional"]
    assert not diff.breaking


def test_every_rule_the_issue_names_has_its_classification() -> None:
    breaking = [
        "method-removed",
        "parameter-added-required",
        "parameter-type-narrowed",
        "request-enum-member-removed",
        "request-field-made-required",
        "response-field-removed",
    ]
    compatible = [
        "parameter-added-optional",
        "method-added",
        "response-field-added-optional",
        "response-enum-member-added",
    ]
    assert all(RULES[code].level is Level.BREAKING for code in breaking)
    assert all(RULES[code].level is Level.COMPATIBLE for code in compatible)
    covered = {code for case in CASES for code in case.rules}
    assert set(breaking + compatible) <= covered


def test_changes_are_grouped_by_resource_and_name_what_changed(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    _add_param(new, True)
    _schema(new, "User")["properties"].pop("age")
    diff = _diff(tmp_path, BASE, new)
    shown = [(c.group, c.subject, c.level) for c in diff.changes]
    assert shown == [
        ("models", "models.User.age", Level.BREAKING),
        ("users", "users.retrieve(force)", Level.BREAKING),
    ]
    assert diff.bump == "major"


def test_version_bump(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    _add_param(new, False)
    assert _diff(tmp_path, BASE, new).bump == "minor"
    sent_otherwise = copy.deepcopy(BASE)  # an unknown change alone: minor, not patch
    sent_otherwise["components"]["securitySchemes"]["apiKey"]["name"] = "X-Api-Key"
    (tmp_path / "unknown").mkdir()
    diff = _diff(tmp_path / "unknown", BASE, sent_otherwise)
    assert [c.rule.code for c in diff.changes] == ["auth-scheme-changed"]
    assert diff.bump == "minor"
    deprecated = copy.deepcopy(BASE)  # semver 2.0.0 item 7: a deprecation is minor too
    _op(deprecated, "get")["deprecated"] = True
    (tmp_path / "deprecated").mkdir()
    assert _diff(tmp_path / "deprecated", BASE, deprecated).bump == "minor"


def test_a_union_gaining_a_member_is_compared_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Diff audit 10: each member of a `oneOf` was compared with every other (21 s for 4,000
    objects gaining one): members found as they are are not compared again. Counted in
    `is_subtype` calls, not timed."""
    from generator import apidiff_types, typeir

    calls = [0]
    real = typeir.is_subtype

    def counted(*args: Any, **kwargs: Any) -> bool:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(typeir, "is_subtype", counted)  # (what `apidiff_types` calls)
    members = [typeir.ModelRef(f"M{n}") for n in range(1000)]
    old = typeir.union(members)
    new = typeir.union([*members, typeir.ModelRef("Extra")])
    assert apidiff_types.compare_types(old, new) == apidiff_types.WIDENED
    assert calls[0] <= 3 * 1000


def _with_webhooks(spec: Spec) -> Spec:
    new = copy.deepcopy(spec)
    payload = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}},
    }
    new["components"]["schemas"]["InvoicePaid"] = payload
    body = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvoicePaid"}}}
    }
    for name in ("invoicePaid", "invoiceVoided"):
        operation = {"requestBody": body, "responses": {"200": {"description": "ok"}}}
        new.setdefault("webhooks", {})[name] = {"post": {"operationId": name, **operation}}
    return new


def test_webhook_payloads_are_received_and_webhooks_are_compared(tmp_path: Path) -> None:
    """Diff audit 9: a webhook payload's field made required was "breaking" (judged as
    sent: `webhooks.parse` returns it), and removing a webhook was not reported."""
    old = _with_webhooks(BASE)
    new = copy.deepcopy(old)
    _schema(new, "InvoicePaid")["required"] = ["amount"]
    del new["webhooks"]["invoiceVoided"]
    new["webhooks"]["invoiceSent"] = new["webhooks"]["invoicePaid"]
    diff = _diff(tmp_path, old, new)
    found = sorted((c.rule.code, c.subject) for c in diff.changes)
    assert found == [
        ("response-field-made-required", "models.InvoicePaid.amount"),
        ("webhook-added", "webhooks(invoiceSent)"),
        ("webhook-removed", "webhooks(invoiceVoided)"),
    ]


@pytest.mark.parametrize(
    ("fmt", "rules"),
    [("int64", []), ("int32", ["request-field-constraint-tightened"])],
)
def test_a_64_bit_integer_s_range_is_no_constraint(
    tmp_path: Path, fmt: str, rules: list[str]
) -> None:
    """Diff audit 11: `format: int64` added to an integer was "breaking" (13 of GitHub's 374:
    its ids), though no caller sends a number past 2**63; a 32-bit range still tightens."""
    old = copy.deepcopy(BASE)
    _schema(old, "UserUpdate")["properties"]["age"] = {"type": "integer"}
    new = copy.deepcopy(old)
    _schema(new, "UserUpdate")["properties"]["age"]["format"] = fmt
    assert [c.rule.code for c in _diff(tmp_path, old, new).changes] == rules
