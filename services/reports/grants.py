"""
Giving a coordinator the right to export names and phone numbers, or taking it back.

Nobody holds it by role, and no coordinator can give it to themselves: whoever runs the
installation gives it from the server (manage.py export_names_grant), and the audit log
records it. It is a Django permission (reports.export_identities) on the account.
"""

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.roles import Role, user_role_names
from services.audit.actions import audit_record

from .rules import granted_identities


@transaction.atomic
def export_identities_grant(*, user: User, grant: bool) -> bool:
    """Give (grant=True) or take back the permission. Returns whether anything changed."""
    if grant and Role.COORDINATOR not in user_role_names(user):
        raise DomainError(
            _("%(user)s is not a coordinator.") % {"user": user.get_username()},
            code="not_coordinator",
        )
    permission = Permission.objects.get(
        content_type__app_label="reports", codename="export_identities"
    )
    if granted_identities(user) == grant:
        return False
    if grant:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    audit_record(
        actor=None,
        action="export.identities_granted" if grant else "export.identities_revoked",
        target=user,
    )
    return True
