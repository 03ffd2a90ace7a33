"""Lenient responses: a body that does not match the spec, built as far as it can be.

A response body is validated as the spec says first (`_wire.validate_json`). When that
fails and the client does not ask for `strict_response_validation`, `construct` builds
the value from the decoded JSON by walking the declared type instead, and never raises:

- a model from an object is an instance of its class (`isinstance` holds, attributes work):
  its fields are looked up by alias (then by name) and built the same way; a field the
  body leaves out stays unset (not in `model_fields_set`) and reads as its default, or
  None; unknown fields are kept in `model_extra` (also where `additionalProperties:
  false` closed the model). Model validators do not run. A value that is not an object
  (GitLab's array where its spec says one project, a null) is kept as received: an
  instance could hold nothing of it;
- lists, tuples and dicts are built item by item; a union takes the member a
  discriminator names, else the one the value validates as, else (for an object) the
  model that shares most of its keys. A tag no member carries (one added since the
  spec) gives no member: the model all members derive from, if any, else the object
  as received (a dict), so that `isinstance(pet, Cat)` does not hold for a bird;
- any other value is converted as its type says without its constraints (pydantic's
  lax mode: a string one character short stays, a timestamp without an offset is a
  naive datetime), else kept as received; an enum keeps a value it does not list as a
  member named `UNKNOWN`. A secret stays masked: what cannot be one becomes None. A value
  kept as received where models with secrets were declared is a `Received` dict or list
  (`_received`), which masks their names in `repr()` and `to_dict()`.

Every model built here is recorded (`_types.mark_lenient`): sending one back in a
request validates it strictly again. `warn_once` logs what did not match, once per
operation: locations and error types, never values.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import json
import logging
import threading
import types
from collections.abc import Mapping
from typing import Annotated, Any, ForwardRef, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import from_json

from ._received import received
from ._redaction import mask_digits
from ._sentinels import is_class
from ._types import ApiModel, field_wire_name, lenient_parsing, mark_lenient
from ._wire import is_model, problems, validate_received

__all__ = ["UNDECODABLE", "accepts_null", "construct", "decode", "warn_once"]

logger = logging.getLogger(__package__)

UNDECODABLE: Any = object()
"""What `decode` returns for a body that is not JSON."""

_MAX_DEPTH = 100  # levels of nesting built; deeper values are kept as received
_VALIDATED_DEPTH = 6  # levels of nesting whose models are first validated whole
_SHOWN = 10  # problems a warning names
_WARNED: set[tuple[str, ...]] = set()  # (operation, what) already warned about
_WARNED_LOCK = threading.Lock()
# what converting a value may raise: its failure, or a type pydantic cannot build
_PROBE_ERRORS = (ValidationError, ValueError, TypeError, NameError, ArithmeticError, RecursionError)


def decode(content: bytes) -> Any:
    """The JSON value of a body, or `UNDECODABLE`. What pydantic's parser refuses though it
    is JSON (nested deeper than its limit, an integer of thousands of digits: a valid 2xx
    body raised in lenient mode; hostile sweep) is read by the standard library's, an
    integer past Python's digit limit kept as its text."""
    try:
        return from_json(content)
    except ValueError:
        pass
    try:
        return json.loads(content, parse_int=_integer)
    except (ValueError, RecursionError):
        return UNDECODABLE


def _integer(text: str) -> int | str:
    """A JSON integer: an `int`, or past Python's limit on the digits `int()` reads
    (`sys.get_int_max_str_digits`, 4,300: no `int` of it could be printed either), its
    text, as received."""
    try:
        return int(text)
    except ValueError:
        return text


def accepts_null(type_: Any) -> bool:
    """True when `type_` admits None (an optional or nullable type, `Any`): an empty body
    is then a null one."""
    return _converted(type_, None)[0]


def first_time(operation: str, what: str) -> bool:
    """True the first time only that this operation (`GET /items/{id}`) and `what` ask:
    each kind of deviation is logged once per operation, not on every call."""
    with _WARNED_LOCK:
        if (operation, what) in _WARNED:
            return False
        _WARNED.add((operation, what))
    return True


def warn_once(operation: str, what: str, error: ValidationError, type_: Any) -> None:
    """Log, the first time only for this operation (`GET /items/{id}`) and `what`
    ("response body", "error body", "stream item"), that a body of `type_` did not match
    the spec: where and which kind of problem, never a value (see `_where`)."""
    if not first_time(operation, what):
        return
    found = problems(error)
    shown = "; ".join(f"{_where(type_, p['loc'])}: {p['type']}" for p in found[:_SHOWN])
    more = f" (and {len(found) - _SHOWN} more)" if len(found) > _SHOWN else ""
    logger.warning(
        "%s: %s does not match the spec; returned as parsed leniently "
        "(strict_response_validation=True raises instead): %s%s",
        operation,
        what,
        shown,
        more,
    )


