"""
Writes for accounts, one module per concern: role groups and accounts (here),
invitations, the profile, the second factor, stays, passwords.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.audit.actions import audit_record
from services.sites.models import Site

from ..models import User
from ..roles import Role
from ..scoping import sites_of


@transaction.atomic
def roles_sync() -> None:
    """
    Create the role groups. They hold no Django permission: the rules grant them
    (rules.py), so any permission a group held before is taken away.
    """
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.clear()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    site: Site | None = None,
    sites: Iterable[Site] = (),
    language: str = "",
) -> User:
    """
    `site` is where they work today; `sites` where they may work, which always
    includes today's site.
    """
    user = User.objects.create_user(username=username, password=password)
    user.site = site
    user.language = language
    # The admin site checks the role; is_staff only lets Django's admin forms work.
    user.is_staff = role == Role.COORDINATOR
    user.save(update_fields=["site", "language", "is_staff"])
    user.sites.set({*sites, *([site] if site else [])})
    user.groups.add(Group.objects.get(name=role))
    audit_record(actor=None, action="user.create", target=user, details={"role": str(role)})
    return user


def user_set_site(*, user: User, site: Site) -> None:
    """Where the volunteer works today: one of their sites."""
    if not sites_of(user).filter(pk=site.pk).exists():
        raise DomainError(_("Choose one of your sites."), field="site", code="not_yours")
    user.site = site
    user.save(update_fields=["site"])


def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
