"""The text of a generated method's docstring, from the operation's IR: the spec's summary
and description, then Args, Returns and Raises in Google style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .filters import html_text
from .ir_content import received_as_is

if TYPE_CHECKING:
    from .ir import Operation, Response

__all__ = ["operation_docstring"]


# what a deprecated operation's method says, in its docstring and its `DeprecationWarning`
DEPRECATION = "Deprecated: the API marks this operation deprecated."


def operation_docstring(op: Operation) -> str:
    """The method docstring: summary, description, arguments, return value, errors."""
    parts = [html_text(t) for t in (op.summary, op.description) if t]
    if not parts:
        parts.append(f"{op.http_method} {op.path}")
    if op.deprecated:
        parts.insert(1, DEPRECATION)
    args = [
        f"{p.name}: {brief(p.description) or p.wire_name} ({p.location})" for p in op.parameters
    ]
    args.extend(f"{f.name}: {brief(f.description) or f.alias} (body)" for f in op.body_fields)
    if op.body is not None:
        body = brief(op.body.description) or "The request body."
        if op.body_fields:
            body = body.rstrip(".") + ". A model or mapping, instead of the keyword arguments."
        args.append(f"body: {body}")
        if op.body.content_types:
            media = ", ".join(m for m, _ in op.body.content_types)
            if len(op.body.content_types) == 1:  # (a wildcard: `image/*`)
                args.append(
                    f"content_type: The body's media type, one that {media} covers (default:"
                    " a file's, from its name)."
                )
            else:
                args.append(f"content_type: How the body is encoded: {media} (default: the first).")
    if op.binary_success:
        args.append(
            "stream: Return the response unread (binary or text), to iterate or write to\n"
            "a file without holding it in memory (use it as a context manager)."
        )
    args.append("extra_headers: Headers to add to the request.")
    args.append("extra_query: Query parameters to add to the request (they win).")
    args.append("extra_body: Fields to add to the (object) body (they win).")
    if op.takes_idempotency_key:
        # (UX audit 13: "safe to retry" where the API ignores the key sent an SMS twice)
        args.append(
            "idempotency_key: Sent as `Idempotency-Key`; with it the call is retried as a GET"
            " is: give one only where the API honours the header."
        )
    args.append("timeout: Override the client's timeout for this call.")
    parts.append("Args:\n" + _entries(args, 4))
    # (without a 2xx, a `default` without content answers successes: Walmart's orders)
    answers = op.success_responses or tuple(
        r for r in op.responses if r.status == "default" and r.content_type is None
    )
    bodied = any(r.content_type is not None for r in answers)
    received = [_as_received(op, r, bodied) for r in answers]
    returns = [
        _returned(r, as_is)
        for r, as_is in zip(answers, received, strict=True)
        if r.description or as_is
    ]
    if returns:
        parts.append("Returns:\n" + _entries(returns, 4))
    raises = [
        f"{r.status}: {brief(r.description)}"
        for r in op.responses
        if not r.status.startswith("2") and r not in answers
    ]
    if raises:
        parts.append(
            "Raises:\n    APIStatusError (subclass by status) for:\n" + _entries(raises, 8)
        )
    return "\n\n".join(parts)


# an argument's or a response's description in a method's docstring: at most this long (its
# first paragraph, cut). The same schema's text was copied into every method taking it (sync
# and async): a 1.3 MB description and 100 operations made 254 MB of package (hostile
# audit 8); the whole text stays in the model's docstring, once.
BRIEF_CHARS = 1000


def brief(text: str) -> str:
    """`text` when within `BRIEF_CHARS`, else its first paragraph, cut at a word within
    `BRIEF_CHARS`, and an ellipsis."""
    text = html_text(text)
    if len(text) <= BRIEF_CHARS:
        return text
    first = text.strip().split("\n\n", 1)[0][: BRIEF_CHARS + 1]
    if len(first) > BRIEF_CHARS:
        first = first.rsplit(None, 1)[0] if " " in first else first[:BRIEF_CHARS]
    return first.rstrip() + " …"


# what a method's docstring says of a success declared without content
AS_RECEIVED = (
    "The spec declares no body: one the server sends is returned as\n"
    "received (JSON as data, text as `str`, else a `BinaryResponse`)."
)


def _as_received(op: Operation, response: Response, bodied: bool) -> bool:
    """Is `response` a success declared without content whose body the method returns as
    received, typed `Any` (`received_as_is`; `bodied`: another success declares one)?"""
    if response.content_type is not None:
        return False
    return received_as_is(op.http_method, response.status, bodied)


def _returned(response: Response, as_received: bool) -> str:
    """A `Returns:` entry: the status, its description, and, where the spec declares no
    content, that a body is returned as received (UX audit 14: Walmart's orders)."""
    said = brief(response.description)
    if not as_received:
        return f"{response.status}: {said}"
    return (
        f"{response.status}: {said}\n{AS_RECEIVED}" if said else f"{response.status}: {AS_RECEIVED}"
    )


def _entries(entries: list[str], indent: int) -> str:
    """Docstring section entries at `indent`, each one's further lines (a multi-line
    description) hanging four deeper, as Google style reads them (the `docstring` filter
    strips the blank lines' padding)."""
    pad, hang = " " * indent, "\n" + " " * (indent + 4)
    return "\n".join(pad + entry.replace("\n", hang) for entry in entries)
