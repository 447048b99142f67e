"""The audit log in words: who (and their role) did what to whose record, and when."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.roles import Role
from services.audit.actions import audit_record
from services.audit.words import entries_in_words
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def said(entry):
    return entries_in_words([entry])[0].text


def test_a_read_of_a_person_is_told_with_the_readers_name_role_code_and_time(make_user, site):
    amira = make_user(Role.COORDINATOR, username="Amira")
    person = PersonFactory(home_site=site, code="C7K-2AB")
    entry = audit_record(actor=amira, action="person.read", target=person)
    time = timezone.localtime(entry.at).strftime("%H:%M")
    assert said(entry) == f"Amira (coordinator) opened the record of C7K-2AB at {time}"


def test_an_entry_of_another_day_gives_the_date_day_first(coordinator, site):
    entry = audit_record(actor=coordinator, action="site.update", target=site)
    entry.at = entry.at - timedelta(days=3)
    local = timezone.localtime(entry.at)
    assert f"on {local:%d-%m-%Y} at {local:%H:%M}" in said(entry)
    assert "changed Calais – Hospital site" in said(entry)


def test_an_action_with_no_words_of_its_own_is_still_a_sentence_and_the_system_is_named(site):
    entry = audit_record(actor=None, action="legal.appointment.confirm", target=site)
    assert said(entry).startswith("The system or the person by SMS did “legal.appointment.confirm”")


def test_a_record_since_removed_is_named_by_its_kind_and_number(coordinator, site):
    person = PersonFactory(home_site=site)
    entry = audit_record(actor=coordinator, action="person.read", target=person)
    entry.target_id = "999999"
    assert "opened the record of person #999999" in said(entry)


def test_the_log_page_speaks_in_words_in_a_few_queries(
    client, coordinator, site, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(20, home_site=site)
    for person in people:
        audit_record(actor=coordinator, action="person.read", target=person)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):  # not one per entry
        text = client.get(reverse("audit:log")).text
    for person in people:
        assert f"coordinator (coordinator) opened the record of {person.code}" in text
