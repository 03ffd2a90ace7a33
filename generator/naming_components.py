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
_MIN_SEGMENTS = 3
# Java's deepest packages and Kubernetes' `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` stay
# well below; a longer key is left whole (each part is a round of the clash search: audit 16)
_MAX_SEGMENTS = 16
_SEPARATORS = str.maketrans(
    "", "", "._- []<>,`"
)  # longer keys are left whole (a hostile spec's 10 kB key: no regex work on it)


def component_texts(names: Iterable[str]) -> dict[str, str]:
    """For each component key, the text its class name is styled from (see the module)."""
    keys = list(dict.fromkeys(names))
    parsed = {key: _parsed(key) for key in keys}
    texts = {key: key for key in keys if parsed[key] is None}
    folded = {key: _fold(key) for key in texts}
    plain = [key for key in keys if (found := parsed[key]) is not None and not found[1]]
    texts.update(_settled(plain, parsed, folded, {}))
    # then the generics: an argument that is itself a component reads as that one's text
    known = {_demangled(key): texts[key] for key in plain}
    folded.update((key, _fold(texts[key])) for key in plain)
    generic = [key for key in keys if key not in texts]
    texts.update(_settled(generic, parsed, folded, known))
    return {key: texts[key] for key in keys}


def _settled(
    keys: list[str],
    parsed: dict[str, tuple[list[str], list[str]] | None],
    fixed: dict[str, str],
    known: dict[str, str],
) -> dict[str, str]:
    """The texts of `keys`, each cut to as few last segments as keep it apart from the others
    and from the texts already decided (`fixed`: their folds); a key still meeting another at
    its full length keeps its key.

    Each round lengthens only the keys that meet another (`_parting_depths`), so the work is
    bounded by the keys times their segments (at most `_MAX_SEGMENTS`), each text compared by
    a cheap fold."""
    texts: dict[str, str] = {}
    depth: dict[str, int] = {}
    heads: dict[str, list[str]] = {}
    arguments: dict[str, list[str]] = {}
    buckets: defaultdict[str, set[str]] = defaultdict(set)
    for key, fold in fixed.items():
        buckets[fold].add(key)
    for key in keys:
        found = parsed[key]
        assert found is not None  # (only parsed keys are settled)
        heads[key] = found[0]
        arguments[key] = [known.get(name) or name.split(".")[-1] for name in found[1]]
        depth[key] = 1
        texts[key] = " ".join(found[0][-1:] + arguments[key])
        buckets[_fold(texts[key])].add(key)
    folds = {key: _fold(text) for key, text in texts.items()}
    pending = {folds[key] for key in keys}
    while pending:
        moved: set[str] = set()
        for fold in pending:
            members = buckets[fold]
            if len(members) < 2:
                continue
            for key, wanted in _parting_depths(members, heads, depth).items():
                buckets[folds[key]].discard(key)
                depth[key] = wanted
                texts[key] = " ".join(heads[key][-wanted:] + arguments[key])
                folds[key] = _fold(texts[key])
                buckets[folds[key]].add(key)
                moved.add(folds[key])
        pending = moved  # where keys moved to: they may meet others there
    return {key: key if len(buckets[folds[key]]) > 1 else text for key, text in texts.items()}


def _parting_depths(
    members: set[str], heads: dict[str, list[str]], depth: dict[str, int]
) -> dict[str, int]:
    """For the keys among `members` (one class name) that can grow, the depth to grow each to:
    the fewest last segments that no other member shares, at least one more than now (or the
    key's whole head). One pass over the members' suffixes, however many rounds of one
    segment that would have taken (50,000 keys of 16 parts meeting until the first)."""
    growable = [key for key in members if key in depth and depth[key] < len(heads[key])]
    ids: dict[tuple[str, int], int] = {}  # (a segment, the suffix after it) → the suffix
    chains: dict[str, list[int]] = {}  # a key's suffixes, by size: one step each
    counts: defaultdict[int, int] = defaultdict(int)
    for key in growable:
        chain, suffix = [], 0
        for segment in reversed(heads[key]):
            suffix = ids.setdefault((segment.lower(), suffix), len(ids) + 1)
            chain.append(suffix)
            counts[suffix] += 1
        chains[key] = chain
    wanted = {}
    for key in growable:
        chain = chains[key]
        size = depth[key] + 1
        while size < len(chain) and counts[chain[size - 1]] > 1:
            size += 1
        wanted[key] = size
    return wanted


def _fold(text: str) -> str:
    """What tells two class names apart, cheaply: the text in lower case without the
    separators of qualified and generic names (the names of the modules that hold them are
    compared so on some file systems; a clash this misses, the naming scope still settles)."""
    return text.lower().translate(_SEPARATORS)


def _demangled(key: str) -> str:
    """`key` with a generic's brackets put back where a converter spelled them `_`
    (swagger2openapi: `Api.ApiResult_Billbee.Model.Order_` for `Api.ApiResult[Billbee.Model.Order]`)."""
    if "[" in key or "<" in key or not key.endswith("_") or _MANGLED.search(key) is None:
        return key
    stripped = key.rstrip("_")
    return _MANGLED.sub(r"\1[", stripped) + "]" * (len(key) - len(stripped))


def _parsed(key: str) -> tuple[list[str], list[str]] | None:
    """The segments of `key`'s qualified head (`A.B.C[...]` → [A, B, C]) and the qualified
    names of its generic arguments, or None when `key` is no qualified name of three to
    `_MAX_SEGMENTS` parts or its last part names no type."""
    if len(key) > _MAX_KEY:
        return None
    key = _demangled(key)
    if _WHOLE.match(key) is None:
        return None
    head = _QUALIFIED.match(key)
    if head is None:
        return None
    segments = head.group().split(".")
    if not _MIN_SEGMENTS <= len(segments) <= _MAX_SEGMENTS or _NO_TYPE.fullmatch(segments[-1]):
        return None
    return segments, [match.group() for match in _NAME.finditer(key, head.end())]
