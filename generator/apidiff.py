"""The API diff: what a new spec version changes in the Python API of the generated package.

Both specs go through the generator's own path (load → lint → IR), and the two `Api`s are
compared node by node: methods, their keyword arguments and `body=`, return and error
types, the classes in `<package>.models` (fields, required, nullability, enum members,
constraints) and the client's credential arguments. Every `Change` names the rule
(`apidiff_rules`) that classified it as breaking, compatible or unknown. Nothing is
compared as generated text.

Methods are keyed by `method_key` (resource, method name): `customers.sources` and `list`;
changes are shown under the method's resource.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import apidiff_types as k
from . import typeir as t
from .apidiff_models import MODELS_GROUP, diff_models
from .apidiff_rules import Change, Level, rule, show_type, type_change, type_message
from .ir import Api, Operation, Parameter

if TYPE_CHECKING:
    from .load import Spec
    from .options import Options

CLIENT_GROUP = "client"  # where credential changes are listed

MethodKey = tuple[str, str]
"""(resource, method name): how a method is found in both versions."""


def method_key(operation: Operation) -> MethodKey:
    """The key of an operation's method: its resource (`customers.sources`) and its name."""
    return (".".join(operation.resource), operation.name)


def method_label(key: MethodKey) -> str:
    """`resource.method`, or `method` when the method belongs to the client itself."""
    resource, name = key
    return f"{resource}.{name}" if resource else name


@dataclass(frozen=True)
class Surface:
    """One side of the diff: the IR of a package and the group each method is shown in."""

    api: Api
    groups: Mapping[MethodKey, str] = field(default_factory=dict)  # method → first tag

    def group(self, key: MethodKey) -> str:
        """Where a method's changes are listed: its resource, else its first tag."""
        return key[0] or self.groups.get(key, "")


@dataclass(frozen=True)
class ApiDiff:
    """Every change from `old` to `new`, sorted."""

    title: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    def count(self, level: Level) -> int:
        """How many changes have `level`."""
        return sum(1 for change in self.changes if change.level is level)

    @property
    def breaking(self) -> bool:
        """True when any change is breaking (the CLI then exits 1)."""
        return any(change.level is Level.BREAKING for change in self.changes)

    @property
    def bump(self) -> str | None:
        """The semver part a release must bump: major, minor, patch, or None when unchanged."""
        if not self.changes:
            return None
        if self.breaking:
            return "major"
        if any(c.rule.code.endswith("-added") or "-added-" in c.rule.code for c in self.changes):
            return "minor"
        if any(c.rule.code == "method-deprecated" for c in self.changes):
            return "minor"  # (semver 2.0.0, item 7: a deprecation is a minor release)
        if any(c.level is Level.UNKNOWN for c in self.changes):
            return "minor"  # (when unsure, not a patch: diff audit 2)
        return "patch"


def load_surface(
    spec_path: str | Path,
    package_name: str = "api",
    options: Options | None = None,
    ref_root: Path | None = None,
) -> Surface:
    """Load, lint and build the IR of a spec, as `generate` does (with the configuration's
    `options`: renames, selections, overrides; `ref_root`: the folder its file `$ref`s may
    read from); SpecError when unusable."""
    from .commands import guarded
    from .diagnostics import SpecError, has_errors
    from .lint import Profile, lint_spec
    from .load import load_spec

    def load() -> Surface:
        spec = load_spec(spec_path, ref_root=ref_root)
        diagnostics = lint_spec(spec, Profile.GENERATE)
        if has_errors(diagnostics):
            raise SpecError(diagnostics)
        return build_surface(spec, Path(spec_path).name, package_name, options)

    return guarded(str(spec_path), load)  # a failure no stage foresaw: E900, no traceback


