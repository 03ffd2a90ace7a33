"""Generation options: what the configuration (`[tool.billing-sdkgen]`) or the command line
chose for one spec. Plain values, no imports beyond the standard library: the CLI
builds them before any heavy stage is loaded, and the fingerprint hashes them.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

FORMATTERS = ("black", "ruff", "none")


@dataclass(frozen=True)
class Selection:
    """Operations named by tag, path or operationId (glob patterns: `*`, `?`, `[…]`)."""

    tags: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    operation_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tags or self.paths or self.operation_ids)

    def matches(self, tags: Iterable[str], path: str, operation_id: str) -> bool:
        """True when the operation has a selected tag, path or operationId."""
        return (
            any(fnmatch.fnmatchcase(tag, p) for tag in tags for p in self.tags)
            or any(fnmatch.fnmatchcase(path, p) for p in self.paths)
            or any(fnmatch.fnmatchcase(operation_id, p) for p in self.operation_ids)
        )

    def as_json(self) -> dict[str, list[str]]:
        """The selection as configured (for the fingerprint)."""
        return {
            "tags": list(self.tags),
            "paths": list(self.paths),
            "operation-ids": list(self.operation_ids),
        }


@dataclass(frozen=True)
class Options:
    """Everything besides the spec that decides what one package looks like."""

    package: str | None = None  # import name (default: from the file name or info.title)
    distribution: str | None = None  # distribution name (default: the import name, dashed)
    client: str | None = None  # sync client class; the async one is `Async` + this
    include: Selection = field(default_factory=Selection)  # empty: every operation
    exclude: Selection = field(default_factory=Selection)
    rename_models: tuple[tuple[str, str], ...] = ()  # component schema name → class name
    rename_operations: tuple[tuple[str, str], ...] = ()  # operationId → method name
    # operationId (or glob) → resource path (`customers.sources`), as `x-sdk-resource` says
    resources: tuple[tuple[str, str], ...] = ()
    # operationId (or glob) → an `x-pagination` value, as JSON text (hashable)
    pagination: tuple[tuple[str, str], ...] = ()
    templates: Path | None = None  # a folder whose templates replace the built-in ones
    formatter: str = "black"
    house_style: bool = False  # report house-style rules (E401, E402, E501, E701, W601) too
    # the clients' default for `strict_response_validation`: raise on a body off the spec
    strict_responses: bool = False
    config_file: str | None = None  # where these options were read (for diagnostics)
    # the TOML table of `config_file` they were read from (diagnostics locate keys in it)
    config_table: tuple[str, ...] = ()
    # the folder file `$ref`s may read from (default: the spec's own folder); it changes
    # which specs load, never what a loaded spec generates
    ref_root: Path | None = None
    # `stamp.configuration_key` of the configuration file, when nothing else chose these
    # options (no option on the command line): `generate` remembers what they were for the
    # quick check (`stamp.remember_options`)
    configuration_key: str | None = None

    def __post_init__(self) -> None:
        # an operation without an operationId is renamed by `post /path`, its derived id;
        # `POST /path`, as E301 and the README write it, is that key too (payments audit 21:
        # W811 said there was no such operation)
        renames = tuple((_derived_id(key), name) for key, name in self.rename_operations)
        if renames != self.rename_operations:
            object.__setattr__(self, "rename_operations", renames)

    def selects(self, tags: Iterable[str], path: str, operation_id: str) -> bool:
        """True when the operation is generated under the include/exclude selection."""
        tags = tuple(tags)
        if self.include and not self.include.matches(tags, path, operation_id):
            return False
        return not self.exclude.matches(tags, path, operation_id)

    @property
    def selective(self) -> bool:
        """True when only some operations are generated (and so only the models they use)."""
        return bool(self.include or self.exclude)

    def fingerprint_text(self) -> str:
        """What changes the generated files, as canonical JSON ("" for the defaults)."""
        # the package name is in the spec's hash already; house style changes no file
        if (
            replace(
                self,
                package=None,
                house_style=False,
                config_file=None,
                config_table=(),
                ref_root=None,
                configuration_key=None,
            )
            == Options()
        ):
            return ""
        values = {
            "distribution": self.distribution,
            "client": self.client,
            "include": self.include.as_json(),
            "exclude": self.exclude.as_json(),
            "rename-models": dict(self.rename_models),
            "rename-operations": dict(self.rename_operations),
            "resources": dict(self.resources),
            "pagination": {key: json.loads(value) for key, value in self.pagination},
            "templates": self.templates is not None,  # their content is hashed separately
            "formatter": self.formatter if self.formatter != "ruff" else _ruff_identity(),
            "strict-responses": self.strict_responses,
        }
        return json.dumps(values, sort_keys=True)


_DERIVED = re.compile(r"([A-Za-z]+) (/.*)", re.DOTALL)


def _derived_id(key: str) -> str:
    """A rename's key as the derived operationId of an operation without one is written
    (`post /path`): the method in lower case."""
    found = _DERIVED.fullmatch(key)
    return f"{found.group(1).lower()} {found.group(2)}" if found else key


def _ruff_identity() -> str:
    """`ruff` and its release: another formats the same files otherwise."""
    from .formatters import ruff_version

    return f"ruff {ruff_version()}"
