"""Values on the wire: what is sent is validated strictly and serialised as the spec says,
what is received is parsed leniently.

- `validate_python` / `validate_json`: a value into its type, strict for requests (no
  `"101"` for an integer; a model built from a response that did not match the spec is
  validated again), lenient for responses (`validate_received` for decoded data);
- `problems`: pydantic's errors as located problems without the values given;
- `wire_value`, `path_value`, `query_pairs`, `header_value`: parameters in OpenAPI's
  `style`/`explode` serialisations, or as JSON text (`json_text`, style `json`: a parameter
  described by `content: {application/json: …}`); `query_string` writes a query whose
  delimited values (`Joined`) keep their delimiter as it is;
- `dump_for_wire`: a request body as JSON-ready data (`_files.encode_body` lays it out).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeGuard, get_args
from urllib.parse import quote, quote_plus, unquote_plus

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr, TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError

from ._problems import problems
from ._secret_names import secret_name
from ._sentinels import is_class
from ._types import check_not_null, holds_lenient

__all__ = [
    "Joined",
    "checked_parameters",
    "cookie_values",
    "dump_for_wire",
    "header_value",
    "is_json_media",
    "is_model",
    "is_secret_type",
    "json_for_wire",
    "json_text",
    "parameter_problems",
    "path_value",
    "problems",
    "query_pairs",
    "query_string",
    "reserved_pairs",
    "secret_texts",
    "split_query",
    "text",
    "validate_json",
    "validate_python",
    "validate_received",
    "wire_value",
    "with_query",
]


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_QUIET = ConfigDict(hide_input_in_errors=True)


def _adapter(type_: Any) -> TypeAdapter[Any]:
    """A cached TypeAdapter that never echoes inputs (a rejected secret stays out of errors;
    a model's own configuration says so, and pydantic refuses another for it)."""
    try:
        return _ADAPTERS[type_]
    except KeyError:
        adapter = _ADAPTERS[type_] = TypeAdapter(type_, config=_config(type_))
        return adapter
    except TypeError:  # unhashable type expression
        return TypeAdapter(type_, config=_config(type_))


def _config(type_: Any) -> ConfigDict | None:
    return None if is_model(type_) else _QUIET


def is_model(type_: Any) -> TypeGuard[type[BaseModel]]:
    """Is `type_` a model class (not `list[Model]`, not a model instance)?"""
    return is_class(type_) and issubclass(type_, BaseModel)


def validate_python(type_: Any, value: Any, check: bool = True) -> Any:
    """Validate a Python value into `type_` strictly, as a request is: numbers and booleans
    are not converted (`"101"` is not an integer), and a field that may be left out but not
    be null is refused as `None` (also in a model parsed from a response, then changed).
    A model built from a response that did not match the spec (`_lenient`), or a value
    holding one, is validated again from its data. `check=False` leaves the not-null check
    of a model given as such to the caller (`_types.outgoing_secrets` does it)."""
    if holds_lenient(value):
        value = _as_data(value)
    if is_model(type_):
        if isinstance(value, type_):
            if check:
                check_not_null(value)
            return value
        return type_.model_validate(value)
    return _adapter(type_).validate_python(value)


def validate_json(type_: Any, content: bytes) -> Any:
    """Validate a JSON response into `type_`, leniently: `strict=False` lets `"101"` be an
    integer (the models are strict only for what is sent)."""
    if is_model(type_):
        return type_.model_validate_json(content, strict=False)
    return _adapter(type_).validate_json(content, strict=False)


def validate_received(type_: Any, value: Any) -> Any:
    """Validate decoded response data (Python values) into `type_`, leniently, as
    `validate_json` does the JSON text."""
    if is_model(type_):
        return type_.model_validate(value, strict=False)
    return _adapter(type_).validate_python(value, strict=False)


def _as_data(value: Any) -> Any:
    """Models as the data they hold (by alias, secrets revealed, only what was set), to
    be validated again; lists and dicts item by item."""
    if isinstance(value, BaseModel):
        return value.model_dump(
            by_alias=True,
            exclude_unset=True,
            warnings=False,
            context={"reveal_secrets": True},
        )
    if isinstance(value, (list, tuple)):
        return [_as_data(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _as_data(item) for key, item in value.items()}
    return value


def parameter_problems(
    parameters: tuple[tuple[str, str, Any], ...], given: Mapping[str, Mapping[str, Any] | None]
) -> list[dict[str, Any]]:
    """Check every (location, wire name, type) parameter value given against its type,
    strictly; the problems are located at `(location, wire name, …)`."""
    return checked_parameters(parameters, given)[0]


def checked_parameters(
    parameters: tuple[tuple[str, str, Any], ...], given: Mapping[str, Mapping[str, Any] | None]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """`parameter_problems`, and the values to send in place of those given, by location
    and wire name: what validation made of them, as JSON-ready data (a model, or a mapping
    keyed by its attribute names, by the spec's names and with its secrets; a midnight
    `datetime` for a `format: date` parameter as the date). A plain value sent as given is
    not among them."""
    found: list[dict[str, Any]] = []
    ready: dict[str, dict[str, Any]] = {}
    for location, name, type_ in parameters:
        value = (given.get(location) or {}).get(name)
        if value is None:
            continue
        # (a plain ASCII string, the most common value, is sendable as it is)
        unsendable = None if type(value) is str and value.isascii() else _unsendable(value)
        if unsendable is not None:
            found.append({"loc": (location, name), "msg": unsendable[1], "type": unsendable[0]})
            continue
        if type(value) is type_ and type_ in _PLAIN:
            continue  # (an unconstrained `str`, `int` or `bool` given as one: nothing to check)
        try:
            checked = validate_python(type_, value)
        except ValidationError as exc:
            found.extend(problems(exc, location, name))
            continue
        except ValueError as exc:  # a model holding None where the spec allows no null
            found.append({"loc": (location, name), "msg": str(exc), "type": "value_error"})
            continue
        if type(checked) not in _AS_IS_OUT:
            try:
                ready.setdefault(location, {})[name] = dump_for_wire(type_, checked)
            except PydanticSerializationError:  # (an `Any` value JSON has no form for)
                ready[location][name] = checked
        elif checked is not value:
            ready.setdefault(location, {})[name] = checked
    return found, ready


def _unsendable(value: Any) -> tuple[str, str] | None:
    """(error type, message) when a parameter's value (or an item of it) cannot go on the
    wire as the spec means it: NaN or infinity (`nan`, which no number of the spec is), text
    with a lone surrogate (no UTF-8 encodes it)."""
    for item in _items_of(value):
        if type(item) is float and item - item != 0.0:
            return "finite_number", "NaN and infinity are no numbers the spec can describe"
        if isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "unicode", "the text holds a lone surrogate, which UTF-8 cannot encode"
    return None


def _items_of(value: Any) -> tuple[Any, ...]:
    """A parameter's value, or its items (a list's, a mapping's values)."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, Mapping):
        return tuple(value.values())
    return (value,)


def dump_for_wire(type_: Any, value: Any, parts: bool = False) -> Any:
    """JSON-ready data for a request: aliases, only the fields that were set, secrets revealed.
    `parts`: a multipart body's, whose files are sent as parts (elsewhere a file must be text)."""
    context = _PARTS_CONTEXT if parts else _REQUEST_CONTEXT
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, context=context)
    return _adapter(type_).dump_python(
        value, mode="json", by_alias=True, exclude_unset=True, context=context
    )


def json_for_wire(type_: Any, value: Any) -> bytes:
    """`dump_for_wire`'s data as JSON (UTF-8, compact), written by pydantic in one step: no
    intermediate data for `json.dumps` to walk again. Floats must be finite (the caller
    checks: pydantic would write null for NaN)."""
    if isinstance(value, BaseModel):
        return value.__pydantic_serializer__.to_json(
            value, by_alias=True, exclude_unset=True, context=_REQUEST_CONTEXT
        )
    return _adapter(type_).dump_json(
        value, by_alias=True, exclude_unset=True, context=_REQUEST_CONTEXT
    )


# what the models' serializers are told about a request body (`ApiModel._drop_read_only`,
# the secret types): reveal the secrets, drop the read-only fields
_REQUEST_CONTEXT = {"reveal_secrets": True, "request": True}
_PARTS_CONTEXT = {**_REQUEST_CONTEXT, "parts": True}


_PLAIN = frozenset({str, int, bool})
_AS_IS_OUT = frozenset({str, int, float, bool})  # validated values that need no dump


def is_json_media(media_type: Any) -> bool:
    """Whether a media type is JSON (`application/json`, `text/json`, `…+json`), whatever
    its parameters and case; False for anything that is not text."""
    if not isinstance(media_type, str):
        return False
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence in ("application/json", "text/json") or essence.endswith("+json")


def json_text(value: Any, ascii_only: bool = False) -> str:
    """A parameter OpenAPI describes by `content: {application/json: …}`: its value as
    compact JSON text (`{"status":"open","ids":[1,2]}`), sent whole under its own name.
    `ascii_only` escapes other characters (`\\u00e9`), as a header needs."""
    return json.dumps(_json_ready(value), separators=(",", ":"), ensure_ascii=ascii_only)


def _json_ready(value: Any) -> Any:
    """A parameter value as JSON-ready data: like `wire_value`, but booleans and null stay
    themselves."""
    if value is None or type(value) in _AS_IS or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return _json_ready(value.value)
    if isinstance(value, BaseModel):
        return value.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context=_REQUEST_CONTEXT
        )
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    return wire_value(value)


def wire_value(value: Any) -> Any:
    """A parameter value as it goes on the wire (before string conversion). A whole float
    goes as the integer it is (Vercel's `number` timestamps went out as `until=1700000001000.0`
    where the API reads milliseconds: UX audit 13); a null item of a list or an object is
    left out, as RFC 6570 has it (it went as the text `None`)."""
    if type(value) in _AS_IS:  # the usual case, before the isinstance chain
        if type(value) is float and value.is_integer() and abs(value) < _EXACT:
            return int(value)
        return value
    if isinstance(value, Enum):
        return wire_value(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, BaseModel):
        return wire_value(
            value.model_dump(
                mode="json", by_alias=True, exclude_unset=True, context=_REQUEST_CONTEXT
            )
        )
    if isinstance(value, (list, tuple)):  # (a null item is undefined: RFC 6570 §2.3)
        return [wire_value(v) for v in value if v is not None]
    if isinstance(value, dict):
        return {str(k): wire_value(v) for k, v in value.items() if v is not None}
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)


