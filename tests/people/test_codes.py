import re

from services.people.codes import CODE_ALPHABET, code_generate, code_normalise, code_prefix


def test_generated_codes_use_only_unambiguous_characters():
    codes = {code_generate() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}", code)
    assert not set("01IO") & set(CODE_ALPHABET)


def test_typed_codes_are_normalised_to_the_printed_form():
    assert code_normalise("k7m 4qx") == "K7M-4QX"
    assert code_normalise("K7M4QX") == "K7M-4QX"
    assert code_normalise(" k7m-4qx ") == "K7M-4QX"


def test_strings_that_cannot_be_codes_are_not_codes():
    assert code_normalise("K7M-4Q") is None
    assert code_normalise("K7M-4QO") is None
    assert code_normalise("K1M-4QX") is None
    assert code_normalise("") is None
    assert code_normalise("محمد") is None


def test_a_partial_code_is_a_prefix():
    assert code_prefix("k7m") == "K7M"
    assert code_prefix("K7M-4") == "K7M-4"
    assert code_prefix("K7") is None
    assert code_prefix("Ali") is None
