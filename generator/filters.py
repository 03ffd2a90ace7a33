"""The escaping filters through which spec text reaches a template (and nothing else does).

`pyrepr` for literals, `docstring` for docstrings, `comment` for one-line comments,
`tomlstr` for TOML strings, `mdtext` for inline Markdown: whatever the spec says,
the result is inert text in the file it lands in.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Any

from .literals import literal


def pyrepr(value: Any) -> str:
    """A Python literal for spec data (the one literal writer, `literals.literal`): never code.

    Literals are spelled as black spells them (double quotes unless that needs more
    escapes, `1e20` not `1e+20`), so that output without long lines is already formatted.
    """
    return literal(value)


def _escape_char(char: str) -> str:
    if char in "\n\t":
        return char
    category = unicodedata.category(char)
    if category == "Cs":
        # a lone surrogate: CPython encodes a class's docstring to UTF-8 (tp_doc), so not
        # even its escape may stay; the docstring shows the code point as text instead
        return f"\\\\u{ord(char):04x}"
    if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
        code = ord(char)
        return (
            f"\\x{code:02x}"
            if code < 0x100
            else f"\\u{code:04x}"
            if code < 0x10000
            else f"\\U{code:08x}"
        )
    return char


@lru_cache(maxsize=65536)  # descriptions recur: GitHub's 20,953 docstrings are 6,844 texts
def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring literal whose content is inert whatever `text` holds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "\n".join(
        line if line.replace("\t", " ").isprintable() else "".join(map(_escape_char, line))
        for line in text.split("\n")
    )
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if not lines or lines == [""]:
        lines = ["(No description in the spec.)"]
    lines[1:] = _dedent(lines[1:])
    if lines[0].startswith('"'):  # `""""`: black pads it with a space; escape it instead
        lines[0] = "\\x22" + lines[0][1:]
    pad = " " * indent
    if len(lines) == 1:
        line = lines[0]
        trailing_backslashes = len(line[:-1]) - len(line[:-1].rstrip("\\"))
        if line.endswith('"'):
            # a final quote would merge with the closing quotes, and black pads even an
            # escaped one (`\\"`) with a space: spell it `\\x22`
            line = line[: -2 if trailing_backslashes % 2 else -1] + "\\x22"
        return f'"""{line}"""'
    body = "\n".join((pad + line) if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""'


def _dedent(lines: list[str]) -> list[str]:
    """Remove the common indentation of docstring lines, as black (and PEP 257) would."""
    expanded = []
    for line in lines:
        stripped = line.lstrip()
        if stripped and stripped != line:
            line = line[: len(line) - len(stripped)].expandtabs() + stripped
        expanded.append(line)
    indents = [len(line) - len(line.lstrip()) for line in expanded if line.strip()]
    common = min(indents, default=0)
    return [line[common:] for line in expanded]


def tomlstr(text: str) -> str:
    """A TOML basic string holding `text` exactly (a lone surrogate, which neither TOML nor
    UTF-8 can hold, becomes U+FFFD)."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif "\ud800" <= char <= "\udfff":
            out.append("\\ufffd")
        elif not char.isprintable() or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def mdtext(text: str) -> str:
    """Inline Markdown text: one line, no HTML, no table or code breaks, no link or image
    (a spec's `[x](javascript:…)` or `![](https://tracker…)` rendered in the README:
    hostile audit 13)."""
    text = comment(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return text.replace("|", "\\|").replace("`", "'")


_TAG = re.compile(r"<[^<>]*>")
_SPACED_STOP = re.compile(r"\s+([.,;:!?])")
_SENTENCE = re.compile(r"(.+?[.!?])(?=\s+[A-Z0-9\"“(]|$)")  # "e.g. this" goes on
HEADLINE_CHARS = 120


# HTML's own tags (not `List<String>`, nor a placeholder `<id>`): spec text written as HTML
_HTML_TAG = re.compile(
    r"</?(?:a|b|blockquote|br|code|dd|div|dl|dt|em|h[1-6]|hr|i|img|li|ol|p|pre|small|span"
    r"|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_BREAK = re.compile(
    r"<\s*/?\s*(?:br|p|div|ul|ol|h[1-6]|tr|table|blockquote|hr)\b[^<>]*>", re.I
)
_HTML_ITEM = re.compile(r"<\s*li\b[^<>]*>", re.IGNORECASE)
_HTML_CODE = re.compile(r"<\s*/?\s*code\b[^<>]*>", re.IGNORECASE)
# an admonition box opening a description (eBay's `<div class="msgbox_important">`: every
# row of its resources table said "Important!"; UX audit 10)
_ADMONITION = re.compile(
    r"^\s*<div[^<>]*(?:msgbox|important|warning|note|caution)[^<>]*>.*?</div>",
    re.IGNORECASE | re.DOTALL,
)


def html_text(text: str) -> str:
    """Spec text written as HTML, as plain text a docstring shows: tags dropped, breaks and
    paragraphs as new lines, list items as `- `, `<code>` as backticks, entities decoded
    (eBay's docstrings showed `<br><br>`, `<span class="tablenote">` and `&amp;`: UX audit
    10). Text with no HTML tag is as it is."""
    if "<" not in text or _HTML_TAG.search(text) is None:
        return text
    text = _HTML_ITEM.sub("\n- ", text)
    text = _HTML_CODE.sub("`", _HTML_BREAK.sub("\n", text))
    text = html.unescape(_HTML_TAG.sub("", text))
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def headline(summary: str, description: str) -> str:
    """An operation's one-line summary for the README's table: its `summary`, else the first
    sentence of its `description` with HTML tags dropped (Stripe's are `<p>…</p>`), cut to
    `HEADLINE_CHARS`. Plain text, to be escaped by `mdtext` like any other."""
    if summary.strip():
        return summary
    description = _ADMONITION.sub("", description[: 40 * HEADLINE_CHARS], count=1)
    text = html.unescape(" ".join(_TAG.sub(" ", description[: 20 * HEADLINE_CHARS]).split()))
    text = _SPACED_STOP.sub(r"\1", text)  # "via <a>Connect</a>." → "via Connect."
    first = _SENTENCE.match(text)
    text = first.group(1) if first else text
    if len(text) > HEADLINE_CHARS:
        text = text[: HEADLINE_CHARS - 1].rstrip() + "…"
    return text


# what makes a comment on a module's first two lines a PEP 263 encoding declaration
_CODING = re.compile(r"(coding)(?=[:=])")


def oneline(text: str) -> str:
    """`text` on one line: every control character and line or paragraph separator (CR,
    NEL, U+2028) a space. A package's `description` is its metadata's `Summary:` header,
    which a lone CR ended: the spec's title then added `Requires-Dist: …` (hostile audit 8)."""
    return "".join(c if c.isprintable() else " " for c in text)


_DASHES = re.compile(r"-(?=-)")


def html_comment(text: str) -> str:
    """One line of an HTML comment's text (README.md's and CHANGELOG.md's header): as
    `comment`, with no `--` left, so nothing in it ends the comment (a spec file named
    `x --><img …>.yaml` put raw HTML in both pages: hostile audit 12)."""
    return _DASHES.sub("- ", comment(text))


def comment(text: str) -> str:
    """One line of comment text: newlines and control characters removed, and `coding:`
    or `coding=` spaced out (`coding =`), which on a module's first two lines would
    declare its encoding (a spec file named `api coding=utf-7 .yaml` re-encoded every
    generated module: its header names the file)."""
    return _CODING.sub(r"\1 ", oneline(text))
