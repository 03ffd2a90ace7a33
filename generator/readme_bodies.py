"""The README's snippets about bodies: a partial update, a download, an upload, a stream.

Part of `readme` (see its module doc): each snippet is the first operation that shows the
feature, called as `readme_calls.CallWriter` writes calls; an empty string leaves the
section out.
"""

from __future__ import annotations

import json

from . import typeir as t
from .examples import Examples
from .filters import comment
from .ir import Operation
from .readme_calls import CallWriter, laid_out, streamed

__all__ = ["BodySnippets"]


class BodySnippets:
    """The body snippets of one package's README."""

    def __init__(
        self, operations: list[Operation], examples: Examples, calls: CallWriter, package: str
    ) -> None:
        self.operations = operations
        self.examples = examples
        self.models = examples.models
        self.calls = calls
        self.package = package

    def partial_update(self) -> str:
        """A JSON body with one optional field set (`None` where the spec allows null). (Not a
        form body: its comment showed JSON, `null` included, where a form sends `k=v` and
        leaves a `None` out: Twilio's READMEs misstated the wire.)"""
        order = {"PATCH": 0, "PUT": 1, "POST": 2}
        for op in sorted(self.operations, key=lambda o: order.get(o.http_method, 3)):
            body = op.body
            if body is None or body.encoding != "json":
                continue
            if not isinstance(body.type, t.ModelRef):
                continue
            model = self.models.get(body.type.name)
            if model is None or model.kind != "object":
                continue
            fields = self.examples.all_fields(model)
            optional = [
                f for f in fields if not (f.required or f.write_required or f.read_only or f.secret)
            ]
            if not optional:
                continue
            nullable = [f for f in optional if f.name in model.nullable_fields]
            chosen = (nullable or optional)[0]
            sent = {
                f.alias: self.calls.value(f.type, example=f.example, hint=f.alias)
                for f in fields
                if f.required or f.write_required
            }
            sent[chosen.alias] = (
                None if nullable else self.calls.value(chosen.type, chosen.example, chosen.alias)
            )
            arguments: list[tuple[str, object]] = [
                ("", self.calls.value(p.type, p.example, p.wire_name))
                for p in op.positional_parameters
            ]
            arguments.extend(
                (f"{p.name}=", self.calls.value(p.type, p.example, p.wire_name))
                for p in op.keyword_parameters
                if p.required
            )
            names = {f.alias: f.name for f in op.body_fields}
            if set(sent) <= set(names):
                arguments.extend((f"{names[k]}=", v) for k, v in sent.items())
            else:
                arguments.append(("body=", sent))
            wire = json.dumps(sent, ensure_ascii=False, default=str)
            return "\n".join(
                [
                    *laid_out(f"client.{op.qualified_name}", arguments),
                    comment(f"# sends {wire}: unset fields are omitted"),
                ]
            )
        return ""

    def downloads(self) -> str:
        """A binary response streamed to a file."""
        downloads = [o for o in self.operations if o.binary_success and not streamed(o)]
        # one returning only the binary response, if any (no 204, no JSON besides)
        op = next((o for o in downloads if not isinstance(o.return_type, t.Union)), None)
        op = op or next(iter(downloads), None)
        if op is None:
            return ""
        arguments = [*self.calls.argument_items(op, full=False), ("stream=", True)]
        media = [m for r in op.success_responses for m in r.media]
        if media[0].parse != "binary":  # another media type comes first: ask for the bytes
            binary = next(m.media_type for m in media if m.parse == "binary")
            arguments.append(("extra_headers=", {"Accept": binary}))
        use = [
            "    print(response.content_type, response.filename)",
            '    response.write_to_file("download.bin")',
        ]
        if not isinstance(op.return_type, t.Union):
            return "\n".join(
                [*laid_out(f"with client.{op.qualified_name}", arguments, 0, " as response:"), *use]
            )
        # `BinaryResponse | None` (a 204 besides), or a JSON model besides: narrowed first
        return "\n".join(
            [
                f"from {self.package} import BinaryResponse",
                "",
                *laid_out(f"response = client.{op.qualified_name}", arguments),
                "if isinstance(response, BinaryResponse):",
                "    with response:",
                *(f"    {line}" for line in use),
            ]
        )

    def uploads(self, senders: tuple[Operation, ...]) -> str:
        """A file or raw body sent: the first of `senders` (`Api.uploads`) among the
        operations."""
        chosen = {id(o) for o in senders}
        op = next((o for o in self.operations if id(o) in chosen), None)
        if op is None:
            return ""
        return "\n".join(self.calls.use(op))

    def streams(self) -> str:
        """Events or JSON Lines, read as they arrive."""
        op = next((o for o in self.operations if streamed(o)), None)
        if op is None:
            return ""
        return "\n".join(self.calls.use(op))
