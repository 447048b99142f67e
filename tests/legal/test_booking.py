"""Booking, the double-booking constraint, transitions, reminders, encryption and audit."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from fieldapp.crypto import TOKEN_PREFIX
from fieldapp.errors import Conflict, DomainError
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.legal.actions import (
    appointment_book,
    appointment_notes_update,
    appointment_reschedule,
    appointment_set_status,
)
from services.legal.models import Appointment, AppointmentEvent
from services.messaging.models import Message
from services.scheduling.actions import availability_add
from services.scheduling.models import SlotHold
from tests.factories import PersonFactory

from .conftest import at, choice, speaks

S = Appointment.Status


def test_booking_holds_advisor_and_interpreter_for_every_cell(booked, advisor, interpreter):
    assert booked.status == S.BOOKED and booked.interpreter == interpreter
    assert booked.ends_at - booked.starts_at == timedelta(hours=1)
    holds = set(SlotHold.objects.values_list("user__username", "starts_at"))
    start = booked.starts_at
    assert holds == {
        (name, cell)
        for name in ("advisor", "interpreter")
        for cell in (start, start + timedelta(minutes=30))
    }
    assert list(booked.events.values_list("kind", "actor")) == [("booked", advisor.pk)]


def test_the_same_slot_booked_twice_is_a_conflict_and_writes_nothing(
    booked, advisor, interpreter, site, day
):
    other = PersonFactory(home_site=site, language="ar")
    with pytest.raises(Conflict) as refused:
        appointment_book(
            actor=advisor,
            person=other,
            language="ar",
            slot=choice(day, 10, advisor, interpreter, site),
            case_type=Appointment.CaseType.OTHER,
        )
    assert refused.value.status_code == 409 and refused.value.code == "slot_taken"
    assert Appointment.objects.count() == 1 and SlotHold.objects.count() == 4


def test_an_overlapping_slot_for_the_interpreter_alone_is_a_conflict(
    booked, interpreter, site, day, make_user
):
    other = speaks(make_user(Role.LEGAL, "advisor2"), "en")
    availability_add(
        actor=other,
        role="advisor",
        weekday=day.weekday(),
        start_time=time(9),
        end_time=time(12),
        site=site,
    )
    with pytest.raises(Conflict):
        appointment_book(
            actor=other,
            person=PersonFactory(home_site=site),
            language="ar",
            slot=choice(day, 10, other, interpreter, site, minute=30),
            case_type=Appointment.CaseType.OTHER,
        )


@pytest.mark.parametrize(
    "change",
    [
        {"hour": 10, "minute": 15},  # off the grid
        {"hour": 14},  # outside the advisor's hours
        {"hour": 11, "minute": 30},  # would end after the advisor's window
    ],
)
def test_a_slot_that_is_not_offered_is_refused_and_nothing_is_written(
    advisor, interpreter, person, site, day, change
):
    with pytest.raises(DomainError) as refused:
        appointment_book(
            actor=advisor,
            person=person,
            language="ar",
            slot=choice(day, advisor=advisor, interpreter=interpreter, site=site, **change),
            case_type=Appointment.CaseType.OTHER,
        )
    assert refused.value.code == "not_offered" and refused.value.field == "slot"
    assert not Appointment.objects.exists() and not Message.objects.exists()


def test_without_an_interpreter_a_language_the_advisor_does_not_speak_is_not_offered(
    advisor, person, site, day
):
    with pytest.raises(DomainError, match="not offered"):
        appointment_book(
            actor=advisor,
            person=person,
            language="ar",
            slot=choice(day, 10, advisor, None, site),
            case_type=Appointment.CaseType.OTHER,
        )


def test_only_the_legal_role_books(interpreter, advisor, person, site, day):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        appointment_book(
            actor=interpreter,
            person=person,
            language="fr",
            slot=choice(day, 10, advisor, None, site),
            case_type=Appointment.CaseType.OTHER,
        )


def test_cancelling_frees_the_slot_for_someone_else(booked, advisor, interpreter, site, day):
    appointment_set_status(actor=advisor, appointment=booked, status=S.CANCELLED)
    assert not SlotHold.objects.exists()
    again = appointment_book(
        actor=advisor,
        person=PersonFactory(home_site=site),
        language="ar",
        slot=choice(day, 10, advisor, interpreter, site),
        case_type=Appointment.CaseType.OTHER,
    )
    assert again.status == S.BOOKED


def test_transitions_follow_the_table(booked, advisor):
    appointment_set_status(actor=advisor, appointment=booked, status=S.CONFIRMED)
    with pytest.raises(DomainError) as early:
        appointment_set_status(actor=advisor, appointment=booked, status=S.ATTENDED)
    assert early.value.code == "not_started"
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(minutes=55),
    )
    with pytest.raises(DomainError) as late:
        appointment_set_status(actor=advisor, appointment=booked, status=S.CANCELLED)
    assert late.value.code == "started"
    appointment_set_status(actor=advisor, appointment=booked, status=S.NO_SHOW)
    with pytest.raises(DomainError) as final:
        appointment_set_status(actor=advisor, appointment=booked, status=S.CONFIRMED)
    assert final.value.code == "bad_transition"
    kinds = list(booked.events.values_list("kind", "actor"))
    assert kinds == [("booked", advisor.pk), ("confirmed", advisor.pk), ("no_show", advisor.pk)]


def reminders(**filters):
    """The legal reminders by which one they are ("reminder-24h"), the appointment time cut off."""
    return {
        m.idempotency_key.rsplit(":", 1)[1].split("@")[0]: m
        for m in Message.objects.filter(idempotency_key__startswith="appointment:", **filters)
    }


def test_booking_schedules_two_neutral_reminders_in_the_persons_language(booked, day):
    sent = reminders()
    assert set(sent) == {"reminder-24h", "reminder-2h"}
    assert sent["reminder-24h"].send_at == at(day - timedelta(days=1), 18)
    assert sent["reminder-2h"].send_at == booked.starts_at - timedelta(hours=2)
    for message in sent.values():
        assert message.language == "ar" and message.status == Message.Status.PENDING
        assert message.context["time"] == "10:00"
        assert message.context["place"] == booked.site.name
        assert str(day.day) in message.context["date"]
        text = str(message.context).lower()
        assert "dublin" not in text and "legal" not in text
        # What it is about is stored in columns, not only spelled in its key.
        assert (message.cause_type, message.cause_id) == ("appointment", booked.pk)
        assert message.cause_at == booked.starts_at


def test_a_by_phone_appointment_says_by_phone_in_the_persons_language(make_user, interpreter, day):
    from services.legal.reminders import reminder_place

    phone = speaks(make_user(Role.LEGAL, "phoneadvisor"), "fr")
    availability_add(
        actor=phone,
        role="advisor",
        weekday=day.weekday(),
        start_time=time(9),
        end_time=time(10),
        site=None,
    )
    person = PersonFactory(language="fr")
    appointment = appointment_book(
        actor=phone,
        person=person,
        language="fr",
        slot=choice(day, 9, phone),
        case_type=Appointment.CaseType.ASYLUM_FRANCE,
    )
    from django.utils import translation

    with translation.override("fr"):
        expected = translation.pgettext("sms", "by phone")
    assert reminder_place(appointment) == expected


def test_rescheduling_moves_the_reminders_and_the_holds(booked, advisor, interpreter, site, day):
    appointment_reschedule(
        actor=advisor, appointment=booked, slot=choice(day, 11, advisor, interpreter, site)
    )
    sent = reminders(status=Message.Status.PENDING)
    assert sent["reminder-2h"].send_at == at(day, 9)
    assert sent["reminder-2h"].context["time"] == "11:00"
    assert Message.objects.filter(status=Message.Status.PENDING).count() == 2
    assert Message.objects.filter(status=Message.Status.CANCELLED).count() == 2  # the old time's
    assert set(SlotHold.objects.values_list("starts_at", flat=True)) == {
        at(day, 11),
        at(day, 11, 30),
    }
    assert booked.events.last().kind == AppointmentEvent.Kind.RESCHEDULED


def test_cancelling_cancels_the_reminders(booked, advisor):
    appointment_set_status(actor=advisor, appointment=booked, status=S.CANCELLED)
    assert {m.status for m in reminders().values()} == {Message.Status.CANCELLED}


def test_a_reminder_whose_time_has_passed_is_not_scheduled(advisor, interpreter, person, site):
    tomorrow = timezone.localdate() + timedelta(days=1)
    availability_add(
        actor=advisor,
        role="advisor",
        day=tomorrow,
        start_time=time(9),
        end_time=time(10),
        site=site,
    )
    from unittest import mock

    evening = at(timezone.localdate(), 19)
    with mock.patch("django.utils.timezone.now", return_value=evening):
        appointment_book(
            actor=advisor,
            person=person,
            language="fr",
            slot=choice(tomorrow, 9, advisor, None, site),
            case_type=Appointment.CaseType.OTHER,
        )
    assert set(reminders()) == {"reminder-2h"}


def test_notes_are_encrypted_at_rest(booked, advisor):
    appointment_notes_update(
        actor=advisor, appointment=booked, notes=booked.notes, outcome_notes="Apply by Friday."
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notes, outcome_notes FROM legal_appointment WHERE id = %s", [booked.pk]
        )
        notes, outcome = cursor.fetchone()
    assert notes.startswith(TOKEN_PREFIX) and "Italy" not in notes
    assert outcome.startswith(TOKEN_PREFIX) and "Friday" not in outcome
    booked.refresh_from_db()
    assert booked.outcome_notes == "Apply by Friday."


def test_every_change_is_audited_without_the_note_text(booked, advisor):
    appointment_notes_update(
        actor=advisor, appointment=booked, notes="Changed.", outcome_notes="Kept."
    )
    appointment_set_status(actor=advisor, appointment=booked, status=S.CONFIRMED)
    entries = AuditEntry.objects.filter(target_type="legal.appointment").order_by("id")
    assert [(e.action, e.actor_id) for e in entries] == [
        ("legal.appointment.book", advisor.pk),
        ("legal.appointment.notes", advisor.pk),
        ("legal.appointment.status.confirmed", advisor.pk),
    ]
    assert entries[1].details == {"fields": ["notes", "outcome_notes"]}
    logged = str(list(AuditEntry.objects.values_list("details", flat=True)))
    assert "Italy" not in logged and "Changed" not in logged and "Kept" not in logged


@pytest.mark.parametrize(
    "kwargs, field, code",
    [
        ({"start_time": time(9, 15), "end_time": time(11)}, "start_time", "off_grid"),
        ({"start_time": time(9), "end_time": time(10, 45)}, "end_time", "off_grid"),
        ({"start_time": time(11), "end_time": time(9)}, "end_time", "order"),
        ({"start_time": time(9), "end_time": time(9, 30)}, "end_time", "too_short"),
    ],
)
def test_bad_availability_is_refused_with_a_clear_message(advisor, day, kwargs, field, code):
    before = advisor.availability.count()
    with pytest.raises(DomainError) as refused:
        availability_add(actor=advisor, role="advisor", weekday=0, site=None, **kwargs)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert advisor.availability.count() == before


def test_an_interpreter_needs_languages_first(volunteer):
    with pytest.raises(DomainError) as refused:
        availability_add(
            actor=volunteer,
            role="interpreter",
            weekday=0,
            start_time=time(9),
            end_time=time(10),
            site=None,
        )
    assert refused.value.code == "no_languages"
