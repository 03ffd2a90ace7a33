"""A generated package's import name and version: valid, importable, and shadowing nothing.

The import name becomes a top-level module on the user's `sys.path` and a bare
TOML key in the package's `pyproject.toml`; the version goes to pip. Both can
come from untrusted input (`--package-name`, the spec's file name, `info.title`,
`info.version`), so:

- `package_name_problem(name)`: why `name` cannot be a package's import name:
  not an ASCII identifier, a keyword (`class`, `None`), a leading underscore, or
  a name that would shadow a standard-library module (`json`, `typing`,
  `datetime`) or a module the generated code runs on (`pydantic`, `httpx`,
  `typing_extensions`, `annotated_types`, `anyio`…);
- `suggest_package_name(text)`: a safe name close to `text` (`json` → `json_api`);
- `default_package_name(stem, title)`: the name when none is given, from the
  spec's file name unless that is generic (`openapi.yaml`) or unsafe
  (`datetime.yaml`), then from `info.title`;
- `pep440_version(text)`: `info.version` normalised by `packaging` (`v1.0` →
  `1.0`, `1.0.0-beta` → `1.0.0b0`), or `0.0.0` with the reason.
"""

from __future__ import annotations

import keyword
import re
import sys

from .naming import package_name as styled_package_name
from .naming_reserved import SOFT_KEYWORDS, WINDOWS_DEVICE_NAMES
from .stamp import is_tool_folder

# modules the generated packages import at run time (pydantic and httpx with their
# dependencies and optional extras): a package of that name would replace them
RUNTIME_MODULES = frozenset(
    {
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_extensions",
        "typing_inspection",
        "email_validator",
        "dns",
        "httpx",
        "httpcore",
        "h11",
        "h2",
        "hpack",
        "hyperframe",
        "anyio",
        "sniffio",
        "idna",
        "certifi",
        "exceptiongroup",
        "socksio",
        "brotli",
        "brotlicffi",
        "zstandard",
    }
)
# standard-library modules of the Python versions a generated package supports that the
# running interpreter may not list (added or removed in 3.10-3.14)
_OTHER_STDLIB = frozenset(
    {
        "aifc",
        "annotationlib",
        "asynchat",
        "asyncore",
        "audioop",
        "binhex",
        "cgi",
        "cgitb",
        "chunk",
        "compression",
        "crypt",
        "distutils",
        "imghdr",
        "imp",
        "lib2to3",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "smtpd",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "tomllib",
        "uu",
        "xdrlib",
        "_interpreters",
    }
)
STDLIB_MODULES = frozenset(name.lower() for name in sys.stdlib_module_names) | _OTHER_STDLIB
# modules an environment runs by themselves or needs to install anything (hostile audit 14:
# a package `pip` uninstalled pip when installed; `sitecustomize` and `usercustomize` are
# imported by `site` at every interpreter start; `test` is the standard library's test
# package, which `sys.stdlib_module_names` leaves out, and hid the generated one)
TOOLING_MODULES = frozenset(
    {"pip", "setuptools", "pkg_resources", "wheel", "packaging", "hatchling", "build"}
    | {"sitecustomize", "usercustomize", "test", "tests"}
)
# the generator's own import package, and the one its distribution's name would give
OWN_MODULES = frozenset({"generator", "billing_sdkgen"})
# distributions (PEP 503 normalised) that installing a package of that name would replace
PROTECTED_DISTRIBUTIONS = frozenset(
    name.replace("_", "-") for name in RUNTIME_MODULES | TOOLING_MODULES - {"test", "tests"}
) | {"billing-sdkgen", "pydantic-core", "typing-extensions", "annotated-types"}
# file names that name the format, not the API (`openai.json` is the ChatGPT plugins'
# convention: Klarna's and Slack's plugin specs made a package `openai` that replaced
# OpenAI's own SDK when installed)
GENERIC_STEMS = frozenset(
    {"openapi", "openapi3", "swagger", "api", "apis", "spec", "specs", "schema", "index", "openai"}
    # nouns a project names its own modules (a Django app `payments`) and PyPI has taken:
    # GOV.UK Pay's `payments.json` made the package `payments` (UX audit 8)
    | {"payments", "payment", "billing", "accounts", "account", "users", "user", "orders"}
    | {"core", "admin", "main", "app", "client", "server", "service", "services", "config"}
    | {"settings", "events", "search"}
    # a release channel or version names which spec of the API it is, not the API: Twitter's
    # `current.json` made the package `current`, `$CURRENT_BEARER_TOKEN` (UX audit 15)
    | {"current", "latest", "stable", "legacy", "beta", "alpha", "preview", "public", "default"}
)
# `v2`, `1.0`, `v3_1`, `2024-01-01`, `openapi-v3`, `swagger2`: a version, with or without a generic word
_VERSION_STEM = re.compile(r"(?:openapi|swagger|api|spec)?[-_. ]?v?\d+(?:[-_.]\d+)*")
MAX_PACKAGE_NAME = 64
MAX_VERSION = 64
FALLBACK_VERSION = "0.0.0"


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's import name; None when it can."""
    if not (name.isascii() and name.isidentifier()):
        return "is not a valid Python import name (ASCII letters, digits and '_', no leading digit)"
    if name.startswith("_"):
        return "starts with '_' (a private name)"
    if keyword.iskeyword(name) or name in SOFT_KEYWORDS:  # (3.10's: not the interpreter's)
        return "is a Python keyword"
    if len(name) > MAX_PACKAGE_NAME:
        return f"is longer than {MAX_PACKAGE_NAME} characters"
    lowered = name.lower()
    if lowered in WINDOWS_DEVICE_NAMES:
        return "is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9): no folder there can have it"
    if lowered in STDLIB_MODULES:
        return f"would shadow the standard-library module {lowered!r}"
    if lowered in RUNTIME_MODULES:
        return f"would shadow {lowered!r}, which the generated code imports"
    if lowered in TOOLING_MODULES:
        return f"would shadow {lowered!r}, which Python or its installers load by themselves"
    if lowered in OWN_MODULES:  # (installed beside it, the SDK replaced it: hostile audit 15)
        return f"would shadow {lowered!r}, billing-sdkgen's own package"
    if is_tool_folder(lowered):  # (its files went unchecked and unkept: gencli audit)
        return f"is the folder build tools write ({lowered!r}), which generation leaves alone"
    return None


