"""Regenerating after an edit: what did not change is neither rendered again nor rebuilt.

Each model module and resource module of a package is keyed by its IR: a SHA-256 over
the pickled IR node the file is rendered from (a `ModelModule`; a `Resource`, its child
resources reduced to what the parent's module shows of them), with everything else its
template reads (the package's names, the spec's title and file name) and a salt of the
generator's own digest and the generation options. Equal models pickle to equal bytes
(`Model.__getstate__` leaves cached properties out), so a key is stable across runs.

- The package's stamp records the key of each such file (`.sdkgen-inputs`, `modules`).
  When regenerating, a file whose key is the one recorded is the previous file, already
  verified unchanged by the hand-edit check: it is neither rendered nor formatted. The
  stamp is in the output folder, which anyone may edit (a pull request changing a
  generated file and its hash in the stamp, gencli audit 7): the file is reused only when
  the cache folder, the user's own, holds the hash of the text rendered under that key
  (a record of the packs' index), so regenerating never carries over text it did not
  render.
- The pickled nodes are kept in the cache folder (`module_packs`: a few pack files per
  generation, named after it). The API diff of a regeneration (`release`) needs the
  previous generation's IR: it is the new one with each changed file's node replaced by
  the recorded one (`previous_api`). When one is missing, or the stamp was written by
  another generator or with other options, the previous spec's IR is built again.

Built-in templates and black only: a template override may read anything of the `Api`,
and another formatter is not ours to vouch for.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import module_packs
from .ir import Api, Operation, SecurityScheme
from .ir_resources import Resource
from .render import model_module_path, resource_path

if TYPE_CHECKING:
    from .options import Options
    from .write import Reuse

API_ENTRY = "@api"  # the stamp's key of what else the API diff reads (`ApiRest`)
_UNKEYED = ""  # the key of a node that could not be pickled
_KEY_LENGTH = 40


@dataclass(frozen=True)
class ApiRest:
    """What the API diff reads beside the modules' models and the resources' operations."""

    title: str
    version: str
    security_schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]  # the client's own methods (in no resource)


def keyed_nodes(api: Api) -> dict[str, Any]:
    """The IR node each keyed file of `api`'s package is rendered from, by path."""
    package = api.package_name
    nodes: dict[str, Any] = {
        model_module_path(package, module.name): module for module in api.modules
    }
    for resource in api.all_resources:
        # the parent's module shows its children's names and descriptions only
        shown = tuple(replace(c, operations=(), children=()) for c in resource.children)
        nodes[resource_path(package, resource)] = replace(resource, children=shown)
    return nodes


@dataclass(frozen=True)
class Previous:
    """The previous generation of the output folder (when the running generator wrote it,
    with the same options): its root, each file's verified hash, each keyed file's
    recorded key, and the identity of its packs."""

    root: Path
    hashes: Mapping[str, str]
    keys: Mapping[str, str]
    identity: str | None  # of its packs (`module_packs`)


