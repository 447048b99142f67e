import pytest

from fieldapp.demo import demo_load
from services.legal.models import Appointment
from services.legal.tasks import demo_reminder
from services.messaging.actions import dispatch
from services.messaging.backends import _instances as sms_backends
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.scheduling.models import Availability


@pytest.mark.django_db
def test_the_demo_has_advisors_an_interpreter_availability_and_bookings_once():
    passwords = demo_load(people=60)
    assert {"advisor2", "interpreter"} <= set(passwords)
    assert Availability.objects.count() == 10
    assert Appointment.objects.filter(interpreter__username="interpreter").exists()
    booked = Appointment.objects.count()
    demo_load(people=60)
    assert Appointment.objects.count() == booked


@pytest.mark.django_db
def test_the_demo_reminder_of_the_next_booking_prints_on_the_console_even_at_night(
    settings, capsys
):
    settings.SMS_BACKEND = "console"
    sms_backends.clear()
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = 0, 24  # night all day
    demo_load(people=60)
    next_booking = Appointment.objects.filter(person__sms_consent=True).earliest("starts_at")
    capsys.readouterr()

    demo_reminder.apply()  # as the worker runs it when beat sends it
    claim = dispatch.messages_claim_due(limit=100)
    assert claim is not None
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))

    reminder = Message.objects.get(id__in=claim.message_ids, kind=Kind.APPOINTMENT_REMINDER)
    assert reminder.person == next_booking.person
    assert reminder.status == Message.Status.SENT
    assert reminder.body in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_interpreter_can_be_booked_by_phone_for_legal_advice_and_clinics():
    from datetime import timedelta

    from django.utils import timezone

    from services.scheduling.slots import slots_offer

    demo_load(people=60)
    by_phone = Availability.objects.filter(
        user__username="interpreter", role="interpreter", site__isnull=True
    )
    assert sorted(by_phone.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    offered = slots_offer(language="ti", first=timezone.localdate() + timedelta(days=1), days=7)
    assert any(slot.site is None and slot.interpreter_by_phone for slot in offered)
