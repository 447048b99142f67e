"""Template access to the casework rule: {% area_access "medical" as medical %}."""

from typing import Any

from django import template

from ..access import Access, area_access
from ..selectors import person_upcoming_appointments

register = template.Library()


@register.simple_tag(takes_context=True)
def area_access_name(context: dict[str, Any], area: str) -> str:
    """The user's access to the area as a lower-case name: none, upcoming, status or full."""
    return Access(area_access(context["request"].user, area)).name.lower()


@register.inclusion_tag("casework/upcoming.html", takes_context=True)
def upcoming_appointments(context: dict[str, Any], person: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"upcoming": person_upcoming_appointments(user=user, person=person)}
