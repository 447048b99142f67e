import pytest

from services.people.phones import phone_parse


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "33612345678",
        "06.12.34.56.78",
    ],
)
def test_a_french_mobile_typed_any_way_is_the_same_number(typed):
    assert str(phone_parse(typed)) == "+33612345678"


@pytest.mark.parametrize("typed", ["+44 7911 123456", "0044 7911 123456", "447911123456"])
def test_uk_numbers_with_their_country_code_are_accepted(typed):
    assert str(phone_parse(typed)) == "+447911123456"


@pytest.mark.parametrize("typed", ["12", "", "hello", "06 12", "+33 1", "99999999999999999999"])
def test_impossible_numbers_are_refused(typed):
    assert phone_parse(typed) is None
