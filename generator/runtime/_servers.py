"""The base URL from the spec's server variables: each one an argument of the client, else
its environment variable, else its default (`server_url`).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import os
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


def server_url(
    template: str, variables: Mapping[str, ServerVariable], given: Mapping[str, str | None]
) -> str:
    """`template` (the server's URL, each variable in braces) with each variable's value:
    the one given, else its environment variable's, else its default. A value the spec does
    not allow (but its default, which a spec may leave out of its `enum`) raises ValueError,
    naming those it does."""
    url = template
    for name, variable in variables.items():
        value = given.get(name)
        if value is None and variable.env_var:
            value = os.environ.get(variable.env_var) or None
        if value is None:
            value = variable.default
        if variable.enum and value not in variable.enum and value != variable.default:
            allowed = ", ".join(variable.enum)
            raise ValueError(f"server variable {name!r} must be one of: {allowed}")
        url = url.replace("{" + name + "}", value)
    return url.rstrip("/")
