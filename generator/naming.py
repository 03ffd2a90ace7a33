"""Names are decided once, here: spec names in, valid, unique, stable Python identifiers out.

Every identifier the generated code uses for something named by the spec
(classes, fields, enum members, methods, parameters, packages) comes from
`NameScope.claim`, which
- splits the spec name into words (camelCase, PascalCase, snake, kebab, spaces, dots…),
- folds accents to ASCII (`Año` → `Ano`) and drops what is not a letter or digit,
- applies the wanted style (snake_case, PascalCase, UPPER_SNAKE),
- avoids Python keywords, soft keywords, builtins the generated code relies on,
  pydantic `BaseModel` attributes, names the module imports and the names pycodestyle
  calls ambiguous (`l`, `O`, `I`: ruff's E741-E743),
- prefixes names that would start with a digit, and names empty ones,
- makes the result unique within its scope with a numeric suffix.

The same inputs in the same order always give the same names. The names already taken
(Python's, pydantic's, the package's own) are tabled in `naming_reserved`.
"""

from __future__ import annotations

import builtins
import enum
import itertools
import keyword
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .naming_reserved import (
    AMBIGUOUS,
    CLIENT_MODULE_NAMES,
    MODEL_RESERVED,
    PYDANTIC_RESERVED,
    SOFT_KEYWORDS,
    TYPE_BUILTINS,
)

# a generated module's name, cut to this length: its file name must stay under the 255
# bytes of common file systems (Microsoft Graph beta nests resources 14 deep)
MODULE_NAME_LENGTH = 120


class Style(enum.Enum):
    """Identifier styles."""

    SNAKE = "snake"
    PASCAL = "pascal"
    UPPER = "upper"


# words: `Line1`, `ID`, `Request`, `2`, a plural acronym `IDs` (`ContactIDs` → contact, IDs:
# it was `contact_i_ds`); digits stay with the word before them (`line1`)
_WORD_BOUNDARY = re.compile(
    # an HTTP verb glued to a word in lower case (Zuora's `Action_POSTamend`: `POS`, `Tamend`)
    r"(?:GET|PUT|POST|PATCH|DELETE)(?=[a-z]{2})"
    r"|[A-Z]{2,}s\d*(?![a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]+\d*|\d+[a-z]*"
)


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


# names written in mixed case that are one word (`OAuth2` was `o_auth2`, `GitHubApp`
# `git_hub_app`): snake and upper case keep them whole; PascalCase writes them as given
_COMPOUNDS = re.compile(r"OAuth|GitHub|GitLab|PayPal|YouTube|LinkedIn|eBay|iOS|macOS|IPv[46]")


def _compound(match: re.Match[str]) -> str:
    word = match.group()
    return word[:1].upper() + word[1:].lower()


@lru_cache(maxsize=65536)
def styled(text: str, style: Style) -> str:
    """Apply a style to a spec name, without uniqueness or reserved-word handling."""
    if style is not Style.PASCAL and _COMPOUNDS.search(text):
        text = _COMPOUNDS.sub(_compound, text)
    words = split_words(text) or [_fallback(text)]
    if style is Style.SNAKE:
        return "_".join(w.lower() for w in words)
    if style is Style.UPPER:
        return "_".join(w.upper() for w in words)
    return "".join(w[:1].upper() + w[1:] for w in words)


def variable_name(text: str, taken: Iterable[str] = ()) -> str:
    """A local variable of example code named after `text` (`FullRepository` →
    `full_repository`), or `result` when that would be a keyword, a builtin, one of
    `taken` or longer than 30 characters."""
    name = styled(text, Style.SNAKE)
    unusable = is_unusable(name) or hasattr(builtins, name) or name in set(taken)
    if unusable or not name.isidentifier() or len(name) > 30:
        return "result"
    return name


