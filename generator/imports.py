"""Imports and local spellings of one generated module, decided from the IR.

`ModuleNames` tells how a symbol is spelled in a module: by its own name, or,
when that name is a model or a field of the module (a schema may be called
`Field`, `Any` or `date`), by a private alias (`from pydantic import Field as
_Field`). Generated names never start with an underscore, so an alias cannot be
shadowed. `import_block` writes the import statements in the order ruff's isort
rules (its defaults) want them; `all_sorted` sorts `__all__` as ruff's RUF022 does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from . import layout
from .typeir import Symbol

THIRD_PARTY = frozenset({"httpx", "pydantic", "typing_extensions"})
_DIGITS = re.compile(r"([0-9]+)")  # natord reads ASCII digits only (Rust's `to_digit(10)`)

# A digit run's place in natord's order: `(0, 0, digits)` for a run with a leading zero,
# `(1, length, digits)` for any other.
RunKey = tuple[int, int, str]
NaturalKey = tuple[str | RunKey, ...]


def _run_key(digits: str) -> RunKey:
    # natord (a port of strnatcmp.c) compares two runs left-aligned, digit by digit, when
    # either starts with 0 (`034` < `1`, `01` < `1`, `03` < `034`), else right-aligned:
    # the longer run is the larger, then the first differing digit (`2` < `10`). A run with a
    # leading zero is therefore below every run without one, and runs of one kind order by
    # their digits as text (zeros) or by length, then text (the rest).
    if digits.startswith("0"):
        return 0, 0, digits
    return 1, len(digits), digits


@functools.cache  # names recur in every sort of imports and `__all__` (80,000 keys on GitHub)
def natural(text: str) -> NaturalKey:
    """A key ordering text as ruff's natord does: `Bar2` before `Bar10`, `F034` before `F1`.

    Text between digit runs compares as text. Where natord meets a digit on one side and
    another character on the other, it compares the two characters: a text piece followed by
    a run ends with a `0` here, which sorts the run after `.` or `-` and before `_` or a
    letter, and compares equal with the `0` of another piece followed by a run, whose runs
    then decide.
    """
    parts = _DIGITS.split(text)
    last = len(parts) - 1
    return tuple(
        _run_key(p) if i % 2 else (p + "0" if i < last else p) for i, p in enumerate(parts)
    )


@functools.cache
def member_key(name: str) -> tuple[int, NaturalKey, NaturalKey]:
    """isort's order of imported names: CONSTANTS, then Classes, then the rest."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, natural(name.lower()), natural(name)


@functools.cache
def all_key(name: str) -> tuple[int, NaturalKey]:
    """RUF022's order of `__all__`: SCREAMING_CASE, then CamelCase, then the rest."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, natural(name)


def all_sorted(names: Iterable[str]) -> list[str]:
    """`__all__` entries in RUF022's order."""
    return sorted(names, key=all_key)


class ModuleNames:
    """Spellings for one module: symbols that clash with a local name get a private alias."""

    def __init__(self, local: Iterable[str] = (), shadowed: Iterable[str] = ()) -> None:
        self._local = frozenset(local)
        self._shadowed = frozenset(shadowed)

    def symbol(self, symbol: Symbol) -> str:
        """`Field`, or `_Field` when the module defines or imports a `Field` of its own."""
        return "_" + symbol.name if symbol.name in self._local else symbol.name

    def model(self, name: str) -> str:
        """Models are imported (or defined) under their own name."""
        return name

    def builtin(self, name: str) -> str:
        """`list`, or `builtins.list` where a class of the module has a member `list`."""
        return "builtins." + name if name in self._shadowed else name

    def import_block(
        self,
        symbols: Iterable[Symbol],
        names: Mapping[str, Iterable[str]] | None = None,
        *,
        depth: int = 1,
        modules: Iterable[str] = (),
        reexports: Mapping[str, Iterable[str]] | None = None,
        aliased: Mapping[str, Iterable[tuple[str, str]]] | None = None,
    ) -> str:
        """The module's import statements, grouped and sorted as ruff's isort wants them.

        `symbols` are spelled as `symbol()` spells them; `names` maps further modules
        (written as they are imported, `.sibling`) to names imported under their own
        spelling; `modules` are plain `import x` statements; `depth` is how many dots
        reach the package root from this module (for the symbols' `._types`);
        `reexports` are written `from m import X as X` (needed at run time, unused in code);
        `aliased` maps further modules to (name, spelling) pairs, `from m import X as _X`.
        """
        members: dict[str, dict[tuple[str, str], None]] = {}
        for symbol in symbols:
            module = absolute_module(symbol.module, depth)
            members.setdefault(module, {})[(symbol.name, self.symbol(symbol))] = None
        for module, imported in (names or {}).items():
            for name in imported:
                members.setdefault(module, {})[(name, name)] = None
        for module, pairs in (aliased or {}).items():
            for pair in pairs:
                members.setdefault(module, {})[pair] = None
        return render_imports(members, modules, reexports=reexports or {})


def absolute_module(module: str, depth: int) -> str:
    """`._types` (relative to the package root) seen from `depth` levels down."""
    if module.startswith("."):
        return "." * depth + module[1:]
    return module


def _section(module: str) -> int:
    if module.startswith("."):
        return 2
    return 1 if module.split(".")[0] in THIRD_PARTY else 0


def _module_key(module: str) -> tuple[int, NaturalKey, NaturalKey]:
    dots = len(module) - len(module.lstrip("."))
    return -dots, natural(module.lower()), natural(module)


def render_imports(
    members: Mapping[str, Mapping[tuple[str, str], None]],
    modules: Iterable[str] = (),
    indent: int = 0,
    reexports: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """Import statements for `module -> {(name, spelling)}`, plus `import module` lines.

    Names imported under their own spelling share one statement per module;
    each aliased name gets its own (ruff's `combine-as-imports = false`).
    """
    sections: list[list[tuple[tuple[object, ...], str]]] = [[], [], []]
    for module in set(modules):
        sections[_section(module)].append(((0, _module_key(module)), f"import {module}"))
    for module, imported in members.items():
        plain = sorted((n for n, s in imported if n == s), key=member_key)
        statements: list[tuple[tuple[object, ...], str]] = []
        if plain:
            statements.append((member_key(plain[0]), layout.from_import(module, plain, indent)))
        for name, spelling in imported:
            if name != spelling:
                text = layout.from_import(module, [f"{name} as {spelling}"], indent)
                statements.append((member_key(name), text))
        for key, text in statements:
            sections[_section(module)].append(((1, _module_key(module), key), text))
    for module, names in (reexports or {}).items():
        for name in names:
            text = layout.from_import(module, [f"{name} as {name}"], indent)
            sections[_section(module)].append(((1, _module_key(module), member_key(name)), text))
    blocks = []
    for section in sections:
        if section:
            blocks.append("\n".join(text for _, text in sorted(section, key=lambda s: s[0])))
    return "\n\n".join(blocks)
