"""Stage 4, render: the IR → file contents, through the Jinja templates in `templates/`.

One environment (compiled once, `StrictUndefined`). Spec text reaches a
template only through the escaping filters of `filters.py`: `pyrepr` for literals,
`docstring` for docstrings, `comment` for one-line comments.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2

from . import layout, type_layout
from . import typeir as t
from .filters import (
    comment,
    docstring,
    headline,
    html_comment,
    mdtext,
    oneline,
    pyrepr,
    tomlstr,
)
from .imports import ModuleNames, absolute_module, all_sorted, member_key, render_imports
from .ir import Api, Model, ModelField
from .ir_build import with_readme, with_test_fallbacks
from .ir_docs import DEPRECATION
from .ir_modules import ModelModule
from .ir_resources import Resource
from .paths import RUNTIME_DIR, TEMPLATES_DIR
from .render_client import (
    base_url_default,
    client_doc,
    client_exports,
    client_imports,
    package_exports,
)
from .template_cache import bytecode_cache
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
    def asynchronous(self) -> bool:
        """True for the async rendering."""
        return self.label == "asynchronous"

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
    "_sentinels.py": "Shared sentinels",
    "_definitions.py": "Model schemas built without recursion",
    "_secret_names.py": "Names of secrets",
    "_types.py": "Model base classes and shared types",
    "_mailbox.py": "E-mail addresses",
    "_scalars.py": "Scalar field types",
    "_retry_after.py": "Waits a server asks for",
    "_redaction.py": "Secrets redacted from what is shown",
    "errors.py": "Exceptions",
    "_problems.py": "Validation problems as reported",
    "_wire.py": "Request and response values",
    "_auth.py": "Credentials",
    "_binary.py": "Binary response bodies",
    "_received.py": "Values kept as received",
    "_lenient.py": "Lenient response parsing",
    "_responses.py": "Response handling",
    "_streams.py": "Streams of events and JSON Lines",
    "_file_reading.py": "Files read while a request is sent",
    "_files.py": "Files and raw bodies sent",
    "_request_body.py": "Request bodies",
    "_webhooks.py": "Webhook parsing and signatures",
    "_origins.py": "Origins and redirects",
    "_lazy.py": "Modules loaded at the first request",
    "_operation.py": "Operation descriptions",
    "_request.py": "Request building",
    "_base_client.py": "Private base client",
    "_sync_client.py": "Synchronous request loop",
    "_async_client.py": "Asynchronous request loop",
    "_undocumented.py": "Calls to undocumented endpoints",
    "_testing.py": "Offline test kit engine",
}


@cache
def environment(override: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment (templates compiled once per process, and their code kept
    between runs: `template_cache`).

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
        bytecode_cache=bytecode_cache(),
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["html_comment"] = html_comment
    env.filters["oneline"] = oneline
    env.filters["tomlstr"] = tomlstr
    env.filters["mdtext"] = mdtext
    env.filters["headline"] = headline
    env.globals["layout"] = layout
    env.globals["S"] = S
    env.globals["text_deprecation"] = DEPRECATION
    env.globals["all_sorted"] = all_sorted
    return env


class Scope(ModuleNames):
    """One module's spellings, and what its template calls to write types and values.

    Only declared symbols may be spelled: a template that uses a symbol its module
    does not import fails to render, instead of writing a module that fails to load.
    """

    def __init__(
        self, local: Iterable[str], declared: Iterable[Symbol], shadowed: Iterable[str] = ()
    ) -> None:
        super().__init__(local, shadowed)
        self.declared = frozenset(declared)

    def symbol(self, symbol: Symbol) -> str:
        """The spelling of a declared symbol."""
        if symbol not in self.declared:
            raise KeyError(f"{symbol.module}.{symbol.name} is used but not imported")
        return super().symbol(symbol)

    def type(self, node: TypeNode) -> str:
        """A type expression's source in this module."""
        return node.render(self)

    def argument(self, prefix: str, node: TypeNode, indent: int) -> str:
        """`prefix` + a type expression + `,` as a call's argument, laid out as black would."""
        return type_layout.enclosed(prefix, node, self, indent, ",")

    def tuple_item(self, head: str, values: list[str], node: TypeNode | None, indent: int) -> str:
        """`head(value, …, type),`: a tuple of literal texts ending in a type expression
        (`None` where `node` is), laid out as black would."""
        return type_layout.tuple_item(head, values, node or t.NONE, self, indent)

    def members(self, node: TypeNode) -> list[str] | None:
        """The member texts of a top-level union (for the layout), else None."""
        return node.rendered_members(self) if isinstance(node, t.Union) else None

    def fields(self, fields: Iterable[ModelField]) -> str:
        """A class's fields (`field`), each after a blank line (one template call a class)."""
        return "\n" + "\n\n".join(self.field(field) for field in fields)

    def field(self, field: ModelField) -> str:
        """A model field's lines: its annotated assignment, then its docstring if any."""
        node = field.type
        value = field.value()
        if value is None:
            text = type_layout.enclosed(f"{field.name}: ", node, self, 4, "")
        else:
            text = type_layout.field(field.name, node, value, self)
        doc = field.docstring
        return f"{text}\n    {docstring(doc, 4)}" if doc else text

    def alias(self, model: Model) -> str:
        """`Name: TypeAlias = type` of an alias model."""
        assert model.type is not None, "an alias model has a type"
        prefix = f"{model.name}: {self.symbol(S.TYPE_ALIAS)} = "
        return type_layout.enclosed(prefix, model.type, self, 0, "")

    def wide_union(self, node: TypeNode) -> list[str] | None:
        """The member texts of a union written `Union[...]` (laid out a member a line)."""
        if isinstance(node, t.Union) and len(node.members) > t.WIDE_UNION:
            return [member.render(self) for member in node.members]
        return None

    def wide_annotated(self, node: TypeNode) -> tuple[list[str], list[str]] | None:
        """(member texts, metadata texts) of `Annotated[Union[...], meta…]` over a union
        written `Union[...]` (a discriminated `oneOf` of over `t.WIDE_UNION` members)."""
        if isinstance(node, t.Annotated):
            members = self.wide_union(node.base)
            if members is not None:
                return members, [call.render(self) for call in node.metadata]
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
        declared.update(model.symbols)
    siblings = {f".{name}": names for name, names in module.imports}
    for imported in siblings.values():
        local.update(imported)
    reexports: dict[str, list[str]] = {f".{n}": list(names) for n, names in module.reexports}
    for exported in reexports.values():
        local.update(exported)
    for symbol in module.inherited_symbols:
        if symbol.name not in local:  # else the base's spelling cannot be given here
            reexports.setdefault(absolute_module(symbol.module, 2), []).append(symbol.name)
    scope = Scope(local, declared)
    return {
        "module": module,
        "scope": scope,
        "module_imports": scope.import_block(
            scope.declared, siblings, depth=2, reexports=reexports
        ),
    }