_COMPARISON = re.compile(r"^(?P<name>[A-Za-z0-9_.\- \[\]]*[A-Za-z0-9])\s*(?P<op><=|>=|!=|<|>)$")
_COMPARISON_WORDS = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte", "!=": "not"}
_DATE_COMPARISON_WORDS = {"<": "before", ">": "after", "<=": "on_or_before", ">=": "on_or_after"}


def comparison_text(text: str, dated: bool) -> str:
    """A parameter name ending in a comparison (Twilio's `StartTime<`, `Price>=`) spelled
    in words, as twilio-python names them: `StartTime before` (a date's `<`, `>`, `<=`,
    `>=`: before, after, on or before, on or after) or `Price gte` (lt, gt, lte, gte, not);
    otherwise `text` unchanged. Without this, `StartTime`, `StartTime<` and `StartTime>`
    all styled as `start_time` and were told apart by suffixes."""
    found = _COMPARISON.match(text)
    if found is None:
        return text
    op = found["op"]
    words = _DATE_COMPARISON_WORDS if dated and op in _DATE_COMPARISON_WORDS else _COMPARISON_WORDS
    return f"{found['name']} {words[op]}"


def is_reserved_python(name: str) -> bool:
    """True for keywords and the soft keywords of Python 3.10 (`class`, `None`, `match`…)."""
    return keyword.iskeyword(name) or name in SOFT_KEYWORDS


def is_unusable(name: str) -> bool:
    """True for a name no generated identifier may be: a keyword, a soft keyword, or one
    pycodestyle calls ambiguous (`l`, `O`, `I`)."""
    return is_reserved_python(name) or name in AMBIGUOUS


class NameScope:
    """A namespace in which claimed names are unique (a module, a class, a signature)."""

    def __init__(self, reserved: Iterable[str] = (), suffix: str = "_") -> None:
        # reserved names are shared (often a module constant); claimed ones are ours
        self._reserved = reserved if isinstance(reserved, frozenset) else frozenset(reserved)
        self._taken: set[str] = set()
        self._suffix = suffix
        # the counter to try next after each base (names are never given back): 80,000
        # properties colliding after snake_casing made the search quadratic (hostile audit 17)
        self._next: dict[str, int] = {}

    def is_free(self, name: str) -> bool:
        """True when `name` is not yet taken in this scope."""
        return name not in self._taken and name not in self._reserved

    def is_claimed(self, name: str) -> bool:
        """True when `name` was claimed or reserved in this scope (reserved words aside)."""
        return name in self._taken

    def reserve(self, name: str) -> None:
        """Take `name` without styling it (for names the template itself uses)."""
        self._taken.add(name)

    def claim_exact(self, text: str, style: Style, *, max_length: int | None = None) -> str | None:
        """Take the unsuffixed identifier `claim` starts from for `text` when it is free and
        usable (`Action`, the property every copy of a model sits under); else None."""
        base = styled(text, style)[:max_length].rstrip("_")
        if base[0].isdigit() or is_unusable(base) or not self.is_free(base):
            return None
        self._taken.add(base)
        return base

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
        if is_unusable(base) or not self.is_free(base):
            base = base + self._suffix if self.is_free(base + self._suffix) else base
        candidate, counter = base, self._next.get(base, 2)
        while not self.is_free(candidate) or is_unusable(candidate):
            candidate = f"{base}{counter}" if style is Style.PASCAL else f"{base}_{counter}"
            counter += 1
        if candidate != base:
            self._next[base] = counter
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
        and not is_unusable(text)
    )


def package_name(text: str) -> str:
    """A valid import name for a distribution called `text` (`paypal-billing` → `paypal_billing`)."""
    name = styled(text, Style.SNAKE)
    if name[0].isdigit():
        name = "api_" + name
    if is_reserved_python(name):
        name += "_api"
    return name


# `type` and `object` stay field names (Stripe's `customer.object`, OpenAI's `type`, as
# their SDKs have them): no generated annotation or class body spells either (a test reads
# the committed models for it), so a field cannot shadow them
_FIELD_RESERVED = frozenset(PYDANTIC_RESERVED | (TYPE_BUILTINS - {"type", "object"}))


