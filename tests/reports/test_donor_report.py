"""The donor report: counts a donor may read, and what each donor's stock became."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.distributions.actions.stock import stock_adjust, stock_receive
from services.reports.donor import donor_report

pytestmark = pytest.mark.django_db


def _today_report(user, site):
    today = timezone.localdate()
    return donor_report(user=user, site=site, since=today, until=today)


def test_people_served_and_handouts_by_item_with_small_counts_hidden(served, coordinator, site):
    report = _today_report(coordinator, site)
    assert str(report.people_served) == "12"
    counts = {line.label: line.count for line in report.handouts}
    counts = {label: str(count) for label, count in counts.items()}
    # 3 tents are hidden; 15 less the 12 bags would give them away, so the total goes.
    assert counts == {"Sleeping bag": "12", "Tent": "<5"}
    assert str(report.handouts_total) == "—"


def _figures(line):
    return tuple(
        str(count)
        for count in (line.received, line.handed_out_here, line.written_off, line.on_hand)
    )


def test_each_donor_sees_what_their_stock_became_oldest_first(served, coordinator, site):
    report = _today_report(coordinator, site)
    lines = {(d.donor, d.item): d for d in report.donors}
    # The appeal's lot went to the camp first and 12 of its 15 were handed out there.
    assert _figures(lines[("Appeal", "Sleeping bag")]) == ("15", "12", "0", "<5")
    # The parish's 5 sent on with them are still on the camp's shelf: none handed out.
    assert _figures(lines[("Parish", "Sleeping bag")]) == ("30", "0", "0", "30")
    assert _figures(lines[("Parish", "Tent")]) == ("10", "<5", "0", "7")


def test_what_leaves_first_is_the_lot_that_expires_first(served, coordinator, site, tent):
    stock_receive(
        actor=coordinator,
        site=site,
        item=tent,
        size="",
        quantity=6,
        donor="Appeal",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    stock_adjust(
        actor=coordinator, site=site, item=tent, size="", change=-5, reason="Torn", write_off=True
    )
    lines = {(d.donor, d.item): d for d in _today_report(coordinator, site).donors}
    # The appeal's tents expire, the parish's do not: the write-off takes the appeal's.
    assert _figures(lines[("Appeal", "Tent")]) == ("6", "0", "5", "<5")
    assert _figures(lines[("Parish", "Tent")]) == ("10", "<5", "0", "7")


def test_the_report_is_audited(served, coordinator, site):
    _today_report(coordinator, site)
    entry = AuditEntry.objects.get(action="report.donor")
    assert entry.target_id == str(site.pk)


def test_only_coordinators_see_it(served, volunteer, site):
    with pytest.raises(PermissionDenied):
        _today_report(volunteer, site)


def test_a_reversed_period_is_refused(coordinator, site):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="before the start"):
        donor_report(user=coordinator, site=site, since=today, until=today - timedelta(days=1))


def test_a_period_over_two_years_is_refused(coordinator, site):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="at most 2 years"):
        donor_report(user=coordinator, site=site, since=today, until=today + timedelta(days=731))


def test_the_page_and_the_xlsx_show_the_same_counts(served, coordinator, site, client):
    import io

    from openpyxl import load_workbook

    client.force_login(coordinator)
    today = timezone.localdate().isoformat()
    query = {"site": site.pk, "since": today, "until": today}
    page = client.get("/reports/donor/", query)
    assert page.status_code == 200
    assert "Appeal" in page.text and "&lt;5" in page.text
    sheet = client.get("/reports/donor/", {**query, "as": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert ("People served", "12") in [row[:2] for row in rows]
    assert any(row[0] == "Appeal" and row[3] == "12" for row in rows)


def test_an_unknown_site_is_refused_in_words(coordinator, client):
    client.force_login(coordinator)
    today = timezone.localdate().isoformat()
    page = client.get("/reports/donor/", {"site": 999999, "since": today, "until": today})
    assert page.status_code == 400
    assert "no such site" in page.text
