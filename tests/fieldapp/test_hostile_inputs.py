"""
Input that once gave a 500, on the screens and in the API: each gets a 4xx that says what
was wrong, in the reader's language, and stores nothing it should not.
"""

import json
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from fieldapp.dates import implausible_date
from services.accounts.roles import Role
from services.legal.models import Appointment
from services.shifts.models import HandoverNote
from tests.casework import test_access_matrix
from tests.casework.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db
world = test_access_matrix.world  # one record of each kind, for every route

LANGUAGES = ["en", "ar"]
NUL_REFUSED = "The request holds a NUL character. Remove it and try again."
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def in_language(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def date_refused(language: str) -> str:
    """The refusal of an implausible date, as the reader sees it."""
    with translation.override(language):
        return implausible_date(date(9999, 12, 31)) or ""


def signed_in(user, language: str) -> APIClient:
    client = APIClient()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def as_role(world, make_user):
    def make(role: str, language: str = "en") -> APIClient:
        return signed_in(make_user(Role(role), username=f"hostile-{role}"), language)

    return make


# -- ids that are not numbers, or too big for the database -------------------------------


def _bad_id_urls(world):
    for name, spec in sorted(ROUTES.items()):
        kwargs = spec.kwargs(world)
        numeric = [key for key, value in kwargs.items() if isinstance(value, int)]
        if not numeric or not (spec.allowed - {"anonymous"}):
            continue
        url = reverse(name, kwargs=kwargs)
        for key in numeric:
            for bad in ["abc", "99999999999999999999", "0"]:
                yield name, spec, url.replace(f"/{kwargs[key]}/", f"/{bad}/", 1)


def test_no_route_answers_500_to_an_id_that_is_not_one(world, make_user):
    """Every URL pattern with a number in it, tried with a word and with a huge number."""
    clients = {}
    failures = []
    for name, spec, url in _bad_id_urls(world):
        role = sorted(spec.allowed - {"anonymous"})[0]
        if role not in clients:
            clients[role] = signed_in(make_user(Role(role), username=f"sweep-{role}"), "en")
        response = getattr(clients[role], spec.method)(url)
        if response.status_code >= 500:
            failures.append(f"{name} {spec.method.upper()} {url}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    ("role", "url", "param"),
    [
        ("coordinator", "/shifts/board/", "site"),
        ("coordinator", "/shifts/today/", "site"),
        ("coordinator", "/shifts/", "site"),
        ("coordinator", "/distributions/manage/conflicts/", "session"),
        ("coordinator", "/distributions/manage/stock/", "site"),
        ("coordinator", "/dashboard/", "site"),
        ("coordinator", "/partners/", "kind"),
        ("medical", "/referrals/", "service"),
        ("legal", "/legal/", "site"),
        ("coordinator", "/api/v1/shifts/", "site"),
        ("coordinator", "/api/v1/shifts/board/", "site"),
        ("coordinator", "/api/v1/checkins/", "session"),
        ("coordinator", "/api/v1/tickets/", "session"),
        ("coordinator", "/api/v1/partner-services/", "partner"),
        ("medical", "/api/v1/referrals/", "service"),
        ("legal", "/api/v1/legal/appointments/", "site"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "1.5"])
def test_a_filter_on_a_record_that_is_not_a_number(as_role, role, url, param, value):
    response = as_role(role).get(url, {param: value})
    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_malformed_checkin_uuid_to_resolve_is_not_found(as_role, language):
    response = as_role("coordinator", language).post(
        "/api/v1/checkins/not-a-uuid/resolve/", {"apply": True, "reason": "ok"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == in_language("Not found.", language)


# -- NUL bytes ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("volunteer", "/people/?q=a%00b"),
        ("volunteer", "/people/a%00b/"),
        ("medical", "/referrals/new/?code=a%00b"),
        ("coordinator", "/team/?q=%00"),
        ("coordinator", "/dashboard/?site=a%00b"),
        ("coordinator", "/admin/people/person/?q=a%00b"),
        ("coordinator", "/admin/accounts/user/?q=%00"),
        ("coordinator", "/reports/donor/?site=1%00&since=2026-01-01&until=2026-01-02"),
    ],
)
def test_a_nul_byte_on_a_page_is_refused_in_words(as_role, role, url, language):
    response = as_role(role, language).get(url)
    assert response.status_code == 400
    assert in_language(NUL_REFUSED, language) in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", ["/api/v1/people/?q=a%00b", "/api/v1/people/a%00b/"])
def test_a_nul_byte_in_an_api_search_is_refused_in_words(as_role, url, language):
    response = as_role("volunteer", language).get(url)
    assert response.status_code == 400
    assert response.json()["detail"] == in_language(NUL_REFUSED, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_nul_byte_in_a_form_is_refused(world, as_role, language):
    response = as_role("legal", language).post(
        reverse("legal:notes", kwargs={"pk": world["appointment"].pk}),
        {"notes": "a\x00b", "outcome_notes": ""},
    )
    assert response.status_code == 400
    assert in_language(NUL_REFUSED, language) in response.content.decode()
    assert "\x00" not in Appointment.objects.get().notes


# -- dates out of any plausible range --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31"])
@pytest.mark.parametrize("view", ["day", "week"])
def test_the_legal_calendar_refuses_an_absurd_date(as_role, language, day, view):
    response = as_role("legal", language).get("/legal/calendar/", {"date": day, "view": view})
    assert response.status_code == 400
    assert date_refused(language) in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_free_slots_refuse_an_absurd_first_day(as_role, language, day):
    response = as_role("legal", language).get(
        "/api/v1/legal/slots/", {"language": "ar", "first": day}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["first"] == [date_refused(language)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_booking_page_refuses_an_absurd_first_day(world, as_role, language):
    response = as_role("legal", language).get(
        "/legal/book/", {"code": world["person"].code, "first": "9999-12-31"}
    )
    assert response.status_code in (200, 400)
    assert date_refused(language) in response.content.decode()


@pytest.mark.parametrize("slot_day", ["9999-12-31T10:00:00+01:00", "1800-01-01T10:00:00+01:00"])
def test_booking_refuses_a_slot_in_an_absurd_year(world, as_role, slot_day):
    advisor, site = world["appointment"].advisor_id, world["site"].pk
    response = as_role("legal").post(
        "/api/v1/legal/appointments/",
        {
            "person": world["person"].code,
            "slot": f"{slot_day}|{advisor}||{site}",
            "case_type": "dublin",
        },
        format="json",
    )
    assert response.status_code == 400
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_planning_a_distribution_refuses_an_absurd_date(world, as_role, language):
    response = as_role("coordinator", language).post(
        "/api/v1/distributions/",
        {
            "site": world["site"].pk,
            "date": "9999-12-31",
            "starts_at": "10:00",
            "ends_at": "12:00",
            "offers": [{"item": world["item"].pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["date"] == [date_refused(language)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31"])
def test_the_distribution_plan_form_refuses_an_absurd_date(world, as_role, language, day):
    response = as_role("coordinator", language).post(
        reverse("distributions_coordinator:session_plan"),
        {"site": world["site"].pk, "date": day, "starts_at": "10:00", "ends_at": "12:00"},
    )
    assert response.status_code in (200, 400)
    assert date_refused(language) in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_list_filter_refuses_an_absurd_date(as_role, language):
    response = as_role("coordinator", language).get("/api/v1/audit-log/", {"since": "9999-12-31"})
    assert response.status_code == 400
    assert response.json()["fields"]["since"] == [date_refused(language)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query",
    [
        {"start": "9999-12-31"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"site": "99999999999999999999"},
    ],
)
def test_the_dashboard_refuses_a_bad_range_or_site_in_words(as_role, language, query):
    response = as_role("coordinator", language).get("/dashboard/", query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_donor_report_refuses_an_absurd_date(world, as_role, language):
    query = {"site": world["site"].pk, "since": "2026-01-01", "until": "9999-12-31"}
    response = as_role("coordinator", language).get("/reports/donor/", query)
    assert response.status_code == 400
    assert date_refused(language) in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "fields",
    [
        {"since": "2026-01-01", "until": "9999-12-31"},
        {"since": "2026-01-01", "until": "2026-01-02", "sites": ["1.5"]},
        {"since": "2026-01-01", "until": "2026-01-02", "sites": ["99999999999999999999"]},
        {"since": "2026-01-01", "until": "2026-01-02", "dataset": "people"},
        {"since": "2026-01-01", "until": "2026-01-02", "file_format": "pdf"},
    ],
)
def test_an_export_refuses_what_is_not_a_choice_in_words(as_role, language, fields):
    data = {"dataset": "stock", "file_format": "csv", **fields}
    response = as_role("coordinator", language).post("/reports/export/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


# -- bodies of the wrong shape ----------------------------------------------------------------


def _checkin(world, items):
    return {
        "uuid": str(uuid.uuid4()),
        "session": world["session"].pk,
        "person": world["person"].code,
        "items": items,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_checkin_items_given_as_names_are_refused(world, as_role, language):
    response = as_role("volunteer", language).post(
        "/api/v1/checkins/", _checkin(world, ["Sleeping bag"]), format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == in_language(
        "Some of what was sent is not valid. See fields.", language
    )


def test_distribution_offers_given_as_names_are_refused(world, as_role):
    response = as_role("coordinator").post(
        "/api/v1/distributions/",
        {
            "site": world["site"].pk,
            "date": "2030-01-02",
            "starts_at": "10:00",
            "ends_at": "12:00",
            "offers": ["Sleeping bag"],
        },
        format="json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_nested_100000_deep_is_refused(as_role, language):
    response = as_role("volunteer", language).post(
        "/api/v1/checkins/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == in_language(
        "The request body is nested too deeply.", language
    )


# -- bidi controls in names and notes ---------------------------------------------------------


def test_legal_notes_from_the_page_lose_their_bidi_controls(world, as_role):
    appointment = world["appointment"]
    client = as_role("legal")
    client.post(
        reverse("legal:notes", kwargs={"pk": appointment.pk}),
        {"notes": f"Dublin{BIDI} case", "outcome_notes": f"{RLO}gpj.exe"},
    )
    appointment.refresh_from_db()
    assert (appointment.notes, appointment.outcome_notes) == ("Dublin case", "gpj.exe")
    page = client.get(reverse("legal:detail", kwargs={"pk": appointment.pk}))
    assert RLO not in page.content.decode()


def test_legal_notes_from_the_api_lose_their_bidi_controls(world, as_role):
    appointment = world["appointment"]
    response = as_role("legal").post(
        f"/api/v1/legal/appointments/{appointment.pk}/notes/",
        {"notes": f"Dublin{BIDI} case", "outcome_notes": f"{RLO}gpj.exe"},
        format="json",
    )
    assert response.status_code == 200
    assert not set(BIDI) & set(json.dumps(response.json(), ensure_ascii=False))
    appointment.refresh_from_db()
    assert (appointment.notes, appointment.outcome_notes) == ("Dublin case", "gpj.exe")


def test_a_handover_note_loses_its_bidi_controls(world, as_role):
    as_role("volunteer").post(
        reverse("shifts:handover"), {"kind": "stock", "text": f"Few {RLO}stnet"}
    )
    assert HandoverNote.objects.filter(text="Few stnet").exists()


def test_a_person_name_from_the_api_is_never_echoed_with_bidi_controls(world, as_role):
    response = as_role("volunteer").post(
        "/api/v1/people/",
        {"name": f"Ali{RLO}nahK", "language": "ar", "home_site": world["site"].pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "AlinahK"
