"""
Who sees what of legal appointments (see services/accounts/rules.py). The one rule
every view, API endpoint, admin page, template and selector asks:

- legal.view_notes: the whole record with case type and notes, for the legal role.
- legal.view_status: every appointment's time, place, people, status and history,
  never case type or notes, for coordinators (and superusers: running the server is
  not a reason to read notes).
- legal.view_upcoming: the time and place of a person's coming appointments, for any
  volunteer, so they can help the person get there; and an interpreter's own bookings.
- nothing for anyone else.
"""

from typing import Any

import rules

from services.accounts.rules import has_a_role, is_coordinator, is_legal


@rules.predicate
def interprets(user: Any, appointment: Any) -> bool:
    """The user interprets this appointment (no appointment: left to the other rules)."""
    return appointment is None or appointment.interpreter_id == user.pk


sees_statuses = is_legal | is_coordinator

rules.add_perm("legal.view_notes", is_legal)
rules.add_perm("legal.view_status", sees_statuses)
rules.add_perm("legal.view_upcoming", has_a_role)
rules.add_perm("legal.view_appointment", sees_statuses | (has_a_role & interprets))
rules.add_perm("legal.add_appointment", is_legal)
rules.add_perm("legal.change_appointment", is_legal)
# The admin (coordinators') shows legal appointments, statuses only.
rules.add_perm("legal", sees_statuses)
