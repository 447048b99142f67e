"""
A phone number passed on to someone else: the volunteer is warned, may move the number
to the new person (the old record's reminders stop), and a number the provider says is
unknown is flagged for checking.
"""

import pytest
from django.urls import reverse

from services.audit.models import AuditEntry
from services.messaging.actions.provider import message_failed_permanently
from services.messaging.actions.schedule import message_schedule
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.people.actions import PhoneInUse, person_register, person_update
from services.people.phones import phone_parse

PHONE = phone_parse("06 12 34 56 78")
CONTEXT = {"date": "2026-11-28", "time": "15:00", "place": "PASS"}


def register(actor, site, **kwargs):
    return person_register(actor=actor, home_site=site, language="ar", **kwargs)


@pytest.fixture
def old_owner(volunteer, site):
    person = register(volunteer, site, phone=PHONE, sms_consent=True)
    message_schedule(key="r:1", kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT)
    return person


def test_giving_a_held_number_to_a_new_person_warns(volunteer, site, old_owner):
    with pytest.raises(PhoneInUse):
        register(volunteer, site, phone=PHONE, sms_consent=True)


def test_moving_the_number_stops_the_old_records_reminders(volunteer, site, old_owner):
    new = register(volunteer, site, phone=PHONE, sms_consent=True, move_phone=True)
    old_owner.refresh_from_db()
    assert new.phone == PHONE and new.sms_consent
    assert old_owner.phone == "" and old_owner.sms_consent is False
    assert Message.objects.get(idempotency_key="r:1").status == Message.Status.CANCELLED
    entry = AuditEntry.objects.get(action="person.phone_moved")
    assert entry.actor == volunteer and entry.target_id == str(old_owner.pk)


def test_moving_the_number_on_an_edit_takes_it_off_the_other_record(volunteer, site, old_owner):
    other = register(volunteer, site)
    person_update(actor=volunteer, person=other, phone=PHONE, move_phone=True)
    old_owner.refresh_from_db()
    assert old_owner.phone == "" and not old_owner.sms_consent


def test_a_shared_phone_keeps_both_records_reminders(volunteer, site, old_owner):
    register(volunteer, site, phone=PHONE, allow_shared_phone=True)
    old_owner.refresh_from_db()
    assert old_owner.phone == PHONE and old_owner.sms_consent
    assert Message.objects.get(idempotency_key="r:1").status == Message.Status.PENDING


def test_the_register_screen_offers_to_move_the_number(client, volunteer, site, old_owner):
    client.force_login(volunteer)
    form = {"name": "Sara", "phone": "0612345678", "language": "ar", "home_site": site.pk}
    page = client.post(reverse("people:create"), form).content.decode()
    assert 'name="move_phone"' in page and old_owner.code in page
    client.post(reverse("people:create"), {**form, "move_phone": "on"})
    old_owner.refresh_from_db()
    assert old_owner.phone == ""


@pytest.mark.parametrize("code", ["30005", "21614", "21211", "30006"])
def test_an_unknown_subscriber_failure_flags_the_number_for_checking(old_owner, code):
    message = Message.objects.get(idempotency_key="r:1")
    message.to_phone = PHONE
    message_failed_permanently(message=message, code=code)
    old_owner.refresh_from_db()
    assert old_owner.phone_invalid_at is not None and old_owner.phone_invalid_reason


def test_a_temporary_failure_does_not_flag_the_number(old_owner):
    message = Message.objects.get(idempotency_key="r:1")
    message_failed_permanently(message=message, code="30003")
    old_owner.refresh_from_db()
    assert old_owner.phone_invalid_at is None


def test_the_flag_is_shown_on_the_record_to_check(client, volunteer, old_owner):
    message = Message.objects.get(idempotency_key="r:1")
    message_failed_permanently(message=message, code="30005")
    client.force_login(volunteer)
    page = client.get(old_owner.get_absolute_url()).content.decode()
    assert "Ask for their current number" in page
