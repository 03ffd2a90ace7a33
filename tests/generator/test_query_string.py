"""`_wire.query_string`, the query of a request whose parameters hold delimited values
(`style: form, explode: false`, `pipeDelimited`, `spaceDelimited`): the delimiter goes on
the wire as OpenAPI writes it (`ids=a,b`), an item's own delimiter is percent-encoded, and
every other pair is encoded exactly as httpx encodes `params`."""

from __future__ import annotations

from urllib.parse import unquote_plus

import httpx
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.runtime._wire import Joined, query_pairs, query_string
from tests.conftest import BuildPackage, minimal_spec

_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
# (the pipe is sent as `%7C`, OpenAPI 3.1.1's example: Tomcat refuses a raw `|` in a query;
# an item holding one is then read as two)
_STYLES = st.sampled_from([("form", ","), ("pipeDelimited", "%7C"), ("spaceDelimited", "%20")])


@settings(max_examples=200, derandomize=True)
@given(name=_TEXT.filter(bool), items=st.lists(_TEXT, min_size=1, max_size=5), style=_STYLES)
def test_a_server_splitting_before_decoding_reads_every_item(
    name: str, items: list[str], style: tuple[str, str]
) -> None:
    kind, wire_delimiter = style
    assume(kind != "pipeDelimited" or not any("|" in item for item in items))
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


def test_the_query_goes_before_a_fragment_of_the_path(build_package: BuildPackage) -> None:
    """A spec path that holds a fragment (`/describe#overload=stream`, Azure's overloads,
    AWS's `/#Action=…`): the written query went after it, so no query reached the server."""
    names = {"name": "names", "in": "query", "explode": False}
    names["schema"] = {"type": "array", "items": {"type": "string"}}
    lang = {"name": "lang", "in": "query", "schema": {"type": "string"}}
    operation = {
        "operationId": "describe",
        "x-sdk-resource": "describe",
        "parameters": [lang, names],
        "responses": {"200": {"description": "ok"}},
    }
    package = build_package(minimal_spec({}, {"/describe#overload=stream": {"get": operation}}))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://x.test", http_client=http)
    client.describe.retrieve(lang="en", names=["a,b", "c"])
    assert sent[0].url.raw_path == b"/describe?lang=en&names=a%2Cb,c"


def test_a_whole_float_parameter_goes_as_its_integer() -> None:
    """UX audit 13: Vercel's `number` timestamps (floats once parsed) went back out as
    `until=1700000001000.0`; a whole float is sent as the integer it is, others as given."""
    assert query_pairs("until", 1700000001000.0, "form", True) == [("until", "1700000001000")]
    assert query_pairs("ratio", 0.5, "form", True) == [("ratio", "0.5")]
    assert query_pairs("big", 1e300, "form", True) == [("big", "1e+300")]
    assert query_pairs("ids", [1.0, 2.5], "form", False) == [("ids", "1,2.5")]