_AS_IS = frozenset({str, int, float})
_EXACT = 2.0**53  # the floats below it are exact integers


def is_secret_type(kind: Any, depth: int = 0) -> bool:
    """Whether a parameter's type is, or holds, a secret (`SecretString`, in a union or a
    list)."""
    if is_class(kind) and issubclass(kind, SecretStr):
        return True
    return depth < 8 and any(is_secret_type(arg, depth + 1) for arg in get_args(kind))


def is_secret_parameter(name: str, kind: Any) -> bool:
    """Whether a parameter holds a secret: by its type, or by its name (Vonage's `api_secret`
    and `api_key` query parameters, plain strings, showed in httpx's log and ours: UX audit
    13)."""
    return is_secret_type(kind) or secret_name(name)


def secret_texts(value: Any) -> list[str]:
    """The texts a secret parameter's value goes on the wire as (a list's items too)."""
    value = wire_value(value)
    items = [text(v) for v in value] if isinstance(value, list) else []
    return [text(value), *items]


def text(value: Any) -> str:
    """A value as text: lists and objects as OpenAPI's comma-separated `simple` form."""
    value = wire_value(value)
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{text(v)}" for k, v in value.items())
    return str(value)


def _segment(item: Any) -> str:
    """Text percent-encoded for a path segment; a value of only dots (a `.` or `..` segment,
    which would name another resource) is encoded too."""
    quoted = quote(str(item), safe="")
    return quoted.replace(".", "%2E") if quoted and not quoted.strip(".") else quoted


