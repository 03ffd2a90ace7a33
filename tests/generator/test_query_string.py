"""`_wire.query_string`, the query of a request whose parameters hold delimited values
(`style: form, explode: false`, `pipeDelimited`, `spaceDelimited`): the delimiter goes on
the wire as OpenAPI writes it (`ids=a,b`), an item's own delimiter is percent-encoded, and
every other pair is encoded exactly as httpx encodes `params`."""

from __future__ import annotations

from urllib.parse import unquote_plus

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime._wire import Joined, query_pairs, query_string

_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_STYLES = st.sampled_from([("form", ","), ("pipeDelimited", "|"), ("spaceDelimited", "%20")])


@settings(max_examples=200, derandomize=True)
@given(name=_TEXT.filter(bool), items=st.lists(_TEXT, min_size=1, max_size=5), style=_STYLES)
def test_a_server_splitting_before_decoding_reads_every_item(
    name: str, items: list[str], style: tuple[str, str]
) -> None:
    kind, wire_delimiter = style
    pairs = query_pairs(name, items, kind, False)
    query = str(httpx.URL("https://x.test/a?" + query_string(pairs)).query, "ascii")
    key, _, value = query.partition("=")
    assert unquote_plus(key) == name
    assert [unquote_plus(part) for part in value.split(wire_delimiter)] == items


@settings(max_examples=200, derandomize=True)
@given(pairs=st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=5))
def test_plain_pairs_are_encoded_as_httpx_encodes_params(pairs: list[tuple[str, str]]) -> None:
    expected = httpx.Request("GET", "https://x.test/a", params=tuple(pairs)).url.query
    ours = httpx.URL("https://x.test/a?" + query_string(list(pairs))).query
    # (httpx groups a repeated name's values together; the order is otherwise the same)
    assert sorted(ours.split(b"&")) == sorted(expected.split(b"&"))


def test_objects_not_exploded_keep_their_commas_and_stay_text_elsewhere() -> None:
    [(name, value)] = query_pairs("color", {"R": 100, "G": "2,0"}, "form", False)
    assert isinstance(value, Joined) and value == "R,100,G,2,0"  # plain text for a form body
    assert query_string([(name, value)]) == "color=R,100,G,2%2C0"
