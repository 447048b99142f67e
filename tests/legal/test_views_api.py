"""The legal screens, API and iCal feed: who sees what, bad input, and the audit of reads."""

from datetime import time

import pytest
from django.urls import reverse
from icalendar import Calendar

from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.legal.models import Appointment
from services.scheduling.actions import calendar_feed_renew
from services.scheduling.models import Availability, SlotHold
from services.scheduling.slots import slots_offer

API = "/api/v1/legal/appointments/"


@pytest.fixture
def users(make_user, advisor, interpreter):
    return {
        "legal": advisor,
        "coordinator": make_user(Role.COORDINATOR),
        "interpreter": interpreter,
        "volunteer": make_user(Role.VOLUNTEER, "plain"),
        "medical": make_user(Role.MEDICAL),
    }


def signed_in(client, user):
    client.force_login(user)
    return client


PAGES = ["legal:home", "legal:calendar", "legal:availability", "legal:book"]
EXPECTED_PAGES = {
    "legal": {
        "legal:home": 200,
        "legal:calendar": 200,
        "legal:availability": 200,
        "legal:book": 200,
    },
    "coordinator": {"legal:book": 403},
    "interpreter": {"legal:book": 403},
    "volunteer": {"legal:book": 403},
    "medical": {"legal:book": 403},
}


@pytest.mark.parametrize("role", list(EXPECTED_PAGES))
def test_who_may_open_each_legal_page(client, users, booked, role):
    signed_in(client, users[role])
    for page in PAGES:
        expected = EXPECTED_PAGES[role].get(page, 200)
        assert client.get(reverse(page)).status_code == expected, (role, page)


def test_a_user_with_no_role_gets_nothing(client, db, booked):
    from services.accounts.models import User

    nobody = User.objects.create_user("nobody", password="x-long-password-1")
    signed_in(client, nobody)
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 403
    assert client.get(reverse("legal:detail", args=[booked.pk])).status_code == 403


# Appointment detail: FULL sees notes and case type, STATUS the status only, the
# interpreter their own booking, anyone else a 404 (the id says nothing).
@pytest.mark.parametrize(
    "role, status, shows, hides",
    [
        ("legal", 200, ["Dublin procedure", "Italy", "Booked"], []),
        ("coordinator", 200, ["Booked", "advisor"], ["Dublin", "Italy"]),
        ("interpreter", 200, ["10:00"], ["Dublin", "Italy", "Booked"]),
        ("volunteer", 404, [], ["Dublin", "Italy"]),
        ("medical", 404, [], ["Dublin", "Italy"]),
    ],
)
def test_appointment_detail_per_role(client, users, booked, role, status, shows, hides):
    signed_in(client, users[role])
    response = client.get(reverse("legal:detail", args=[booked.pk]))
    assert response.status_code == status
    text = response.content.decode()
    for word in shows:
        assert word in text, word
    for word in hides:
        assert word not in text, word


@pytest.mark.parametrize("role", ["coordinator", "interpreter", "volunteer", "medical"])
def test_only_the_legal_role_changes_an_appointment(client, users, booked, role):
    signed_in(client, users[role])
    for url, data in [
        (reverse("legal:status", args=[booked.pk]), {"status": "cancelled"}),
        (reverse("legal:notes", args=[booked.pk]), {"notes": "x", "outcome_notes": "y"}),
    ]:
        assert client.post(url, data).status_code in (403, 404)
    booked.refresh_from_db()
    assert booked.status == "booked" and booked.notes.startswith("Fingerprinted")


@pytest.mark.parametrize(
    "role, list_status, detail_status, fields",
    [
        ("legal", 200, 200, {"case_type", "notes", "outcome_notes", "status"}),
        ("coordinator", 200, 200, {"status"}),
        ("interpreter", 200, 200, {"starts_at", "place", "language", "person"}),
        ("volunteer", 200, 404, None),
        ("medical", 200, 404, None),
    ],
)
def test_api_per_role(api_as, users, booked, role, list_status, detail_status, fields):
    client = api_as(users[role])
    listed = client.get(API)
    assert listed.status_code == list_status
    detail = client.get(f"{API}{booked.pk}/")
    assert detail.status_code == detail_status
    if fields is not None:
        assert fields <= set(detail.json())
        if role != "legal":
            assert not {"case_type", "notes", "outcome_notes"} & set(detail.json())
        if role == "interpreter":
            assert "status" not in detail.json()
    else:
        assert listed.json()["results"] == []


