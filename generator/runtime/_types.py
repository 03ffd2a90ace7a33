"""Base classes and field types shared by every model of this package.

- `ApiModel`: pydantic base; spec names are aliases (`by_alias` round-trips),
  unknown fields are kept (`model_extra`), read-only fields are left out of
  request bodies, `dependentRequired` rules are checked, and assignments are
  validated (a model changed after a GET stays valid, secrets stay masked).
  Strict in what is sent, lenient in what is accepted: numbers and booleans are
  `Strict` (no `"101"` → 101, no `True` → 1) and a field the spec lets be left
  out, but not be null, refuses an explicit `None`; response parsing passes
  `strict=False` and accepts both.
- `ApiEnum` / `ApiIntEnum`: enums that accept unknown values while a response
  is being parsed (forward compatibility), and reject them everywhere else.
- Scalar field types (secrets, e-mail addresses, sized integers…) are in `_scalars`.
- `mark_lenient` / `holds_lenient`: models a response built without validating them
  (`_lenient.construct`) are recorded, so that sending one back validates it again.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import contextvars
import enum
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    SecretStr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import core_schema

from ._definitions import schema_of
from ._received import holds_received, mask_like, masked_by_name
from ._secret_names import secret_name, sensitive_key
from ._sentinels import NOT_GIVEN, NotGiven

__all__ = [
    "NOT_GIVEN",
    "ApiEnum",
    "ApiIntEnum",
    "ApiModel",
    "NotGiven",
    "check_not_null",
    "discriminate_by",
    "field_wire_name",
    "holds_lenient",
    "lenient_parsing",
    "mark_lenient",
    "outgoing_secrets",
    "wire_field",
]

_LENIENT: contextvars.ContextVar[bool] = contextvars.ContextVar("lenient_parsing", default=False)
_M = TypeVar("_M", bound=BaseModel)
# id → weak reference of every model built from a response without validation (alive ones)
_BUILT_LENIENTLY: dict[int, weakref.ref[BaseModel]] = {}


# a response read under `strict_response_validation`: required read-only fields are checked
_STRICT_READING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "strict_reading", default=False
)


class lenient_parsing:
    """Within this block, enums accept values the spec does not list (used for responses);
    `strict`: a required read-only field missing is an error (`ApiModel._read_required`),
    as in a response read under `strict_response_validation`. (A class: a generator-based
    context manager cost ~1 µs of every call.)"""

    __slots__ = ("_strict", "_tokens")

    def __init__(self, strict: bool = False) -> None:
        self._strict = strict

    def __enter__(self) -> None:
        strictly = _STRICT_READING.set(True) if self._strict else None
        self._tokens = (_LENIENT.set(True), strictly)

    def __exit__(self, *exc_info: object) -> None:
        token, strictly = self._tokens
        if strictly is not None:
            _STRICT_READING.reset(strictly)
        _LENIENT.reset(token)


def mark_lenient(model: _M) -> _M:
    """Record `model` as built from a response that did not match the spec (not
    validated): sending it, or a model holding it, validates it again."""
    key = id(model)
    _BUILT_LENIENTLY[key] = weakref.ref(model, lambda _: _BUILT_LENIENTLY.pop(key, None))
    return model


def _built_leniently(model: BaseModel) -> bool:
    ref = _BUILT_LENIENTLY.get(id(model))
    return ref is not None and ref() is model


# what `outgoing_secrets` passes over (a float is checked to be finite: `_kind_of`)
_SCALARS = frozenset({str, int, bool, type(None), bytes})


def _held(value: Any) -> Iterator[Any]:
    """`value` and every value it holds that is not a plain scalar: the fields (extra
    fields too) of models, the items of lists and tuples, the values of dicts (what each
    type is: `_kind_of`, as `outgoing_secrets` walks it)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = _KINDS.get(type(item))
        if kind is None:
            kind = _kind_of(type(item))
        if kind == _SCALAR:
            continue
        yield item
        if kind == _SEQUENCE:
            extend(item)
        elif kind == _MAPPING:
            extend(item.values())
        elif kind == _MODEL or kind == _API_MODEL:
            extend(item.__dict__.values())
            extend((item.__pydantic_extra__ or _NO_EXTRA).values())


