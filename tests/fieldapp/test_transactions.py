"""A write the database aborts for a deadlock is tried once more, then refused in words."""

import psycopg.errors
import pytest
from django.db import OperationalError

from fieldapp.errors import Conflict
from fieldapp.transactions import retried_once
from services.sites.models import Site
from tests.factories import SiteFactory


def aborted_by_the_database(cause: psycopg.Error) -> OperationalError:
    """What Django raises when PostgreSQL aborts a statement: its error, from psycopg's."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def writer(failures: list[psycopg.Error]):
    """Writes a site, then fails with the next of `failures` while there are any left."""
    calls = []

    @retried_once
    def write() -> int:
        calls.append(1)
        SiteFactory(name=f"Site {len(calls)}")
        if failures:
            raise aborted_by_the_database(failures.pop(0))
        return len(calls)

    return write, calls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_a_deadlock_or_serialization_failure_is_tried_once_more_from_the_start(failure):
    write, calls = writer([failure("aborted")])
    assert write() == 2
    assert list(Site.objects.values_list("name", flat=True)) == ["Site 2"]


@pytest.mark.django_db
def test_a_second_deadlock_is_refused_with_a_message_and_nothing_is_written():
    write, calls = writer([psycopg.errors.DeadlockDetected("aborted")] * 2)
    with pytest.raises(Conflict) as refused:
        write()
    assert refused.value.code == "busy" and "Try again" in refused.value.message
    assert len(calls) == 2 and not Site.objects.exists()


@pytest.mark.django_db
def test_other_database_errors_are_not_retried():
    write, calls = writer([psycopg.errors.UndefinedTable("no such table")])
    with pytest.raises(OperationalError):
        write()
    assert len(calls) == 1