def render_package(api: Api, templates: Path | None = None) -> dict[str, str]:
    """Render every file of the package; keys are paths relative to the project folder.

    `templates`: a folder of templates that replace the built-in ones.
    """
    return dict(iter_render(api, templates))


def iter_render(api: Api, templates: Path | None = None) -> Iterator[tuple[str, str]]:
    """(path, text) of every file of the package, one at a time (for streaming)."""
    for path, job in render_jobs(api, templates):
        yield path, job()


def model_module_path(package: str, module: str) -> str:
    """Where a model module is written, in the project folder (`module_cache` keys it)."""
    return f"{package}/models/{module}.py"


def resource_path(package: str, resource: Resource) -> str:
    """Where a resource's module is written, in the project folder (`module_cache` keys it)."""
    return f"{package}/resources/{resource.module}.py"


def model_jobs(
    api: Api,
    templates: Path | None = None,
    context: dict[str, Any] | None = None,
    rendered: Collection[str] = (),
) -> list[tuple[str, Callable[[], str]]]:
    """The model modules' jobs (as `render_jobs`), but those named in `rendered`: they need
    only the models, their modules and the package's names (the `api` given to
    `build_api`'s `on_models`), so a large spec's can start before the operations and
    resources are built. `context`: the whole package context, which a template
    override may use."""
    context = {"api": api} if context is None else context
    environment(templates).get_template("models/module.py.jinja")  # compiled before a fork
    return [
        (
            model_module_path(api.package_name, module.name),
            partial(_render_module, templates, module, context),
        )
        for module in api.modules
        if module.name not in rendered
    ]


