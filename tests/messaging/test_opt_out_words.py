"""
The STOP recogniser: one test per word of the tables (opt_out_words.py), the spellings
people really type, the false positives, and what a doubt and START do.
"""

import pytest

from services.audit.models import AuditEntry
from services.messaging.keywords import fold, keyword_of
from services.messaging.models import InboundMessage, Message
from services.messaging.opt_out_words import (
    POLITE_WORDS,
    START_WORDS,
    STOP_WORDS,
    UNSURE_STOP_WORDS,
)
from services.messaging.sms_templates import Kind

from .helpers import opted_in
from .test_replies import INBOUND, post_signed

STOPS = [(language, word) for language, words in STOP_WORDS.items() for word in words]
STARTS = [(language, word) for language, words in START_WORDS.items() for word in words]
UNSURE = [(language, word) for language, words in UNSURE_STOP_WORDS.items() for word in words]


@pytest.mark.parametrize(("language", "word"), STOPS, ids=[f"{lang}-{w}" for lang, w in STOPS])
def test_each_stop_word_stops(language, word):
    assert keyword_of(word) == "stop"


@pytest.mark.parametrize(("language", "word"), STARTS, ids=[f"{lang}-{w}" for lang, w in STARTS])
def test_each_start_word_starts(language, word):
    assert keyword_of(word) == "start"


@pytest.mark.parametrize(("language", "word"), UNSURE, ids=[f"{lang}-{w}" for lang, w in UNSURE])
def test_each_unsure_word_alone_asks(language, word):
    assert keyword_of(word) == "ask"


@pytest.mark.parametrize("word", POLITE_WORDS)
def test_each_polite_word_after_stop_still_stops(word):
    assert keyword_of(f"STOP {word}") == "stop"


@pytest.mark.parametrize(
    "body",
    [
        "ستوب",  # Arabic-script "stop"
        "Arrêtez",
        "ARRETEZ",
        "ኣቋርጹ",  # Tigrinya, plural
        "አቁሙ",  # Amharic, plural
        "وهستان",  # Sorani typed with ه for ە
        "وەستان",
    ],
)
def test_the_words_once_missed_now_stop(body):
    assert keyword_of(body) == "stop"


@pytest.mark.parametrize(
    "body",
    [
        "بس شكرا",  # "just thanks"
        "بس شکرا",
        "thanks, see you at the distribution",
        "stopped by the police yesterday at the bridge",
        "where does the bus stop for the clinic tomorrow please",
        "end of the week is fine",
    ],
)
def test_false_positives_do_not_opt_out(body):
    assert keyword_of(body) is None


@pytest.mark.parametrize("body", ["please stop sending", "no more messages stop", "بس"])
def test_a_doubt_asks(body):
    assert keyword_of(body) == "ask"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("توقفي", "توقفی"),  # Arabic ya / Persian ye
        ("الغاء", "الغاء"),
        ("كافي", "کافی"),  # Arabic kaf / Persian kaf
        ("اقامة", "اقامه"),  # ta marbuta / heh
        ("تَوَقَّف", "توقف"),  # harakat
        ("إيقاف", "ایقاف"),  # hamza on alif
        ("ኣቁም።", "አቁም"),  # Ethiopic full stop, Tigrinya glottal a
        ("አቁም፡፡", "አቁም"),  # Ethiopic wordspace
        ("ArrÊt!", "arret"),  # case and accents
    ],
)
def test_spellings_fold_to_one(typed, canonical):
    assert fold(typed) == fold(canonical)


def test_sorani_letters_fold_to_their_arabic_look_alikes():
    assert fold("ڕاگرتن") == fold("راگرتن")
    assert fold("وەستان") == fold("وهستان")


def test_a_doubt_asks_and_leaves_consent_then_stop_again_stops(client, site, settings):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    person = opted_in(site, language="ar")
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "بس"})
    person.refresh_from_db()
    assert person.sms_consent is True
    assert InboundMessage.objects.get(provider_message_id="SM1").action == "asked"
    question = Message.objects.get(kind=Kind.OPT_OUT_QUESTION)
    assert question.person == person and not question.respect_quiet_hours
    post_signed(client, INBOUND, {"MessageSid": "SM2", "From": "+33612345678", "Body": "STOP"})
    person.refresh_from_db()
    assert person.sms_consent is False


def test_just_thanks_changes_nothing_and_asks_nothing(client, site, settings):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    person = opted_in(site, language="ar")
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "بس شكرا"})
    person.refresh_from_db()
    assert person.sms_consent is True
    assert not Message.objects.filter(kind=Kind.OPT_OUT_QUESTION).exists()


@pytest.mark.parametrize("word", ["START", "UNSTOP", "ጀምሩ", "شروع"])
def test_start_brings_a_person_back_with_their_consent_recorded(client, site, settings, word):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    person = opted_in(site, language="ti")
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "STOP"})
    post_signed(client, INBOUND, {"MessageSid": "SM2", "From": "+33612345678", "Body": word})
    person.refresh_from_db()
    assert person.sms_consent is True
    assert person.sms_consent_changed_at is not None and person.sms_consent_changed_by is None
    assert AuditEntry.objects.filter(action="person.sms_opt_in", target_id=str(person.pk)).exists()
    assert Message.objects.filter(kind=Kind.OPT_IN_CONFIRMATION, person=person).exists()
