"""Names that say a value is a secret, whatever the spec says of it: what fields kept as
received, undeclared fields and parameters named so (`cardNumber`, `CVC`, `x-api-key`,
`api_secret`) are masked or redacted by; and names that are a credential's (`token`, `key`,
`user_key`, `subscription-key`), whose parameters and undeclared request fields are secrets
of the request too.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import functools
import re

__all__ = ["SENSITIVE_NAMES", "credential_name", "secret_name", "sensitive_key"]


# names (snake case) of values that are secrets whatever the spec says: the generator's
# `schema_scalars._SENSITIVE_NAMES`, for fields it never saw (kept as received)
SENSITIVE_NAMES = frozenset(
    """access_token account_number api_key api_token apikey auth_token bank_account_number
    bearer_token card_number card_swipe cardnumber client_secret ccv csc cvc cvc2 cvv cvv2
    dda_number encrypted_card_number encrypted_security_code iban id_number id_token pan
    passphrase passwd password pin private_key refresh_token secret secret_key security_code
    session_token social_security_number ssn track1 track1_data track2 track2_data
    track_data""".split()
)


# the words of a name, as the generator reads them (`naming._WORD_BOUNDARY`): `APIKey` is
# api, key (it was `apikey` here, and `APIKey` undeclared was shown: hostile audit 12)
_WORDS = re.compile(
    r"(?:GET|PUT|POST|PATCH|DELETE)(?=[a-z]{2})"
    r"|[A-Z]{2,}s\d*(?![a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]+\d*|\d+[a-z]*"
)
_SENSITIVE_SUFFIX = re.compile(
    "_(?:" + "|".join(sorted(SENSITIVE_NAMES, key=len, reverse=True)) + ")$"
)


def sensitive_key(key: str) -> bool:
    """Does a field's wire name say it holds a secret (`cardNumber`, `CVC`, `x-api-key`)?
    Read as the generator reads a declared one (`schema_scalars.is_sensitive_name`)."""
    words = [w.lower() for chunk in re.split(r"[^A-Za-z0-9]+", key) for w in _WORDS.findall(chunk)]
    name = "_".join(words)
    return name in SENSITIVE_NAMES or _SENSITIVE_SUFFIX.search(name) is not None


# a name, its words run together in lower case, that IS a credential's: the generator's
# `overlay_query._QUERY_CREDENTIAL`, which makes a query parameter so named the client's
# credential where (nearly) every operation requires it (a test holds the two to one verdict);
# below those shares, `token=`, `user_key=` or `subscription-key=` went to httpx's log line,
# the package's and `str(e)` in clear (hostile audit 16)
_CREDENTIAL = re.compile(
    r"x?(?:api|app|dev|access|auth|client|user|private|secret|subscription|account)?"
    r"(?:key|token|secret)"
)
# what separates a name's words there: ASCII only (`k\u2000e.y` is no `key`)
_SEPARATORS = re.compile(r"[-_. \t\n\r\f\v]")


def credential_name(name: str) -> bool:
    """Is a name a credential's, all of it (`key`, `api_key`, `apiToken`, `x-auth-token`,
    `subscription-key`; not `pageToken`, `next_token`, `idempotency_key`)?"""
    return _CREDENTIAL.fullmatch(_SEPARATORS.sub("", name).lower()) is not None


@functools.lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Does a parameter's name, or that of a request field the spec does not declare
    (`extra_query`, `extra_body`, `client.post(path, body=…)`), say its value is a secret:
    named as one (`sensitive_key`) or as a credential (`credential_name`)? Its value is
    then redacted from errors and logs."""
    return sensitive_key(name) or credential_name(name)
