import pytest

from services.messaging.segments import GSM7, UCS2, segment_count


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", GSM7, 0),
        ("a" * 160, GSM7, 1),
        ("a" * 161, GSM7, 2),
        ("a" * 306, GSM7, 2),
        ("a" * 307, GSM7, 3),
        ("é à ù ñ Ü £ € ok", GSM7, 1),
        ("ا" * 70, UCS2, 1),
        ("ا" * 71, UCS2, 2),
        ("ሰ" * 134, UCS2, 2),
        ("ሰ" * 135, UCS2, 3),
    ],
)
def test_segment_limits(text, encoding, segments):
    count = segment_count(text)
    assert (count.encoding, count.segments) == (encoding, segments)


def test_extension_characters_take_two_septets():
    assert segment_count("€" * 80).units == 160
    assert segment_count("€" * 80).segments == 1
    assert segment_count("€" * 81).segments == 2


def test_an_escape_pair_is_never_split_across_segments():
    # 152 plain septets then a two-septet character: it cannot start at septet 153.
    text = "a" * 152 + "{" + "a" * 10
    assert segment_count(text).units == 164
    assert segment_count(text).segments == 2
    text = "a" * 152 + "{" + "a" * 153
    assert segment_count(text).segments == 3


def test_one_non_gsm_character_turns_the_whole_text_into_ucs2():
    assert segment_count("Distribution 15:00 ç").encoding == UCS2
    assert segment_count("a" * 69 + "ş").segments == 1
    assert segment_count("a" * 70 + "ş").segments == 2


def test_a_surrogate_pair_is_never_split():
    text = "a" * 66 + "😀" + "a" * 10
    count = segment_count(text)
    assert count.units == 78 and count.segments == 2
    assert segment_count("😀" * 35).segments == 1
    assert segment_count("😀" * 36).segments == 2
    assert segment_count("😀" * 67).segments == 3  # 33 pairs per 67-unit segment, not 33.5


def test_cost_follows_the_segment_price(settings):
    settings.SMS_PRICE_PER_SEGMENT = "0.05"
    assert str(segment_count("ا" * 71).cost) == "0.10"


def test_typographic_punctuation_does_not_force_ucs2():
    from services.messaging.segments import gsm_friendly

    text = gsm_friendly("Calais – Hospital site, l’entrée « nord »… 15 h")
    assert text == 'Calais - Hospital site, l\'entrée " nord "... 15 h'
    assert segment_count(text).encoding == GSM7
