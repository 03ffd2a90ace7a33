"""E-mail addresses: RFC 5321's `Mailbox`, the definition JSON Schema's `format: email` names
(2020-12 Validation, 7.3.2).

A local part is a dot-string (`joe.bloggs`, `~test`) or a quoted string (`"joe bloggs"`,
`"joe@bloggs"`); a domain is a name (`iana.org`, `io`, `c--n.com`) or an address literal
(`[127.0.0.1]`, `[IPv6:::1]`). Every check runs in time linear in the value's length (a
server may send a long one): the value is split on its last `@` and the domain on its dots,
and no pattern can backtrack across pieces.

This module is plain Python (the standard library only), copied verbatim into every
generated package; the generator reads examples with it too.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["is_mailbox"]

# RFC 5321 4.1.2: Dot-string = Atom *("." Atom); Atom = 1*atext (RFC 5322's atext)
_DOT_STRING = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE: printable ASCII but `"` and
# `\`, or `\` before any printable ASCII character
_QUOTED = re.compile(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"')
# sub-domain = Let-dig [Ldh-str]: letters, digits and inner hyphens
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


def is_mailbox(value: str) -> bool:
    """Is `value` an RFC 5321 `Mailbox` (`Local-part "@" ( Domain / address-literal )`)?"""
    local, at, domain = value.rpartition("@")  # (a quoted local part may hold `@`)
    if not at or not local or not domain:
        return False
    if not (_DOT_STRING.fullmatch(local) or _QUOTED.fullmatch(local)):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return _is_address_literal(domain[1:-1])
    return all(_LABEL.fullmatch(label) for label in domain.split("."))


def _is_address_literal(inner: str) -> bool:
    """`IPv4-address-literal` or `"IPv6:" IPv6-addr` (the tag in any case). No other
    `General-address-literal` tag is registered, so none other names a host."""
    if not inner.isascii() or "%" in inner:  # (a zone index is no part of RFC 5321's)
        return False
    tag, colon, address = inner.partition(":")
    try:
        if not colon:
            ipaddress.IPv4Address(inner)
        elif tag.lower() == "ipv6":
            ipaddress.IPv6Address(address)
        else:
            return False
    except ValueError:
        return False
    return True
