"""A new card for a lost or taken one, and the merge of two records of one person."""

import uuid
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.audit.words import entries_in_words
from services.distributions.models import CheckIn, DistributionSession
from services.legal.models import Appointment
from services.messaging.models import InboundMessage, Message
from services.people.actions_records import (
    person_card_reissue,
    person_merge,
    person_merge_counts,
)
from services.people.models import Person, ReplacedCode
from services.people.phones import phone_parse
from services.people.selectors import person_get
from services.scheduling.models import Booking
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_card_replaces_the_old_code_and_keeps_the_record(coordinator, site):
    person = PersonFactory(home_site=site)
    old = person.code
    renewed = person_card_reissue(actor=coordinator, person=person, reason="confiscated")
    assert renewed.pk == person.pk and renewed.code != old
    assert person_get(user=coordinator, code=renewed.code) == renewed
    with pytest.raises(DomainError) as refused:
        person_get(user=coordinator, code=old)
    assert refused.value.code == "replaced" and "replaced" in refused.value.message
    assert renewed.code not in refused.value.message  # the old card's holder is not told


def test_the_old_card_is_refused_as_replaced_at_check_in(client, coordinator, volunteer, site):
    from services.distributions.actions.checkin import Line, checkin_record
    from services.distributions.models import ItemType

    person = PersonFactory(home_site=site)
    old = person.code
    person_card_reissue(actor=coordinator, person=person, reason="lost")
    bag = ItemType.objects.create(name="Bag", category=ItemType.Category.BEDDING)
    session = DistributionSession.objects.create(
        site=site,
        date=timezone.localdate(),
        starts_at=time(0),
        ends_at=time(23, 30),
        status=DistributionSession.Status.OPEN,
    )
    with pytest.raises(DomainError) as refused:
        checkin_record(
            actor=coordinator,
            session_id=session.pk,
            person_code=old,
            lines=[Line(item_id=bag.pk, size="", quantity=1)],
            client_uuid=uuid.uuid4(),
        )
    assert refused.value.code == "replaced"


def test_only_a_coordinator_gives_a_new_card_and_says_why(volunteer, coordinator, site):
    person = PersonFactory(home_site=site)
    with pytest.raises(PermissionDenied):
        person_card_reissue(actor=volunteer, person=person, reason="lost")
    with pytest.raises(DomainError):
        person_card_reissue(actor=coordinator, person=person, reason="merged")
    assert not ReplacedCode.objects.exists()


def test_the_new_card_screen_and_the_audit_log_name_both_codes(client, coordinator, site):
    person = PersonFactory(home_site=site)
    old = person.code
    client.force_login(coordinator)
    url = reverse("people:card_reissue", args=[old])
    assert url in client.get(person.get_absolute_url()).text
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "lost"})
    person.refresh_from_db()
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    entry = AuditEntry.objects.get(action="person.card_reissue")
    said = entries_in_words([entry])[0].text
    assert f"replaced card {old} of {person.code} by card {person.code}" in said


@pytest.fixture
def two_records(site, legal):
    kept = PersonFactory(home_site=site, name="Amanuel")
    merged = PersonFactory(
        home_site=site,
        name="",
        phone=phone_parse("0612345678"),
        sms_consent=True,
        sms_consent_changed_at=timezone.now(),
    )
    session = DistributionSession.objects.create(
        site=site, date=timezone.localdate(), starts_at=time(9), ends_at=time(12)
    )
    CheckIn.objects.create(
        client_uuid=uuid.uuid4(), payload_hash="x", session=session, person=merged
    )
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(
        person=merged,
        advisor=legal,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        language="ti",
        case_type="dublin",
        booking=Booking.objects.create(),
    )
    Message.objects.create(
        idempotency_key="m1",
        kind="appointment_reminder",
        person=merged,
        language="ti",
        send_at=timezone.now(),
    )
    inbound = InboundMessage.objects.create(provider_message_id="SM1", body="OK")
    inbound.people.add(merged)
    return kept, merged


