"""
Subject access: everything held about one person, in their language, as a page and as
JSON; each copy in the audit log with the coordinator who made it; notes only for
their own role.
"""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from services.audit.models import AuditEntry
from services.privacy.rules import works_at_home_site
from services.privacy.selectors import person_record
from tests.factories import SiteFactory

from .conftest import CLINICAL, LEGAL, NAME, PHONE, SMS_TEXT

pytestmark = pytest.mark.django_db


def page_of(client, user, person, name="privacy:record"):
    client.force_login(user)
    return client.get(reverse(name, kwargs={"code": person.code}))


def test_the_record_page_is_in_the_persons_language(world, client):
    page = page_of(client, world.coordinator, world.person)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    for held in (world.person.code, NAME, "+33 6 12 34 56 78", "Soap", "Shoes", SMS_TEXT):
        assert held in html
    assert "Thank you 1" in html  # the reply they sent
    with translation.override("ar"):
        label = translation.gettext("First name or nickname")
    assert label != "First name or nickname" and label in html
    assert "no-store" in page["Cache-Control"]


def test_the_record_page_withholds_the_notes_from_a_coordinator(world, client):
    html = page_of(client, world.coordinator, world.person).content.decode()
    assert CLINICAL not in html and LEGAL not in html
    assert "PASS Calais" not in html  # the clinic is medical information too
    assert html.count('class="withheld"') >= 2


def test_each_copy_is_in_the_audit_log_with_who_made_it(world, client):
    page_of(client, world.coordinator, world.person)
    page_of(client, world.coordinator, world.person, "privacy:record_json")
    copies = AuditEntry.objects.filter(
        action="person.subject_access", target_id=str(world.person.pk)
    ).order_by("id")
    assert [(c.actor, c.details["format"]) for c in copies] == [
        (world.coordinator, "html"),
        (world.coordinator, "json"),
    ]


def test_the_json_holds_the_same_record(world, client):
    response = page_of(client, world.coordinator, world.person, "privacy:record_json")
    assert response["Content-Disposition"].startswith("attachment;")
    record = json.loads(response.content)
    assert record["person"]["name"] == NAME
    assert record["person"]["phone"] == "+33 6 12 34 56 78"
    assert [line["quantity"] for line in record["distributions"][0]["items"]] != []
    assert record["messages"][0]["text"] == SMS_TEXT
    assert record["referrals"][0] == {**record["referrals"][0], "withheld": True}
    assert "notes" not in record["referrals"][0] and "notes" not in record["legal_appointments"][0]
    assert {"action": "person.register"}.items() <= record["history"][0].items()


def test_the_notes_reach_their_own_role_only(world):
    medical = person_record(user=world.medical, person=world.person, fmt="json")
    legal = person_record(user=world.legal, person=world.person, fmt="json")
    assert medical["referrals"][0]["notes"] == CLINICAL
    assert medical["legal_appointments"][0]["withheld"] is True
    assert legal["legal_appointments"][0]["notes"] == LEGAL
    assert legal["referrals"][0]["withheld"] is True


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
@pytest.mark.parametrize("name", ["privacy:record", "privacy:record_json"])
def test_only_a_coordinator_makes_a_copy(world, client, role, name):
    assert page_of(client, getattr(world, role), world.person, name).status_code == 403
    assert not AuditEntry.objects.filter(action="person.subject_access").exists()


def test_a_copy_is_for_people_of_the_readers_sites(world):
    elsewhere = SiteFactory(name="Dunkirk – Grande-Synthe")
    assert works_at_home_site(world.volunteer, world.person)
    world.person.home_site = elsewhere
    assert not works_at_home_site(world.volunteer, world.person)
    assert works_at_home_site(world.coordinator, world.person)  # a coordinator's are all


def test_an_erased_record_shows_what_is_left(world, client):
    from services.legal.actions import appointment_set_status
    from services.privacy.actions import person_erase

    appointment_set_status(actor=world.legal, appointment=world.appointment, status="cancelled")
    person = person_erase(actor=world.coordinator, person=world.person, reason="asked")
    html = page_of(client, world.coordinator, person).content.decode()
    assert NAME not in html and PHONE not in html and SMS_TEXT not in html
    assert "Soap" in html


def test_the_history_says_in_words_what_was_done(world):
    history = person_record(user=world.coordinator, person=world.person, fmt="json")["history"]
    assert {"person.register", "referral.create", "legal.appointment.book"} <= {
        entry["action"] for entry in history
    }
    assert all(entry["in_words"] for entry in history)


def test_a_message_not_yet_sent_is_not_called_removed(world, client):
    html = page_of(client, world.coordinator, world.person).content.decode()
    # The world's legal appointment has two reminders waiting, and one SMS delivered.
    assert html.count("The text is no longer kept.") == 0
