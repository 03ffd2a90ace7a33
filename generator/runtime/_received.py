"""Values kept as received where a model was declared, their secrets masked when shown.

A lenient response (`_lenient.construct`) keeps a value that no declared model could hold
as it arrived: an object whose tag names no member of a union, a list where one model was
declared. Such a value is still the API's data (the caller may read it as a dict or a
list), but the models it stands for had fields that are secrets (`card_number`, `cvc`, a
`format: password`), which the models mask in `repr()` and in `to_dict()`/`to_json()`. A
`Received` dict or `ReceivedList` masks the same names, at any depth, in its `repr()`, and
`mask_like` masks them in what a model holding it dumps for `to_dict()`. Comparing,
indexing, iterating and serializing are a plain dict's and list's.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

from typing import Any

from ._secret_names import secret_name

__all__ = ["Received", "ReceivedList", "holds_received", "mask_like", "masked_by_name", "received"]

_MASK = "**********"  # as pydantic masks a `SecretStr`
_MAX_DEPTH = 32  # levels masked; deeper values are shown masked whole


class Received(dict[str, Any]):
    """An object kept as received where a model was declared; `repr()` masks `secrets`."""

    __slots__ = ("secrets",)  # no `__dict__`: pydantic serializes it as the dict it is
    secrets: frozenset[str]

    def __repr__(self) -> str:
        return repr(_masked(self, self.secrets, 0))


class ReceivedList(list[Any]):
    """A list kept as received where a model was declared; `repr()` masks `secrets`."""

    __slots__ = ("secrets",)
    secrets: frozenset[str]

    def __repr__(self) -> str:
        return repr(_masked(self, self.secrets, 0))


def received(value: Any, secrets: frozenset[str]) -> Any:
    """`value` (a dict or a list) as a `Received` one masking `secrets`; else unchanged."""
    kept: Received | ReceivedList
    if isinstance(value, dict):
        kept = Received(value)
    elif isinstance(value, list):
        kept = ReceivedList(value)
    else:
        return value
    kept.secrets = secrets
    return kept


def _masked(value: Any, secrets: frozenset[str], depth: int, by_name: bool = False) -> Any:
    """A copy of `value` with the values of keys in `secrets` masked, at every depth; with
    `by_name`, those of keys named as secrets too (`secret_name`), but for booleans."""
    if depth > _MAX_DEPTH and isinstance(value, (dict, list)):
        return _MASK
    if isinstance(value, (Received, ReceivedList)) and value.secrets - secrets:
        secrets = secrets | value.secrets  # (one held inside: its own secrets below it)
    if isinstance(value, dict):
        return {
            key: (
                _MASK
                if _hidden(key, item, secrets, by_name)
                else _masked(item, secrets, depth + 1, by_name)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item, secrets, depth + 1, by_name) for item in value]
    return value


def _hidden(key: Any, item: Any, secrets: frozenset[str], by_name: bool) -> bool:
    if item is None:
        return False
    if key in secrets:
        return True
    return by_name and isinstance(key, str) and not isinstance(item, bool) and secret_name(key)


def mask_like(original: Any, dumped: Any, depth: int = 0) -> Any:
    """`dumped` (what a model's field holding `original` serialized to) with the secrets of
    every `Received` value in `original` masked at the same places."""
    if isinstance(original, (Received, ReceivedList)):
        return _masked(dumped, original.secrets, 0) if original.secrets else dumped
    if depth > _MAX_DEPTH:
        return dumped
    if isinstance(original, (list, tuple)) and isinstance(dumped, list):
        if len(original) == len(dumped):
            return [mask_like(o, d, depth + 1) for o, d in zip(original, dumped, strict=True)]
    elif isinstance(original, dict) and isinstance(dumped, dict):
        return {
            key: mask_like(original[key], item, depth + 1) if key in original else item
            for key, item in dumped.items()
        }
    return dumped


def holds_received(value: Any, depth: int = 0) -> bool:
    """Whether `value` is or holds (in lists and dicts) a `Received` value."""
    if isinstance(value, (Received, ReceivedList)):
        return True
    if depth > _MAX_DEPTH:
        return False
    if isinstance(value, (list, tuple)):
        return any(holds_received(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return any(holds_received(item, depth + 1) for item in value.values())
    return False


def masked_by_name(value: Any) -> Any:
    """`value` (JSON data a model holds untyped: a `dict[str, Any]` field, an undeclared
    one) with the values of keys named as secrets (`secret_name`: `access_token`,
    `password`, `cvc`) masked at every depth, for `repr()`: Slack's `oauth.v2.access` showed
    `authed_user={'access_token': 'xoxp-…'}` beside its own masked `access_token` (UX audit
    18). A `Received` value's own secrets are masked too, at any depth."""
    return _masked(value, frozenset(), 0, by_name=True)
