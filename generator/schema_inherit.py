"""Stage 3a (models), phase 2: object drafts → classes, inheritance decided, fields named.

`Inheritance.decide` decides inheritance for every object at once: a class derives from
the classes its `allOf` references, unless that cannot work (an `allOf` cycle, an
impossible method resolution order, a redeclared field whose type mypy would reject, an
attribute name clashing with a wire name); such a class is flattened instead: it holds
every inherited field itself. Attribute names are decided last, with every wire name of
the class reserved, so one input key always fills exactly one field. Phase 1 (the drafts)
is `schema_models`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import typeir as t
from .ir import Default, Model, ModelField
from .naming import NameScope, Style, field_scope, is_field_name
from .schema_plans import Plan
from .typeir import TypeNode

# passes of the override check before every redeclaring subclass is flattened at once
MAX_OVERRIDE_ROUNDS = 3


@dataclass
class DraftField:
    """A property of an object schema, translated but not yet named."""

    alias: str
    type: TypeNode  # `| None` included when optional
    default: Default | None
    description: str
    read_only: bool
    write_only: bool
    secret: bool
    deprecated: bool
    nullable: bool = False  # the schema admits null (not just "may be left out")
    sensitive: bool = False  # `ModelField.sensitive`
    also_accepts: str | None = None  # another accepted spelling (`x-accept-property-casing`)
    example: str | None = None  # the property schema's own example (JSON text)
    write_required: bool = False  # `ModelField.write_required`
    read_required: bool = False  # `ModelField.read_required`


@dataclass
class ObjectDraft:
    """An object schema translated on its own (before inheritance is decided)."""

    plan: Plan
    bases: list[str]  # candidate base classes (model names), deduplicated
    fields: list[DraftField]
    extra: str
    extra_type: TypeNode | None
    dependent: dict[str, list[str]]
    required_sets: dict[str, list[list[str]]]  # "oneOf"/"anyOf" -> alternatives (aliases)
    description: str
    example: str | None = None  # the schema's own example (JSON text)


@dataclass
class ClassShape:
    """An object's final shape: its Python bases and all its fields (own and inherited)."""

    bases: tuple[str, ...]
    mro: tuple[str, ...]  # the class itself first, as Python linearises it
    fields: dict[str, ModelField] = field(default_factory=dict)  # alias -> field, MRO order
    read_only: tuple[str, ...] = ()
    dependent: tuple[tuple[str, tuple[str, ...]], ...] = ()