_LOST: Any = object()  # a location whose type is no longer known


def _where(type_: Any, loc: tuple[Any, ...]) -> str:
    """A problem's location for the log: field names, indices and the labels pydantic gives
    union members as they are; any other key (of a dict, or one the model does not know)
    as `*`, since it comes from the body."""
    parts: list[str] = []
    for element in loc:
        type_, shown = _step(type_, element)
        parts.append(shown)
    return mask_digits(".".join(parts)) or "(body)"


def _labels(member: Any) -> set[Any]:
    """What pydantic may call a union member in a location: its class name, its `Tag`, or
    (a string discriminator) the values of its `Literal` fields."""
    labels = {getattr(_bare(member), "__name__", None)}
    if get_origin(member) is Annotated:
        labels.update(getattr(marker, "tag", None) for marker in get_args(member)[1:])
    model = _bare(member)
    if is_model(model):
        for info in _fields(model).values():
            if get_origin(_bare(info.annotation)) is Literal:
                labels.update(get_args(_bare(info.annotation)))
    labels.discard(None)
    return labels


def _step(type_: Any, element: Any) -> tuple[Any, str]:
    """The type at `element` of a location in `type_`, and how the element is shown."""
    if type_ is _LOST:
        return _LOST, str(element) if isinstance(element, int) else "*"
    type_ = _bare(type_)
    if get_origin(type_) in (Union, types.UnionType):
        members = [m for m in get_args(type_) if m is not type(None)]
        if len(members) == 1:
            return _step(members[0], element)
        for member in members:  # pydantic names the member: a class name, a tag or a label
            if element in _labels(member):
                return member, str(element)
        return _LOST, str(element)
    origin, args = get_origin(type_), get_args(type_)
    if isinstance(element, int):
        if origin is list and args:
            return args[0], str(element)
        if origin is tuple and args:
            item = args[0] if args[-1] is Ellipsis else dict(enumerate(args)).get(element, _LOST)
            return item, str(element)
        return _LOST, str(element)
    if is_model(type_):
        for name, info, aliases in _plan(type_):
            if element in aliases or element == name:
                return info.annotation, str(element)
        return _LOST, "*"
    if origin in (dict, Mapping) and len(args) == 2:
        return args[1], "*"
    return _LOST, "*"


def construct(type_: Any, value: Any) -> Any:
    """`value` (decoded JSON) as `type_` as far as it goes, without raising (see the
    module docstring); a model type gives an instance of it from an object."""
    with lenient_parsing():
        if is_model(type_) and isinstance(value, dict):  # (the caller tried validating it)
            return _model(type_, value, 0)
        return _build(type_, value, 0, None)


def _converted(type_: Any, value: Any) -> tuple[bool, Any]:
    """(True, `value` validated as `type_`, leniently) or (False, None)."""
    try:
        with lenient_parsing():
            return True, validate_received(type_, value)
    except _PROBE_ERRORS:
        return False, None


def _bare(type_: Any) -> Any:
    """`type_` without its `Annotated` constraints and markers."""
    while get_origin(type_) is Annotated:
        type_ = get_args(type_)[0]
    return type_


def _discriminator(marker: Any) -> Any:
    """The tag function or field name of a `Discriminator` or `Field(discriminator=…)`."""
    while marker is not None and not isinstance(marker, str) and hasattr(marker, "discriminator"):
        marker = marker.discriminator
    return marker


def _build(type_: Any, value: Any, depth: int, discriminator: Any) -> Any:
    built = _built(type_, value, depth, discriminator)
    if built is value and isinstance(value, (dict, list)) and value:
        secrets = _secret_keys(type_)
        if secrets:  # kept as received where models with secrets were declared
            return received(value, secrets)
    return built


