"""Who may read and manage partner organisations (see services/accounts/rules.py)."""

import rules

from services.accounts.rules import is_coordinator, is_legal, is_medical

# Medical and legal volunteers pick a partner's service when they refer someone.
can_read_partners = is_coordinator | is_medical | is_legal

rules.add_perm("partners", is_coordinator)
rules.add_perm("partners.view_partner", can_read_partners)
rules.add_perm("partners.view_partnerservice", can_read_partners)
rules.add_perm("partners.add_partner", is_coordinator)
rules.add_perm("partners.change_partner", is_coordinator)
rules.add_perm("partners.add_partnerservice", is_coordinator)
rules.add_perm("partners.change_partnerservice", is_coordinator)