_NO_EXTRA: dict[str, Any] = {}


def holds_lenient(value: Any) -> bool:
    """True when `value` is, or holds (in fields, lists or dicts), a model built from a
    response that did not match the spec."""
    if not _BUILT_LENIENTLY:
        return False
    return any(isinstance(item, BaseModel) and _built_leniently(item) for item in _held(value))


class _LenientEnumMixin:
    """`_missing_` that keeps an unknown value as a pseudo-member, only while parsing responses."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not _LENIENT.get():
            return None
        base = int if issubclass(cls, int) else str
        if not isinstance(value, base) or isinstance(value, bool):
            return None
        construct: Any = base.__new__
        member: Any = construct(cls, value)
        # a name no member can have: `UNKNOWN` was the spec's own `Unknown` member's name
        # too (Codat's 31 enums), though the value was not that member (UX audit 10)
        member._name_ = "<not in the spec>"
        member._value_ = value
        return member


class ApiEnum(_LenientEnumMixin, str, enum.Enum):
    """A string enum of the API; compares equal to its string value."""

    def __str__(self) -> str:
        return str(self.value)


class ApiIntEnum(_LenientEnumMixin, int, enum.Enum):
    """An integer enum of the API; compares equal to its integer value."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # a boolean is no member (pydantic took `True` for `1`: hostile audit 14), nor is a
        # text (`"2"` went out as 2, where an `int` field refuses it; round-trip audit 18)
        return core_schema.no_info_before_validator_function(_no_bool, handler(source))


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a boolean is no member of this integer enum")
    if isinstance(value, (str, bytes)):
        raise ValueError("a text is no member of this integer enum (give the number)")
    return value


def field_wire_name(name: str, info: FieldInfo) -> str:
    """The spec's name of the model field `name`: its serialization alias (generated models
    give one where the spec's name is no Python name), else its alias, else `name` (an
    empty alias is a name too: a property may be called "")."""
    alias = info.serialization_alias if info.serialization_alias is not None else info.alias
    return name if alias is None else alias


def wire_field(value: Any, wire_name: str) -> Any:
    """The value of the property the spec calls `wire_name`, in a mapping or a model (a
    declared field by its alias, else a kept unknown field); None when it is absent."""
    if isinstance(value, Mapping):
        return value.get(wire_name)
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if field_wire_name(name, info) == wire_name:
                return getattr(value, name)
        return (value.model_extra or {}).get(wire_name)
    return None


def discriminate_by(alias: str) -> Callable[[Any], Any]:
    """A pydantic discriminator reading property `alias` from a mapping or a model."""

    def discriminator(value: Any) -> Any:
        found = wire_field(value, alias)
        found = found.value if isinstance(found, enum.Enum) else found
        # the mapping's keys are text: a number or a boolean tag is spelled as JSON spells it
        # (`kind: 1` matched no `"1"`, and every answer failed; names audit 18)
        if isinstance(found, bool):
            return "true" if found else "false"
        return str(found) if isinstance(found, int) else found

    return discriminator


