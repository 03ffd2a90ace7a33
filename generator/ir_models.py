"""Stage 3 data, the models: what a schema becomes (a pydantic model, an enum, an alias) and
its fields, as the templates see them. Re-exported by `ir`.

Frozen dataclasses holding final decisions: Python names, type expressions,
default literals; spec text is carried raw and escaped by the template filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import typeir as t
from .typeir import S, Symbol, TypeNode


@dataclass(frozen=True)
class Default:
    """A field's default: a spec value, or a member of the field's enum.

    `validate` marks values pydantic converts to the field's type (a date string, a
    model's mapping): they are written as JSON and passed through `validate_default`.
    """

    value: Any = None
    enum: str | None = None  # the enum model whose member `member` is the default
    member: str | None = None
    validate: bool = False

    def expression(self) -> Any:
        """The default as a literal value or a `MemberRef` expression."""
        if self.enum is not None and self.member is not None:
            return t.MemberRef(self.enum, self.member)
        return self.value


@dataclass(frozen=True)
class ModelField:
    """One attribute of a generated pydantic model."""

    name: str  # Python attribute name
    alias: str  # the spec's property name (wire name)
    type: TypeNode  # full type, `| None` included when it may be None
    default: Default | None  # None: required
    description: str
    read_only: bool = False
    write_only: bool = False
    secret: bool = False
    # named like a card or account number, a security code or a credential (`cvc`,
    # `card.number`, `api_key`) without the spec saying so: left out of `repr`
    sensitive: bool = False
    deprecated: bool = False
    nullable: bool = False  # the schema admits null (an optional field may still not be null)
    also_accepts: str | None = None  # another spelling of `alias` accepted when parsing
    example: str | None = None  # the property schema's own example, as JSON text
    # required and write-only: optional in the model (responses never hold it), required
    # in what is sent (Linode's `root_pass`)
    write_required: bool = False
    # required and read-only: optional in the model (requests never hold it), required in
    # a response read under `strict_response_validation` (an `id` the server assigns)
    read_required: bool = False

    @property
    def required(self) -> bool:
        """True when the field has no default."""
        return self.default is None

    def value(self) -> t.Expr | None:
        """What is assigned after the annotation: `None`, `Field(...)`, or nothing (None)."""
        arguments: list[tuple[str, Any]] = []
        default = self.default
        plain_none = default is not None and default.expression() is None and not default.validate
        # the spec's name as validation and serialization aliases, not `alias=`: a type
        # checker reads `alias` as the constructor's keyword (PEP 681), so `Invoice(line_items=…)`
        # was refused (only `LineItems=` passed) though attributes are `invoice.line_items`
        if self.also_accepts is not None:
            choices = t.Call(S.ALIAS_CHOICES, (self.alias, self.also_accepts))
            arguments.append(("validation_alias", choices))
        elif self.alias != self.name:
            arguments.append(("validation_alias", self.alias))
        if self.alias != self.name:
            arguments.append(("serialization_alias", self.alias))
        if self.deprecated:
            arguments.append(("deprecated", True))
        if self.sensitive and not self.secret:
            arguments.append(("repr", False))
        if default is not None and default.validate:
            arguments.append(("validate_default", True))
        # `Field(...)` without a default makes the field required: an optional field whose
        # `Field` says anything (an alias, `deprecated`) states its default there too
        if default is not None and (not plain_none or arguments):
            arguments.insert(0, ("default", default.expression()))
        if arguments:
            return t.Call(S.FIELD, kwargs=tuple(arguments))
        return t.Lit(None) if plain_none else None

    @property
    def docstring(self) -> str:
        """The attribute docstring: the spec's description plus what the field is."""
        notes = []
        if self.read_only:
            notes.append("Read-only: set by the server, never sent in requests.")
        if self.write_only:
            notes.append("Write-only: sent in requests, never returned.")
        if self.secret:
            notes.append("Secret: masked in repr, str and logs.")
        elif self.sensitive:
            notes.append(
                "Sensitive by its name: left out of repr, masked by to_dict() and to_json(),"
                " redacted from error messages."
            )
        return "\n\n".join([t for t in (self.description, " ".join(notes)) if t])


@dataclass(frozen=True)
class EnumMember:
    """One member of a generated enum: its Python name and its value."""

    name: str
    value: str | int


