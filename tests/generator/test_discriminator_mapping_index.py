"""A discriminator mapping's values are found by what each target names, in one pass
(comparing every option with every entry was quadratic: 5,000 mapped options took 30 s):
the same values, in the mapping's order, as comparing each pair."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import split_pointer
from generator.schema_types import _MappingIndex


def _same_ref(target: Any, ref: str) -> bool:
    """The pairwise comparison `_MappingIndex` replaced, as it was."""
    if not isinstance(target, str):
        return False
    if target == ref:
        return True
    try:
        tokens = split_pointer(ref) if ref.startswith("#") else None
        if target.startswith("#"):
            return tokens is not None and split_pointer(target) == tokens
    except ValueError:
        return False
    return ref.endswith("/" + target) or (tokens is not None and tokens[-1:] == [target])


_PARTS = st.sampled_from(
    ["#", "/", "components", "schemas", "Cat", "C%61t", "a~1b", "~", "%", "x/"]
)
_TEXT = st.lists(_PARTS, max_size=6).map("".join)


@given(
    st.dictionaries(st.text(max_size=3), st.one_of(_TEXT, st.integers(), st.none()), max_size=8),
    _TEXT,
)
@settings(max_examples=1000, deadline=None)
def test_the_index_finds_what_comparing_each_pair_found(mapping: dict[str, Any], ref: str) -> None:
    expected = [str(v) for v, target in mapping.items() if _same_ref(target, ref)]
    assert _MappingIndex(mapping).values(ref) == expected


def test_pointers_names_and_paths_name_the_option() -> None:
    mapping = {"cat": "#/components/schemas/C%61t", "dog": "Dog", "x": "schemas/Cat", "c": "Cat"}
    index = _MappingIndex(mapping)
    assert index.values("#/components/schemas/Cat") == ["cat", "x", "c"]
    assert index.values("#/components/schemas/Dog") == ["dog"]
    assert index.values("Cat") == ["c"]
