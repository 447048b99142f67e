"""Who may see the dashboard: coordinators (counts of every site they coordinate)."""

import rules

from services.accounts.rules import is_coordinator

rules.add_perm("dashboard.view_dashboard", is_coordinator)