def load_surfaces(
    spec_paths: Sequence[str | Path],
    options: Options | None = None,
    ref_roots: Sequence[Path | None] | None = None,
) -> list[Surface]:
    """`load_surface` of each spec (`ref_roots`: each one's, else the options'); large specs
    are linted in workers meanwhile.

    As in `generate`, the workers start before any spec is loaded, the lint's errors come
    first, and an IR that fails on a spec the lint refuses reports the lint instead. A
    failure no stage foresaw is a SpecError (E900 at its spec), never a traceback.
    """
    from .commands import guarded
    from .diagnostics import Diagnostic, SpecError, has_errors
    from .lint_child import lint_file
    from .load import load_spec
    from .pipeline import PARALLEL_LINT_BYTES

    def large(path: str | Path) -> bool:
        try:
            return Path(path).stat().st_size >= PARALLEL_LINT_BYTES
        except OSError:
            return False

    default = None if options is None else options.ref_root
    roots = list(ref_roots) if ref_roots is not None else [default] * len(spec_paths)
    if (os.cpu_count() or 1) < 2 or not any(large(p) for p in spec_paths):
        return [
            load_surface(p, options=options, ref_root=r)
            for p, r in zip(spec_paths, roots, strict=True)
        ]
    surfaces: list[Surface] = []
    failure: Exception | None = None
    from concurrent.futures import ProcessPoolExecutor  # (~10 ms: large specs only)

    with ProcessPoolExecutor(max_workers=2) as pool:
        pending = [
            pool.submit(lint_file, str(p), False, r) for p, r in zip(spec_paths, roots, strict=True)
        ]
        try:
            for path, ref_root in zip(spec_paths, roots, strict=True):

                def load(path: str | Path = path, ref_root: Path | None = ref_root) -> Surface:
                    spec = load_spec(path, ref_root=ref_root)
                    return build_surface(spec, Path(path).name, options=options)

                surfaces.append(guarded(str(path), load))
        except Exception as exc:  # the lint explains a spec the IR cannot take
            failure = exc
        diagnostics: list[Diagnostic] = []
        for future in pending:
            try:
                diagnostics.extend(future.result())
            except SpecError as exc:
                diagnostics.extend(exc.diagnostics)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    if failure is not None:
        raise failure
    return surfaces


def build_surface(
    spec: Spec, spec_file: str, package_name: str = "api", options: Options | None = None
) -> Surface:
    """The IR of a loaded, linted spec (with the configuration's `options`), with each
    method's group (its first tag)."""
    from .ir_build import build_api

    api = build_api(spec, package_name, spec_file, None, options)
    groups = {method_key(op): op.tags[0] for op in api.operations if op.tags}
    return Surface(api, groups)


def diff_apis(old: Surface, new: Surface) -> ApiDiff:
    """Every change from `old` to `new`, each classified by a rule."""
    with k.hierarchy([*old.api.models, *new.api.models]):
        changes = [
            *_diff_methods(old, new),
            *diff_models(old.api, new.api),
            *_diff_webhooks(old.api, new.api),
            *_diff_auth(old.api, new.api),
        ]
    changes.sort(key=Change.sort_key)
    return ApiDiff(new.api.title, old.api.version, new.api.version, tuple(changes))


# ---- methods -------------------------------------------------------------------------------
def _diff_methods(old: Surface, new: Surface) -> Iterator[Change]:
    before = {method_key(op): op for op in old.api.operations}
    after = {method_key(op): op for op in new.api.operations}
    models = {m.name: m for m in new.api.models}
    moved = _moves(
        {k: op for k, op in before.items() if k not in after},
        {k: op for k, op in after.items() if k not in before},
    )
    for key, op in before.items():
        label = method_label(key)
        if key in moved:
            target = moved[key]
            message = f"{label}() is now {method_label(target)}()"
            yield Change(rule("method-moved"), old.group(key), label, message)
            yield from _diff_operation(new.group(target), label, op, after[target], models)
        elif key not in after:
            yield Change(rule("method-removed"), old.group(key), label, f"{label}() was removed")
        else:
            yield from _diff_operation(new.group(key), label, op, after[key], models)
    arrived = set(moved.values())
    for key, op in after.items():
        if key not in before and key not in arrived:
            label = method_label(key)
            message = f"{label}() was added ({op.http_method} {op.path})"
            yield Change(rule("method-added"), new.group(key), label, message)


