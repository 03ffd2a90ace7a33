"""Check that black would change nothing in a generated package (in parallel): its Python
files and the ```python blocks of its Markdown files (the README).

The generator writes black's style itself and runs black only on files that
need it (`generator/format.py`). This script is the independent check on large
outputs: it runs the pinned black over every `.py` file under a folder and
reports how many it would change, with the first diffs.

    .venv/bin/python -m generator generate .cache/bench/github.json --output /tmp/gh
    .venv/bin/python bench/check_format.py /tmp/gh
"""

from __future__ import annotations

import difflib
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _check(path: str) -> str | None:
    """A short diff when black would change the file (a Markdown file: one of its
    ```python blocks), else None."""
    from generator.format import format_source

    text = Path(path).read_text(encoding="utf-8")
    sources = _PYTHON_BLOCK.findall(text) if path.endswith(".md") else [text]
    for source in sources:
        formatted = format_source(source)
        if formatted != source:
            diff = difflib.unified_diff(
                source.splitlines(True), formatted.splitlines(True), path, "black", n=1
            )
            return "".join(list(diff)[:20])
    return None


def main(argv: list[str]) -> int:
    """Print `files N, changed by black M` for the folder; exit 1 when M > 0."""
    if len(argv) != 1:
        print("usage: check_format.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    files = sorted(str(p) for p in [*folder.rglob("*.py"), *folder.rglob("*.md")])
    with ProcessPoolExecutor() as pool:
        diffs = [d for d in pool.map(_check, files, chunksize=50) if d is not None]
    print(f"{argv[0]}: files {len(files)}, changed by black {len(diffs)}")
    for diff in diffs[:5]:
        print(diff)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
