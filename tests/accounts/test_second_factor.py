"""
Two-factor sign-in: after the password, coordinators and the medical and legal roles
set up (the first time) or pass a TOTP code before any page or API call; volunteers are
never asked. Recovery codes work once; a coordinator's reset of someone's second factor
is audited. These tests sign in through the real pages (client.post), never force_login.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fieldapp.errors import DomainError
from services.accounts.actions.second_factor import (
    second_factor_reset,
    totp_setup_confirm,
    totp_setup_start,
)
from services.audit.models import AuditEntry
from tests.conftest import totp_code

PASSWORD = "a-long-test-password-1"
SECOND_FACTOR_ROLES = ["coordinator", "medical", "legal"]


def sign_in(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed device and recovery codes, made through the setup actions."""
    device = totp_setup_start(user=user).device
    return totp_setup_confirm(user=user, token=totp_code(device))


@pytest.mark.parametrize("role", SECOND_FACTOR_ROLES)
def test_these_roles_set_up_a_second_factor_before_any_page(client, request, role):
    user = request.getfixturevalue(role)
    sign_in(client, user.username)
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    assert "next=%2Fpeople%2F" in response["Location"]


def test_a_volunteer_is_never_asked(client, volunteer):
    sign_in(client, "volunteer")
    assert client.get(reverse("people:list")).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("role", SECOND_FACTOR_ROLES)
def test_with_a_device_these_roles_type_its_code_after_the_password(client, request, role):
    user = request.getfixturevalue(role)
    device, _codes = enrolled(user)
    sign_in(client, user.username)
    page = client.get(reverse("home"))
    assert page["Location"].startswith(reverse("accounts:second_factor_verify"))
    wrong = client.post(page["Location"], {"token": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # counted, not rolled back with the refusal
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(page["Location"], {"token": totp_code(device), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_setting_up_shows_a_qr_code_then_the_recovery_codes_once(client, coordinator):
    sign_in(client, "coordinator")
    setup = client.get(reverse("accounts:second_factor_setup") + "?next=/people/")
    page = setup.content.decode()
    assert setup.status_code == 200 and 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = re.search(r'<p class="secret">([A-Z2-7 ]+)</p>', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.get(reverse("accounts:second_factor_setup")).status_code == 200  # same device
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    wrong = client.post(reverse("accounts:second_factor_setup"), {"token": "123"})
    assert wrong.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no 1 s wait
    done = client.post(
        reverse("accounts:second_factor_setup"), {"token": totp_code(device), "next": "/people/"}
    )
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10 and "no-store" in done["Cache-Control"]
    assert client.get(reverse("people:list")).status_code == 200
    assert AuditEntry.objects.filter(action="user.second_factor_setup", actor=coordinator).exists()


def test_a_recovery_code_signs_in_once(client, legal):
    _device, codes = enrolled(legal)
    sign_in(client, "legal")
    verify = reverse("accounts:second_factor_verify")
    assert client.post(verify, {"token": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    other = Client()
    sign_in(other, "legal")
    reused = other.post(verify, {"token": codes[0]})
    assert reused.status_code == 400
    assert AuditEntry.objects.filter(action="user.recovery_code_used").count() == 1


def test_the_api_refuses_a_session_that_has_not_passed_its_second_factor(client, coordinator):
    enrolled(coordinator)
    sign_in(client, "coordinator")
    response = client.get("/api/v1/audit-log/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_the_api_takes_a_volunteers_session(client, volunteer):
    sign_in(client, "volunteer")
    assert client.get("/api/v1/people/").status_code == 200


def test_signing_out_needs_no_second_factor(client, coordinator):
    sign_in(client, "coordinator")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_a_coordinator_resets_a_lost_second_factor_and_it_is_audited(client, coordinator, medical):
    enrolled(medical)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:second_factor_reset", args=[medical.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=medical).exists()
    entry = AuditEntry.objects.get(action="user.second_factor_reset")
    assert (entry.actor, entry.target_id) == (coordinator, str(medical.pk))
    other = Client()
    sign_in(other, "medical")
    assert other.get("/")["Location"].startswith(reverse("accounts:second_factor_setup"))


def test_only_a_coordinator_resets_and_never_their_own(client, coordinator, medical, volunteer):
    enrolled(medical)
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=volunteer, user=medical)
    with pytest.raises(DomainError):
        second_factor_reset(actor=coordinator, user=coordinator)
    client.force_login(volunteer)
    response = client.post(reverse("accounts:second_factor_reset", args=[medical.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=medical).exists()
    assert not AuditEntry.objects.filter(action="user.second_factor_reset").exists()


def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    _device, old = enrolled(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:recovery_codes_new"))
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()
