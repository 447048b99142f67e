"""
The admin, as the coordinators who reach it: medical and legal records show statuses
only (no note, reason, service, case type or feed token), nothing changes there, every
record shown is audited, and no URL filter narrows a list by what coordinators may not see.
"""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.utils import timezone

from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.legal.actions import SlotChoice, appointment_book, appointment_notes_update
from services.legal.models import Appointment, AppointmentEvent
from services.partners.models import Area, Partner, PartnerService
from services.referrals.actions.followups import followup_done
from services.referrals.actions.referral import referral_create
from services.referrals.actions.workflow import referral_book, referral_missed
from services.referrals.models import FollowUpTask, Referral, ReferralEvent
from services.scheduling.actions import availability_add, calendar_feed_renew
from services.scheduling.grid import local_datetime
from services.scheduling.models import Availability, Booking, CalendarFeed, SlotHold
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CLINICAL = "Clinical-admin-4d1a"
REASON = "Reason-admin-8c3e"
FOLLOW_UP = "Followup-admin-2b7f"
LEGAL_NOTES = "Legal-admin-6e0d"
OUTCOME = "Outcome-admin-1a9c"

MODELS = [
    Referral,
    ReferralEvent,
    FollowUpTask,
    Appointment,
    AppointmentEvent,
    Availability,
    SlotHold,
    Booking,
    CalendarFeed,
    Partner,
    PartnerService,
]


@pytest.fixture
def world(make_user, site):
    nurse = make_user(Role.MEDICAL, "admin-nurse")
    advisor = make_user(Role.LEGAL, "admin-advisor")
    SpokenLanguage.objects.create(user=advisor, language="fr")
    psychiatry = Partner.objects.create(
        name="Psychiatry unit", kind=Partner.Kind.PSYCHOLOGIST, sms_place="Rue 1"
    )
    talk = PartnerService.objects.create(
        partner=psychiatry, name="Trauma counselling", area=Area.MEDICAL
    )
    teeth = PartnerService.objects.create(partner=psychiatry, name="Tooth care", area=Area.MEDICAL)
    people = [PersonFactory(home_site=site, language="fr") for _ in range(2)]
    first = referral_create(
        actor=nurse,
        person=people[0],
        service=talk,
        site=site,
        urgency="urgent",
        reason_category="mental_health",
        clinical_notes=CLINICAL,
        interpreter_language="ar",
        consent=True,
    )
    second = referral_create(
        actor=nurse,
        person=people[1],
        service=teeth,
        site=site,
        urgency="urgent",
        reason_category="dental",
        consent=True,
    )
    soon = timezone.now() + datetime.timedelta(seconds=1)
    second = referral_book(actor=nurse, referral=second, starts_at=soon)
    with mock.patch("django.utils.timezone.now", return_value=soon + datetime.timedelta(hours=1)):
        referral_missed(actor=nurse, referral=second, reason=REASON)
    followup_done(actor=nurse, task=second.follow_ups.get(), note=FOLLOW_UP)
    day = timezone.localdate() + datetime.timedelta(days=7)
    availability = availability_add(
        actor=advisor,
        role="advisor",
        weekday=day.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        site=site,
    )
    appointments = [
        appointment_book(
            actor=advisor,
            person=person,
            language="fr",
            slot=SlotChoice(local_datetime(day, datetime.time(hour)), advisor.pk, None, site.pk),
            case_type=case_type,
            notes=LEGAL_NOTES,
        )
        for person, hour, case_type in [
            (people[0], 9, Appointment.CaseType.DUBLIN),
            (people[1], 10, Appointment.CaseType.ASYLUM_FRANCE),
        ]
    ]
    appointment_notes_update(
        actor=advisor, appointment=appointments[0], notes=LEGAL_NOTES, outcome_notes=OUTCOME
    )
    return {
        "people": people,
        "referrals": [first, second],
        "services": [talk, teeth],
        "appointments": appointments,
        "availability": availability,
        "feed": calendar_feed_renew(actor=advisor),
    }


def _secrets(world):
    return [
        CLINICAL,
        REASON,
        FOLLOW_UP,
        LEGAL_NOTES,
        OUTCOME,
        world["feed"].token,
        str(Appointment.CaseType.DUBLIN.label),
        str(Appointment.CaseType.ASYLUM_FRANCE.label),
        "Mental health",
    ]