def _built(type_: Any, value: Any, depth: int, discriminator: Any) -> Any:
    if depth > _MAX_DEPTH or isinstance(type_, (str, ForwardRef)):
        return type_.model_construct() if is_model(type_) else value
    if get_origin(type_) is Annotated:
        base, *meta = get_args(type_)
        for item in meta:
            discriminator = _discriminator(item) or discriminator
        return _build(base, value, depth, discriminator)
    if is_model(type_):
        if depth > _VALIDATED_DEPTH:
            return _model(type_, value, depth)
        # a part that matches is validated whole, in one call: walking it field by field
        # took ~3 ms of each call of GitHub's `repos.get`, whose example lacks one field.
        # (Near the top only: each level that fails is validated again with what it holds,
        # so a value is validated at most that many times, however deep the body.)
        ok, converted = _converted(type_, value)
        return converted if ok else _model(type_, value, depth)
    origin = get_origin(type_)
    if origin in (Union, types.UnionType):
        return _union(type_, value, depth, discriminator)
    if origin is list and isinstance(value, list):
        (item_type,) = get_args(type_) or (Any,)
        return [_build(item_type, item, depth + 1, None) for item in value]
    if origin is tuple and isinstance(value, list):
        args = get_args(type_)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item, depth + 1, None) for item in value)
        return tuple(
            _build(args[i], item, depth + 1, None) if i < len(args) else item
            for i, item in enumerate(value)
        )
    if origin in (dict, Mapping) and isinstance(value, dict):
        item_type = (get_args(type_) or (str, Any))[1]
        return {key: _build(item_type, item, depth + 1, None) for key, item in value.items()}
    if type_ is Any or (origin is not None and origin is not Literal):
        return value  # Any, or a container of another kind than the value
    return _leaf(type_, value)


_SECRET_KEYS: dict[Any, frozenset[str]] = {}  # per declared type (`_secret_keys`)
_MAX_MODELS = 500  # models a type's secrets are looked for in


def _secret_keys(type_: Any) -> frozenset[str]:
    """The names (Python and wire) of the fields that are secrets in the models `type_`
    declares and the models they hold: those named so (`_sensitive`) and `SecretStr`s."""
    try:
        return _SECRET_KEYS[type_]
    except KeyError:
        pass
    except TypeError:  # an unhashable marker in `Annotated`
        return _find_secret_keys(type_)
    found = _SECRET_KEYS[type_] = _find_secret_keys(type_)
    return found


def _find_secret_keys(type_: Any) -> frozenset[str]:
    keys: set[str] = set()
    stack: list[Any] = [type_]
    seen: set[type] = set()
    while stack and len(seen) < _MAX_MODELS:
        current = _bare(stack.pop())
        if isinstance(current, (str, ForwardRef)):
            continue
        if not is_model(current):
            stack.extend(a for a in get_args(current) if a is not Ellipsis)
            continue
        if current in seen:
            continue
        seen.add(current)
        sensitive: frozenset[str] = getattr(current, "_sensitive", frozenset())
        for name, info, aliases in _plan(current):
            if name in sensitive or _is_secret(info.annotation):
                keys.update(aliases, (name,))
            stack.append(info.annotation)
    return frozenset(keys)


def _is_secret(annotation: Any) -> bool:
    bare = _bare(annotation)
    if get_origin(bare) in (Union, types.UnionType):
        return any(_is_secret(member) for member in get_args(bare))
    return is_class(bare) and issubclass(bare, SecretStr)


def _leaf(type_: Any, value: Any) -> Any:
    """A scalar converted as lax mode does, else kept; a secret stays masked."""
    if type_ is type(value) and type_ in _PLAIN:  # (lax mode keeps them as they are)
        return value
    ok, converted = _converted(type_, value)
    if ok:
        return converted
    if is_class(type_) and issubclass(type_, SecretStr):
        scalar = isinstance(value, (str, int, float, bool))
        return SecretStr(str(value)) if scalar else None
    return value


def _union(type_: Any, value: Any, depth: int, discriminator: Any) -> Any:
    if value is None:
        return None
    members = [m for m in get_args(type_) if m is not type(None)]
    discriminator = _discriminator(discriminator)
    if isinstance(value, dict) and discriminator is not None:
        tagged = _tagged(members, value, discriminator)
        if tagged is _UNKNOWN_TAG:  # a tag added since the spec: no member it names
            return _untagged(members, value, depth)
        if tagged is not None:
            return _build(tagged, value, depth, None)
    if len(members) == 1:
        return _build(members[0], value, depth, None)
    ok, converted = _converted(type_, value)
    if ok:
        return converted
    bare = [_bare(m) for m in members]
    if isinstance(value, dict):
        models = [m for m in bare if is_model(m)]
        if models:
            return _model(max(models, key=lambda m: _overlap(m, value)), value, depth)
        kinds: tuple[Any, ...] = (dict, Mapping)
    elif isinstance(value, list):
        kinds = (list, tuple)
    else:
        for member in bare:
            if get_origin(member) is None or get_origin(member) is Literal:
                ok, converted = _converted(member, value)
                if ok:
                    return converted
        return _leaf(bare[0], value) if len(bare) == 1 else value
    for member in bare:
        if get_origin(member) in kinds:
            return _build(member, value, depth, None)
    return value


_PLAIN = frozenset({str, int, float, bool})
_UNKNOWN_TAG: Any = object()  # `_tagged`: the value has a tag no member carries


