"""
The one vocabulary of who sees what of medical and legal records (legal/rules.py,
referrals/rules.py), as the old access levels had it: the area's own role sees
everything with notes; coordinators and superusers counts and statuses, never notes;
any other volunteer only the time and place of a person's coming appointments (and an
interpreter their own bookings); nobody else anything.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from services.accounts.models import User
from services.accounts.roles import Role
from services.legal.models import Appointment

pytestmark = pytest.mark.django_db

EVERY_ROLE = {"volunteer", "coordinator", "superuser", "medical", "legal", "legal+coordinator"}
EXPECTED = {
    "legal.view_notes": {"legal", "legal+coordinator"},
    "legal.add_appointment": {"legal", "legal+coordinator"},
    "legal.change_appointment": {"legal", "legal+coordinator"},
    "legal.view_status": {"coordinator", "superuser", "legal", "legal+coordinator"},
    "legal.view_upcoming": EVERY_ROLE,
    "referrals.view_notes": {"medical"},
    "referrals.add_referral": {"medical"},
    "referrals.change_referral": {"medical"},
    "referrals.view_followuptask": {"medical"},
    "referrals.view_status": {"coordinator", "superuser", "medical", "legal+coordinator"},
    "referrals.view_upcoming": EVERY_ROLE,
    "scheduling.offer_advice": {"legal", "legal+coordinator"},
    "scheduling.offer_interpreting": EVERY_ROLE,
    "scheduling.use_calendar_feed": EVERY_ROLE,
}


@pytest.fixture
def people(make_user):
    both = make_user(Role.LEGAL, "legal+coordinator")
    both.groups.add(*make_user(Role.COORDINATOR, "spare").groups.all())
    inactive = make_user(Role.LEGAL, "gone")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {
        "volunteer": make_user(Role.VOLUNTEER),
        "coordinator": make_user(Role.COORDINATOR),
        "superuser": User.objects.create_superuser("root", password="a-long-test-password-1"),
        "medical": make_user(Role.MEDICAL),
        "legal": make_user(Role.LEGAL),
        "legal+coordinator": User.objects.get(pk=both.pk),
        "no role": User.objects.create_user("nobody", password="a-long-test-password-1"),
        "inactive legal": inactive,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_who_holds_each_permission(people, permission):
    holders = {name for name, user in people.items() if user.has_perm(permission)}
    assert holders == EXPECTED[permission]


def test_an_interpreter_sees_the_appointments_they_interpret_and_no_other(people):
    volunteer = people["volunteer"]
    theirs = Appointment(interpreter_id=volunteer.pk)
    others = Appointment(interpreter_id=people["legal"].pk)
    assert volunteer.has_perm("legal.view_appointment", theirs)
    assert not volunteer.has_perm("legal.view_appointment", others)
    assert not volunteer.has_perm("legal.view_notes", theirs)
    assert people["coordinator"].has_perm("legal.view_appointment", others)
    assert not people["no role"].has_perm("legal.view_appointment", Appointment())


def test_superusers_never_read_notes(people):
    root = people["superuser"]
    assert not root.has_perm("legal.view_notes") and not root.has_perm("referrals.view_notes")


def test_a_demoted_volunteer_loses_access_on_their_next_request(people):
    legal = people["legal"]
    assert legal.has_perm("legal.view_notes")
    legal.groups.clear()
    again = User.objects.get(pk=legal.pk)  # the next request reads the user afresh
    assert not again.has_perm("legal.view_notes") and not again.has_perm("legal.view_upcoming")


@pytest.mark.parametrize(
    "role, shows, hides",
    [
        ("legal", ["Legal advice"], ["Interpreting", "Medical referrals"]),
        ("coordinator", ["Legal advice", "Medical referrals"], ["Interpreting"]),
        ("medical", ["Interpreting", "Medical referrals"], ["Legal advice"]),
        ("volunteer", ["Interpreting"], ["Legal advice", "Medical referrals"]),
    ],
)
def test_the_home_page_offers_each_role_its_way_in(client, people, role, shows, hides):
    client.force_login(people[role])
    page = client.get("/").content.decode()
    for text in shows:
        assert text in page, text
    for text in hides:
        assert text not in page, text
