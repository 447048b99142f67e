import time

import pytest
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from services.accounts.actions import user_create
from services.accounts.actions.second_factor import totp_confirmed
from services.accounts.roles import Role
from services.accounts.rules import needs_second_factor

from .factories import SiteFactory
from .static_collected import collected_settings


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Static files under hashed names, once per run, as `collectstatic` deploys them."""
    from django.core.management import call_command
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("static")
    with override_settings(**collected_settings(folder)):
        call_command("collectstatic", "--no-input", verbosity=0)
        yield folder


@pytest.fixture
def site(db):
    return SiteFactory(name="Calais – Hospital site")


@pytest.fixture
def make_user(db, site):
    def make(role: Role, username: str | None = None, password: str = "a-long-test-password-1"):
        return user_create(username=username or role.value, password=password, role=role, site=site)

    return make


@pytest.fixture
def volunteer(make_user):
    return make_user(Role.VOLUNTEER)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def medical(make_user):
    return make_user(Role.MEDICAL)


@pytest.fixture
def legal(make_user):
    return make_user(Role.LEGAL)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(db):
    """A new API client signed in as the user (clients are not shared between users)."""

    def login(user):
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real passwords are checked, with a hasher that does not cost a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def totp_code(device: TOTPDevice) -> str:
    """
    The code the authenticator app shows for this device now, or the next step's when
    the current one was used already (a code is accepted once; a sign-in right after
    the set-up, within the same 30 seconds, takes the next, accepted as clock drift).
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    totp.time = time.time() + max(0, device.last_t + 1 - now) * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """
    force_login() signs a test client in without the password; for the roles that need
    a second factor it passes that too, with a real confirmed TOTP device, so tests of
    other features start from a fully signed-in session. The second factor itself is
    tested through the real pages, with client.post (tests/accounts/).
    """
    real_login = ClientMixin._login

    def login(self, user, backend=None):
        real_login(self, user, backend)
        if needs_second_factor(user):
            device = totp_confirmed(user) or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", login)
