"""API tokens: the user comes from the cache between requests, and every change is seen at once."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from services.accounts.actions import user_set_site
from services.accounts.authentication import CachedTokenAuthentication
from services.sites.models import Site


def sign_in(key: str):
    """What DRF does with the Authorization header of the next API request."""
    return CachedTokenAuthentication().authenticate_credentials(key)[0]


def test_a_second_request_reads_nothing_from_the_database(volunteer):
    token = Token.objects.create(user=volunteer)
    sign_in(token.key)
    with CaptureQueriesContext(connection) as captured:
        user = sign_in(token.key)
    assert len(captured) == 0, [q["sql"] for q in captured]
    assert (user.pk, user.username, user.site_id) == (
        volunteer.pk,
        volunteer.username,
        volunteer.site_id,
    )
    assert user.has_perm("distributions.add_checkin")


def test_a_wrong_token_is_refused(volunteer):
    Token.objects.create(user=volunteer)
    with pytest.raises(AuthenticationFailed):
        sign_in("0" * 40)


def test_a_deleted_token_is_refused_on_the_next_request(volunteer):
    key = Token.objects.create(user=volunteer).key
    sign_in(key)
    Token.objects.get(key=key).delete()
    with pytest.raises(AuthenticationFailed):
        sign_in(key)


def test_a_regenerated_token_replaces_the_old_one_at_once(volunteer):
    old = Token.objects.create(user=volunteer).key
    sign_in(old)
    Token.objects.filter(key=old).delete()  # as the admin's regenerate does
    new = Token.objects.create(user=volunteer)
    assert sign_in(new.key).pk == volunteer.pk
    with pytest.raises(AuthenticationFailed):
        sign_in(old)


def test_a_deactivated_account_is_refused_on_the_next_request(volunteer):
    token = Token.objects.create(user=volunteer)
    sign_in(token.key)
    volunteer.is_active = False
    volunteer.save()
    with pytest.raises(AuthenticationFailed):
        sign_in(token.key)


def test_a_deleted_account_is_refused_on_the_next_request(volunteer):
    key = Token.objects.create(user=volunteer).key
    sign_in(key)
    volunteer.delete()
    with pytest.raises(AuthenticationFailed):
        sign_in(key)


def test_a_new_site_is_seen_on_the_next_request(volunteer):
    token = Token.objects.create(user=volunteer)
    sign_in(token.key)
    other = Site.objects.create(name="Grande-Synthe", area="Dunkerque")
    user_set_site(user=volunteer, site=other)
    assert sign_in(token.key).site_id == other.pk


def test_a_deleted_site_is_seen_on_the_next_request(volunteer):
    other = Site.objects.create(name="Grande-Synthe", area="Dunkerque")
    user_set_site(user=volunteer, site=other)
    token = Token.objects.create(user=volunteer)
    sign_in(token.key)
    other.delete()
    assert sign_in(token.key).site_id is None


def test_the_cache_holds_no_token_key(volunteer):
    token = Token.objects.create(user=volunteer)
    with mock.patch("services.accounts.authentication.cache") as cache:
        cache.get.return_value = None
        sign_in(token.key)
    (name, values), _ = cache.set.call_args
    assert token.key not in name
    assert token.key not in repr(values)


def test_without_the_cache_the_database_answers(volunteer):
    token = Token.objects.create(user=volunteer)
    with mock.patch("services.accounts.authentication.cache.get", side_effect=ConnectionError):
        assert sign_in(token.key).pk == volunteer.pk
        with pytest.raises(AuthenticationFailed):
            sign_in("0" * 40)
