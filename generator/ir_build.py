"""Stage 3: a loaded, linted spec → the `Api` the templates render."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import __version__
from . import typeir as t
from .diagnostics import Diagnostic, Location, Severity
from .examples import Examples, response_fallback
from .ir import Api, Operation
from .ir_modules import partition_models
from .ir_operations import OperationTranslator, security_schemes, servers
from .ir_resources import build_resources
from .ir_schemas import SchemaTranslator
from .ir_webhooks import translate_webhooks
from .lint import iter_operations, path_item
from .literals import literal
from .load import Spec, deref
from .naming import client_class_names
from .options import Options
from .tags import tag_tree


def build_api(
    spec: Spec,
    package_name: str,
    spec_file: str,
    warnings: list[Diagnostic] | None = None,
    options: Options | None = None,
) -> Api:
    """Translate the bundled document of `spec` into the IR of one package.

    What the translation had to loosen is appended to `warnings` (when given), and
    so are renames and selections of `options` that name nothing in the spec.
    With an include/exclude selection, only the models the selected operations
    reach are generated (every component keeps the name it would have anyway).
    """
    options = options or Options()
    notes = warnings if warnings is not None else []
    document = spec.document
    openapi_30 = str(document.get("openapi", "")).startswith("3.0")
    schemas = SchemaTranslator(document, openapi_30)
    renames = dict(options.rename_models)
    schemas.plan_components(renames, reachable_only=options.selective)
    translator = OperationTranslator(document, schemas)
    operations = translator.operations(options)
    hooks = translate_webhooks(document, schemas)
    modules = partition_models(schemas.finish())
    where = options.config_file or spec_file
    for name in sorted(set(renames) - schemas.component_names()):
        notes.append(_config_note(where, f"rename-models: no component schema named {name!r}"))
    for name in sorted(set(dict(options.rename_operations)) - translator.operation_ids):
        notes.append(_config_note(where, f"rename-operations: no operation {name!r}"))
    if options.selective and not operations:
        notes.append(_config_note(where, "include/exclude select no operation of the spec"))
    models = tuple(model for module in modules for model in module.models)
    if warnings is not None:
        for pointer, code, message in schemas.registry.notes:
            warnings.append(spec.diagnostic(code, pointer, message, warning=True))
    schemes = security_schemes(document)
    raw_info = document.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    title = str(info.get("title") or package_name)
    client, async_client = client_class_names(options.client, title, package_name)
    examples = Examples(models)
    operations = [_with_fallbacks(op, examples) for op in operations]
    operations, resources = build_resources(
        operations,
        models,
        document,
        reserved_classes=("Client", "AsyncClient", client, async_client),
        renames=dict(options.rename_operations),
    )
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
        servers=tuple(servers(document)),
        security_schemes=tuple(schemes),
        models=models,
        operations=tuple(operations),
        tags=tag_tree(document),
        resources=resources,
        webhooks=tuple(hooks),
    )
    example = usage_example(api, document)
    partial = partial_update_example(api)
    return Api(
        **{
            **api.__dict__,
            "usage_example": example,
            "modules": modules,
            "partial_update_example": partial,
        }
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
        )
        for r in operation.responses
    )
    return replace(operation, responses=responses)


def _config_note(where: str, message: str) -> Diagnostic:
    return Diagnostic("W811", Severity.WARNING, Location(where), message)


def usage_example(api: Api, document: dict[str, Any]) -> str:
    """Python code for the README: a client and a call built from the spec's own examples."""
    operation = _example_operation(api)
    # every scheme of the operation's first security requirement (they are sent together)
    needed = set(operation.security[0]) if operation and operation.security else set()
    schemes = [s for s in api.security_schemes if s.key in needed] or api.security_schemes[:1]
    credentials = ", ".join(f'{s.argument}="..."' for s in schemes)
    client = api.client_name
    lines = [f"from {api.package_name} import {client}", "", f"client = {client}({credentials})"]
    if operation is None:
        return "\n".join(lines)
    arguments = []
    raw = _raw_operation(document, operation)
    for index, parameter in enumerate(operation.parameters):
        if not parameter.required:
            continue
        value = _parameter_example(
            _raw_parameters(document, operation), document, parameter.wire_name
        )
        given = literal(value)
        arguments.append(given if index < operation.positional else f"{parameter.name}={given}")
    if operation.body is not None:
        body_example = _body_example(raw, document)
        fields = {f.alias: f.name for f in operation.body_fields}
        if isinstance(body_example, dict) and body_example and set(body_example) <= set(fields):
            arguments.extend(f"{fields[k]}={literal(v)}" for k, v in body_example.items())
        elif body_example is not None:
            arguments.append(f"body={literal(body_example)}")
    call = f"client.{operation.qualified_name}({', '.join(arguments)})"
    returns = operation.return_type != t.NONE
    lines.append(f"result = {call}" if returns else call)
    if returns:
        lines.append("print(result)")
    return "\n".join(lines)


