"""Method names, part of the naming authority (`naming`): which path segments name a version
or an action (`v1`, `/invoices/{invoice}/pay`), the REST verb a path's shape calls for
(`list`, `retrieve`, `create`, `update`, `delete`), an operationId without its resource
prefix, and the unique method names of one resource (`method_names`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .naming import NameScope, Style, split_words, styled
from .naming_reserved import CLASS_BODY_GLOBALS, RESOURCE_MEMBERS, TYPE_BUILTINS

# `list` is a REST verb: resource modules spell the builtin `builtins.list` where a method
# shadows it; the other builtins that annotations use are never method names.
_METHOD_RESERVED = RESOURCE_MEMBERS | (TYPE_BUILTINS - {"list"}) | CLASS_BODY_GLOBALS

# path segments that name an API version, not a resource: v1, v2beta1, 2.0, 3, 2024-01-01
_VERSION = re.compile(r"^(v\d+([._-]?[a-z]*\d*)*|\d+(\.\d+)*|\d{4}-\d{2}-\d{2})$", re.IGNORECASE)


def is_version_segment(segment: str) -> bool:
    """True for a path segment that names a version (`v1`, `v2beta`, `2.0`, `2024-01-01`)."""
    return bool(_VERSION.match(segment))


# verbs that open a path segment naming an action rather than a resource (`verify_microdeposits`)
# (`instruct`, `convert`, `register`, `unregister`: Velo's `instructPayoutV3`, which releases
# the funds, was `payouts.update`; payments audit 21)
_ACTION_VERBS = frozenset(
    """accept activate apply approve archive attach cancel capture close complete confirm
    convert deactivate decline detach expire fail finalize increment instruct mark pause pay
    process publish reactivate refresh refund register reject release reopen report reset
    restore resume retry reverse revoke run search send start stop submit sync test transfer
    unarchive unregister validate verify void""".split()
)


# verbs that open a phrase naming an action (eBay's `issue_refund`, `upload_evidence_file`,
# Codat's `…/{attachmentId}/download`: sub-resources with a REST verb, `issue_refund.create`;
# UX audits 10 and 11), beside `_ACTION_VERBS`
_PHRASE_VERBS = _ACTION_VERBS | frozenset(
    """add assign block clone copy create disable download enable fetch issue lock move notify
    print resend share suspend unassign unblock unlock unsuspend update upload""".split()
)


def _plural(word: str) -> bool:
    """Does a (lower case) word read as a plural, a collection's name (`events`; not
    `address`, `status`, `analysis`)?"""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _namespaced_tail(operation_id: str) -> str | None:
    """The last part of an operationId namespaced by `/` or `.` (`repos/list-for-org`,
    Google's `cloudbilling.billingAccounts.list`), None for one that is not."""
    for separator in ("/", "."):
        head, found, tail = operation_id.rpartition(separator)
        if found and head and re.search("[A-Za-z]", tail):
            return tail
    return None


def looks_like_action(segment: str) -> bool:
    """True for a path segment that reads as an action (`pay`, `verify_microdeposits`,
    `issue_refund`) rather than as a collection of items (`login_links`); single words not
    ending in `s` count."""
    words = [w.lower() for w in split_words(segment)]
    if not words:
        return False
    if words[0] in _PHRASE_VERBS:
        return True
    last = words[-1]
    return len(words) == 1 and not _plural(last)


# the verbs a GET's last segment may name as an action (a `report`, a `stop`, a `test` read
# under GET are nouns: `trip.stop(id)` read as stopping the trip; regression audit)
_READING_VERBS = frozenset({"download", "fetch", "export", "preview"})


def names_an_action(segment: str, http_method: str = "PUT") -> bool:
    """True for a path segment that opens with a verb (`void`, `download`, `disable`,
    `fetch_evidence_content`): an action whatever the HTTP method (ShipEngine's
    `PUT /labels/{id}/void` was `labels.void.update(id)`; UX audit 11), a GET's only when it
    reads (`download`), unless it ends in a plural, as a collection's name does (TfL's
    `GET /Line/{id}/StopPoints`)."""
    words = [w.lower() for w in split_words(segment)]
    verbs = _READING_VERBS if http_method.upper() == "GET" else _PHRASE_VERBS
    if not words or words[0] not in verbs:
        return False
    last = words[-1]
    return len(words) == 1 or not _plural(last)


_PROCEDURE_VERBS = _ACTION_VERBS | frozenset(
    """add calculate check create delete fetch find generate get list lookup patch post put
    query remove set update""".split()
)


def reads_as_procedure(segment: str) -> bool:
    """True for a path segment that names a remote procedure by its verb (`get`,
    `getCostEstimate`, `verify_microdeposits`), not a noun such as `content`."""
    words = split_words(segment)
    return bool(words) and words[0].lower().rstrip("0123456789") in _PROCEDURE_VERBS


def rest_verb(http_method: str, shape: str, collection: bool) -> str | None:
    """The REST method name for an operation on a resource, from the path's shape.

    `shape` is `collection` (the path ends at the resource: `/customers`), `item` (one
    parameter after it: `/customers/{customer}`) or anything else (no verb); `collection`
    tells whether the path holds many items (a GET there lists, a POST creates) rather than
    one object (a GET retrieves it, a POST updates it).
    """
    method = http_method.upper()
    if shape == "collection":
        if method in ("GET", "POST"):
            return (
                {"GET": "list", "POST": "create"}[method]
                if collection
                else {
                    "GET": "retrieve",
                    "POST": "update",
                }[method]
            )
        return {"PUT": "update", "PATCH": "update", "DELETE": "delete"}.get(method)
    if shape == "item":
        return {
            "GET": "retrieve",
            "POST": "update",
            "PUT": "update",
            "PATCH": "update",
            "DELETE": "delete",
        }.get(method)
    return None


# the first words of operationIds that agree with a REST verb the path calls for
_AGREEING = {
    "list": frozenset({"list", "get", "find", "search", "fetch", "all", "query"}),
    "retrieve": frozenset({"retrieve", "get", "read", "fetch", "show", "find", "describe"}),
    "create": frozenset({"create", "add", "new", "insert", "make"}),
    "update": frozenset({"update", "edit", "set", "modify", "replace", "save", "patch"}),
    "delete": frozenset({"delete", "remove", "destroy", "del", "drop"}),
}


def agrees(verb: str | None, word: str) -> bool:
    """True when an operationId's first word (`listFiles`: `list`) agrees with `verb`."""
    return word.lower() in _AGREEING.get(verb or "", ())


_READS = frozenset("get list find search query fetch lookup read show describe retrieve".split())
# (`patch`: PayRun's "Patches the employer" was the method `patches`; payments audit 21)
_CHANGES = frozenset(
    "create add insert update edit set modify replace save delete remove patch".split()
)
_CHECKS = frozenset("check validate verify calculate".split())
# action verbs that change what is there rather than make something (LaunchDarkly's
# `resetEnvironmentSDKKey`, a POST to `…/apiKey`, was `api_key.create`)
_CHANGES_STATE = frozenset(
    """reset revoke cancel reject approve archive unarchive restore void close reopen pause
    resume activate deactivate confirm finalize expire""".split()
)
# the first words of the spec's operationIds that name another action than the REST verb:
# a POST on one object that searches (Europeana's `searchRecordsPost` on `/search.json`) or
# submits (Motaword's `submitComment` on `/activities/{activityId}`) updates nothing; a POST
# to a collection may send, run or save what it creates (`sendMessage`, BillingPlatform's
# `saveBillingProfile`), but not read or check it
# (and what acts on many at once is no verb of one: Jira's `bulkDeleteIssueProperty` on
# `DELETE /issue/properties/{propertyKey}` is not `issue_properties.delete`)
_MANY = frozenset({"bulk", "batch", "mass"})
# a POST or PATCH on one object that adds to it or links something updates nothing of its own
# (Vercel's `assignAlias` on `POST /deployments/{id}/aliases`, Notion's `appendBlockChildren`
# were `update`: UX audit 13)
_ATTACHES = frozenset({"append", "assign", "unassign", "attach", "detach", "link", "unlink"})
# a POST on one object that makes another of it, or moves it up, updates nothing of its own
# (SendGrid's "Duplicate a transactional template" was `update`: regression audit 2)
_DUPLICATES = frozenset({"duplicate", "copy", "clone", "promote", "merge", "execute", "resend"})
_CONTRARY = {
    "list": _CHANGES | _CHECKS | (_ACTION_VERBS - {"search"}),
    "retrieve": (_READS - _AGREEING["retrieve"]) | _CHANGES | _CHECKS | _ACTION_VERBS | _MANY,
    "create": ((_READS | _CHANGES | _CHECKS | {"export"}) - _AGREEING["create"] - {"save"})
    | _CHANGES_STATE
    | _MANY,
    "update": ((_READS | _CHANGES | _CHECKS | {"export"}) - _AGREEING["update"])
    | _ACTION_VERBS
    | _ATTACHES
    | _DUPLICATES
    | _MANY,
    "delete": _MANY,
}
# the other verb an HTTP method can mean, taken when the operationId begins with it
# (`listWebhooks` on a GET the path reads as one object; `createDevice` on a POST read as an
# update): the first words that switch
_OTHER = {
    ("GET", "retrieve"): ("list", frozenset({"list"})),
    ("POST", "update"): ("create", frozenset({"create", "insert"})),
    ("POST", "create"): ("update", frozenset({"update"})),
}


def reconcile(
    verb: str | None, http_method: str, operation_id: str, text: str, chain: Sequence[str]
) -> str | None:
    """The REST verb the path's shape calls for, as the spec's own operationId (not one
    derived as `get /path`) confirms it. `text` is the operationId without its resource
    prefix, `chain` the resource's names (tags or segments), outermost first.

    Another verb the HTTP method can mean is taken when the operationId says it of this
    resource (`listWebhooks` on `GET /apps/{id}/webhooks`: `list`); none when it names
    another action (`submitComment` on a POST to one activity) or the resource's own
    segment does (`searchRecordsPost` on `POST /search.json`): the method keeps the
    operationId's words then."""
    if verb not in _CONTRARY or any(c.isspace() for c in operation_id):
        return verb  # an action the path names (`/invoices/{invoice}/pay`), or none
    words = lower_words(text)
    for name in chain:  # `StopPoint_MetaCategories` on `StopPoint`: `Meta` comes first
        head = lower_words(name)
        if head and words[: len(head)] == head:
            words = words[len(head) :]
            break
    resource = lower_words(chain[-1]) if chain else []
    first = words[0] if words else ""
    if agrees(verb, first):
        return verb
    if _spells(words, resource):  # `Line_StopPoints` on `StopPoints`
        # (unless a verb the path's does not mean follows: Vercel's `artifactQuery`, a POST
        # to `/artifacts` that reads, was `artifacts.create`: UX audit 13)
        after = words[len(resource) :]
        return None if after and after[0] in _CONTRARY[verb] else verb
    other, switches = _OTHER.get((http_method.upper(), verb), ("", frozenset()))
    if first in switches and (
        words == [first] or any(_ends_with(words[1:], lower_words(name)) for name in chain)
    ):
        return other
    if first in _CONTRARY.get(verb, ()):
        return None
    # a POST or GET to a segment that names an action (`/search`, `/connections/delete`,
    # `/account/update_profile.json`)
    # (an operationId that is only the resource's name says nothing more of a GET)
    named = resource[0] if resource and (words or http_method.upper() != "GET") else ""
    if verb != "list" and named in (_READS | _CHANGES | _CHECKS) and not agrees(verb, named):
        # (`/update_profile.json` updates; a GET on `/search` lists nothing the path names)
        return other if http_method.upper() == "POST" and agrees(other, named) else None
    return verb


def lower_words(text: str) -> list[str]:
    """The words of `text`, in lower case."""
    return [w.lower() for w in split_words(text)]


def singular(words: Sequence[str]) -> list[str]:
    """`words` (lower case) with the last one in the singular, roughly (`events`: `event`)."""
    if not words:
        return []
    last = words[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("ses", "xes", "ches", "shes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return [*words[:-1], last]


# the words of a parameter that say which item, not what it is (`projectKey`: a project)
_IDENTIFYING = frozenset("id ids key name code uuid guid slug sid ref identifier".split())


def noun_key(text: str) -> str:
    """A resource's name in the singular, its words joined (`featureFlags`: `feature_flag`);
    for a parameter, what it identifies (`projectKey`, `project_id`: `project`; `id`: none)."""
    words = lower_words(text)
    while words and words[-1] in _IDENTIFYING:
        words.pop()
    while words and words[0] in _IDENTIFYING:
        words.pop(0)
    return "_".join(singular(words))


def _spells(words: Sequence[str], resource: Sequence[str]) -> bool:
    """True when `words` begin with the resource's name (singular or plural)."""
    name = singular(resource)
    return bool(name) and singular(words[: len(name)]) == name


def _ends_with(words: Sequence[str], resource: Sequence[str]) -> bool:
    """True when `words` end with the resource's name (singular or plural), an HTTP method
    after it allowed (`listContractsGet` on `contracts`, `listCashDrawerShiftEvents` on
    `events`); also for no words (`list` alone)."""
    words = list(words)
    while words and words[-1] in ("get", "post", "put", "patch", "using"):
        words.pop()
    if not words:
        return True
    name = singular(resource)
    return bool(name) and len(words) >= len(name) and singular(words[-len(name) :]) == name


def verb_and_name(text: str, verb: str | None, resource: Sequence[str]) -> bool:
    """Is `text` the verb and the resource's name alone (`CancelPayment` on `payments`)?"""
    if verb is None or not resource:
        return False
    words = lower_words(text)
    verb_words = lower_words(verb)
    name = singular(lower_words(resource[-1]))
    return words[: len(verb_words)] == verb_words and singular(words[len(verb_words) :]) == name


def method_text(operation_id: str, resource: Sequence[str]) -> str:
    """The operationId minus its resource prefix: `repos/list-for-org` → `list-for-org`,
    `Pets_List` on `pets` → `List`; unchanged when nothing would remain."""
    if not any(c.isspace() for c in operation_id):  # a derived `get /path` id has spaces
        tail = _namespaced_tail(operation_id)
        if tail is not None:
            return tail
    words = split_words(operation_id)
    for name in (resource[-1:], resource):
        prefix = [w.lower() for part in name for w in split_words(part)]
        leading = [w.lower() for w in words[: len(prefix)]]
        rest = words[len(prefix) :]
        # Zuora's `Action_POSTamend` on `actions`: the name (singular too), then the HTTP
        # method in capitals glued to the action (`amend`)
        shouted = len(rest) > 1 and rest[0] in _SHOUTED_VERBS and rest[1][:1].islower()
        if prefix and shouted and singular(leading) == singular(prefix):
            return "_".join(rest[1:])
        if prefix and leading == prefix and rest:
            return "_".join(rest)
    # a verb, then the resource's name of two words or more, then more: Kubernetes'
    # `listCoreV1NamespacedPod` on `core_v1` is `list_namespaced_pod` (it stuttered as
    # `core_v1.list_core_v1_namespaced_pod`), Asana's `getCustomFieldSettingsForProject` on
    # `custom_field_settings` `get_for_project` (UX audit 18)
    prefix = [w.lower() for part in resource[-1:] for w in split_words(part)]
    named = [w.lower() for w in words[1 : len(prefix) + 1]]
    rest = words[len(prefix) + 1 :]
    # (its own verbs too: Kubernetes' `watch…`, `connect…`, lower case as a verb opens one)
    head = words[0] if words else ""  # (an operationId of no word: `"`, hostile strings)
    verb = head.lower() in KNOWN_VERBS or (head.isalpha() and head.islower())
    if len(prefix) > 1 and rest and verb:
        if singular(named) == singular(prefix):
            return "_".join([words[0], *rest])
    return operation_id


# an HTTP method written in capitals before the action in an operationId (Zuora's)
_SHOUTED_VERBS = frozenset({"GET", "PUT", "POST", "PATCH", "DELETE"})


def spells_request(operation_id: str, http_method: str, path: str) -> bool:
    """Is the operationId only the request spelled out (`get_files_id_content`, a derived
    `get /files/{id}/content`), saying nothing of its own?"""
    spelled = set(lower_words(path)) | {http_method.lower(), "id", "by", "using"}
    said = lower_words(operation_id)
    return bool(said) and said[0] == http_method.lower() and set(said) <= spelled


REST_VERBS = frozenset(_AGREEING)  # list, retrieve, create, update, delete
# every word an operationId may begin with that says what it does


def noun_action(action: str, operation_id: str, http_method: str, path: str) -> bool:
    """Is an action segment of a change (`POST …/password`, `PUT …/companyInfo`,
    `DELETE …/contracts/next`) a noun where the spec's own operationId says the verb
    (Linode's `resetLinodePassword`, BeezUP's `saveCompanyInfo`, `deleteNextContract`)? The
    operationId's words are the method's then; a GET's noun reads as what it gets
    (`…/counters`), and a segment the operationId begins with is its verb (`boot`)."""
    if action in REST_VERBS or http_method.upper() in ("GET", "HEAD"):
        return False
    if any(c.isspace() for c in operation_id) or spells_request(operation_id, http_method, path):
        return False
    segment, said = lower_words(action), lower_words(operation_id)
    if not segment or not said or segment[0] in KNOWN_VERBS:
        return False
    # (not `post_ephemeral_token_resource`: the HTTP method is no verb of its own)
    return said[0] in KNOWN_VERBS - {"post", "put", "patch"} and said[0] != segment[0]


def id_opens_with_action(
    segment: str, operation_id: str, http_method: str, parent: str | None
) -> bool:
    """Does the operationId say a path's last segment is its verb? Its words (after a tag
    prefix, `tag/…`, and an HTTP method, Zuora's `PUT_RenewSubscription`) begin with the
    segment's and go on with the object the segment acts on, the parent resource's name:
    Zuora's `PUT …/subscriptions/{key}/renew` (`PUT_RenewSubscription`), Square's
    `POST /v2/catalog/batch-delete` (`BatchDeleteCatalogObjects`), `…/gift-cards/{id}/
    link-customer` (`LinkCustomerToGiftCard`) are `renew`, `batch_delete`, `link_customer`,
    not resources of their own created or updated (billing audit 6). Never a GET's segment,
    a plural (a collection's name), or a segment followed by a verb (`profile_update` on
    `…/profile`: a noun)."""
    if http_method.upper() in ("GET", "HEAD") or parent is None:
        return False
    if any(c.isspace() for c in operation_id):  # a derived `get /path` id
        return False
    said = lower_words(_namespaced_tail(operation_id) or operation_id)
    if len(said) > 1 and said[0] in ("get", "put", "post", "patch", "delete"):
        said = said[1:]
    words = lower_words(segment)
    if not words or said[: len(words)] != words or len(said) == len(words):
        return False
    if _plural(words[-1]):
        return False
    rest = said[len(words) :]
    if rest[0] in KNOWN_VERBS or rest[0] in REST_VERBS:
        return False
    object_word = singular(lower_words(parent))[-1:]
    return bool(object_word) and any(singular([w]) == object_word for w in rest)


def summary_text(
    summary: str, operation_id: str, http_method: str, path: str, resource: Sequence[str]
) -> str | None:
    """The method's words from its summary, where the operationId only spells the request,
    the HTTP method first (`get_files_id_content`, `post_folders_id`, or none: `get
    /files/{id}/content`): Box's
    "Download file" is `download_file`, "Restore folder" on `trashed_folders` is `restore`.
    None when the operationId says more, or the summary is no short phrase of plain words
    (at most four, once articles, possessives' `'s`, and the resource's name closing it and
    what qualifies it are left out; five or six where the request spelled out says more
    than six words)."""
    if not spells_request(operation_id, http_method, path):
        return None  # (DigitalOcean's `sshKeys_get` is short and its own: kept)
    text = summary.strip().rstrip(".")
    if _CAMEL_PHRASE.fullmatch(text):  # Square's summary `ListRefunds` was `listrefunds`
        text = " ".join(split_words(text))
    words = [
        _POSSESSIVE.sub("", w)  # "List a commit's comments" is `list_commit_comments`
        for w in text.lower().split()
        if w not in ("a", "an", "the")
    ]
    if not words or not all(w.isascii() and w.isalpha() for w in words):
        return None
    words[0] = imperative(words[0])  # "Retrieves folders" is `retrieve_folders` (Xero's)
    own = {singular([w])[0] for name in resource[-1:] for w in lower_words(name)}
    while len(words) > 1 and (
        words[-1] in _LINKING or words[-1] in _QUALIFYING or singular(words[-1:])[0] in own
    ):
        words.pop()  # the resource's name closing the phrase ("Restore folder" on folders)
    if len(words) > 4 and lower_words(operation_id)[1:] == words[:1]:
        return words[0]  # monarch's `post_annotate`, "Annotate a given text using …"
    if len(words) <= _SHORT_SUMMARY:
        return "_".join(words)
    # a longer phrase only where the request's spelling is longer still (Bitbucket's
    # `put_repositories_workspace_repo_slug_default_reviewers_target_username`, "Add a user
    # to the default reviewers": `add_user_to_default_reviewers`), not for `get_activity`
    spelled = lower_words(method_text(operation_id, resource))
    return "_".join(words) if len(words) <= _SUMMARY_WORDS < len(spelled) else None


_POSSESSIVE = re.compile("(?:['\u2019]s|(?<=s)['\u2019])$")
# a summary that is one identifier of several words run together (`ListRefunds`)
_CAMEL_PHRASE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")
# the longest phrase a summary names a method with, and with a short request spelled
_SUMMARY_WORDS, _SHORT_SUMMARY = 6, 4


_VERBS = (
    _READS
    | _CHANGES
    | _CHECKS
    | _ACTION_VERBS
    | frozenset("download upload return export import generate issue".split())
)


# every word an operationId may begin with that says what it does
# (and a few more a summary or an operationId opens with: Box's "Promote file version",
# SendGrid's "Duplicate a transactional template"; regression audit 2), and `bulk`…
KNOWN_VERBS = _VERBS | _PHRASE_VERBS | _PROCEDURE_VERBS | _CHANGES_STATE | _DUPLICATES | _MANY


def reads_as_verb(segment: str, http_method: str) -> bool:
    """Is a path segment one word saying what the request does rather than naming a
    resource (`import`, `list`; a GET's only when it reads: `list`, `search`, `export`, not
    a `report`)? (A phrase, `search_request`, `set_payment_information`, is left a name.)"""
    words = lower_words(segment)
    verbs = _READS | _READING_VERBS if http_method.upper() == "GET" else KNOWN_VERBS
    return len(words) == 1 and words[0] in verbs


def imperative(word: str) -> str:
    """A verb a summary says in the third person, as a method says it: `retrieves` is
    `retrieve`, `searches` `search`, `modifies` `modify` (a method is a command; UX audit 10:
    Xero Files' `files.retrieves_folders()`); any other word as it is."""
    for ending, base in (("ies", "y"), ("es", ""), ("s", "")):
        verb = word[: len(word) - len(ending)] + base
        if word.endswith(ending) and verb in _COMMANDS:
            return verb
    return word


# verbs a summary describes with rather than commands: "Returns the payments" is no
# `return_payments` (a refund, in a billing SDK), and "Gets similar items" took the name
# another operation's `getSimilarItems` spells (regression audit)
_DESCRIBING = frozenset({"get", "return"})
_COMMANDS = _VERBS - _DESCRIBING


# words a summary's phrase does not end on once the resource's name is left out of it
# ("List items in folder" on `folders`: `list_items`)
_LINKING = frozenset("in of for to from on by with at into between".split())
# and the words that only qualify the resource's name ("List email addresses for current user"
# on `users`: `list_email_addresses`; "… between two commits" on `commits`)
_QUALIFYING = frozenset("current given specific existing two its their your this".split())


@dataclass(frozen=True)
class MethodCandidate:
    """What an operation's method could be called: a REST verb (None: none fits) and the
    spec text to fall back on; `rank` orders operations claiming the same verb."""

    verb: str | None
    fallback: str
    rank: tuple[int, ...]
    qualified: str = ""  # the whole operationId, when `fallback` is taken
    renamed: str | None = None  # a configured name: claimed before everything else


def method_names(candidates: Sequence[MethodCandidate], reserved: Iterable[str] = ()) -> list[str]:
    """The method names of one resource's operations, in the candidates' order.

    Configured names are claimed first. Of the operations that could take one REST verb, the
    best-ranked does; the others use their fallback. Verbs are claimed next, then the rest in
    order; a name never repeats, never shadows `reserved` (the sub-resources) or a resource
    member (`with_raw_response`).
    """
    scope = NameScope(_METHOD_RESERVED | frozenset(reserved))
    names: dict[int, str] = {}
    for index, candidate in enumerate(candidates):
        if candidate.renamed is not None:
            names[index] = scope.claim(candidate.renamed, Style.SNAKE, prefix="call")
    winners: dict[str, int] = {}
    for index, candidate in enumerate(candidates):
        if candidate.verb is None or index in names:
            continue
        best = winners.get(candidate.verb)
        if best is None or candidate.rank < candidates[best].rank:
            winners[candidate.verb] = index
    for verb, index in sorted(winners.items(), key=lambda item: item[1]):
        names[index] = scope.claim(verb, Style.SNAKE, prefix="call")
    for index, candidate in enumerate(candidates):
        if index not in names:
            text = candidate.fallback
            words = split_words(text)
            if words and all(is_version_segment(word) for word in words):
                # only a version is left (Velo's `payeeDetailsUpdateV3` beside V4's `create`
                # on `payees.payee_details_update` was a method `v3`): with its verb
                text = f"{candidate.verb}_{text}" if candidate.verb else candidate.qualified or text
            if not scope.is_free(styled(text, Style.SNAKE)) and candidate.qualified:
                text = candidate.qualified
            names[index] = scope.claim(text, Style.SNAKE, prefix="call")
    return [names[index] for index in range(len(candidates))]


def begin_names(
    names: Sequence[str], polled: Sequence[bool], reserved: Iterable[str] = ()
) -> list[str | None]:
    """The `begin_…` method of each long-running operation of one resource (None for the
    others), beside the resource's `names`: never one of them, nor a reserved name."""
    scope = NameScope(_METHOD_RESERVED | frozenset(reserved) | frozenset(names))
    return [
        scope.claim("begin_" + name, Style.SNAKE, prefix="call") if polls else None
        for name, polls in zip(names, polled, strict=True)
    ]