def distribution_name_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's distribution name (`pip install NAME`);
    None when it can."""
    normalised = re.sub(r"[-_.]+", "-", name).lower()
    if normalised in PROTECTED_DISTRIBUTIONS:
        return f"would replace the installed distribution {normalised!r} when installed"
    return None


def suggest_package_name(text: str) -> str:
    """A safe import name close to `text` (`json` → `json_api`, `café` → `cafe`)."""
    name = styled_package_name(text)[:MAX_PACKAGE_NAME].rstrip("_") or "api"
    for candidate in (name, f"{name}_api", f"{name}_client", f"{name}_sdk"):
        if package_name_problem(candidate) is None:
            return candidate
    return "generated_api"


def _is_generic(stem: str) -> bool:
    lowered = stem.lower()
    return (
        re.sub(r"[^a-z0-9]", "", lowered) in GENERIC_STEMS
        or _VERSION_STEM.fullmatch(lowered) is not None
    )


def default_package_name(stem: str, title: str | None) -> tuple[str, str | None]:
    """The import name when none is given, and a note when the file name was not used.

    From the file name (`paypal-billing.yaml` → `paypal_billing`) unless it is generic
    (`openapi`, `swagger`, `api`, `spec`…) or unsafe (`json.json`, `datetime.yaml`);
    then from `info.title`. `title` may be None when the file name will do: the
    caller then need not load the spec (`needs_title`).
    """
    from_stem = styled_package_name(stem)
    if not needs_title(stem):
        return from_stem, None
    name = suggest_package_name(title if title and title.strip() else stem)
    if _is_generic(stem):
        return name, None
    problem = package_name_problem(from_stem)
    return name, f"the file name would give the package name {from_stem!r}, which {problem}"


def needs_title(stem: str) -> bool:
    """True when the default package name cannot come from the file name `stem` alone."""
    return _is_generic(stem) or package_name_problem(styled_package_name(stem)) is not None


def pep440_version(text: str) -> tuple[str, str | None]:
    """`text` as a normalised PEP 440 version, or else the version it opens with, a word
    or a parenthesis after it (Nordigen's `2.0 (v2)` → `2.0`, which was `0.0.0` with no
    remedy: payments audit 21), or `0.0.0`, and why `text` is not one. (A date is no such
    version: `2024-01-01` is `0.0.0`, the series then following the API diff.)"""
    from packaging.version import InvalidVersion, Version

    if len(text) > MAX_VERSION or not text.isascii():
        return FALLBACK_VERSION, "is not a PEP 440 version"
    try:
        return str(Version(text)), None
    except (InvalidVersion, ValueError):
        pass
    leading = _LEADING.match(text)
    found = str(Version(leading.group(1))) if leading else FALLBACK_VERSION
    return found, "is not a PEP 440 version"


_LEADING = re.compile(r"\s*[vV]?(\d{1,9}(?:\.\d{1,9}){0,3})(?=\s|\(|$)")
