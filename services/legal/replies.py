"""The person's SMS answer to a legal appointment reminder: 1 confirms, 2 cancels."""

from fieldapp.errors import DomainError
from services.messaging.models import Cause, InboundMessage, Message

from .actions import appointment_set_status
from .models import Appointment, AppointmentEvent


def appointment_reply(message: Message, answer: str) -> str:
    """
    Confirm or cancel the appointment the reminder was about. An appointment that is
    no longer open (or already in that state, or already started), or that was moved
    since this reminder went (the answer was about the old time), is left alone.
    """
    if message.cause_type != Cause.APPOINTMENT or message.cause_id is None:
        return ""
    appointment = Appointment.objects.filter(pk=message.cause_id, person=message.person).first()
    if appointment is None or not appointment.is_open:
        return ""
    if message.cause_at != appointment.starts_at:
        return ""
    status, action = (
        (Appointment.Status.CONFIRMED, InboundMessage.Action.CONFIRMED)
        if answer == "confirm"
        else (Appointment.Status.CANCELLED, InboundMessage.Action.CANCELLED)
    )
    if appointment.status == status:
        return ""
    try:
        appointment_set_status(
            actor=None, appointment=appointment, status=status, via=AppointmentEvent.Via.SMS
        )
    except DomainError:
        return ""
    return action
