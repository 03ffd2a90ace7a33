"""The text a component schema's class name is styled from: its key, without namespaces.

Specs written from .NET, Java or Go code key their schemas by qualified type names:
Billbee's `Billbee.Interfaces.BillbeeAPI.Model.Order`, Kubernetes' `io.k8s.api.core.v1.Pod`,
Microsoft Graph's `microsoft.graph.user`, Twilio's `api.v2010.account.address`, generics such as
`Rechnungsdruck.WebApp.Controllers.Api.ApiResult[Billbee.Interfaces.BillbeeAPI.Model.Order]`.
Styled whole, those keys made classes such as
`RechnungsdruckWebAppControllersApiApiResultBillbeeInterfacesBill7` (cut at the name limit, then
numbered: the part that told the types apart was lost; UX audit 15). A qualified name is
shortened here to as few of its last segments as keep it apart from every other component
(`Order`, `Pod`, `User`; `CallFeedback` beside `MessageFeedback`), and a generic's arguments to
their last segment (`ApiResultOrder`). Keys of fewer than three parts are left as they are (Stripe's
`checkout.session`: the first part is no mere namespace), and so is any key whose short form
would still meet another's (the naming scope then decides).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .naming import Style, styled

__all__ = ["component_texts"]

# a segment of a qualified name: an identifier (Twilio's `trunking_country-instance` too)
_SEGMENT = r"[A-Za-z_][A-Za-z0-9_\-]*"
_QUALIFIED = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})+")
_NAME = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})*")
_WHOLE = re.compile(rf"{_QUALIFIED.pattern}(?:[\[<`].*)?\Z", re.DOTALL)
# a last segment that names no type: a version, a file extension (`Pet.json`, `order.v1`)
_NO_TYPE = re.compile(r"v?\d[\w\-]*|json|ya?ml|xml|schema|model|dto|type", re.IGNORECASE)
_MANGLED = re.compile(r"([A-Za-z0-9])_(?=[A-Z])")
_MAX_KEY = 500
# `checkout.session`, `issuing.card`: a two-part key's first part tells it apart (Stripe's
# `terminal.Reader`), where three parts or more are a namespace (`microsoft.graph.user`)
_MIN_SEGMENTS = 3  # longer keys are left whole (a hostile spec's 10 kB key: no regex work on it)


def component_texts(names: Iterable[str]) -> dict[str, str]:
    """For each component key, the text its class name is styled from (see the module)."""
    keys = list(dict.fromkeys(names))
    paths = {key: _head(key) for key in keys}
    texts = {key: key for key in keys if paths[key] is None}
    plain = [
        key for key in keys if paths[key] is not None and _QUALIFIED.fullmatch(_demangled(key))
    ]
    texts.update(_settled(plain, paths, texts, {}))
    # then the generics: an argument that is itself a component reads as that one's text
    known = {key: texts[key] for key in plain}
    generic = [key for key in keys if key not in texts]
    texts.update(_settled(generic, paths, texts, known))
    return {key: texts[key] for key in keys}


def _settled(
    keys: list[str],
    paths: dict[str, list[str] | None],
    fixed: dict[str, str],
    known: dict[str, str],
) -> dict[str, str]:
    """The texts of `keys`, each cut to as few last segments as keep it apart from the others
    and from the `fixed` texts; a key still meeting another at its full length keeps its key."""
    depth = dict.fromkeys(keys, 1)
    cache: dict[str, str] = {}
    while True:
        texts = dict(fixed)
        texts.update((key, _shortened(key, depth[key], known)) for key in keys)
        clashes = _clashing(texts, cache)
        grown = False
        for key in clashes:
            path = paths[key]
            if key in depth and path is not None and depth[key] < len(path):
                depth[key] += 1
                grown = True
        if not grown:
            break
    return {key: key if key in clashes else texts[key] for key in keys}


def _demangled(key: str) -> str:
    """`key` with a generic's brackets put back where a converter spelled them `_`
    (swagger2openapi: `Api.ApiResult_Billbee.Model.Order_` for `Api.ApiResult[Billbee.Model.Order]`)."""
    if "[" in key or "<" in key or not key.endswith("_") or _MANGLED.search(key) is None:
        return key
    stripped = key.rstrip("_")
    return _MANGLED.sub(r"\1[", stripped) + "]" * (len(key) - len(stripped))


def _head(key: str) -> list[str] | None:
    """The segments of `key`'s qualified head (`A.B.C[...]` → [A, B, C]), or None when `key`
    is no qualified name or its last segment names no type."""
    key = _demangled(key)
    if len(key) > _MAX_KEY or _WHOLE.match(key) is None:
        return None
    head = _QUALIFIED.match(key)
    if head is None:
        return None
    segments = head.group().split(".")
    if len(segments) < _MIN_SEGMENTS or _NO_TYPE.fullmatch(segments[-1]):
        return None
    return segments


def _shortened(key: str, depth: int, known: dict[str, str]) -> str:
    """`key` with its head cut to its last `depth` segments and every qualified name in its
    generic arguments to the text `known` gives it, else to its last segment, joined as words."""
    key = _demangled(key)
    head = _QUALIFIED.match(key)
    assert head is not None  # (only keys `_head` accepted get here)
    segments = head.group().split(".")
    words = segments[-depth:]
    rest = key[head.end() :]
    for match in _NAME.finditer(rest):
        words.append(known.get(match.group()) or match.group().split(".")[-1])
    return " ".join(words)


def _clashing(texts: dict[str, str], cache: dict[str, str]) -> set[str]:
    """The keys whose styled text is some other key's too (compared ignoring case, as the
    names of the modules that hold them are on some file systems)."""
    by_name: defaultdict[str, list[str]] = defaultdict(list)
    for key, text in texts.items():
        name = cache.get(text)
        if name is None:
            name = cache[text] = styled(text, Style.PASCAL).lower()
        by_name[name].append(key)
    return {key for group in by_name.values() if len(group) > 1 for key in group}