def _segments(item: Any) -> str:
    """Text for a path parameter sent with its `/`s (`x-ms-skip-url-encoding`): each piece
    between them encoded as a segment (a `..` piece too: no value climbs the path)."""
    return "/".join(_segment(piece) for piece in str(item).split("/"))


def path_value(name: str, value: Any, style: str, explode: bool, reserved: bool = False) -> str:
    """A path parameter expanded as OpenAPI's `simple`, `label` or `matrix` style says
    (RFC 6570 `{x}`, `{.x}`, `{;x}`), each value percent-encoded (but its `/`s when
    `reserved`)."""
    if type(value) is str and style == "simple" and not reserved:
        return _segment(value)  # (most path values: ~0.5 µs less than the walk below)
    enc = _segments if reserved else _segment
    if style == "json":
        return enc(json_text(value))
    value = wire_value(value)
    if isinstance(value, (dict, list)) and not value:
        return ""  # (undefined: RFC 6570 §2.3; a path cannot leave it out)
    prefix, joiner = {"label": (".", "."), "matrix": (";", ";")}.get(style, ("", ","))
    if isinstance(value, dict):
        pairs = [(str(k), text(v)) for k, v in value.items()]
        if explode:
            return prefix + joiner.join(f"{enc(k)}={enc(v)}" for k, v in pairs)
        flat = ",".join(f"{enc(k)},{enc(v)}" for k, v in pairs)
        return f";{name}={flat}" if style == "matrix" else prefix + flat
    if isinstance(value, list):
        items = [enc(text(v)) for v in value]
        if style == "matrix":
            if explode:
                return "".join(f";{name}={item}" for item in items)
            return f";{name}=" + ",".join(items)
        return prefix + (joiner if explode else ",").join(items)
    if style == "matrix":  # (RFC 6570: an empty string is `;name`, without `=`)
        return f";{name}={enc(text(value))}" if text(value) else f";{name}"
    return prefix + enc(text(value))