def _moves(
    removed: Mapping[MethodKey, Operation], added: Mapping[MethodKey, Operation]
) -> dict[MethodKey, MethodKey]:
    """Removed methods whose operation is now another method (moved to another resource, or
    renamed): matched by operationId, else by route, one to one."""
    found: dict[MethodKey, MethodKey] = {}
    for identity in (
        lambda op: op.operation_id or None,
        lambda op: (op.http_method, op.path),
    ):
        targets: dict[object, list[MethodKey]] = {}
        for key, op in added.items():
            if key not in found.values() and identity(op) is not None:
                targets.setdefault(identity(op), []).append(key)
        for key, op in removed.items():
            candidates = targets.get(identity(op), [])
            if key not in found and len(candidates) == 1:
                found[key] = candidates.pop()
    return found


def _diff_operation(
    group: str,
    label: str,
    old: Operation,
    new: Operation,
    models: Mapping[str, Any] | None = None,
) -> Iterator[Change]:
    """The changes of one method; `models`: the new API's, by name (what its body holds)."""

    def change(code: str, subject: str, message: str) -> Change:
        return Change(rule(code), group, subject, message)

    if (old.http_method, old.path) != (new.http_method, new.path):
        message = f"{old.http_method} {old.path} → {new.http_method} {new.path}"
        yield change("method-route-changed", label, message)
    if new.deprecated and not old.deprecated:
        yield change("method-deprecated", label, f"{label}() is deprecated")
    if old.server != new.server:  # (Stripe's uploads go to files.stripe.com; diff audit 6)
        was, now = (server or "the client's base URL" for server in (old.server, new.server))
        message = f"sent to {was} → {now}"
        yield change("method-server-changed", label, message)
    if set(old.security) != set(new.security):
        message = f"requires {_security(old.security)} → {_security(new.security)}"
        # (each alternative is a set of schemes required together: one that sufficed and
        # no longer does leaves its callers refused before sending; diff audit 2)
        alternatives = [set(a) for a in new.security] if new.security else [set()]
        sufficed = [set(a) for a in old.security] if old.security else [set()]
        tightened = any(not any(b <= a for b in alternatives) for a in sufficed)
        yield change(f"method-security-{'tightened' if tightened else 'loosened'}", label, message)
    # (a body removed takes its keyword arguments with it: `request-body-removed` says so)
    arguments = _arguments(old) if new.body is not None else list(old.parameters)
    kept = bool(new.body_fields)
    # (the body's properties, those no argument takes too: one made `readOnly` left the
    # method, and the model's diff, which compares the field, said nothing; review)
    found = models or {}
    held = {
        f.alias
        for name in (t.models_of([new.body.type]) if new.body is not None else ())
        if name in found
        for f in found[name].fields
    }
    yield from _diff_parameters(group, label, arguments, _arguments(new), kept, held)
    yield from _diff_positions(group, label, old, new)
    yield from _diff_body(group, label, old, new)
    yield from _diff_pages(group, label, old, new)
    subject = f"{label}() → return"
    outcome = k.compare_types(old.return_type, new.return_type)
    if outcome is not None:
        message = type_message(old.return_type, new.return_type)
        yield change(f"response-{outcome}", subject, f"return type {message}")
    errors_old = {r.status: r for r in old.responses if not r.status.startswith("2")}
    errors_new = {r.status: r for r in new.responses if not r.status.startswith("2")}
    for status in errors_old.keys() - errors_new.keys():
        yield change(
            "error-removed", f"{label}() ! {status}", f"error {status} no longer documented"
        )
    for status in errors_new.keys() - errors_old.keys():
        yield change("error-added", f"{label}() ! {status}", f"error {status} now documented")
    for status in errors_old.keys() & errors_new.keys():
        before, after = errors_old[status].type or t.NONE, errors_new[status].type or t.NONE
        outcome = k.compare_types(before, after)
        if outcome is not None:
            message = f"error {status} body {type_message(before, after)}"
            yield change(f"error-{outcome}", f"{label}() ! {status}", message)


def _security(alternatives: Iterable[tuple[str, ...]]) -> str:
    shown = sorted(" + ".join(sorted(a)) or "nothing" for a in alternatives)
    return " or ".join(shown) or "nothing"


