"""Stage 3c, the paths' part: every operation of the document sketched, and its path read
as resources and a REST verb (`GET /customers/{customer}` → `customers`, `retrieve`), for
`ir_resources` to place and name it. Whether one tag shared by every operation is worth a
resource is decided here too (`tags_group`)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .ir_media import json_media
from .ir_pagination import detect
from .lint import iter_operations, path_item, query_template
from .load import deref, join_pointer
from .naming import Style, split_words, styled
from .naming_methods import (
    agrees,
    id_opens_with_action,
    is_version_segment,
    looks_like_action,
    names_an_action,
    noun_key,
    reads_as_procedure,
    reads_as_verb,
    rest_verb,
    singular,
)
from .naming_reserved import CLASS_BODY_GLOBALS, CLIENT_MEMBERS, RESOURCE_MEMBERS, TYPE_BUILTINS


@dataclass(frozen=True)
class Sketch:
    """What placing and naming an operation reads: its raw spec entry, not its translation
    (so that every operation of the document is placed, selected for generation or not, and
    a method's name does not depend on the selection)."""

    path: str
    http_method: str  # upper case
    operation_id: str  # the spec's, else `get /path` as the translator derives it
    tags: tuple[str, ...]
    sdk_resource: str | None  # `x-sdk-resource`
    lists: bool  # returns many items: an array, or `x-pagination` declares pages
    one: bool = False  # returns one object: named properties, no array among them (`_answers`)
    summary: str = ""  # the spec's, a method's words where the operationId only spells the path
    deprecated: bool = False  # the spec says so: another operation takes a verb it could take
    sdk_method: str | None = None  # the method's name the spec gives (`_METHOD_NAME_KEYS`)
    sdk_method_ours: bool = False  # given as `x-sdk-method` (wins over a REST verb)


# extensions naming an operation's method in SDKs: ours, Adyen's (its 28 directory specs;
# its own SDKs' names: `listAndroidApps`, UX audit 10), DocuSign's (`createEnvelope`, its
# SDKs' `create_envelope`; newcomer audit 23), Speakeasy's and Fern's
_METHOD_NAME_KEYS = (
    "x-sdk-method",
    "x-methodName",
    "x-ds-methodname",
    "x-speakeasy-name-override",
    "x-fern-sdk-method-name",
)


def sketches(document: Mapping[str, Any]) -> list[Sketch]:
    """A sketch of every operation of the document, in document order."""
    found = []
    document = dict(document)
    for path, method, pointer, raw in iter_operations(document):
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str) or not operation_id.strip():
            operation_id = f"{method.lower()} {path}"
        tags = raw.get("tags")
        sdk = raw.get("x-sdk-resource")
        summary = raw.get("summary")
        repaired = query_template(path)  # `/search?q={q}` is generated as `/search`
        lists, one = _answers(document, path, method.lower(), pointer, raw)
        found.append(
            Sketch(
                path=repaired[0] if repaired else path,
                http_method=method.upper(),
                operation_id=operation_id,
                tags=tuple(tag for tag in tags if isinstance(tag, str))
                if isinstance(tags, list)
                else (),
                sdk_resource=sdk.strip() or None if isinstance(sdk, str) else None,
                lists=lists,
                one=one,
                summary=summary if isinstance(summary, str) else "",
                deprecated=raw.get("deprecated") is True,
                sdk_method=_sdk_method(raw),
                sdk_method_ours=isinstance(raw.get("x-sdk-method"), str),
            )
        )
    return found


def _sdk_method(raw: Mapping[str, Any]) -> str | None:
    """The method name an extension gives the operation (`_METHOD_NAME_KEYS`), if any."""
    for key in _METHOD_NAME_KEYS:
        value = raw.get(key)
        # (a 10 kB name was a 10,000-character method: hostile audit 13)
        if isinstance(value, str) and any(c.isalpha() for c in value) and len(value) <= 100:
            return value.strip()
    return None


