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

THIRD_PARTY = frozenset({"httpx", "pydantic"})
_DIGITS = re.compile(r"(\d+)")


@functools.cache  # names recur in every sort of imports and `__all__` (80,000 keys on GitHub)
def natural(text: str) -> tuple[str | int, ...]:
    """A key ordering digit runs by value (`Bar2` before `Bar10`), as ruff's natord does."""
    parts = _DIGITS.split(text)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


@functools.cache
def member_key(name: str) -> tuple[int, tuple[str | int, ...], tuple[str | int, ...]]:
    """isort's order of imported names: CONSTANTS, then Classes, then the rest."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, natural(name.lower()), natural(name)


@functools.cache
def all_key(name: str) -> tuple[int, tuple[str | int, ...]]:
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
    ) -> str:
        """The module's import statements, grouped and sorted as ruff's isort wants them.

        `symbols` are spelled as `symbol()` spells them; `names` maps further modules
        (written as they are imported, `.sibling`) to names imported under their own
        spelling; `modules` are plain `import x` statements; `depth` is how many dots
        reach the package root from this module (for the symbols' `._types`);
        `reexports` are written `from m import X as X` (needed at run time, unused in code).
        """
        members: dict[str, dict[tuple[str, str], None]] = {}
        for symbol in symbols:
            module = absolute_module(symbol.module, depth)
            members.setdefault(module, {})[(symbol.name, self.symbol(symbol))] = None
        for module, imported in (names or {}).items():
            for name in imported:
                members.setdefault(module, {})[(name, name)] = None
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


def _module_key(
    module: str,
) -> tuple[int, tuple[str | int, ...], tuple[str | int, ...]]:
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
