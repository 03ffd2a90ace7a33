"""A response's media types find the earlier one carrying the same body through an index
(comparing each with every earlier one was quadratic: 4,000 media types took 15 s): the
same match, the first earlier one by either rule, as the pairwise comparison it replaced."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ir_media import response_kind, says_nothing
from generator.ir_responses import _Bodies


def _same_body(media_type: str, media: Any, other_type: str, other: Any) -> bool:
    """The pairwise rule `_Bodies` replaced, as it was."""
    same_kind = response_kind(media_type, None) == response_kind(other_type, None)
    if same_kind and says_nothing(media) and not says_nothing(other):
        return not media.get("itemSchema")
    return same_kind and media.get("schema") == other.get("schema") and not media.get("itemSchema")


_TYPES = st.sampled_from(
    ["application/json", "text/json", "application/xml", "text/plain", "image/png", "*/*"]
)
_SCHEMAS = st.sampled_from(
    [None, {}, {"type": "string"}, {"$ref": "#/c/A"}, {"description": "x"}, {"type": "object"}]
)
_MEDIA = st.builds(
    lambda schema, item: {k: v for k, v in (("schema", schema), ("itemSchema", item)) if v},
    _SCHEMAS,
    st.sampled_from([None, {"type": "string"}]),
)


@given(st.lists(st.tuples(_TYPES, _MEDIA), max_size=7))
@settings(max_examples=1000, deadline=None)
def test_the_index_finds_what_comparing_each_pair_found(ranked: list[tuple[str, Any]]) -> None:
    bodies = _Bodies()
    for index, (media_type, media) in enumerate(ranked):
        earlier = [
            i
            for i, (other_type, other) in enumerate(ranked[:index])
            if _same_body(media_type, media, other_type, other)
        ]
        last = index == len(ranked) - 1
        found = bodies.find(media_type, media, index, remember=not last)
        assert found == (earlier[0] if earlier else None), (index, ranked)