def _arguments(op: Operation) -> list[Parameter]:
    """The method's keyword arguments: its parameters, and the properties of an object body
    it takes as keyword arguments (`customers.create(email=…)`; they were not compared: a
    body that became a `oneOf` took every one away, a new query parameter `email` took the
    name of the body's, diff audit 1), as parameters in the `body`. What happens to a body
    property itself (removed, added, required, its type) the body model's diff says; the
    arguments' diff adds what it cannot see: a property's argument renamed, or gone with
    the body's keyword arguments (`_diff_parameters`)."""
    fields = [
        Parameter(f.name, f.alias, "body", f.type, f.required, None, f.description)
        for f in op.body_fields
    ]
    return [*op.parameters, *fields]


def _diff_parameters(
    group: str,
    label: str,
    old: Iterable[Parameter],
    new: Iterable[Parameter],
    fields_kept: bool = True,
    held: Container[str] = (),
) -> Iterator[Change]:
    """Keyword arguments (`_arguments`); `fields_kept`: the new method takes its body's
    properties as keyword arguments too; `held`: the wire names of its body's properties."""
    before, after = {p.name: p for p in old}, {p.name: p for p in new}
    named = {(p.location, p.wire_name): p.name for p in after.values()}
    for name, param in before.items():
        subject = f"{label}({name})"
        renamed = named.get((param.location, param.wire_name), name)
        if renamed != name:  # the same value on the wire, given by another name now
            message = f"`{name}` is now `{renamed}`"
            if name in after:
                message += f" (`{name}` is the {after[name].location} `{after[name].wire_name}`)"
            yield Change(rule("parameter-renamed"), group, subject, message)
            continue
        gone = name not in after and fields_kept and param.wire_name not in held
        if param.location == "body" and (
            (name in after and after[name].location == "body") or gone
        ):
            continue  # (the body model's diff says what became of the property)
        if name not in after:
            yield Change(rule("parameter-removed"), group, subject, f"argument `{name}` removed")
            continue
        current = after[name]
        if param.location != current.location:
            message = f"sent in {param.location} → {current.location}"
            yield Change(rule("parameter-location-changed"), group, subject, message)
        old_type, new_type = param.type, current.type
        if "body" in (param.location, current.location) and param.location != current.location:
            # (an optional parameter's type holds None, leaving it out; a body property's
            # only where the spec allows null)
            old_type, new_type = t.without_none(old_type), t.without_none(new_type)
        if param.required != current.required:
            made = "required" if current.required else "optional"
            yield Change(rule(f"parameter-made-{made}"), group, subject, f"`{name}` is now {made}")
            old_type, new_type = t.without_none(old_type), t.without_none(new_type)
        yield from type_change(group, subject, "parameter", old_type, new_type)
    existed = {(p.location, p.wire_name) for p in before.values()}
    for name, param in after.items():
        if param.location == "body":
            continue  # (a new body property: the body model's diff says so)
        if name not in before and (param.location, param.wire_name) not in existed:
            kind = "required" if param.required else "optional"
            message = f"new {kind} argument `{name}: {show_type(param.type)}`"
            yield Change(rule(f"parameter-added-{kind}"), group, f"{label}({name})", message)


def _diff_positions(group: str, label: str, old: Operation, new: Operation) -> Iterator[Change]:
    """Arguments that moved between positional and keyword-only, or to another position."""
    before = [p.name for p in old.positional_parameters]
    after = [p.name for p in new.positional_parameters]
    kept = {p.name for p in new.parameters}
    for index, name in enumerate(before):
        subject = f"{label}({name})"
        if name not in kept:
            continue  # removed: parameter-removed says so
        if name not in after:
            message = f"`{name}` is keyword-only (was argument {index + 1})"
            yield Change(rule("parameter-made-keyword-only"), group, subject, message)
        elif after.index(name) != index:
            message = f"`{name}` is argument {after.index(name) + 1} (was {index + 1})"
            yield Change(rule("parameter-position-changed"), group, subject, message)
    existed = {p.name for p in old.parameters}
    for index, name in enumerate(after):
        if name in existed and name not in before:
            message = f"`{name}` may be given by position too (argument {index + 1})"
            yield Change(rule("parameter-made-positional"), group, f"{label}({name})", message)


