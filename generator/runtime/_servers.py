"""The base URL from the spec's server variables: each one an argument of the client, else
its environment variable, else its default (`server_url`).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ServerVariable", "server_url"]


@dataclass(frozen=True)
class ServerVariable:
    """A variable of the spec's server URL: its default, the values the spec allows (none:
    any) and the environment variable read when the client is given none."""

    default: str
    enum: tuple[str, ...] = ()
    env_var: str = ""
    required: bool = False  # no default: a value must be given (or be in `env_var`)


def server_url(
    template: str, variables: Mapping[str, ServerVariable], given: Mapping[str, str | None]
) -> str:
    """`template` (the server's URL, each variable in braces) with each variable's value:
    the one given, else its environment variable's, else its default. A value the spec does
    not allow (but its default, which a spec may leave out of its `enum`) raises ValueError,
    naming those it does; so does a given value that would change more than its own part of
    the URL (`evil.test/x?` for a `{tenant}` of the host: the host was `evil.test`, and the
    credentials went there). The values go in at once: one is never expanded again."""
    values: dict[str, str] = {}
    authority_end = _authority_end(template)
    for name, variable in variables.items():
        value = given.get(name)
        if value is None and variable.env_var:
            value = os.environ.get(variable.env_var) or None
        if value is None and variable.required:
            where = f", or set ${variable.env_var}" if variable.env_var else ""
            raise ValueError(f"server variable {name!r} has no default: give the client one{where}")
        if value is None:
            value = variable.default
        elif value != variable.default:
            _check_value(name, value, template.find("{" + name + "}") < authority_end)
        if variable.enum and value not in variable.enum and value != variable.default:
            allowed = ", ".join(variable.enum)
            raise ValueError(f"server variable {name!r} must be one of: {allowed}")
        values[name] = value
    if not values:
        return template.rstrip("/")
    pattern = "|".join(re.escape("{" + name + "}") for name in values)
    url = re.sub(pattern, lambda found: values[found.group(0)[1:-1]], template)
    return url.rstrip("/")


_HOST_VALUE = re.compile(r"[A-Za-z0-9._~-]+(:[0-9]{1,5})?")
_PATH_UNSAFE = re.compile(r"[?#{}%\\\s\x00-\x1f\x7f]|(^|/)\.\.(/|$)")


def _authority_end(template: str) -> int:
    """Where the template's scheme and host end (the index of the path's first `/`)."""
    start = template.find("://")
    start = start + 3 if start >= 0 else 0
    end = template.find("/", start)
    return end if end >= 0 else len(template)


def _check_value(name: str, value: str, in_authority: bool) -> None:
    """Refuse a server variable's value that reaches past its own part of the URL: a host
    part or port that is not one (`/`, `?`, `#`, `@`…), or a path part with a query,
    fragment, `..` segment, brace or control character."""
    if in_authority:
        if not _HOST_VALUE.fullmatch(value):
            raise ValueError(
                f"server variable {name!r} is part of the host: letters, digits, `.`, `-`, "
                "`_`, `~` and a `:port` only"
            )
    elif _PATH_UNSAFE.search(value):
        raise ValueError(
            f"server variable {name!r} is part of the path: no `?`, `#`, `%`, braces, `..` "
            "segments, spaces or control characters"
        )