def _answers(
    document: dict[str, Any], path: str, method: str, pointer: str, raw: dict[str, Any]
) -> tuple[bool, bool]:
    """Does the operation return many items (a 2xx JSON array, or pages: `ir_pagination`),
    or one object (`_one_object`)? Neither when its first 2xx answer has no JSON body."""
    responses = raw.get("responses")
    success = None
    for status, entry in responses.items() if isinstance(responses, dict) else []:
        response = deref(document, entry)
        content = response.get("content")
        if not str(status).startswith("2") or not isinstance(content, dict) or not content:
            continue
        found = json_media(content)
        if found is not None:
            at = join_pointer(pointer, "responses", status, "content", found[0], "schema")
            success = (found[1].get("schema"), at, response)
        break
    if success is None:
        return False, False
    schema = deref(document, success[0])
    kind = schema.get("type")
    if kind == "array" or (isinstance(kind, list) and "array" in kind):
        return True, False
    query = _query_parameters(document, path, raw)
    if detect(document, method, raw, query, success, path=path) is not None:
        return True, False
    return False, _one_object(document, schema, 2)


def _one_object(document: dict[str, Any], schema: dict[str, Any], depth: int) -> bool:
    """Is `schema` one object: named properties, none of them an array, nor (`depth` levels
    down) any of theirs? DigitalOcean's `GET /v2/registry` answers `{"registry": {…}}`, the
    account's one registry; a list's answer wraps its items (`{"droplets": […]}`), a map
    (`additionalProperties` alone) or a union may hold anything."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return False
    if schema.get("type") not in (None, "object"):
        return False
    if any(key in schema for key in ("allOf", "anyOf", "oneOf")):
        return False
    for value in properties.values():
        member = deref(document, value) if isinstance(value, dict) else {}
        kind = member.get("type")
        if kind == "array" or (isinstance(kind, list) and "array" in kind) or "items" in member:
            return False
        if depth > 1 and isinstance(member.get("properties"), dict) and member["properties"]:
            if not _one_object(document, member, depth - 1):
                return False
    return True


def _query_parameters(document: dict[str, Any], path: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The operation's query parameters (its own, its path item's and those of templates
    in the path's query part): name → schema (None when it has none)."""
    _, item = path_item(document, path)
    repaired = query_template(path)
    found: dict[str, Any] = {key: None for key, _ in repaired[1]} if repaired else {}
    for source in (item.get("parameters"), raw.get("parameters")):
        for entry in source if isinstance(source, list) else []:
            parameter = deref(document, entry)
            if parameter.get("in") == "query" and isinstance(parameter.get("name"), str):
                found[parameter["name"]] = parameter.get("schema")
    return found