def test_the_preview_counts_what_moves(two_records):
    kept, merged = two_records
    counts = person_merge_counts(kept=kept, merged=merged)
    assert sorted(count for _what, count in counts) == [1, 1, 1]
    assert len(counts) == 3  # a check-in, a legal appointment, a message


def test_merging_moves_everything_takes_the_consent_and_retires_the_code(coordinator, two_records):
    kept, merged = two_records
    merged_code = merged.code
    person_merge(actor=coordinator, kept=kept, merged=merged)
    kept.refresh_from_db()
    assert not Person.objects.filter(pk=merged.pk).exists()
    assert kept.checkins.count() == 1 and kept.legal_appointments.count() == 1
    assert kept.messages.count() == 1
    assert InboundMessage.objects.get().people.get() == kept
    assert kept.sms_consent and kept.phone == phone_parse("0612345678")
    assert kept.name == "Amanuel"
    with pytest.raises(DomainError) as refused:
        person_get(user=coordinator, code=merged_code)
    assert refused.value.code == "replaced"
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.details["kept"] == kept.code and entry.details["merged"] == merged_code
    said = entries_in_words([entry])[0].text
    assert f"merged the record of {merged_code} into {kept.code}" in said


def test_a_record_is_not_merged_into_itself_and_volunteers_do_not_merge(
    coordinator, volunteer, two_records
):
    kept, merged = two_records
    with pytest.raises(DomainError):
        person_merge(actor=coordinator, kept=kept, merged=kept)
    with pytest.raises(PermissionDenied):
        person_merge(actor=volunteer, kept=kept, merged=merged)


def test_the_merge_screen_previews_then_merges(client, coordinator, two_records):
    kept, merged = two_records
    client.force_login(coordinator)
    url = reverse("people:merge", args=[kept.code])
    assert url in client.get(kept.get_absolute_url()).text
    preview = client.get(url, {"other": merged.code})
    assert preview.status_code == 200 and merged.code in preview.text
    assert "What moves to the kept record" in preview.text
    assert Person.objects.filter(pk=merged.pk).exists()  # a preview changes nothing
    assert client.get(url, {"other": kept.code}).status_code == 400
    response = client.post(url, {"other": merged.code})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=merged.pk).exists()


def test_a_more_recent_no_to_sms_wins_and_cancels_what_waits(coordinator, site):
    earlier = timezone.now() - timedelta(days=5)
    kept = PersonFactory(
        home_site=site,
        phone=phone_parse("0612345678"),
        sms_consent=True,
        sms_consent_changed_at=earlier,
    )
    merged = PersonFactory(home_site=site, sms_consent=False, sms_consent_changed_at=timezone.now())
    waiting = Message.objects.create(
        idempotency_key="w1",
        kind="appointment_reminder",
        person=kept,
        language="ar",
        send_at=timezone.now() + timedelta(days=1),
    )
    person_merge(actor=coordinator, kept=kept, merged=merged)
    kept.refresh_from_db()
    waiting.refresh_from_db()
    assert not kept.sms_consent
    assert waiting.status == Message.Status.CANCELLED


@pytest.mark.parametrize("other", ["x" * 500, "NOT-A-CODE", "\u202eABC-DEF"])
def test_a_merge_with_a_code_that_is_not_one_is_refused_in_words(client, coordinator, site, other):
    person = PersonFactory(home_site=site)
    client.force_login(coordinator)
    response = client.get(reverse("people:merge", args=[person.code]), {"other": other})
    assert response.status_code == 400
    assert Person.objects.count() == 1


def test_a_new_card_for_a_reason_not_offered_is_refused(client, coordinator, site):
    person = PersonFactory(home_site=site)
    client.force_login(coordinator)
    response = client.post(reverse("people:card_reissue", args=[person.code]), {"reason": "x"})
    assert response.status_code == 400 and "Choose why." in response.text
    assert not ReplacedCode.objects.exists()
