"""Who may read and change the people registry (see services/accounts/rules.py)."""

import rules

from services.accounts.rules import has_a_role

# Every role registers and finds people: at the table, at the clinic desk, at legal advice.
rules.add_perm("people.view_person", has_a_role)
rules.add_perm("people.add_person", has_a_role)
rules.add_perm("people.change_person", has_a_role)
