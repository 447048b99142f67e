"""Who may publish availability and keep a calendar feed (see services/accounts/rules.py)."""

from typing import Any

import rules

from services.accounts.rules import has_a_role, is_legal


@rules.predicate
def is_own(user: Any, row: Any) -> bool:
    """The availability row is the user's own (no row: the question is left to the rest)."""
    return row is None or row.user_id == user.pk


# Advising needs the legal role; any volunteer who speaks languages may interpret.
rules.add_perm("scheduling.offer_advice", is_legal)
rules.add_perm("scheduling.offer_interpreting", has_a_role)
# One's own availability and spoken languages only.
rules.add_perm("scheduling.view_availability", has_a_role)
rules.add_perm("scheduling.add_availability", has_a_role)
rules.add_perm("scheduling.delete_availability", has_a_role & is_own)
# A feed lives while its owner has a role: deactivated or roleless, it is gone.
rules.add_perm("scheduling.use_calendar_feed", has_a_role)
