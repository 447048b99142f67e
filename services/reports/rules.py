"""
Who may take records out and bring them in (see services/accounts/rules.py).

Coordinators only. Names and phone numbers in an export need more than the role: the
Django permission reports.export_identities given to that coordinator (or a group of
theirs) in the admin, on top of the role, and a reason each time.
"""

from typing import Any

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q

from services.accounts.rules import is_coordinator


@rules.predicate
def granted_identities(user: Any) -> bool:
    """The explicit grant, asked of the database (a superuser holds it only if given it)."""
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="reports",
        codename="export_identities",
    ).exists()


rules.add_perm("reports", is_coordinator)
rules.add_perm("reports.view_donor_report", is_coordinator)
rules.add_perm("reports.add_export", is_coordinator)
rules.add_perm("reports.export_identities", is_coordinator & granted_identities)
rules.add_perm("reports.add_importfile", is_coordinator)
