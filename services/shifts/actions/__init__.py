"""
Writes of shifts, one module per concern: planning shifts (shifts.py, with the checks
of a plan in plan.py), signing up and arriving (signups.py), the handover log
(handover.py). Each checks who asks (shifts/rules.py), refuses bad input with one
translated DomainError before anything is written, changes the rows atomically,
audits, and puts the messages it causes in the outbox in the same transaction.
"""
