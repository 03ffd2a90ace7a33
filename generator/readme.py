"""The README's Python code, decided from the IR: every snippet runs as written.

Credentials come from the environment variables the client reads; every call is filled
with the spec's examples where they fit, else with values synthesised from the types
(`examples.py`), written by the literal writer. `tests/test_readme_snippets.py` runs
every snippet of the generated READMEs against each package's `testing.MockAPI`.

Names (methods, arguments, classes) are the IR's final names; values are literals;
the only spec text is the wire body of a partial update, in a comment (`filters.comment`).
The format stage lays the snippets out as black would (`format.format_files`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import layout
from .black_skip import LINE_LENGTH
from .examples import Examples
from .imports import member_key
from .ir import Api, Operation, SecurityScheme
from .ir_resources import Resource
from .readme_bodies import BodySnippets
from .readme_calls import CallWriter, laid_out, streamed

__all__ = ["ReadmeCode", "readme_code"]

# resources the README calls one method of, at most (reading ones first)
MAX_RESOURCE_CALLS = 12
# a resource's method shown first, by name: reading one thing is the simplest call
_PREFERRED_METHODS = ("retrieve", "get", "list", "create", "update")


@dataclass(frozen=True)
class ReadmeCode:
    """The code of a package's README (an empty string: the section is left out)."""

    variables: tuple[tuple[str, str], ...]  # (environment variable, what it holds) of usage
    all_variables: tuple[tuple[str, str], ...]  # every credential's variable
    usage: str  # the client built from the environment, one call
    resources: str  # one call per resource
    pagination: str
    long_running: str  # a `begin_…` method and its poller
    errors: str
    options: str  # with_options and with_raw_response
    asynchronous: str
    partial_update: str
    downloads: str
    uploads: str
    streams: str
    oauth2: str
    oauth2_variables: tuple[tuple[str, str], ...]
    hooks: str  # logging through httpx's event hooks
    testing: str  # the first call against the package's offline MockAPI
    failure: str = ""  # a success body that says the call failed, as JSON (`"ok": false`)


def readme_code(api: Api) -> ReadmeCode:
    """Every snippet of the README of `api` (see the module doc)."""
    return _Writer(api).code()


def _rank(op: Operation) -> tuple[int, int, int, int]:
    """How well an operation shows its resource: one that documents a success first (taggun
    documents only a 400 for some: the README's calls would all fail), reads first
    (`retrieve`, `get…`, `list`), streams, downloads and deprecated methods last."""
    name = op.name.split("_", 1)[0]
    order = _PREFERRED_METHODS.index(name) if name in _PREFERRED_METHODS else 4
    penalty = op.deprecated + streamed(op) + op.binary_success
    return (not op.success_responses, penalty, op.http_method != "GET", order)


def _primary(api: Api) -> Operation:
    """The quickstart's call: ranked as `_rank` ranks, then one that needs no argument (it runs
    as written with the credentials), then from the resource family (a top resource with its
    children) with the most operations, the API's centre: Bitbucket's came from
    `addon.linkers`, a Connect-app endpoint, Billbee's from `events`, "throttled to 2 calls
    per hour" (UX audit 15)."""
    best: tuple[int, ...] | None = None
    chosen: Operation | None = None
    for top in api.resources:
        family = [op for r in _family(top) for op in r.operations]
        for op in family:
            missing, penalty, writes, order = _rank(op)
            required = sum(p.required and not p.client for p in op.parameters)
            listing = op.name.split("_", 1)[0] == "list" and not required  # (a whole list)
            key = (missing, penalty, writes, required > 0, -len(family), -listing, order, required)
            if best is None or key < best:
                best, chosen = key, op
    assert chosen is not None
    return chosen


def _family(resource: Resource) -> list[Resource]:
    found = [resource]
    for child in resource.children:
        found.extend(_family(child))
    return found


def _client_call(client_name: str, arguments: list[str], variable: str = "client") -> str:
    """`variable = ClientName(arguments)`, split at its bracket as black splits it when too
    long, or on one line for black when even `variable = ClientName(` is."""
    head = f"{variable} = {client_name}"
    if len(head) + 1 > LINE_LENGTH:
        return f"{head}({', '.join(arguments)})"
    return layout.call(head, arguments)


