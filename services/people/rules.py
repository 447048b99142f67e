"""
Who may read and change the people registry (see services/accounts/rules.py).

Every role registers and finds people: at the table, at the clinic desk, at legal
advice. Which people is the selectors' part: a list shows the people of the reader's
sites, and a whole card code opens its record wherever the person was registered
(services/people/selectors.py says why). Registering a person at, or moving one to, a
site is for those who work there (actions.py).
"""

import rules

from services.accounts.rules import has_a_role, is_coordinator

rules.add_perm("people.view_person", has_a_role)
rules.add_perm("people.add_person", has_a_role)
rules.add_perm("people.change_person", has_a_role)
# A new card, and merging two records of one person: coordinators, who see every site.
rules.add_perm("people.reissue_card", is_coordinator)
rules.add_perm("people.merge_person", is_coordinator)
