import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_reach_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_a_coordinator_reaches_the_admin(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_other_roles_cannot_read_the_audit_log_api(request, api_as, role):
    assert api_as(request.getfixturevalue(role)).get("/api/v1/audit-log/").status_code == 403


def test_a_coordinator_reads_the_audit_log_api(api_as, coordinator):
    response = api_as(coordinator).get("/api/v1/audit-log/")
    assert response.status_code == 200
    assert response.json()["results"][0]["action"] == "user.create"


def test_sign_in_and_sign_out(client, volunteer):
    response = client.post(
        reverse("login"), {"username": "volunteer", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_restores_the_volunteers_language(client, volunteer):
    volunteer.language = "ar"
    volunteer.save()
    response = client.post(
        reverse("login"), {"username": "volunteer", "password": "a-long-test-password-1"}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_repeated_wrong_passwords_lock_the_account(client, volunteer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "volunteer", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "volunteer", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_a_wrong_password_gets_a_clear_message(client, volunteer):
    response = client.post(reverse("login"), {"username": "volunteer", "password": "nope"})
    assert "do not match" in response.content.decode()


def test_sessions_expire_within_a_working_day():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_volunteer_can_set_their_site_for_today(client, volunteer):
    from tests.factories import SiteFactory

    other = SiteFactory(name="Grande-Synthe")
    volunteer.sites.add(other)
    client.force_login(volunteer)
    client.post(reverse("my_site_set"), {"site": other.pk})
    volunteer.refresh_from_db()
    assert volunteer.site == other
    client.post(reverse("my_site_set"), {"site": "nonsense"})
    volunteer.refresh_from_db()
    assert volunteer.site == other


def test_a_volunteer_cannot_pick_a_site_that_is_not_theirs(client, volunteer, site):
    from tests.factories import SiteFactory

    elsewhere = SiteFactory(name="Grande-Synthe")
    client.force_login(volunteer)
    page = client.get(reverse("home")).content.decode()
    assert "Grande-Synthe" not in page
    client.post(reverse("my_site_set"), {"site": elsewhere.pk})
    volunteer.refresh_from_db()
    assert volunteer.site == site
