"""Secrets redacted from what is shown: messages, logs, and the data of an error's body.

A secret (a credential, a secret field sent) is replaced in any of the forms a server may
echo it in (as given, percent-encoded, `+` for spaces); runs of 12 or more digits (card
and account numbers) are masked in messages; a secret shorter than 8 characters (a CVC, a
PIN) only where it stands alone.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

__all__ = ["mask_digits", "redact", "redact_data", "scrub", "secret_forms"]

_LONG_DIGITS = re.compile(r"\d(?:[ -]?\d){11,}")


def mask_digits(text: str) -> str:
    """Mask runs of 12 or more digits (card and account numbers) in a message."""
    return _LONG_DIGITS.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """The ways a secret may be written back (as given, percent-encoded in a path or a
    query, `+` for spaces), longest first: what `redact` and the logs replace."""
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) >= 3:
            forms.update((secret, quote(secret, safe=""), quote_plus(secret, safe="")))
    return sorted(forms, key=len, reverse=True)


_SHORT = 8
"""A secret shorter than this (a CVC, a PIN) is replaced only where it stands alone: inside a
longer number or word, `123` turned the amount `1123.45` into `1[redacted].45`, which told
the CVC to whoever knew the amount (billing audit)."""


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of a secret (a credential or a secret field sent), in any of
    its `secret_forms`, in `text` (a server may echo the request's URL); one shorter than
    `_SHORT` characters where no letter or digit touches it."""
    forms = secret_forms(secrets)
    return _redact_short(_redact_long(text, forms), forms)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """A message as it may be shown: the long secrets redacted, then runs of 12 or more
    digits masked (`mask_digits`), then the short secrets redacted where they stand alone
    (a CVC `123` redacted first broke the account number `000123456789` into
    `000[redacted]456789`, which no mask then covered: billing audit)."""
    forms = secret_forms(secrets)
    return _redact_short(mask_digits(_redact_long(text, forms)), forms)


def redact_data(data: Any, secrets: Iterable[str]) -> tuple[Any, bool]:
    """An error's parsed body (JSON data, or the models built from it; changed in place)
    with each secret `redact` finds replaced in its strings, dict keys and numbers, and
    whether one was: `parsed` is shown, logged and printed as the message is, and a server
    may echo a request's credential or card number in it (`repr(e.parsed)` showed them:
    hostile sweep). Models keep their types and what they hold but the secret (a number
    echoing a card number becomes the text `[redacted]`)."""
    forms = secret_forms(secrets)
    if not forms:
        return data, False
    exact = {form for form in forms if len(form) >= _SHORT}  # (not a count equal to a CVC)

    def clean(value: Any) -> Any:
        if type(value) is str:
            return _redact_short(_redact_long(value, forms), forms)
        if type(value) is int and str(value) in exact:  # (a card number sent as a number)
            return "[redacted]"
        return value

    top = clean(data)
    if top is not data:
        return top, top != data
    changed = False
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:  # (a loop: the data may be nested as deep as a parser allows)
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, list):
            slots: list[tuple[Any, Any]] = list(enumerate(item))
            target: Any = item
        elif isinstance(item, dict):
            slots, target = list(item.items()), item
        elif _is_model(item):
            slots, target = list(item.__dict__.items()), item.__dict__  # its fields
            extra = getattr(item, "__pydantic_extra__", None)
            if isinstance(extra, dict):
                stack.append(extra)
        else:
            continue
        for key, value in slots:
            cleaned = clean(value)
            if cleaned is not value and cleaned != value:
                target[key], changed = cleaned, True
            elif isinstance(value, (dict, list)) or _is_model(value):
                stack.append(value)
            if isinstance(item, dict) and isinstance(key, str):
                cleaned_key = clean(key)
                if cleaned_key != key and cleaned_key not in item:
                    item[cleaned_key] = item.pop(key)
                    changed = True
    return data, changed


def _is_model(value: Any) -> bool:
    """A pydantic model instance (this module does not import pydantic)."""
    fields = getattr(type(value), "model_fields", None)
    return isinstance(fields, dict) and isinstance(getattr(value, "__dict__", None), dict)


def _redact_long(text: str, forms: list[str]) -> str:
    for form in forms:
        if len(form) >= _SHORT:
            text = text.replace(form, "[redacted]")
    return text


def _redact_short(text: str, forms: list[str]) -> str:
    short = [re.escape(form) for form in forms if len(form) < _SHORT]
    if not short:
        return text
    alone = re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(short)})(?![A-Za-z0-9])")
    return alone.sub("[redacted]", text)
