"""
The dashboard's figures: each service's counts (their stats.py), small ones hidden
(fieldapp.suppression), laid out as charts and tables. A fixed number of aggregate
queries, whatever the number of people, handouts or texts: one per figure, plus the
site and item names.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fieldapp.figures import Scope
from fieldapp.languages import Language
from fieldapp.suppression import WITHHELD, Shown, rate_shown, row_shown, shown, total_shown
from services.distributions import stats as stock_stats
from services.distributions.models import ItemType
from services.legal import stats as legal_stats
from services.legal.models import Appointment
from services.messaging import stats as sms_stats
from services.referrals import stats as referral_stats
from services.referrals.models import Status as ReferralStatus
from services.referrals.models import Urgency
from services.shifts import stats as shift_stats
from services.sites.models import Site

from .charts import Chart, Part, bars, columns, svg
from .tables import table


@dataclass
class Section:
    label: str = ""
    chart: Chart | None = None
    rows: list[list[Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)

    def svg(self) -> SafeString:
        return svg(self.chart, self.label) if self.chart else SafeString("")

    def table(self) -> SafeString:
        return table(self.label, self.head, self.rows)


def _day(value: date) -> str:
    return date_format(value, "d/m")


def _names(scope: Scope) -> tuple[dict[int, str], dict[int, ItemType]]:
    sites = {site.pk: str(site) for site in Site.objects.all()}
    items = {item.pk: item for item in ItemType.objects.all()}
    return sites, items


def served(scope: Scope, sites: dict[int, str], *, rtl: bool) -> list[Section]:
    """People served per day, one chart per site, new and returning stacked."""
    per_site: dict[int, dict[date, stock_stats.ServedDay]] = {}
    for row in stock_stats.people_served_by_day(scope):
        per_site.setdefault(row.site_id, {})[row.day] = row
    days = [scope.start + timedelta(days=n) for n in range(scope.days)]
    return [
        _served_at(sites.get(site_id, ""), by_day, days, rtl=rtl)
        for site_id, by_day in sorted(per_site.items(), key=lambda pair: sites.get(pair[0], ""))
    ]


def _served_at(
    site: str, by_day: dict[date, stock_stats.ServedDay], days: list[date], *, rtl: bool
) -> Section:
    label = _("People served per day at %(site)s") % {"site": site}
    section = Section(
        label=label,
        extra={"site": site},
        head=[_("Day"), _("new"), _("returning"), _("Total")],
    )
    chart_columns = []
    for day in days:
        row = by_day.get(day)
        cells, total = row_shown(
            {"new": row.new if row else 0, "returning": row.returning if row else 0}
        )
        parts = [
            Part(cells["new"], "new", _("new")),
            Part(cells["returning"], "returning", _("returning")),
        ]
        chart_columns.append((_day(day), parts))
        if row:
            section.rows.append([_day(day), cells["new"], cells["returning"], total])
    section.chart = columns(chart_columns, rtl=rtl)
    return section


def items(scope: Scope, names: dict[int, ItemType], *, rtl: bool) -> Section:
    """Items handed out per category and size, beside the stock on hand."""
    section = Section(
        _("Items handed out and in stock"),
        head=[_("Item and size"), _("Category"), _("handed out"), _("in stock")],
    )
    chart_rows = []
    for row in stock_stats.handouts_against_stock(scope):
        item = names.get(row.item_id)
        label = f"{item.display_name() if item else row.item_id} {row.size}".strip()
        out = shown(row.handed_out)
        stock = Shown(str(row.on_hand), row.on_hand)  # stock identifies nobody: exact
        category = ItemType.Category(row.category).label if row.category else ""
        section.rows.append([label, category, out, row.on_hand])
        chart_rows.append(
            (
                label,
                f"{out} · {row.on_hand}",
                [Part(out, "out", _("handed out")), Part(stock, "stock", _("in stock"))],
            )
        )
    section.chart = bars(chart_rows, rtl=rtl)
    return section


def stock_warnings(
    scope: Scope, sites: dict[int, str], names: dict[int, ItemType], today: date
) -> Section:
    def item_name(item_id: int) -> str:
        item = names.get(item_id)
        return item.display_name() if item else str(item_id)

    low = [
        [sites.get(row.site_id, ""), item_name(row.item_id), row.on_hand, row.level]
        for row in stock_stats.items_low(scope)
    ]
    expiring = [
        [
            sites.get(row.site_id, ""),
            f"{item_name(row.item_id)} {row.size}".strip(),
            row.left,
            date_format(row.expires_on, "d/m/Y"),
            row.expires_on < today,
        ]
        for row in stock_stats.lots_expiring(scope, today=today)
    ]
    return Section(extra={"low": low, "expiring": expiring})


def referrals(scope: Scope, *, rtl: bool) -> Section:
    """Referrals by status and urgency, and the wait for a first answer."""
    counts = referral_stats.referrals_by_status(scope)
    urgencies = list(Urgency)
    section = Section(
        _("Referrals by status and urgency"), extra={"urgencies": [u.label for u in urgencies]}
    )
    chart_rows = []
    for status in ReferralStatus:
        name = str(status.label)
        row = {u.value: counts.get((status.value, u.value), 0) for u in urgencies}
        if not any(row.values()):
            continue
        cells, total = row_shown(row)
        section.rows.append([name, *cells.values(), total])
        parts = [
            Part(cells[u.value], f"u{index}", str(u.label))
            for index, u in enumerate(urgencies, start=1)
        ]
        chart_rows.append((name, str(total), parts))
    section.chart = bars(chart_rows, rtl=rtl)
    waits = []
    for wait in referral_stats.first_contact_by_urgency(scope):
        answered = shown(wait.answered)
        hours = (
            WITHHELD
            if answered.hidden or wait.average is None
            else _("%(hours)s h") % {"hours": round(wait.average.total_seconds() / 3600, 1)}
        )
        waits.append([Urgency(wait.urgency).label, answered, hours])
    section.extra["waits"] = waits
    return section


def appointments(scope: Scope, *, rtl: bool) -> Section:
    """Legal and clinic appointments kept and missed, and the no-show rate."""
    legal = legal_stats.appointments_by_status(scope)
    clinic = referral_stats.clinic_appointments_by_outcome(scope)
    kinds = [
        (
            _("Legal advice"),
            legal.get(Appointment.Status.ATTENDED, 0),
            legal.get(Appointment.Status.NO_SHOW, 0),
        ),
        (
            _("Clinic"),
            clinic.get(ReferralStatus.ATTENDED, 0),
            clinic.get(ReferralStatus.MISSED, 0),
        ),
    ]
    section = Section(_("Appointments kept and missed"))
    chart_rows = []
    for name, kept, missed in kinds:
        cells, total = row_shown({"kept": kept, "missed": missed})
        rate = rate_shown(missed, kept + missed)
        section.rows.append([name, cells["kept"], cells["missed"], total, rate])
        chart_rows.append(
            (
                name,
                rate,
                [
                    Part(cells["kept"], "kept", _("came")),
                    Part(cells["missed"], "missed", _("did not come")),
                ],
            )
        )
    section.chart = bars(chart_rows, rtl=rtl)
    return section


def texts(scope: Scope, *, rtl: bool) -> Section:
    """Texts sent, delivered and failed, the reasons in words, the month's cost."""
    outcomes = sms_stats.sms_outcomes(scope)
    names = {
        "sent": pgettext("texts", "Sent"),
        "delivered": pgettext("texts", "Delivered"),
        "failed": pgettext("texts", "Failed"),
    }
    section = Section(_("Text messages sent, delivered and failed"))
    chart_rows = []
    for key, name in names.items():
        count = shown(outcomes[key])
        section.rows.append([name, count])
        chart_rows.append((name, str(count), [Part(count, key, name)]))
    section.chart = bars(chart_rows, rtl=rtl)
    section.extra["reasons"] = [
        [reason.words, shown(reason.count)] for reason in sms_stats.sms_failure_reasons(scope)
    ]
    month = []
    cost = Decimal(0)
    lines = sms_stats.sms_month_by_language(scope)
    for line in lines:
        count = shown(line.texts)
        label = Language(line.language).label if line.language in Language.values else line.language
        if count.hidden:
            month.append([label, count, WITHHELD, WITHHELD])
        else:
            month.append([label, count, line.segments, f"{line.cost:.2f}"])
        cost += line.cost
    section.extra["month"] = month
    section.extra["month_texts"] = total_shown(line.texts for line in lines)
    section.extra["month_start"] = date_format(scope.end.replace(day=1), "d/m/Y")
    # The month's cost less the shown languages' would tell a hidden one's: withheld then.
    hidden = any(shown(line.texts).hidden for line in lines)
    section.extra["month_cost"] = WITHHELD if hidden else f"{cost:.2f}"
    return section


