"""
Imports from hostile spreadsheets (tests/data/imports/, made by make_files.py there):
each gets a report in words, never a 500, and nothing is half-imported.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.models import AuditEntry
from services.distributions.models import StockMovement
from services.messaging.models import Message
from services.people.models import Person
from services.reports.imports.actions import import_apply, import_dry_run, import_upload
from services.reports.imports.cells import yes_no
from services.reports.models import ImportFile

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
BASE = "http://testserver/"


def _upload(coordinator, kind, name):
    return import_upload(
        actor=coordinator, kind=kind, file_name=name, content=(DATA / name).read_bytes()
    )


def _page(client, coordinator, kind, name):
    client.force_login(coordinator)
    with open(DATA / name, "rb") as handle:
        upload = SimpleUploadedFile(name, handle.read())
    response = client.post("/reports/import/", {"kind": kind, "file": upload}, follow=True)
    assert response.status_code == 200
    return response


def test_ten_thousand_rows_are_refused_whole_in_words(coordinator, client, site, sleeping_bag):
    page = _page(client, coordinator, "stock", "stock_10000_rows.csv")
    assert "10000 rows" in page.text and "at most 2000" in page.text
    assert "Nothing was imported" in page.text
    assert not StockMovement.objects.exists()


def test_wrong_columns_are_named(coordinator, client, site):
    page = _page(client, coordinator, "stock", "stock_wrong_columns.csv")
    assert "Missing: site, item, quantity" in page.text
    assert "Not known: lieu, article, qté" in page.text


def test_utf16_from_excel_is_read_with_its_arabic_names(coordinator, site):
    import_file = _upload(coordinator, "people", "people_utf16.csv")
    plan = import_dry_run(actor=coordinator, import_file=import_file, base_url=BASE)
    assert [row.verb for row in plan.rows] == ["create", "create"]
    assert not Person.objects.exists()  # a dry run changes nothing
    import_apply(actor=coordinator, import_file=import_file, base_url=BASE)
    assert set(Person.objects.values_list("name", flat=True)) == {"أحمد", "فاطمة"}
    assert Person.objects.get(name="أحمد").sms_consent is True


def test_windows_1256_is_read_with_its_arabic_names(coordinator, site):
    import_file = _upload(coordinator, "people", "people_cp1256.csv")
    plan = import_apply(actor=coordinator, import_file=import_file, base_url=BASE)
    assert plan.created == 4 and not plan.refused
    assert "مريم علي" in set(Person.objects.values_list("name", flat=True))


@pytest.mark.parametrize("name", ["people_formulas.xlsx", "people_formulas.csv"])
def test_formulas_are_refused_and_nothing_is_imported(coordinator, site, name):
    import_file = _upload(coordinator, "people", name)
    plan = import_dry_run(actor=coordinator, import_file=import_file, base_url=BASE)
    refused = [row for row in plan.rows if row.verb == "refuse"]
    assert refused and all("formula" in row.text for row in refused)
    assert plan.rows[-1].verb == "create"  # Samir is fine
    plan = import_apply(actor=coordinator, import_file=import_file, base_url=BASE)
    assert plan.refused and not Person.objects.exists()
    assert ImportFile.objects.get().state == ImportFile.State.CHECKED


def test_a_phone_twice_in_the_file_is_refused_on_its_second_line(coordinator, site):
    import_file = _upload(coordinator, "people", "people_duplicate_phones.csv")
    plan = import_dry_run(actor=coordinator, import_file=import_file, base_url=BASE)
    assert [(row.number, row.verb) for row in plan.rows] == [
        (2, "create"),
        (3, "refuse"),
        (4, "create"),
    ]
    assert "already on another person's record" in plan.rows[1].text
    import_apply(actor=coordinator, import_file=import_file, base_url=BASE)
    assert not Person.objects.exists()  # all or nothing


def test_dates_in_three_formats_are_read_and_month_first_is_refused(coordinator, site):
    volunteers = Group.objects.get(name="volunteer")
    for name in ("anna", "ben", "chloe", "dan"):
        user = User.objects.create_user(name, email=f"{name}@example.org", password="x")
        user.groups.add(volunteers)
    import_file = _upload(coordinator, "volunteers", "volunteers_dates.csv")
    plan = import_dry_run(actor=coordinator, import_file=import_file, base_url=BASE)
    assert [row.verb for row in plan.rows] == ["change", "change", "change", "refuse"]
    assert "12/31/2030 is not a date we can read" in plan.rows[3].text
    assert "31/12/2030" in plan.rows[0].text and "29/12/2030" in plan.rows[2].text


def test_new_volunteers_are_invited_only_when_the_import_commits(coordinator, site):
    content = f"email,sites,language\nzoe@example.org,{site.name},fr\n".encode()
    import_file = import_upload(
        actor=coordinator, kind="volunteers", file_name="v.csv", content=content
    )
    plan = import_dry_run(actor=coordinator, import_file=import_file, base_url=BASE)
    assert plan.created == 1
    assert not User.objects.filter(email="zoe@example.org").exists()
    assert not Message.objects.exists()
    import_apply(actor=coordinator, import_file=import_file, base_url=BASE)
    assert User.objects.get(email="zoe@example.org").is_active is False  # invited
    assert Message.objects.filter(kind="invitation").count() == 1


def test_stock_import_records_donors_and_is_done_once(coordinator, client, site, sleeping_bag):
    content = (
        f"site,item,quantity,donor,expires_on\n{site.name},sleeping bag,12,Appeal,31/12/2027\n"
    )
    content = content.encode()
    import_file = import_upload(actor=coordinator, kind="stock", file_name="s.csv", content=content)
    client.force_login(coordinator)
    page = client.get(f"/reports/import/{import_file.pk}/")
    assert "create" in page.text and "Import every row" in page.text
    client.post(f"/reports/import/{import_file.pk}/", {"do": "import"})
    page = client.post(f"/reports/import/{import_file.pk}/", {"do": "import"})
    assert page.status_code == 200
    movement = StockMovement.objects.get()
    lot = movement.lot
    assert (movement.quantity, lot.donor.name, lot.expires_on.isoformat(), lot.left) == (
        12,
        "Appeal",
        "2027-12-31",
        12,
    )
    import_file.refresh_from_db()
    assert import_file.state == ImportFile.State.IMPORTED and bytes(import_file.content) == b""
    assert AuditEntry.objects.filter(action="import.apply").count() == 1


def test_another_coordinator_may_check_and_import_it(coordinator, make_user, client, site):
    from services.accounts.roles import Role

    other = make_user(Role.COORDINATOR, username="other")
    import_file = import_upload(actor=other, kind="stock", file_name="s.csv", content=b"x")
    client.force_login(coordinator)
    assert client.get(f"/reports/import/{import_file.pk}/").status_code == 200


def test_volunteers_may_not_import(volunteer, coordinator, client):
    import_file = import_upload(actor=coordinator, kind="stock", file_name="s.csv", content=b"x")
    client.force_login(volunteer)
    assert client.get("/reports/import/").status_code == 403
    assert client.get(f"/reports/import/{import_file.pk}/").status_code == 403


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02garbage", b"PK\x03\x04not a zip", "é".encode("latin-1") * 50],
)
def test_junk_gets_words_not_a_500(coordinator, client, site, content):
    import_file = import_upload(actor=coordinator, kind="people", file_name="j", content=content)
    client.force_login(coordinator)
    page = client.get(f"/reports/import/{import_file.pk}/")
    assert page.status_code == 200
    assert 'role="alert"' in page.text


def test_a_file_checked_and_left_loses_its_content_after_a_day(coordinator, site):
    from datetime import timedelta

    from django.utils import timezone

    from services.reports.imports.actions import imports_purge

    import_file = _upload(coordinator, "people", "people_utf16.csv")
    assert imports_purge() == 0
    ImportFile.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    assert imports_purge() == 1 and imports_purge() == 0
    import_file.refresh_from_db()
    assert import_file.state == ImportFile.State.DISCARDED and bytes(import_file.content) == b""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Oui", True),
        ("نعم", True),
        ("بله", True),
        ("بەڵێ", True),
        ("እወ", True),
        ("አዎ", True),
        ("ہاں", True),
        ("non", False),
        ("لا", False),
        ("نه", False),
        ("ኣይፋል", False),
        ("نہیں", False),
    ],
)
def test_yes_and_no_are_read_in_every_language_of_the_app(typed, meant):
    assert yes_no(typed, "consent") is meant


def test_a_word_that_is_neither_yes_nor_no_is_refused_in_words():
    with pytest.raises(DomainError, match="write yes or no"):
        yes_no("maybe", "consent")
