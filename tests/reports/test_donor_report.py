"""The donor report: counts a donor may read, and what each donor's stock became."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.reports.donor import donor_report

pytestmark = pytest.mark.django_db


def _today_report(user, site):
    today = timezone.localdate()
    return donor_report(user=user, site=site, since=today, until=today)


def test_people_served_and_handouts_by_item_with_small_counts_hidden(served, coordinator, site):
    report = _today_report(coordinator, site)
    assert report.people_served == "12"
    counts = {line.label: line.count for line in report.handouts}
    # 3 tents are hidden; with only one cell hidden beside the total, the bags go too.
    assert counts == {"Sleeping bag": "<5", "Tent": "<5"}
    assert report.handouts_total == "15"


def test_each_donor_sees_what_their_stock_became_oldest_first(served, coordinator, site):
    report = _today_report(coordinator, site)
    lines = {(d.donor, d.item): d for d in report.donors}
    appeal = lines[("Appeal", "Sleeping bag")]
    # The appeal's 15 went to the camp first and 12 of them were handed out there.
    assert (appeal.received, appeal.handed_out_here, appeal.on_hand) == ("15", "12", "<5")
    parish_bags = lines[("Parish", "Sleeping bag")]
    assert (parish_bags.received, parish_bags.handed_out_here, parish_bags.on_hand) == (
        "30",
        "<5",
        "30",
    )
    assert lines[("Parish", "Tent")].on_hand == "7"


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