def test_api_for_no_role_and_anonymous(api_as, api_client, db, booked):
    from services.accounts.models import User

    nobody = User.objects.create_user("nobody", password="x-long-password-1")
    assert api_as(nobody).get(API).status_code == 403
    assert api_client.get(API).status_code == 401


@pytest.mark.parametrize("role", ["coordinator", "interpreter", "volunteer", "medical"])
def test_api_changes_and_slots_are_for_the_legal_role_only(api_as, users, booked, role, day):
    client = api_as(users[role])
    assert client.get("/api/v1/legal/slots/", {"language": "ar"}).status_code == 403
    for path, data in [
        ("status/", {"status": "cancelled"}),
        ("notes/", {"notes": "", "outcome_notes": ""}),
        ("reschedule/", {"slot": "x"}),
    ]:
        assert client.post(f"{API}{booked.pk}/{path}", data).status_code in (403, 404)
    assert client.post(API, {}).status_code == 403


def test_booking_through_the_api_then_again_is_a_409(api_as, advisor, interpreter, person, day):
    client = api_as(advisor)
    slots = client.get(
        "/api/v1/legal/slots/", {"language": "ar", "first": day.isoformat(), "days": 1}
    )
    assert slots.status_code == 200
    first = slots.json()[0]
    assert first["advisor"] == "advisor" and first["interpreter"] == "interpreter"
    body = {"person": person.code, "slot": first["key"], "case_type": "family_reunion_uk"}
    made = client.post(API, body)
    assert made.status_code == 201, made.json()
    assert made.json()["language"] == "ar" and made.json()["case_type"] == "family_reunion_uk"
    again = client.post(API, body)
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"person": "ZZZ-ZZZ"}, "person"),
        ({"slot": "not a slot"}, "slot"),
        ({"case_type": "immigration_status"}, "case_type"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_booking_input_is_a_400_naming_the_field(
    api_as, advisor, interpreter, person, day, change, field
):
    slot = slots_offer(language="ar", first=day, days=1)[0]
    body = {"person": person.code, "slot": slot.key, "case_type": "dublin", **change}
    response = api_as(advisor).post(API, body)
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not Appointment.objects.exists() and not SlotHold.objects.exists()


def test_a_slot_the_advisor_does_not_have_is_not_offered(api_as, advisor, person, site, day):
    key = slots_offer(language="fr", first=day, days=1)[0].key.replace("T09:00", "T15:00")
    response = api_as(advisor).post(
        API, {"person": person.code, "slot": key, "case_type": "other", "language": "fr"}
    )
    assert response.status_code == 400 and response.json()["code"] == "not_offered"


def test_transitions_through_the_api(api_as, advisor, booked):
    client = api_as(advisor)
    ok = client.post(f"{API}{booked.pk}/status/", {"status": "confirmed"})
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    early = client.post(f"{API}{booked.pk}/status/", {"status": "attended"})
    assert early.status_code == 400 and early.json()["code"] == "not_started"


def test_reads_are_audited_with_ids_and_no_note_text(api_as, client, advisor, booked):
    api_as(advisor).get(f"{API}{booked.pk}/")
    api_as(advisor).get(API)
    signed_in(client, advisor).get(reverse("legal:detail", args=[booked.pk]))
    reads = AuditEntry.objects.filter(action="legal.appointment.read", actor=advisor)
    assert reads.count() == 2 and reads.first().target_id == str(booked.pk)
    listed = AuditEntry.objects.get(action="legal.appointment.list", actor=advisor)
    assert listed.target_id == str(booked.pk) and listed.details == {"view": "api"}
    assert "Italy" not in str(list(AuditEntry.objects.values_list("details", flat=True)))


def test_booking_on_the_phone_screen(client, advisor, interpreter, person, day):
    signed_in(client, advisor)
    page = client.get(reverse("legal:book"), {"code": person.code, "first": day.isoformat()})
    assert page.status_code == 200
    text = page.content.decode()
    assert "interpreter" in text and "10:00" in text
    key = slots_offer(language="ar", first=day, days=1)[2].key
    url = f"{reverse('legal:book')}?code={person.code}&first={day.isoformat()}"
    response = client.post(
        url, {"slot": key, "case_type": "asylum_france", "notes": "Arrived May."}
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response["Location"] == appointment.get_absolute_url()
    assert appointment.interpreter == interpreter and appointment.language == "ar"


def test_booking_screen_errors_are_shown_and_nothing_is_written(
    client, advisor, interpreter, person, day
):
    signed_in(client, advisor)
    unknown = client.get(reverse("legal:book"), {"code": "ZZZ-ZZZ"})
    assert "No person has the code" in unknown.content.decode()
    url = f"{reverse('legal:book')}?code={person.code}&first={day.isoformat()}"
    response = client.post(url, {"slot": "bogus", "case_type": ""})
    assert response.status_code == 400
    assert "not offered any more" in response.content.decode()
    assert not Appointment.objects.exists()


def test_availability_screen_adds_languages_and_interpreting_times(client, users, site, day):
    volunteer = users["volunteer"]
    signed_in(client, volunteer)
    client.post(reverse("legal:language_add"), {"language": "ti", "level": "native"})
    assert SpokenLanguage.objects.filter(user=volunteer, language="ti").exists()
    bad = client.post(
        reverse("legal:availability_add"),
        {
            "role": "interpreter",
            "repeat": "weekly",
            "weekday": "2",
            "start_time": "09:10",
            "end_time": "11:00",
            "site": site.pk,
        },
    )
    assert bad.status_code == 400 and "half past" in bad.content.decode()
    advisor_row = client.post(
        reverse("legal:availability_add"),
        {
            "role": "advisor",
            "repeat": "weekly",
            "weekday": "2",
            "start_time": "09:00",
            "end_time": "11:00",
        },
    )
    assert advisor_row.status_code == 400  # not a legal user: advisor is not a choice
    good = client.post(
        reverse("legal:availability_add"),
        {
            "role": "interpreter",
            "repeat": "once",
            "date": day.isoformat(),
            "start_time": "14:00",
            "end_time": "16:00",
        },
    )
    assert good.status_code == 302
    row = Availability.objects.get(user=volunteer)
    assert row.date == day and row.site is None and row.start_time == time(14)


def test_someone_elses_availability_cannot_be_removed(client, users, advisor):
    row = advisor.availability.first()
    signed_in(client, users["interpreter"])
    assert client.post(reverse("legal:availability_remove", args=[row.pk])).status_code == 404
    assert Availability.objects.filter(pk=row.pk).exists()


def test_the_ical_feed_needs_the_right_token_and_hides_the_case(
    client, advisor, interpreter, booked
):
    feed = calendar_feed_renew(actor=interpreter)
    response = client.get(reverse("legal:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert booked.person.code in str(event["SUMMARY"]) and booked.site.name in str(
        event["LOCATION"]
    )
    assert event.decoded("DTSTART") == booked.starts_at
    text = response.content.decode()
    assert "Dublin" not in text and "dublin" not in text and "Italy" not in text
    assert client.get(reverse("legal:feed", args=["wrong-token"])).status_code == 404
    renewed = calendar_feed_renew(actor=interpreter)
    assert client.get(reverse("legal:feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("legal:feed", args=[renewed.token])).status_code == 200
    feed_reads = AuditEntry.objects.filter(
        action="legal.appointment.list", actor=interpreter, details={"view": "ical"}
    )
    assert [entry.target_id for entry in feed_reads] == [str(booked.pk)] * 2


def test_calendar_day_and_week(client, users, booked, day):
    signed_in(client, users["interpreter"])
    week = client.get(reverse("legal:calendar"), {"date": day.isoformat(), "view": "week"})
    assert booked.person.code in week.content.decode() and "Dublin" not in week.content.decode()
    signed_in(client, users["legal"])
    one_day = client.get(reverse("legal:calendar"), {"date": day.isoformat()})
    assert "Dublin procedure" in one_day.content.decode()
    signed_in(client, users["volunteer"])
    assert (
        booked.person.code
        not in client.get(reverse("legal:calendar"), {"date": day.isoformat()}).content.decode()
    )


def test_upcoming_for_a_person_gives_time_and_place_only(booked):
    from services.legal.selectors import appointments_upcoming_for_person

    assert appointments_upcoming_for_person(booked.person) == [(booked.starts_at, booked.site.name)]


def test_person_page_links_to_booking_for_the_legal_role_only(client, users, person):
    url = person.get_absolute_url()
    assert reverse("legal:book") in signed_in(client, users["legal"]).get(url).content.decode()
    assert (
        reverse("legal:book")
        not in signed_in(client, users["coordinator"]).get(url).content.decode()
    )


def test_booking_with_nothing_chosen_says_what_is_missing(client, advisor, interpreter, person):
    from django.urls import reverse

    from services.legal.models import Appointment

    client.force_login(advisor)
    page = client.post(f"{reverse('legal:book')}?code={person.code}", {})
    assert page.status_code == 400
    assert "Choose one from the list." in page.text
    assert not Appointment.objects.exists()
