"""The README's variables (`readme_calls.CallWriter.bind`): one name, one type."""

from __future__ import annotations

from generator import typeir as t
from generator.examples import Examples
from generator.readme_calls import CallWriter


def test_a_name_holds_one_type_and_an_empty_candidate_is_never_a_name() -> None:
    """A second type takes the next candidate, else a numbered name; `item_variable`
    offers an empty candidate for items that are no model, which was taken as a variable
    named `""` (`for  in client...`) once `item` held another type."""
    calls = CallWriter(Examples([]))
    assert calls.bind(t.STR, "item", "", "list_a_item") == "item"
    assert calls.bind(t.STR, "item", "", "list_a_item") == "item"
    assert calls.bind(t.INT, "item", "", "list_b_item") == "list_b_item"
    assert calls.bind(t.BOOL, "item", "") == "item_2"
    assert "" not in calls.bound
