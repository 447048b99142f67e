"""
A write that the database may abort for a deadlock or a serialization failure is tried
once more, and then refused with a message the user can act on: never a server error.

Lock rows in one global order first, so that such an abort is rare; this is for the
rare case that remains (another writer taking the same rows in a different order).
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict

P = ParamSpec("P")
R = TypeVar("R")

# The SQL standard's codes for "roll back and try again": serialization_failure and
# deadlock_detected (PostgreSQL).
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def retried_once(func: Callable[P, R]) -> Callable[P, R]:
    """
    Run func in a transaction (a savepoint inside an outer one); when the database
    aborts it for a deadlock or a serialization failure, run it once more from the
    start; when that fails too, raise Conflict (409) asking the user to try again.
    """

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
            raise Conflict(
                _("Someone else changed the same records at the same moment. Try again."),
                code="busy",
            ) from error

    return run