class PathSet:
    """What the whole document's paths say about one path: deeper paths, siblings."""

    def __init__(self, operations: Iterable[Sketch]) -> None:
        self.operations: Counter[tuple[str, ...]] = Counter()
        self.prefixes: set[tuple[str, ...]] = set()
        self.objects: set[tuple[str, ...]] = set()  # paths whose GET returns one object
        self.singles: set[tuple[str, ...]] = set()  # … known to be one (`Sketch.one`)
        self.keyed: set[str] = set()  # resources with items (`/projects/{key}`: `project`)
        # (method, path before any `?` or `#`): more than one where paths differ only there
        self.methods: Counter[tuple[str, str]] = Counter()
        for op in operations:
            shape = path_shape(op.path)
            self.operations[shape] += 1
            self.methods[op.http_method, _procedure_path(op.path)] += 1
            self.prefixes.update(shape[:end] for end in range(len(shape)))
            if op.http_method == "GET" and not op.lists:
                self.objects.add(shape)
            if op.http_method == "GET" and op.one:
                self.singles.add(shape)
            self.keyed.update(
                noun_key(s) for s, after in itertools.pairwise(shape) if after == "{}"
            )

    def is_action(
        self, shape: tuple[str, ...], index: int, http_method: str, operation_id: str = ""
    ) -> bool:
        """Is the last segment (at `index`) an action rather than a resource? (The
        operationId may say so: `id_opens_with_action`.)"""
        if shape[: index + 1] in self.prefixes or self.operations[shape] != 1:
            return False
        parent = next((s for s in reversed(shape[:index]) if s != "{}"), None)
        if id_opens_with_action(shape[index], operation_id, http_method, parent):
            return True
        if shape[index - 1] == "{}":  # `/invoices/{invoice}/pay`, not `…/login_links`
            if http_method == "POST":
                return looks_like_action(shape[index])
            return names_an_action(shape[index], http_method)  # `PUT /labels/{id}/void`
        # a verb (Square's `/v2/catalog/list`, `/v2/catalog/search`) is its parent's method:
        # as a resource of its own, `client.catalog.list()` was "not callable"
        return shape[:index] in self.operations or reads_as_procedure(shape[index])

    def parents(self, shape: tuple[str, ...], segments: list[str], end: int) -> int:
        """How many parameters after the collection `segments[end - 1]` are its parents'
        keys, not an item's: LaunchDarkly's `/flags/{projectKey}` lists and creates a
        project's flags, `/flags/{projectKey}/{featureFlagKey}` is one flag. Such a
        parameter names another resource the spec has (`/projects/{projectKey}`), neither
        the collection's item nor an id alone; the collection is a plural and some path
        continues past its parents with a parameter (an item's)."""
        if end < 1 or end >= len(segments) or "{" in segments[end - 1]:
            return 0
        collection = noun_key(segments[end - 1])
        if not collection or collection == "_".join(split_words(segments[end - 1])).lower():
            return 0  # (not a plural: `/downloads/avatar/{user_id}/{uuid}`)
        count = 0
        while end + count < len(segments) and shape[end + count] == "{}":
            parent = noun_key(segments[end + count].strip("{}"))
            # (`creditNoteNumber` under `customerCreditNotes` is its own item)
            own = collection.endswith(parent) or parent.endswith(collection.rpartition("_")[2])
            if not parent or parent not in self.keyed or own:
                break
            count += 1
        deeper = (*shape[: end + count], "{}")
        return count if deeper in self.prefixes or deeper in self.operations else 0

    def has_items(self, shape: tuple[str, ...]) -> bool:
        """True when a path continues `shape` with a parameter (`/customers/{customer}`)."""
        item = (*shape, "{}")
        return item in self.operations or item in self.prefixes


def _is_parameter(segment: str) -> bool:
    return "{" in segment


def _procedure_path(path: str) -> str:
    """The path before any query part or fragment."""
    return path.partition("?")[0].partition("#")[0]


def _segments(path: str) -> list[str]:
    """The path's segments, without a query part (`/rest?method=x` names `rest`), a
    fragment (AWS's `/#X-Amz-Target=AWSIdentityStore.CreateGroup` names nothing,
    `/channels#app-instance-arn` names `channels`) or a format extension (Twilio's
    `/Accounts/{Sid}/Calls.json` names `Calls`)."""
    return [_FORMAT.sub("", s) for s in _procedure_path(path).split("/") if s]


# a static segment's format extension: `Calls.json`, `feed.xml` (not `v1.0`, `2.0`)
_FORMAT = re.compile(r"(?<=[A-Za-z])\.(json|xml)$", re.IGNORECASE)


@lru_cache(maxsize=16384)
def path_shape(path: str) -> tuple[str, ...]:
    return tuple("{}" if _is_parameter(s) else s for s in _segments(path))


def _first_resource_index(segments: list[str]) -> int:
    """Where resources start: after a version segment met before any parameter, else 0."""
    for index, segment in enumerate(segments):
        if _is_parameter(segment):
            break
        if is_version_segment(segment):
            return index + 1
    return 0


