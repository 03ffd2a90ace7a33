"""Stage 4, render: the IR → file contents, through the Jinja templates in `templates/`.

One environment (compiled once, `StrictUndefined`). Spec text reaches a
template only through the escaping filters of `filters.py`: `pyrepr` for literals,
`docstring` for docstrings, `comment` for one-line comments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2

from . import layout, type_layout
from . import typeir as t
from .filters import comment, docstring, mdtext, pyrepr, tomlstr
from .imports import ModuleNames, all_sorted, member_key, render_imports
from .ir import Api, Model, ModelField, Operation, OperationChunk
from .ir_modules import ModelModule
from .paths import RUNTIME_DIR, TEMPLATES_DIR
from .typeir import S, Symbol, TypeNode


@dataclass(frozen=True)
class Mode:
    """Names that differ between the sync and async renderings of one template."""

    client: str
    base_class: str
    label: str
    http_client: str
    def_: str
    await_: str
    client_symbol: Symbol

    @property
    def label_title(self) -> str:
        """`Synchronous` / `Asynchronous`."""
        return self.label.capitalize()


SYNC = Mode("Client", "SyncAPIClient", "synchronous", "httpx.Client", "def", "", S.SYNC_CLIENT)
ASYNC = Mode(
    "AsyncClient",
    "AsyncAPIClient",
    "asynchronous",
    "httpx.AsyncClient",
    "async def",
    "await ",
    S.ASYNC_CLIENT,
)

# the runtime modules every package gets, copied verbatim (a header naming what each is)
RUNTIME_MODULES = {
    "_types.py": "Model base classes and shared types",
    "errors.py": "Exceptions",
    "_wire.py": "Request and response values",
    "_auth.py": "Credentials",
    "_binary.py": "Binary response bodies",
    "_responses.py": "Response handling",
    "_streams.py": "Streams of events and JSON Lines",
    "_files.py": "Files and raw bodies sent",
    "_webhooks.py": "Webhook parsing and signatures",
    "_base_client.py": "Private base client",
    "_sync_client.py": "Synchronous request loop",
    "_async_client.py": "Asynchronous request loop",
    "_testing.py": "Offline test kit engine",
}


@cache
def environment(override: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment (templates compiled once per process).

    A template in the `override` folder replaces the built-in one of the same
    relative name (`_client.py.jinja`, `macros/common.jinja`…); the others stay.
    """
    folders = [str(TEMPLATES_DIR)] if override is None else [str(override), str(TEMPLATES_DIR)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["tomlstr"] = tomlstr
    env.filters["mdtext"] = mdtext
    env.globals["layout"] = layout
    env.globals["S"] = S
    env.globals["all_sorted"] = all_sorted
    return env


class Scope(ModuleNames):
    """One module's spellings, and what its template calls to write types and values.

    Only declared symbols may be spelled: a template that uses a symbol its module
    does not import fails to render, instead of writing a module that fails to load.
    """

    def __init__(self, local: Iterable[str], declared: Iterable[Symbol]) -> None:
        super().__init__(local)
        self.declared = frozenset(declared)

    def symbol(self, symbol: Symbol) -> str:
        """The spelling of a declared symbol."""
        if symbol not in self.declared:
            raise KeyError(f"{symbol.module}.{symbol.name} is used but not imported")
        return super().symbol(symbol)

    def type(self, node: TypeNode) -> str:
        """A type expression's source in this module."""
        return node.render(self)

    def members(self, node: TypeNode) -> list[str] | None:
        """The member texts of a top-level union (for the layout), else None."""
        return node.rendered_members(self) if isinstance(node, t.Union) else None

    def field(self, field: ModelField) -> str:
        """A model field's lines: its annotated assignment, then its docstring if any."""
        node = field.type
        value = field.value()
        if value is None:
            text = type_layout.statement(f"{field.name}: ", node, self, 4)
        else:
            members = node.rendered_members(self) if isinstance(node, t.Union) else None
            text = layout.annotated(
                field.name, node.render(self), value.render(self), members=members
            )
        doc = field.docstring
        return f"{text}\n    {docstring(doc, 4)}" if doc else text

    def alias(self, model: Model) -> str:
        """`Name: TypeAlias = type` of an alias model."""
        assert model.type is not None, "an alias model has a type"
        prefix = f"{model.name}: {self.symbol(S.TYPE_ALIAS)} = "
        return type_layout.statement(prefix, model.type, self, 0)

    def wide_union(self, node: TypeNode) -> list[str] | None:
        """The member texts of a union written `Union[...]` (laid out a member a line)."""
        if isinstance(node, t.Union) and len(node.members) > t.WIDE_UNION:
            return [member.render(self) for member in node.members]
        return None

    def expr(self, expression: t.Expr | None) -> str | None:
        """A value expression's source (None stays None)."""
        return None if expression is None else expression.render(self)

    def bases(self, model: Model) -> list[str]:
        """A class's base classes as written in this module."""
        if model.kind == "root":
            return [f"{self.symbol(S.ROOT_MODEL)}[{self.symbol(S.ANY)}]"]
        if model.bases:
            return [self.model(name) for name in model.bases]
        return [self.symbol(S.API_MODEL)]

    def imports(self, names: Mapping[str, Iterable[str]] | None = None, *, depth: int = 1) -> str:
        """The import block of every declared symbol, plus `names` (module -> names)."""
        return self.import_block(self.declared, names, depth=depth)


def model_module_context(module: ModelModule) -> dict[str, Any]:
    """What `models/module.py.jinja` needs beyond the package context."""
    local: set[str] = set()
    declared: set[Symbol] = set()
    for model in module.models:
        local.update(model.local_names())
        declared.update(model.symbols())
    siblings = {f".{name}": names for name, names in module.imports}
    for names in siblings.values():
        local.update(names)
    reexports = {f".{name}": names for name, names in module.reexports}
    for names in reexports.values():
        local.update(names)
    scope = Scope(local, declared)
    return {
        "module": module,
        "scope": scope,
        "module_imports": scope.import_block(
            scope.declared, siblings, depth=2, reexports=reexports
        ),
    }


# what an operations module's fixed template text uses
_OPERATION_SYMBOLS = (
    S.MAPPING,
    S.CAST,
    S.CACHE,
    S.NOT_GIVEN,
    S.NOT_GIVEN_TYPE,
    S.OPERATION_INFO,
    S.RAW_RESPONSE,
    S.SYNC_CLIENT,
    S.ASYNC_CLIENT,
)


def chunk_context(chunk: OperationChunk) -> dict[str, Any]:
    """What `_operations/part.py.jinja` needs beyond the package context."""
    nodes = [node for op in chunk.operations for node in op.type_nodes()]
    models = sorted(t.models_of(nodes))
    declared = {*t.symbols_of(nodes), *_OPERATION_SYMBOLS}
    if any(op.pagination is not None for op in chunk.operations):
        declared.add(S.PAGE_INFO)
    # enums whose members are parameter defaults are needed when the module runs
    eager = sorted(
        {
            p.default.model
            for op in chunk.operations
            for p in op.parameters
            if isinstance(p.default, t.MemberRef)
        }
    )
    annotated = t.models_of(n for op in chunk.operations for n in _annotation_nodes(op))
    lazy = [m for m in models if m not in eager and m in annotated]
    if lazy:
        declared.add(S.TYPE_CHECKING)
    scope = Scope(models, declared)
    # other models load lazily: annotations name them (TYPE_CHECKING), and each
    # operation's cached OperationInfo imports the ones it needs on its first call
    block = scope.import_block(
        declared, {"..models": eager} if eager else None, depth=2, modules=("httpx",)
    )
    if lazy:
        block += "\n\nif " + scope.symbol(S.TYPE_CHECKING) + ":\n"
        block += layout.from_import("..models", lazy, 4)
    op_models = {
        op.name: [m for m in _info_models(op) if m not in eager] for op in chunk.operations
    }
    from .render_operations import operation_text

    texts = {op.name: operation_text(op, scope) for op in chunk.operations}
    return {
        "chunk": chunk,
        "scope": scope,
        "chunk_imports": block,
        "op_models": op_models,
        "texts": texts,
    }


def _annotation_nodes(op: Operation) -> list[t.TypeNode]:
    """The types an operation's method signatures name (not its error bodies)."""
    nodes = [p.type for p in op.parameters]
    if op.body is not None:
        nodes.append(op.body_parameter_type)
    nodes.extend((op.return_type, op.raw_return_type))
    if op.pagination is not None:
        nodes.extend((op.page_type(False), op.page_type(True)))
    return nodes


def _info_models(op: Operation) -> list[str]:
    """The models an operation's `OperationInfo` names (its responses, body, parameters)."""
    nodes = [m.type for r in op.responses for m in r.media if m.type is not None]
    if op.body is not None:
        nodes.append(op.body.type)
        nodes.extend(node for _, node in op.body.variant_types)
    nodes.extend(p.type for p in op.parameters)
    return sorted(t.models_of(nodes))


def render_package(api: Api, templates: Path | None = None) -> dict[str, str]:
    """Render every file of the package; keys are paths relative to the project folder.

    `templates`: a folder of templates that replace the built-in ones.
    """
    return dict(iter_render(api, templates))


def iter_render(api: Api, templates: Path | None = None) -> Iterator[tuple[str, str]]:
    """(path, text) of every file of the package, one at a time (for streaming)."""
    for path, job in render_jobs(api, templates):
        yield path, job()


def render_jobs(api: Api, templates: Path | None = None) -> list[tuple[str, Callable[[], str]]]:
    """Every file of the package as (path, a function rendering it): independent jobs, so
    that processes forked after the IR is built can each render a share."""
    sync = replace(SYNC, client=api.client_name)
    async_ = replace(ASYNC, client=api.async_client_name)
    model_names = all_sorted(m.name for m in api.models)
    index_scope = Scope(model_names, (S.ANY, S.TYPE_CHECKING))
    chunks = api.operation_chunks
    op_chunk = {op.name: chunk.name for chunk in chunks for op in chunk.operations}
    context: dict[str, Any] = {
        "api": api,
        "modes": (sync, async_),
        "sync": sync,
        "async_": async_,
        "package_exports": _package_exports(api),
        "client_exports": _client_exports(api),
        "readme_error_import": layout.from_import(
            api.package_name,
            sorted(
                {
                    "APIStatusError",
                    "NotFoundError",
                    "RequestValidationError",
                    "ResponseTooLargeError",
                    api.client_name,
                },
                key=member_key,
            ),
        ),
        "init_client_import": layout.from_import(
            "._client",
            sorted(
                {
                    "DEFAULT_BASE_URL",
                    "Client",
                    "AsyncClient",
                    api.client_name,
                    api.async_client_name,
                },
                key=member_key,
            ),
            0,
        ),
        "model_names": model_names,
        "index_scope": index_scope,
        "index_imports": index_scope.import_block(index_scope.declared, modules=("importlib",)),
        "index_reexports": render_imports(
            {
                f".{module.name}": {(m.name, m.name): None for m in module.models}
                for module in api.modules
            },
            indent=4,
        ),
        "client_imports": _client_imports(api),
        "client_doc": _client_doc(api),
        "op_chunk": op_chunk,
        "chunks": chunks,
        "bases": _mixins(api, "Operations"),
        "raw_bases": _mixins(api, "RawOperations"),
    }
    package = api.package_name
    files = {
        f"{package}/__init__.py": "__init__.py.jinja",
        f"{package}/_schemes.py": "_schemes.py.jinja",
        f"{package}/_client.py": "_client.py.jinja",
        f"{package}/_operations/__init__.py": "_operations/__init__.py.jinja",
        f"{package}/models/__init__.py": "models/__init__.py.jinja",
        f"{package}/testing.py": "testing.py.jinja",
        f"{package}/_custom/__init__.py": "_custom/__init__.py.jinja",  # a seed: see write
        "pyproject.toml": "pyproject.toml.jinja",
        "README.md": "README.md.jinja",
    }
    if api.oauth2_schemes:
        files[f"{package}/_oauth2.py"] = "_oauth2.py.jinja"
    if api.webhooks:
        from .render_webhooks import webhook_context

        files[f"{package}/webhooks.py"] = "webhooks.py.jinja"
        context.update(webhook_context(api))
    env = environment(templates)
    for name in (*files.values(), "_operations/part.py.jinja", "models/module.py.jinja"):
        env.get_template(name)  # compiled once, before any fork
    jobs: list[tuple[str, Callable[[], str]]] = [
        (path, partial(_render_template, templates, name, context)) for path, name in files.items()
    ]
    runtime = dict(RUNTIME_MODULES)
    if api.paginated:
        runtime["_pagination.py"] = "Auto-pagination"
    for filename, what in runtime.items():
        jobs.append(
            (f"{package}/{filename}", partial(_runtime_file, templates, api, filename, what))
        )
    jobs.append((f"{package}/py.typed", str))
    for chunk in chunks:
        jobs.append(
            (
                f"{package}/_operations/{chunk.name}.py",
                partial(_render_chunk, templates, chunk, context),
            )
        )
    for module in api.modules:
        jobs.append(
            (
                f"{package}/models/{module.name}.py",
                partial(_render_module, templates, module, context),
            )
        )
    return jobs


def _render_template(templates: Path | None, name: str, context: dict[str, Any]) -> str:
    return environment(templates).get_template(name).render(context)


def _runtime_file(templates: Path | None, api: Api, filename: str, what: str) -> str:
    """A runtime module copied verbatim under the package's header."""
    header = environment(templates).from_string(
        '{% import "macros/common.jinja" as c %}{{ c.header(api, what) }}'
    )
    text = (RUNTIME_DIR / filename).read_text(encoding="utf-8")
    return header.render(api=api, what=what) + "\n" + text


def _render_chunk(templates: Path | None, chunk: OperationChunk, context: dict[str, Any]) -> str:
    template = environment(templates).get_template("_operations/part.py.jinja")
    return template.render({**context, **chunk_context(chunk)})


def _render_module(templates: Path | None, module: ModelModule, context: dict[str, Any]) -> str:
    template = environment(templates).get_template("models/module.py.jinja")
    return template.render({**context, **model_module_context(module)})


def _package_exports(api: Api) -> list[str]:
    """`__all__` of the package's `__init__` (sorted as ruff sorts it)."""
    names = [
        "DEFAULT_BASE_URL",
        "NOT_GIVEN",
        "APIConnectionError",
        "APIError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "InternalServerError",
        "NotFoundError",
        "NotGiven",
        "PermissionDeniedError",
        "PreconditionFailedError",
        "RateLimitError",
        "RawResponse",
        "RequestValidationError",
        "ResponseTooLargeError",
        "UnprocessableEntityError",
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
    return all_sorted(set(names))


def _client_exports(api: Api) -> list[str]:
    """`__all__` of `_client.py`: the clients, their raw-response twins, the aliases."""
    names = {"DEFAULT_BASE_URL", "Client", "AsyncClient"}
    for client in (api.client_name, api.async_client_name):
        names.update((client, f"{client}WithRawResponse"))
    return all_sorted(names)


def _mixins(api: Api, kind: str) -> dict[str, list[str]]:
    """Base classes of the clients: the operation mixins of every chunk (by mode)."""
    result = {}
    for mode in (SYNC, ASYNC):
        names = [f"{chunk.name}._{mode.label_title}{kind}" for chunk in api.operation_chunks]
        if not names and kind == "Operations":
            names = [mode.base_class]
        result[mode.label_title] = names
    return result


def _client_imports(api: Api) -> str:
    base_names = ["DEFAULT_MAX_RESPONSE_SIZE", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT"]
    if any(s.kind != "basic" for s in api.security_schemes):
        base_names.append("Credential")
    if any(s.kind == "basic" for s in api.security_schemes):
        base_names.append("BasicCredential")
    names: dict[str, list[str]] = {
        "collections.abc": ["Mapping"],
        "._base_client": base_names,
        "._schemes": ["SCHEMES"],
    }
    if not api.operations:
        names["._async_client"] = ["AsyncAPIClient"]
        names["._sync_client"] = ["SyncAPIClient"]
    if api.operations:
        names["._operations"] = [chunk.name for chunk in api.operation_chunks]
    members = {module: {(n, n): None for n in imported} for module, imported in names.items()}
    return render_imports(members, ("httpx", "os"))


def _client_doc(api: Api) -> str:
    lines = ["Args:"]
    for scheme in api.security_schemes:
        what = {
            "bearer": "bearer token",
            "oauth2": "OAuth2 access token (or an `OAuth2ClientCredentials` helper)",
            "basic": "(username, password) for HTTP basic auth",
            "api_key": f"API key sent as the `{scheme.wire_name}` {scheme.location}",
        }[scheme.kind]
        env = f"{api.env_prefix}_{scheme.argument.upper()}"
        lines.append(f"    {scheme.argument}: {what}; a string or a callable returning one.")
        lines.append(f"        Read from ${env} when not given.")
    default = api.default_base_url or "the http_client base URL"
    lines.append(f"    base_url: ${api.env_prefix}_BASE_URL, else {default}.")
    lines.append("    http_client: an httpx client to use (its pool, proxies, transport).")
    lines.append("    timeout: default timeout for every call (seconds or httpx.Timeout).")
    lines.append("    max_retries: retries for connection errors, 408, 409, 429 and 5xx.")
    lines.append("    max_response_size: bytes of response body read at most (None: no limit);")
    lines.append("        a larger body raises ResponseTooLargeError.")
    lines.append("    default_headers: headers sent with every request.")
    return "\n".join(lines)