class ModuleCache:
    """The keys of one generation's modules, the previous files they let it reuse, and the
    pickled nodes. Created before any renderer is forked: the children inherit it, key the
    files they render, write the pickles they made into a pack (`seal`) and send both
    back (`shared`, then `learn` in the parent)."""

    def __init__(
        self, salt: str, previous: Previous | None = None, replaced: str | None = None
    ) -> None:
        """`previous`: what this cache may reuse; `replaced`: the identity of the packs of
        the generation this one replaces in its folder (deleted by `prune`)."""
        self._salt = salt.encode()
        self._previous = previous
        self._replaced = replaced
        self._nodes: dict[str, tuple[tuple[str, ...], Any]] = {}
        self._keys: dict[str, str] = {}
        self._pickles: dict[str, bytes] = {}  # made here and not sealed yet
        self._records: dict[str, str] = {}  # key → the hash of the file rendered from it
        self._parts: list[str] = []
        self._identity: str | None = None
        self._reader = module_packs.PackReader(previous.identity if previous else None)

    def add(self, api: Api, *, whole: bool = True) -> None:
        """Know the keyed files of `api`: the whole package's, or (not `whole`) the model
        modules' alone, from the `Api` that `build_api` gives its `on_models`."""
        header = (
            api.package_name,
            api.title,
            api.spec_file,
            api.generator_version,
            api.client_name,
            api.async_client_name,
        )
        nodes = keyed_nodes(api)
        for path, node in nodes.items():
            self._nodes[path] = (header, node)
        in_modules = {id(m) for node in nodes.values() for m in _models(node)}
        in_resources = {id(op) for r in api.all_resources for op in r.operations}
        rest = tuple(op for op in api.operations if id(op) not in in_resources)
        # the diff is reassembled from the nodes only when they hold each model and
        # operation once
        if (
            whole
            and in_modules == {id(m) for m in api.models}
            and len(in_resources) + len(rest) == len(api.operations)
        ):
            entry = ApiRest(api.title, api.version, api.security_schemes, rest)
            self._nodes[API_ENTRY] = (header, entry)

    def key(self, path: str) -> str | None:
        """The key of a keyed file (None for the others, and for a node that cannot be
        pickled: a type nested deeper than pickle recurses, say; it is rendered always)."""
        found = self._keys.get(path)
        if found is None and path in self._nodes:
            try:
                data = pickle.dumps(self._nodes[path], protocol=5)
            except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
                found = _UNKEYED
            else:
                found = self._key_of(data)
                self._pickles[found] = data
            self._keys[path] = found
        return found or None

    def _key_of(self, data: bytes) -> str:
        """The key of a pickled node."""
        return hashlib.sha256(self._salt + b"\0" + data).hexdigest()[:_KEY_LENGTH]

    def seal(self) -> None:
        """Write the pickles made here (and not sealed yet) into a part file of their own."""
        name = module_packs.write_part(self._pickles, self._records)
        self._pickles, self._records = {}, {}
        if name is not None:
            self._parts.append(name)

    def shared(self) -> tuple[dict[str, str], list[str]]:
        """What a forked renderer sends back once sealed: every key known here, its parts."""
        return dict(self._keys), list(self._parts)

    def learn(self, keys: Mapping[str, str], parts: list[str]) -> None:
        """Take what a forked renderer keyed and sealed (`shared`) as done here."""
        self._keys.update(keys)
        self._parts.extend(p for p in parts if p not in self._parts)

    def finish(self, hashes: Mapping[str, str]) -> dict[str, Any]:
        """What the stamp records: the key of every keyed file (`modules`; those the
        renderers did not key are keyed here) and the identity of the generation's packs
        (`module_packs`: a hash of the keys, whatever process keyed which module). The
        packs record each keyed file's hash of `hashes` (the stamp's: `unchanged` asks)."""
        for path in self._nodes:
            key = self.key(path)
            if key is not None and path in hashes:
                self._records[key] = hashes[path]
        self.seal()
        keys = {path: self._keys[path] for path in self._nodes}
        if _UNKEYED in keys.values():  # the next diff cannot be reassembled without it
            keys = {p: k for p, k in keys.items() if k != _UNKEYED and p != API_ENTRY}
        listing = "".join(f"{path}\0{key}\0" for path, key in sorted(keys.items()))
        self._identity = hashlib.sha256(listing.encode()).hexdigest()[:32]
        module_packs.adopt(self._parts, self._identity)
        return {"modules": dict(sorted(keys.items())), "module_packs": self._identity}

    def prune(self) -> None:
        """Once the package is written: delete the packs of the generation it replaced."""
        module_packs.prune(self._replaced, self._identity)

    def unchanged(self, path: str) -> str | None:
        """The previous generation's text of `path` when its IR is the same (verified to
        hold the hash the stamp records, and the hash the cache folder recorded when it was
        rendered under that key); None when it must be rendered."""
        from .stamp import file_hash

        previous = self._previous
        key = self.key(path)
        if previous is None or key is None or previous.keys.get(path) != key:
            return None
        try:
            data = (previous.root / path).read_bytes()
        except OSError:
            return None
        found = file_hash(data)
        if previous.hashes.get(path) != found:
            return None
        if self._reader.record(key) != found:
            return None
        return data.decode("utf-8")

    def can_reassemble(self) -> bool:
        """True when `previous_api` has what it needs: the recorded keys of a previous
        generation by this generator, and each of their nodes in the cache folder."""
        return self._recorded() is not None and self._reader.exists()

    def _recorded(self) -> Previous | None:
        """The previous generation when both it and this one key what the diff reads."""
        previous = self._previous
        if previous is None or API_ENTRY not in previous.keys or API_ENTRY not in self._nodes:
            return None
        return previous

    def previous_api(self, api: Api) -> Api | None:
        """The previous generation's IR as the API diff reads it: `api` with every changed
        file's node replaced by the recorded one (None when one is not in the cache). The
        pickles made on the way are sealed at once: the renderers forked next inherit none."""
        try:
            return self._previous_api(api)
        finally:
            self.seal()

    def _previous_api(self, api: Api) -> Api | None:
        previous = self._recorded()
        if previous is None:
            return None
        models: list[Any] = []
        operations: list[Operation] = []
        rest: ApiRest | None = None
        for path, old_key in previous.keys.items():
            node = self._nodes[path][1] if self.key(path) == old_key else self._load(old_key)
            if node is None:
                return None
            if isinstance(node, ApiRest):
                rest = node
            elif isinstance(node, Resource):
                operations.extend(node.operations)
            else:
                models.extend(_models(node))
        if rest is None:
            return None
        operations.extend(rest.operations)
        return replace(
            api,
            title=rest.title,
            version=rest.version,
            security_schemes=rest.security_schemes,
            models=tuple(models),
            operations=tuple(operations),
            modules=(),
            resources=(),
        )

    def _load(self, key: str) -> Any:
        """The node the cache keeps under `key`, checked against it; None when absent."""
        data = self._reader.get(key)
        if data is None:
            return None
        if self._key_of(data) != key:
            return None
        try:
            entry = module_packs.unpickle(data)
        except Exception:  # a damaged entry is a miss
            return None
        return entry[1] if isinstance(entry, tuple) and len(entry) == 2 else None


