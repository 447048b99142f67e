"""
An interpreter booked for a medical appointment sees it among their own bookings (legal
calendar, home, iCal feed) as time, place, card code and language only; legal slots
treat them as busy then.
"""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from fieldapp.errors import Conflict
from fieldapp.languages import Language
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.legal.actions import appointment_book
from services.legal.models import Appointment
from services.partners.models import Area, Partner, PartnerService
from services.referrals.actions.referral import referral_create
from services.referrals.actions.workflow import referral_book, referral_close
from services.referrals.models import ReasonCategory, Urgency
from services.scheduling.actions import calendar_feed_renew
from services.scheduling.slots import slots_offer

from .conftest import at, choice, weekly

pytestmark = pytest.mark.django_db

ARABIC = str(Language("ar").label)
SECRETS = ["Centre Psy Est", "Psychiatry", "Mental health", "mental_health", "Hears voices"]


@pytest.fixture
def medical_booking(make_user, interpreter, person, site, day):
    """The interpreter, also free by phone 9-12, booked for 10:15 at the partner's."""
    weekly(interpreter, "interpreter", day)
    nurse = make_user(Role.MEDICAL, "nurse")
    partner = Partner.objects.create(
        name="Centre Psy Est", kind=Partner.Kind.PSYCHOLOGIST, sms_place="Rue Leveux 11"
    )
    service = PartnerService.objects.create(partner=partner, name="Psychiatry", area=Area.MEDICAL)
    referral = referral_create(
        actor=nurse,
        person=person,
        service=service,
        site=site,
        urgency=Urgency.URGENT,
        reason_category=ReasonCategory.MENTAL_HEALTH,
        clinical_notes="Hears voices at night",
        interpreter_language="ar",
        consent=True,
    )
    return referral_book(
        actor=nurse, referral=referral, starts_at=at(day, 10, 15), interpreter=interpreter
    )


def _text_without_secrets(text):
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_interpreter_sees_it_in_the_calendar_with_time_place_code_and_language_only(
    client, interpreter, medical_booking, day
):
    client.force_login(interpreter)
    response = client.get(reverse("legal:calendar"), {"date": day.isoformat()})
    page = response.content.decode()
    assert medical_booking.person.code in page
    assert "Rue Leveux 11" in page and ARABIC in page and "Interpreting by phone" in page
    assert timezone.localtime(medical_booking.appointment_at).strftime("%H:%M") in page
    _text_without_secrets(page)
    assert f"/referrals/{medical_booking.pk}/" not in page
    reads = AuditEntry.objects.filter(
        action="referral.interpreting.list", actor=interpreter, details={"view": "calendar"}
    )
    assert [(e.target_type, e.target_id) for e in reads] == [
        ("referrals.referral", str(medical_booking.pk))
    ]


def test_the_interpreter_home_lists_it_too(client, interpreter, medical_booking):
    client.force_login(interpreter)
    page = client.get(reverse("legal:home")).content.decode()
    assert medical_booking.person.code in page and "Rue Leveux 11" in page
    _text_without_secrets(page)
    assert AuditEntry.objects.filter(
        action="referral.interpreting.list", actor=interpreter, details={"view": "home"}
    ).exists()


def test_the_ical_feed_has_it_with_nothing_medical(client, interpreter, medical_booking):
    feed = calendar_feed_renew(actor=interpreter)
    response = client.get(reverse("legal:feed", args=[feed.token]))
    text = response.content.decode()
    _text_without_secrets(text)
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"referral-{medical_booking.pk}@fieldapp"]
    assert str(event["LOCATION"]) == "Rue Leveux 11"
    assert medical_booking.person.code in str(event["SUMMARY"]) and ARABIC in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == medical_booking.appointment_at
    assert AuditEntry.objects.filter(
        action="referral.interpreting.list",
        actor=interpreter,
        target_id=str(medical_booking.pk),
        details={"view": "ical"},
    ).exists()


def test_nobody_else_sees_it_in_the_legal_calendar(
    client, make_user, advisor, medical_booking, day
):
    other = make_user(Role.VOLUNTEER, "other")
    for user in (other, advisor):
        client.force_login(user)
        page = client.get(reverse("legal:calendar"), {"date": day.isoformat()}).content.decode()
        assert medical_booking.person.code not in page and "Rue Leveux 11" not in page


def test_once_called_off_it_leaves_the_calendar(client, interpreter, medical_booking, day):
    referral_close(actor=medical_booking.created_by, referral=medical_booking)
    client.force_login(interpreter)
    page = client.get(reverse("legal:calendar"), {"date": day.isoformat()}).content.decode()
    assert "Rue Leveux 11" not in page


def test_legal_slots_treat_the_interpreter_as_busy(
    advisor, interpreter, medical_booking, person, site, day
):
    offered = slots_offer(language="ar", first=day, days=1)
    assert [timezone.localtime(slot.starts_at).time() for slot in offered] == [time(9)]
    with pytest.raises(Conflict):
        appointment_book(
            actor=advisor,
            person=person,
            language="ar",
            slot=choice(day, 10, advisor, interpreter, site),
            case_type=Appointment.CaseType.OTHER,
        )
    assert not Appointment.objects.exists()
