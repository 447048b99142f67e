"""
Who may do what comes from the rules alone, and is asked afresh on every request: a
volunteer who is deactivated or loses a role loses access on their next request.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from services.accounts.models import User
from services.accounts.roles import Role

_REGISTRY = ["people.view_person", "people.add_person", "people.change_person", "sites.view_site"]
_TABLE = [
    "distributions.add_checkin",
    "distributions.view_checkin",
    "distributions.add_ticket",
    "distributions.view_ticket",
    "distributions.change_ticket",
    "distributions.view_distributionsession",
    "distributions.view_stockbalance",
    "distributions.view_itemtype",
]
_PARTNERS_READ = ["partners.view_partner", "partners.view_partnerservice"]
# What each role holds of the model permissions the screens and the API ask for.
EXPECTED: dict[str, set[str]] = {
    Role.VOLUNTEER: {*_REGISTRY, *_TABLE},
    Role.MEDICAL: {*_REGISTRY, *_PARTNERS_READ},
    Role.LEGAL: {*_REGISTRY, *_PARTNERS_READ},
    Role.COORDINATOR: {
        *_REGISTRY,
        *_TABLE,
        "distributions.add_itemtype",
        "distributions.change_itemtype",
        "distributions.add_stockmovement",
        "distributions.view_stockmovement",
        "distributions.add_distributionsession",
        "distributions.change_distributionsession",
        "distributions.change_checkin",
        "sites.add_site",
        "sites.change_site",
        "audit.view_auditentry",
        "accounts.view_user",
        "accounts.use_admin",
        "messaging.view_message",
        "messaging.view_inboundmessage",
        "messaging.view_broadcast",
        "messaging.add_broadcast",
        *_PARTNERS_READ,
        "partners.add_partner",
        "partners.change_partner",
        "partners.add_partnerservice",
        "partners.change_partnerservice",
    },
}
EVERY_PERMISSION = set().union(*EXPECTED.values())


def fresh(user: User) -> User:
    """The user as the next request loads it."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_permissions(make_user, role):
    user = make_user(role)
    assert {perm for perm in EVERY_PERMISSION if user.has_perm(perm)} == EXPECTED[role]


def test_the_role_groups_hold_no_django_permission(db):
    for role in Role:
        assert not Group.objects.get(name=role).permissions.exists()


def test_a_permission_given_to_a_group_in_djangos_tables_grants_nothing(volunteer):
    group = Group.objects.get(name=Role.VOLUNTEER)
    group.permissions.add(Permission.objects.get(codename="add_stockmovement"))
    assert not fresh(volunteer).has_perm("distributions.add_stockmovement")


def test_a_superuser_is_not_waved_past_the_rules(db):
    root = User.objects.create_superuser(username="root", password="a-long-test-password-1")
    assert root.has_perm("audit.view_auditentry")  # counts as a coordinator
    assert not root.has_perm("distributions.unknown_permission")


def test_a_new_role_is_seen_on_the_next_request(volunteer):
    assert not fresh(volunteer).has_perm("distributions.add_stockmovement")
    volunteer.groups.add(Group.objects.get(name=Role.COORDINATOR))
    assert fresh(volunteer).has_perm("distributions.add_stockmovement")


def test_a_role_taken_away_is_seen_on_the_next_request(coordinator):
    assert fresh(coordinator).has_perm("distributions.add_stockmovement")
    Group.objects.get(name=Role.COORDINATOR).user_set.remove(coordinator)
    assert not fresh(coordinator).has_perm("distributions.add_stockmovement")


def test_a_deactivated_account_has_no_permissions(volunteer):
    assert fresh(volunteer).has_perm("distributions.add_checkin")
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    assert not fresh(volunteer).has_perm("distributions.add_checkin")


def test_a_deactivated_volunteer_is_signed_out_on_their_next_page(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/people/").status_code == 200
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_deactivated_volunteers_token_is_refused_on_the_next_call(volunteer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=volunteer).key}")
    assert client.get("/api/v1/people/").status_code == 200
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    assert client.get("/api/v1/people/").status_code == 401


def test_a_demoted_coordinator_loses_the_audit_log_on_the_next_call(coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")
    assert client.get("/api/v1/audit-log/").status_code == 200
    Group.objects.get(name=Role.COORDINATOR).user_set.remove(coordinator)
    coordinator.groups.add(Group.objects.get(name=Role.VOLUNTEER))
    assert client.get("/api/v1/audit-log/").status_code == 403