@dataclass(frozen=True)
class PathReading:
    """An operation's path read as resources: static segments, an action, a REST verb."""

    parts: tuple[str, ...]  # the static segments naming resources
    verb: str | None
    # `collection` (the path ends at its resource), `item` (one parameter after it), else ""
    kind: str = ""
    # the verb is the shape's guess the operation's words decide (`naming_verbs`): a POST on
    # what reads as one object, no parameter of the path naming it, creates unless a GET there
    # answers one object (monarch's `POST /nlp/annotate/` annotates, openchannel's `POST
    # /files` uploads: both were `update`; regression audit 2)
    tentative: bool = False


def read_path(op: Sketch, paths: PathSet) -> PathReading:
    """The resources an operation's path names, and the method name its shape calls for."""
    segments = _segments(op.path)
    shape = path_shape(op.path)
    start = _first_resource_index(segments)
    parts: list[tuple[int, str]] = []
    action = None
    last = len(segments) - 1
    for index in range(start, len(segments)):
        segment = segments[index]
        if _is_parameter(segment):
            continue
        if (
            index == last
            and index > start
            and paths.is_action(shape, index, op.http_method, op.operation_id)
        ):
            action = segment
        else:
            parts.append((index, segment))
    if action is not None:
        return PathReading(tuple(s for _, s in parts), action)
    end = parts[-1][0] + 1 if parts else start
    tail = shape[end:]
    kind = "collection" if not tail else "item" if tail == ("{}",) else "other"
    # a GET lists when it returns many, or items lie below, unless it answers one object and
    # none of them is read by its id (DigitalOcean's `GET /v2/registry`, the account's one
    # registry, beside `/v2/registry/{registry_name}/…`, was `list`; regression audit 2);
    # a POST creates unless the path is one object
    if op.http_method == "GET":
        served = (*shape[:end], "{}") in paths.operations
        collection = op.lists or (paths.has_items(shape[:end]) and (served or not op.one))
    else:
        collection = paths.has_items(shape[:end]) or shape[:end] not in paths.objects
    verb = rest_verb(op.http_method, kind, collection)
    tentative = op.http_method == "POST" and verb == "update" and "{}" not in shape
    parents = paths.parents(shape, segments, end) if kind != "collection" else 0
    if parents and tail[parents:] in ((), ("{}",)):
        # parents' keys first (`/flags/{projectKey}`): the path is read as if they were not
        # in it, a GET that lists listing, a POST creating (a POST on an item so read is
        # no `update`: LGTM's `initSnapshotUpload`)
        kind = "item" if tail[parents:] else "collection"
        scoped = rest_verb(op.http_method, kind, op.http_method == "POST" or op.lists)
        if kind == "item" and op.http_method != "POST":
            verb = scoped
        elif kind == "collection" and scoped in ("list", "create"):
            verb = scoped
    procedure = _procedure_path(op.path)
    if procedure != op.path and paths.methods[op.http_method, procedure] > 1:
        verb = None  # remote procedures on one path (AWS's `/#X-Amz-Target=…`): no REST verb
    if op.http_method == "PUT" and kind == "collection" and paths.has_items(shape[:end]):
        verb = None  # beside a list: Xero's `PUT /Invoices` creates; the operationId tells
    tentative = tentative and verb == "update"
    if tentative and shape[:end] not in paths.singles:
        verb = "create"  # (unless the GET there answers one object: a setting's update)
    return PathReading(tuple(s for _, s in parts), verb, kind, tentative)


