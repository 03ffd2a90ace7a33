"""The `Content-Type` headers OpenAPI says are ignored, dropped from a loaded document before
any `$ref` is followed (`load.load_spec`)."""

from __future__ import annotations

from typing import Any

from .load import join_pointer, resolve_pointer

# keys whose values are never a Response or Encoding object, nor hold one
_NOT_HOLDING_HEADERS = frozenset({"schema", "schemas", "example", "examples", "value"})


def drop_ignored_headers(document: dict[str, Any]) -> list[str]:
    """Remove every `Content-Type` entry of a Response's or an Encoding's `headers`, as
    OpenAPI 3.x says such a header "SHALL be ignored", before any `$ref` is followed: a
    reference there that does not resolve (or loops) cannot refuse the spec. Returns the
    pointers of the removed entries whose `$ref` does not resolve in the document (the
    others are dropped silently: GitHub's `/markdown` refers to a shared header).

    The root document only; schemas and examples are not entered, and a pointer is
    written only for an entry found (25 ms on GitHub's 13 MB)."""
    dropped: list[str] = []
    # (node, its key, its holder's key, the holder's entry): the chain spells the pointer
    stack: list[tuple[Any, Any, Any, Any]] = [(document, None, None, None)]
    while stack:
        entry = stack.pop()
        node, key, holder, _ = entry
        if isinstance(node, list):
            stack.extend((v, i, key, entry) for i, v in enumerate(node) if isinstance(v, dict))
            continue
        headers = node.get("headers")
        if isinstance(headers, dict) and holder in ("responses", "encoding"):
            for name in [k for k in headers if isinstance(k, str) and k.lower() == "content-type"]:
                removed = headers.pop(name)
                ref = removed.get("$ref") if isinstance(removed, dict) else None
                if ref is not None and not _resolves_locally(document, ref):
                    dropped.append(join_pointer(_pointer_of(entry), "headers", name))
        for child_key, value in node.items():
            if isinstance(value, (dict, list)) and not (
                child_key in _NOT_HOLDING_HEADERS or str(child_key).startswith("x-")
            ):
                stack.append((value, child_key, key, entry))
    return sorted(dropped)


def _pointer_of(entry: tuple[Any, Any, Any, Any]) -> str:
    tokens: list[Any] = []
    while entry[3] is not None:
        tokens.append(entry[1])
        entry = entry[3]
    return join_pointer("", *reversed(tokens))


def _resolves_locally(document: dict[str, Any], ref: Any) -> bool:
    if not isinstance(ref, str) or not ref.startswith("#"):
        return False
    try:
        resolve_pointer(document, ref[1:])
    except (KeyError, ValueError):
        return False
    return True
