"""The offline test kit's engine: an `httpx.MockTransport` handler that answers from the
spec's own examples. `testing.py` (generated) gives it the package's routes, security
schemes and clients as `MockAPI`.

A response without an example (or whose first example does not parse as its type) is
answered with its fallback, decided when the package was generated: the examples of its
schemas, else values synthesised from them (a list holds an item); its examples stay
selectable by name. Bodies go out in the response's media type: JSON, text, bytes, server-sent
events or JSON Lines. A paginated operation serves its example as the first page; a
request for a later page (a cursor, `ending_before` too, a token, a page number past 1 or
an offset past 0) gets the same body without items, so iterating a list ends; a next-page
link is left out (the mock has one page).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from ._auth import SchemeInfo
from ._operation import OperationInfo
from ._wire import is_json_media, problems, validate_python

__all__ = ["MOCK_ORIGIN", "BaseMockAPI", "Route", "mock_base_url"]


@dataclass(frozen=True)
class Route:
    """One operation as the mock serves it."""

    name: str
    pattern: re.Pattern[str]  # matches the operation's URL paths
    info: Callable[[], OperationInfo]
    default_status: str
    examples: Mapping[str, Mapping[str, str]]  # status -> example name -> JSON text
    # status -> JSON text answered by default when the status has no example that parses as
    # its type (the schemas' examples, else synthesised; for a stream, a list of its events
    # or items); its examples are still answered when asked for by name
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    media: Mapping[str, str] = field(default_factory=dict)  # status -> media type answered
    # status -> media type -> JSON text of the items of a stream the request may ask for by
    # `Accept` instead (the answer's example came as its one event)
    stream_fallbacks: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # the body's boolean that asks for the stream (OpenAI's `stream: true`), as Accept does
    stream_field: str | None = None
    page: Callable[[], Any] | None = None  # the operation's `PageInfo`, when it pages

    @property
    def operation(self) -> OperationInfo:
        """What the spec says about the operation."""
        return self.info()

    def key(self, status: str) -> str:
        """The documented status that answers `status` (`404` → `4XX` → `default`)."""
        for key in (status, f"{status[:1]}XX", f"{status[:1]}xx", "default"):
            if key in self.examples or key in self.fallbacks or key in self.media:
                return key
        return status


def _prefer(request: httpx.Request) -> dict[str, str]:
    preferences: dict[str, str] = {}
    for part in request.headers.get("prefer", "").split(","):
        key, _, value = part.strip().partition("=")
        if value:
            preferences[key.strip().lower()] = value.strip().strip('"')
    return preferences


class BaseMockAPI:
    """An in-process mock of an API: an `httpx.MockTransport` handler serving the spec's examples."""

    def __init__(
        self,
        routes: tuple[Route, ...],
        schemes: Mapping[str, SchemeInfo],
        *,
        base_url: str,
        check_credentials: bool = True,
    ) -> None:
        self.base_url = mock_base_url(base_url)
        self.check_credentials = check_credentials
        self.requests: list[httpx.Request] = []
        self._routes = routes
        self._schemes = schemes

    def transport(self) -> httpx.MockTransport:
        """A transport for `httpx.Client(transport=...)` or `httpx.AsyncClient(transport=...)`."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request the way the spec documents it."""
        route = self._route(request)
        if route is None:
            return httpx.Response(
                404, json={"message": f"no operation matches {request.method} {request.url.path}"}
            )
        self.requests.append(request)
        if self.check_credentials and not self._has_credentials(request, route.operation):
            return self._answer(route, request, "401", fallback={"message": "credentials missing"})
        problem = self._body_problem(request, route.operation)
        if problem is not None:
            return httpx.Response(422, json={"message": problem})
        status = _prefer(request).get("code", route.default_status)
        return self._answer(route, request, status, fallback=None)

    def _route(self, request: httpx.Request) -> Route | None:
        url = request.url
        raw = url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
        paths = [url.path, raw]  # a parameter holding `/` is encoded in the raw path only
        if url.fragment:  # a spec path with `#…` (AWS's `/#X-Amz-Target=…`)
            paths = [f"{path}#{url.fragment}" for path in paths] + paths
        if url.query:  # a spec path with a query (flickr's `/rest?method=…`)
            query = url.query.decode("ascii", "replace")
            paths = [f"{path}?{query}" for path in paths] + paths
        # the first (most specific) route whose path starts where the operation's server (or
        # the mock's base URL) ends: `/elements/api-v2/{a}/{b}` is not `/{w}/{x}/{y}/{z}`;
        # else the one that leaves the shortest prefix
        best: tuple[int, Route] | None = None
        for route in self._routes:
            if route.operation.method != request.method:
                continue
            for path in paths:
                found = route.pattern.match(path)
                if found is None:
                    continue
                prefix = found.group(1) if found.re.groups else ""
                if prefix == _base_path(route.operation.server or self.base_url):
                    return route
                if best is None or len(prefix) < best[0]:
                    best = (len(prefix), route)
                break
        return None if best is None else best[1]

    def _answer(
        self, route: Route, request: httpx.Request, status: str, fallback: Any
    ) -> httpx.Response:
        key = route.key(status)
        code = _code(status)
        examples = route.examples.get(key) or {}
        wanted = _prefer(request).get("example")
        if wanted is not None and wanted not in examples:
            return httpx.Response(
                404, json={"message": f"no example {wanted!r} for status {status}"}
            )
        if wanted is not None:
            items = [json.loads(examples[wanted])]
        elif key in route.fallbacks:
            value = json.loads(route.fallbacks[key])
            streamed = route.operation.responses.get(key, ("json", None))[0] in _STREAMS
            items = value if streamed and isinstance(value, list) else [value]
        elif examples:
            items = [json.loads(next(iter(examples.values())))]
        elif fallback is not None:
            return httpx.Response(code, json=fallback)
        else:
            return httpx.Response(code)
        page = route.page() if route.page is not None else None
        if page is not None and code < 300:
            if page.scheme == "next_link":  # the mock has one page: no link to follow
                items = [_last_page(page, item) for item in items]
            elif _later_page(page, request):
                items = [_last_page(page, _without_items(page, item)) for item in items]
        kind = route.operation.responses.get(key, ("json", None))[0]
        media_type = route.media.get(key)
        accepted = _accepted(request, route.operation.media.get(key, ()))
        if route.stream_field is not None and _asks(request, route):  # (the client's
            # Accept names JSON first, as openai-python's: the body's flag decides)
            streams = route.stream_fallbacks.get(key, {})
            choices = route.operation.media.get(key, ())
            accepted = next(((m, k) for m, k, _ in choices if m in streams), accepted)
        if accepted is not None and accepted[0] != media_type:
            media_type, kind = accepted
            if kind in ("text", "binary"):  # the examples are the preferred media type's
                items = ["example"]
            elif kind in _STREAMS:
                items = json.loads(route.stream_fallbacks.get(key, {}).get(media_type, "[]"))
        return _response(code, kind, media_type, items)

    def _has_credentials(self, request: httpx.Request, operation: OperationInfo) -> bool:
        if not operation.security or () in operation.security:
            return True
        cookies = request.headers.get("cookie", "")
        for alternative in operation.security:
            present = True
            for key in alternative:
                scheme = self._schemes[key]
                if scheme.kind in ("bearer", "oauth2", "basic"):
                    present = present and "authorization" in request.headers
                elif scheme.location == "header":
                    present = present and scheme.wire_name in request.headers
                elif scheme.location == "query":
                    present = present and scheme.wire_name in request.url.params
                else:
                    present = present and f"{scheme.wire_name}=" in cookies
            if present:
                return True
        return False

    @staticmethod
    def _body_problem(request: httpx.Request, operation: OperationInfo) -> str | None:
        if operation.body_type is None or operation.encoding != "json" or not request.content:
            return None
        if not is_json_media(request.headers.get("content-type", "application/json")):
            return None  # (another media type the method offers: a form body was a 422)
        try:
            validate_python(operation.body_type, json.loads(request.content))
        except ValidationError as exc:
            found = problems(exc)
        except ValueError as exc:  # not JSON, or a null the spec does not allow
            found = [{"loc": (), "msg": str(exc)}]
        else:
            return None
        return "request body does not match the spec: " + "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in found
        )


