"""What the clients take besides credentials: server variables (`servers[0].variables`),
each one the first server's URL names an argument, else read from its environment
variable, else its default (AWS's `region`, in 341 directory specs; Pinecone's
`environment`; a version, a base path); and AutoRest's client parameters (Azure's
`subscriptionId`: `client_parameters`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .ir import Operation
from .ir_document import raw_servers, text_of
from .naming import NameScope, Style, split_words
from .typeir import TypeNode, without_none

# a variable holding a credential (Telegram's `bot{token}`) is no argument: a secret in the
# base URL would show in reprs and logs; `base_url=` takes the whole URL instead
_SECRET_WORDS = frozenset(
    """token key apikey secret password passwd pwd credential credentials auth sig signature
    sas jwt bearer pat""".split()
)


def _names_a_secret(name: str) -> bool:
    words = [w.lower() for w in split_words(name)]
    return any(w in _SECRET_WORDS or w.startswith(("token", "secret", "passw")) for w in words)


@dataclass(frozen=True)
class ServerVariable:
    """One variable of the first server's URL, taken by the clients as an argument."""

    argument: str  # the clients' argument (and `<PREFIX>_<ARGUMENT>`, its variable)
    name: str  # as the URL names it, in braces
    default: str
    enum: tuple[str, ...]  # the values the spec allows (none: any)
    description: str
    # no default to use: the spec's is a placeholder (VTEX's `{accountName}`), so the client
    # refuses to be made without a value
    required: bool = False


def server_variables(
    document: dict[str, Any], taken: Iterable[str]
) -> tuple[str, tuple[ServerVariable, ...]]:
    """The first server's URL with the variables taken as arguments in braces (the others
    at their default, a final `/` dropped), and those variables; arguments never take a
    name of `taken` (the clients' other arguments)."""
    listed = raw_servers(document)
    if not listed:
        return "", ()
    first = listed[0]
    url: str = first["url"]
    raw = first.get("variables")
    scope = NameScope(frozenset(taken))
    found = []
    for name, variable in raw.items() if isinstance(raw, dict) else []:
        if not isinstance(variable, dict) or "default" not in variable:
            continue
        default = str(variable["default"])
        mark = "{" + str(name) + "}"
        if mark not in url:
            continue
        # (VTEX's `{accountName}`; AutoRest's `none`, which anyone may register as a storage
        # account: its client sent credentials to `none.dfs.core.windows.net`; regression audit)
        placeholder = "{" in default or "}" in default or default.strip().lower() in ("", "none")
        if _names_a_secret(str(name)):
            url = url.replace(mark, default)
            continue
        enum = variable.get("enum")
        values = tuple(str(v) for v in enum) if isinstance(enum, list) else ()
        argument = scope.claim(str(name), Style.SNAKE, prefix="server")
        description = text_of(variable, "description")
        found.append(
            ServerVariable(
                argument,
                str(name),
                "" if placeholder else default,
                values,
                description,
                placeholder,
            )
        )
    return url.rstrip("/"), tuple(found)


@dataclass(frozen=True)
class ClientParameter:
    """An AutoRest client parameter (Azure's `subscriptionId`, in 311 directory specs): an
    argument of the clients (else `$<PREFIX>_<ARGUMENT>`) that every operation sending it
    uses unless the call gives its own."""

    argument: str
    location: str  # "path" | "query" | "header"
    wire_name: str
    description: str
    type: TypeNode | None = None  # the parameter's type (first use), None not admitted
    example: str | None = None  # its example, as JSON text
    # what the test kit's clients give it: a value of its type (Twilio's `AccountSid`
    # pattern refused `test-account_sid` on every call; UX audit 16), `ir_build`'s
    # `with_test_fallbacks`; empty until then
    test_value: str = ""


def client_parameters(
    operations: Iterable[Operation], taken: Iterable[str]
) -> tuple[ClientParameter, ...]:
    """The client parameters of `operations` (`Parameter.client`), first use first, named
    apart from `taken` (the clients' other arguments)."""
    scope = NameScope(frozenset(taken))
    found: dict[tuple[str, str], ClientParameter] = {}
    for op in operations:
        for p in op.parameters:
            if p.client and (p.location, p.wire_name) not in found:
                argument = scope.claim(p.wire_name, Style.SNAKE, prefix="client")
                found[(p.location, p.wire_name)] = ClientParameter(
                    argument,
                    p.location,
                    p.wire_name,
                    p.description,
                    without_none(p.type),
                    p.example,
                )
    return tuple(found.values())
