"""Serialisation audit 19: requests are what the OpenAPI tables (3.1.1 "Style Examples",
RFC 6570) and the spec's `encoding` say, through httpx.MockTransport:

- a parameter's validated value is sent, not the caller's: a model or a mapping keyed by
  the models' attribute names goes by the spec's names (`filter[firstName]`, not
  `filter[first_name]`), with its secret fields (they went as `**********`), a midnight
  `datetime` for a `format: date` parameter as the date;
- a null item of an array or a null member of an object is undefined (it went as `None`),
  as an empty array or object is (`ids=` went out);
- `spaceDelimited` and `pipeDelimited` objects take their delimiter (they took commas); the
  pipe goes as `%7C` (Tomcat refuses a raw `|`);
- `allowReserved` keeps percent-encoded triples (`x%20y` went as `x%2520y`) and encodes `[`;
- a label path value of a lone `.` (a segment the URL drops) is refused; an empty matrix
  value is `;name`;
- a form field whose `encoding` gives a JSON content type is JSON text; an `encoding` giving
  only `allowReserved` is the form style; each object of a multipart array is its own part.
"""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import minimal_spec
from tests.pagination_shapes import built_package

NAME = "pkg_audit19_wire"
_TEXT = {"type": "string"}
_RGB = {"$ref": "#/components/schemas/Rgb"}
_NO_CONTENT = {"204": {"description": "Done."}}


def _query(name: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **more}


SPEC = minimal_spec(
    {
        "Creds": {
            "type": "object",
            "properties": {"user": _TEXT, "pin": {"type": "string", "format": "password"}},
        },
        "Filter": {
            "type": "object",
            "properties": {
                "firstName": _TEXT,
                "createdAfter": {"type": "string", "format": "date"},
            },
        },
        "Rgb": {
            "type": "object",
            "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}},
        },
    },
    {
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    _query("creds", {"$ref": "#/components/schemas/Creds"}, style="deepObject"),
                    _query("filter", {"$ref": "#/components/schemas/Filter"}, style="deepObject"),
                    _query("day", {"type": "string", "format": "date"}),
                    _query(
                        "names",
                        {"type": "array", "items": {"type": "string", "nullable": True}},
                        explode=False,
                    ),
                    _query("spaced", _RGB, style="spaceDelimited", explode=False),
                    _query("piped", _RGB, style="pipeDelimited", explode=False),
                    _query("ids", {"type": "array", "items": _TEXT}, explode=False),
                    _query("raw", _TEXT, allowReserved=True),
                    {
                        "name": "X-Tags",
                        "in": "header",
                        "schema": {"type": "array", "items": _TEXT},
                    },
                ],
                "responses": _NO_CONTENT,
            }
        },
        "/lab/{lid}/mat/{mid}": {
            "get": {
                "operationId": "labelMatrix",
                "parameters": [
                    {"name": "lid", "in": "path", "required": True, "style": "label"}
                    | {"schema": _TEXT},
                    {"name": "mid", "in": "path", "required": True, "style": "matrix"}
                    | {"schema": _TEXT},
                ],
                "responses": _NO_CONTENT,
            }
        },
        "/forms": {
            "post": {
                "operationId": "postForm",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "jid": _TEXT,
                                    "rgb": _RGB,
                                    "tags": {
                                        "type": "array",
                                        "items": {"type": "string", "nullable": True},
                                    },
                                },
                            },
                            "encoding": {
                                "jid": {"contentType": "application/json"},
                                "rgb": {"allowReserved": True},
                            },
                        }
                    }
                },
                "responses": _NO_CONTENT,
            }
        },
        "/parts": {
            "post": {
                "operationId": "postParts",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "objs": {"type": "array", "items": _RGB},
                                    "note": _TEXT,
                                },
                            },
                            "encoding": {"note": {"contentType": "application/json"}},
                        }
                    }
                },
                "responses": _NO_CONTENT,
            }
        },
    },
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from built_package(tmp_path_factory, "audit19_wire", SPEC, NAME)


def _sent(package: ModuleType, call: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(204)

    transport = httpx.MockTransport(handler)
    client = package.Client(
        base_url="https://api.test", http_client=httpx.Client(transport=transport)
    )
    call(client)
    return seen[0]


def _query_of(request: httpx.Request) -> str:
    return request.url.query.decode()


def test_a_model_parameter_goes_by_the_spec_names_with_its_secrets(package: ModuleType) -> None:
    creds = package.models.Creds(user="ann", pin="1234")
    request = _sent(package, lambda c: c.search.retrieve(creds=creds))
    assert _query_of(request) == "creds%5Buser%5D=ann&creds%5Bpin%5D=1234"


def test_a_mapping_by_attribute_names_goes_by_the_spec_names(package: ModuleType) -> None:
    given = {"first_name": "Ann", "created_after": dt.datetime(2024, 1, 2)}
    request = _sent(
        package, lambda c: c.search.retrieve(filter=given, day=dt.datetime(2024, 1, 31))
    )
    assert parse_qsl(_query_of(request)) == [
        ("filter[firstName]", "Ann"),
        ("filter[createdAfter]", "2024-01-02"),
        ("day", "2024-01-31"),
    ]


def test_null_items_and_empty_values_are_undefined(package: ModuleType) -> None:
    request = _sent(package, lambda c: c.search.retrieve(names=["a", None, "b"], ids=[], x_tags=[]))
    assert _query_of(request) == "names=a,b"
    assert "x-tags" not in request.headers


def test_delimited_objects_take_their_delimiters(package: ModuleType) -> None:
    rgb = {"R": 1, "G": 2}
    request = _sent(package, lambda c: c.search.retrieve(spaced=rgb, piped=rgb))
    assert _query_of(request) == "spaced=R%201%20G%202&piped=R%7C1%7CG%7C2"


def test_allow_reserved_keeps_percent_triples_and_encodes_brackets(package: ModuleType) -> None:
    request = _sent(package, lambda c: c.search.retrieve(raw="a/b x%20y[0]"))
    assert _query_of(request) == "raw=a/b+x%20y%5B0%5D"


def test_label_and_matrix_empty_values(package: ModuleType) -> None:
    error = package.errors.RequestValidationError
    with pytest.raises(error, match="another URL"):
        _sent(package, lambda c: c.lab.mat.retrieve("", "x"))
    request = _sent(package, lambda c: c.lab.mat.retrieve("a", ""))
    assert request.url.raw_path.decode() == "/lab/.a/mat/;mid"


def test_form_encoding_content_type_and_allow_reserved(package: ModuleType) -> None:
    request = _sent(
        package, lambda c: c.forms.create(jid="f81d", rgb={"R": 1, "G": 2}, tags=["p", None])
    )
    assert parse_qsl(request.content.decode()) == [
        ("jid", '"f81d"'),
        ("R", "1"),
        ("G", "2"),
        ("tags", "p"),
    ]


def test_each_object_of_a_multipart_array_is_a_part(package: ModuleType) -> None:
    request = _sent(package, lambda c: c.parts.create(objs=[{"R": 1}, {"G": 2}], note="hi"))
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    parts = [
        (
            part.get_param("name", header="content-disposition"),
            part.get_content_type(),
            part.get_payload(),
        )
        for part in message.iter_parts()
    ]
    assert parts == [
        ("objs", "application/json", '{"R":1}'),
        ("objs", "application/json", '{"G":2}'),
        ("note", "application/json", '"hi"'),
    ]