def render_jobs(
    api: Api, templates: Path | None = None, *, rendered: Collection[str] = ()
) -> list[tuple[str, Callable[[], str]]]:
    """Every file of the package as (path, a function rendering it): independent jobs, so
    that processes forked after the IR is built can each render a share. The model
    modules named in `rendered` are left out (`model_jobs` gave them to an early start)."""
    sync = replace(SYNC, client=api.client_name)
    async_ = replace(ASYNC, client=api.async_client_name)
    model_names = all_sorted(m.name for m in api.models)
    index_scope = Scope(model_names, (S.ANY, S.TYPE_CHECKING))
    context: dict[str, Any] = {
        "api": api,
        "modes": (sync, async_),
        "sync": sync,
        "async_": async_,
        "package_exports": package_exports(api),
        "client_exports": client_exports(api),
        "base_url_default": base_url_default(api),
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
        "client_imports": client_imports(api),
        "client_doc": client_doc(api),
        "resource_modules": {r.path: r.module for r in api.all_resources},
        "testing_imports": render_imports(
            {
                ".resources": {
                    (r.module, "_" + r.module): None for r in api.all_resources if r.operations
                }
            }
        ),
    }
    package = api.package_name
    files = {
        f"{package}/__init__.py": "__init__.py.jinja",
        f"{package}/_schemes.py": "_schemes.py.jinja",
        f"{package}/_client.py": "_client.py.jinja",
        f"{package}/resources/__init__.py": "resources/__init__.py.jinja",
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
    for name in (*files.values(), "resources/resource.py.jinja"):
        env.get_template(name)  # compiled once, before any fork
    # what only one file shows is worked out by its job (in a forked renderer, for a large spec)
    prepare = {"testing.py.jinja": with_test_fallbacks, "README.md.jinja": with_readme}
    jobs: list[tuple[str, Callable[[], str]]] = [
        (path, partial(_render_template, templates, name, context, prepare.get(name)))
        for path, name in files.items()
    ]
    runtime = dict(RUNTIME_MODULES)
    if api.paginated:
        runtime["_pagination.py"] = "Auto-pagination"
        runtime["_page_plan.py"] = "Auto-pagination: where the next page is"
    if api.polls:
        runtime["_polling.py"] = "Long-running operations"
    if api.server_variables:
        runtime["_servers.py"] = "Server variables"
    if api.oauth2_schemes:
        runtime["_client_credentials.py"] = "OAuth2 client credentials"
    for filename, what in runtime.items():
        jobs.append(
            (f"{package}/{filename}", partial(_runtime_file, templates, api, filename, what))
        )
    jobs.append((f"{package}/py.typed", str))
    for resource in api.all_resources:
        jobs.append(
            (
                resource_path(package, resource),
                partial(_render_resource, templates, resource, context),
            )
        )
    jobs.extend(model_jobs(api, templates, context, rendered))
    return jobs


def _render_template(
    templates: Path | None,
    name: str,
    context: dict[str, Any],
    prepare: Callable[[Api], Api] | None = None,
) -> str:
    if prepare is not None:
        context = {**context, "api": prepare(context["api"])}
    return environment(templates).get_template(name).render(context)


@cache
def _runtime_header(templates: Path | None) -> jinja2.Template:
    """The header template of the runtime modules (compiled once, not once a module)."""
    return environment(templates).from_string(
        '{% import "macros/common.jinja" as c %}{{ c.header(api, what) }}'
    )


def _runtime_file(templates: Path | None, api: Api, filename: str, what: str) -> str:
    """A runtime module copied verbatim under the package's header."""
    header = _runtime_header(templates)
    text = (RUNTIME_DIR / filename).read_text(encoding="utf-8")
    return header.render(api=api, what=what) + "\n" + text


def _render_resource(templates: Path | None, resource: Resource, context: dict[str, Any]) -> str:
    from .render_resources import resource_context

    template = environment(templates).get_template("resources/resource.py.jinja")
    return template.render({**context, **resource_context(resource)})


def _render_module(templates: Path | None, module: ModelModule, context: dict[str, Any]) -> str:
    template = environment(templates).get_template("models/module.py.jinja")
    return template.render({**context, **model_module_context(module)})
