"""Method names, the operation's own words against its path's shape (regression audit 2):
where the shape only guesses a verb (a POST to one object no parameter of the path names,
a GET of a path below which items lie, a PUT on one item), what the operationId or the
summary says decides it. Part of the naming authority (`naming`, `naming_methods`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .naming_methods import (
    KNOWN_VERBS,
    agrees,
    imperative,
    lower_words,
    spells_request,
)

# words after a summary's first one that make it a verb ("Annotate a given text", "Uploads
# a file.") where it is none `naming_methods` knows; a noun is followed by another ("Account
# settings")
_DETERMINERS = frozenset("a an the all new one some multiple each every given your".split())
# the HTTP method or a filler closing an operationId (`listContractsGet`, `getUsingGET`)
_CLOSING = frozenset({"get", "post", "put", "patch", "using"})


def _own_words(operation_id: str, text: str, http_method: str, path: str) -> list[str] | None:
    """The operationId's words: of `text` (without its resource prefix) where that is a
    dotted or slashed name's last part (`repos/list-for-org`), else of the whole
    (`searchRecordsPost`: `search` is its verb); None where it is no word of the spec's
    own (derived as `post /files`, or only the request spelled: monarch's `post_annotate`)."""
    if any(c.isspace() for c in operation_id) or spells_request(operation_id, http_method, path):
        return None
    whole = re.split(r"[./]", operation_id)[-1]
    return lower_words(text if lower_words(whole) == lower_words(text) else operation_id)


def _without(words: list[str], chain: Sequence[str]) -> list[str]:
    """`words` without the resource's name they open with (`ContractList` on `contracts`)."""
    for name in chain:
        head = lower_words(name)
        if head and words[: len(head)] == head:
            return words[len(head) :]
    return words


def _summary_words(summary: str) -> list[str]:
    """A summary's words, lower case, its first as a command (`Uploads` is `upload`)."""
    words = [w.strip(".,:;()").lower() for w in summary.split()]
    words = [w for w in words if w]
    if words:
        words[0] = imperative(words[0])
    return words


def tentative_verb(
    guess: str,
    reconciled: str | None,
    operation_id: str,
    text: str,
    summary: str,
    http_method: str,
    path: str,
    chain: Sequence[str],
) -> str | None:
    """`create` or `update` for a POST to one object that no parameter of its path names
    (`resource_paths.PathReading.tentative`; `guess` is the path's), as its words say: the
    spec's own operationId (`updateSettings`, `saveConfig`: `update`; `newMovie`: `create`),
    else the summary's first word ("Creates a …"); None where they name another action
    (monarch's "Annotate a given text", "Fetches a map…", openchannel's "Uploads a file.",
    AWS's `EnableSecurityHub`: all were `update`); the guess where they say no verb (an
    operationId that opens with a service's name: Magento's
    `quoteBillingAddressManagementV1AssignPost`), or nothing is said; what `reconciled`
    (`naming_methods.reconcile`) says where the operationId only names the path's segment."""
    method = http_method.lower()
    words = _own_words(operation_id, text, http_method, path)
    if words and words[0] == method:
        words = None  # `post_ontol_identifier_resource` says no more than its summary
    if words is not None:
        while words and words[-1] in _CLOSING:  # `ContactsPOST`, `mapFacesUsingPOST`
            words.pop()
        rest = _without(words, chain)
        for verb in ("create", "update"):  # (`UpdateProject` on `/update`)
            if _agrees(verb, words) or _agrees(verb, rest):
                return verb
        if not rest:
            return reconciled  # Etherpad's `appendTextUsingPOST` on `/appendText`
        if rest[0] == method:
            return guess  # Botschaft's `discord_post_discord_post`
        if words[0] in KNOWN_VERBS:
            return None  # (Jira's `getAutoCompletePost`)
        said = _summary_words(summary)
        if said and said[0] == words[0]:
            # a verb the summary opens with too (Ably's `subscribePushDeviceToChannel`,
            # "Subscribe a device to a channel", was `channel_subscriptions.update` beside
            # its `list`; newcomer audit 23), not a service's name (Magento's `quote…`)
            return None
        single = len(lower_words(operation_id)) == 1  # (BeezUP's `Optimise`)
        return None if rest[0] in KNOWN_VERBS or single else guess
    said = _summary_words(summary)
    if not said or said[0] == method:
        return guess
    for verb in ("create", "update"):
        if _agrees(verb, said):
            return verb
    verb_like = said[0] in KNOWN_VERBS or (len(said) > 1 and said[1] in _DETERMINERS)
    return None if verb_like else guess  # ("Account settings" says no verb)


def _agrees(verb: str, words: Sequence[str]) -> bool:
    """Does the first of `words` agree with `verb` (`agrees`)? Adding to one object creates
    nothing (Spotify's `addToQueue` on `POST /me/player/queue`); a `putStamp` updates."""
    if not words or (words[0] == "add" and "to" in words):
        return False
    return agrees(verb, words[0]) or (verb == "update" and words[0] in ("put", "patch"))


def one_word_action(operation_id: str, text: str, chain: Sequence[str]) -> bool:
    """Is the spec's own operationId one word (or a dotted name's last: Google's
    `….operations.wait`), neither an HTTP method nor a REST verb nor the resource's name,
    for a POST read as an update? It names the action then (BeezUP's `Optimise` on `POST
    …/optimisations/{actionName}`, which optimises every product, was `update`)."""
    if any(c.isspace() for c in operation_id):
        return False
    words = lower_words(text)
    whole = operation_id.rsplit(".", 1)[-1].rsplit("/", 1)[-1]
    if len(words) != 1 or lower_words(whole) != words or words[0] in _CLOSING:
        return False
    named = "".join(lower_words(chain[-1])) if chain else ""  # `setLineItemMetadata`
    return words[0] != named and not any(agrees(v, words[0]) for v in ("update", "create"))


def says_list(
    operation_id: str, text: str, summary: str, http_method: str, path: str, chain: Sequence[str]
) -> bool:
    """Do a GET's words say it lists, where its path reads as one object (whatever the spec
    says it answers: Watchful's "Get a list Extensions" declares one)? The operationId (`getAllProjectAvatars`, `getContractList`,
    `get_prefix_collection`) or the summary ("Returns a paginated list of files", "List
    …"): Jira's avatars, monarch's prefixes, openchannel's files were `retrieve`."""
    words = _own_words(operation_id, text, http_method, path)
    if words is not None:
        words = _without(words, chain)
        while words and words[-1] in _CLOSING:
            words.pop()
        if words[:1] == ["all"] or words[1:2] == ["all"]:
            return True
        if len(words) > 1 and words[-1] in ("list", "collection"):
            return True
    said = [w for w in _summary_words(summary) if w not in ("a", "an", "the", "paginated")]
    if said[:1] == ["list"] and len(said) > 1:
        return True
    reads = len(said) > 2 and said[0] in _READING
    return reads and (said[1] == "list" or said[1:3] == ["all", "of"])


# a summary's first word before "list of" ("Returns list of prefixes")
_READING = frozenset("get gets return returns retrieve fetch find".split())


def upserts(http_method: str, spoken: str) -> bool:
    """Does a PUT's summary say it creates? A PUT on one item creates or replaces it: payrun's
    `PUT …/Secret/{SecretId}`, "Create a new employee secret", is `update`, not
    `create_new_employee`."""
    words = lower_words(spoken)
    return http_method.upper() == "PUT" and bool(words) and agrees("create", words[0])
