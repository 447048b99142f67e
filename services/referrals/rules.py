"""
Who sees what of medical referrals (see services/accounts/rules.py). The one rule
every view, API endpoint, admin page, template and selector asks:

- referrals.view_notes: whole referrals with notes, reasons and services, and
  follow-ups, for the medical role.
- referrals.view_status: counts and statuses, never a note, for coordinators (and
  superusers: running the server is not a reason to read notes).
- referrals.view_upcoming: the time and place of a person's coming appointments, for
  any volunteer, so they can help the person get there; and an interpreter's own
  bookings (time, place, card code, language).
- nothing for anyone else.
"""

import rules

from services.accounts.rules import has_a_role, is_coordinator, is_medical

sees_statuses = is_medical | is_coordinator

rules.add_perm("referrals.view_notes", is_medical)
rules.add_perm("referrals.view_status", sees_statuses)
rules.add_perm("referrals.view_upcoming", has_a_role)
for _codename in (
    "view_referral",
    "add_referral",
    "change_referral",
    "view_followuptask",
    "change_followuptask",
):
    rules.add_perm(f"referrals.{_codename}", is_medical)
# The admin (coordinators') shows referrals, statuses only.
rules.add_perm("referrals", sees_statuses)
