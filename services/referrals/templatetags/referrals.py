"""{% medical_access as access %}: the user's Access to medical records, for links."""

from typing import Any

from django import template

from services.casework.access import Area, area_access

register = template.Library()


@register.simple_tag(takes_context=True)
def medical_access(context: dict[str, Any]) -> str:
    """ "full", "status", "upcoming" or "none"."""
    request = context.get("request")
    if request is None:
        return "none"
    return area_access(request.user, Area.MEDICAL).name.lower()
