"""Stage 3c: operations grouped into resources, their methods named, their signatures decided.

An operation's resource is, in order of precedence: its `x-sdk-resource` (`customers.sources`);
AutoRest's operation group where every operationId is `Group_Method` in a document that speaks
AutoRest (`autorest_groups`: Azure's `BillingAccounts_Get` is `billing_accounts.get`, as in Azure's
SDKs); its first tag (with the tag's OpenAPI 3.2 `parent`s above it: `tags.tag_tree`), nested further
where the path continues past the tag's own segment (unless one tag on every operation tells
none apart while plainly REST paths do: `resource_paths.tags_group`); the namespace of an operationId such as
`repos/list-for-org`; else the path's static segments after any version (`/v1/customers/
{customer}/sources` → `customers.sources`). A path's last static segment is an action, not a
resource, when nothing lies below it and it is the only operation there, either a POST after
a parameter (`/invoices/{invoice}/pay`) or an operation beside a collection
(`/customers/search`).

Method names come from the configuration's `renames`, else the spec's (`x-sdk-method`,
Adyen's `x-methodName`, Speakeasy's and Fern's), else `naming_methods.method_names`: the REST verb the path's shape calls for
(`list`, `retrieve`, `create`, `update`, `delete`) or the action, else the operationId
minus its resource prefix. Path parameters become positional (in path order) where the
path template names each once; an object body's properties become keyword arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .ir import Model, Operation
from .ir_document import from_google, mentions_autorest
from .ir_signatures import signature
from .naming import MODULE_NAME_LENGTH, NameScope, Style, claim_pascal_family, styled
from .naming_methods import (
    REST_VERBS,
    MethodCandidate,
    begin_names,
    method_names,
    method_text,
    noun_action,
    reconcile,
    summary_text,
    verb_and_name,
)
from .naming_reserved import (
    CLASS_BODY_GLOBALS,
    CLIENT_MEMBERS,
    CLIENT_MODULE_NAMES,
    RESOURCE_MEMBERS,
    TYPE_BUILTINS,
    WINDOWS_DEVICE_NAMES,
)
from .naming_verbs import one_word_action, says_list, tentative_verb, upserts
from .resource_paths import (
    PathReading,
    PathSet,
    Sketch,
    path_shape,
    read_path,
    sketches,
    tag_texts,
    tagged_in_other_number,
    tagged_part,
    tags_group,
    without_api_word,
)
from .tags import tag_tree
from .typeir import S

ROOT_RESOURCE = "root"  # the resource of operations whose path names none (`GET /`)
# the classes a resource module defines, from its base name
CLASS_VARIANTS = ("{}", "Async{}", "{}WithRawResponse", "Async{}WithRawResponse")
_SPACE = re.compile(r"\s")
# the verbs of one object by its id, before the same verb on a collection (SendGrid's
# `DELETE /contactdb/lists`, which deletes many, and `DELETE /contactdb/lists/{list_id}`)
_BY_ID = frozenset({"retrieve", "update", "delete"})


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
    # (document index, its method name choices)
    operations: list[tuple[int, MethodCandidate]] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


class ResourceBuilder:
    """Places every operation of the document in a resource and decides the names of both;
    the operations generated (all, or those the configuration selects) get those names."""

    def __init__(
        self,
        operations: Iterable[Operation],
        models: Iterable[Model],
        document: Mapping[str, Any],
        reserved_classes: Iterable[str] = (),
        renames: Mapping[str, str] | None = None,
    ) -> None:
        self.operations = list(operations)
        self.sketches = sketches(document)
        self.renames = dict(renames or {})
        self.models = {m.name: m for m in models}
        self.paths = PathSet(self.sketches)
        # each operation's path read once: placing it, and deciding what its tag is worth
        self.readings = [read_path(sketch, self.paths) for sketch in self.sketches]
        self.tags_group = tags_group(self.sketches, self.readings)
        self.autorest_groups = autorest_groups(self.sketches, document)
        self.google_ids = google_operation_ids(self.sketches, document)
        self.tag_texts = tag_texts(self.sketches, self.readings)
        tags = {tag for sketch in self.sketches for tag in sketch.tags}
        self.tag_names = without_api_word({t: self.tag_texts.get(t, t) for t in sorted(tags)})
        tree = tag_tree(dict(document))
        self.parents = {tag.name: tag.parent for tag in tree if tag.parent is not None}
        self.descriptions = {tag.name: tag.description or tag.summary for tag in tree}
        self.classes = NameScope(
            frozenset(self.models)
            | {s.name for s in S.all()}
            | frozenset(reserved_classes)
            # (`event_hooks`'s class `EventHooks` replaced the type the client's signature uses)
            | CLIENT_MODULE_NAMES
        )
        self.modules = NameScope({"__init__", *WINDOWS_DEVICE_NAMES})
        # the generated operations by document index (the same walk of the document, the
        # selected operations in its order); each gets its name as it is decided
        self.generated: dict[int, Operation] = {}
        queue = iter(self.operations)
        pending = next(queue, None)
        for index, sketch in enumerate(self.sketches):
            if pending is not None and (pending.http_method, pending.path) == (
                sketch.http_method,
                sketch.path,
            ):
                self.generated[index] = pending
                pending = next(queue, None)
        self.named: dict[int, Operation] = {}

    def build(self) -> tuple[list[Operation], tuple[Resource, ...]]:
        """The generated operations (named, in document order) and the client's resources."""
        root = _Node("")
        for index, sketch in enumerate(self.sketches):
            chain, candidate = self._place(sketch, index)
            node = root
            for text, description in chain:
                key = styled(text, Style.SNAKE)
                node = node.children.setdefault(key, _Node(text, description))
                node.description = node.description or description
            node.operations.append((index, candidate))
        scope = NameScope(CLIENT_MEMBERS | TYPE_BUILTINS | CLASS_BODY_GLOBALS)
        attributes = [
            (scope.claim(k, Style.SNAKE, prefix="r"), n) for k, n in root.children.items()
        ]
        built = [self._resource(node, (name,)) for name, node in attributes]
        resources = tuple(r for r in built if r is not None)
        return [self.named[index] for index in sorted(self.generated)], resources

    def _place(self, op: Sketch, index: int) -> tuple[list[tuple[str, str]], MethodCandidate]:
        """The resource chain (spec names with descriptions) and the method name choices."""
        reading = self.readings[index]
        dotted = self.google_ids
        namespaced = ("/" in op.operation_id or dotted) and not _SPACE.search(op.operation_id)
        verb = None if namespaced else reading.verb
        chain: list[tuple[str, str]]
        if op.sdk_resource:
            chain = [(p, "") for p in re.split(r"[./]", op.sdk_resource) if p.strip()]
        elif dotted:  # `cloudbilling.billingAccounts.services.list`: the service, its chain
            chain = [(p, "") for p in op.operation_id.split(".")[1:-1] if p.strip()]
        elif self.autorest_groups:  # `BillingAccounts_Get`: `billing_accounts.get`
            chain, verb = [(op.operation_id.partition("_")[0], "")], None
        elif op.tags and self.tags_group:
            chain = self._tag_chain(op.tags[0])
            tag = styled(self.tag_texts.get(op.tags[0], op.tags[0]), Style.SNAKE)
            keys = [styled(p, Style.SNAKE) for p in reading.parts]
            at = tagged_part(tag, keys, op.http_method)
            if at is None and styled(op.operation_id.partition("_")[0], Style.SNAKE) != tag:
                # (unless the operationIds are named after the tag: Azure's names them)
                at = tagged_in_other_number(tag, keys, op.http_method)
            if not namespaced and at is not None:
                chain.extend((p, "") for p in reading.parts[at + 1 :])
            elif keys:  # the path names another resource: its verb would mislead
                verb = None
        elif namespaced:
            chain = [(p, "") for p in op.operation_id.split("/")[:-1] if p.strip()]
        else:
            chain = [(p, "") for p in reading.parts]
        if not chain:
            chain = [(ROOT_RESOURCE, "")]
        names = [text for text, _ in chain]
        spoken = summary_text(op.summary, op.operation_id, op.http_method, op.path, names)
        # (the summary's words where the operationId only spells the request: Box's
        # "Promote file version" on `…/versions/current`; regression audit 2)
        wording = spoken if spoken is not None else op.operation_id
        if verb is not None and noun_action(verb, wording, op.http_method, op.path):
            verb = None
        fallback = method_text(op.operation_id, names)
        shaped = verb
        confirmed = reconcile(verb, op.http_method, op.operation_id, fallback, names)
        if spoken is not None and confirmed is not None:
            # an operationId that only spells the request confirms nothing; its summary may
            # (VTEX's "Get Prices", a POST to `/prices`, creates nothing); a GET's may switch
            # its verb ("List items in folder"), not take it (whatever it says, it reads)
            said = reconcile(confirmed, op.http_method, spoken, spoken, names)
            if said is None and confirmed == "update" and upserts(op.http_method, spoken):
                said = confirmed  # a PUT's "Create a new employee secret" (payrun's)
            confirmed = said if said is not None or op.http_method != "GET" else confirmed
        confirmed = self._decided(op, reading, shaped, confirmed, fallback, names)
        # `retrieve` (`update`, `delete`) is for an object by its id before one the path
        # reads as single (Codat's
        # `GET …/options/invoices`, "Get create/update invoice model", took it from the
        # deprecated `GET …/invoices/{invoiceId}`: `invoices.retrieve(company, invoice)` sent
        # the invoice's id as a connection's; UX audit 10); a deprecated operation yields a
        # verb to a current one (Velo's v3 `list` to its v4: UX audit 8), and a verb the
        # operationId switched to, to one the path calls for
        by_id = confirmed not in _BY_ID or op.path.rstrip("/").endswith("}")
        shape = len(path_shape(op.path))
        # (and an operationId that is the verb, before one that says more: Google's
        # `compute.globalOperations.list` before its `aggregatedList`, both lists)
        # (the verb and the resource's name say no more than the verb: Square's by-id
        # `CancelPayment` takes `cancel` before `CancelPaymentByIdempotencyKey` on
        # `/v2/payments/cancel`, whose path is shorter; billing audit 6)
        worded = styled(fallback, Style.SNAKE) != confirmed and not verb_and_name(
            fallback, confirmed, names
        )
        # (an action on one item before the same action on the collection: Mist's
        # `…/clients/{mac}/disconnect` takes `disconnect`, its bulk `…/clients/disconnect`
        # keeps its operationId's words; review)
        on_item = confirmed not in REST_VERBS and path_shape(op.path)[-2:-1] == ("{}",)
        rank = (
            int(not by_id),
            int(op.deprecated),
            int(confirmed != verb),
            int(worded),
            int(not on_item),
            shape,
            index,
        )
        verb = confirmed
        # another generator's name (Adyen's `x-methodName`) is the name where no REST verb
        # is: taken before a REST verb, Adyen's names for a flat class stuttered under nested
        # resources (`sweeps.get_all_sweeps_for_balance_account` for `sweeps.list`; regression
        # audit); ours (`x-sdk-method`) wins as a configured name does
        given = op.sdk_method if op.sdk_method_ours else None
        renamed = self.renames.get(op.operation_id) or given
        named = op.sdk_method if not op.sdk_method_ours else None
        text = named or spoken or fallback
        return chain, MethodCandidate(verb, text, rank, op.operation_id, renamed)

    @staticmethod
    def _decided(
        op: Sketch,
        reading: PathReading,
        shaped: str | None,
        verb: str | None,
        text: str,
        chain: list[str],
    ) -> str | None:
        """The verb where the operation's own words decide what the path's shape guesses
        (`naming_verbs`; regression audit 2): a POST to one object no path parameter names
        creates, updates or does what its words say; a one-word operationId of a POST read
        as an update is its action; a GET of what reads as one object lists where its words
        say so."""
        words = (op.operation_id, text)
        if reading.tentative and shaped is not None:  # (`verb`: what `reconcile` says)
            method, path = op.http_method, op.path
            return tentative_verb(shaped, verb, *words, op.summary, method, path, chain)
        if verb == "update" and op.http_method == "POST":
            return None if one_word_action(*words, chain) else verb
        if verb == "retrieve" and reading.kind == "collection":
            listed = says_list(*words, op.summary, op.http_method, op.path, chain)
            return "list" if listed else verb
        return verb

    def _tag_chain(self, tag: str) -> list[tuple[str, str]]:
        """The tag and its parents, outermost first (a cycle stops the walk)."""
        chain = [tag]
        while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
            chain.append(self.parents[chain[-1]])
        return [
            (self.tag_names.get(name, name), self.descriptions.get(name, ""))
            for name in reversed(chain)
        ]

    def _polls(self, index: int) -> bool:
        op = self.generated.get(index)
        return op is not None and op.polling is not None

    def _resource(self, node: _Node, path: tuple[str, ...]) -> Resource | None:
        """The resource of `node` (None when none of its operations, nor of its children's,
        is generated); every name is claimed either way, so that none depends on that."""
        members = NameScope(RESOURCE_MEMBERS | (TYPE_BUILTINS - {"list"}) | CLASS_BODY_GLOBALS)
        # a REST verb one of its operations takes is the method's: a sub-resource called so
        # yields (`GET /things/{id}/list` made `things.list` a resource and the collection's
        # list `things.list_()`: hostile audit 15)
        for _, candidate in node.operations:
            if candidate.verb in REST_VERBS and members.is_free(candidate.verb):
                members.reserve(candidate.verb)
        children = [
            (members.claim(key, Style.SNAKE, prefix="r"), child)
            for key, child in node.children.items()
        ]
        names = method_names(
            [candidate for _, candidate in node.operations], {name for name, _ in children}
        )
        polled = [self._polls(index) for index, _ in node.operations]
        begins = begin_names(names, polled, {name for name, _ in children})
        operations = []
        for (index, _), name, begin in zip(node.operations, names, begins, strict=True):
            op = self.generated.get(index)
            if op is not None:
                changes = signature(op, self.models)
                if op.polling is not None and begin is not None:
                    changes["polling"] = replace(op.polling, method=begin)
                self.named[index] = replace(op, name=name, resource=path, **changes)
                operations.append(self.named[index])
        base = "_".join(path)
        class_name = claim_pascal_family(self.classes, base, CLASS_VARIANTS)
        module = self.modules.claim(base, Style.SNAKE, prefix="r", max_length=MODULE_NAME_LENGTH)
        built = [self._resource(child, (*path, name)) for name, child in children]
        kept = tuple(child for child in built if child is not None)
        if not operations and not kept:
            return None
        return Resource(
            attribute=path[-1],
            path=path,
            class_name=class_name,
            module=module,
            description=node.description,
            operations=tuple(operations),
            children=kept,
        )


