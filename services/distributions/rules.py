"""Who may hand out, plan and count stock (see services/accounts/rules.py)."""

import rules

from services.accounts.rules import is_coordinator, is_volunteer

# Everyone at the table hands things out: check-ins, tickets, reading stock and sessions.
at_the_table = is_volunteer | is_coordinator

rules.add_perm("distributions", is_coordinator)
for _codename in (
    "add_checkin",
    "view_checkin",
    "add_ticket",
    "view_ticket",
    "change_ticket",
    "view_distributionsession",
    "view_stockbalance",
    "view_itemtype",
):
    rules.add_perm(f"distributions.{_codename}", at_the_table)
for _codename in (
    "add_itemtype",
    "change_itemtype",
    "add_stockmovement",
    "view_stockmovement",
    "add_distributionsession",
    "change_distributionsession",
    "change_checkin",
):
    rules.add_perm(f"distributions.{_codename}", is_coordinator)
