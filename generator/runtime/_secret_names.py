"""Names that say a value is a secret, whatever the spec says of it: what fields kept as
received, undeclared fields and parameters named so (`cardNumber`, `CVC`, `x-api-key`,
`api_secret`) are masked or redacted by.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import re

__all__ = ["SENSITIVE_NAMES", "sensitive_key"]


# names (snake case) of values that are secrets whatever the spec says: the generator's
# `schema_scalars._SENSITIVE_NAMES`, for fields it never saw (kept as received)
SENSITIVE_NAMES = frozenset(
    """access_token account_number api_key api_token apikey auth_token bank_account_number
    bearer_token card_number cardnumber client_secret ccv csc cvc cvc2 cvv cvv2
    encrypted_card_number encrypted_security_code iban id_token passphrase passwd password
    pin private_key refresh_token secret secret_key security_code session_token ssn""".split()
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