_AUTOREST_ID = re.compile(r"[A-Z][A-Za-z0-9]*_[A-Za-z][A-Za-z0-9]*\Z")
_HTTP_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"})


def autorest_groups(operations: list[Sketch], document: Mapping[str, Any]) -> bool:
    """Do the operationIds name AutoRest's operation groups? AutoRest (Azure's generator)
    "identifies operation groups by splitting the operationId by underscore"
    (`BillingAccounts_ListByBillingProfile` is `billing_accounts.list_by_billing_profile`
    in Azure's SDKs): when every operationId is `Group_Method` and the document speaks
    AutoRest (an `x-ms-` extension), its groups are the resources and its methods the
    method names. (AWS's `GET_AttachInstances` names a method, not a group.)"""
    if not operations:
        return False
    for op in operations:
        if not _AUTOREST_ID.match(op.operation_id):
            return False
        if op.operation_id.partition("_")[0].upper() in _HTTP_METHODS:
            return False
    return mentions_autorest(document)


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


def google_operation_ids(sketches: Sequence[Sketch], document: Mapping[str, Any]) -> bool:
    """Are the operationIds Google's resource paths (`cloudbilling.billingAccounts.services.
    list`: the service, its resources, the method; google-api-python-client's
    `billingAccounts().services().list()`)? In a document converted from Google's discovery
    format whose every operationId is one, of one service. Read as words, `undoCancel` of
    `partners.subscriptions` became `partners.update`, a list of services
    `billing_accounts.list` (billing audit)."""
    if not sketches or not from_google(document):
        return False
    services = set()
    for sketch in sketches:
        parts = sketch.operation_id.split(".")
        if len(parts) < 2 or _SPACE.search(sketch.operation_id) or not all(parts):
            return False
        services.add(parts[0])
    return len(services) == 1
