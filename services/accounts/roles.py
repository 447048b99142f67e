"""
The four roles, as Django groups, and the permissions each one holds.

A role is a group so that the admin, DRF's model permissions and the templates all
read the same thing. roles_sync() (run after every migrate) makes the groups match
ROLE_PERMISSIONS exactly.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")
    MEDICAL = "medical", _("Medical volunteer")
    LEGAL = "legal", _("Legal volunteer")


_REGISTRY = ["people.view_person", "people.add_person", "people.change_person", "sites.view_site"]
# Everyone at the table hands things out: check-ins, tickets, reading stock and sessions.
_TABLE = [
    "distributions.add_checkin",
    "distributions.view_checkin",
    "distributions.add_ticket",
    "distributions.view_ticket",
    "distributions.change_ticket",
    "distributions.view_distributionsession",
    "distributions.view_stockbalance",
    "distributions.view_itemtype",
]

# Medical and legal volunteers pick a partner's service when they refer someone.
_PARTNERS_READ = ["partners.view_partner", "partners.view_partnerservice"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.VOLUNTEER: [*_REGISTRY, *_TABLE],
    Role.MEDICAL: [*_REGISTRY, *_PARTNERS_READ],
    Role.LEGAL: [*_REGISTRY, *_PARTNERS_READ],
    Role.COORDINATOR: [
        *_REGISTRY,
        *_TABLE,
        "distributions.add_itemtype",
        "distributions.change_itemtype",
        "distributions.add_stockmovement",
        "distributions.view_stockmovement",
        "distributions.add_distributionsession",
        "distributions.change_distributionsession",
        "distributions.change_checkin",
        "sites.add_site",
        "sites.change_site",
        "audit.view_auditentry",
        "accounts.view_user",
        "messaging.view_message",
        "messaging.view_inboundmessage",
        "messaging.view_broadcast",
        "messaging.add_broadcast",
        *_PARTNERS_READ,
        "partners.add_partner",
        "partners.change_partner",
        "partners.add_partnerservice",
        "partners.change_partnerservice",
    ],
}


def user_role_names(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """The user's role groups, read once per request (cached on the user object)."""
    if not user.is_authenticated:
        return set()
    cache: set[str] | None = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr, attr-defined]
        setattr(user, "_role_names", cache)  # noqa: B010 - a per-request cache on the user object
    return cache


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return role in user_role_names(user)
