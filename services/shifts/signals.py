"""What shifts do when accounts announce a change (services/accounts/signals.py)."""

from typing import Any


def signups_end_for_closed_account(sender: Any, user: Any, **kwargs: Any) -> None:
    """A volunteer whose stay ended is off every shift still to come (their place frees)."""
    from .actions.signups import signups_end_for_user

    signups_end_for_user(user)