def partial_update_example(api: Api) -> str:
    """README code: a body with one field set (a nullable one set to None: sent as null)."""
    models = {m.name: m for m in api.models if m.kind == "object"}
    for operation in api.operations:
        body = operation.body
        if body is None or not isinstance(body.type, t.ModelRef) or body.type.name not in models:
            continue
        model = models[body.type.name]
        optional = [f for f in model.fields if not f.required and not f.read_only and not f.secret]
        if not optional:
            continue
        required = [f for f in model.fields if f.required]
        # None means null only where the spec allows null (elsewhere it is refused)
        nullable = [f for f in optional if f.name in model.nullable_fields]
        chosen = (nullable or optional)[0]
        value, wire = ("None", "null") if nullable else ("...", "...")
        arguments = ["..." for _ in operation.positional_parameters]
        arguments.extend(f"{p.name}=..." for p in operation.keyword_parameters if p.required)
        names = {f.alias: f.name for f in operation.body_fields}
        kept = [f"{names[f.alias]}=..." for f in required if f.alias in names]
        lines: list[str] = []
        if chosen.alias in names and len(kept) == len(required):
            arguments.extend([*kept, f"{names[chosen.alias]}={value}"])
        else:
            kept = [f"{f.name}=..." for f in required] + [f"{chosen.name}={value}"]
            lines.extend((f"from {api.package_name} import models", ""))
            arguments.append(f"body=models.{model.name}({', '.join(kept)})")
        lines += [
            f"client.{operation.qualified_name}({', '.join(arguments)})",
            f"# sends {{{', '.join(repr(f.alias) + ': ...' for f in required)}"
            + (", " if required else "")
            + f"{chosen.alias!r}: {wire}}}: unset fields are omitted",
        ]
        return "\n".join(lines)
    return ""


def _example_operation(api: Api) -> Operation | None:
    with_body = [op for op in api.operations if op.body is not None]
    candidates = with_body or list(api.operations)
    return candidates[0] if candidates else None


def _raw_operation(document: dict[str, Any], operation: Operation) -> dict[str, Any]:
    for path, method, _, raw in iter_operations(document):
        if (path, method) == (operation.path, operation.http_method):
            return raw
    return {}


def _raw_parameters(document: dict[str, Any], operation: Operation) -> list[Any]:
    """The parameter objects of the operation, then those of its path item."""
    item = path_item(document, operation.path)[1]
    shared = item.get("parameters")
    own = _raw_operation(document, operation).get("parameters")
    return [*(own if isinstance(own, list) else []), *(shared if isinstance(shared, list) else [])]


def _parameter_example(parameters: list[Any], document: dict[str, Any], wire: str) -> Any:
    """An example value of parameter `wire` (an integer one gets 1: the client checks types)."""
    for entry in parameters:
        parameter = deref(document, entry)
        if isinstance(parameter, dict) and parameter.get("name") == wire:
            if "example" in parameter:
                return parameter["example"]
            schema = deref(document, parameter.get("schema")) or {}
            for key in ("example", "default"):
                if isinstance(schema, dict) and key in schema:
                    return schema[key]
            if isinstance(schema, dict) and schema.get("type") == "integer":
                return 1
    return "..."


def _body_example(raw: dict[str, Any], document: dict[str, Any]) -> Any:
    body = deref(document, raw.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict):
        return None
    for media in content.values():
        if not isinstance(media, dict):
            continue
        if "example" in media:
            return media["example"]
        examples = media.get("examples")
        if isinstance(examples, dict):
            for example in examples.values():
                example = deref(document, example)
                if isinstance(example, dict) and "value" in example:
                    return example["value"]
    return None
