from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings

from fieldapp.errors import DomainError
from fieldapp.languages import FALLBACKS, Language, fallback_chain
from services.messaging.forms import PLACE_MAX_LENGTH
from services.messaging.segments import segment_count
from services.messaging.sms_templates import (
    PARAM_MAX,
    SMS_PLACE_MAX,
    TEMPLATES,
    Kind,
    sms_date,
    template_render,
)

LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
# Realistic worst cases: a long place name, full date and time, and the longer of the
# one-time links (a password reset's: an invitation's is shorter).
SAMPLE = {
    "date": "28/11",
    "time": "15:00",
    "place": "Rue des Verrotières",
    "link": "https://fieldapp.example.org/r/MTIzNDU2/dj2lop-0544bb10de78c7c80ce98fb898c36460/",
    "days": "7",
    "hours": "2",
    # A shift's cancellation reason (at most 60 characters) and a volunteer's user name.
    "reason": "Police eviction: the site is closed all day",
    "name": "amina.k",
    "text": "Storm tonight: the distribution moves to the hall, Rue de Moscou.",
    # Low stock: how many items, at which sites.
    "count": "12",
    "places": "Rue des Verrotières, Grande-Synthe",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_every_template_is_translated_and_fits_its_budget(kind, language):
    rendered = template_render(kind, language, SAMPLE)
    assert rendered.language == language, f"{kind} has no {language} translation"
    assert segment_count(rendered.text).segments <= TEMPLATES[kind].budget
    for value in (SAMPLE[param] for param in TEMPLATES[kind].params):
        assert value in rendered.text


def test_stop_is_named_in_every_message_to_service_users():
    for kind in TEMPLATES:
        # To volunteers (a shift's messages, a link they asked for), or the STOP confirmation.
        if (
            kind
            in {
                Kind.SHIFT_REMINDER,
                Kind.SHIFT_CHANGED,
                Kind.SHIFT_CANCELLED,
                Kind.SHIFT_SHORT,
                Kind.STOCK_LOW,
                Kind.PASSWORD_RESET,
                Kind.OPT_OUT_CONFIRMATION,
            }
            or TEMPLATES[kind].free_text
        ):  # or written by a coordinator, in full
            continue
        for language in LANGUAGES:
            text = template_render(kind, language, SAMPLE).text
            assert "STOP" in text or "START" in text, (kind, language)


def test_fallback_chains_end_in_english():
    assert fallback_chain("ckb") == ["ckb", "ar", "en"]
    assert fallback_chain("ps") == ["ps", "fa", "en"]
    assert fallback_chain("en") == ["en"]
    assert fallback_chain("ti") == ["ti", "am", "en"]
    for language in Language.values:
        assert fallback_chain(language)[0] == language
        assert fallback_chain(language)[-1] == "en"


def test_every_language_has_a_chain_with_its_reason():
    assert set(FALLBACKS) == set(Language.values)
    for fallback in FALLBACKS.values():
        assert str(fallback.reason).strip()
        assert all(step in Language.values for step in fallback.chain)


def test_a_regional_variant_follows_its_language_chain():
    assert fallback_chain("ti-er") == ["ti", "am", "en"]


def test_a_missing_translation_falls_back_along_the_chain(monkeypatch):
    from services.messaging import sms_templates

    real = sms_templates._translated

    def no_sorani(template, language):
        return None if language == "ckb" else real(template, language)

    monkeypatch.setattr(sms_templates, "_translated", no_sorani)
    rendered = template_render(Kind.DISTRIBUTION_ANNOUNCEMENT, "ckb", SAMPLE)
    assert rendered.language == "ar"
    assert rendered.text == template_render(Kind.DISTRIBUTION_ANNOUNCEMENT, "ar", SAMPLE).text


def test_missing_values_are_refused():
    with pytest.raises(DomainError) as refused:
        template_render(Kind.APPOINTMENT_REMINDER, "en", {"date": "28/11"})
    assert refused.value.code == "missing_context"


def test_unknown_kinds_are_refused():
    with pytest.raises(DomainError):
        template_render("birthday", "en", {})


def _longest_date(language):
    days = (date(2026, 1, 1) + timedelta(days=n) for n in range(366))
    return max((sms_date(day.isoformat(), language) for day in days), key=len)


# The worst case: every value at its longest, in a script that makes the text UCS-2.
LONGEST = {param: "م" * limit for param, limit in PARAM_MAX.items()}
LONGEST |= {"time": "23:59", "days": "14", "hours": "24", "link": SAMPLE["link"]}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_every_template_fits_its_budget_at_the_longest_values(kind, language):
    context = {**LONGEST, "date": _longest_date(language)}
    rendered = template_render(kind, language, context)
    count = segment_count(rendered.text)
    assert count.segments <= TEMPLATES[kind].budget, (kind, language, count, rendered.text)


def test_the_french_legal_reminder_fits_with_a_40_character_place():
    place = "Maison des réfugiés, rue de Moscou, Calais"[:SMS_PLACE_MAX]
    context = {"date": "2026-09-10", "time": "15:00", "place": place}
    rendered = template_render(Kind.APPOINTMENT_REMINDER, "fr", context)
    assert place in rendered.text
    assert segment_count(rendered.text).segments <= TEMPLATES[Kind.APPOINTMENT_REMINDER].budget


def test_a_value_longer_than_its_maximum_is_cut_not_overflowing():
    place = "Parking of the former hospital, behind the railway station of Calais"
    context = {"date": "2026-09-10", "time": "15:00", "place": place}
    text = template_render(Kind.DISTRIBUTION_ANNOUNCEMENT, "en", context).text
    assert place not in text and place[: SMS_PLACE_MAX - 3] + "..." in text


def test_the_place_field_of_the_announcement_allows_no_more_than_fits():
    assert PLACE_MAX_LENGTH == SMS_PLACE_MAX
