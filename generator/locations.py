"""Where things are, as plain strings: the generator's own files, its cache folder and the
user's configuration. Only `os` is imported, so that the quick check (`quick`), which runs
before the rest of the generator is imported, can use them; `paths` gives the same places
as `Path`s to the rest of the generator.

`templates/` sits at the top of a source checkout, beside `generator/`; the wheel maps it
into the package as `generator/templates/` (hatchling `force-include`, see pyproject.toml).
The installed location is looked for first: it exists only in an installed wheel, so a
checkout never mistakes another project's `templates/` folder for its own.
"""

from __future__ import annotations

import os

from .limits import MAX_CONFIG_BYTES, InputTooLarge, NotRegularFile, read_regular_file

GENERATOR_FOLDER = os.path.dirname(os.path.realpath(__file__))


def _templates_folder() -> str:
    installed = os.path.join(GENERATOR_FOLDER, "templates")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(GENERATOR_FOLDER), "templates")


TEMPLATES_FOLDER = _templates_folder()


def cache_folder() -> str:
    """The generator's cache folder (black's output, the module cache's packs, the compiled
    templates, the configurations that passed the schema): `BILLING_SDKGEN_CACHE`, else
    `billing-sdkgen` in the XDG cache folder."""
    return os.environ.get("BILLING_SDKGEN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "billing-sdkgen"
    )


def nearest_config(start: str) -> str | None:
    """The nearest pyproject.toml at or above the folder `start` that has a
    `[tool.billing-sdkgen]` table (as text: a file naming `billing-sdkgen`), else None;
    None too when the nearest pyproject.toml cannot be read."""
    folder = os.path.realpath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                text = read_regular_file(candidate, MAX_CONFIG_BYTES).decode("utf-8")
            except (OSError, UnicodeDecodeError, NotRegularFile, InputTooLarge):
                return None
            return candidate if "billing-sdkgen" in text else None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