def _diff_pages(group: str, label: str, old: Operation, new: Operation) -> Iterator[Change]:
    """A method that starts or stops returning pages, or pages another way."""
    subject = f"{label}() → return"
    if old.pagination is None and new.pagination is not None:
        message = f"returns a page of {show_type(new.pagination.item_type)}"
        yield Change(rule("method-paginated"), group, subject, message)
    elif old.pagination is not None and new.pagination is None:
        message = f"returns {show_type(new.return_type)}, not pages"
        yield Change(rule("method-unpaginated"), group, subject, message)
    elif old.pagination is not None and new.pagination is not None:
        if old.pagination.info_arguments != new.pagination.info_arguments:
            message = f"pages by {old.pagination.scheme} → {new.pagination.scheme}"
            if old.pagination.scheme == new.pagination.scheme:
                message = f"pages by {new.pagination.scheme}, with other fields"
            yield Change(rule("pagination-changed"), group, subject, message)
        yield from type_change(
            group,
            f"{label}() → items",
            "response",
            old.pagination.item_type,
            new.pagination.item_type,
        )


def _diff_body(group: str, label: str, old: Operation, new: Operation) -> Iterator[Change]:
    subject = f"{label}(body)"
    if old.body is None and new.body is None:
        return
    if new.body is None:
        yield Change(rule("request-body-removed"), group, subject, "`body=` removed")
        return
    kind = "required" if new.body.required else "optional"
    if old.body is None:
        message = f"new {kind} `body: {show_type(new.body.type)}`"
        yield Change(rule(f"request-body-added-{kind}"), group, subject, message)
        return
    if old.body.required != new.body.required:
        message = f"`body=` is now {kind}"
        yield Change(rule(f"request-body-made-{kind}"), group, subject, message)
    yield from type_change(group, subject, "request-body", old.body.type, new.body.type)


# ---- credentials ---------------------------------------------------------------------------
def _diff_webhooks(old: Api, new: Api) -> Iterator[Change]:
    """Webhooks by name (removing one was not reported; diff audit 9); their payloads are
    models, compared as received."""
    before, after = {w.name for w in old.webhooks}, {w.name for w in new.webhooks}
    for name in sorted(before - after):
        message = f"webhook `{name}` removed"
        yield Change(rule("webhook-removed"), "webhooks", f"webhooks({name})", message)
    for name in sorted(after - before):
        message = f"new webhook `{name}`"
        yield Change(rule("webhook-added"), "webhooks", f"webhooks({name})", message)


def _diff_auth(old: Api, new: Api) -> Iterator[Change]:
    if old.default_base_url != new.default_base_url:  # (every call went elsewhere unsaid)
        message = f"DEFAULT_BASE_URL {old.default_base_url!r} → {new.default_base_url!r}"
        yield Change(rule("server-changed"), CLIENT_GROUP, "Client(base_url)", message)
    before = {s.key: s for s in old.security_schemes}
    after = {s.key: s for s in new.security_schemes}
    for key, scheme in before.items():
        subject = f"Client({scheme.argument})"
        if key not in after:
            message = f"credential `{scheme.argument}` ({key}) removed"
            yield Change(rule("auth-scheme-removed"), CLIENT_GROUP, subject, message)
            continue
        current = after[key]
        if current.argument != scheme.argument:
            message = f"`{scheme.argument}` → `{current.argument}`"
            yield Change(rule("auth-argument-renamed"), CLIENT_GROUP, subject, message)
        sent_before = (scheme.kind, scheme.location, scheme.wire_name)
        sent_after = (current.kind, current.location, current.wire_name)
        if sent_before != sent_after:
            message = f"sent as {' '.join(sent_before)} → {' '.join(sent_after)}"
            yield Change(rule("auth-scheme-changed"), CLIENT_GROUP, subject, message)
    for key, scheme in after.items():
        if key not in before:
            message = f"new credential `{scheme.argument}` ({scheme.kind})"
            subject = f"Client({scheme.argument})"
            yield Change(rule("auth-scheme-added"), CLIENT_GROUP, subject, message)


__all__ = [
    "MODELS_GROUP",
    "ApiDiff",
    "Change",
    "Level",
    "MethodKey",
    "Surface",
    "build_surface",
    "diff_apis",
    "load_surface",
    "load_surfaces",
    "method_key",
    "method_label",
]
