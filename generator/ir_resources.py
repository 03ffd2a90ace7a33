"""Stage 3c: operations grouped into resources, their methods named, their signatures decided.

An operation's resource is, in order of precedence: its `x-sdk-resource` (`customers.sources`);
its first tag (with the tag's OpenAPI 3.2 `parent`s above it), nested further where the path
continues past the tag's own segment; the namespace of an operationId such as
`repos/list-for-org`; else the path's static segments after any version (`/v1/customers/
{customer}/sources` → `customers.sources`). A path's last static segment is an action, not a
resource, when nothing lies below it and it is the only operation there, either a POST after
a parameter (`/invoices/{invoice}/pay`) or an operation beside a collection
(`/customers/search`).

Method names come from `naming.method_names`: the REST verb the path's shape calls for
(`list`, `retrieve`, `create`, `update`, `delete`) or the action, else the operationId
minus its resource prefix. Path parameters become positional (in path order) where the
path template names each once; an object body's properties become keyword arguments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from . import typeir as t
from .ir import BodyField, Model, ModelField, Operation
from .ir_operations import SIGNATURE_RESERVED
from .naming import (
    CLIENT_MEMBERS,
    RESOURCE_MEMBERS,
    MethodCandidate,
    NameScope,
    Style,
    claim_pascal_family,
    is_version_segment,
    method_names,
    method_text,
    rest_verb,
    styled,
)
from .typeir import S

ROOT_RESOURCE = "root"  # the resource of operations whose path names none (`GET /`)
# the classes a resource module defines, from its base name
CLASS_VARIANTS = ("{}", "Async{}", "{}WithRawResponse", "Async{}WithRawResponse")
# keyword arguments a method may get besides the spec's (kept free for body properties)
_FIXED_ARGUMENTS = SIGNATURE_RESERVED | {"content_type", "extra_body"}
_TEMPLATE = re.compile(r"{([^{}]+)}")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Resource:
    """A group of operations: a class (sync and async) in its own module, reached as an
    attribute of the client or of its parent resource."""

    attribute: str  # its name on the client or the parent resource
    path: tuple[str, ...]  # attribute path from the client
    class_name: str  # `CustomersSources`: also `Async…`, `…WithRawResponse`
    module: str  # `resources/<module>.py`
    description: str
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...]

    @property
    def async_class_name(self) -> str:
        """The asynchronous class."""
        return "Async" + self.class_name

    def class_of(self, asynchronous: bool, raw: bool = False) -> str:
        """The name of one of the module's four classes."""
        name = ("Async" if asynchronous else "") + self.class_name
        return name + "WithRawResponse" if raw else name

    @property
    def dotted(self) -> str:
        """`customers.sources`."""
        return ".".join(self.path)

    @property
    def docstring(self) -> str:
        """The class docstring: the tag's description, else what the class holds."""
        return self.description or f"Operations of `client.{self.dotted}`."


@dataclass
class _Node:
    """A resource while operations are placed: its spec name, operations and children."""

    text: str
    description: str = ""
    # (document index, operation, its signature's changes, its method name choices)
    operations: list[tuple[int, Operation, dict[str, Any], MethodCandidate]] = field(
        default_factory=list
    )
    children: dict[str, _Node] = field(default_factory=dict)


class _Paths:
    """What the whole document's paths say about one path: deeper paths, siblings."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        self.operations: Counter[tuple[str, ...]] = Counter()
        self.prefixes: set[tuple[str, ...]] = set()
        self.objects: set[tuple[str, ...]] = set()  # paths whose GET returns one object
        for op in operations:
            shape = _shape(op.path)
            self.operations[shape] += 1
            self.prefixes.update(shape[:end] for end in range(len(shape)))
            if op.http_method == "GET" and not _lists(op):
                self.objects.add(shape)

    def is_action(self, shape: tuple[str, ...], index: int, http_method: str) -> bool:
        """Is the last segment (at `index`) an action rather than a resource?"""
        if shape[: index + 1] in self.prefixes or self.operations[shape] != 1:
            return False
        if shape[index - 1] == "{}":  # `/invoices/{invoice}/pay`, not `…/login_links`
            return http_method == "POST" and not _looks_plural(shape[index])
        return shape[:index] in self.operations

    def has_items(self, shape: tuple[str, ...]) -> bool:
        """True when a path continues `shape` with a parameter (`/customers/{customer}`)."""
        item = (*shape, "{}")
        return item in self.operations or item in self.prefixes


def _lists(op: Operation) -> bool:
    """Does the operation return many items (it pages, or returns an array)?"""
    returns = t.without_none(op.return_type)
    return op.pagination is not None or (
        isinstance(returns, t.Generic) and returns.origin == "list"
    )


def _looks_plural(segment: str) -> bool:
    """`login_links`, `usage_records`, not `process`, `status`, `analysis`."""
    word = segment.lower()
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _is_parameter(segment: str) -> bool:
    return "{" in segment


@lru_cache(maxsize=16384)
def _shape(path: str) -> tuple[str, ...]:
    return tuple("{}" if _is_parameter(s) else s for s in path.split("/") if s)


def _first_resource_index(segments: list[str]) -> int:
    """Where resources start: after a version segment met before any parameter, else 0."""
    for index, segment in enumerate(segments):
        if _is_parameter(segment):
            break
        if is_version_segment(segment):
            return index + 1
    return 0


@dataclass(frozen=True)
class _PathReading:
    """An operation's path read as resources: static segments, an action, a REST verb."""

    parts: tuple[str, ...]  # the static segments naming resources
    verb: str | None