class Joined(str):
    """A query value made of items and their style's delimiter (`a,b,c`): `query_string`
    sends the delimiter as it is and percent-encodes each item, so that a comma inside an
    item (`a%2Cb`) is not read as one between items. Elsewhere it is the plain text."""

    items: tuple[str, ...]
    delimiter: str
    safe: str  # characters each item keeps as they are (`allowReserved`'s)

    def __new__(cls, items: list[str], delimiter: str, safe: str = "") -> Joined:
        """The items joined by `delimiter` (`,`, `|`, or a space)."""
        joined = super().__new__(cls, delimiter.join(items))
        joined.items = tuple(items)
        joined.delimiter = delimiter
        joined.safe = safe
        return joined


# RFC 3986's reserved characters an `allowReserved` value keeps as they are: all but those
# that would end the value or change its meaning in a query (`&`, `=`, `#`, and `+`, which
# form decoding reads as a space), and `[` `]`, which a query may not hold (OpenAPI 3.1.1,
# appendix C); its percent-encoded triples pass unchanged too (`x%20y`, not `x%2520y`)
_RESERVED = ":/?@!$'()*,;"
_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")


def _quote_item(item: str, safe: str) -> str:
    """One query item percent-encoded, but the characters in `safe` (and, where those are
    `allowReserved`'s, the percent-encoded triples the item already holds)."""
    if safe != _RESERVED or "%" not in item:
        return quote_plus(item, safe=safe)
    pieces = _TRIPLE.split(item)  # (the triples at odd positions)
    return "".join(p if i % 2 else quote_plus(p, safe=safe) for i, p in enumerate(pieces))


def reserved_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Query pairs whose values keep RFC 3986's reserved characters (`allowReserved`)."""
    kept: list[tuple[str, str]] = []
    for name, value in pairs:
        if isinstance(value, Joined):
            kept.append((name, Joined(list(value.items), value.delimiter, _RESERVED)))
        else:
            kept.append((name, Joined([value], ",", _RESERVED)))
    return kept


def query_pairs(name: str, value: Any, style: str, explode: bool) -> list[tuple[str, str]]:
    """A query parameter as (name, value) pairs, as its `style` and `explode` say; an empty
    array or object is undefined and left out (RFC 6570 §2.3: `ids=` is not `ids=[]`)."""
    if style == "json":
        return [(name, json_text(value))]
    value = wire_value(value)
    if style == "deepObject" and isinstance(value, (dict, list)):
        return _deep_pairs(name, value)
    joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    if isinstance(value, list):
        if explode:
            return [(name, text(v)) for v in value]
        return [(name, Joined([text(v) for v in value], joiner))] if value else []
    if isinstance(value, dict):
        if explode:
            return [(k, text(v)) for k, v in value.items()]
        flat = [s for k, v in value.items() for s in (str(k), text(v))]
        return [(name, Joined(flat, joiner))] if flat else []
    return [(name, text(value))]


