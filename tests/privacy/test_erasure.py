"""
Erasure at a person's request: what goes, what stays, and the ledgers and statistics
add up to the same sums before and after.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.urls import reverse

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.distributions.models import CheckIn, Handout, StockBalance, StockMovement
from services.legal.actions import appointment_set_status
from services.legal.models import Appointment
from services.messaging.models import InboundMessage, Message
from services.people.actions_records import person_card_reissue
from services.people.models import Person, ReplacedCode
from services.people.selectors import PersonNotFound, person_get
from services.privacy.actions import person_erase
from services.referrals.models import Referral

from .conftest import CLINICAL, LEGAL, NAME, PHONE, SMS_TEXT

pytestmark = pytest.mark.django_db


def sums() -> dict[str, object]:
    """The figures the stock ledgers and the statistics are made of."""
    return {
        "movements": list(
            StockMovement.objects.values("site", "item", "size", "kind")
            .annotate(total=Sum("quantity"), rows=Count("id"))
            .order_by("site", "item", "size", "kind")
        ),
        "balances": list(
            StockBalance.objects.values("site", "item", "size", "quantity").order_by(
                "site", "item", "size"
            )
        ),
        "handouts": list(
            Handout.objects.values("item", "size")
            .annotate(total=Sum("quantity"), people=Count("person", distinct=True))
            .order_by("item", "size")
        ),
        "checkins": list(CheckIn.objects.values("session", "status").annotate(n=Count("id"))),
        "people": Person.objects.count(),
        "messages": list(
            Message.objects.values("status", "language", "kind").annotate(
                n=Count("id"), segments=Sum("segments")
            )
        ),
        "replies": InboundMessage.objects.count(),
        "referrals": list(
            Referral.objects.values("status", "reason_category").annotate(n=Count("id"))
        ),
        "appointments": list(
            Appointment.objects.values("status", "case_type").annotate(n=Count("id"))
        ),
    }


@pytest.fixture
def closed(world):
    """The world with its legal appointment cancelled: nothing open holds anyone's time."""
    appointment_set_status(
        actor=world.legal, appointment=world.appointment, status=Appointment.Status.CANCELLED
    )
    return world


def test_the_ledgers_and_statistics_balance_after_an_erasure(closed):
    before = sums()
    person_erase(actor=closed.coordinator, person=closed.person, reason="asked")
    assert json.dumps(sums(), default=str) == json.dumps(before, default=str)


def test_erasure_removes_name_phone_notes_and_sms_and_changes_the_code(closed):
    old_code = closed.person.code
    person = person_erase(actor=closed.coordinator, person=closed.person, reason="asked")
    assert (person.name, str(person.phone), person.sms_consent) == ("", "", False)
    assert person.erased_at is not None and person.anonymised_at is not None
    assert person.code != old_code
    with pytest.raises(PersonNotFound):
        person_get(user=closed.coordinator, code=old_code)
    assert Referral.objects.get(pk=closed.referral.pk).clinical_notes == ""
    assert Appointment.objects.get(pk=closed.appointment.pk).notes == ""
    message = Message.objects.get(pk=closed.message.pk)
    assert (message.body, str(message.to_phone)) == ("", "")
    assert not InboundMessage.objects.exclude(body="").filter(people=person).exists()
    assert Handout.objects.filter(person=person).count() == 2


def test_erasure_forgets_the_codes_of_earlier_cards(closed):
    first_card = closed.person.code
    person = person_card_reissue(actor=closed.coordinator, person=closed.person, reason="lost")
    assert ReplacedCode.objects.filter(code=first_card, person=person).exists()
    person_erase(actor=closed.coordinator, person=person, reason="asked")
    assert not ReplacedCode.objects.filter(person=person).exists()


def test_erasure_is_audited_with_its_reason_and_who_did_it(closed):
    person_erase(actor=closed.coordinator, person=closed.person, reason="consent_withdrawn")
    entry = AuditEntry.objects.get(action="person.erase", target_id=str(closed.person.pk))
    assert entry.actor == closed.coordinator
    assert entry.details == {"reason": "consent_withdrawn"}
    logged = json.dumps(list(AuditEntry.objects.values("details", "target_id")))
    for personal in (NAME, PHONE, CLINICAL, LEGAL, SMS_TEXT, closed.person.code):
        assert personal not in logged


def test_an_erasure_needs_a_reason_from_the_list(closed):
    with pytest.raises(DomainError) as refused:
        person_erase(actor=closed.coordinator, person=closed.person, reason="because")
    assert refused.value.code == "invalid_choice"
    assert Person.objects.get(pk=closed.person.pk).name == NAME


def test_a_record_is_erased_once(closed):
    person = person_erase(actor=closed.coordinator, person=closed.person, reason="asked")
    with pytest.raises(DomainError) as refused:
        person_erase(actor=closed.coordinator, person=person, reason="asked")
    assert refused.value.code == "already_erased"


def test_an_open_appointment_is_closed_by_its_team_first(world):
    with pytest.raises(DomainError) as refused:
        person_erase(actor=world.coordinator, person=world.person, reason="asked")
    assert refused.value.code == "still_open"
    assert Person.objects.get(pk=world.person.pk).name == NAME


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_a_coordinator_erases(closed, role):
    with pytest.raises(PermissionDenied):
        person_erase(actor=getattr(closed, role), person=closed.person, reason="asked")
    assert Person.objects.get(pk=closed.person.pk).erased_at is None


def test_the_erasure_page_asks_why_and_for_a_check_with_the_person(closed, client):
    client.force_login(closed.coordinator)
    url = reverse("privacy:erase", kwargs={"code": closed.person.code})
    refused = client.post(url, {"reason": "asked"})
    assert refused.status_code == 200
    assert "Check the card code with the person first." in refused.content.decode()
    assert Person.objects.get(pk=closed.person.pk).erased_at is None
    done = client.post(url, {"reason": "asked", "confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("people:list")
    assert "The record was erased." in done.content.decode()
    assert Person.objects.get(pk=closed.person.pk).erased_at is not None


def test_the_erasure_page_shows_the_refusal_in_words(world, client):
    client.force_login(world.coordinator)
    url = reverse("privacy:erase", kwargs={"code": world.person.code})
    page = client.post(url, {"reason": "asked", "confirm": "on"})
    assert page.status_code == 200
    assert "still has an open referral or a booked legal appointment" in page.content.decode()


def test_a_volunteer_cannot_open_the_erasure_page(closed, client):
    client.force_login(closed.volunteer)
    url = reverse("privacy:erase", kwargs={"code": closed.person.code})
    assert client.post(url, {"reason": "asked", "confirm": "on"}).status_code == 403
    assert Person.objects.get(pk=closed.person.pk).erased_at is None