_STREAMS = ("sse", "sse-event", "jsonl")


def _code(status: str) -> int:
    """The status code answered for a documented status (`4XX` → 400, `default` → 200)."""
    if status.isdigit():
        return int(status)
    return int(status[0]) * 100 if status[:1].isdigit() else 200


def _response(code: int, kind: str, media_type: str | None, items: list[Any]) -> httpx.Response:
    """A response carrying `items` as the media type says: one JSON document, text or
    bytes, or a stream of server-sent events or JSON Lines (a text example of a stream is
    sent as it is)."""
    headers = {"content-type": media_type or "application/json"}
    if kind not in _STREAMS:
        value = items[0]
        if kind in ("text", "binary"):
            text = value if isinstance(value, str) else json.dumps(value)
            return httpx.Response(code, content=text.encode(), headers=headers)
        return httpx.Response(code, content=json.dumps(value).encode(), headers=headers)
    if len(items) == 1 and isinstance(items[0], str) and "\n" in items[0]:
        return httpx.Response(code, content=items[0].encode(), headers=headers)
    if kind == "jsonl":
        document = "".join(json.dumps(item) + "\n" for item in items)
        return httpx.Response(code, content=document.encode(), headers=headers)
    events = []
    for item in items:
        fields = item if kind == "sse-event" and isinstance(item, dict) else {"data": item}
        lines: list[str] = []
        for name in ("event", "id", "retry", "data"):
            if fields.get(name) is not None:
                value = fields[name]
                text = value if isinstance(value, str) else json.dumps(value)
                lines.extend(f"{name}: {line}" for line in str(text).split("\n"))
        events.append("\n".join(lines) + "\n\n")
    return httpx.Response(code, content="".join(events).encode(), headers=headers)


