"""pydantic's validation errors as the package reports them: `{loc, msg, type}` without the
input, a union member located by its model's name, and the members a value's constants rule
out left out.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["problems"]

# error context that comes from the input (a parse error's detail quoting it, a union tag):
# it is cut out of messages, so that no message repeats what was given
_INPUT_CONTEXT = ("error", "tag", "tz_actual", "attribute", "encoding_error")


def problems(error: ValidationError, *prefix: str | int) -> list[dict[str, Any]]:
    """pydantic's errors as `{loc, msg, type}`, located under `prefix`, without the input:
    neither the values given nor a message part quoting them (a parse detail, a tag).

    A member of a union is located by its model's name, not by pydantic's description of
    its validators (`function-after[_check_dependent_required(), …, IdealDetails]`); and
    where the value's constants (a one-value `enum` such as a `type`) agree with some
    members only, the problems of the members they rule out are left out (billing audit:
    Adyen's `paymentMethod` gave 64 problems in 1,676 characters, the one that mattered
    about the thirtieth)."""
    found: list[dict[str, Any]] = []
    members: dict[tuple[Any, ...], dict[str, bool]] = {}  # union → member → ruled out
    for item in error.errors(include_url=False, include_input=False):
        message = item["msg"]
        context = item.get("ctx") or {}
        if item["type"] not in ("value_error", "assertion_error"):
            for key in _INPUT_CONTEXT:
                quoted = str(context.get(key, ""))
                if quoted:
                    message = message.replace(quoted, "…")
        loc = [*prefix, *item["loc"]]
        member = None
        for index, part in enumerate(loc):
            name = _member_name(part)
            if name is not None:
                loc[index] = name
                if member is None:
                    member = (tuple(loc[:index]), name, index)
        if member is not None:
            union, name, index = member
            ruled_out = members.setdefault(union, {}).setdefault(name, False)
            constant = (
                item["type"] in ("enum", "literal_error")
                and len(loc) == index + 2
                and _one_value(context.get("expected"))
            )
            members[union][name] = ruled_out or constant
        found.append({"loc": tuple(loc), "msg": message, "type": item["type"], "_m": member})
    for union, verdicts in members.items():
        if len(verdicts) > 1 and not all(verdicts.values()):  # some agree: only theirs
            found = [
                f
                for f in found
                if f["_m"] is None or f["_m"][0] != union or not verdicts[f["_m"][1]]
            ]
    for entry in found:
        del entry["_m"]
    return found


def _one_value(expected: Any) -> bool:
    """Does pydantic's `expected` of an enum or literal error name one value only (`'ideal'`,
    not `'a' or 'b'`)? Only a one-value field (a `type`) rules a member out: one of several
    values refused is a problem of the member meant (review: a `Circle` whose `color` was
    off was left out, and an unrelated member's problem shown)."""
    text = str(expected or "")
    return bool(text) and text.count("'") == 2 and text[:1] == "'" and text[-1:] == "'"


def _member_name(part: Any) -> str | None:
    """The model's name of a union member's location (`function-after[…, Name]`, pydantic's
    name of a model wrapped in validators), else None."""
    if not (isinstance(part, str) and part.startswith("function-") and part.endswith("]")):
        return None
    text = part
    while text.startswith("function-") and text.endswith("]") and "[" in text:
        inner = text[text.index("[") + 1 : -1]
        depth, cut = 0, -1
        for position, character in enumerate(inner):  # the last top-level ", "
            if character == "[":
                depth += 1
            elif character == "]":
                depth -= 1
            elif character == "," and depth == 0:
                cut = position
        if cut < 0:
            return None
        text = inner[cut + 1 :].strip()
    return text if text.isidentifier() else None
