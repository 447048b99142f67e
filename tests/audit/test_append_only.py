"""The audit log only grows: nothing in the app, and on PostgreSQL nothing in SQL, edits it."""

import pytest
from django.db import DatabaseError, connection, transaction

from services.audit.actions import audit_record
from services.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_deleted_through_the_app(coordinator, site):
    entry = audit_record(actor=coordinator, action="site.update", target=site)
    entry.action = "site.create"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "site.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL trigger is PostgreSQL's")
def test_raw_sql_cannot_change_or_delete_an_entry(coordinator, site):
    entry = audit_record(actor=coordinator, action="site.update", target=site)
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "site.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL trigger is PostgreSQL's")
def test_deleting_a_volunteer_keeps_their_entries_without_their_name(make_user, site):
    from services.accounts.roles import Role

    leaver = make_user(Role.COORDINATOR, username="leaver")
    entry = audit_record(actor=leaver, action="site.update", target=site)
    leaver.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None
    assert entry.action == "site.update"


def test_a_list_read_records_one_entry_per_record_shown(coordinator, site):
    from services.audit.actions import audit_record_each
    from services.sites.models import Site

    other = Site.objects.create(name="Dunkirk")
    audit_record_each(actor=coordinator, action="site.list", targets=[site, other])
    entries = AuditEntry.objects.filter(action="site.list")
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(
        [str(site.pk), str(other.pk)]
    )
