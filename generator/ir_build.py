"""Stage 3: a loaded, linted spec → the `Api` the templates render."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec

from . import __version__
from .config import option_location
from .diagnostics import Diagnostic, Severity, SpecError
from .examples import Examples, Unsatisfiable, response_fallback, stream_fallbacks
from .ir import Api, Model, Operation
from .ir_document import (
    declares_mutual_tls,
    document_tenant_domain,
    security_alternatives,
    security_schemes,
    server_notes,
    servers,
)
from .ir_modules import ModelModule, partition_models
from .ir_operations import OperationTranslator
from .ir_resources import build_resources
from .ir_schemas import SchemaTranslator
from .ir_servers import ClientParameter, client_parameters, server_variables
from .ir_webhooks import translate_webhooks
from .limits import TooManyModels, max_models
from .load import Spec, decoded_token
from .naming import Style, client_class_names, styled
from .naming_reserved import CLIENT_ARGUMENTS
from .options import Options
from .overlay import (
    authorization_overlay,
    duplicate_schemes_overlay,
    override_operations,
    unrequired_schemes_overlay,
)
from .overlay_query import query_credentials_overlay
from .readme import readme_code
from .tags import tag_tree

P = ParamSpec("P")


def _models_bounded(
    build: Callable[Concatenate[Spec, P], Api],
) -> Callable[Concatenate[Spec, P], Api]:
    """`build` whose `TooManyModels` (the spec's size bounds its models: `limits.max_models`)
    is the E004 it means, at the schema past the limit."""

    @functools.wraps(build)
    def bounded(spec: Spec, /, *args: P.args, **kwargs: P.kwargs) -> Api:
        try:
            return build(spec, *args, **kwargs)
        except TooManyModels as exc:
            raise SpecError([spec.diagnostic("E004", exc.pointer, str(exc))]) from None

    return bounded


@_models_bounded
def build_api(
    spec: Spec,
    package_name: str,
    spec_file: str,
    warnings: list[Diagnostic] | None = None,
    options: Options | None = None,
    on_models: Callable[[Api], None] | None = None,
) -> Api:
    """Translate the bundled document of `spec` into the IR of one package.

    `on_models` is called as soon as the component schemas' models are final, with an
    `Api` that holds them, their modules and the package's names but no operation yet: a
    large spec's model modules start rendering then, while the rest of the IR is built
    (the models the operations add are in other modules). It is called again with the
    modules of the models the operations add, as soon as those are final. With an
    include/exclude selection, which models are generated is known only after the
    operations: it is called then, with every model.

    What the translation had to loosen is appended to `warnings` (when given), and
    so are renames and selections of `options` that name nothing in the spec, and the
    error of a selection of no operation (E811: the caller writes nothing).
    With an include/exclude selection, only the models the selected operations
    reach are generated (every component keeps the name it would have anyway).
    """
    options = options or Options()
    notes = warnings if warnings is not None else []
    document, unmatched = override_operations(spec.document, options.resources, options.pagination)
    document = duplicate_schemes_overlay(document)
    document = authorization_overlay(unrequired_schemes_overlay(document))
    document = query_credentials_overlay(document)
    openapi_30 = str(document.get("openapi", "")).startswith("3.0")
    schemas = SchemaTranslator(document, openapi_30, max_models(spec.size))
    renames = dict(options.rename_models)
    schemas.plan_components(renames, reachable_only=options.selective)
    raw_info = document.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    title = str(info.get("title") or package_name)
    client, async_client = client_class_names(options.client, title, package_name)
    api = Api(
        package_name=package_name,
        distribution_name=options.distribution or package_name.replace("_", "-"),
        client_name=client,
        async_client_name=async_client,
        title=title,
        version=str(info.get("version") or "0.0.0"),
        description=str(info.get("description") or "").strip(),
        spec_file=spec_file,
        generator_version=__version__,
        servers=(),
        security_schemes=(),
        models=(),
        operations=(),
        strict_responses=options.strict_responses,
    )
    early: tuple[ModelModule, ...] = ()
    if not options.selective:
        # the components' models are final now (no later model is one of their parts):
        # their modules (the same whether or not anything starts early) render while the
        # operations are built
        early = partition_models(schemas.finish())
        if on_models is not None:
            on_models(_with_modules(api, early))
    translator = OperationTranslator(document, schemas)
    operations = translator.operations(options)
    hooks = translate_webhooks(document, schemas)
    later = partition_models(schemas.finish(), early)
    if on_models is not None and not options.selective:
        on_models(_with_modules(api, later))  # the operations' model modules, final too
    modules = (*early, *later)
    api = _with_modules(api, tuple(sorted(modules, key=lambda module: module.name)))
    if on_models is not None and options.selective:
        on_models(api)
    models = api.models
    schemes = tuple(security_schemes(document, schemas.registry.notes))
    server_notes(document, schemas.registry.notes)
    taken = {*CLIENT_ARGUMENTS, *(s.argument for s in schemes)}
    server_template, variables = server_variables(document, taken)
    api = replace(
        api,
        servers=tuple(servers(document)),
        security_schemes=schemes,
        server_template=server_template,
        server_variables=variables,
        tenant_domain=document_tenant_domain(document),
        mutual_tls=declares_mutual_tls(document),
    )

    def note(keys: tuple[str, ...], message: str) -> Diagnostic:
        return Diagnostic(
            "W811", Severity.WARNING, option_location(options, keys, spec_file), message
        )

    for name in sorted(set(renames) - schemas.component_names()):
        message = f"rename-models: no component schema named {name!r}"
        notes.append(note(("rename-models", name), message))
    for name in sorted(set(dict(options.rename_operations)) - translator.operation_ids):
        notes.append(note(("rename-operations", name), f"rename-operations: no operation {name!r}"))
    for table, key in unmatched:
        notes.append(note((table, key), f"{table}: no operation matches {key!r}"))
    if options.selective and not operations:  # the package would be empty: nothing written
        notes.append(
            Diagnostic(
                "E811",
                Severity.ERROR,
                option_location(
                    options, ("include",) if options.include else ("exclude",), spec_file
                ),
                "include/exclude select no operation of the spec: nothing to generate",
            )
        )
    if warnings is not None:
        for pointer, code, message in schemas.registry.notes:
            found = spec.diagnostic(code, pointer, message, warning=True)
            warnings.append(replace(found, repair=_REPAIRS.get(code, "")))
    operations, resources = build_resources(
        operations,
        models,
        document,
        reserved_classes=("Client", "AsyncClient", client, async_client),
        renames=dict(options.rename_operations),
    )
    notes.extend(note(keys, text) for keys, text in _renames_not_granted(options, models))
    notes.extend(note(keys, text) for keys, text in _methods_renamed(options, operations))
    taken = {*taken, *(v.argument for v in variables)}
    api = replace(
        api,
        client_parameters=client_parameters(operations, taken),
        operations=tuple(operations),
        tags=tag_tree(document),
        resources=resources,
        webhooks=tuple(hooks),
        security=_default_security(document, operations),
    )
    return api


def _with_modules(api: Api, modules: tuple[ModelModule, ...]) -> Api:
    """`api` holding the models of `modules`, module by module."""
    models = tuple(model for module in modules for model in module.models)
    return replace(api, models=models, modules=modules)


_REPAIRS = {"E402": "dropped the default"}
"""What the translation did about a note of a lint code (lint reports the same finding)."""


def with_test_fallbacks(api: Api) -> Api:
    """`api` whose responses carry what the test kit answers by default where the spec's
    examples cannot serve (`examples.response_fallback`). Only `testing.py` needs them:
    they are worked out by the job that renders it (a forked child, for a large spec)."""
    examples = Examples(api.models)
    return replace(
        api,
        operations=tuple(_with_fallbacks(op, examples) for op in api.operations),
        client_parameters=tuple(
            replace(c, test_value=_test_value(c, examples)) for c in api.client_parameters
        ),
    )


def _test_value(parameter: ClientParameter, examples: Examples) -> str:
    """What the test kit's clients give a client parameter: its example, else a value
    synthesised for its type; `test-<argument>` where neither is a string (the clients
    take a string)."""
    fallback = f"test-{parameter.argument}"
    if parameter.type is None:
        return fallback
    try:
        value = examples.value(
            parameter.type, sending=True, example=parameter.example, hint=parameter.wire_name
        )
    except Unsatisfiable:
        return fallback
    return value if isinstance(value, str) and value else fallback


def with_readme(api: Api) -> Api:
    """`api` with the README's code (`readme.readme_code`), which only the README's job needs."""
    return replace(api, readme=readme_code(api))


def _renames_not_granted(
    options: Options, models: tuple[Model, ...]
) -> Iterator[tuple[tuple[str, str], str]]:
    """A configured model name the model could not take (a name generated code reserves),
    or that another component would have had (configured names are claimed first): both
    change the package's API, which the user should know."""
    wanted = dict(options.rename_models)
    prefix = "/components/schemas/"
    for model in models:
        component = decoded_token(model.source.removeprefix("#")[len(prefix) :])
        if not model.source.removeprefix("#").startswith(prefix) or component not in wanted:
            continue
        requested = styled(wanted[component], Style.PASCAL)
        if model.name != requested:
            if any(other.name == requested and other.source == model.source for other in models):
                continue  # a member model of the renamed one (`TObject` of a `T` union)
            yield (
                ("rename-models", component),
                (
                    f"rename-models: {component} → {requested} is taken or reserved:"
                    f" the model is {model.name}"
                ),
            )
            continue
        for other in models:
            if re.fullmatch(re.escape(requested) + r"_?\d*", other.name) and other is not model:
                yield (
                    ("rename-models", component),
                    (
                        f"rename-models: {component} took {requested}, which"
                        f" {other.source.rsplit('/', 1)[-1]} would have had: that model is"
                        f" {other.name}"
                    ),
                )


def _methods_renamed(
    options: Options, operations: list[Operation]
) -> Iterator[tuple[tuple[str, str], str]]:
    """A configured method name the method could not take, or that another method of its
    resource gave up (configured names are claimed first): both are API changes."""
    wanted = {key: styled(name, Style.SNAKE) for key, name in options.rename_operations}
    for op in operations:
        requested = wanted.get(op.operation_id)
        if requested is None:
            continue
        if op.name != requested:
            yield (
                ("rename-operations", op.operation_id),
                (
                    f"rename-operations: {op.operation_id} → {requested} is taken or reserved in"
                    f" its resource: the method is {op.name}"
                ),
            )
            continue
        for other in operations:
            displaced = re.fullmatch(re.escape(requested) + r"_\d*", other.name) is not None
            if other is not op and other.resource == op.resource and displaced:
                yield (
                    ("rename-operations", op.operation_id),
                    (
                        f"rename-operations: {op.operation_id} took {requested}, which"
                        f" {other.operation_id} would have had: that method is {other.name}"
                    ),
                )


def _with_fallbacks(operation: Operation, examples: Examples) -> Operation:
    """The operation with what the test kit answers by default for each response whose
    examples cannot serve (`examples.response_fallback`)."""
    responses = tuple(
        replace(
            r,
            fallback=response_fallback(
                examples, r, operation.pagination if r.status.startswith("2") else None
            ),
            stream_fallbacks=stream_fallbacks(examples, r),
        )
        for r in operation.responses
    )
    return replace(operation, responses=responses)


def _default_security(
    document: dict[str, Any], operations: Iterable[Operation]
) -> tuple[tuple[str, ...], ...]:
    """The security requirement of endpoints the spec does not document (`client.get`…):
    the document's, else each one its operations declare, in order."""
    declared = document.get("security")
    if isinstance(declared, list):
        return tuple(security_alternatives(document, declared))
    found: list[tuple[str, ...]] = []
    for operation in operations:
        found.extend(a for a in operation.security if a not in found)
    return tuple(found)