class Inheritance:
    """Phase 2 over every object draft: each class's bases and named fields."""

    def __init__(
        self, drafts: dict[str, ObjectDraft], enum_base: Callable[[str], str | None]
    ) -> None:
        """`enum_base(name)`: "int" or "str" for an enum model, None for any other model."""
        self.drafts = drafts
        self.enum_base = enum_base
        self._finals: dict[str, ClassShape] = {}

    def decide(self, fixed: Mapping[str, ClassShape] | None = None) -> dict[str, ClassShape]:
        """Every object's final shape (bases, named fields), by model name; the shapes of
        `fixed` (decided earlier, over drafts whose bases are all among them) are kept."""
        finals = self._finals
        order = [name for name in self._base_first() if fixed is None or name not in fixed]
        flat: set[str] = set()
        for round_ in range(MAX_OVERRIDE_ROUNDS + 1):
            finals.clear()
            finals.update(fixed or {})
            for name in order:
                draft = self.drafts[name]
                finals[name] = (
                    self._flattened(draft) if name in flat else self._final(draft, finals)
                )
            # overrides were checked against the drafts' ancestry; a field's class may have
            # been flattened since (it is then no subclass of the base's field type): such
            # a subclass is flattened too, until every override holds for the final classes
            broken = {name for name in order if not self._overrides_hold(name, finals)}
            if not broken:
                break
            flat |= broken
            if round_ == MAX_OVERRIDE_ROUNDS - 1:
                # flattening still spreads (a long chain of such classes): every subclass
                # that redeclares a field is flattened at once, which always holds
                flat |= {n for n in order if finals[n].bases and self.drafts[n].fields}
        return finals

    def _base_first(self) -> list[str]:
        """Object names, each after its candidate bases (cycles broken by planning order)."""
        done: set[str] = set()
        visiting: set[str] = set()
        result: list[str] = []
        for root in self.drafts:
            stack = [(root, False)]
            while stack:
                name, expanded = stack.pop()
                if expanded:
                    visiting.discard(name)
                    done.add(name)
                    result.append(name)
                    continue
                if name in done or name in visiting:
                    continue
                visiting.add(name)
                stack.append((name, True))
                for base in reversed(self.drafts[name].bases):
                    if base not in done and base not in visiting and base in self.drafts:
                        stack.append((base, False))
        return result

    def _ancestors(self, name: str) -> set[str]:
        """Every model reachable through candidate bases (the model itself if it is cyclic)."""
        seen: set[str] = set()
        stack = list(self.drafts[name].bases)
        while stack:
            current = stack.pop()
            if current in seen or current not in self.drafts:
                continue
            seen.add(current)
            stack.extend(self.drafts[current].bases)
        return seen

    def _final(self, draft: ObjectDraft, finals: dict[str, ClassShape]) -> ClassShape:
        name = draft.plan.name
        candidates = [b for b in draft.bases if b in self.drafts]
        if candidates and name not in self._ancestors(name):
            lineages = {b: self._ancestors(b) for b in candidates}
            bases = [b for b in candidates if not any(b in lineages[o] for o in candidates)]
            if all(b in finals for b in bases) and _mro(bases, finals) is not None:
                result = self._subclass(draft, bases, finals)
                if result is not None:
                    return result
        return self._flattened(draft)

    def _subclass(
        self, draft: ObjectDraft, bases: list[str], finals: dict[str, ClassShape]
    ) -> ClassShape | None:
        """The class deriving from `bases`, or None when its fields cannot override theirs."""
        inherited: dict[str, ModelField] = {}
        for base in bases:
            for alias, model_field in finals[base].fields.items():
                first = inherited.setdefault(alias, model_field)
                if first is not model_field and not _same_declaration(first, model_field):
                    return None  # mypy: the bases' definitions of it are incompatible
        taken_names = {f.name: alias for alias, f in inherited.items()}
        wire = set(inherited) | {f.alias for f in draft.fields}
        scope = field_scope(wire)
        for attribute in taken_names:
            scope.reserve(attribute)
        fields = dict(inherited)
        own_names = _claim_names([f.alias for f in draft.fields if f.alias not in inherited], scope)
        for own in draft.fields:
            if own.alias in inherited:
                parent = inherited[own.alias]
                if not t.is_subtype(own.type, parent.type, self._derives):
                    return None
                if parent.read_only and not own.read_only:  # (W314: sent after all) the
                    # base's `_read_only` would leave it out of what is sent: it was
                    # required and never sent (hostile sweep)
                    return None
                fields[own.alias] = _named(own, parent.name)
            else:
                if own.alias in taken_names:  # an inherited attribute is called like this key
                    return None
                fields[own.alias] = _named(own, own_names[own.alias])
        read_only = [n for b in bases for n in finals[b].read_only]
        dependent = [d for b in bases for d in finals[b].dependent]
        return self._with_rules(draft, tuple(bases), fields, read_only, dependent)

    def _flattened(self, draft: ObjectDraft) -> ClassShape:
        """A class without bases holding every field of its `allOf` lineage itself."""
        chain = [draft.plan.name]
        seen = {draft.plan.name}
        index = 0
        while index < len(chain):  # breadth-first: nearest ancestors first
            for base in self.drafts[chain[index]].bases:
                if base in self.drafts and base not in seen:
                    seen.add(base)
                    chain.append(base)
            index += 1
        collected: dict[str, DraftField] = {}
        for name in reversed(chain):  # farthest ancestor first; nearer ones override
            for own in self.drafts[name].fields:
                collected[own.alias] = own
        names = _claim_names(list(collected), field_scope(collected))
        fields = {alias: _named(own, names[alias]) for alias, own in collected.items()}
        dependent: list[tuple[str, tuple[str, ...]]] = []
        for name in chain[1:]:
            dependent.extend(_dependent(self.drafts[name].dependent, fields))
        return self._with_rules(draft, (), fields, [], dependent)

    def _with_rules(
        self,
        draft: ObjectDraft,
        bases: tuple[str, ...],
        fields: dict[str, ModelField],
        read_only: list[str],
        dependent: list[tuple[str, tuple[str, ...]]],
    ) -> ClassShape:
        read_only = list(
            dict.fromkeys([*read_only, *(f.name for f in fields.values() if f.read_only)])
        )
        dependent = list(dict.fromkeys([*dependent, *_dependent(draft.dependent, fields)]))
        mro = (draft.plan.name, *(_mro(list(bases), self._finals) or []))
        return ClassShape(bases, mro, fields, tuple(read_only), tuple(dependent))

    def _overrides_hold(self, name: str, finals: dict[str, ClassShape]) -> bool:
        """Does every field `name` redeclares narrow its bases' type, by the final classes?"""
        final = finals[name]
        own = {f.alias for f in self.drafts[name].fields}
        for base in final.bases:
            for alias, parent in finals[base].fields.items():
                if alias in own and not t.is_subtype(
                    final.fields[alias].type, parent.type, self._derives_final
                ):
                    return False
        return True

    def _derives_final(self, child: str, parent: TypeNode) -> bool:
        """`_derives`, by the classes as finally decided (their MRO) where known."""
        if isinstance(parent, t.ModelRef) and child in self._finals:
            return parent.name in self._finals[child].mro[1:]
        return self._derives(child, parent)

    def _derives(self, child: str, parent: TypeNode) -> bool:
        """Is the model `child` a `parent` (a derived class, or an enum of `str`/`int`)?"""
        if isinstance(parent, t.ModelRef):
            return child in self.drafts and parent.name in self._ancestors(child)
        enum_base = self.enum_base(child)
        if enum_base is None:
            return False
        base = t.INT if enum_base == "int" else t.STR
        return parent == base or (base == t.INT and parent == t.FLOAT)


