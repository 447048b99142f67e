"""
Who may do what with shifts (see services/accounts/rules.py):

- anyone with a role sees and signs up for the shifts of the sites they work at, and
  reads and writes the handover notes there;
- coordinators plan: create, copy, edit and cancel shifts, put a volunteer on one,
  take someone off one;
- team leads (a volunteer with the team lead skill) and coordinators run the day at a
  site: the coverage board, who is on now, marking arrivals, the phone numbers of those
  on;
- a sign-up is seen by its volunteer and by whoever runs its site's day.

Asked without an object, a site-bound question is left to the selectors, which keep
every list to the user's sites (scoping.py) and, for a team lead, to the sites they
lead.
"""

from typing import Any

import rules

from services.accounts.models import Skill
from services.accounts.rules import has_a_role, is_active_account, is_coordinator, works_at_site


@rules.predicate
def has_team_lead_skill(user: Any) -> bool:
    return Skill.objects.filter(user_id=user.pk, kind=Skill.Kind.TEAM_LEAD).exists()


@rules.predicate
def is_own_signup(user: Any, signup: Any) -> bool:
    """The sign-up is the user's own (no sign-up: left to the other rules)."""
    return signup is None or signup.user_id == user.pk


@rules.predicate
def works_at_signups_site(user: Any, signup: Any) -> bool:
    return signup is None or works_at_site(user, signup.shift)


is_team_lead = is_active_account & has_a_role & has_team_lead_skill
runs_the_day = is_coordinator | (is_team_lead & works_at_site)

rules.add_perm("shifts.view_shift", has_a_role & works_at_site)
rules.add_perm("shifts.sign_up", has_a_role & works_at_site)
rules.add_perm("shifts.add_shift", is_coordinator)
rules.add_perm("shifts.change_shift", is_coordinator)
rules.add_perm("shifts.assign_shift", is_coordinator)
rules.add_perm("shifts.view_board", runs_the_day)
rules.add_perm("shifts.run_day", runs_the_day)
rules.add_perm(
    "shifts.view_signup",
    is_coordinator | (has_a_role & is_own_signup) | (is_team_lead & works_at_signups_site),
)
rules.add_perm("shifts.withdraw_signup", is_coordinator | (has_a_role & is_own_signup))
rules.add_perm("shifts.view_handovernote", has_a_role & works_at_site)
rules.add_perm("shifts.add_handovernote", has_a_role & works_at_site)
