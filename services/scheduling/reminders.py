"""
Reminders of an appointment or a shift, through the messaging outbox: at 18:00 local
time the day before, and 2 hours before. A person served gets them by SMS in their
language (medical and legal appointments); a volunteer (a shift) by their own channel,
SMS or e-mail, in their interface language.

Each reminder is stored with its cause (the appointment, referral or shift, and the time
it was for) in the message's cause columns, and with its one recipient; its key only
keeps it unique. Booking again for the same time updates the pending rows; moving the
appointment cancels the pending reminders of the old time and schedules new ones, so a
person whose day-before reminder already went still gets one for the new time. A
reminder whose time has passed is not scheduled. A shift has many volunteers: each
one's reminders are (re)scheduled and cancelled on their own, the others' left alone.
The text holds only date, time and a neutral place: never the service, the reason or
the case type.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from services.accounts.models import User
from services.messaging.actions.schedule import (
    MessageCause,
    message_schedule,
    messages_cancel_for_cause,
)
from services.people.models import Person

DAY_BEFORE_AT = time(18, 0)
HOURS_BEFORE = timedelta(hours=2)


def reminder_times(starts_at: datetime) -> dict[str, datetime]:
    """When each reminder is due: 18:00 local the day before, and 2 hours before."""
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    day_before = datetime.combine(local.date() - timedelta(days=1), DAY_BEFORE_AT)
    return {
        "24h": timezone.make_aware(day_before, timezone.get_default_timezone()),
        "2h": starts_at - HOURS_BEFORE,
    }


def reminder_context(*, starts_at: datetime, place: str) -> dict[str, str]:
    """
    The local day as an ISO date (the SMS writes it in words, "Fri 27 November", in the
    language the text is rendered in: sms_templates.sms_date) and the 24-hour time.
    """
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "place": place}


def recipient_language(*, person: Person | None = None, user: User | None = None) -> str:
    """The language a person's SMS or a volunteer's messages are written in."""
    if person is not None:
        return person.language
    return (user.language if user is not None else "") or settings.LANGUAGE_CODE


def _key(cause: MessageCause, which: str, user: User | None) -> str:
    stamp = cause.at.astimezone(UTC).strftime("%Y%m%dT%H%MZ") if cause.at else ""
    key = f"{cause.type}:{cause.id}:reminder-{which}@{stamp}"
    return f"{key}:user-{user.pk}" if user is not None else key


def reminders_schedule(
    *,
    cause_type: str,
    cause_id: int,
    kind: str,
    starts_at: datetime,
    place: str,
    person: Person | None = None,
    user: User | None = None,
) -> None:
    """
    (Re)schedule the reminders of the appointment or shift this cause names, for the
    person served or the volunteer given. Call inside the change.
    """
    cause = MessageCause(cause_type, cause_id, starts_at)
    now = timezone.now()
    context = reminder_context(starts_at=starts_at, place=place)
    due = {
        _key(cause, which, user): send_at
        for which, send_at in reminder_times(starts_at).items()
        if send_at > now
    }
    messages_cancel_for_cause(
        cause_type=cause_type,
        cause_id=cause_id,
        kind=kind,
        keep=set(due),
        reason="moved",
        user=user,
    )
    for key, send_at in due.items():
        message_schedule(
            key=key,
            kind=kind,
            person=person,
            user=user,
            cause=cause,
            context=context,
            send_at=send_at,
        )


def reminders_cancel(
    *, cause_type: str, cause_id: int, kind: str, reason: str, user: User | None = None
) -> int:
    """Cancel the pending reminders of this cause: everyone's, or one volunteer's."""
    return messages_cancel_for_cause(
        cause_type=cause_type, cause_id=cause_id, kind=kind, reason=reason, user=user
    )
