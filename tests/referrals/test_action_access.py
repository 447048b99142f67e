"""
The writes check who asks themselves, as the legal ones do: a new screen, task or
command that forgets to check cannot change a medical record for another role.
"""

import pytest
from django.core.exceptions import PermissionDenied

from services.accounts.roles import Role
from services.referrals.actions import followups, workflow
from services.referrals.models import FollowUpTask, Referral, Status

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[Role.COORDINATOR, Role.VOLUNTEER, Role.LEGAL])
def outsider(request, make_user):
    return make_user(request.param, username=f"outsider-{request.param}")


def test_only_the_medical_role_makes_a_referral(make_referral, outsider):
    with pytest.raises(PermissionDenied):
        make_referral(actor=outsider)
    assert not Referral.objects.exists()


def test_only_the_medical_role_moves_a_referral(referral, outsider):
    steps = [
        lambda: workflow.referral_book(actor=outsider, referral=referral, starts_at=in_days(2)),
        lambda: workflow.referral_decline(actor=outsider, referral=referral, reason="x"),
        lambda: workflow.referral_close(actor=outsider, referral=referral),
    ]
    for step in steps:
        with pytest.raises(PermissionDenied):
            step()
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED
    assert referral.events.count() == 2


def test_only_the_medical_role_closes_a_follow_up(referral, medical, outsider):
    task = FollowUpTask.objects.create(referral=referral)
    with pytest.raises(PermissionDenied):
        followups.followup_done(actor=outsider, task=task, note="found")
    task.refresh_from_db()
    assert task.done_at is None and task.note == ""
