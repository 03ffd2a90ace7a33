"""Which POSTs read, by their names and their first success status: a POST with an optional
`offset` or `cursor` in its JSON body pages by it (`ir_pagination.detect`) only when it does,
since paging sends it once per page and retries it as a read (hostile audits 10 and 11: a
capture answered with its history was sent once per page, retried without an
`Idempotency-Key`)."""

from __future__ import annotations

from typing import Any

from .naming import split_words

__all__ = ["creates", "reads"]

# A POST read as a search by its names: the verbs of Google's `:search`, `:list`, `:query`
# and `:batchGet…`, Plaid's `…/list` and `…/get`, Square's `Search…` and `BatchRetrieve…`,
# Stream's `QueryChannels`; and the verbs that write, which none of those holds
_READ_VERBS = frozenset(
    "search list query get find fetch retrieve read lookup browse filter export resolve"
    " predict evaluate compute scan select history count view show describe".split()
)
_WRITE_VERBS = frozenset(
    "create add insert post put update patch set upsert delete remove cancel capture charge"
    " pay refund void authorize approve send submit execute run start stop import upload move"
    " copy merge register enroll assign grant revoke issue confirm complete close open reset"
    " payout purchase reserve".split()
)
_NAME_PREFIXES = frozenset({"batch", "bulk", "multi", "deprecated"})


def reads(raw: dict[str, Any], path: str) -> bool:
    """Whether a POST reads, by its names: a verb that reads first or last in its operationId
    (the last dotted part: Google's `aiplatform.….search`), in its path's last literal
    segment or action (`/transfer/list`, `/{parent}:searchLinks`), or first in its summary
    ("List bank transfers"), and no verb that writes anywhere in them. A POST with an
    optional `offset` or `cursor` in its body (a capture's history, a payout's idempotency
    cursor) is paged by its body only when it reads: paging sends it once per page, and
    retries it as a read (hostile audit 10)."""
    names: list[list[str]] = []
    operation_id = raw.get("operationId")
    if isinstance(operation_id, str):
        names.append(_verbs(operation_id.rsplit(".", 1)[-1]))
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    if segments:
        names.append(_verbs(segments[-1].rsplit(":", 1)[-1]))
    if path.rsplit("/", 1)[-1].count(":") == 1:  # `{parent}:searchLinks`
        names.append(_verbs(path.rsplit(":", 1)[-1]))
    summary = raw.get("summary")
    if isinstance(summary, str):
        names.append(_verbs(summary)[:1])
    if any(word in _WRITE_VERBS for words in names for word in words):
        return False  # `getOrCreateCustomer`, `retrieveAndCapturePayment` (hostile audit 11)
    return any(words and (words[0] in _READ_VERBS or words[-1] in _READ_VERBS) for words in names)


def creates(raw: dict[str, Any]) -> bool:
    """Does the operation's first success say it created or accepted something (201, 202):
    no search, whatever its name (hostile audit 11; Stream's `QueryChannels`, answered 201,
    pages no more)."""
    responses = raw.get("responses")
    codes = (
        sorted(str(c) for c in responses if str(c)[:1] == "2")
        if isinstance(responses, dict)
        else []
    )
    return bool(codes) and codes[0] in ("201", "202")


def _verbs(text: str) -> list[str]:
    """The words of a name in lower case, without a leading `batch`, `bulk` or `deprecated`,
    nor a closing HTTP method, which names how the request goes, not what it does (Jira's
    `searchForIssuesUsingJqlPost`, "… (POST)", was no read: unpaged; newcomer audit 23)."""
    words = [word.lower().rstrip("0123456789") for word in split_words(text)]
    while words and words[0] in _NAME_PREFIXES:
        words = words[1:]
    words = [word for word in words if word]
    while len(words) > 1 and words[-1] in _METHOD_WORDS:
        words = words[:-1]
    return words


_METHOD_WORDS = frozenset({"get", "post", "put", "patch"})
