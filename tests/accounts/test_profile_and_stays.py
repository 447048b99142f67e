"""
A volunteer's profile page, and the end of their stay: the account is refused from the
day after departure, switched off by the hourly task (audited, nothing more sent), and
opened again when a coordinator extends the stay.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fieldapp.errors import DomainError
from services.accounts.actions.invitations import invitation_create
from services.accounts.actions.stays import user_stay_extend, users_deactivate_departed
from services.accounts.models import User
from services.accounts.tasks import accounts_deactivate_departed
from services.audit.models import AuditEntry
from services.messaging.actions.schedule import message_schedule
from services.messaging.models import Message
from services.messaging.sms_templates import Kind

TODAY = timezone.localdate
PASSWORD = "a-long-test-password-1"


def profile_form(**overrides):
    data = {
        "phone": "06 12 34 56 78",
        "email": "",
        "notify_by": "sms",
        "language": "ar",
        "arrives_on": TODAY().isoformat(),
        "leaves_on": (TODAY() + timedelta(days=5)).isoformat(),
        "spoken_ar": "working",
        "spoken_om": "basic",
        "skills": ["kitchen"],
    }
    data.update(overrides)
    return data


def test_a_volunteer_keeps_their_profile_up_to_date_on_one_page(client, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:profile"), profile_form())
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert str(volunteer.phone) == "+33612345678" and volunteer.language == "ar"
    assert dict(volunteer.spoken_languages.values_list("language", "level")) == {
        "ar": "working",
        "om": "basic",
    }
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    client.post(reverse("accounts:profile"), profile_form(spoken_ar="fluent", spoken_om=""))
    assert dict(volunteer.spoken_languages.values_list("language", "level")) == {"ar": "fluent"}
    assert AuditEntry.objects.filter(action="user.profile_update", actor=volunteer).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"notify_by": "email", "email": ""}, "email", "Give an e-mail address"),
        ({"email": "not-an-address"}, "email", "not an e-mail address"),
        ({"leaves_on": "2001-01-01"}, "leaves_on", "The departure date is in the past."),
        ({"language": "xx"}, "language", "Choose a language from the list."),
        ({"notify_by": "pigeon"}, "notify_by", "Choose SMS or e-mail."),
    ],
)
def test_bad_input_on_the_profile_gets_a_clear_error_and_nothing_changes(
    client, volunteer, overrides, field, message
):
    client.force_login(volunteer)
    response = client.post(reverse("accounts:profile"), profile_form(**overrides))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    volunteer.refresh_from_db()
    assert not volunteer.phone and not volunteer.spoken_languages.exists()


def test_the_legal_language_screen_still_works(client, volunteer):
    client.force_login(volunteer)
    client.post(reverse("legal:language_add"), {"language": "fa", "level": "fluent"})
    assert volunteer.spoken_languages.filter(language="fa").exists()


def departed(user, days_ago=1):
    User.objects.filter(pk=user.pk).update(leaves_on=TODAY() - timedelta(days=days_ago))
    user.refresh_from_db()
    return user


def test_from_the_day_after_departure_nothing_is_allowed_before_the_task_runs(client, volunteer):
    token = Token.objects.create(user=volunteer)
    client.force_login(volunteer)
    User.objects.filter(pk=volunteer.pk).update(leaves_on=TODAY())
    assert client.get(reverse("people:list")).status_code == 200  # their last day
    departed(volunteer)
    assert not volunteer.has_perm("people.view_person")
    assert client.get(reverse("people:list")).status_code == 302  # signed out
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/people/").status_code in (401, 403)
    other = client.post(reverse("login"), {"username": "volunteer", "password": PASSWORD})
    assert other.status_code == 200 and "do not match" in other.content.decode()


def test_the_task_switches_off_departed_accounts_once_and_cancels_their_messages(
    volunteer, coordinator
):
    volunteer.email = "v@example.org"
    volunteer.save()
    message = message_schedule(
        key="shift:1",
        kind=Kind.SHIFT_REMINDER,
        user=volunteer,
        context={"date": "1/1", "time": "9:00", "place": "Hall"},
    )
    departed(volunteer)
    User.objects.filter(pk=coordinator.pk).update(leaves_on=TODAY())  # leaves today: stays
    assert accounts_deactivate_departed() == 1
    assert accounts_deactivate_departed() == 0
    volunteer.refresh_from_db()
    coordinator.refresh_from_db()
    assert not volunteer.is_active and volunteer.left_at is not None and coordinator.is_active
    message.refresh_from_db()
    assert message.status == Message.Status.CANCELLED
    entry = AuditEntry.objects.get(action="user.departed")
    assert entry.actor is None and entry.target_id == str(volunteer.pk)


def test_beat_runs_the_departures_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-departures"]
    assert entry["task"] == "services.accounts.tasks.accounts_deactivate_departed"
    assert entry["schedule"] <= 60 * 60


def test_a_coordinator_extends_a_stay_and_the_account_opens_again(client, coordinator, volunteer):
    departed(volunteer, days_ago=2)
    users_deactivate_departed()
    client.force_login(coordinator)
    later = TODAY() + timedelta(days=7)
    response = client.post(
        reverse("accounts:stay_extend", args=[volunteer.pk]), {"leaves_on": later.isoformat()}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.is_active and volunteer.left_at is None and volunteer.leaves_on == later
    entry = AuditEntry.objects.get(action="user.stay_extend")
    assert entry.actor == coordinator and set(entry.details["fields"]) >= {"leaves_on"}


def test_extending_does_not_switch_on_an_account_switched_off_for_another_reason(
    coordinator, volunteer
):
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    user_stay_extend(actor=coordinator, user=volunteer, leaves_on=TODAY() + timedelta(days=3))
    volunteer.refresh_from_db()
    assert not volunteer.is_active


def test_only_a_coordinator_extends_and_never_into_the_past(client, coordinator, volunteer):
    with pytest.raises(PermissionDenied):
        user_stay_extend(actor=volunteer, user=volunteer, leaves_on=TODAY())
    with pytest.raises(DomainError, match="in the past"):
        user_stay_extend(actor=coordinator, user=volunteer, leaves_on=TODAY() - timedelta(days=1))
    client.force_login(coordinator)
    response = client.post(reverse("accounts:stay_extend", args=[volunteer.pk]), {"leaves_on": ""})
    assert response.status_code == 400
    assert "Choose the new departure date." in response.content.decode()


def test_the_team_pages_list_who_is_here_and_who_has_left(client, coordinator, volunteer, site):
    volunteer.first_name = "Amina"
    volunteer.save()
    invited = invitation_create(
        actor=coordinator, email="new@example.org", role="volunteer", sites=[site], base_url="/"
    ).invitation.user
    client.force_login(coordinator)
    for left in ("", "?left=1"):  # an invited account is neither here nor gone
        page = client.get(reverse("accounts:team") + left).content.decode()
        assert invited.username not in page and "1 invitation waiting" in page
    here = client.get(reverse("accounts:team")).content.decode()
    assert "Amina" in here
    departed(volunteer)
    assert "Amina" not in client.get(reverse("accounts:team")).content.decode()
    assert "Amina" in client.get(reverse("accounts:team") + "?left=1").content.decode()
    page = client.get(reverse("accounts:team_member", args=[volunteer.pk])).content.decode()
    assert "Closed: the stay has ended" in page


def test_only_coordinators_see_the_team(client, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("accounts:team")).status_code == 403
    assert client.get(reverse("accounts:team_member", args=[volunteer.pk])).status_code == 403
