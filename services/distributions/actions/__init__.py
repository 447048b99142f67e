"""Writes for distributions: stock (ledger), sessions, queue tickets, check-ins."""