def _tagged(members: list[Any], value: dict[str, Any], discriminator: Any) -> Any:
    """The member a discriminator names for `value`: a callable's tag (`Tag` markers), or
    a field name whose `Literal` holds the value's property; `_UNKNOWN_TAG` when the value
    has a tag (a string or number) that names no member; None without one."""
    if callable(discriminator):
        try:
            tag = discriminator(value)
        except Exception:  # a discriminator is the spec's code: any failure is "no tag"
            return None
        for member in members:
            if get_origin(member) is Annotated:
                if any(getattr(m, "tag", None) == tag for m in get_args(member)[1:]):
                    return member
        return _UNKNOWN_TAG if isinstance(tag, str) else None  # (a `Tag` is a string)
    tags = []
    for member in members:
        model = _bare(member)
        info = model.model_fields.get(discriminator) if is_model(model) else None
        if info is not None and get_origin(_bare(info.annotation)) is Literal:
            tags.append(value.get(field_wire_name(discriminator, info)))
            if tags[-1] in get_args(_bare(info.annotation)):
                return member
    known = tags and all(isinstance(t, (str, int)) and not isinstance(t, bool) for t in tags)
    return _UNKNOWN_TAG if known else None


def _untagged(members: list[Any], value: dict[str, Any], depth: int) -> Any:
    """A value whose discriminator names no member of the union: never a member it does
    not name (`isinstance(pet, Cat)` would hold for a bird), but an instance of the model
    every member derives from (an `allOf` base), else the object as received."""
    models = [_bare(m) for m in members]
    if not all(is_model(m) for m in models):
        return value
    for base in models[0].__mro__:
        if base is ApiModel or not is_model(base) or base.__module__.startswith("pydantic"):
            break
        if all(issubclass(m, base) for m in models):
            return _model(base, value, depth)
    return value


def _aliases(info: FieldInfo) -> tuple[str, ...]:
    """The aliases a field is read by: its validation aliases, then its alias."""
    aliases: list[str] = []
    choices = getattr(info.validation_alias, "choices", None)
    if choices is not None:
        aliases.extend(c for c in choices if isinstance(c, str))
    elif isinstance(info.validation_alias, str):
        aliases.append(info.validation_alias)
    if info.alias is not None:
        aliases.append(info.alias)
    return tuple(aliases)


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    if not getattr(model, "__pydantic_complete__", True):
        model.model_rebuild(raise_errors=False)
    return dict(model.model_fields)


_PLANS: dict[type[BaseModel], tuple[tuple[str, FieldInfo, tuple[str, ...]], ...]] = {}


def _plan(model: type[BaseModel]) -> tuple[tuple[str, FieldInfo, tuple[str, ...]], ...]:
    """Each field of `model`: (name, info, the aliases it is read by), looked up once."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = tuple((name, info, _aliases(info)) for name, info in _fields(model).items())
        if getattr(model, "__pydantic_complete__", True):  # (else its types may resolve later)
            _PLANS[model] = plan
    return plan


def _overlap(model: type[BaseModel], value: dict[str, Any]) -> int:
    """How many of the keys of `value` are fields of `model`."""
    known: set[str] = set()
    for name, _info, aliases in _plan(model):
        known.update(aliases, (name,))
    return len(known.intersection(value))


def _model(model: type[BaseModel], value: Any, depth: int) -> Any:
    """An instance of `model` from an object: fields by alias first, then by name; left
    out: unset (default, else None); unknown keys: `model_extra`. Anything else is kept as
    received (an empty instance dropped the data)."""
    if getattr(model, "__pydantic_root_model__", False):  # `RootModel[Any]`: the value
        return mark_lenient(model.model_construct(value))
    if not isinstance(value, dict):
        return value
    data: dict[str, Any] = value
    plan = _plan(model)
    taken: dict[str, str] = {}  # field name → key of `data`
    used: set[str] = set()
    for name, _info, aliases in plan:
        present = [key for key in aliases if key in data]
        if present:
            taken[name] = present[0]
            used.update(present)
    for name, _info, _aliases in plan:
        if name not in taken and name in data and name not in used:
            taken[name] = name
            used.add(name)
    values: dict[str, Any] = {}
    for name, info, _aliases in plan:
        if name in taken:
            values[name] = _build(info.annotation, data[taken[name]], depth + 1, info.discriminator)
        elif info.is_required():
            values[name] = None
        else:
            default = info.get_default(call_default_factory=True)
            if info.validate_default:
                default = _build(info.annotation, default, depth + 1, info.discriminator)
            values[name] = default
    built = model.model_construct(_fields_set=set(taken))
    object.__setattr__(built, "__dict__", values)
    extra = {key: item for key, item in data.items() if key not in used}
    object.__setattr__(built, "__pydantic_extra__", extra)
    return mark_lenient(built)
