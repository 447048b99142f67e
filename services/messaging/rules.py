"""
Who may read the SMS log and replies, resend a message of unknown outcome, and send
broadcasts (see services/accounts/rules.py).
"""

import rules

from services.accounts.rules import is_coordinator

rules.add_perm("messaging.view_message", is_coordinator)
rules.add_perm("messaging.resend_message", is_coordinator)
rules.add_perm("messaging.view_inboundmessage", is_coordinator)
rules.add_perm("messaging.view_broadcast", is_coordinator)
rules.add_perm("messaging.add_broadcast", is_coordinator)
