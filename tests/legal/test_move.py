"""Moving a legal appointment on the phone screen: who may, when, a slot taken meanwhile."""

from datetime import timedelta

import pytest
from django.urls import reverse

from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.legal.actions import appointment_book, appointment_reschedule, appointment_set_status
from services.legal.models import Appointment, AppointmentEvent
from services.messaging.models import Message
from services.scheduling.models import SlotHold
from tests.factories import PersonFactory

from .conftest import at, choice
from .test_booking import reminders

S = Appointment.Status


def move_url(appointment):
    return reverse("legal:move", args=[appointment.pk])


def key(day, hour, advisor, interpreter, site, minute=0):
    return f"{at(day, hour, minute).isoformat()}|{advisor.pk}|{interpreter.pk}|{site.pk}"


def unchanged(booked, day):
    """The appointment, its holds and its reminders are still those of 10:00."""
    booked.refresh_from_db()
    assert booked.starts_at == at(day, 10) and booked.status == S.BOOKED
    assert set(booked.booking.holds.values_list("starts_at", flat=True)) == {
        at(day, 10),
        at(day, 10, 30),
    }
    assert {m.context["time"] for m in reminders(status=Message.Status.PENDING).values()} == {
        "10:00"
    }
    assert not booked.events.filter(kind=AppointmentEvent.Kind.RESCHEDULED).exists()
    assert not AuditEntry.objects.filter(action="legal.appointment.reschedule").exists()


def test_the_legal_role_moves_an_appointment_and_its_reminders(
    client, booked, advisor, interpreter, site, day
):
    client.force_login(advisor)
    detail = client.get(booked.get_absolute_url()).content.decode()
    assert move_url(booked) in detail

    page = client.get(move_url(booked))
    text = page.content.decode()
    assert page.status_code == 200 and "11:00" in text
    # The advisor does not speak Arabic: every slot still comes with an interpreter.
    assert text.count('name="slot"') == text.count("with interpreter interpreting")
    assert AuditEntry.objects.filter(action="legal.appointment.read", actor=advisor).exists()

    response = client.post(
        move_url(booked), {"slot": key(day, 11, advisor, interpreter, site)}, follow=True
    )
    assert response.redirect_chain == [(booked.get_absolute_url(), 302)]
    assert "Appointment moved." in response.content.decode()
    booked.refresh_from_db()
    assert booked.starts_at == at(day, 11) and booked.interpreter == interpreter
    assert booked.person.language == "ar" and booked.language == "ar"
    pending = reminders(status=Message.Status.PENDING)
    assert set(pending) == {"reminder-24h", "reminder-2h"}
    assert pending["reminder-2h"].send_at == at(day, 9)
    assert {m.context["time"] for m in pending.values()} == {"11:00"}
    assert {m.context["time"] for m in reminders(status=Message.Status.CANCELLED).values()} == {
        "10:00"
    }
    entry = AuditEntry.objects.get(action="legal.appointment.reschedule")
    assert entry.actor == advisor and entry.target_id == str(booked.pk)
    assert "Italy" not in str(entry.details)


def test_it_can_shift_by_half_an_hour_over_its_own_time_but_not_onto_it(
    client, booked, advisor, interpreter, site, day
):
    client.force_login(advisor)
    text = client.get(move_url(booked)).content.decode()
    assert key(day, 10, advisor, interpreter, site) not in text
    assert key(day, 10, advisor, interpreter, site, minute=30) in text
    response = client.post(
        move_url(booked), {"slot": key(day, 10, advisor, interpreter, site, minute=30)}
    )
    assert response.status_code == 302
    assert set(SlotHold.objects.values_list("starts_at", flat=True)) == {
        at(day, 10, 30),
        at(day, 11),
    }


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER, Role.MEDICAL])
def test_other_roles_cannot_move_it(
    client, make_user, booked, advisor, interpreter, site, day, role
):
    client.force_login(make_user(role, f"other-{role.value}"))
    assert client.get(move_url(booked)).status_code in (403, 404)
    response = client.post(move_url(booked), {"slot": key(day, 11, advisor, interpreter, site)})
    assert response.status_code in (403, 404)
    assert move_url(booked) not in client.get(booked.get_absolute_url()).content.decode()
    unchanged(booked, day)


