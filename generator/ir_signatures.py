"""Stage 3: what an operation's method takes: its path parameters first and positional,
its object body's properties as keyword arguments (named as the body's model names its
fields), and the wider types the arguments accept (`ir_resources` applies it)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from . import typeir as t
from .ir import BodyField, Model, ModelField, Operation, Parameter
from .naming import NameScope, Style, styled
from .naming_reserved import SIGNATURE_RESERVED
from .typeir import S

__all__ = ["all_fields", "body_fields", "signature"]

# keyword arguments a method may get besides the spec's (kept free for body properties)
_FIXED_ARGUMENTS = SIGNATURE_RESERVED | {"content_type", "extra_body"}
_TEMPLATE = re.compile(r"{([^{}]+)}")


def signature(op: Operation, models: Mapping[str, Model]) -> dict[str, Any]:
    """What changes in `op`'s signature: its path parameters first and positional (in path
    order, when the path names each once), its object body's properties as keyword arguments."""
    # (a client parameter is a keyword: the client gives it unless the call does; a path
    # parameter is otherwise always required: its default is no call's, `ir_parameters`)
    given = {p.wire_name for p in op.parameters if p.location == "path" and p.client}
    template = [name for name in _TEMPLATE.findall(op.path) if name not in given]
    in_path = [p for p in op.parameters if p.location == "path" and not p.client]
    parameters, positional = op.parameters, 0
    if in_path and len(set(template)) == len(template) == len(in_path):
        order = {name: index for index, name in enumerate(template)}
        if all(p.wire_name in order for p in in_path):
            in_path.sort(key=lambda p: order[p.wire_name])
            chosen = {id(p) for p in in_path}  # (`not in in_path` compared each pair)
            rest = [p for p in op.parameters if id(p) not in chosen]
            parameters, positional = (*in_path, *rest), len(in_path)
    changes: dict[str, Any] = {
        "parameters": tuple(_widened(p, models) for p in parameters),
        "positional": positional,
        "body_fields": body_fields(op, models),
    }
    if op.body is not None and op.body.encoding in ("json", "form", "multipart"):
        # a union or list of object models takes mappings too, as validating the body
        # does (`body={"shape": "circle"}` for `Circle | Square`; `[{...}]` for `list[Pet]`)
        accepts = _accepted(op.body.accepts, models)
        if accepts != op.body.accepts:
            changes["body"] = replace(op.body, accepts=accepts)
    return changes


def _widened(parameter: Parameter, models: Mapping[str, Model]) -> Parameter:
    """`parameter` annotated with what its check accepts too (`_accepted`: an enum's values,
    a string for a UUID; the check itself keeps its type); unchanged when that is nothing."""
    bare = t.plain(t.without_none(parameter.type))
    accepted = _accepted(bare, models, containers=False)
    if accepted == bare:
        return parameter
    argument = t.optional(accepted) if t.admits_none(parameter.type) else accepted
    return replace(parameter, argument=argument)


def body_fields(op: Operation, models: Mapping[str, Model]) -> tuple[BodyField, ...]:
    """An object body's writable properties as keyword arguments, named as the body model
    names its fields (`create(account_id=…)` fills what `Transfer(account_id=…)` does); a
    field called like a parameter or a fixed argument is renamed (`name_` when a parameter
    is `name`), never to a name the model gives another field."""
    body = op.body
    if body is None or body.encoding not in ("json", "form", "multipart"):
        return ()
    model = models.get(body.type.name) if isinstance(body.type, t.ModelRef) else None
    if model is None or model.kind != "object":
        return ()
    taken = {p.name for p in op.parameters} | op.cast_target_names()  # (`rename_shadowing`)
    if op.binary_success:
        taken.add("stream")
    if op.polling is not None:
        taken.add("polling_interval")
    fixed = _FIXED_ARGUMENTS - ({"idempotency_key"} if op.declares_idempotency_key else set())
    outside = fixed | taken
    fields = all_fields(model, models)
    # the model's own names are reserved: a renamed argument takes none of them (crossed
    # names sent `create(account_id=…)` to `account-id` and `Transfer(account_id=…)` to
    # `account_id`: hostile audit 14); a field the model renames only for its class body
    # (`fields_`, `schema_`, `list_`: pydantic's or the builtins' names) keeps its own name
    # as an argument where no other field has it (regression audit 2: Jira's `fields=`)
    model_names = {f.name for f in fields}
    reserved = frozenset(outside | model_names)
    scope = NameScope(reserved)
    result = []
    for model_field in fields:
        if model_field.read_only:
            continue
        name = model_field.name
        plain = styled(model_field.alias, Style.SNAKE)
        usable = plain.isidentifier() and not keyword.iskeyword(plain)  # (`from` is `from_`)
        if plain != name and usable and plain not in reserved:  # (built once: hostile audit 17)
            name = scope.claim(plain, Style.SNAKE, prefix="field")
        elif name in outside:
            name = scope.claim(name, Style.SNAKE, prefix="field")
        result.append(
            BodyField(
                name=name,
                alias=model_field.alias,
                type=_argument_type(model_field, models),
                required=model_field.required or model_field.write_required,
                description=model_field.description,
            )
        )
    return tuple(result)


