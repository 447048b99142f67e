"""Small counts are hidden, and no hidden count can be worked back from a total."""

from fieldapp.suppression import SUPPRESSED, suppressed, suppressed_breakdown


def test_counts_under_five_are_shown_as_under_five():
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", "5", "12"]


def test_a_total_is_the_data_total_not_the_sum_of_what_is_shown():
    shown, total = suppressed_breakdown({"a": 3, "b": 2, "c": 40}, 45)
    assert total == "45"
    assert shown["a"] == shown["b"] == SUPPRESSED
    assert shown["c"] == "40"


def test_one_hidden_cell_beside_a_total_hides_the_next_smallest_too():
    shown, total = suppressed_breakdown({"tents": 3, "bags": 20, "shoes": 9}, 32)
    # 32 - 20 - 9 would give the tents away: the shoes are hidden with them.
    assert shown == {"tents": SUPPRESSED, "bags": "20", "shoes": SUPPRESSED}
    assert total == "32"


def test_a_small_total_hides_itself_and_needs_no_second_cell():
    shown, total = suppressed_breakdown({"a": 3}, 3)
    assert shown == {"a": SUPPRESSED}
    assert total == SUPPRESSED


def test_nothing_hidden_leaves_every_cell():
    assert suppressed_breakdown({"a": 5, "b": 6}, 11) == ({"a": "5", "b": "6"}, "11")
