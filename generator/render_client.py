"""Stage 4, render: the context of the package's entry point and client modules
(`__init__.py`, `_client.py`): what they export and import, the clients' docstring, and how
they choose the base URL."""

from __future__ import annotations

import textwrap

from . import layout
from .filters import headline, pyrepr
from .imports import all_sorted, render_imports
from .ir import Api

__all__ = ["base_url_default", "client_doc", "client_exports", "client_imports", "package_exports"]


def package_exports(api: Api) -> list[str]:
    """`__all__` of the package's `__init__` (sorted as ruff sorts it)."""
    names = [
        "DEFAULT_BASE_URL",
        "NOT_GIVEN",
        "APIConnectionError",
        "APIError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AsyncBinaryResponse",
        "AsyncStream",
        "AuthenticationError",
        "BadRequestError",
        "BinaryResponse",
        "ConflictError",
        "EmptyResponseError",
        "InternalServerError",
        "NotFoundError",
        "NotGiven",
        "PaymentRequiredError",
        "PermissionDeniedError",
        "PreconditionFailedError",
        "RateLimitError",
        "RawResponse",
        "RequestValidationError",
        "ResponseTooLargeError",
        "Stream",
        "StreamEventError",
        "UnprocessableEntityError",
        "WebhookError",
        "WebhookVerificationError",
        "errors",
        "models",
        *(("webhooks",) if api.webhooks else ()),
        "Client",
        "AsyncClient",
        api.client_name,
        api.async_client_name,
    ]
    if api.oauth2_schemes:
        names.append("OAuth2ClientCredentials")
    if api.polls:
        names.extend(("AsyncPoller", "LongRunningOperationError", "Poller", "PollingTimeoutError"))
    # (the types annotations and `except` clauses name: importable from private modules
    # only, typing audit 22)
    names.extend(("FileInput", "ServerSentEvent"))
    if api.paginated:
        names.extend(("AsyncPage", "PaginationError", "SyncPage"))
    return all_sorted(set(names))


def client_exports(api: Api) -> list[str]:
    """`__all__` of `_client.py`: the clients and their aliases."""
    return all_sorted(
        {"DEFAULT_BASE_URL", "Client", "AsyncClient", api.client_name, api.async_client_name}
    )


def base_url_default(api: Api) -> str:
    """The clients' `base_url = …` when none is given: `$<PREFIX>_BASE_URL`, else the spec's
    server (its variables filled by `server_url`: the arguments, their variables, defaults)."""
    variable = f"os.environ.get({pyrepr(api.env_var('base_url'))})"
    if not api.server_variables:
        return layout.either("base_url", variable, "DEFAULT_BASE_URL", 12)
    given = ", ".join(f"{pyrepr(v.name)}: {v.argument}" for v in api.server_variables)
    return layout.or_call(
        "base_url", variable, "server_url", f"SERVER_URL, SERVER_VARIABLES, {{{given}}}", 12
    )


def client_imports(api: Api) -> str:
    """The import block of `_client.py`: the runtime's bases and defaults, the credential
    types its schemes take, the server variables' helpers, resources under TYPE_CHECKING."""
    base_names = [
        "DEFAULT_MAX_RESPONSE_SIZE",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "EventHooks",
    ]
    auth_names = []
    if any(s.kind == "basic" for s in api.security_schemes):
        auth_names.append("BasicCredential")
    if any(s.kind != "basic" for s in api.security_schemes):
        auth_names.append("Credential")
    names: dict[str, list[str]] = {
        "collections.abc": ["Mapping"],
        "._async_client": ["AsyncAPIClient"],
        "._base_client": base_names,
        "._schemes": ["SCHEMES", "SECURITY"],
        "._sync_client": ["SyncAPIClient"],
    }
    if auth_names:
        names["._auth"] = auth_names
    if api.server_variables:
        names["._servers"] = ["ServerVariable", "server_url"]
    if api.resources:
        names["functools"] = ["cached_property"]
        names["typing"] = ["TYPE_CHECKING"]
    members = {module: {(n, n): None for n in imported} for module, imported in names.items()}
    block = render_imports(members, ("httpx", "os"))
    if api.resources:
        deferred = {
            f".resources.{r.module}": {(r.class_of(a), r.class_of(a)): None for a in (True, False)}
            for r in api.resources
        }
        block += "\n\nif TYPE_CHECKING:\n" + render_imports(deferred, indent=4)
    return block