def _argument_type(model_field: ModelField, models: Mapping[str, Model]) -> t.TypeNode:
    """What a body keyword argument accepts: the field's type, `None` only where the spec
    allows null (left out, the field is not sent), a plain string for a secret, and what
    validating the body turns into the field's type (`_accepted`)."""
    node = t.without_none(model_field.type)
    # constraints and strictness are the model's to check; a secret is a plain string too
    node = t.union([t.STR, node]) if model_field.secret else _accepted(t.plain(node), models)
    return t.optional(node) if model_field.nullable else node


_MAPPING = t.Subscript(S.MAPPING, (t.STR, t.ANY))
# types whose values validation also takes as text (a UUID, an ISO date, time or date-time)
_STRING_FORMS = frozenset(t.Named(s) for s in (S.UUID, S.DATE, S.TIME, S.DATE_TIME))
_LITERAL_INTS = range(-(2**63), 2**63)  # mypy takes no wider integer in a `Literal`
_WIDENED = {True: ("list", "dict"), False: ("list",)}  # containers widened (`_accepted`)


def _accepted(
    node: t.TypeNode, models: Mapping[str, Model], depth: int = 0, containers: bool = True
) -> t.TypeNode:
    """`node` with what validation turns into it: a mapping for an object model (as `body=`
    takes one), an enum's values for the enum (`"ContAuth"`), a string for a UUID, within
    unions, lists and dicts too (as `Sequence` and `Mapping`, which take a `list[Item]` as
    well: a `list` is invariant); with `containers=False`, for a parameter, lists only
    (the client sends a tuple given for one as a list: Spotify's `type=["track"]` failed
    mypy, UX audit 16), not dicts, whose encoding reads mappings of its own."""
    if depth > 16:
        return node
    if isinstance(node, t.ModelRef):
        model = models.get(node.name)
        if model is not None and model.kind == "object":
            return t.union([node, _MAPPING])
        if model is not None and model.kind == "enum" and _literal_values(model):
            return t.union([node, t.LiteralType(tuple(m.value for m in model.members))])
        if model is not None and model.kind == "alias" and model.type is not None and containers:
            # `Shape = Circle | Square`: `Shape | Mapping[str, Any]`
            aliased = t.plain(model.type)
            accepted = _accepted(aliased, models, depth + 1, containers)
            members = accepted.members if isinstance(accepted, t.Union) else (accepted,)
            known = aliased.members if isinstance(aliased, t.Union) else (aliased,)
            extra = [m for m in members if m not in known and m != t.NONE]
            return t.union([node, *extra]) if extra else node
        return node
    if node in _STRING_FORMS:  # what the README and the spec's examples write: ISO text
        return t.union([node, t.STR])
    if isinstance(node, t.Union):
        return t.union(_accepted(m, models, depth + 1, containers) for m in node.members)
    if isinstance(node, t.Generic) and node.args and node.origin in _WIDENED[containers]:
        inner = _accepted(node.args[-1], models, depth + 1)
        if inner == node.args[-1]:
            return node
        if node.origin == "list":
            return t.Subscript(S.SEQUENCE, (inner,))
        return t.Subscript(S.MAPPING, (*node.args[:-1], inner))
    return node


def _literal_values(model: Model) -> bool:
    """Can the enum's values be a `Literal` (strings, integers mypy takes, not too many)?"""
    values = [m.value for m in model.members]
    return 0 < len(values) <= 256 and all(
        isinstance(v, str) or (type(v) is int and v in _LITERAL_INTS) for v in values
    )


def all_fields(model: Model, models: Mapping[str, Model]) -> list[ModelField]:
    """The model's fields with those of its bases (bases first; a redeclaration wins)."""
    order: list[Model] = []
    seen = {model.name}
    stack: list[tuple[Model, bool]] = [(model, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            order.append(current)
            continue
        stack.append((current, True))
        for base in reversed(current.bases):
            if base in models and base not in seen:
                seen.add(base)
                stack.append((models[base], False))
    fields: dict[str, ModelField] = {}
    for current in order:
        for model_field in current.fields:
            fields[model_field.name] = model_field
    return list(fields.values())
