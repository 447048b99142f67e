"""
The donor report: what a site did in a period, in counts a donor may read.

Counts only, every one through fieldapp/suppression.py, each read with one aggregate
query (the work does not grow with the people served). It is asked of one site and
period by a coordinator, and each reading is in the audit log.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from fieldapp.suppression import Shown, row_shown, shown
from services.accounts.models import User
from services.audit.actions import audit_record
from services.distributions.models import CheckIn, Handout, ItemType
from services.legal.models import Appointment
from services.referrals.models import ReasonCategory, Referral, Status
from services.sites.models import Site

from .donations import donor_outcomes
from .periods import day_start, period_check


@dataclass(frozen=True)
class Line:
    label: str
    count: Shown


@dataclass(frozen=True)
class DonorLine:
    donor: str
    item: str
    received: Shown
    handed_out_here: Shown
    handed_out: Shown
    written_off: Shown
    on_hand: Shown


@dataclass(frozen=True)
class DonorReport:
    site: Site
    since: date
    until: date
    people_served: Shown
    handouts: list[Line]
    handouts_total: Shown
    referrals: list[Line]
    referrals_total: Shown
    appointments: list[Line]
    donors: list[DonorLine]


def _lines(counts: dict[str, int]) -> tuple[list[Line], Shown]:
    """A breakdown by label and its total, as the dashboard's rows are shown."""
    cells, total = row_shown(counts)
    return [Line(label, count) for label, count in cells.items()], total


def _handouts(site: Site, start: datetime, end: datetime) -> tuple[list[Line], Shown]:
    rows = (
        Handout.objects.filter(checkin__session__site=site, given_at__gte=start, given_at__lt=end)
        .exclude(checkin__status=CheckIn.Status.DISMISSED)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .order_by("item_id")
    )
    totals = {row["item_id"]: row["total"] for row in rows}
    items = ItemType.objects.in_bulk(list(totals))
    counts = {items[pk].display_name(): total for pk, total in totals.items()}
    return _lines(dict(sorted(counts.items())))


def _referrals(site: Site, start: datetime, end: datetime) -> tuple[list[Line], Shown]:
    rows = (
        Referral.objects.filter(site=site, created_at__gte=start, created_at__lt=end)
        .exclude(status=Status.DRAFT)
        .values("reason_category")
        .annotate(total=Count("id"))
        .order_by("reason_category")
    )
    labels = dict(ReasonCategory.choices)
    counts = {str(labels[row["reason_category"]]): row["total"] for row in rows}
    return _lines(counts)


def _appointments_kept(site: Site, start: datetime, end: datetime) -> list[Line]:
    legal = Appointment.objects.filter(
        site=site, starts_at__gte=start, starts_at__lt=end, status=Appointment.Status.ATTENDED
    ).count()
    medical = Referral.objects.filter(
        site=site, appointment_at__gte=start, appointment_at__lt=end, status=Status.ATTENDED
    ).count()
    return [
        Line(_("Legal advice"), shown(legal)),
        Line(_("Medical (referred)"), shown(medical)),
    ]


def _donors(site: Site, start: datetime, end: datetime) -> list[DonorLine]:
    outcomes = donor_outcomes(site_id=site.pk, start=start, end=end)
    items = ItemType.objects.in_bulk({item_id for _donor, item_id in outcomes})
    return [
        DonorLine(
            donor=donor or _("Donor not recorded"),
            item=items[item_id].display_name(),
            received=shown(o.received),
            handed_out_here=shown(o.handed_out_here),
            handed_out=shown(o.handed_out),
            written_off=shown(o.written_off),
            on_hand=shown(o.on_hand),
        )
        for (donor, item_id), o in outcomes.items()
    ]


def donor_report(*, user: User, site: Site, since: date, until: date) -> DonorReport:
    if not user.has_perm("reports.view_donor_report", site):
        raise PermissionDenied
    period_check(since, until)
    start, end = day_start(since), day_start(until + timedelta(days=1))
    served = (
        CheckIn.objects.filter(
            session__site=site,
            session__date__gte=since,
            session__date__lte=until,
            status=CheckIn.Status.RECORDED,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    handouts, handouts_total = _handouts(site, start, end)
    referrals, referrals_total = _referrals(site, start, end)
    audit_record(
        actor=user,
        action="report.donor",
        target=site,
        details={"since": since.isoformat(), "until": until.isoformat()},
    )
    return DonorReport(
        site=site,
        since=since,
        until=until,
        people_served=shown(served),
        handouts=handouts,
        handouts_total=handouts_total,
        referrals=referrals,
        referrals_total=referrals_total,
        appointments=_appointments_kept(site, start, end),
        donors=_donors(site, start, end),
    )
