"""The shifts API: the same rules, selectors and words as the screens, site-scoped lists."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.shifts.actions.shifts import shift_create
from services.shifts.actions.signups import signup_create
from services.shifts.board import week_start
from services.shifts.models import Shift, SignUp

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db


def test_a_volunteer_lists_the_shifts_of_their_sites_only(
    api_as, shift, coordinator, other_site, day, make_user
):
    shift_create(actor=coordinator, site=other_site, plan=plan(day))
    body = api_as(volunteer_on(make_user, "amina")).get("/api/v1/shifts/").json()
    assert [row["id"] for row in body["results"]] == [shift.pk]
    [row] = body["results"]
    assert row["gaps"]["words"].endswith("3 people, 1 driver, no Tigrinya speaker")
    assert row["skills"] == {"driver": 1} and row["languages"] == {"ti": 1}


def test_the_list_reads_a_fixed_number_of_queries(api_as, coordinator, site, day, make_user):
    client = api_as(coordinator)
    first = shift_create(actor=coordinator, site=site, plan=plan(day))
    signup_create(actor=volunteer_on(make_user, "first"), shift=first)
    client.get("/api/v1/shifts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/shifts/")
    for hour in range(8, 14):
        one = shift_create(
            actor=coordinator,
            site=site,
            plan=plan(day, start_time=time(hour), end_time=time(hour, 30), languages={"ar": 1}),
        )
        signup_create(actor=volunteer_on(make_user, f"v{hour}", speaks={"ar": "fluent"}), shift=one)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/shifts/").json()["results"]) == 7
    assert len(many) == len(few)


def test_a_shift_of_another_site_is_not_found(api_as, coordinator, other_site, day, make_user):
    elsewhere = shift_create(actor=coordinator, site=other_site, plan=plan(day))
    response = api_as(volunteer_on(make_user, "amina")).get(f"/api/v1/shifts/{elsewhere.pk}/")
    assert response.status_code == 404


def test_a_coordinator_plans_a_shift_and_bad_input_gets_words(api_as, coordinator, site, day):
    client = api_as(coordinator)
    data = {
        "site": site.pk,
        "task": "distribution",
        "day": day.isoformat(),
        "start_time": "14:15",
        "end_time": "16:45",
        "people_needed": 4,
        "skills": {"driver": 1},
        "languages": {"ti": 1, "om": 1},
    }
    response = client.post("/api/v1/shifts/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["languages"] == {"om": 1, "ti": 1}
    for change, field in [
        ({"end_time": "13:00"}, "end_time"),
        ({"people_needed": 0}, "people_needed"),
        ({"skills": {"driver": -1}}, "skill_driver"),
    ]:
        response = client.post("/api/v1/shifts/", {**data, **change}, format="json")
        assert response.status_code == 400
        assert response.json()["fields"][field], response.json()
    assert Shift.objects.count() == 1


def test_a_volunteer_cannot_plan_through_the_api(api_as, site, day, make_user):
    data = {
        "site": site.pk,
        "task": "distribution",
        "day": day.isoformat(),
        "start_time": "14:15",
        "end_time": "16:45",
        "people_needed": 4,
    }
    response = api_as(volunteer_on(make_user, "amina")).post("/api/v1/shifts/", data, format="json")
    assert response.status_code == 403


def test_editing_through_the_api(api_as, shift, coordinator, day):
    response = api_as(coordinator).patch(
        f"/api/v1/shifts/{shift.pk}/",
        {
            "task": "kitchen",
            "day": day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "people_needed": 2,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["task"] == "kitchen" and response.json()["skills"] == {}


def test_signing_up_withdrawing_and_a_full_shift_through_the_api(
    api_as, coordinator, site, day, make_user
):
    one = shift_create(actor=coordinator, site=site, plan=plan(day, people_needed=1))
    amina = api_as(volunteer_on(make_user, "amina"))
    response = amina.post("/api/v1/signups/", {"shift": one.pk}, format="json")
    assert response.status_code == 201
    signup_id = response.json()["id"]
    response = api_as(volunteer_on(make_user, "yonas")).post(
        "/api/v1/signups/", {"shift": one.pk}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "full"
    response = amina.post(f"/api/v1/signups/{signup_id}/withdraw/")
    assert response.status_code == 200 and response.json()["withdrawn_at"]


def test_a_coordinator_puts_someone_on_and_sees_who_could(api_as, shift, coordinator, make_user):
    tesfay = volunteer_on(make_user, "tesfay", speaks={"ti": "native"})
    client = api_as(coordinator)
    ranked = client.get(f"/api/v1/shifts/{shift.pk}/candidates/").json()
    assert ranked[0]["username"] == "tesfay" and ranked[0]["brings"] == ["Tigrinya"]
    response = client.post(
        "/api/v1/signups/", {"shift": shift.pk, "user": tesfay.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["user"] == tesfay.pk


def test_one_sees_ones_own_sign_ups_and_the_lead_sees_the_phones(api_as, shift, make_user):
    amina = volunteer_on(make_user, "amina", phone="+33612345678")
    yonas = volunteer_on(make_user, "yonas")
    signup_create(actor=amina, shift=shift)
    signup_create(actor=yonas, shift=shift)
    mine = api_as(yonas).get("/api/v1/signups/").json()["results"]
    assert [row["username"] for row in mine] == ["yonas"] and mine[0]["phone"] is None
    lead = api_as(volunteer_on(make_user, "lead", skills=["team_lead"]))
    rows = lead.get("/api/v1/signups/").json()["results"]
    assert {row["username"]: row["phone"] for row in rows} == {
        "amina": "+33612345678",
        "yonas": None,
    }


def test_the_board_through_the_api(api_as, shift, coordinator, site, day):
    body = (
        api_as(coordinator)
        .get("/api/v1/shifts/board/", {"site": site.pk, "week": day.isoformat()})
        .json()
    )
    assert body["first"] == week_start(day).isoformat()
    assert [len(d["shifts"]) for d in body["days"]] == [0, 1, 0, 0, 0, 0, 0]
    assert body["gaps"] == ["Tue 14:15: 3 people, 1 driver, no Tigrinya speaker"]


def test_the_board_of_an_unknown_site_is_not_found(api_as, coordinator):
    response = api_as(coordinator).get("/api/v1/shifts/board/", {"site": 999999})
    assert response.status_code == 404


def test_copying_a_week_through_the_api(api_as, shift, coordinator, site, day):
    response = api_as(coordinator).post(
        "/api/v1/shifts/copy/",
        {
            "site": site.pk,
            "from_day": week_start(day).isoformat(),
            "to_day": (week_start(day) + timedelta(days=7)).isoformat(),
            "days": 7,
        },
        format="json",
    )
    assert response.status_code == 200
    assert len(response.json()["created"]) == 1 and response.json()["skipped"] == []


def test_cancelling_through_the_api_needs_a_reason(api_as, shift, coordinator):
    client = api_as(coordinator)
    response = client.post(f"/api/v1/shifts/{shift.pk}/cancel/", {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["fields"]["reason"]
    response = client.post(f"/api/v1/shifts/{shift.pk}/cancel/", {"reason": "Storm"})
    assert response.status_code == 200 and response.json()["cancel_reason"] == "Storm"


def test_marking_arrived_through_the_api(api_as, shift, make_user):
    signup = signup_create(actor=volunteer_on(make_user, "amina"), shift=shift)
    lead = api_as(volunteer_on(make_user, "lead", skills=["team_lead"]))
    with mock.patch("django.utils.timezone.now", return_value=shift.starts_at):
        response = lead.post(f"/api/v1/signups/{signup.pk}/arrived/", {"arrived": True})
    assert response.status_code == 200 and response.json()["arrived_at"]
    assert SignUp.objects.get().arrival_marked_by.username == "lead"


def test_the_schema_documents_the_shifts_api(client, volunteer):
    client.force_login(volunteer)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "paths"
    ]
    for path in (
        "/api/v1/shifts/",
        "/api/v1/shifts/{id}/",
        "/api/v1/shifts/board/",
        "/api/v1/shifts/copy/",
        "/api/v1/shifts/{id}/cancel/",
        "/api/v1/shifts/{id}/candidates/",
        "/api/v1/signups/",
        "/api/v1/signups/{id}/withdraw/",
        "/api/v1/signups/{id}/arrived/",
    ):
        assert path in paths, path
