"""{% legal_access user as access %}: the user's access to legal records, for links."""

from django import template
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from services.casework.access import Area, area_access

register = template.Library()


@register.simple_tag
def legal_access(user: AbstractBaseUser | AnonymousUser) -> int:
    """0 none, 1 own interpreting only, 2 statuses (coordinators), 3 full (legal role)."""
    return int(area_access(user, Area.LEGAL))