def object_model(draft: ObjectDraft, final: ClassShape, finals: dict[str, ClassShape]) -> Model:
    """The `Model` of an object draft, its shape decided (`Inheritance.decide`)."""
    inherited: set[str] = set()
    for base in final.bases:
        inherited.update(finals[base].fields)
    own_aliases = {f.alias for f in draft.fields}
    fields = tuple(
        f for alias, f in final.fields.items() if alias in own_aliases or alias not in inherited
    )
    by_alias = {alias: f.name for alias, f in final.fields.items()}
    sets = {
        key: (
            tuple(
                tuple(by_alias[a] for a in alternative)
                for alternative in alternatives
                if all(a in by_alias for a in alternative)
            )
            if alternatives and all(all(a in by_alias for a in alt) for alt in alternatives)
            else ()
        )
        for key, alternatives in draft.required_sets.items()
    }
    rules_inherited = bool(final.bases)
    own_rules = final.dependent if not rules_inherited or draft.dependent else ()
    return Model(
        name=draft.plan.name,
        kind="object",
        description=draft.description,
        source=draft.plan.pointer,
        fields=fields,
        bases=final.bases,
        extra=draft.extra,
        extra_type=draft.extra_type,
        read_only_fields=(final.read_only if any(f.read_only for f in fields) else ()),
        write_required_fields=tuple(
            sorted(f.name for f in final.fields.values() if f.write_required)
        ),
        read_required_fields=tuple(
            sorted(f.name for f in final.fields.values() if f.read_required)
        ),
        sensitive_fields=tuple(
            sorted(f.name for f in final.fields.values() if f.sensitive and not f.secret)
        ),
        nullable_fields=tuple(
            f.name for f in final.fields.values() if f.nullable and not f.required
        ),
        dependent_required=own_rules,
        required_one_of=sets["oneOf"],
        required_any_of=sets["anyOf"],
        example=draft.example,
    )


def _same_declaration(a: ModelField, b: ModelField) -> bool:
    """Do two bases declare a field alike (same attribute, same type once mypy strips
    `Annotated`)? Otherwise a class cannot derive from both."""
    return a.name == b.name and t.is_subtype(a.type, b.type) and t.is_subtype(b.type, a.type)


def _named(draft: DraftField, name: str) -> ModelField:
    return ModelField(
        name=name,
        alias=draft.alias,
        type=draft.type,
        default=draft.default,
        description=draft.description,
        read_only=draft.read_only,
        write_only=draft.write_only,
        secret=draft.secret,
        sensitive=draft.sensitive,
        deprecated=draft.deprecated,
        nullable=draft.nullable,
        also_accepts=draft.also_accepts,
        example=draft.example,
        write_required=draft.write_required,
        read_required=draft.read_required,
    )


def _claim_names(aliases: list[str], scope: NameScope) -> dict[str, str]:
    """Attribute names: a wire name that is already a good identifier keeps it; the rest
    are styled and made unique (never equal to another field's wire name)."""
    names: dict[str, str] = {}
    kept: set[str] = set()  # names.values(), as a set: 120,000 properties took minutes
    for alias in aliases:
        if is_field_name(alias) and alias not in kept and _free(scope, alias):
            scope.reserve(alias)
            names[alias] = alias
            kept.add(alias)
    for alias in aliases:
        if alias not in names:
            names[alias] = scope.claim(alias, Style.SNAKE, prefix="field")
    return names


def _free(scope: NameScope, name: str) -> bool:
    """Not taken by another field (wire names are reserved, but a field may keep its own)."""
    return not scope.is_claimed(name)


def _dependent(
    rules: dict[str, list[str]], fields: dict[str, ModelField]
) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (fields[key].name, tuple(fields[d].name for d in deps if d in fields))
        for key, deps in rules.items()
        if key in fields
    ]


def _mro(bases: list[str], finals: dict[str, ClassShape]) -> list[str] | None:
    """C3 linearisation of a class with `bases` (without itself); None when Python refuses it."""
    sequences = [list(finals[b].mro) for b in bases] + [list(bases)]
    result: list[str] = []
    while True:
        sequences = [s for s in sequences if s]
        if not sequences:
            return result
        for sequence in sequences:
            head = sequence[0]
            if not any(head in s[1:] for s in sequences):
                break
        else:
            return None
        result.append(head)
        sequences = [s[1:] if s[0] == head else s for s in sequences]