def _url(model, suffix=""):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def test_coordinators_read_no_note_reason_case_type_or_token(client, coordinator, world):
    client.force_login(coordinator)
    pages = {"/admin/": client.get("/admin/")}
    for model in MODELS:
        listing = client.get(_url(model))
        assert listing.status_code in (200, 404), model
        pages[_url(model)] = listing
        for row in model.objects.all():
            url = _url(model, f"{row.pk}/change/")
            page = client.get(url)
            assert page.status_code in (200, 404), url
            pages[url] = page
    services = ["Trauma counselling", "Tooth care"]  # partners' own pages list them, rightly
    for url, page in pages.items():
        text = page.content.decode()
        for secret in _secrets(world) + ([] if url.startswith("/admin/partners/") else services):
            assert secret not in text, (url, secret)


def test_nothing_changes_in_the_admin(client, coordinator, world):
    """Records change only through the actions, where each change is checked and audited."""
    client.force_login(coordinator)
    for model in MODELS:
        row = model.objects.first()
        assert row is not None, model
        for url in [_url(model, "add/"), _url(model, f"{row.pk}/change/")]:
            assert client.post(url, {}).status_code in (403, 404), url
        assert client.post(_url(model, f"{row.pk}/delete/"), {"post": "yes"}).status_code in (
            403,
            404,
        )
        assert client.post(
            _url(model), {"action": "delete_selected", "_selected_action": [row.pk]}
        ).status_code in (200, 302, 403, 404)
        assert model.objects.filter(pk=row.pk).exists(), model
    assert Referral.objects.get(pk=world["referrals"][0].pk).clinical_notes == CLINICAL


LOOKUPS = {
    "reason": (Referral, lambda world: {"reason_category": "mental_health"}),
    "reason-exact": (Referral, lambda world: {"reason_category__exact": "dental"}),
    "service": (Referral, lambda world: {"service": world["services"][0].pk}),
    "service-id": (Referral, lambda world: {"service__id__exact": world["services"][1].pk}),
    "interpreter": (Referral, lambda world: {"interpreter_language": "ar"}),
    "clinical-notes": (Referral, lambda world: {"clinical_notes": ""}),
    "place": (Referral, lambda world: {"appointment_place__isnull": "False"}),
    "case-type": (Appointment, lambda world: {"case_type": "dublin"}),
    "case-type-exact": (Appointment, lambda world: {"case_type__exact": "asylum_france"}),
    "notes": (Appointment, lambda world: {"notes": ""}),
    "outcome-notes": (Appointment, lambda world: {"outcome_notes": ""}),
}


@pytest.mark.parametrize("model, lookup", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_no_url_filter_by_what_coordinators_may_not_see(client, coordinator, world, model, lookup):
    """Which people a filter keeps would tell what each was referred or advised for."""
    client.force_login(coordinator)
    response = client.get(_url(model), lookup(world))
    assert response.status_code == 400


def test_the_list_filters_offered_still_work(client, coordinator, world):
    client.force_login(coordinator)
    assert client.get(_url(Referral), {"status__exact": "missed"}).status_code == 200
    assert client.get(_url(Referral), {"urgency__exact": "urgent"}).status_code == 200
    assert client.get(_url(Appointment), {"status__exact": "booked"}).status_code == 200
    assert client.get(_url(Appointment), {"language__exact": "fr"}).status_code == 200


def test_every_admin_read_is_audited(client, coordinator, world):
    client.force_login(coordinator)
    client.get(_url(Referral))
    client.get(_url(Appointment))
    listed = AuditEntry.objects.filter(actor=coordinator)
    referral_ids = {str(r.pk) for r in world["referrals"]}
    appointment_ids = {str(a.pk) for a in world["appointments"]}
    assert (
        set(listed.filter(action="referral.list").values_list("target_id", flat=True))
        == referral_ids
    )
    assert (
        set(listed.filter(action="legal.appointment.list").values_list("target_id", flat=True))
        == appointment_ids
    )
    for model, action, rows in [
        (Referral, "referral.read", world["referrals"]),
        (Appointment, "legal.appointment.read", world["appointments"]),
    ]:
        for row in rows:
            assert client.get(_url(model, f"{row.pk}/change/")).status_code == 200
            assert listed.filter(action=action, target_id=str(row.pk)).exists(), (model, row.pk)


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MEDICAL, Role.LEGAL])
def test_the_admin_is_the_coordinators_only(client, make_user, world, role):
    client.force_login(make_user(role, f"admin-{role}"))
    for model in (Referral, Appointment):
        assert client.get(_url(model)).status_code in (302, 403)


def test_every_casework_model_in_the_admin_is_checked_here():
    registered = {
        model
        for model in admin.site._registry
        if model._meta.app_label in {"referrals", "legal", "partners", "scheduling"}
    }
    assert registered <= set(MODELS)
