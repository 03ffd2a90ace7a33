"""Stage 3 data: how a list operation pages, as the IR carries it (`ir_pagination` detects
it; the templates write its `PageInfo`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .typeir import TypeNode

__all__ = ["Pagination"]


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages (see ir_pagination): the runtime's `PageInfo` and item type."""

    scheme: str
    items: str | None
    param: str | None
    field: str | tuple[str, ...] | None  # a tuple: the names down to a nested field
    id_field: str
    item_type: TypeNode
    before_param: str | None = None  # cursor: the query parameter that pages backwards
    more_field: str | tuple[str, ...] | None = None  # false on the last page
    pages_field: str | tuple[str, ...] | None = None  # the number of pages
    total_field: str | tuple[str, ...] | None = None  # the number of items
    pages_header: str | None = None  # a response header holding the number of pages
    first_page: int = 1  # page: the first page's number (0 or 1)
    marker_field: str | tuple[str, ...] | None = None  # offset: a cursor given instead
    marker_param: str | None = None  # offset: the query parameter the cursor is sent in
    in_body: bool = False  # the position is a property of a POST's JSON body
    numbered: bool = False  # token: the token is a page number (Hetzner Cloud's `next_page`)

    @property
    def info_arguments(self) -> tuple[tuple[str, Any], ...]:
        """Keyword arguments of the runtime `PageInfo` (defaults left out)."""
        values = (("items", self.items), ("param", self.param), ("field", self.field))
        args: list[tuple[str, Any]] = [("scheme", self.scheme)]
        args.extend((k, v) for k, v in values if v is not None)
        if self.id_field != "id":
            args.append(("id_field", self.id_field))
        ending = (
            ("before_param", self.before_param),
            ("more_field", self.more_field),
            ("pages_field", self.pages_field),
            ("total_field", self.total_field),
            ("pages_header", self.pages_header),
        )
        args.extend((k, v) for k, v in ending if v is not None)
        if self.first_page != 1:
            args.append(("first_page", self.first_page))
        marker = (("marker_field", self.marker_field), ("marker_param", self.marker_param))
        args.extend((k, v) for k, v in marker if v is not None)
        if self.in_body:
            args.append(("in_body", True))
        if self.numbered:
            args.append(("numbered", True))
        return tuple(args)
