import pytest
from django.conf import settings as django_settings

from fieldapp.errors import DomainError
from services.messaging.segments import segment_count
from services.messaging.sms_templates import (
    TEMPLATES,
    Kind,
    fallback_chain,
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
    # Low stock: how many items, at which sites.
    "count": "12",
    "places": "Rue des Verrotières, Grande-Synthe",
}


# New templates go into the catalogues with the next round of translation:
# until then they render in English, and must still fit. Empty this set when translated.
AWAITING_TRANSLATION = {Kind.STOCK_LOW}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_every_template_is_translated_and_fits_two_segments(kind, language):
    rendered = template_render(kind, language, SAMPLE)
    expected = "en" if kind in AWAITING_TRANSLATION else language
    assert rendered.language == expected, f"{kind} has no {language} translation"
    assert segment_count(rendered.text).segments <= 2, (kind, language, rendered.text)
    for value in (SAMPLE[param] for param in TEMPLATES[kind].params):
        assert value in rendered.text


def test_stop_is_named_in_every_message_to_service_users():
    for kind in TEMPLATES:
        # To volunteers (a shift's messages, a link they asked for), or the STOP confirmation.
        if kind in {
            Kind.SHIFT_REMINDER,
            Kind.SHIFT_CHANGED,
            Kind.SHIFT_CANCELLED,
            Kind.SHIFT_SHORT,
            Kind.STOCK_LOW,
            Kind.PASSWORD_RESET,
            Kind.OPT_OUT_CONFIRMATION,
        }:
            continue
        for language in LANGUAGES:
            text = template_render(kind, language, SAMPLE).text
            assert "STOP" in text or "START" in text, (kind, language)


def test_fallback_chains_end_in_english():
    assert fallback_chain("ckb") == ["ckb", "ar", "en"]
    assert fallback_chain("ps") == ["ps", "fa", "en"]
    assert fallback_chain("en") == ["en"]


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
