"""
Who may act on a person's rights (see services/accounts/rules.py).

Coordinators, for the people whose home site is one of theirs (today every site:
accounts/scoping.py), produce a person's record and erase it. What of the record they
see is still each area's: a medical note is shown only to the medical role, a legal
note only to the legal role (holdings.py asks referrals.view_notes and
legal.view_notes), never to a coordinator. Every volunteer may show the privacy notice.
"""

from typing import Any

import rules

from services.accounts.rules import has_a_role, is_coordinator
from services.accounts.scoping import user_site_ids


@rules.predicate
def works_at_home_site(user: Any, person: Any) -> bool:
    """The person's home site is one of the user's; without a person, the lists decide."""
    if person is None:
        return True
    site_ids = user_site_ids(user)
    return site_ids is None or person.home_site_id in site_ids


rules.add_perm("privacy.view_record", is_coordinator & works_at_home_site)
rules.add_perm("privacy.erase_person", is_coordinator & works_at_home_site)
rules.add_perm("privacy.view_notice", has_a_role)
