"""Writes for accounts: role groups, role assignment, a volunteer's site and language."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from services.audit.actions import audit_record
from services.sites.models import Site

from .backends import perms_changed
from .models import User
from .roles import ROLE_PERMISSIONS, Role


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
    perms_changed()  # .set() signals only what it changed; say it once for all


@transaction.atomic
def user_create(
    *, username: str, password: str, role: Role, site: Site | None = None, language: str = ""
) -> User:
    user = User.objects.create_user(username=username, password=password)
    user.site = site
    user.language = language
    # The admin site checks the role; is_staff only lets Django's admin forms work.
    user.is_staff = role == Role.COORDINATOR
    user.save(update_fields=["site", "language", "is_staff"])
    user.groups.add(Group.objects.get(name=role))
    audit_record(actor=None, action="user.create", target=user, details={"role": str(role)})
    return user


def user_set_site(*, user: User, site: Site) -> None:
    user.site = site
    user.save(update_fields=["site"])


def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
