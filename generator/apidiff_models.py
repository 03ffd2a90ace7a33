"""The API diff of the classes in `<package>.models`: fields, enum members, aliases, bases.

Whether a change breaks depends on which way the model travels: a new required field
breaks code that builds a request, and nothing that reads a response. `model_sides`
finds which way each model goes; a model that goes both ways is judged by the worse.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import typeir as t
from .apidiff_rules import Change, rule, show_type, type_change
from .ir import Api, Model, ModelField

MODELS_GROUP = "models"  # where model changes are listed
REQUEST, RESPONSE = "request", "response"


# ---- models --------------------------------------------------------------------------------
def model_sides(api: Api) -> dict[str, set[str]]:
    """For each model, whether it is sent (`request`), received (`response`) or both.

    A model is on a side when a parameter, body, response or error type reaches it,
    through fields, bases and aliases; a webhook's payload is received (`webhooks.parse`
    returns it: a field made required was "breaking", judged as sent; diff audit 9). A
    model nothing reaches counts as both.
    """
    by_name = {m.name: m for m in api.models}
    seeds: dict[str, list[t.TypeNode]] = {REQUEST: [], RESPONSE: []}
    for op in api.operations:
        seeds[REQUEST].extend(p.type for p in op.parameters)
        if op.body is not None:
            seeds[REQUEST].append(op.body.type)
        seeds[RESPONSE].extend(n for r in op.responses for n in r.type_nodes())
    seeds[RESPONSE].extend(w.type for w in api.webhooks)
    sides: dict[str, set[str]] = {name: set() for name in by_name}
    for side, roots in seeds.items():
        stack = list(t.models_of(roots))
        while stack:
            name = stack.pop()
            if name not in by_name or side in sides[name]:
                continue
            sides[name].add(side)
            stack.extend(by_name[name].references)
    for found in sides.values():
        if not found:
            found.update((REQUEST, RESPONSE))
    return sides


def diff_models(old: Api, new: Api) -> Iterator[Change]:
    before = {m.name: m for m in old.models}
    after = {m.name: m for m in new.models}
    sides_old, sides_new = model_sides(old), model_sides(new)
    for name, model in before.items():
        subject = f"models.{name}"
        if name not in after:
            yield Change(rule("model-removed"), MODELS_GROUP, subject, f"class {name} removed")
            continue
        sides = sides_old[name] | sides_new.get(name, set())
        yield from _diff_model(subject, sides, model, after[name])
    for name, model in after.items():
        if name not in before:
            message = f"new {model.kind} class {name}"
            yield Change(rule("model-added"), MODELS_GROUP, f"models.{name}", message)


def _diff_model(subject: str, sides: set[str], old: Model, new: Model) -> Iterator[Change]:
    if old == new:
        return
    if old.kind != new.kind:
        message = f"{old.kind} → {new.kind}"
        yield Change(rule("model-kind-changed"), MODELS_GROUP, subject, message)
        return
    for base in sorted(set(old.bases) - set(new.bases)):
        message = f"no longer derives from {base}"
        yield Change(rule("model-base-removed"), MODELS_GROUP, subject, message)
    for base in sorted(set(new.bases) - set(old.bases)):
        yield Change(rule("model-base-added"), MODELS_GROUP, subject, f"now derives from {base}")
    if old.kind == "enum":
        yield from _diff_enum(subject, sides, old, new)
    elif old.type is not None and new.type is not None:
        yield from _worst(
            type_change(MODELS_GROUP, subject, f"{side}-alias", old.type, new.type)
            for side in sorted(sides)
        )
    before = {f.name: f for f in old.fields}
    after = {f.name: f for f in new.fields}
    for name in [*before, *(n for n in after if n not in before)]:
        if before.get(name) == after.get(name):
            continue
        field_subject = f"{subject}.{name}"
        yield from _worst(
            _diff_field(field_subject, side, before.get(name), after.get(name))
            for side in sorted(sides)
        )


def _worst(alternatives: Iterable[Iterable[Change]]) -> Iterator[Change]:
    """Of the changes one difference makes on each side, those of the worst side."""
    results = [list(changes) for changes in alternatives]
    results = [r for r in results if r]
    if results:
        yield from min(results, key=lambda changes: min(c.level.rank for c in changes))


def _diff_field(
    subject: str, side: str, old: ModelField | None, new: ModelField | None
) -> Iterator[Change]:
    def change(code: str, message: str) -> Change:
        return Change(rule(f"{side}-{code}"), MODELS_GROUP, subject, message)

    if new is None:
        yield change("field-removed", "field removed")
        return
    kind = "required" if new.required else "optional"
    if old is None:
        yield change(f"field-added-{kind}", f"new {kind} field `{show_type(new.type)}`")
        return
    old_type, new_type = old.type, new.type
    if old.required != new.required:
        yield change(f"field-made-{kind}", f"now {kind}")
        old_type, new_type = t.without_none(old_type), t.without_none(new_type)
    yield from type_change(MODELS_GROUP, subject, f"{side}-field", old_type, new_type)


def _diff_enum(subject: str, sides: set[str], old: Model, new: Model) -> Iterator[Change]:
    before = {m.value: m.name for m in old.members}
    after = {m.value: m.name for m in new.members}
    for value, name in before.items():
        if value not in after:
            side = REQUEST if REQUEST in sides else RESPONSE
            code = f"{side}-enum-member-removed"
            yield Change(rule(code), MODELS_GROUP, f"{subject}.{name}", f"member {value!r} removed")
        elif after[value] != name:
            message = f"{value!r}: {name} → {after[value]}"
            yield Change(rule("enum-member-renamed"), MODELS_GROUP, f"{subject}.{name}", message)
    for value, name in after.items():
        if value not in before:
            side = RESPONSE if RESPONSE in sides else REQUEST
            code = f"{side}-enum-member-added"
            yield Change(rule(code), MODELS_GROUP, f"{subject}.{name}", f"member {value!r} added")