class ApiModel(BaseModel):
    """Base of every model: aliases are the spec's names, extra fields are kept."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
        # the field docstrings are for readers and IDEs: pydantic reading them back from the
        # source tokenizes each class's module when the class is made (GitHub's 3,780
        # models were made in 19 s with it, 8 s without; `import github` 0.19 s → 0.12 s)
        use_attribute_docstrings=False,
        hide_input_in_errors=True,
        defer_build=True,
        validate_assignment=True,
    )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> core_schema.CoreSchema:
        """The models this model holds are references to definitions built beside its
        schema, not copies nested in it (`_definitions.schema_of`): models of any depth
        build in bounded stack."""
        return schema_of(source, handler)

    def __repr_args__(self) -> Any:
        """pydantic's, but a field the spec does not declare, kept as received, whose name
        says it is a secret (`card_number`, `cvc`) is masked (hostile audit 11)."""
        extra = self.__pydantic_extra__ or _NO_EXTRA
        for name, value in super().__repr_args__():
            secret = name is not None and name in extra and value is not None
            if secret and sensitive_key(name or ""):
                yield name, _MASK
            else:  # (untyped data: its secret-named keys masked at any depth)
                yield name, masked_by_name(value) if isinstance(value, (dict, list)) else value

    def to_dict(self, *, by_alias: bool = True, exclude_unset: bool = True) -> dict[str, Any]:
        """The model as JSON data, as OpenAI's SDK gives it: under the spec's names, only the
        fields set or received, those the spec does not declare too, even on a model it
        closes (secrets, and fields sensitive by their name, masked)."""
        return self.model_dump(
            mode="json",
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            warnings=False,
            context=_SHOWN,
        )

    def to_json(
        self, *, indent: int | None = 2, by_alias: bool = True, exclude_unset: bool = True
    ) -> str:
        """`to_dict` as JSON text."""
        return self.model_dump_json(
            indent=indent,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            warnings=False,
            context=_SHOWN,
        )

    _read_only: ClassVar[frozenset[str]] = frozenset()
    # fields whose name says they hold a card or account number, a security code or a
    # credential (`cvc`, `account_number`): redacted from errors, masked by `to_dict()`
    _sensitive: ClassVar[frozenset[str]] = frozenset()
    # required by the spec but write-only: optional here (responses never hold them),
    # required in what is sent (`_null_problem`)
    _write_required: ClassVar[frozenset[str]] = frozenset()
    # required read-only fields: left out of requests, checked in a response read strictly
    _read_required: ClassVar[frozenset[str]] = frozenset()
    # optional fields whose schema admits null; every other optional field refuses None
    _nullable: ClassVar[frozenset[str]] = frozenset()
    _dependent_required: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()
    _required_one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    _required_any_of: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @model_validator(mode="after")
    def _check_required_sets(self) -> ApiModel:
        given = self.model_fields_set
        if self._read_required and _STRICT_READING.get():
            missing = sorted(self._read_required - given)
            if missing:
                alias = field_wire_name(missing[0], type(self).model_fields[missing[0]])
                raise ValueError(f"{alias}: field required (read-only: in every response)")
        for rule, alternatives in (
            ("exactly one", self._required_one_of),
            ("at least one", self._required_any_of),
        ):
            if not alternatives:
                continue
            met = sum(1 for names in alternatives if all(name in given for name in names))
            if met == 0 or (rule == "exactly one" and met > 1):
                fields = type(self).model_fields
                options = " | ".join(
                    "+".join(field_wire_name(n, fields[n]) for n in names) or "(nothing)"
                    for names in alternatives
                )
                raise ValueError(f"{rule} of these must be given: {options}")
        return self

    def _unsent_problem(self) -> str | None:
        """A required write-only field left out of a model about to be sent (checked only
        then: a response, or a model built from one, never holds it)."""
        cls = type(self)
        missing = sorted(cls._write_required - self.model_fields_set)
        if not missing:
            return None
        alias = field_wire_name(missing[0], cls.model_fields[missing[0]])
        return f"{alias}: field required (write-only: never in responses, required when sent)"

    def _null_problem(self) -> str | None:
        """Why this model may not be sent as it is: an optional field that is not
        nullable was given `None`. Checked when it is sent (`outgoing_secrets`), not when
        it is built: `Model.model_validate(m.model_dump())`, pydantic's round trip, wrote
        None for every optional field left out and was refused (payments audit 21)."""
        cls = type(self)
        names = _OPTIONAL_NOT_NULL.get(cls)
        if names is None:
            names = _OPTIONAL_NOT_NULL[cls] = frozenset(
                name
                for name, info in cls.model_fields.items()
                if not info.is_required() and name not in cls._nullable
            )
        values = self.__dict__
        name = None  # the first in sorted order: the same message every time
        given = self.__pydantic_fields_set__
        # the shorter of the two walked (a model of 80 fields with 30 given walked all 80)
        walked, other = (given, names) if len(given) < len(names) else (names, given)
        for candidate in walked:
            if candidate in other and values.get(candidate) is None:
                name = candidate if name is None else min(name, candidate)
        if name is None:  # (None is also the default of a field left out)
            return None
        return (
            f"{field_wire_name(name, cls.model_fields[name])} may not be null: leave it out"
            " instead (it is optional, but the spec does not allow null)"
        )

    @model_validator(mode="after")
    def _check_dependent_required(self) -> ApiModel:
        for trigger, needed in self._dependent_required:
            if trigger in self.model_fields_set:
                missing = [name for name in needed if name not in self.model_fields_set]
                if missing:
                    fields = type(self).model_fields
                    names = ", ".join(field_wire_name(m, fields[m]) for m in missing)
                    raise ValueError(
                        f"{field_wire_name(trigger, fields[trigger])} requires {names} to be given"
                        " too"
                    )
        return self

    def __copy__(self: _M) -> _M:
        """A shallow copy (`model_copy()`); a copy of a model built leniently is one too."""
        copied = super().__copy__()
        return mark_lenient(copied) if _built_leniently(self) else copied

    def __deepcopy__(self: _M, memo: dict[int, Any] | None = None) -> _M:
        """A deep copy; a copy of a model built leniently is one too."""
        copied = super().__deepcopy__(memo)
        return mark_lenient(copied) if _built_leniently(self) else copied

    # the return type is given as an object: pydantic would otherwise evaluate the string
    # "Any" in the namespace of each subclass's module, where a model may be named Any
    @model_serializer(mode="wrap", return_type=Any)
    def _drop_read_only(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        if not isinstance(self, ApiModel):  # a lenient value kept as received (a list)
            return data
        context = info.context
        if (self._read_only or self._sensitive) and isinstance(data, dict):
            fields = type(self).model_fields
            if self._read_only and isinstance(context, dict) and context.get("request") is True:
                for name in self._read_only:
                    data.pop(name, None)
                    data.pop(field_wire_name(name, fields[name]), None)
            if self._sensitive and context is _SHOWN:
                for name in self._sensitive:
                    for key in {name, field_wire_name(name, fields[name])}:
                        if data.get(key) is not None:
                            data[key] = _MASK
        if context is _SHOWN and isinstance(data, dict):
            if self.model_config.get("extra") != "allow":  # closed: pydantic leaves them out
                for key, value in (self.__pydantic_extra__ or _NO_EXTRA).items():
                    data.setdefault(key, value)  # received all the same (UX audit 14)
            for key in self.__pydantic_extra__ or _NO_EXTRA:  # undeclared, named as secrets
                if data.get(key) is not None and sensitive_key(key):
                    data[key] = _MASK
            if _built_leniently(self):
                fields = type(self).model_fields
                for name, value in self.__dict__.items():  # kept as received: `_received`
                    if name in fields and holds_received(value):
                        for key in {name, field_wire_name(name, fields[name])} & data.keys():
                            data[key] = mask_like(value, data[key])
        return data


# the serialization context of `to_dict()`/`to_json()` (fields sensitive by name masked)
_SHOWN: dict[str, Any] = {}
_MASK = "**********"  # as pydantic masks a `SecretStr`

# per model class: its optional fields that may not be null (`ApiModel._null_problem`)
_OPTIONAL_NOT_NULL: dict[type, frozenset[str]] = {}


def check_not_null(value: Any) -> None:
    """Raise `ValueError` naming the field when a model about to be sent (one parsed from a
    response, then changed, say) holds `None` in an optional field that is not nullable."""
    outgoing_secrets(value)


def outgoing_secrets(value: Any) -> list[str]:
    """A body about to be sent, checked and its secrets listed in one walk (each walk costs
    microseconds on every call): `check_not_null`'s `ValueError`, else every secret string
    it holds. A float that is not finite (NaN, infinity) is a
    `ValueError` too: JSON has no such number. (`_held`'s walk, written out, each type's kind
    looked up once: `isinstance` against pydantic's ABC-based classes was most of the time.)"""
    found: list[str] = []
    stack = [value]
    pop, extend = stack.pop, stack.extend
    kinds = _KINDS
    budget = _CONTAINERS
    while stack:
        item = pop()
        kind = kinds.get(type(item))
        if kind is None:
            kind = _kind_of(type(item))
        if kind == _SCALAR or kind == _OTHER:
            continue
        if kind == _FLOAT:
            if item - item != 0.0:  # NaN or infinity (inf - inf is NaN): JSON has neither
                raise ValueError(f"{item} cannot be sent: not a finite number")
            continue
        budget -= 1
        if not budget:  # (a dict inside itself was walked forever: hostile sweep)
            if _holds_itself(value):
                raise ValueError("the value holds itself (a list or mapping inside itself)")
            budget = _CONTAINERS
        if kind == _SEQUENCE:
            extend(item)
        elif kind == _MAPPING:
            extend(item.values())
            found.extend(_named_secrets(item))
        elif kind == _SECRET:
            found.append(item.get_secret_value())
        else:
            if kind == _API_MODEL:
                if item._sensitive:
                    found.extend(_sensitive_values(item))
                problem = item._null_problem()
                if problem is None and item._write_required:
                    problem = item._unsent_problem()
                if problem is not None:
                    raise ValueError(f"{type(item).__name__}: {problem}")
            # the fields given only, when they are few: the others (their defaults) are not
            # sent (every body is written with `exclude_unset`)
            values = item.__dict__
            given = item.__pydantic_fields_set__
            if 2 * len(given) < len(values):
                extend(map(values.get, given))
            else:
                extend(values.values())
            if item.__pydantic_extra__:
                extend(item.__pydantic_extra__.values())
                found.extend(_named_secrets(item.__pydantic_extra__))
    return found


# containers `outgoing_secrets` walks before it checks that the value does not hold itself
_CONTAINERS = 100_000


def _holds_itself(value: Any) -> bool:
    """Does `value` hold itself, a list, mapping or model inside itself at any depth? (A
    depth-first walk over each container once; one shared by several is no cycle.)"""
    done: set[int] = set()
    path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, leaving = stack.pop()
        if leaving:
            path.discard(id(item))
            done.add(id(item))
            continue
        if isinstance(item, Mapping):
            children: Iterable[Any] = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        elif isinstance(item, BaseModel):
            children = [*item.__dict__.values(), *(item.__pydantic_extra__ or {}).values()]
        else:
            continue
        if id(item) in path:
            return True
        if id(item) in done:
            continue
        path.add(id(item))
        stack.append((item, True))
        stack.extend((child, False) for child in children)
    return False


def _sensitive_values(model: ApiModel) -> Iterator[str]:
    """The values of a model's fields sensitive by their name, as text (`_texts`)."""
    return _texts([model.__dict__.get(name) for name in model._sensitive])


def _named_secrets(values: Mapping[Any, Any]) -> Iterator[str]:
    """The texts of what a mapping the spec does not describe (`extra_body`, a `body=` of
    `client.post`, a model's undeclared fields) holds under secret names (`password`,
    `api_key`, `token`: they went to `str(e)` in clear, hostile audit 16)."""
    return _texts([v for k, v in values.items() if type(k) is str and secret_name(k)])


def _texts(values: list[Any]) -> Iterator[str]:
    """Each string and number `values` hold (a card number may be an integer, an `api_key`
    an object or a list of them), to a few levels down, as text."""
    stack = [(value, 0) for value in values]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str) or (
            isinstance(value, (int, float)) and not isinstance(value, bool)
        ):
            yield str(value)
        elif depth < 8 and isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1) for item in value)
        elif depth < 8 and isinstance(value, Mapping):
            stack.extend((item, depth + 1) for item in value.values())
        elif depth < 8 and isinstance(value, BaseModel):
            stack.extend((item, depth + 1) for item in value.__dict__.values())


# what `outgoing_secrets` does with a value, by type (plain ints: the walk compares them)
_SCALAR, _FLOAT, _SEQUENCE, _MAPPING, _MODEL, _API_MODEL, _SECRET, _OTHER = range(8)


_KINDS: dict[type, int] = {}


def _kind_of(kind: type) -> int:
    """What `outgoing_secrets` does with a value of type `kind` (remembered: a few types
    recur on every call)."""
    if issubclass(kind, float):
        found = _FLOAT
    elif kind in _SCALARS:
        found = _SCALAR
    elif issubclass(kind, ApiModel):
        found = _API_MODEL
    elif issubclass(kind, BaseModel):
        found = _MODEL
    elif issubclass(kind, SecretStr):
        found = _SECRET
    elif issubclass(kind, (list, tuple)):
        found = _SEQUENCE
    elif issubclass(kind, dict):
        found = _MAPPING
    else:
        found = _OTHER
    _KINDS[kind] = found
    return found
