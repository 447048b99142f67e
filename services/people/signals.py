"""
What the registry tells the apps above it. People stand below messaging, so they
announce a change that messaging must act on instead of calling it.
"""

from django.dispatch import Signal

# Sent inside the transaction that takes a person's SMS consent away, with
# `person`: every message still waiting for them must be cancelled with it.
sms_consent_withdrawn = Signal()