def test_the_interpreter_of_the_appointment_cannot_move_it(
    client, booked, advisor, interpreter, site, day
):
    client.force_login(interpreter)
    assert client.get(move_url(booked)).status_code == 403
    response = client.post(move_url(booked), {"slot": key(day, 11, advisor, interpreter, site)})
    assert response.status_code == 403
    unchanged(booked, day)


@pytest.mark.parametrize("status", [S.CANCELLED, S.ATTENDED, S.NO_SHOW])
def test_a_closed_appointment_cannot_be_moved(
    client, booked, advisor, interpreter, site, day, status
):
    if status != S.CANCELLED:
        Appointment.objects.filter(pk=booked.pk).update(status=status)
    else:
        appointment_set_status(actor=advisor, appointment=booked, status=status)
    client.force_login(advisor)
    assert move_url(booked) not in client.get(booked.get_absolute_url()).content.decode()
    page = client.get(move_url(booked))
    assert page.status_code == 400
    assert "Only a booked or confirmed appointment can be moved." in page.content.decode()
    assert 'name="slot"' not in page.content.decode()
    response = client.post(move_url(booked), {"slot": key(day, 11, advisor, interpreter, site)})
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.starts_at == at(day, 10) and booked.status == status


def test_a_started_appointment_cannot_be_moved(client, booked, advisor, interpreter, site, day):
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=booked.starts_at - timedelta(days=8), ends_at=booked.ends_at - timedelta(days=8)
    )
    client.force_login(advisor)
    assert move_url(booked) not in client.get(booked.get_absolute_url()).content.decode()
    response = client.post(move_url(booked), {"slot": key(day, 11, advisor, interpreter, site)})
    assert response.status_code == 400 and "already started" in response.content.decode()
    booked.refresh_from_db()
    assert booked.starts_at == at(day, 10) - timedelta(days=8)
    with pytest.raises(Exception, match="already started"):
        appointment_reschedule(
            actor=advisor, appointment=booked, slot=choice(day, 11, advisor, interpreter, site)
        )


def test_a_slot_taken_between_the_page_and_the_post_is_a_409_and_nothing_changes(
    client, booked, advisor, interpreter, site, day
):
    client.force_login(advisor)
    wanted = key(day, 11, advisor, interpreter, site)
    assert wanted in client.get(move_url(booked)).content.decode()
    other = appointment_book(
        actor=advisor,
        person=PersonFactory(home_site=site, language="ar"),
        language="ar",
        slot=choice(day, 11, advisor, interpreter, site),
        case_type=Appointment.CaseType.OTHER,
    )

    response = client.post(move_url(booked), {"slot": wanted})
    assert response.status_code == 409
    text = response.content.decode()
    assert "This slot was just taken; pick another." in text
    assert wanted not in text  # the list shown is the fresh one
    unchanged(booked, day)
    assert set(other.booking.holds.values_list("starts_at", flat=True)) == {
        at(day, 11),
        at(day, 11, 30),
    }


def test_a_bad_or_missing_slot_is_a_clear_error(client, booked, advisor, day):
    client.force_login(advisor)
    missing = client.post(move_url(booked), {})
    assert missing.status_code == 400 and "Pick a time." in missing.content.decode()
    bogus = client.post(move_url(booked), {"slot": "bogus"})
    assert bogus.status_code == 400 and "Choose one of the offered slots." in bogus.content.decode()
    unchanged(booked, day)


def test_the_move_page_is_in_the_users_language(client, booked, advisor):
    client.force_login(advisor)
    client.cookies["django_language"] = "ar"
    text = client.get(move_url(booked), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in text and "نقل الموعد" in text  # "Move the appointment"
