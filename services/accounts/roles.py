"""
The four roles, as Django groups. What each role may do is in the rules (rules.py);
the groups hold no Django permissions. roles_sync() (run after every migrate) makes
sure each group exists.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")
    MEDICAL = "medical", _("Medical volunteer")
    LEGAL = "legal", _("Legal volunteer")


def user_role_names(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """The user's role groups, read once per request (cached on the user object)."""
    if not user.is_authenticated:
        return set()
    cache: set[str] | None = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr, attr-defined]
        setattr(user, "_role_names", cache)  # noqa: B010 - a per-request cache on the user object
    return cache