def _models(node: Any) -> tuple[Any, ...]:
    """The models a keyed node holds (a model module's), else none."""
    from .ir_modules import ModelModule

    return node.models if isinstance(node, ModelModule) else ()


def for_generation(
    options: Options, package: str, reuse: Reuse | None, output: Path | None = None
) -> ModuleCache | None:
    """The cache of one generation with the built-in templates and black (None with a
    template override or another formatter, whose output it cannot vouch for): it reuses
    the previous tree (`reuse`) when the generator and the options that wrote it are the
    running ones, for the same package. The packs of the generation it replaces in
    `output` are deleted once it is written, whoever wrote them (`--force` too)."""
    from .fingerprint import generator_digest, read_stamp

    if options.templates is not None or options.formatter != "black":
        return None
    generator = generator_digest(None)
    options_text = options.fingerprint_text()
    salt = hashlib.sha256(f"{generator}\0{options_text}".encode()).hexdigest()
    previous = None
    stamp = reuse.stamp if reuse is not None else (read_stamp(output) if output else None)
    replaced = (stamp or {}).get("module_packs")
    replaced = replaced if isinstance(replaced, str) else None
    if reuse is not None:
        stamp = reuse.stamp
        recorded = stamp.get("modules")
        if (
            isinstance(recorded, dict)
            and stamp.get("generator") == generator
            and stamp.get("options") == hashlib.sha256(options_text.encode()).hexdigest()
            and stamp.get("package") == package
        ):
            keys = {str(path): str(key) for path, key in recorded.items()}
            previous = Previous(reuse.root, reuse.hashes, keys, replaced)
    return ModuleCache(salt, previous, replaced)