@dataclass(frozen=True)
class Model:
    """A generated type: a pydantic model (`object`), an enum, or a type alias."""

    name: str
    kind: str  # "object" | "enum" | "alias" | "root"
    description: str
    source: str  # JSON pointer of the schema it comes from
    fields: tuple[ModelField, ...] = ()
    bases: tuple[str, ...] = ()  # generated models this class derives from
    extra: str = "allow"  # "allow" | "forbid"
    extra_type: TypeNode | None = None  # value type of typed additionalProperties
    enum_base: str = "str"
    members: tuple[EnumMember, ...] = ()
    type: TypeNode | None = None  # alias / root models: the aliased type
    read_only_fields: tuple[str, ...] = ()
    write_required_fields: tuple[str, ...] = ()  # `ModelField.write_required`'s, by name
    read_required_fields: tuple[str, ...] = ()  # `ModelField.read_required`'s, by name
    # fields sensitive by their name (`ModelField.sensitive`), not secrets: redacted from
    # error messages, masked by `to_dict()`/`to_json()`
    sensitive_fields: tuple[str, ...] = ()
    # optional fields whose schema admits null: the others reject an explicit None when sent
    nullable_fields: tuple[str, ...] = ()
    dependent_required: tuple[tuple[str, tuple[str, ...]], ...] = ()
    required_one_of: tuple[tuple[str, ...], ...] = ()  # exactly one set must be fully given
    required_any_of: tuple[tuple[str, ...], ...] = ()  # at least one set must be fully given
    example: str | None = None  # the schema's own example, as JSON text

    def __getstate__(self) -> dict[str, Any]:
        """The fields only: what `cached_property` stored is left out (rebuilt on use), so
        that equal models pickle to equal bytes (`module_cache` keys modules by them)."""
        state = self.__dict__.copy()
        for name in _CACHED_PROPERTIES:
            state.pop(name, None)
        return state

    @property
    def docstring(self) -> str:
        """The class docstring: the spec's description, or what the class stands for."""
        return self.description or f"The `{self.source.rsplit('/', 1)[-1]}` schema."

    def type_nodes(self) -> list[TypeNode]:
        """Every type expression the model's source holds."""
        nodes = [f.type for f in self.fields]
        if self.type is not None:
            nodes.append(self.type)
        if self.extra_type is not None:
            nodes.append(self.extra_type)
        return nodes

    @cached_property
    def eager_references(self) -> frozenset[str]:
        """Models needed when the module runs: bases, enum defaults, an alias's target.

        An alias that names itself keeps itself here: it cannot run (see ir_modules).
        """
        names = set(self.bases)
        names.update(f.default.enum for f in self.fields if f.default and f.default.enum)
        if self.kind == "alias" and self.type is not None:
            names.update(t.models_of([self.type]))
        return frozenset(names)

    @cached_property
    def references(self) -> frozenset[str]:
        """Every other model this one names (its module imports or defines them)."""
        return frozenset((t.models_of(self.type_nodes()) | self.eager_references) - {self.name})

    @property
    def rules(self) -> bool:
        """True when the class carries read-only or required-set rules (`ClassVar`s)."""
        return bool(
            self.read_only_fields
            or self.write_required_fields
            or self.read_required_fields
            or self.sensitive_fields
            or self.nullable_fields
            or self.dependent_required
            or self.required_one_of
            or self.required_any_of
        )

    @cached_property
    def symbols(self) -> frozenset[Symbol]:
        """Every symbol the model's source uses (worked out once: modules and renderers ask)."""
        found = t.symbols_of(self.type_nodes())
        if self.kind == "enum":
            found.add(S.API_INT_ENUM if self.enum_base == "int" else S.API_ENUM)
        elif self.kind == "alias":
            found.add(S.TYPE_ALIAS)
        elif self.kind == "root":
            found.update((S.ROOT_MODEL, S.ANY))
        else:
            if not self.bases:
                found.add(S.API_MODEL)
            if self.extra == "forbid":
                found.add(S.CONFIG_DICT)
            if self.rules:
                found.add(S.CLASS_VAR)
            if self.extra_type is not None:
                found.add(S.FIELD)
            for field in self.fields:
                value = field.value()
                if isinstance(value, t.Call):
                    found.update(value.symbols())
        return frozenset(found)

    def local_names(self) -> set[str]:
        """Names the model binds in its module: itself and its fields (class namespaces)."""
        return {self.name, *(f.name for f in self.fields)}


# what `Model` caches in its instance dict, which its pickles leave out
_CACHED_PROPERTIES = tuple(n for n, v in vars(Model).items() if isinstance(v, cached_property))