def environment_variable(package: str, argument: str) -> str:
    """The environment variable a package's clients read `argument` from when it is not
    given: `<PACKAGE>_<ARGUMENT>` (`base_url`: `$<PACKAGE>_BASE_URL`). The one place that
    spells it: the clients, their docstrings and the README all name it from here."""
    return f"{package}_{argument}".upper()


def client_class_names(text: str | None, title: str = "", package: str = "") -> tuple[str, str]:
    """The sync and async client class names for a configured name (`stripe` → `Stripe`,
    `AsyncStripe`); when none is given, named after the API (`client_class_name`: `StripeClient`),
    or `Client`/`AsyncClient` without a package name. A name that is taken in the package
    (`errors`, an exception class, what the client modules import), a keyword once styled
    (`None`), or one ending in `Error` gets `Client` appended, and a number after that while
    it or its async twin is still taken."""
    if not text or text == "Client":
        if not package or text:
            return "Client", "AsyncClient"
        name = client_class_name(title, package)
        if _client_name_taken(name):  # the title's spelling (`API`): the package's (`Api`)
            name = client_class_name("", package)
    else:
        name = styled(text, Style.PASCAL)
        if name[0].isdigit():
            name = "N" + name
    if _client_name_taken(name) or name.endswith(("Error", "WithRawResponse")):
        name = name if name.endswith("Client") else name + "Client"
    base, number = name, 1
    while _client_name_taken(name):
        number += 1
        name = f"{base}{number}"
    return name, "Async" + name


_CLIENT_TAKEN = CLIENT_MODULE_NAMES | {"Client", "AsyncClient"} | MODEL_RESERVED


def _client_name_taken(name: str) -> bool:
    return is_unusable(name) or name in _CLIENT_TAKEN or "Async" + name in _CLIENT_TAKEN


def rename_shadowing(
    names: Iterable[str], used: Iterable[str], reserved: Iterable[str]
) -> dict[str, str]:
    """New names for those of `names` (one method's arguments) that are in `used` (the
    names its `cast` target spells): `date` → `date_`, free of `names`, `used` and
    `reserved`. Empty when none is."""
    taken, spelled = list(names), frozenset(used)
    clashing = [name for name in taken if name in spelled]
    if not clashing:
        return {}
    scope = NameScope(frozenset(reserved) | spelled | frozenset(taken))
    return {name: scope.claim(name, Style.SNAKE, prefix="param") for name in clashing}


def claim_pascal_family(scope: NameScope, text: str, variants: Sequence[str]) -> str:
    """A PascalCase class name for `text` such that every variant (`Async{}`,
    `{}WithRawResponse`) is free in `scope` too; all of them are taken."""
    base = styled(text, Style.PASCAL)
    if base[0].isdigit():
        base = "N" + base
    numbered = (f"{base}{n}" for n in itertools.count(2))
    for candidate in itertools.chain((base, base + "Resource"), numbered):
        names = [variant.format(candidate) for variant in variants]
        if all(scope.is_free(n) and not is_unusable(n) for n in names):
            for name in names:
                scope.reserve(name)
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def client_class_name(title: str, package: str) -> str:
    """The client's class name, after the package, spelled as the API's title spells its
    words: `github` with the title `GitHub v3 REST API` → `GitHubClient`; `stripe` →
    `StripeClient`; `paypal_billing` under `PayPal …` → `PayPalBillingClient`."""
    spellings = {
        word.lower(): word
        for word in re.split(r"[^A-Za-z0-9]+", ascii_fold(title))
        if word[:1].isupper()
    }
    words = styled(package, Style.SNAKE).split("_")
    name = "".join(spellings.get(w, w[:1].upper() + w[1:]) for w in words)
    if name[0].isdigit():
        name = "Api" + name
    return name + "Client"
