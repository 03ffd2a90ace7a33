"""Names are decided once, here: spec names in, valid, unique, stable Python identifiers out.

Every identifier the generated code uses for something named by the spec
(classes, fields, enum members, methods, parameters, packages) comes from
`NameScope.claim`, which
- splits the spec name into words (camelCase, PascalCase, snake, kebab, spaces, dots…),
- folds accents to ASCII (`Año` → `Ano`) and drops what is not a letter or digit,
- applies the wanted style (snake_case, PascalCase, UPPER_SNAKE),
- avoids Python keywords, soft keywords, builtins the generated code relies on,
  pydantic `BaseModel` attributes and names the module imports,
- prefixes names that would start with a digit, and names empty ones,
- makes the result unique within its scope with a numeric suffix.

The same inputs in the same order always give the same names.
"""

from __future__ import annotations

import builtins
import enum
import keyword
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Attributes of pydantic.BaseModel (v2) that a field may not shadow; a test keeps this in
# step with `dir(pydantic.BaseModel)`.
PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "fields",
        "register",
    }
)
# Builtins that generated annotations use: a field of that name would shadow them in
# the class namespace that pydantic evaluates annotations in.
TYPE_BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "object",
        "type",
    }
)
SOFT_KEYWORDS = frozenset(getattr(keyword, "softkwlist", ()))
# a model class may not be called like a builtin (`RuntimeError`, `Warning`): an annotation
# naming it before its class is defined would resolve to the builtin, not the model
MODEL_RESERVED = frozenset(name for name in dir(builtins) if not name.startswith("_"))
ENUM_RESERVED = frozenset({"name", "value", "mro"})


class Style(enum.Enum):
    """Identifier styles."""

    SNAKE = "snake"
    PASCAL = "pascal"
    UPPER = "upper"


# words: `Line1`, `ID`, `Request`, `2`; digits stay with the word before them (`line1`)
_WORD_BOUNDARY = re.compile(r"[A-Z]?[a-z]+\d*|[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]+\d*|\d+[a-z]*")


def ascii_fold(text: str) -> str:
    """Fold accented letters to ASCII (`Año` → `Ano`); drop characters with no ASCII form."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128)


def split_words(text: str) -> list[str]:
    """Split a spec name into words: `billingEntity_code-ID 2` → billing, Entity, code, ID, 2."""
    words: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", ascii_fold(text)):
        if chunk:
            words.extend(_WORD_BOUNDARY.findall(chunk))
    return words


def _fallback(text: str) -> str:
    """A stable word for a name with no ASCII letters or digits (e.g. `日本`)."""
    if not text:
        return "empty"
    return "u" + "_".join(f"{ord(c):x}" for c in text[:8])


@lru_cache(maxsize=65536)
def styled(text: str, style: Style) -> str:
    """Apply a style to a spec name, without uniqueness or reserved-word handling."""
    words = split_words(text) or [_fallback(text)]
    if style is Style.SNAKE:
        return "_".join(w.lower() for w in words)
    if style is Style.UPPER:
        return "_".join(w.upper() for w in words)
    return "".join(w[:1].upper() + w[1:] for w in words)


def is_reserved_python(name: str) -> bool:
    """True for keywords and soft keywords (`class`, `None`, `match`, `type`…)."""
    return keyword.iskeyword(name) or name in SOFT_KEYWORDS


class NameScope:
    """A namespace in which claimed names are unique (a module, a class, a signature)."""

    def __init__(self, reserved: Iterable[str] = (), suffix: str = "_") -> None:
        # reserved names are shared (often a module constant); claimed ones are ours
        self._reserved = reserved if isinstance(reserved, frozenset) else frozenset(reserved)
        self._taken: set[str] = set()
        self._suffix = suffix

    def is_free(self, name: str) -> bool:
        """True when `name` is not yet taken in this scope."""
        return name not in self._taken and name not in self._reserved

    def is_claimed(self, name: str) -> bool:
        """True when `name` was claimed or reserved in this scope (reserved words aside)."""
        return name in self._taken

    def reserve(self, name: str) -> None:
        """Take `name` without styling it (for names the template itself uses)."""
        self._taken.add(name)

    def claim(
        self, text: str, style: Style, *, prefix: str = "", max_length: int | None = None
    ) -> str:
        """Return a unique identifier in `style` for the spec name `text`, and take it.

        `max_length` cuts long names (before the uniqueness suffix is added).
        """
        base = styled(text, style)
        if max_length is not None and len(base) > max_length:
            base = base[:max_length].rstrip("_")
        if base[0].isdigit():
            base = (
                (prefix or {Style.SNAKE: "n", Style.UPPER: "V", Style.PASCAL: "N"}[style])
                + ("_" if style is not Style.PASCAL else "")
                + base
            )
        if is_reserved_python(base) or not self.is_free(base):
            base = base + self._suffix if self.is_free(base + self._suffix) else base
        candidate, counter = base, 2
        while not self.is_free(candidate) or is_reserved_python(candidate):
            candidate = f"{base}{counter}" if style is Style.PASCAL else f"{base}_{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate


def field_scope(wire_names: Iterable[str] = ()) -> NameScope:
    """A scope for the fields of one model.

    `wire_names` are the model's property names: no attribute may be called like
    another field's wire name, or one input key would fill two fields.
    """
    return NameScope(_FIELD_RESERVED | frozenset(wire_names))


def is_field_name(text: str) -> bool:
    """True when the spec name `text` can be a field attribute exactly as it is."""
    return (
        text.isidentifier()
        and text.isascii()
        and styled(text, Style.SNAKE) == text
        and text not in _FIELD_RESERVED
        and not is_reserved_python(text)
    )


def package_name(text: str) -> str:
    """A valid import name for a distribution called `text` (`paypal-billing` → `paypal_billing`)."""
    name = styled(text, Style.SNAKE)
    if name[0].isdigit():
        name = "api_" + name
    if is_reserved_python(name):
        name += "_api"
    return name


_FIELD_RESERVED = frozenset(PYDANTIC_RESERVED | TYPE_BUILTINS)


# names the package's `__init__` and `_client` modules bind besides the client classes
PACKAGE_EXPORTS = frozenset(
    {
        "DEFAULT_BASE_URL",
        "NOT_GIVEN",
        "NotGiven",
        "RawResponse",
        "OAuth2ClientCredentials",
        "errors",
        "models",
        "annotations",
    }
)


def client_class_names(text: str | None) -> tuple[str, str]:
    """The sync and async client class names for a configured name (`stripe` → `Stripe`,
    `AsyncStripe`); `Client`/`AsyncClient` when none is given. A name that is taken in the
    package (`errors`, an exception class…) or ends in `Error` gets `Client` appended."""
    if not text:
        return "Client", "AsyncClient"
    name = styled(text, Style.PASCAL)
    if name[0].isdigit():
        name = "N" + name
    if name in PACKAGE_EXPORTS or name.endswith(("Error", "WithRawResponse")):
        name += "Client"
    return name, "Async" + name
