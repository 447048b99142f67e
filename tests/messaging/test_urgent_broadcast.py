"""
A coordinator's urgent message: written per language (an empty one falls back along its
chain), to one site, every site or one language; quiet hours overridden only for an
urgent message, and audited.
"""

import pytest
from django.urls import reverse

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.messaging.actions.broadcast import broadcast_preview, broadcast_send
from services.messaging.models import Broadcast, Message
from services.messaging.sms_templates import Kind
from tests.factories import SiteFactory

from .helpers import opted_in

TEXTS = {
    "en": "Storm tonight: the distribution moves to the hall.",
    "am": "ዛሬ ማታ ማዕበል።",
    "fa": "امشب طوفان است.",
    "ar": "عاصفة الليلة.",
}


@pytest.fixture
def audience(site):
    return {
        language: opted_in(site, phone=f"06 12 34 56 {n:02d}", language=language)
        for n, language in enumerate(["ti", "am", "ps", "ckb", "ur", "en"])
    }


def _sent_text(person):
    return Message.objects.get(person=person).context


def test_each_person_gets_their_language_or_the_next_of_its_chain(coordinator, site, audience):
    broadcast_send(actor=coordinator, site=site, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS})
    assert _sent_text(audience["ti"]) == {"text": TEXTS["am"], "text_language": "am"}
    assert _sent_text(audience["am"])["text_language"] == "am"
    assert _sent_text(audience["ps"]) == {"text": TEXTS["fa"], "text_language": "fa"}
    assert _sent_text(audience["ckb"])["text_language"] == "ar"
    assert _sent_text(audience["ur"]) == {"text": TEXTS["en"], "text_language": "en"}


def test_the_preview_shows_which_text_each_language_gets(coordinator, site, audience):
    preview = broadcast_preview(site=site, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS})
    rows = {row.language: row for row in preview.languages}
    assert rows["ti"].rendered_language == "am" and rows["ti"].text == TEXTS["am"]
    assert rows["ur"].rendered_language == "en"
    assert rows["am"].encoding == "UCS-2" and rows["en"].encoding == "GSM-7"
    assert preview.recipients == 6 and not Message.objects.exists()


def test_without_english_nothing_is_sent(coordinator, site, audience):
    with pytest.raises(DomainError) as refused:
        broadcast_send(
            actor=coordinator, site=site, kind=Kind.URGENT_NOTICE, context={"texts": {"am": "x"}}
        )
    assert refused.value.code == "missing_text"
    assert not Broadcast.objects.exists() and not Message.objects.exists()


def test_to_one_language_only(coordinator, site, audience):
    broadcast = broadcast_send(
        actor=coordinator,
        site=site,
        kind=Kind.URGENT_NOTICE,
        context={"texts": TEXTS},
        language="ti",
    )
    assert broadcast.recipients == 1
    assert list(Message.objects.values_list("person", flat=True)) == [audience["ti"].pk]


def test_to_every_site(coordinator, site, audience):
    elsewhere = opted_in(SiteFactory(), phone="0699999999", language="fr")
    broadcast = broadcast_send(
        actor=coordinator, site=None, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS}
    )
    assert broadcast.recipients == 7 and broadcast.site is None
    assert Message.objects.filter(person=elsewhere).exists()


def test_only_a_coordinator_of_every_site_writes_to_every_site(volunteer, site, audience):
    with pytest.raises(DomainError) as refused:
        broadcast_send(
            actor=volunteer, site=None, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS}
        )
    assert refused.value.code == "not_every_site"


def test_urgent_overrides_quiet_hours_and_is_audited(coordinator, site, audience):
    broadcast = broadcast_send(
        actor=coordinator, site=site, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS}, urgent=True
    )
    assert not Message.objects.filter(respect_quiet_hours=True).exists()
    entry = AuditEntry.objects.get(action="broadcast.quiet_hours_override")
    assert entry.actor == coordinator and entry.target_id == str(broadcast.pk)


def test_an_urgent_message_not_marked_urgent_waits_for_the_morning(coordinator, site, audience):
    broadcast_send(actor=coordinator, site=site, kind=Kind.URGENT_NOTICE, context={"texts": TEXTS})
    assert not Message.objects.filter(respect_quiet_hours=False).exists()
    assert not AuditEntry.objects.filter(action="broadcast.quiet_hours_override").exists()


def test_only_an_urgent_message_may_override_quiet_hours(coordinator, site, audience):
    context = {"date": "2026-11-28", "time": "15:00", "place": "Hall"}
    with pytest.raises(DomainError) as refused:
        broadcast_send(
            actor=coordinator,
            site=site,
            kind=Kind.DISTRIBUTION_MOVED,
            context=context,
            urgent=True,
        )
    assert refused.value.code == "not_urgent" and not Message.objects.exists()


def test_the_screen_sends_an_urgent_message_written_per_language(
    client, coordinator, site, audience
):
    client.force_login(coordinator)
    form = {
        "site": site.pk,
        "kind": Kind.URGENT_NOTICE,
        "text_en": TEXTS["en"],
        "text_am": TEXTS["am"],
        "urgent": "on",
    }
    page = client.post(reverse("messaging:broadcast"), {**form, "confirm": "preview"})
    assert "ዛሬ ማታ ማዕበል" in page.content.decode() and not Message.objects.exists()
    client.post(reverse("messaging:broadcast"), {**form, "confirm": "send"})
    broadcast = Broadcast.objects.get()
    assert broadcast.urgent and broadcast.recipients == 6


def test_the_screen_refuses_urgent_for_a_distribution_message(client, coordinator, site, audience):
    client.force_login(coordinator)
    form = {
        "site": site.pk,
        "kind": Kind.DISTRIBUTION_MOVED,
        "date": "2026-11-28",
        "time": "15:00",
        "urgent": "on",
        "confirm": "send",
    }
    response = client.post(reverse("messaging:broadcast"), form)
    assert response.status_code == 200 and "Only an urgent message" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_the_screen_offers_every_site_to_a_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert "Every site" in client.get(reverse("messaging:broadcast")).content.decode()
