"""model_update(): the one compare / set / save / audit loop of the update actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit.actions import model_update
from services.audit.models import AuditEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_only_the_changed_fields_are_saved_and_named(coordinator, site):
    person = PersonFactory(home_site=site, name="Ali", language="ar")
    before = person.updated_at
    changed = model_update(
        person, {"name": "Ali H", "language": "ar"}, actor=coordinator, action="person.update"
    )
    person.refresh_from_db()
    assert changed == ["name"] and person.name == "Ali H" and person.updated_at > before
    entry = AuditEntry.objects.get(action="person.update")
    assert (entry.actor, entry.details) == (coordinator, {"fields": ["name"]})


def test_nothing_changed_nothing_written(coordinator, site):
    person = PersonFactory(home_site=site, name="Ali")
    with CaptureQueriesContext(connection) as queries:
        assert model_update(person, {"name": "Ali"}, actor=coordinator, action="x") == []
    assert len(queries) == 0 and not AuditEntry.objects.filter(action="x").exists()


def test_what_follows_a_change_is_saved_with_it_but_not_audited(coordinator, site):
    person = PersonFactory(home_site=site, name="Ali", phone_invalid_reason="bounced")
    follows = {"name": {"phone_invalid_reason": ""}, "language": {"sms_consent": True}}
    model_update(person, {"name": "Sami"}, actor=coordinator, action="x", when_changed=follows)
    person.refresh_from_db()
    assert (person.name, person.phone_invalid_reason, person.sms_consent) == ("Sami", "", False)
    assert AuditEntry.objects.get(action="x").details == {"fields": ["name"]}
