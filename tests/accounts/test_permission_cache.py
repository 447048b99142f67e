"""Permission sets come from the cache between requests, and every change is seen at once."""

from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.accounts.actions import roles_sync
from services.accounts.models import User
from services.accounts.roles import Role


def fresh(user: User) -> User:
    """The user as the next request loads it: no permissions on the object yet."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_no_permissions_from_the_database(volunteer):
    assert fresh(volunteer).has_perm("distributions.add_checkin")
    user = fresh(volunteer)
    with CaptureQueriesContext(connection) as captured:
        assert user.has_perms(["distributions.add_checkin", "people.view_person"])
        assert not user.has_perm("distributions.add_stockmovement")
    assert len(captured) == 0, [q["sql"] for q in captured]


def test_a_new_role_is_seen_on_the_next_request(volunteer):
    assert not fresh(volunteer).has_perm("distributions.add_stockmovement")
    volunteer.groups.add(Group.objects.get(name=Role.COORDINATOR))
    assert fresh(volunteer).has_perm("distributions.add_stockmovement")


def test_a_role_taken_away_is_seen_on_the_next_request(coordinator):
    assert fresh(coordinator).has_perm("distributions.add_stockmovement")
    Group.objects.get(name=Role.COORDINATOR).user_set.remove(coordinator)
    assert not fresh(coordinator).has_perm("distributions.add_stockmovement")


def test_a_permission_taken_from_a_group_is_seen_and_roles_sync_restores_it(volunteer):
    assert fresh(volunteer).has_perm("distributions.add_checkin")
    group = Group.objects.get(name=Role.VOLUNTEER)
    group.permissions.remove(Permission.objects.get(codename="add_checkin"))
    assert not fresh(volunteer).has_perm("distributions.add_checkin")
    roles_sync()
    assert fresh(volunteer).has_perm("distributions.add_checkin")


def test_a_deactivated_account_has_no_permissions_whatever_is_cached(volunteer):
    assert fresh(volunteer).has_perm("distributions.add_checkin")
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    assert not fresh(volunteer).has_perm("distributions.add_checkin")


def test_without_the_cache_the_database_answers(volunteer):
    with mock.patch("services.accounts.backends.cache.get_many", side_effect=ConnectionError):
        assert fresh(volunteer).has_perm("distributions.add_checkin")
        assert not fresh(volunteer).has_perm("distributions.add_stockmovement")