def _what(scheme: SecurityScheme) -> str:
    if scheme.kind == "api_key" and scheme.http_scheme:  # (sent after its word)
        return f"the API key (sent as `Authorization: {scheme.http_scheme} <key>`)"
    if scheme.kind == "api_key" and scheme.wire_name.lower() == "authorization":
        # (GOV.UK Pay's key went out without the `Bearer` its operations ask for: the
        # comment said "the API key"; payments audit 21)
        return "the whole Authorization header value (`Bearer …` where the API asks for it)"
    return {
        "bearer": "a bearer token",
        "oauth2": "an OAuth2 access token",
        "basic": "user:password",
        "api_key": f"the API key ({scheme.location})",
    }.get(scheme.kind, "the credential")


class _Writer:
    """Writes the snippets of one package."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.examples = Examples(api.models)
        self.models = self.examples.models
        self.operations = [op for r in api.all_resources for op in r.operations]
        self.primary = _primary(api) if self.operations else None
        self.calls = CallWriter(self.examples)
        self.bodies = BodySnippets(self.operations, self.examples, self.calls, api.package_name)

    def code(self) -> ReadmeCode:
        """Every snippet."""
        api = self.api
        needed = set(self.primary.security[0]) if self.primary and self.primary.security else set()
        schemes = [s for s in api.security_schemes if s.key in needed and s.env_var_read]
        variables = [(self.variable(s), _what(s)) for s in schemes]
        first = self.primary.parameters if self.primary else ()
        used = {(p.location, p.wire_name) for p in first if p.client}
        variables.extend(
            (api.env_var(c.argument), f"`{c.argument}=`: {c.wire_name}")
            for c in api.client_parameters
            if (c.location, c.wire_name) in used
        )
        variables.extend(  # (VTEX's `{accountName}`: the spec gives no default)
            (
                api.env_var(v.argument),
                f"`{v.argument}=`: the server's {{{v.name}}}",
            )
            for v in api.server_variables
            if v.required
        )
        if not api.default_base_url.startswith(("https://", "http://")):
            # no server the client can reach without being told (none, or a relative one)
            path = api.default_base_url.strip("/")
            what = "the API's URL" + (
                f" (the server's origin alone, `https://host`, is read as `https://host/{path}`)"
                if path and not api.default_base_url.startswith("//")
                else ""
            )
            variables.insert(0, (api.env_var("base_url"), what))
        return ReadmeCode(
            variables=tuple(variables),
            all_variables=tuple(
                (self.variable(s), _what(s)) for s in api.security_schemes if s.env_var_read
            ),
            usage=self.usage(variables),
            resources=self.resources(),
            pagination=self.pagination(),
            long_running=self.long_running(),
            errors=self.errors(),
            options=self.options(),
            asynchronous=self.asynchronous(),
            partial_update=self.bodies.partial_update(),
            downloads=self.bodies.downloads(),
            uploads=self.bodies.uploads(api.uploads),
            streams=self.bodies.streams(),
            oauth2=self.oauth2(),
            oauth2_variables=self.oauth2_variables(),
            hooks=self.hooks(),
            testing=self.testing(),
            failure=self.failure(),
        )

    def failure(self) -> str:
        """The property and value by which a success body says the call failed, as JSON."""
        failing = next((op.failure for op in self.operations if op.failure), None)
        if failing is None:
            return ""
        text = f"{json.dumps(failing[0])}: {json.dumps(failing[1])}"
        return text.replace("`", "'")  # spec text, in a Markdown code span

    def variable(self, scheme: SecurityScheme) -> str:
        """The environment variable the client reads the scheme's credential from."""
        return self.api.env_var(scheme.argument)

    # ---- snippets ------------------------------------------------------------------------
    def usage(self, variables: list[tuple[str, str]]) -> str:
        """The client built from the environment, and the first call."""
        api = self.api
        lines = [layout.from_import(api.package_name, [api.client_name]), ""]
        if variables:
            reads = ", ".join(f"${name}" for name, _ in variables)
            lines.append(f"# reads {reads}")
        lines.append(f"client = {api.client_name}()")
        if self.primary is not None:
            lines.extend(self.calls.use(self.primary, full=True))
        return "\n".join(lines)

    def testing(self) -> str:
        """The usage's call against the package's offline test kit (`<package>.testing`)."""
        # (a relative server, or none, is put on a placeholder origin by the mock itself)
        lines = [
            layout.from_import(f"{self.api.package_name}.testing", ["MockAPI"]),
            "",
            "mock = MockAPI()",
            "client = mock.client()  # test credentials; no request leaves the process",
        ]
        if self.primary is not None:  # (a spec of webhooks only has no call to show)
            lines.extend(self.calls.use(self.primary, full=True))
            lines.append("assert mock.requests  # what reached the mock, as httpx requests")
        return "\n".join(lines)

    def resources(self) -> str:
        """One call of each resource (none when the usage shows the only one); of an API
        with more than `MAX_RESOURCE_CALLS` resources, that many, those whose first call
        reads rather than changes anything first (Stripe's 141 calls were a wall, and a
        reader copying one could rotate a key), in the table's order, streams last (a
        resource of streams only: Twitter's compliance streams, which never end, opened the
        block; UX audit 15). A resource whose every method is deprecated is not shown (GitHub's
        `classroom`: the README as written failed pyright strict's `reportDeprecated`; typing
        audit 22)."""
        resources = [
            r
            for r in self.api.all_resources
            if r.operations and not all(op.deprecated for op in r.operations)
        ]
        if len(resources) < 2:
            return ""
        calls = [min(resource.operations, key=_rank) for resource in resources]
        shown = calls
        if len(calls) > MAX_RESOURCE_CALLS:
            safe = sorted(range(len(calls)), key=lambda i: calls[i].http_method != "GET")
            shown = [calls[i] for i in sorted(safe[:MAX_RESOURCE_CALLS])]
        shown = sorted(shown, key=streamed)  # (stable: the table's order otherwise)
        lines = [line for op in shown for line in self.calls.use(op, full=True)]
        if len(shown) < len(calls):
            lines.append(f"# … and {len(calls) - len(shown)} more resources: see the table above")
        return "\n".join(lines)

    def _paged(self) -> Operation | None:
        """The paginated method the README shows: the first GET (a list), else the first
        (a POST search that pages by its body)."""
        paged = [o for o in self.operations if o.pagination is not None]
        return next((o for o in paged if o.http_method == "GET"), paged[0] if paged else None)

    def pagination(self) -> str:
        """Iterating the first paginated method, and paging by hand."""
        op = self._paged()
        if op is None or op.pagination is None:
            return ""
        callee = f"client.{op.qualified_name}"
        arguments = self.calls.argument_items(op, full=False)
        item = self.calls.item_variable(op, op.pagination.item_type)
        return "\n".join(
            [
                "# every item of every page, fetched as needed",
                *laid_out(f"for {item} in {callee}", arguments, 0, ":"),
                f"    print({item})",
                "",
                "# one page at a time",
                *laid_out(f"page = {callee}", arguments),
                "print(page.items)",
                "if page.has_next_page():",
                "    print(page.next_page().items)",
            ]
        )

    def long_running(self) -> str:
        """The first long-running operation's `begin_…` method, and its result."""
        op = next((o for o in self.operations if o.polling is not None), None)
        if op is None or op.polling is None:
            return ""
        callee = f"client.{'.'.join((*op.resource, op.polling.method))}"
        arguments = self.calls.argument_items(op, full=True)
        return "\n".join(
            [
                "# sends the request; the poller follows the operation",
                *laid_out(f"poller = {callee}", arguments),
                "print(poller.status())",
                "result = poller.result()  # waits until it ends",
                "print(result)",
            ]
        )

    def errors(self) -> str:
        """A client with limits, and the exceptions a call raises."""
        api = self.api
        names = sorted(
            {
                "APIStatusError",
                "NotFoundError",
                "RequestValidationError",
                "ResponseTooLargeError",
                api.client_name,
            },
            key=member_key,
        )
        lines = [layout.from_import(api.package_name, names), ""]
        limits = ["timeout=10.0", "max_retries=3", "max_response_size=10 * 1024 * 1024"]
        lines.append(_client_call(api.client_name, limits))
        if self.primary is None:
            return "\n".join(lines)
        lines.append("try:")
        lines.extend("    " + line for line in self.calls.use(self.primary, indent=4))
        lines.extend(
            [
                "except RequestValidationError as error:  # refused before sending; a ValueError",
                "    print(error.errors())  # each problem's loc, msg and type",
                "except NotFoundError as error:  # one class per status family",
                "    print(error.status_code, error.parsed)  # parsed: the spec's error model",
                "except APIStatusError as error:",
                "    print(error.status_code, error.request_id)  # the server's id of the call",
                "except ResponseTooLargeError as error:  # a body over max_response_size",
                "    print(error.limit)",
            ]
        )
        return "\n".join(lines)

    def options(self) -> str:
        """`with_options` and `with_raw_response`."""
        op = self.primary
        if op is None:
            return ""
        lines = ["patient = client.with_options(max_retries=0, timeout=2.0)  # another client"]
        lines.extend(self.calls.use(op, "patient"))
        if not streamed(op):
            lines.extend(
                [
                    "",
                    *self._raw_call(op),
                    'print(raw.status_code, raw.headers.get("content-type"), raw.etag)',
                    "print(raw.parsed)",
                ]
            )
        return "\n".join(lines)

    def _raw_call(self, op: Operation) -> list[str]:
        resource = ".".join(op.resource)
        callee = f"client.{resource}.with_raw_response.{op.name}"
        return self.calls.laid_out_call("raw = ", op, "client", False, 0, callee)

    def asynchronous(self) -> str:
        """The first call (and a list's pages) on the async client."""
        api = self.api
        if self.primary is None:
            return ""
        body = self.calls.use(self.primary, asynchronous=True, indent=8)
        paged = self._paged()
        if paged is not None and paged is not self.primary:
            body.extend(self.calls.use(paged, asynchronous=True, indent=8))
        lines = [
            "import asyncio",
            "",
            layout.from_import(api.package_name, [api.async_client_name]),
        ]
        lines.extend(["", "", "async def main() -> None:"])
        lines.append(f"    async with {api.async_client_name}() as client:")
        lines.extend("        " + line for line in body)
        lines.extend(["", "", "asyncio.run(main())"])
        return "\n".join(lines)

    def oauth2_variables(self) -> tuple[tuple[str, str], ...]:
        """The variables the OAuth2 snippet reads the client id and secret from."""
        if not self.api.oauth2_schemes:
            return ()
        api = self.api
        return (
            (api.env_var("client_id"), "the client id"),
            (api.env_var("client_secret"), "its secret"),
        )

    def oauth2(self) -> str:
        """A client whose OAuth2 token is fetched with client credentials."""
        api = self.api
        if not api.oauth2_schemes:
            return ""
        scheme = api.oauth2_schemes[0]
        (client_id, _), (secret, _) = self.oauth2_variables()
        names = sorted((api.client_name, "OAuth2ClientCredentials"), key=member_key)
        return "\n".join(
            [
                "import os",
                "",
                layout.from_import(api.package_name, names),
                "",
                layout.call(
                    "credentials = OAuth2ClientCredentials",
                    [f'os.environ["{client_id}"]', f'os.environ["{secret}"]'],
                ),
                _client_call(api.client_name, [f"{scheme.argument}=credentials"], "oauth_client"),
            ]
        )

    def hooks(self) -> str:
        """Logging each request and response through httpx's event hooks."""
        api = self.api
        hooks = '{"request": [log_request], "response": [log_response]}'
        return "\n".join(
            [
                "import logging",
                "",
                "import httpx",
                "",
                layout.from_import(api.package_name, [api.client_name]),
                "",
                'log = logging.getLogger("app.http")',
                "",
                "",
                "def log_request(request: httpx.Request) -> None:",
                '    log.info("-> %s %s", request.method, request.url.path)',
                "",
                "",
                "def log_response(response: httpx.Response) -> None:",
                '    log.info("<- %s %s", response.status_code, response.request.url.path)',
                "",
                "",
                _client_call(api.client_name, [f"event_hooks={hooks}"]),
            ]
        )
