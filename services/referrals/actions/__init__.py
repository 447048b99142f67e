"""Writes for referrals: creation (referral.py), the status workflow (workflow.py),
appointment reminders (reminders.py) and follow-ups (followups.py)."""