def _asks(request: httpx.Request, route: Route) -> bool:
    """Does the request's JSON body set the route's `stream_field` to true?"""
    try:
        body = json.loads(request.content or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and body.get(route.stream_field) is True


def _accepted(
    request: httpx.Request, choices: tuple[tuple[str, str, Any], ...]
) -> tuple[str, str] | None:
    """(media type, parse kind) of the response's media type the request's `Accept` names
    first, when the response has several; None when it names none of them."""
    for entry in request.headers.get("accept", "").split(","):
        wanted = entry.split(";", 1)[0].strip().lower()
        for media_type, kind, _ in choices:
            if media_type.lower() == wanted:
                return media_type, kind
    return None


def _later_page(page: Any, request: httpx.Request) -> bool:
    """Does the request ask for a page after the first one (the operation's `PageInfo`)?
    Its parameters are in the query, or in the JSON body where `in_body` says so (Square's
    searches: the mock answered the next page's request with the first page again, and the
    paginator stopped with `PaginationError`; typing audit 22)."""
    given: Any = request.url.params
    if getattr(page, "in_body", False):
        try:
            given = json.loads(request.content) if request.content else {}
        except ValueError:
            given = {}
        given = given if isinstance(given, dict) else {}
    if page.before_param and given.get(page.before_param) is not None:
        return True  # a cursor that pages backwards (Stripe's `ending_before`)
    if page.marker_param and given.get(page.marker_param) is not None:
        return True  # a cursor beside the offsets (Box's `marker`)
    value = given.get(page.param) if page.param else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None:
        return False
    if page.scheme in ("page", "offset"):
        start = page.first_page if page.scheme == "page" else 0
        return isinstance(value, str) and value.isdigit() and int(value) > start
    return page.scheme in ("cursor", "token")


def _without_items(page: Any, body: Any) -> Any:
    """A page's body with no items."""
    if page.items is None:
        return [] if isinstance(body, list) else body
    return {**body, page.items: []} if isinstance(body, dict) else body


def _last_page(page: Any, body: Any) -> Any:
    """A page's body with nothing that points to a next page."""
    if isinstance(page.field, tuple):  # a link further down (`links.pages.next`)
        return _without(body, page.field)
    if not isinstance(body, dict) or page.field is None or page.field not in body:
        return body
    return {**body, page.field: False if page.scheme == "cursor" else None}


def _without(body: Any, path: tuple[str, ...]) -> Any:
    """`body` with the field at `path` (the names down to it) null, where it is there."""
    if not path or not isinstance(body, dict) or path[0] not in body:
        return body
    inner = None if len(path) == 1 else _without(body[path[0]], path[1:])
    return {**body, path[0]: inner}


MOCK_ORIGIN = "https://api.example.test"


def mock_base_url(base_url: str) -> str:
    """The base URL a mock's clients send to: the one given, or, when it is not absolute (a
    spec's relative server `/api/v3`, or none), its path on a placeholder origin (requests
    to the mock never leave the process)."""
    if "://" in base_url:
        return base_url
    if base_url.startswith("//"):
        return "https:" + base_url
    path = base_url.strip("/")
    return f"{MOCK_ORIGIN}/{path}" if path else MOCK_ORIGIN


@functools.lru_cache(maxsize=64)
def _base_path(server: str) -> str:
    """The path of a server URL, without its final `/` (none for a relative one)."""
    return httpx.URL(server).path.rstrip("/") if "://" in server else ""
