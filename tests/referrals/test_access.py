"""
Who reaches what, for every referral route (screens and API): the medical role all of
it; coordinators statuses and counts without notes; legal and volunteers nothing.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEntry
from services.referrals.actions import workflow
from services.referrals.models import FollowUpTask, Referral

from .conftest import NOTES

REASON = "left for Belgium"


@pytest.fixture
def missed(booked, medical):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    workflow.referral_missed(actor=medical, referral=booked, reason=REASON)
    return booked


def _object_pages(referral, task):
    return [
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:book", args=[referral.pk]),
        reverse("referrals:step_attended", args=[referral.pk]),
        reverse("referrals:step_missed", args=[referral.pk]),
        reverse("referrals:step_declined", args=[referral.pk]),
        reverse("referrals:step_closed", args=[referral.pk]),
        reverse("referrals:followup_done", args=[task.pk]),
    ]


def _object_posts(referral, task):
    return [
        (reverse("referrals:refer", args=[referral.pk]), {"consent": "on"}),
        (reverse("referrals:book", args=[referral.pk]), {"date": "2099-01-01", "time": "10:00"}),
        (reverse("referrals:step_closed", args=[referral.pk]), {"reason": "x"}),
        (reverse("referrals:followup_done", args=[task.pk]), {"note": "x"}),
    ]


def test_the_medical_role_reaches_every_screen_and_sees_notes(client, medical, missed, person):
    task = FollowUpTask.objects.get()
    client.force_login(medical)
    for url in [
        reverse("referrals:home"),
        reverse("referrals:find"),
        reverse("referrals:create", args=[person.code]),
        reverse("referrals:followups"),
        *_object_pages(missed, task),
    ]:
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("referrals:detail", args=[missed.pk])).content.decode()
    assert NOTES in detail and REASON in detail


@pytest.mark.parametrize("role", ["legal", "volunteer", "coordinator"])
def test_other_roles_get_404_for_every_referral_record_and_change_nothing(
    client, request, role, missed
):
    task = FollowUpTask.objects.get()
    client.force_login(request.getfixturevalue(role))
    for url in _object_pages(missed, task):
        assert client.get(url).status_code == 404, url
    for url, data in _object_posts(missed, task):
        assert client.post(url, data).status_code == 404, url
    missed.refresh_from_db()
    task.refresh_from_db()
    assert (missed.status, task.done_at) == ("missed", None)


@pytest.mark.parametrize("role", ["legal", "volunteer"])
def test_legal_and_volunteers_are_refused_the_lists(client, request, role, person):
    client.force_login(request.getfixturevalue(role))
    for url in [
        reverse("referrals:home"),
        reverse("referrals:overview"),
        reverse("referrals:find"),
        reverse("referrals:create", args=[person.code]),
        reverse("referrals:followups"),
    ]:
        assert client.get(url).status_code == 403, url


def test_coordinators_see_counts_and_statuses_but_no_notes_reasons_or_services(
    client, coordinator, missed, person
):
    client.force_login(coordinator)
    assert client.get(reverse("referrals:home")).status_code == 302
    page = client.get(reverse("referrals:overview")).content.decode()
    assert person.code in page and "Missed" in page
    for secret in [NOTES, REASON, "Dental", "PASS Calais", "Rue Leveux"]:
        assert secret not in page
    for url in [reverse("referrals:find"), reverse("referrals:followups")]:
        assert client.get(url).status_code == 403
    listed = AuditEntry.objects.get(action="referral.list", actor=coordinator)
    assert listed.details == {"view": "overview"}
    assert listed.target_id == str(missed.pk)


def test_the_refer_link_on_the_person_page_is_for_the_medical_role_only(
    client, medical, coordinator, volunteer, person
):
    link = reverse("referrals:create", args=[person.code])
    for user, shown in [(medical, True), (coordinator, False), (volunteer, False)]:
        client.force_login(user)
        page = client.get(person.get_absolute_url()).content.decode()
        assert (link in page) is shown, user


API_OBJECT_POSTS = ["refer", "book", "attended", "missed", "decline", "close"]


def test_api_medical_reads_with_notes_and_every_read_is_audited(api_as, medical, missed):
    api = api_as(medical)
    listed = api.get("/api/v1/referrals/")
    assert listed.status_code == 200
    assert listed.data["results"][0]["clinical_notes"] == NOTES
    one = api.get(f"/api/v1/referrals/{missed.pk}/")
    assert one.data["events"][-1]["reason"] == REASON
    follow = api.get("/api/v1/follow-ups/?open=true")
    assert [t["referral"] for t in follow.data["results"]] == [missed.pk]
    actions = list(AuditEntry.objects.filter(actor=medical).values_list("action", flat=True))
    assert actions.count("referral.list") == 2
    assert "referral.read" in actions


def test_api_coordinator_gets_statuses_without_notes(api_as, coordinator, missed):
    api = api_as(coordinator)
    listed = api.get("/api/v1/referrals/")
    one = api.get(f"/api/v1/referrals/{missed.pk}/")
    assert listed.status_code == one.status_code == 200
    assert set(one.data) == {"id", "person", "status", "urgency", "created_at", "updated_at"}
    text = str(listed.data) + str(one.data)
    for secret in [NOTES, REASON, "dental", "Rue Leveux"]:
        assert secret not in text
    assert AuditEntry.objects.filter(
        action="referral.read", actor=coordinator, target_id=str(missed.pk)
    ).exists()
    for name in API_OBJECT_POSTS:
        assert api.post(f"/api/v1/referrals/{missed.pk}/{name}/", {}).status_code == 403
    assert api.post("/api/v1/referrals/", {}).status_code == 403
    assert api.get("/api/v1/follow-ups/").status_code == 403


@pytest.mark.parametrize("role", ["legal", "volunteer"])
def test_api_legal_and_volunteers_get_403_on_every_route(api_as, request, role, missed):
    api = api_as(request.getfixturevalue(role))
    task = FollowUpTask.objects.get()
    gets = [
        "/api/v1/referrals/",
        f"/api/v1/referrals/{missed.pk}/",
        "/api/v1/follow-ups/",
        f"/api/v1/follow-ups/{task.pk}/",
    ]
    for url in gets:
        response = api.get(url)
        assert response.status_code == 403, url
        assert NOTES not in str(response.data)
    posts = [f"/api/v1/referrals/{missed.pk}/{name}/" for name in API_OBJECT_POSTS]
    for url in [*posts, "/api/v1/referrals/", f"/api/v1/follow-ups/{task.pk}/done/"]:
        assert api.post(url, {}).status_code == 403, url


def test_api_unknown_ids_are_404_for_the_medical_role(api_as, medical):
    api = api_as(medical)
    assert api.get("/api/v1/referrals/999/").status_code == 404
    assert api.post("/api/v1/referrals/999/close/", {}).status_code == 404
    assert api.get("/api/v1/follow-ups/999/").status_code == 404


def test_admin_shows_coordinators_statuses_only_and_audits_the_read(client, coordinator, missed):
    client.force_login(coordinator)
    listing = client.get("/admin/referrals/referral/")
    assert listing.status_code == 200
    page = client.get(f"/admin/referrals/referral/{missed.pk}/change/")
    assert page.status_code == 200
    text = listing.content.decode() + page.content.decode()
    for secret in [NOTES, REASON, "Dental", "Rue Leveux"]:
        assert secret not in text
    assert AuditEntry.objects.filter(action="referral.read", actor=coordinator).exists()
    assert AuditEntry.objects.filter(action="referral.list", actor=coordinator).exists()
