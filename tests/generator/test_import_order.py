"""Imports and `__all__` come out in the order ruff wants: its natord ordering of digit runs,
leading zeros included (`iso_format034` before `iso_format1`, where a plain numeric key put
34 after 1: `I001` and `RUF022` on AWS's payment-cryptography-data spec)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.imports import all_sorted, member_key, natural, render_imports
from tests.conftest import BuildPackage, assert_package_passes_checkers, minimal_spec

_DIGITS = "0123456789"


def _natord(left: str, right: str) -> int:
    """natord's `compare` (a port of strnatcmp.c), written out as the oracle: -1, 0 or 1."""
    i = j = 0
    while True:
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if a is None or b is None:
            return (a is not None) - (b is not None)
        if a in _DIGITS and b in _DIGITS:
            zero = a == "0" or b == "0"
            bias = 0
            while True:
                da = left[i] if i < len(left) and left[i] in _DIGITS else None
                db = right[j] if j < len(right) and right[j] in _DIGITS else None
                if da is None or db is None:
                    if da is not None or db is not None:
                        return 1 if da is not None else -1
                    break
                if da != db and (zero or not bias):
                    if zero:
                        return 1 if da > db else -1
                    bias = 1 if da > db else -1
                i, j = i + 1, j + 1
            if bias:
                return bias
            continue
        if a != b:
            return 1 if a > b else -1
        i, j = i + 1, j + 1


_TEXT = st.text(alphabet="ab_.0123", max_size=8)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_TEXT, _TEXT)
def test_natural_key_orders_as_natord(left: str, right: str) -> None:
    expected = _natord(left, right)
    key_left, key_right = natural(left), natural(right)
    assert (key_left > key_right) - (key_left < key_right) == expected


def test_natord_oracle_agrees_with_its_own_examples() -> None:
    ordered = ["1.001", "1.002", "1.010", "1.02", "1.1", "1.3", "a", "a0", "a1", "a1a", "a2"]
    ordered += ["a10", "a20", "pic2", "pic2a", "pic100", "x2-g8", "x2-y7", "x8-y8"]
    for index, text in enumerate(ordered):
        for other in ordered[index + 1 :]:
            assert _natord(text, other) == -1 and _natord(other, text) == 1
    assert sorted(ordered, key=natural) == ordered


_NAMES = ["IsoFormat1", "IsoFormat034", "IsoFormat10", "IsoFormat2", "IsoFormat01", "Iso_1"]
_NAMES += ["IsoFormat0", "IsoFormat00", "IsoFormat", "Iso9", "Iso.1", "V2Beta", "V10Alpha"]


def test_ruff_accepts_the_order(tmp_path: Path) -> None:
    """ruff's own isort and RUF022 rules find nothing in imports and `__all__` we sorted."""
    modules = {f".{name.lower().replace('.', '_')}": [name] for name in _NAMES if "." not in name}
    modules[".iso.sub1"] = ["IsoSub1"]
    modules[".iso1"] = ["Iso1"]
    members = {
        module: {(name, name): None for name in sorted(names, key=member_key)}
        for module, names in modules.items()
    }
    members[".many"] = {(name, name): None for name in sorted(_NAMES[:7], key=member_key)}
    names = sorted({n for imported in modules.values() for n in imported})
    source = render_imports(members) + "\n\n__all__ = [\n"
    source += "".join(f'    "{name}",\n' for name in all_sorted(names)) + "]\n"
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text(source)
    ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select"]
    result = subprocess.run(
        [*ruff, "I,RUF022", "--line-length", "100", str(package / "module.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr + source


def test_models_with_leading_zero_numbers_pass_ruff(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """Component schemas `IsoFormat1` and `IsoFormat034` (modules `iso_format1` and
    `iso_format034`), both imported by one model: the package passes ruff and mypy."""
    formats = {
        name: {"type": "object", "properties": {"pin": {"type": "string"}}}
        for name in ("IsoFormat1", "IsoFormat034", "IsoFormat2", "IsoFormat10")
    }
    holder = {
        "type": "object",
        "properties": {name.lower(): {"$ref": f"#/components/schemas/{name}"} for name in formats},
    }
    package = build_package(minimal_spec({**formats, "Holder": holder}))
    assert_package_passes_checkers(package, tmp_path / "mypy")
