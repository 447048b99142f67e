"""
What is removed from a person's record when it is anonymised or erased, app by app.

One list, so retention and erasure remove the same things: the name and phone, the
free text typed about the person (medical and legal notes, the reasons of a referral's
steps, a check-in's exception reason), and the text and numbers of their SMS. What
stays is what the statistics and the ledgers count: the card code (erasure changes
it), the language, the home site, the dates, the statuses, and every check-in,
handout, stock movement, referral, appointment and message row.

Rows are changed with queryset updates: they do not bump `updated_at`, so removing a
note is not taken for activity by the next retention run.
"""

from datetime import datetime

from django.utils import timezone

from services.distributions.models import CheckIn
from services.legal.models import Appointment
from services.messaging.actions.redact import messages_forget_person
from services.people.models import Person
from services.people.signals import sms_consent_withdrawn
from services.referrals.models import FollowUpTask, Referral, ReferralEvent


def person_details_forget(*, person: Person, now: datetime | None = None) -> None:
    """
    Remove the person's name, phone and free text everywhere, stamped `now` (the
    retention run's time). The caller audits.
    """
    was_consenting = person.sms_consent
    now = now or timezone.now()
    Person.objects.filter(pk=person.pk).update(
        name="",
        phone="",
        phone_invalid_at=None,
        phone_invalid_reason="",
        sms_consent=False,
        sms_consent_changed_at=now if was_consenting else person.sms_consent_changed_at,
        sms_consent_changed_by=None if was_consenting else person.sms_consent_changed_by,
        anonymised_at=now,
    )
    if was_consenting:
        # What still waits for them is cancelled (services/messaging/apps.py).
        sms_consent_withdrawn.send(sender=Person, person=person)
    messages_forget_person(person_id=person.pk)
    Referral.objects.filter(person=person).exclude(clinical_notes="").update(clinical_notes="")
    ReferralEvent.objects.filter(referral__person=person).exclude(reason="").update(reason="")
    FollowUpTask.objects.filter(referral__person=person).exclude(note="").update(note="")
    Appointment.objects.filter(person=person).update(notes="", outcome_notes="")
    CheckIn.objects.filter(person=person).exclude(override_reason="").update(override_reason="")
    person.refresh_from_db()
