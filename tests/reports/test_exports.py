"""Exports: coordinators only, codes not names, every one audited, formulas defused."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.reports.exports.files import export_file_build, exports_expire
from services.reports.models import Build, Export

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


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    return tmp_path


def _xlsx(client, **fields):
    """Ask for an XLSX export, build it as the worker would, and download it."""
    response = _ask(client, file_format="xlsx", **fields)
    assert response.status_code == 302
    export = Export.objects.latest("pk")
    assert client.get(response.url).status_code == 200  # the progress page
    export_file_build(export.pk)
    export_file_build(export.pk)  # a repeated task changes nothing
    page = client.get(response.url)
    assert "Download the file" in page.text
    download = client.get(f"/reports/export/{export.pk}/file/")
    assert download.status_code == 200
    return load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


@pytest.mark.parametrize(
    "dataset", ["distributions", "stock", "referrals", "appointments", "shifts", "messages"]
)
def test_every_dataset_exports_as_xlsx_built_in_the_background(
    served, coordinator, client, dataset
):
    client.force_login(coordinator)
    sheet = _xlsx(client, dataset=dataset)
    header = next(sheet.iter_rows(values_only=True))
    assert not {"Name", "Phone", "Notes", "Text"} & set(header)
    export = Export.objects.get()
    assert export.dataset == dataset and export.build == Build.READY
    assert export.rows_done == export.rows_total == sheet.max_row - 1
    assert AuditEntry.objects.filter(action="export.download", actor=coordinator).count() == 1


def test_an_expired_link_is_refused_and_its_file_deleted(served, coordinator, client, export_dir):
    client.force_login(coordinator)
    _xlsx(client)
    export = Export.objects.get()
    assert (export_dir / export.stored_as).is_file()
    Export.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/reports/export/{export.pk}/file/").status_code == 410
    assert exports_expire() == 1 and exports_expire() == 0
    assert not list(export_dir.iterdir())


def test_a_file_with_names_is_not_for_coordinators_without_the_permission(
    served, coordinator, make_user, client
):
    coordinator.user_permissions.add(
        Permission.objects.get(codename="export_identities", content_type__app_label="reports")
    )
    client.force_login(coordinator)
    _xlsx(client, with_identities="on", reason="Handover to the partner")
    other = make_user(Role.COORDINATOR, username="other-coordinator")
    client.force_login(other)
    export = Export.objects.get()
    assert client.get(f"/reports/export/{export.pk}/file/").status_code == 403


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
    cell = _xlsx(client, dataset="stock")["G2"]
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