def read_path(op: Operation, paths: _Paths) -> _PathReading:
    """The resources an operation's path names, and the method name its shape calls for."""
    segments = [s for s in op.path.split("/") if s]
    shape = _shape(op.path)
    start = _first_resource_index(segments)
    parts: list[tuple[int, str]] = []
    action = None
    last = len(segments) - 1
    for index in range(start, len(segments)):
        segment = segments[index]
        if _is_parameter(segment):
            continue
        if index == last and index > start and paths.is_action(shape, index, op.http_method):
            action = segment
        else:
            parts.append((index, segment))
    if action is not None:
        return _PathReading(tuple(s for _, s in parts), action)
    end = parts[-1][0] + 1 if parts else start
    tail = shape[end:]
    kind = "collection" if not tail else "item" if tail == ("{}",) else "other"
    # a GET lists when it returns many; a POST creates unless the path is one object
    if op.http_method == "GET":
        collection = _lists(op) or paths.has_items(shape[:end])
    else:
        collection = paths.has_items(shape[:end]) or shape[:end] not in paths.objects
    return _PathReading(tuple(s for _, s in parts), rest_verb(op.http_method, kind, collection))


def _tag_parents(document: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The document's tags: each one's `parent` (OpenAPI 3.2) and description."""
    parents: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    tags = document.get("tags")
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            if isinstance(tag.get("parent"), str):
                parents[tag["name"]] = tag["parent"]
            if isinstance(tag.get("description"), str):
                descriptions[tag["name"]] = tag["description"].strip()
    return parents, descriptions


class ResourceBuilder:
    """Places every operation in a resource and decides the names of both."""

    def __init__(
        self,
        operations: Iterable[Operation],
        models: Iterable[Model],
        document: Mapping[str, Any],
        reserved_classes: Iterable[str] = (),
        renames: Mapping[str, str] | None = None,
    ) -> None:
        self.operations = list(operations)
        self.renames = dict(renames or {})
        self.models = {m.name: m for m in models}
        self.paths = _Paths(self.operations)
        self.parents, self.descriptions = _tag_parents(document)
        self.classes = NameScope(
            frozenset(self.models) | {s.name for s in S.all()} | frozenset(reserved_classes)
        )
        self.modules = NameScope({"__init__"})
        self.named: dict[int, Operation] = {}  # document index → the named operation

    def build(self) -> tuple[list[Operation], tuple[Resource, ...]]:
        """The operations (renamed, in document order) and the client's resources."""
        root = _Node("")
        for index, op in enumerate(self.operations):
            chain, candidate = self._place(op, index)
            node = root
            for text, description in chain:
                key = styled(text, Style.SNAKE)
                node = node.children.setdefault(key, _Node(text, description))
            node.operations.append((index, op, signature(op, self.models), candidate))
        scope = NameScope(CLIENT_MEMBERS)
        attributes = [
            (scope.claim(k, Style.SNAKE, prefix="r"), n) for k, n in root.children.items()
        ]
        resources = tuple(self._resource(node, (name,)) for name, node in attributes)
        return [self.named[index] for index in range(len(self.operations))], resources

    def _place(self, op: Operation, index: int) -> tuple[list[tuple[str, str]], MethodCandidate]:
        """The resource chain (spec names with descriptions) and the method name choices."""
        reading = read_path(op, self.paths)
        rank = (len(_shape(op.path)), index)
        namespaced = "/" in op.operation_id and not _SPACE.search(op.operation_id)
        verb = None if namespaced else reading.verb
        chain: list[tuple[str, str]]
        if op.sdk_resource:
            chain = [(p, "") for p in re.split(r"[./]", op.sdk_resource) if p.strip()]
        elif op.tags:
            chain = self._tag_chain(op.tags[0])
            tag = styled(op.tags[0], Style.SNAKE)
            keys = [styled(p, Style.SNAKE) for p in reading.parts]
            if not namespaced and tag in keys:
                at = len(keys) - 1 - keys[::-1].index(tag)
                chain.extend((p, "") for p in reading.parts[at + 1 :])
        elif namespaced:
            chain = [(p, "") for p in op.operation_id.split("/")[:-1] if p.strip()]
        else:
            chain = [(p, "") for p in reading.parts]
        if not chain:
            chain = [(ROOT_RESOURCE, "")]
        fallback = method_text(op.operation_id, [text for text, _ in chain])
        renamed = self.renames.get(op.operation_id)
        return chain, MethodCandidate(verb, fallback, rank, op.operation_id, renamed)

    def _tag_chain(self, tag: str) -> list[tuple[str, str]]:
        """The tag and its parents, outermost first (a cycle stops the walk)."""
        chain = [tag]
        while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
            chain.append(self.parents[chain[-1]])
        return [(name, self.descriptions.get(name, "")) for name in reversed(chain)]

    def _resource(self, node: _Node, path: tuple[str, ...]) -> Resource:
        members = NameScope(RESOURCE_MEMBERS)
        children = [
            (members.claim(key, Style.SNAKE, prefix="r"), child)
            for key, child in node.children.items()
        ]
        names = method_names(
            [candidate for *_, candidate in node.operations], {name for name, _ in children}
        )
        operations = []
        for (index, op, changes, _), name in zip(node.operations, names, strict=True):
            self.named[index] = replace(op, name=name, resource=path, **changes)
            operations.append(self.named[index])
        base = "_".join(path)
        return Resource(
            attribute=path[-1],
            path=path,
            class_name=claim_pascal_family(self.classes, base, CLASS_VARIANTS),
            module=self.modules.claim(base, Style.SNAKE, prefix="r"),
            description=node.description,
            operations=tuple(operations),
            children=tuple(self._resource(child, (*path, name)) for name, child in children),
        )


def signature(op: Operation, models: Mapping[str, Model]) -> dict[str, Any]:
    """What changes in `op`'s signature: its path parameters first and positional (in path
    order, when the path names each once), its object body's properties as keyword arguments."""
    template = _TEMPLATE.findall(op.path)
    in_path = [p for p in op.parameters if p.location == "path"]
    parameters, positional = op.parameters, 0
    if in_path and len(set(template)) == len(template) == len(in_path):
        order = {name: index for index, name in enumerate(template)}
        if all(p.wire_name in order for p in in_path):
            in_path.sort(key=lambda p: order[p.wire_name])
            rest = [p for p in op.parameters if p.location != "path"]
            parameters, positional = (*in_path, *rest), len(in_path)
    return {
        "parameters": tuple(parameters),
        "positional": positional,
        "body_fields": body_fields(op, models),
    }


def body_fields(op: Operation, models: Mapping[str, Model]) -> tuple[BodyField, ...]:
    """An object body's writable properties as keyword arguments, named in the method's
    signature after its parameters and fixed arguments (`name_` when a parameter is `name`)."""
    body = op.body
    if body is None or body.encoding not in ("json", "form", "multipart"):
        return ()
    model = models.get(body.type.name) if isinstance(body.type, t.ModelRef) else None
    if model is None or model.kind != "object":
        return ()
    scope = NameScope(_FIXED_ARGUMENTS | {p.name for p in op.parameters})
    result = []
    for model_field in all_fields(model, models):
        if model_field.read_only:
            continue
        result.append(
            BodyField(
                name=scope.claim(model_field.alias, Style.SNAKE, prefix="field"),
                alias=model_field.alias,
                type=_argument_type(model_field),
                required=model_field.required,
                description=model_field.description,
            )
        )
    return tuple(result)


def _argument_type(model_field: ModelField) -> t.TypeNode:
    """What a body keyword argument accepts: the field's type, `None` only where the spec
    allows null (left out, the field is not sent), a plain string for a secret."""
    node = t.without_none(model_field.type)
    # constraints and strictness are the model's to check; a secret is a plain string too
    node = t.union([t.STR, node]) if model_field.secret else t.plain(node)
    return t.optional(node) if model_field.nullable else node


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


def build_resources(
    operations: Iterable[Operation],
    models: Iterable[Model],
    document: Mapping[str, Any],
    reserved_classes: Iterable[str] = (),
    renames: Mapping[str, str] | None = None,
) -> tuple[list[Operation], tuple[Resource, ...]]:
    """Every operation named and placed, and the client's resources (see the module doc);
    `renames` (operationId → method name) win over derived names in their resource."""
    return ResourceBuilder(operations, models, document, reserved_classes, renames).build()
