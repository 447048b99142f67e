"""Sessions end after a while without activity, sooner for the roles that read notes."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def at(minutes: float):
    """Make the request `minutes` from now (the session store reads timezone.now)."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes)
    )


def signed_in(client, minutes: float) -> bool:
    with at(minutes):
        return client.get(reverse("home")).status_code == 200


def test_a_medical_session_ends_after_30_idle_minutes_and_the_sign_in_page_says_why(
    client, medical
):
    client.force_login(medical)
    assert signed_in(client, 0)
    assert signed_in(client, 29)
    assert not signed_in(client, 29 + 31)
    page = client.get(reverse("login")).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert "without activity" not in client.get(reverse("login")).content.decode()


def test_activity_keeps_a_coordinators_session_going(client, coordinator):
    client.force_login(coordinator)
    for minutes in range(0, 120, 20):
        assert signed_in(client, minutes)


def test_a_table_volunteer_stays_signed_in_through_a_long_pause(client, volunteer):
    client.force_login(volunteer)
    assert signed_in(client, 0)
    assert signed_in(client, 3 * 60)


def test_no_session_outlasts_a_working_day_however_busy(client, volunteer):
    client.force_login(volunteer)
    day = settings.SESSION_COOKIE_AGE // 60
    for minutes in range(0, day, 60):
        assert signed_in(client, minutes)
    assert not signed_in(client, day + 1)


def test_signing_out_oneself_gives_no_idle_note(client, volunteer):
    client.post(reverse("login"), {"username": "volunteer", "password": "a-long-test-password-1"})
    client.post(reverse("logout"))
    assert "without activity" not in client.get(reverse("login")).content.decode()


def test_the_idle_limit_comes_from_the_settings(client, settings, medical):
    settings.SESSION_IDLE_MINUTES = {**settings.SESSION_IDLE_MINUTES, "medical": 5}
    client.force_login(medical)
    assert signed_in(client, 0)
    assert not signed_in(client, 6)


def test_a_switched_off_volunteer_is_out_on_the_next_request(client, volunteer):
    client.force_login(volunteer)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=volunteer).key}")
    assert client.get(reverse("home")).status_code == 200
    assert token.get("/api/v1/people/").status_code == 200

    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert client.get(reverse("home")).status_code == 302
    assert token.get("/api/v1/people/").status_code == 401
