"""Which schemas a client only sends: `readOnly` means nothing there.

`readOnly: true` says a property "SHOULD NOT be sent as part of the request": the models
drop it from what they send, and the methods take no argument for it. A schema that no
response, webhook or callback holds is only ever sent, so its read-only properties could
never be anything at all. GOV.UK Pay's `CreateCardPaymentRequest` marks every property
read-only, four of them required: a payment could not be created (the amount, reference,
description and return URL were dropped before sending; UX audit 8). There the marks are
ignored, with a warning (W314).

A schema is received when a response (of a path, `components.responses`), a webhook or a
callback reaches it through local `$ref`s, `allOf`, properties, items, anything. A
reference the walk cannot follow (to another file) makes every schema count as received:
the marks are then kept, as the spec says.
"""

from __future__ import annotations

from typing import Any

from .load import decoded_token, resolve_pointer

__all__ = ["SchemaUsage"]

_COMPONENT_SCHEMAS = "#/components/schemas/"
_MAX_NODES = 2_000_000  # a walk past this many objects keeps every mark (bounded)
# values that are data, not schemas (an example's `$ref` key is the example's)
_DATA_KEYS = frozenset({"$ref", "example", "examples", "default", "enum", "const"})


class SchemaUsage:
    """The component schemas a client receives, found on first use and kept."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._received: frozenset[str] | None = None  # component names; None: not walked
        self._sent: frozenset[str] | None = None
        self._everything = False  # a reference the walk could not follow: all received

    def only_sent(self, pointer: str) -> bool:
        """Is the schema at `pointer` one requests hold and no response does: a component
        schema a request body reaches and the responses' walk never does, or an inline
        schema of a request body?"""
        pointer = pointer if pointer.startswith("#") else "#" + pointer
        if pointer.startswith(_COMPONENT_SCHEMAS):
            name = _component(pointer)
            if self._received is None:
                self._received = self._walk(self._roots(True), True)
            if self._everything or name in self._received:
                return False
            if self._sent is None:
                self._sent = self._walk(self._roots(False), False)
            return name in self._sent
        return "/requestBody/" in pointer and "/callbacks/" not in pointer

    def _walk(self, roots: list[Any], receiving: bool) -> frozenset[str]:
        """The component schemas `roots` reach; a reference the walk cannot follow, or a
        walk past its bound, makes every schema received when `receiving`."""
        received: set[str] = set()
        stack: list[Any] = roots
        seen: set[str] = set()
        visited = 0
        while stack:
            node = stack.pop()
            visited += 1
            if visited > _MAX_NODES:
                self._everything = self._everything or receiving
                break
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#"):
                    self._everything = self._everything or receiving
                    break
                if ref not in seen:
                    seen.add(ref)
                    if ref.startswith(_COMPONENT_SCHEMAS):
                        received.add(_component(ref))
                    try:
                        stack.append(resolve_pointer(self.document, ref))
                    except (KeyError, IndexError, ValueError, TypeError):
                        pass
            stack.extend(value for key, value in node.items() if key not in _DATA_KEYS)
        return frozenset(received)

    def _roots(self, receiving: bool) -> list[Any]:
        """What a client receives (`receiving`: every operation's responses and callbacks,
        the components' responses and callbacks, the webhooks) or sends (the operations'
        request bodies and the components' `requestBodies`)."""
        keys = ("responses", "callbacks") if receiving else ("requestBody",)
        shared = ("responses", "callbacks") if receiving else ("requestBodies",)
        roots: list[Any] = [self.document.get("webhooks")] if receiving else []
        components = self.document.get("components")
        if isinstance(components, dict):
            roots.extend(components.get(key) for key in shared)
        paths = self.document.get("paths")
        for item in paths.values() if isinstance(paths, dict) else ():
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                roots.append(item)  # a path item elsewhere: walked whole (requests too)
                continue
            operations = list(item.values()) if isinstance(item, dict) else []
            more = item.get("additionalOperations") if isinstance(item, dict) else None
            operations.extend(more.values() if isinstance(more, dict) else ())  # (3.2)
            for operation in operations:
                if isinstance(operation, dict):
                    roots.extend(operation.get(key) for key in keys)
        return roots


def _component(pointer: str) -> str:
    """The component schema's name in `#/components/schemas/NAME…`, unescaped as a pointer in
    a URI fragment is (`%4B`, `~1`): a response's `#/components/schemas/Api%4Bey` names
    `ApiKey`, which counted as only sent (hostile audit 11)."""
    escaped = pointer[len(_COMPONENT_SCHEMAS) :].split("/", 1)[0]
    return decoded_token(escaped)