# each delimiter as the query carries it (OpenAPI 3.1.1's examples: `a,b`, `a%7Cb`, `a%20b`;
# a raw `|`, 3.0.3's example, is refused by Tomcat's and Spring Boot's defaults)
_DELIMITERS = {",": ",", "|": "%7C", " ": "%20"}


def query_string(pairs: list[tuple[str, Any]]) -> str:
    """The query of `pairs`, encoded as httpx encodes `params` (`urlencode`), except that a
    `Joined` value's delimiter is sent as it is and only its items are encoded."""
    return "&".join(
        f"{quote_plus(str(k), safe='')}="
        + (
            _DELIMITERS[v.delimiter].join(_quote_item(item, v.safe) for item in v.items)
            if isinstance(v, Joined)
            else quote_plus(v if isinstance(v, str) else str(v), safe="")
        )
        for k, v in pairs
    )


def with_query(url: str, pairs: list[tuple[str, Any]], replace: bool = False) -> str:
    """`url` with `pairs` added to its query (as `query_string` writes them), before the
    fragment a spec's path may hold (`/describe#stream`). The URL's own query is kept as
    written (a next link's `ids=a,b`: parsed and encoded again, its delimiter became `%2C`);
    with `replace`, but for its pairs named like one of `pairs` (a next link echoing the
    credential: each is sent once)."""
    head, hash_, fragment = url.partition("#")
    base, _, query = head.partition("?")
    names = {name for name, _ in pairs} if replace else set()
    kept = [
        pair
        for pair in query.split("&")
        if pair and unquote_plus(pair.partition("=")[0]) not in names
    ]
    kept.append(query_string(pairs))
    return f"{base}?{'&'.join(kept)}{hash_}{fragment}"


def split_query(url: str) -> tuple[str, list[tuple[str, Any]]]:
    """A URL without its query, and the query's pairs: httpx drops a URL's query beside
    `params`, so a next-page link's own query joins them (`extra_query` given)."""
    link = httpx.URL(url)
    return str(link.copy_with(query=None)), list(link.params.multi_items())


def _deep_pairs(name: str, value: Any) -> list[tuple[str, str]]:
    """`deepObject` pairs at any depth: `name[key]` for an object's members and `name[0]`
    for an array's items, nested (`shipping[address][line1]`, `items[0][price]`), as
    Stripe, Rails, PHP and `qs` read them; OpenAPI defines the style one level deep only.
    A null member is left out, as a null form field is."""
    if isinstance(value, dict):
        members: Any = value.items()
    elif isinstance(value, list):
        members = enumerate(value)
    else:
        return [] if value is None else [(name, text(value))]
    return [pair for key, item in members for pair in _deep_pairs(f"{name}[{key}]", item)]


def cookie_values(
    cookies: Mapping[str, Any], style_of: Callable[[str, str], tuple[str, bool]]
) -> dict[str, str]:
    """The cookie parameters given, as text (`form` style), or as JSON text where their
    style (`style_of(location, name)`) is `json`; None, an empty array or object is not
    sent. An object exploded (`form`, `explode: true`, as the OpenAPI style table has it)
    is a cookie a property: it went out as one cookie of `R,100,G,200`, which a server
    reading `R` never found (style audit)."""
    found: dict[str, str] = {}
    for name, value in cookies.items():
        if value is None:
            continue
        sent = wire_value(value)
        if sent in ([], {}):
            continue
        style, explode = style_of("cookie", name)
        if style == "json":
            found[name] = json_text(value)
            continue
        if explode and isinstance(sent, dict):
            found.update((str(key), text(item)) for key, item in sent.items())
        else:
            found[name] = text(value)
    return found


def header_value(value: Any, explode: bool, style: str = "simple") -> str | None:
    """A header parameter in OpenAPI's `simple` style (objects as `k=v` pairs when exploded),
    or as JSON text (style `json`); None for an empty array or object, which is not sent."""
    if style == "json":
        return json_text(value, ascii_only=True)
    value = wire_value(value)
    if isinstance(value, (dict, list)) and not value:
        return None
    if isinstance(value, dict) and explode:
        return ",".join(f"{k}={text(v)}" for k, v in value.items())
    return text(value)