def tagged_part(tag: str, keys: Sequence[str], http_method: str) -> int | None:
    """Which of a path's resource segments (snake case) the operation's tag names: the last
    one it spells, else the last segment when the tag's words end with it (DigitalOcean's
    "CDN Endpoints" on `/v2/cdn/endpoints`, "Block Storage Actions" on
    `/v2/volumes/{id}/actions`: a qualified name of the segment, whose REST verbs then
    apply: `cdn_endpoints.list()`, not `cdn_endpoints.cdn_list_endpoints()`; an earlier
    segment's name leaves the later ones unnamed: Circuit's "Incoming Webhooks" on
    `/webhooks/incoming/create/{id}`); None when it names none of them. A segment that
    says what the request does is no resource a tag qualifies ("Data Import" on `POST
    /data/import` is `import_data`, not `data_import.create`; `POST /k/import` was
    `k_import.update`: hostile audit 15)."""
    if tag in keys:
        return len(keys) - 1 - keys[::-1].index(tag)
    last = keys[-1] if keys else ""
    if tag.endswith("_" + last) and _WORD.search(last) and not reads_as_verb(last, http_method):
        return len(keys) - 1
    return None


def tagged_in_other_number(tag: str, keys: Sequence[str], http_method: str) -> int | None:
    """Which of a path's resource segments (snake case) the operation's tag, a plural,
    names in the singular, where `tagged_part` finds none: Jira's "Dashboards" on
    `/dashboard/{id}`, "Issues" on `/issue` (they were `dashboards.get`,
    `dashboards.create_dashboard`: no REST verb; UX audit 18). None when it names none of
    them, or the tag is no plural (a singular tag on plural paths keeps its operationIds'
    words: `annotation.list_annotations()`)."""
    one = singular(tag.split("_"))
    if "_".join(one) == tag:
        return None
    for index in range(len(keys) - 1, -1, -1):
        key = keys[index]
        if _WORD.search(key) and key.split("_") == one:
            return None if reads_as_verb(key, http_method) else index
    return None


_WORD = re.compile(r"[a-z]{3}")  # a segment that is a word, not `v2` or `s3`


def tags_group(sketches: list[Sketch], readings: list[PathReading]) -> bool:
    """False when the tag tells no operations apart while plainly REST paths do: every
    operation (but those `x-sdk-resource` places) has the same first tag, which no path
    names; every path names one or two resources (several in all), has no query part and
    no `:` custom method; under a quarter have a verb for a segment (`/accounts/get`); and
    most operationIds (the spec's own) begin with the verb the path calls for (`listFiles`
    for `GET /files`). The paths group them then: `client.files.create`, not
    `client.open_ai.create_file` (OpenAI's spec tags every operation `OpenAI`, Xero's
    `Accounting`). Remote procedures (Plaid's, Qualpay's) and deep paths (Azure's) keep the
    tag and their operationIds. `readings` are the sketches' `read_path`s, in their order."""
    placed = [(s, r) for s, r in zip(sketches, readings, strict=True) if s.sdk_resource is None]
    if len({s.tags[0] if s.tags else None for s, _ in placed}) != 1 or not placed[0][0].tags:
        return True
    tag = styled(placed[0][0].tags[0], Style.SNAKE)
    heads, verbs, agreeing = set(), 0, 0
    for sketch, reading in placed:
        segments = _segments(sketch.path)
        if not 1 <= len(reading.parts) <= 2 or "?" in sketch.path or ":" in sketch.path:
            return True
        if "/" in sketch.operation_id and " " not in sketch.operation_id:  # `repos/get`
            return True
        if tag in (styled(part, Style.SNAKE) for part in reading.parts):
            return True
        heads.add(reading.parts[0])
        verbs += any(reads_as_procedure(s) for s in segments if not _is_parameter(s))
        if " " not in sketch.operation_id:  # the spec's own, not `get /path` derived
            words = split_words(sketch.operation_id)
            agreeing += bool(words) and agrees(reading.verb, words[0])
    return len(heads) < 2 or verbs * 4 >= len(placed) or agreeing * 2 < len(placed)


# names a resource attribute cannot have as such (mcw.edu's `annotation` tags
# `/annotations`: `annotations_` would be worse than the tag)
_TAKEN = CLIENT_MEMBERS | RESOURCE_MEMBERS | TYPE_BUILTINS | CLASS_BODY_GLOBALS

