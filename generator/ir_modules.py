"""Stage 3c: split the models into modules that import each other without cycles.

Each strongly connected group of models (models that reference each other,
directly or through others) stays in one module, together with the groups that
only it uses (its inline enums and objects, say); every other reference becomes
an import from the module that defines the name. Module imports therefore form a
DAG, so `models/__init__.py` can load any model lazily: touching one model
imports its module and what that module needs, never the whole set.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import typeir as t
from .graphs import strongly_connected
from .ir import Model
from .naming import MODULE_NAME_LENGTH, NameScope, Style
from .naming_reserved import WINDOWS_DEVICE_NAMES

_KIND_ORDER = {"enum": 0, "object": 1, "root": 1, "alias": 2}


@dataclass(frozen=True)
class ModelModule:
    """One module of `<package>/models/`: its models and the sibling imports they need."""

    name: str
    models: tuple[Model, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (sibling module, names)
    # names that only inherited field annotations use: pydantic evaluates a base class's
    # unresolved annotations in the subclass's module, so they must be importable there
    reexports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # library symbols (`Annotated`, `Field`, `Strict`, `DateTime`…) that only inherited
    # field annotations use, for the same reason (amazonaws fsx: `name 'Annotated' is not
    # defined` building a subclass in a module that declares no constrained field itself)
    inherited_symbols: tuple[t.Symbol, ...] = ()


def _groups(components: list[list[str]], graph: dict[str, list[str]]) -> list[list[list[str]]]:
    """Components grouped with the one component that uses them, when only one does.

    `components` come dependencies first. A component used by exactly one other
    joins that one's group (transitively), so a model's module also holds the
    models only it needs, such as its inline enums and objects. Every import between
    groups then targets a group's root, which keeps module imports acyclic, and a
    model still loads nothing it does not need.
    """
    component_of = {name: i for i, component in enumerate(components) for name in component}
    dependents: list[set[int]] = [set() for _ in components]
    for i, component in enumerate(components):
        for name in component:
            for dependency in graph[name]:
                if component_of[dependency] != i:
                    dependents[component_of[dependency]].add(i)
    root = list(range(len(components)))
    for i in reversed(range(len(components))):  # dependents before their dependencies
        if len(dependents[i]) == 1:
            root[i] = root[next(iter(dependents[i]))]
    members: dict[int, list[list[str]]] = {}
    for i, component in enumerate(components):  # dependencies first within a group too
        members.setdefault(root[i], []).append(component)
    return [members[r] for r in sorted(members)]


def partition_models(
    models: Sequence[Model], earlier: Sequence[ModelModule] = ()
) -> tuple[ModelModule, ...]:
    """Group models into modules (each strongly connected group with what only it uses).

    Within a module, models come in an order Python can execute: a class after
    its bases and after the enums its defaults name, an alias after what it
    aliases. Aliases that alias each other in a cycle cannot be ordered: they
    become root models, whose types are read lazily.

    `earlier`: the modules of models partitioned before (the components', for an early
    start), which `models` may reference (imported from those modules) but which
    reference none of them; the new modules' names differ from theirs.
    """
    position = {model.name: i for i, model in enumerate(models)}
    by_name = {model.name: model for model in models}
    graph = {model.name: sorted(d for d in model.references if d in by_name) for model in models}
    owner = {model.name: module.name for module in earlier for model in module.models}
    if earlier:
        known = {model.name: model for module in earlier for model in module.models}
        dependencies = {
            name: sorted(d for d in by_name[name].references if d in owner) + graph[name]
            for name in graph
        }
        by_name = {**known, **by_name}
    else:
        dependencies = graph
    scope = NameScope({"__init__", *WINDOWS_DEVICE_NAMES, *(module.name for module in earlier)})
    groups: list[tuple[str, list[Model]]] = []
    for run in _groups(strongly_connected(graph), graph):
        names = [name for component in run for name in component]
        first = min(run[-1], key=position.__getitem__)  # named after its root
        module = scope.claim(first, Style.SNAKE, prefix="m", max_length=MODULE_NAME_LENGTH)
        members = _executable_order([by_name[n] for n in names], position)
        for member in members:
            owner[member.name] = module
        groups.append((module, members))
    result = []
    for module, members in groups:
        needed: dict[str, set[str]] = {}
        for member in members:
            for dependency in dependencies[member.name]:
                if owner[dependency] != module:
                    needed.setdefault(owner[dependency], set()).add(dependency)
        imports = tuple((m, tuple(sorted(names))) for m, names in sorted(needed.items()))
        inherited: dict[str, set[str]] = {}
        local = {member.name for member in members}
        for member in members:
            for name in _inherited_references(member, by_name):
                if name not in local and name not in needed.get(owner[name], ()):
                    inherited.setdefault(owner[name], set()).add(name)
        reexports = tuple((m, tuple(sorted(names))) for m, names in sorted(inherited.items()))
        symbols = set().union(*(_inherited_symbols(member, by_name) for member in members))
        extra: tuple[t.Symbol, ...] = ()
        if symbols:  # the models' own symbols only then: the renderers work them out anyway
            own = set().union(*(member.symbols for member in members))
            extra = tuple(sorted(symbols - own, key=lambda s: (s.module, s.name)))
        result.append(ModelModule(module, tuple(members), imports, reexports, extra))
    return tuple(sorted(result, key=lambda m: m.name))


def _executable_order(members: list[Model], position: dict[str, int]) -> list[Model]:
    """Kahn's algorithm over the eager references inside one module (see partition_models)."""
    local = {m.name: m for m in members}
    waiting = {m.name: {d for d in m.eager_references if d in local} for m in members}
    users: dict[str, list[str]] = {name: [] for name in local}
    for name, deps in waiting.items():
        for dep in deps:
            users[dep].append(name)

    def entry(name: str) -> tuple[int, int, str]:
        return _KIND_ORDER[local[name].kind], position[name], name

    ready = [entry(n) for n, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[Model] = []
    placed: set[str] = set()
    while len(ordered) < len(local):
        if not ready:  # an alias cycle: the first alias still waiting becomes a root model
            stuck = [n for n in local if n not in placed]
            aliases = [n for n in stuck if local[n].kind == "alias"] or stuck
            name = min(aliases, key=entry)
            local[name] = replace(local[name], kind="root")
            waiting[name] = set()
            heapq.heappush(ready, entry(name))
            continue
        _, _, name = heapq.heappop(ready)
        if name in placed:
            continue
        placed.add(name)
        ordered.append(local[name])
        for user in users[name]:
            waiting[user].discard(name)
            if not waiting[user] and user not in placed:
                heapq.heappush(ready, entry(user))
    return ordered


def _ancestors(model: Model, by_name: dict[str, Model]) -> list[Model]:
    """Every base of `model`, through every level, each once."""
    found: list[Model] = []
    seen: set[str] = set()
    stack = list(model.bases)
    while stack:
        name = stack.pop()
        base = by_name.get(name)
        if base is None or name in seen:
            continue
        seen.add(name)
        found.append(base)
        stack.extend(base.bases)
    return found


def _inherited_symbols(model: Model, by_name: dict[str, Model]) -> set[t.Symbol]:
    """The symbols the annotations of the fields `model` inherits use."""
    return t.symbols_of(f.type for base in _ancestors(model, by_name) for f in base.fields)


def _inherited_references(model: Model, by_name: dict[str, Model]) -> set[str]:
    """Models named by the fields `model` inherits (through every base, iteratively).

    Their modules come before the base's in the module DAG, so importing them from the
    subclass's module cannot create an import cycle.
    """
    found = t.models_of(f.type for base in _ancestors(model, by_name) for f in base.fields)
    return {n for n in found if n in by_name} - {model.name}
