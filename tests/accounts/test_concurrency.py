"""One invitation link sent from two phones at the same moment opens one account, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from services.accounts.actions.invitations import (
    InvitationUnusable,
    invitation_accept,
    invitation_create,
)
from services.accounts.actions.profile import Profile
from services.accounts.models import User
from services.accounts.roles import Role
from tests.distributions.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_acceptances_of_one_link_at_once_exactly_one_opens_the_account(coordinator, site):
    invited = invitation_create(
        actor=coordinator,
        email="amina@example.org",
        role=Role.VOLUNTEER,
        sites=[site],
        base_url="http://testserver/",
    )
    token = invited.link.rstrip("/").rsplit("/", 1)[1]
    names = iter(["amina", "amina2"])
    profile = Profile(
        phone=None,
        email="amina@example.org",
        notify_by="email",
        language="en",
        arrives_on=None,
        leaves_on=timezone.localdate() + timedelta(days=3),
        spoken={"ti": "native"},
    )

    results = race(
        lambda: invitation_accept(
            token=token, username=next(names), password="a-long-pass-for-amina", profile=profile
        )
    )
    opened = [r for r in results if isinstance(r, User)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(opened) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], InvitationUnusable) and refused[0].code == "used"
    user = User.objects.get(pk=invited.invitation.user_id)
    assert user.is_active and user.username == opened[0].username
    assert user.spoken_languages.count() == 1