# the last word every tag begins with that makes a version prefix: `V1`, `Api20100401`
_TAG_VERSION = re.compile(r"^([A-Za-z]*\d{6,8}|v\d+[a-z]*\d*)$", re.IGNORECASE)


def tag_texts(sketches: list[Sketch], readings: list[PathReading]) -> dict[str, str]:
    """How operations' first tags read as resource names, where not as the tag itself:
    without a version prefix every tag shares (Twilio's `Api20100401Account` and
    `Api20100401Call`: `Account`, `Call`), and as the tag's paths spell it in the plural
    (`Account` on `/Accounts/{Sid}`: `Accounts`), so that their REST verbs apply:
    `client.accounts.list()`, not `client.api20100401_account.list_account()`; unless most
    of the tag's operationIds begin with it (Azure's `Property_CreateOrUpdate` and
    `Property_Update`: the spec names the methods). `readings` are the sketches'
    `read_path`s, in their order."""
    tags = list(dict.fromkeys(s.tags[0] for s in sketches if s.tags and s.sdk_resource is None))
    texts = dict(zip(tags, _without_version_prefix(tags), strict=True))
    parts: dict[str, set[str]] = {}
    operations: Counter[str] = Counter()
    named: Counter[str] = Counter()  # operationIds that begin with their tag
    for sketch, reading in zip(sketches, readings, strict=True):
        if sketch.tags and sketch.sdk_resource is None:
            tag = sketch.tags[0]
            parts.setdefault(tag, set()).update(reading.parts)
            operations[tag] += 1
            prefix = [w.lower() for w in split_words(tag)]
            words = [w.lower() for w in split_words(sketch.operation_id)]
            named[tag] += len(words) > len(prefix) and words[: len(prefix)] == prefix
    for tag in tags:
        name = styled(texts[tag], Style.SNAKE)
        spelled = {styled(part, Style.SNAKE): part for part in sorted(parts[tag])}
        if name in spelled or named[tag] * 2 > operations[tag]:
            continue
        plurals = [name + "s", name + "es"] + ([name[:-1] + "ies"] if name.endswith("y") else [])
        found = next((spelled[p] for p in plurals if p in spelled and p not in _TAKEN), None)
        if found is not None:
            texts[tag] = found
    return {tag: text for tag, text in texts.items() if text != tag}


# a tag's closing word `API` (Postmark's "Bounces API", "Templates API"), apart from the rest
_API_WORD = re.compile(r"[\s_\-]+api\s*$", re.IGNORECASE)


def without_api_word(texts: dict[str, str]) -> dict[str, str]:
    """The tags' texts (tag → text) as resource names: without a closing word `API` (UX audit
    14: Postmark's "Bounces API" was `client.bounces_api`, now `client.bounces`), unless
    nothing else, or another tag's name, would remain; `OpenAPI` or `WebApi` is left whole.
    Only the resource's name: its methods are named from the tag as it is."""
    cut = {tag: _API_WORD.sub("", text) for tag, text in texts.items()}
    kept = {styled(text, Style.SNAKE) for tag, text in texts.items() if cut[tag] == text}
    found = dict(texts)
    for tag, text in cut.items():
        name = styled(text, Style.SNAKE) if _WORD.search(text.lower()) else ""
        if text != texts[tag] and name and name not in kept and name not in _TAKEN:
            found[tag] = text
            kept.add(name)
    return found


def _without_version_prefix(tags: list[str]) -> list[str]:
    """The tags without the leading words all of them share, when those end in a version
    (`MessagingV1Service` → `Service`) and leave every tag a word; else the tags."""
    words = [split_words(tag) for tag in tags]
    if len(tags) < 2 or not all(words):
        return tags
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[shared].lower() for w in words}) == 1:
        shared += 1
    while shared and not _TAG_VERSION.match(words[0][shared - 1]):
        shared -= 1
    if not shared:
        return tags
    return [" ".join(w[shared:]) for w in words]
