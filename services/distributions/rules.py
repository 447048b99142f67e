"""
Who may hand out, plan and count stock (see services/accounts/rules.py).

Asked with an object where one is at hand: a session, a stock balance or a site (their
site), a check-in or a ticket (their session's site). Without one, a list is scoped to
the asker's sites by its selector (selectors.py, services/accounts/scoping.py).
"""

from typing import Any

import rules

from services.accounts.rules import is_coordinator, is_volunteer, works_at_site

# Everyone at the table hands things out: check-ins, tickets, reading stock and sessions.
at_the_table = is_volunteer | is_coordinator


def _where(obj: Any) -> Any:
    """What carries the site: a check-in's or a ticket's session, else the object itself."""
    return obj.session if hasattr(obj, "session_id") else obj


@rules.predicate
def works_there(user: Any, obj: Any) -> bool:
    """The object is at one of the user's sites (coordinators: every site)."""
    return obj is None or works_at_site(user, _where(obj))


@rules.predicate
def works_there_today(user: Any, session: Any) -> bool:
    """
    A check-in happens at the site the volunteer works at today (User.site); one who has
    not said where they work today may check in at any of their sites (User.sites).
    Today's site answers without reading the user's sites.
    """
    if session is None:
        return True
    if user.site_id is not None:
        return bool(user.site_id == session.site_id)
    return works_at_site(user, session)


rules.add_perm("distributions", is_coordinator)
rules.add_perm("distributions.add_checkin", is_coordinator | (is_volunteer & works_there_today))
for _codename in (
    "view_checkin",
    "add_ticket",
    "view_ticket",
    "change_ticket",
    "view_distributionsession",
    "view_stockbalance",
):
    rules.add_perm(f"distributions.{_codename}", at_the_table & works_there)
rules.add_perm("distributions.view_itemtype", at_the_table)
for _codename in (
    "add_itemtype",
    "change_itemtype",
    "add_stockmovement",
    "view_stockmovement",
    "add_distributionsession",
    "change_distributionsession",
    "change_checkin",
    # A check-in beyond what the person is entitled to, with a reason.
    "override_entitlement",
):
    rules.add_perm(f"distributions.{_codename}", is_coordinator)