# what the clients' docstring says of another HTTP scheme's credential
_PER_REQUEST = (
    "A value computed per request (a signature) that the SDK does not compute: give"
    " http_client= an httpx.Auth that sets it. No environment variable is read."
)


def _sentence(description: str, fallback: str) -> str:
    """A spec description on one line (else `fallback`), ending as a sentence ends."""
    text = " ".join(description.split()) or fallback
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _argument_lines(text: str) -> list[str]:
    """One argument of the clients' docstring, wrapped under `Args:`."""
    return textwrap.wrap(
        text, width=88, initial_indent="    ", subsequent_indent="        ", break_on_hyphens=False
    )


def client_doc(api: Api) -> str:
    """The `Args:` of the clients' docstring: credentials, server variables, client
    parameters, then the fixed arguments."""
    lines = ["Args:"]
    for scheme in api.security_schemes:
        what = {
            "bearer": "bearer token",
            "oauth2": "OAuth2 access token (or an `OAuth2ClientCredentials` helper)",
            "basic": "(username, password) for HTTP basic auth",
            "api_key": f"API key sent as the `{scheme.wire_name}` {scheme.location}"
            + (f" (`{scheme.http_scheme} <key>`)" if scheme.http_scheme else ""),
            "http": f"the value of `Authorization: {scheme.http_scheme} …`",
        }[scheme.kind]
        env = api.env_var(scheme.argument)
        text = f"{scheme.argument}: {what}; a string or a callable returning one."
        said = headline("", scheme.description)  # (how: Codat's "Basic" and base64; UX audit 10)
        lines.extend(_argument_lines(f"{text} {_sentence(said, '')}" if said else text))
        if scheme.env_var_read:
            lines.append(f"        Read from ${env} when not given.")
        else:  # (a signature of each request: an httpx.Auth computes it)
            lines.extend(_argument_lines(f"    {_PER_REQUEST}"))
    for v in api.server_variables:
        what = _sentence(v.description, f"the server URL's {{{v.name}}}")
        allowed = f" One of: {', '.join(v.enum)}." if v.enum else ""
        otherwise = "required: the spec gives no default" if v.required else repr(v.default)
        read = f" Read from ${api.env_var(v.argument)}, else {otherwise}."
        lines.extend(_argument_lines(f"{v.argument}: {what}{allowed}{read}"))
    for c in api.client_parameters:
        what = _sentence(c.description, f"the {c.location} parameter {c.wire_name}")
        read = f" Read from ${api.env_var(c.argument)}; a call may give its own."
        lines.extend(_argument_lines(f"{c.argument}: {what}{read}"))
    default = api.default_base_url or "the http_client base URL"
    if api.server_variables:
        default = api.server_template
    lines.append(f"    base_url: ${api.env_var('base_url')}, else {default}.")
    lines.append("    http_client: an httpx client to use (its pool, proxies, transport).")
    lines.append("    event_hooks: httpx's, {'request': [...], 'response': [...]}: called on")
    lines.append("        every attempt (async functions on the async client); or give them")
    lines.append("        to your own http_client.")
    lines.append("    timeout: default timeout of each connect, write and read wait of every call")
    lines.append("        (seconds or httpx.Timeout; not of the whole call).")
    lines.append("    max_retries: retries for connection errors, 408, 409, 429 and 5xx.")
    lines.append("    max_response_size: bytes of response body read at most (None: no limit);")
    lines.append("        a larger body raises ResponseTooLargeError.")
    strict = "True" if api.strict_responses else "False"
    lines.append("    strict_response_validation: raise APIResponseValidationError when a")
    lines.append("        response body does not match the spec, instead of returning it parsed")
    lines.append(f"        as far as it can be with a warning logged (default: {strict}).")
    lines.append("    default_headers: headers sent with every request.")
    return "\n".join(lines)
