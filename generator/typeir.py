"""Type expressions as typed values: the only way a type reaches generated code.

A type in the IR is a small frozen node (a builtin, a library symbol, a reference
to a generated model, a generic, a union, a literal of values, an annotated type
carrying metadata calls). Nodes render themselves through a `Names` object, which
decides how each imported symbol is spelled in the module being written, and they
report the symbols they need and the models they reference. Nothing re-parses
generated Python text: unions are unions of nodes, imports come from the nodes,
and every value from a spec reaches code through `literals.literal`.

Expression depth is bounded by the schema translator (it names deeper parts as
aliases), so rendering may recurse; walks over nodes are iterative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .literals import literal
from .symbols import S as S
from .symbols import Symbol as Symbol


class Names(Protocol):
    """How one generated module spells imported symbols and generated models."""

    def symbol(self, symbol: Symbol) -> str:
        """The local spelling of `symbol` (its name, or a private alias)."""

    def model(self, name: str) -> str:
        """The local spelling of the generated model `name`."""

    def builtin(self, name: str) -> str:
        """The local spelling of a builtin type (`builtins.list` where a method is `list`)."""


# ---- nodes ---------------------------------------------------------------------------------
class TypeNode:
    """Base of every type node: renders itself, lists its children and its own symbols."""

    __slots__ = ()

    def render(self, names: Names) -> str:
        """Python source for this type in a module whose spellings `names` decides."""
        raise NotImplementedError

    def children(self) -> tuple[TypeNode, ...]:
        """The nodes directly inside this one."""
        return ()

    def own_symbols(self) -> tuple[Symbol, ...]:
        """Symbols this node itself needs (not its children's)."""
        return ()

    @property
    def bracketed(self) -> bool:
        """True when the rendered text holds brackets (layout decisions)."""
        return True


@dataclass(frozen=True, slots=True)
class Builtin(TypeNode):
    """`str`, `int`, `float`, `bool`, `bytes`, `object` or `None`."""

    name: str

    def render(self, names: Names) -> str:
        return self.name

    @property
    def bracketed(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Named(TypeNode):
    """A library type imported by name (`date`, `UUID`, `Any`, `DateTime`, `EmailStr`…)."""

    symbol: Symbol

    def render(self, names: Names) -> str:
        return names.symbol(self.symbol)

    def own_symbols(self) -> tuple[Symbol, ...]:
        return (self.symbol,)

    @property
    def bracketed(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class ModelRef(TypeNode):
    """A generated model, enum or alias of this package, by its final class name."""

    name: str

    def render(self, names: Names) -> str:
        return names.model(self.name)

    @property
    def bracketed(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Generic(TypeNode):
    """`list[T]`, `dict[str, T]` or `tuple[A, B]` (an empty `tuple[()]` when no args)."""

    origin: str  # "list" | "dict" | "tuple"
    args: tuple[TypeNode, ...]

    def render(self, names: Names) -> str:
        if self.origin == "tuple" and not self.args:
            return "tuple[()]"
        inner = ", ".join(arg.render(names) for arg in self.args)
        return f"{names.builtin(self.origin)}[{inner}]"

    def children(self) -> tuple[TypeNode, ...]:
        return self.args


@dataclass(frozen=True, slots=True)
class LiteralType(TypeNode):
    """`Literal[v1, v2]` of strings, integers and booleans from the spec."""

    values: tuple[str | int | bool, ...]
    # False where nothing validates it (an overload's `stream: Literal[True]`): no guard
    guarded: bool = True

    def render(self, names: Names) -> str:
        inner = ", ".join(literal(v) for v in self.values)
        rendered = f"{names.symbol(S.LITERAL)}[{inner}]"
        guard = self.guard()
        if guard is None:
            return rendered
        check = f"{names.symbol(S.LITERAL_TYPES)}({guard}={literal(False)})"
        return f"{names.symbol(S.ANNOTATED)}[{rendered}, {check}]"

    def guard(self) -> str | None:
        """The JSON type a value must not have although pydantic, which matches literals by
        equality, would take it (`True == 1`, `0 == False`: hostile audit 14): `bools`
        where there are integers but no booleans, `numbers` where the reverse; `floats`
        (a whole float is read as its integer) where there are both."""
        if not self.guarded:
            return None
        bools = any(isinstance(v, bool) for v in self.values)
        numbers = any(isinstance(v, int) and not isinstance(v, bool) for v in self.values)
        if bools != numbers:
            return "numbers" if bools else "bools"
        return "floats" if bools else None  # (`1.0` is `1`, not `True`)

    def own_symbols(self) -> tuple[Symbol, ...]:
        if self.guard() is None:
            return (S.LITERAL,)
        return (S.LITERAL, S.ANNOTATED, S.LITERAL_TYPES)


# unions wider than this are written `Union[...]`: a long chain of `|` nests the parser's
# expression tree (Python's compiler recurses into it), a subscript does not
WIDE_UNION = 32


@dataclass(frozen=True, slots=True)
class Union(TypeNode):
    """`A | B | None`: built by `union()`, flat, without duplicates, `None` last."""

    members: tuple[TypeNode, ...]

    def render(self, names: Names) -> str:
        parts = [member.render(names) for member in self.members]
        if len(parts) > WIDE_UNION:
            return f"{names.symbol(S.UNION)}[{', '.join(parts)}]"
        return " | ".join(parts)

    def rendered_members(self, names: Names) -> list[str] | None:
        """Each member's text, for a layout that splits the union, or None when subscripted."""
        if len(self.members) > WIDE_UNION:
            return None
        return [member.render(names) for member in self.members]

    def children(self) -> tuple[TypeNode, ...]:
        return self.members

    def own_symbols(self) -> tuple[Symbol, ...]:
        return (S.UNION,) if len(self.members) > WIDE_UNION else ()

    @property
    def bracketed(self) -> bool:
        return len(self.members) > WIDE_UNION or any(m.bracketed for m in self.members)


@dataclass(frozen=True, slots=True)
class Subscript(TypeNode):
    """A library generic: `Mapping[str, Any]`, `RawResponse[T]`."""

    symbol: Symbol
    args: tuple[TypeNode, ...]

    def render(self, names: Names) -> str:
        inner = ", ".join(arg.render(names) for arg in self.args)
        return f"{names.symbol(self.symbol)}[{inner}]"

    def children(self) -> tuple[TypeNode, ...]:
        return self.args

    def own_symbols(self) -> tuple[Symbol, ...]:
        return (self.symbol,)


# ---- value expressions ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Lit:
    """A spec value written by the literal writer."""

    value: Any

    def render(self, names: Names) -> str:
        """The literal."""
        return literal(self.value)

    def symbols(self) -> Iterator[Symbol]:
        """A literal needs no import."""
        return iter(())


@dataclass(frozen=True, slots=True)
class MemberRef:
    """`Model.MEMBER`: a member of a generated enum (a default value)."""

    model: str
    member: str

    def render(self, names: Names) -> str:
        """`Enum.MEMBER`."""
        return f"{names.model(self.model)}.{self.member}"

    def symbols(self) -> Iterator[Symbol]:
        """The enum is a model of the package, not an imported symbol."""
        return iter(())


@dataclass(frozen=True, slots=True)
class Call:
    """A call in type metadata: `Field(max_length=3)`, `Tag("a")`, `secret_pattern("x")`.

    Arguments are spec values (written by the literal writer) or nested calls.
    """

    symbol: Symbol
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def render(self, names: Names) -> str:
        """The call's Python source."""
        return f"{names.symbol(self.symbol)}({', '.join(self.rendered_arguments(names))})"

    def rendered_arguments(self, names: Names) -> list[str]:
        """The source of each argument (`value` or `key=value`), for a layout."""
        parts = [_argument(a, names) for a in self.args]
        parts.extend(f"{key}={_argument(value, names)}" for key, value in self.kwargs)
        return parts

    def symbols(self) -> Iterator[Symbol]:
        """This call's symbol and those of nested calls."""
        yield self.symbol
        for value in (*self.args, *(v for _, v in self.kwargs)):
            if isinstance(value, Call):
                yield from value.symbols()


Expr = Call | MemberRef | Lit
"""A value expression in generated code (a default, a `Field(...)`)."""


def _argument(value: Any, names: Names) -> str:
    if isinstance(value, (Call, MemberRef, Lit)):
        return value.render(names)
    return literal(value)


@dataclass(frozen=True, slots=True)
class Annotated(TypeNode):
    """`Annotated[base, meta…]`: constraints and validators on a type."""

    base: TypeNode
    metadata: tuple[Call, ...]

    def render(self, names: Names) -> str:
        meta = ", ".join(call.render(names) for call in self.metadata)
        return f"{names.symbol(S.ANNOTATED)}[{self.base.render(names)}, {meta}]"

    def children(self) -> tuple[TypeNode, ...]:
        return (self.base,)

    def own_symbols(self) -> tuple[Symbol, ...]:
        return (S.ANNOTATED, *(s for call in self.metadata for s in call.symbols()))


ANY = Named(S.ANY)
NONE = Builtin("None")
STR = Builtin("str")
INT = Builtin("int")
FLOAT = Builtin("float")
BOOL = Builtin("bool")
BYTES = Builtin("bytes")
# the type of a schema no value is valid against (`enum: []`): `Never` to mypy
NEVER = Named(S.NO_VALUE)
# integers of `format: int32`/`int64`: strict `int`s within the format's range (runtime
# `_scalars.Int32`/`Int64`); `int` to mypy, and to every analysis with these bounds
INT32 = Named(S.INT32)
INT64 = Named(S.INT64)
SIZED_INTS: dict[Symbol, tuple[int, int]] = {
    S.INT32: (-(2**31), 2**31 - 1),
    S.INT64: (-(2**63), 2**63 - 1),
}


def sized_int_bounds(node: TypeNode) -> tuple[int, int] | None:
    """The (lowest, highest) value of a sized integer node (`Int32`), else None."""
    return SIZED_INTS.get(node.symbol) if isinstance(node, Named) else None


# ---- constructors --------------------------------------------------------------------------
def union(members: Iterable[TypeNode]) -> TypeNode:
    """The union of `members`: flattened, duplicates dropped, literals merged, `None` last.

    `Any` absorbs everything; no members at all is `Any`.
    """
    given = members if isinstance(members, list) else list(members)
    if len(given) == 1 and not isinstance(given[0], (Union, LiteralType)):
        return given[0]  # the common case: nothing to flatten, merge or reorder
    flat: list[TypeNode] = []
    stack = given[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, Union):
            stack.extend(reversed(node.members))
        else:
            flat.append(node)
    seen: dict[TypeNode, None] = {}
    literal_values: dict[tuple[type, str | int | bool], None] = {}
    literal_at: int | None = None
    guarded = False  # (the merged literal is checked when one of them is)
    has_none = False
    for node in flat:
        if node == ANY:
            return ANY
        if node == NONE:
            has_none = True
        elif isinstance(node, LiteralType):
            if literal_at is None:
                literal_at = len(seen)
                seen[node] = None  # placeholder, replaced below
            guarded = guarded or node.guarded
            for value in node.values:
                literal_values[(type(value), value)] = None
        else:
            seen[node] = None
    ordered = list(seen)
    if literal_at is not None:
        merged = LiteralType(tuple(v for _, v in literal_values), guarded)
        ordered[literal_at] = merged
        if any(isinstance(v, (bool, int)) for v in merged.values):
            # pydantic matches literals by equality even when strict (`1 == True`): a
            # `Literal[False]` before an `int` took `0` for `False`; after the other
            # members, it gets only what they refuse (a strict `int` refuses `False`)
            ordered.append(ordered.pop(literal_at))
    if has_none:
        ordered.append(NONE)
    if not ordered:
        return ANY
    if len(ordered) == 1:
        return ordered[0]
    return Union(tuple(ordered))


def optional(node: TypeNode) -> TypeNode:
    """`node | None` (unchanged when it already admits None)."""
    if isinstance(node, (Union, LiteralType)) or node == NONE or node == ANY:
        return union([node, NONE])
    return Union((node, NONE))


def without_none(node: TypeNode) -> TypeNode:
    """`node` with `None` taken out of a top-level union."""
    if isinstance(node, Union):
        return union(m for m in node.members if m != NONE)
    return ANY if node == NONE else node


def admits_none(node: TypeNode) -> bool:
    """True when `None` is a member (or the whole) of the top-level type."""
    return node == NONE or node == ANY or (isinstance(node, Union) and NONE in node.members)


def constrained(base: TypeNode, constraints: Iterable[tuple[str, Any]]) -> TypeNode:
    """`Annotated[base, Field(**constraints)]`, or `base` when there are none."""
    kwargs = tuple(constraints)
    if not kwargs:
        return base
    return annotated(base, Call(S.FIELD, kwargs=kwargs))


def annotated(base: TypeNode, *metadata: Call) -> TypeNode:
    """`Annotated[base, …]`; nested `Annotated` metadata is folded into one."""
    if isinstance(base, Annotated):
        return Annotated(base.base, (*base.metadata, *metadata))
    return Annotated(base, metadata)


# ---- walks ---------------------------------------------------------------------------------
def walk(roots: Iterable[TypeNode]) -> Iterator[TypeNode]:
    """Every node under `roots` (iterative, depth-first)."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children())


def symbols_of(roots: Iterable[TypeNode]) -> set[Symbol]:
    """Every symbol the nodes under `roots` need."""
    return {symbol for node in walk(roots) for symbol in node.own_symbols()}


def spelled_names(roots: Iterable[TypeNode]) -> frozenset[str]:
    """The module-level names the nodes under `roots` spell when rendered: builtins
    (`list`, `str`), imported symbols (`date`, `Annotated`) and models, as written by
    default (a module may respell one, `builtins.list`: the module name is reserved apart)."""
    found: set[str] = set()
    for node in walk(roots):
        if isinstance(node, Builtin):
            found.add(node.name)
        elif isinstance(node, Generic):
            found.add(node.origin)
        elif isinstance(node, ModelRef):
            found.add(node.name)
        found.update(symbol.name for symbol in node.own_symbols())
    return frozenset(found)


def with_symbols(node: TypeNode, swaps: Mapping[Symbol, Symbol]) -> TypeNode:
    """`node` with each library symbol that `swaps` maps replaced by its counterpart, at
    any depth (`AsyncStream[Item] | str` for `Stream[Item] | str`); `node` itself when it
    names none of them."""
    if swaps.keys().isdisjoint(symbols_of([node])):
        return node
    return _swapped(node, swaps)


def _swapped(node: TypeNode, swaps: Mapping[Symbol, Symbol]) -> TypeNode:
    if isinstance(node, Named):
        return Named(swaps.get(node.symbol, node.symbol))
    if isinstance(node, Subscript):
        args = tuple(_swapped(a, swaps) for a in node.args)
        return Subscript(swaps.get(node.symbol, node.symbol), args)
    if isinstance(node, Union):
        return Union(tuple(_swapped(m, swaps) for m in node.members))
    if isinstance(node, Generic):
        return Generic(node.origin, tuple(_swapped(a, swaps) for a in node.args))
    if isinstance(node, Annotated):
        return Annotated(_swapped(node.base, swaps), node.metadata)
    return node


def models_of(roots: Iterable[TypeNode]) -> set[str]:
    """Names of every generated model the nodes under `roots` reference."""
    return {node.name for node in walk(roots) if isinstance(node, ModelRef)}


def depth(node: TypeNode) -> int:
    """Nesting depth of a type expression (1 for a leaf)."""
    best = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in current.children())
    return best


def is_subtype(
    child: TypeNode,
    parent: TypeNode,
    subclass: Callable[[str, TypeNode], bool] | None = None,
) -> bool:
    """Conservatively: does mypy accept `child` where `parent` is declared?

    Used to decide whether a subclass may redeclare an inherited field; False when
    unsure (the class is then flattened instead of subclassed). `subclass(a, b)`
    tells whether generated model `a` derives from model `b`.
    """
    child, parent = _strip(child), _strip(parent)
    return child == NEVER or _subtype(child, parent, subclass)


def _subtype(
    child: TypeNode, parent: TypeNode, subclass: Callable[[str, TypeNode], bool] | None
) -> bool:
    if child == parent or parent == ANY:
        return True
    if isinstance(parent, Union):
        members = child.members if isinstance(child, Union) else (child,)
        return all(any(_subtype(m, p, subclass) for p in parent.members) for m in members)
    if isinstance(child, Union):
        return all(_subtype(m, parent, subclass) for m in child.members)
    if isinstance(child, ModelRef):
        return subclass is not None and subclass(child.name, parent)
    if isinstance(child, Generic) and isinstance(parent, Generic):
        if child.origin != parent.origin or len(child.args) != len(parent.args):
            return False
        if child.origin == "tuple":  # covariant
            return all(
                _subtype(c, p, subclass) for c, p in zip(child.args, parent.args, strict=True)
            )
        return child.args == parent.args  # list and dict are invariant
    if isinstance(child, LiteralType):
        if isinstance(parent, LiteralType):
            return set(child.values) <= set(parent.values)
        if parent == STR:
            return all(isinstance(v, str) for v in child.values)
        if parent == INT:
            return all(isinstance(v, int) for v in child.values)
        if parent == BOOL:
            return all(isinstance(v, bool) for v in child.values)
    if parent == FLOAT and child in (INT, BOOL):
        return True
    return parent == INT and child == BOOL


def plain(node: TypeNode) -> TypeNode:
    """The type without its `Annotated` metadata, at any depth (as mypy reads it)."""
    return _strip(node)


def _strip(node: TypeNode) -> TypeNode:
    """mypy reads `Annotated[X, …]` as `X`, at any depth (and `Int32` as `int`)."""
    while isinstance(node, Annotated):
        node = node.base
    if isinstance(node, Named) and node.symbol in SIZED_INTS:
        return INT
    if isinstance(node, Union):
        return union(_strip(m) for m in node.members)
    if isinstance(node, Generic):
        return Generic(node.origin, tuple(_strip(a) for a in node.args))
    return node
