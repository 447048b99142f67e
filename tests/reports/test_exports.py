"""Exports: coordinators only, codes not names, every one audited, formulas defused."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from services.audit.models import AuditEntry
from services.reports.models import Export

pytestmark = pytest.mark.django_db


def _ask(client, **fields):
    today = timezone.localdate().isoformat()
    data = {"dataset": "distributions", "file_format": "csv", "since": today, "until": today}
    return client.post("/reports/export/", {**data, **fields})


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_coordinator_gets_card_codes_and_no_names(served, coordinator, client):
    client.force_login(coordinator)
    response = _ask(client)
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][3] == "Card code" and "Name" not in rows[0] and "Phone" not in rows[0]
    assert len(rows) == 1 + 15
    names = set(served.checkins.values_list("person__name", flat=True))
    assert not names & {cell for row in rows for cell in row}
    entry = AuditEntry.objects.get(action="export.made")
    assert entry.details["dataset"] == "distributions"
    assert entry.details["with_identities"] is False


@pytest.mark.parametrize("dataset", ["stock", "referrals", "appointments", "shifts", "messages"])
def test_every_dataset_exports_as_xlsx(served, coordinator, client, dataset):
    client.force_login(coordinator)
    response = _ask(client, dataset=dataset, file_format="xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    header = next(sheet.iter_rows(values_only=True))
    assert not {"Name", "Phone", "Notes", "Text"} & set(header)
    assert Export.objects.get().dataset == dataset


def test_a_volunteer_is_refused_and_the_refusal_is_audited(volunteer, client):
    client.force_login(volunteer)
    assert _ask(client).status_code == 403
    assert AuditEntry.objects.filter(action="export.refused", actor=volunteer).exists()


def test_names_need_the_explicit_permission_and_the_refusal_is_audited(coordinator, client):
    client.force_login(coordinator)
    response = _ask(client, with_identities="on", reason="Partner handover")
    assert response.status_code == 403
    export = Export.objects.get()
    assert export.outcome == Export.Outcome.REFUSED and export.with_identities
    assert AuditEntry.objects.filter(action="export.refused", target_id=str(export.pk)).exists()


def test_names_with_the_permission_and_a_reason_are_exported_and_logged(
    served, coordinator, client
):
    coordinator.user_permissions.add(
        Permission.objects.get(codename="export_identities", content_type__app_label="reports")
    )
    client.force_login(coordinator)
    assert _ask(client, with_identities="on").status_code == 400  # no reason given
    response = _ask(client, with_identities="on", reason="Moving to the partner's system")
    rows = _csv(response)
    assert rows[0][3:6] == ["Card code", "Name", "Phone"]
    export = Export.objects.get(outcome=Export.Outcome.MADE)
    assert export.reason == "Moving to the partner's system"
    assert AuditEntry.objects.get(action="export.made").details["with_identities"] is True


def test_formulas_in_exported_text_are_defused(coordinator, client, site, sleeping_bag):
    from services.distributions.actions.stock import stock_receive

    stock_receive(
        actor=coordinator,
        site=site,
        item=sleeping_bag,
        size="",
        quantity=3,
        donor='=HYPERLINK("http://example.invalid","x")',
    )
    client.force_login(coordinator)
    rows = _csv(_ask(client, dataset="stock"))
    assert rows[1][6] == '\'=HYPERLINK("http://example.invalid","x")'
    sheet = _ask(client, dataset="stock", file_format="xlsx")
    cell = load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active["G2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


@pytest.mark.parametrize(
    ("since", "until", "words"),
    [("2026-03-01", "2026-02-01", "before the start"), ("2023-01-01", "2026-01-01", "2 years")],
)
def test_reversed_or_too_long_ranges_are_refused(coordinator, client, since, until, words):
    client.force_login(coordinator)
    response = _ask(client, since=since, until=until)
    assert response.status_code == 400 and words in response.text
    assert not Export.objects.exists()


def test_an_unknown_site_is_refused(coordinator, client):
    client.force_login(coordinator)
    response = _ask(client, sites=["987654"])
    assert response.status_code == 400 and "no such site" in response.text
    response = _ask(client, sites=["not-a-number"])
    assert response.status_code == 400
