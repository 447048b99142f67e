"""
A small world of one person served, with something of every kind held about them:
two check-ins with handouts, a referral with clinical notes, a legal appointment with
notes, an SMS sent and a reply received. Written through the real actions.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.models import DistributionSession, ItemType
from services.legal.actions import SlotChoice, appointment_book
from services.legal.models import Appointment
from services.messaging.actions.replies import inbound_receive
from services.messaging.actions.schedule import message_schedule
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.partners.models import Area, Partner, PartnerService
from services.people.actions import person_register
from services.people.models import Person
from services.referrals.actions.referral import referral_create
from services.scheduling.actions import availability_add
from services.scheduling.grid import local_datetime

CLINICAL = "Clinical note: cough for three weeks"
LEGAL = "Legal note: arrived through Italy"
PHONE = "+33612345678"
NAME = "Samir"
SMS_TEXT = "Distribution at the hall tomorrow 10:00"


@dataclass
class World:
    person: Person
    coordinator: Any
    volunteer: Any
    medical: Any
    legal: Any
    session: DistributionSession
    items: list[ItemType]
    referral: Any
    appointment: Appointment
    message: Message


def _distribution(coordinator: Any, site: Any) -> tuple[DistributionSession, list[ItemType]]:
    soap = ItemType.objects.create(name="Soap", category=ItemType.Category.HYGIENE)
    shoes = ItemType.objects.create(
        name="Shoes", category=ItemType.Category.SHOES, sizes=["42", "43"]
    )
    stock_receive(actor=coordinator, site=site, item=soap, size="", quantity=50)
    stock_receive(actor=coordinator, site=site, item=shoes, size="42", quantity=10)
    session = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0),
        ends_at=datetime.time(23, 30),
        offers=[Offer(soap, [], limit_per_person=2), Offer(shoes, ["42"])],
    )
    session = session_set_status(
        actor=coordinator, session=session, status=DistributionSession.Status.OPEN
    )
    return session, [soap, shoes]


def serve(world: World, person: Person) -> None:
    """Hand the person two soaps and a pair of shoes at the world's session."""
    soap, shoes = world.items
    checkin_record(
        actor=world.volunteer,
        session_id=world.session.pk,
        person_code=person.code,
        lines=[Line(item_id=soap.pk, size="", quantity=2), Line(shoes.pk, "42", 1)],
        client_uuid=uuid.uuid4(),
    )


def _referral(medical: Any, person: Person, site: Any) -> Any:
    partner = Partner.objects.create(name="PASS Calais", kind=Partner.Kind.PASS, sms_place="Rue 1")
    service = PartnerService.objects.create(partner=partner, name="Chest", area=Area.MEDICAL)
    return referral_create(
        actor=medical,
        person=person,
        service=service,
        site=site,
        urgency="routine",
        reason_category="general",
        clinical_notes=CLINICAL,
        refer=False,
    )


def _appointment(advisor: Any, person: Person, site: Any) -> Appointment:
    SpokenLanguage.objects.create(user=advisor, language=person.language)
    day = timezone.localdate() + datetime.timedelta(days=7)
    availability_add(
        actor=advisor,
        role="advisor",
        weekday=day.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        site=site,
    )
    return appointment_book(
        actor=advisor,
        person=person,
        language=person.language,
        slot=SlotChoice(local_datetime(day, datetime.time(10)), advisor.pk, None, site.pk),
        case_type=Appointment.CaseType.DUBLIN,
        notes=LEGAL,
    )


def _sent_sms(person: Person) -> Message:
    message = message_schedule(
        key=f"privacy:{person.pk}",
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        person=person,
        context={"date": "1/1", "time": "10:00", "place": "Hall"},
    )
    assert message is not None
    # As the dispatcher leaves a message the provider accepted (messaging/actions/dispatch.py).
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.DELIVERED, body=SMS_TEXT, to_phone=PHONE, segments=1
    )
    message.refresh_from_db()
    return message


@pytest.fixture
def world(make_user, site) -> World:
    coordinator = make_user(Role.COORDINATOR, username="privacy-coordinator")
    volunteer = make_user(Role.VOLUNTEER, username="privacy-volunteer")
    medical = make_user(Role.MEDICAL, username="privacy-nurse")
    legal = make_user(Role.LEGAL, username="privacy-advisor")
    person = person_register(
        actor=volunteer,
        home_site=site,
        language="ar",
        name=NAME,
        phone=PhoneNumber.from_string(PHONE),
        sms_consent=True,
    )
    session, items = _distribution(coordinator, site)
    built = World(
        person=person,
        coordinator=coordinator,
        volunteer=volunteer,
        medical=medical,
        legal=legal,
        session=session,
        items=items,
        referral=_referral(medical, person, site),
        appointment=_appointment(legal, person, site),
        message=_sent_sms(person),
    )
    serve(built, person)
    inbound_receive(provider_message_id="SM-privacy-1", from_phone=PHONE, body="Thank you 1")
    person.refresh_from_db()
    return built
