"""The right to export names is given from the server, to coordinators only, in the log."""

import pytest
from django.core.management import CommandError, call_command

from services.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_coordinator_is_given_the_right_and_it_is_taken_back(coordinator):
    assert not coordinator.has_perm("reports.export_identities")
    call_command("export_names_grant", coordinator.username)
    call_command("export_names_grant", coordinator.username)  # once is enough
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert coordinator.has_perm("reports.export_identities")
    assert AuditEntry.objects.filter(action="export.identities_granted").count() == 1
    call_command("export_names_grant", coordinator.username, "--revoke")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert not coordinator.has_perm("reports.export_identities")
    assert AuditEntry.objects.filter(action="export.identities_revoked").count() == 1


def test_a_volunteer_is_not_given_it(volunteer):
    with pytest.raises(CommandError, match="not a coordinator"):
        call_command("export_names_grant", volunteer.username)
