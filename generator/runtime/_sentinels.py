"""Values every module of the package shares, with nothing to import: `NOT_GIVEN` (an
argument left out, where `None` means something), the request extensions that mark a
body sent once (never retried) or holding the API's own idempotency key, and `is_class`.

Kept apart so that `import <package>; <package>.Client()` loads no pydantic model
machinery: the modules that need it are imported at the first request.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

from types import GenericAlias
from typing import Any, ClassVar, TypeGuard

__all__ = [
    "FOREIGN_ORIGIN",
    "KEYED_BODY",
    "NOT_GIVEN",
    "NO_CREDENTIALS",
    "SENT_SECRETS",
    "STREAMED_BODY",
    "NotGiven",
    "is_class",
]

# set on a request whose body streams from an iterable or file: it cannot be sent twice
STREAMED_BODY = "billing_sdkgen.streamed_body"
# set on a request whose JSON body holds the API's own `idempotency_key` (Square's): it may
# be sent again as one with an `Idempotency-Key` header may
KEYED_BODY = "billing_sdkgen.keyed_body"
# set on a request sent without the credentials its operation requires: what to configure,
# which a 401 or 403 error's message then says
NO_CREDENTIALS = "billing_sdkgen.no_credentials"
# set on every request: the secrets it sends (credentials, secret fields), which what comes
# of it later (a long-running operation's error) redacts too
SENT_SECRETS = "billing_sdkgen.sent_secrets"
# request extension: a request a redirect took to another origin than the API's; the http
# client's own `auth` is not applied to it (`_origins.client_auth`)
FOREIGN_ORIGIN = "billing_sdkgen.foreign_origin"


class NotGiven:
    """Sentinel for "argument not given" where `None` is a meaningful value."""

    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def is_class(value: Any) -> TypeGuard[type]:
    """Is `value` a class (one `issubclass` and `isinstance` take)? Not `list[Tag]`: on
    Python 3.10 `isinstance(list[Tag], type)` holds (3.11 changed it), and `isinstance(body,
    list[Tag])` or `issubclass(list[Tag], BaseModel)` then raised TypeError: an array body of
    two media types on any pydantic, every array parameter and response on pydantic before
    2.11 (install audit)."""
    return type(value) is not GenericAlias and isinstance(value, type)
