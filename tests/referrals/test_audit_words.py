"""A read of a referral is told in the audit log as a read of its person's medical notes."""

import pytest

from services.accounts.roles import Role
from services.audit.actions import audit_record
from services.audit.words import entries_in_words

pytestmark = pytest.mark.django_db


def test_a_referral_read_is_a_read_of_the_medical_notes_of_its_person(make_user, referral):
    amira = make_user(Role.COORDINATOR, username="Amira")
    entry = audit_record(actor=amira, action="referral.read", target=referral)
    assert entries_in_words([entry])[0].text.startswith(
        f"Amira (coordinator) read the medical notes of {referral.person.code} at "
    )
