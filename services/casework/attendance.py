"""
A person's attendance history, on their page: the distributions they came to and the
appointments they kept or missed, newest first, so a volunteer sees at a glance who
comes and who may need a reminder.

What each row says follows who reads it, as for the coming appointments (selectors.py):
a volunteer sees "appointment" and whether the person came; only those who may see
legal or medical statuses see which kind. Reading it is recorded in the audit log.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts.models import User
from services.audit.actions import audit_record
from services.distributions.models import CheckIn
from services.legal.models import Appointment
from services.people.models import Person
from services.referrals.models import Referral, Status
from services.scheduling.grid import local_datetime

SHOWN = 20


@dataclass(frozen=True)
class Attendance:
    at: datetime
    what: str
    came: bool | None  # None: cancelled or closed, neither came nor missed


def _distributions(user: User, person: Person) -> list[Attendance]:
    if not user.has_perm("distributions.view_checkin"):
        return []
    rows = (
        CheckIn.objects.filter(person=person, status=CheckIn.Status.RECORDED)
        .select_related("session__site")
        .order_by("-session__date", "-session__starts_at")[:SHOWN]
    )
    return [
        Attendance(
            local_datetime(row.session.date, row.session.starts_at),
            _("Distribution at %(site)s") % {"site": row.session.site},
            True,
        )
        for row in rows
    ]


LEGAL_CAME: dict[str, bool] = {Appointment.Status.ATTENDED: True, Appointment.Status.NO_SHOW: False}
MEDICAL_CAME: dict[str, bool] = {Status.ATTENDED: True, Status.MISSED: False}


def _legal(user: User, person: Person) -> list[Attendance]:
    if not user.has_perm("legal.view_upcoming"):
        return []
    what = _("Legal advice") if user.has_perm("legal.view_status") else _("Appointment")
    rows = Appointment.objects.filter(
        person=person, status__in=list(LEGAL_CAME), starts_at__lte=timezone.now()
    ).order_by("-starts_at")[:SHOWN]
    return [Attendance(row.starts_at, what, LEGAL_CAME[row.status]) for row in rows]


def _medical(user: User, person: Person) -> list[Attendance]:
    if not user.has_perm("referrals.view_upcoming"):
        return []
    what = _("Medical appointment") if user.has_perm("referrals.view_status") else _("Appointment")
    rows = Referral.objects.filter(
        person=person, status__in=list(MEDICAL_CAME), appointment_at__isnull=False
    ).order_by("-appointment_at")[:SHOWN]
    return [
        Attendance(row.appointment_at, what, MEDICAL_CAME[row.status])
        for row in rows
        if row.appointment_at is not None
    ]


def person_attendance(*, user: User, person: Person) -> list[Attendance]:
    """The last SHOWN distributions and appointments of the person, newest first; audited."""
    rows = [*_distributions(user, person), *_legal(user, person), *_medical(user, person)]
    audit_record(actor=user, action="person.attendance.read", target=person)
    return sorted(rows, key=lambda row: row.at, reverse=True)[:SHOWN]
