"""Small counts hidden, and totals that never give them away: one rule for every figure shown."""

import pytest

from fieldapp.suppression import HIDDEN, WITHHELD, rate_shown, row_shown, shown, total_shown


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0"), (1, HIDDEN), (4, HIDDEN), (5, "5"), (1234, "1234")]
)
def test_counts_from_one_to_four_show_as_under_five(count, text):
    assert str(shown(count)) == text
    assert shown(count).hidden is (text == HIDDEN)


def test_a_total_is_the_sum_of_the_true_counts_not_of_what_is_shown():
    assert str(total_shown([5, 6, 0])) == "11"
    assert str(total_shown([2, 3, 20])) == "25"  # two hidden that sum to 5: 1+4, 2+3, ...


def test_a_total_that_would_reveal_one_hidden_cell_is_withheld():
    assert str(total_shown([3, 100])) == WITHHELD


@pytest.mark.parametrize("hidden", [[1, 1], [4, 4], [1, 1, 1], [4, 4, 4]])
def test_a_total_that_allows_one_split_of_the_hidden_cells_is_withheld(hidden):
    assert str(total_shown([*hidden, 50])) == WITHHELD


def test_a_small_total_is_itself_hidden():
    assert str(total_shown([2, 0])) == WITHHELD  # one hidden cell: it is the total
    assert str(total_shown([0, 0])) == "0"


def test_a_row_shows_its_cells_and_its_total():
    cells, total = row_shown({"new": 2, "returning": 3, "other": 40})
    assert [str(c) for c in cells.values()] == [HIDDEN, HIDDEN, "40"]
    assert str(total) == "45"


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(10, 40, "25%"), (2, 50, WITHHELD), (48, 50, WITHHELD), (0, 0, WITHHELD), (0, 20, "0%")],
)
def test_a_rate_is_withheld_when_it_would_tell_a_small_count(part, whole, text):
    assert rate_shown(part, whole) == text


def test_in_a_page_a_hidden_count_keeps_its_order_in_right_to_left_text():
    from django.utils.html import conditional_escape

    assert conditional_escape(shown(3)) == '<span dir="ltr">&lt;5</span>'
    assert conditional_escape(shown(12)) == "12"


def test_a_row_total_is_the_sum_of_its_true_counts_even_when_two_cells_are_hidden():
    cells, total = row_shown({"a": 3, "b": 2, "c": 40})
    assert [str(c) for c in cells.values()] == [HIDDEN, HIDDEN, "40"]
    assert str(total) == "45"


def test_one_hidden_cell_beside_its_total_withholds_the_total_not_another_cell():
    cells, total = row_shown({"tents": 3, "bags": 20, "shoes": 9})
    # 32 - 20 - 9 would give the tents away: the total goes, the other counts stay.
    assert {key: str(c) for key, c in cells.items()} == {
        "tents": HIDDEN,
        "bags": "20",
        "shoes": "9",
    }
    assert str(total) == WITHHELD


def test_a_row_of_one_small_cell_withholds_its_total():
    cells, total = row_shown({"a": 3})
    assert [str(c) for c in cells.values()] == [HIDDEN]
    assert str(total) == WITHHELD


def test_nothing_hidden_leaves_every_cell_and_the_total():
    cells, total = row_shown({"a": 5, "b": 6})
    assert ([str(c) for c in cells.values()], str(total)) == (["5", "6"], "11")
