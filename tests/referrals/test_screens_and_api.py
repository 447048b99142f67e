"""Referring and booking on the phone screens and the API, including bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from services.messaging.models import Message
from services.referrals.models import Referral, ReferralEvent

from .conftest import NOTES, in_days


def _form(medical_service, site, **overrides):
    return {
        "service": medical_service.pk,
        "urgency": "urgent",
        "reason_category": "dental",
        "clinical_notes": NOTES,
        "interpreter_language": "ti",
        "site": site.pk,
        "consent": "on",
        "refer": "1",
    } | overrides


def test_a_medical_volunteer_refers_from_a_card_code_and_books(
    client, medical, person, medical_service, site
):
    client.force_login(medical)
    found = client.get(reverse("referrals:find"), {"code": person.code.lower()})
    assert found.url == reverse("referrals:create", args=[person.code])
    created = client.post(found.url, _form(medical_service, site))
    referral = Referral.objects.get()
    assert created.url == reverse("referrals:detail", args=[referral.pk])
    assert (referral.status, referral.interpreter_language, referral.consent_by) == (
        "referred",
        "ti",
        medical,
    )
    day = in_days(2).date().isoformat()
    booked = client.post(
        reverse("referrals:book", args=[referral.pk]),
        {"date": day, "time": "14:30", "place": "", "interpreter": "none"},
    )
    assert booked.status_code == 302
    referral.refresh_from_db()
    local = timezone.localtime(referral.appointment_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (day, "14:30")
    assert referral.appointment_place == "Rue Leveux 11"
    assert Message.objects.filter(idempotency_key__startswith=f"referral:{referral.pk}:").count()


def test_an_unknown_code_says_so(client, medical):
    client.force_login(medical)
    response = client.get(reverse("referrals:find"), {"code": "ZZZ-ZZZ"})
    assert "No person has the code ZZZ-ZZZ." in response.content.decode()


def test_referring_without_consent_shows_the_rule_and_writes_nothing(
    client, medical, person, medical_service, site
):
    client.force_login(medical)
    data = _form(medical_service, site)
    del data["consent"]
    response = client.post(reverse("referrals:create", args=[person.code]), data)
    assert response.status_code == 200
    assert "No consent, no referral" in response.content.decode()
    assert not Referral.objects.exists()
    assert not ReferralEvent.objects.exists()


def test_without_consent_it_can_be_saved_as_a_draft(client, medical, person, medical_service, site):
    client.force_login(medical)
    data = _form(medical_service, site, refer="0")
    del data["consent"]
    client.post(reverse("referrals:create", args=[person.code]), data)
    assert Referral.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"service": "999"}, "Choose one of the listed options."),
        ({"urgency": ""}, "Choose how urgent it is."),
        ({"reason_category": "tattoo"}, "Choose one of the listed options."),
    ],
)
def test_bad_referral_input_is_refused_with_a_message(
    client, medical, person, medical_service, site, change, field_error
):
    client.force_login(medical)
    response = client.post(
        reverse("referrals:create", args=[person.code]), _form(medical_service, site, **change)
    )
    assert field_error in response.content.decode()
    assert not Referral.objects.exists()


def test_a_legal_service_is_not_offered_and_refused(
    client, medical, person, medical_service, legal_service, site
):
    client.force_login(medical)
    page = client.get(reverse("referrals:create", args=[person.code])).content.decode()
    assert "Asylum advice" not in page
    response = client.post(
        reverse("referrals:create", args=[person.code]),
        _form(medical_service, site, service=legal_service.pk),
    )
    assert "Choose one of the listed options." in response.content.decode()
    assert not Referral.objects.exists()


def test_booking_in_the_past_shows_the_error_on_the_date(client, medical, referral):
    client.force_login(medical)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("referrals:book", args=[referral.pk]),
        {"date": yesterday, "time": "10:00", "interpreter": "none"},
    )
    assert "The appointment must be in the future." in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, Message.objects.count()) == ("referred", 0)


def test_missed_without_a_reason_is_refused_on_the_screen(client, medical, booked):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    client.force_login(medical)
    response = client.post(reverse("referrals:step_missed", args=[booked.pk]), {"reason": ""})
    assert "Give a reason." in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_the_error_is_in_the_users_language(client, medical, person, medical_service, site):
    medical.language = "fr"
    medical.save()
    client.force_login(medical)
    data = _form(medical_service, site)
    del data["consent"]
    client.cookies["django_language"] = "fr"
    response = client.post(reverse("referrals:create", args=[person.code]), data)
    with translation.override("fr"):
        expected = translation.gettext(
            "No consent, no referral: the person must agree to share this with the partner first."
        )
    assert expected in response.content.decode()


def test_follow_up_marked_done_on_the_screen(client, medical, booked):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    client.force_login(medical)
    client.post(reverse("referrals:step_missed", args=[booked.pk]), {"reason": "not there"})
    task = booked.follow_ups.get()
    assert booked.person.code in client.get(reverse("referrals:followups")).content.decode()
    client.post(reverse("referrals:followup_done", args=[task.pk]), {"note": "seen at camp"})
    task.refresh_from_db()
    assert (task.done_by, task.note) == (medical, "seen at camp")


# API


def _api_body(who, medical_service, site, **overrides):
    return {
        "person": who.code,
        "service": medical_service.pk,
        "site": site.pk,
        "urgency": "routine",
        "reason_category": "skin",
        "clinical_notes": NOTES,
        "consent": True,
    } | overrides


def test_api_refer_book_reschedule_and_close(api_as, medical, person, medical_service, site):
    api = api_as(medical)
    created = api.post(
        "/api/v1/referrals/", _api_body(person, medical_service, site), format="json"
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert (created.data["status"], created.data["clinical_notes"]) == ("referred", NOTES)
    starts = in_days(3).isoformat()
    booked = api.post(f"/api/v1/referrals/{pk}/book/", {"starts_at": starts}, format="json")
    assert booked.data["status"] == "booked"
    moved = api.post(
        f"/api/v1/referrals/{pk}/book/", {"starts_at": in_days(4).isoformat()}, format="json"
    )
    assert moved.status_code == 200
    assert Message.objects.filter(status="pending").count() == 2
    closed = api.post(f"/api/v1/referrals/{pk}/close/", {}, format="json")
    assert closed.data["status"] == "closed"
    assert Message.objects.filter(status="pending").count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service": 999}, "service"),
        ({"consent": False}, "consent"),
        ({"person": "ZZZ-ZZZ"}, "person"),
        ({"urgency": "soon"}, "urgency"),
    ],
)
def test_api_bad_referral_input_is_a_400_with_the_field_and_nothing_written(
    api_as, medical, person, medical_service, site, change, field
):
    response = api_as(medical).post(
        "/api/v1/referrals/", _api_body(person, medical_service, site, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.data["fields"]
    assert not Referral.objects.exists()


def test_api_refuses_a_legal_service(api_as, medical, person, medical_service, legal_service, site):
    response = api_as(medical).post(
        "/api/v1/referrals/",
        _api_body(person, medical_service, site, service=legal_service.pk),
        format="json",
    )
    assert response.status_code == 400
    assert response.data["code"] == "not_medical"
    assert not Referral.objects.exists()


def test_api_past_booking_and_missing_reason_are_400(api_as, medical, booked):
    api = api_as(medical)
    past = (timezone.now() - timedelta(hours=2)).isoformat()
    response = api.post(f"/api/v1/referrals/{booked.pk}/book/", {"starts_at": past}, format="json")
    assert (response.status_code, response.data["fields"]) == (
        400,
        {"starts_at": ["The appointment must be in the future."]},
    )
    declined = api.post(f"/api/v1/referrals/{booked.pk}/decline/", {}, format="json")
    assert (declined.status_code, declined.data["fields"]) == (400, {"reason": ["Give a reason."]})
    refused = api.post(f"/api/v1/referrals/{booked.pk}/refer/", {"consent": True}, format="json")
    assert refused.status_code == 400 and refused.data["code"] == "not_allowed"


def test_a_card_code_with_a_nul_byte_is_refused_in_the_api(api_as, medical, medical_service, site):
    response = api_as(medical).post(
        "/api/v1/referrals/",
        {
            "person": "AB\x00C",
            "service": medical_service.pk,
            "site": site.pk,
            "urgency": "routine",
            "reason_category": "other",
            "consent": True,
        },
        format="json",
    )

    assert response.status_code == 400 and "person" in response.json()["fields"]
    assert not Referral.objects.exists()
