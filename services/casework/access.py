"""
Who sees what of the medical and legal records: the one rule every view, API endpoint,
admin page, export and search asks (DOMAIN.md).

- FULL: the record with its notes, for the area's own role (medical or legal group).
- STATUS: counts and statuses, never notes, for coordinators.
- UPCOMING: only that a person has an appointment coming (time and place), for any
  other signed-in volunteer, so they can help the person get there.
- NONE: nothing.

Superusers get STATUS, not FULL: running the server is not a reason to read notes.
"""

import enum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.roles import Role, user_role_names


class Area(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    LEGAL = "legal", _("Legal")


class Access(enum.IntEnum):
    NONE = 0
    UPCOMING = 1
    STATUS = 2
    FULL = 3


_AREA_ROLE = {Area.MEDICAL: Role.MEDICAL, Area.LEGAL: Role.LEGAL}


def area_access(user: AbstractBaseUser | AnonymousUser, area: str) -> Access:
    if not user.is_authenticated or not user.is_active:
        return Access.NONE
    groups = user_role_names(user)
    if _AREA_ROLE[Area(area)] in groups:
        return Access.FULL
    if Role.COORDINATOR in groups or getattr(user, "is_superuser", False):
        return Access.STATUS
    if groups:
        return Access.UPCOMING
    return Access.NONE


def area_require(
    user: AbstractBaseUser | AnonymousUser, area: str, at_least: Access = Access.FULL
) -> Access:
    """The user's access to the area, or PermissionDenied if it is below at_least."""
    access = area_access(user, area)
    if access < at_least:
        raise PermissionDenied
    return access
