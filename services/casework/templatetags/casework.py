"""
A person's coming appointments as any volunteer may see them ({% upcoming_appointments p %})
and their attendance history ({% attendance_history p %}).
"""

from typing import Any

from django import template

from ..attendance import person_attendance
from ..selectors import person_upcoming_appointments

register = template.Library()


@register.inclusion_tag("casework/upcoming.html", takes_context=True)
def upcoming_appointments(context: dict[str, Any], person: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"upcoming": person_upcoming_appointments(user=user, person=person)}


@register.inclusion_tag("casework/attendance.html", takes_context=True)
def attendance_history(context: dict[str, Any], person: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"attendance": person_attendance(user=user, person=person)}
