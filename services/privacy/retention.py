"""
The nightly retention run: keep less, for less long.

- People with no activity for PRIVACY_INACTIVE_DAYS (180 by default) are anonymised
  (forget.py says what goes and what stays). Activity is the latest of: seen at a
  distribution, a referral changed or its appointment, a legal appointment changed or
  its time, a reply by SMS. A person anonymised and seen again is anonymised again once
  inactive; one anonymised and not seen since is left alone, so a second run changes
  nothing.
- The text and numbers of SMS (sent and received) older than PRIVACY_SMS_KEEP_DAYS
  (30) go; the rows stay for the counts (messaging/actions/redact.py).
- The handover notes past their keeping time go, through the shifts app's own purge.
- The audit log keeps every row: it holds record ids and field names, never a name,
  a phone or a note (audit/models.py), so nothing in it needs removing.

`retention_plan()` counts what a run would do and changes nothing (the dry-run
command); `retention_apply()` does it, each person audited.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from services.audit.actions import audit_record_each
from services.legal.models import Appointment
from services.messaging.actions.redact import (
    inbound_purge_contents,
    messages_old_with_contents,
    messages_purge_contents,
    replies_old_with_contents,
)
from services.messaging.models import InboundMessage
from services.people.models import Person
from services.referrals.models import Referral
from services.shifts.actions.handover import handover_notes_past_keeping, handover_notes_purge

from .forget import person_details_forget


def inactive_days() -> int:
    return int(getattr(settings, "PRIVACY_INACTIVE_DAYS", 180))


def sms_keep_days() -> int:
    return int(getattr(settings, "PRIVACY_SMS_KEEP_DAYS", 30))


@dataclass(frozen=True)
class RetentionRun:
    """What a run anonymised or purged (or, dry, would): counts and the card codes."""

    people: list[str]
    messages: int
    replies: int
    handover_notes: int
    dry_run: bool


def _latest(queryset: QuerySet, *fields: str) -> Subquery:
    """
    The latest of these date fields over the rows of `queryset` (one subquery). The
    first is never empty; an empty other one counts as the first (SQLite's GREATEST is
    NULL when any value is).
    """
    first = Max(fields[0])
    latest = Greatest(first, *(Coalesce(Max(name), first) for name in fields[1:]))
    return Subquery(
        queryset.order_by().values("person").annotate(latest=latest).values("latest")[:1],
        output_field=DateTimeField(),
    )


def people_inactive(*, since: datetime) -> QuerySet[Person]:
    """The people with no activity since `since` and something left to remove."""
    person = OuterRef("pk")
    seen = F("last_seen_at")
    last_activity = Greatest(
        seen,
        Coalesce(
            _latest(Referral.objects.filter(person=person), "updated_at", "appointment_at"), seen
        ),
        Coalesce(
            _latest(Appointment.objects.filter(person=person), "updated_at", "starts_at"), seen
        ),
        Coalesce(
            Subquery(
                InboundMessage.objects.filter(people=person)
                .order_by("-received_at")
                .values("received_at")[:1]
            ),
            seen,
        ),
    )
    return (
        Person.objects.alias(last_activity=last_activity)
        .filter(last_activity__lt=since)
        .filter(Q(anonymised_at__isnull=True) | Q(anonymised_at__lt=F("last_activity")))
        .order_by("pk")
    )


def _cutoffs(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=inactive_days()), now - timedelta(days=sms_keep_days())


def retention_plan(*, now: datetime | None = None) -> RetentionRun:
    """What retention_apply() would do now. Reads only."""
    now = now or timezone.now()
    people_since, sms_before = _cutoffs(now)
    return RetentionRun(
        people=list(people_inactive(since=people_since).values_list("code", flat=True)),
        messages=messages_old_with_contents(before=sms_before).count(),
        replies=replies_old_with_contents(before=sms_before).count(),
        handover_notes=handover_notes_past_keeping(today=timezone.localdate(now)).count(),
        dry_run=True,
    )


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> RetentionRun:
    """Anonymise the inactive, purge old SMS and handover notes; audited. Idempotent."""
    now = now or timezone.now()
    people_since, sms_before = _cutoffs(now)
    # The old texts first, so the counts are those the dry run gave.
    messages = messages_purge_contents(before=sms_before)
    replies = inbound_purge_contents(before=sms_before)
    people = list(people_inactive(since=people_since).select_for_update(of=("self",)))
    for person in people:
        person_details_forget(person=person, now=now)
    audit_record_each(
        actor=None,
        action="person.anonymise",
        targets=people,
        details={"why": "inactive", "inactive_days": inactive_days()},
    )
    return RetentionRun(
        people=[person.code for person in people],
        messages=messages,
        replies=replies,
        handover_notes=handover_notes_purge(today=timezone.localdate(now)),
        dry_run=False,
    )