def shifts(scope: Scope, sites: dict[int, str], today: date, *, rtl: bool) -> Section:
    """The coming week's shifts: places needed and filled per day and site."""
    section = Section(
        _("Places filled and missing in the coming week"),
        head=[_("Day and site"), _("Shifts"), _("Places"), _("filled"), _("Shifts short")],
    )
    chart_rows = []
    for day in shift_stats.coverage_by_day(scope, first_day=today):
        label = f"{date_format(day.day, 'D d/m')} {sites.get(day.site_id, '')}"
        missing = max(day.needed - day.filled, 0)
        section.rows.append([label, day.shifts, day.needed, day.filled, day.short])
        chart_rows.append(
            (
                label,
                f"{day.filled}/{day.needed}",
                [
                    Part(Shown(str(day.filled), day.filled), "filled", _("filled")),
                    Part(Shown(str(missing), missing), "missing", _("missing")),
                ],
            )
        )
    section.chart = bars(chart_rows, rtl=rtl)
    return section


@dataclass
class Dashboard:
    served: list[Section]
    items: Section
    stock: Section
    referrals: Section
    appointments: Section
    texts: Section
    shifts: Section


def dashboard_figures(scope: Scope, *, today: date, rtl: bool) -> Dashboard:
    """Every figure of the dashboard for the scope, small counts hidden."""
    sites, names = _names(scope)
    return Dashboard(
        served=served(scope, sites, rtl=rtl),
        items=items(scope, names, rtl=rtl),
        stock=stock_warnings(scope, sites, names, today),
        referrals=referrals(scope, rtl=rtl),
        appointments=appointments(scope, rtl=rtl),
        texts=texts(scope, rtl=rtl),
        shifts=shifts(scope, sites, today, rtl=rtl),
    )
