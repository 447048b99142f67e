import pytest
from rest_framework.test import APIClient

from services.accounts.actions import user_create
from services.accounts.roles import Role

from .factories import SiteFactory


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
