"""A queue ticket never called is marked as "did not come" once its distribution is over."""

import datetime

import pytest

from services.distributions.actions.tickets import ticket_call_next, ticket_issue
from services.distributions.models import DistributionSession, Ticket
from services.distributions.tasks import tickets_no_show
from services.scheduling.grid import local_datetime

pytestmark = pytest.mark.django_db


def at(session, hour):
    return local_datetime(session.date, datetime.time(hour))


@pytest.fixture
def queue(session):
    tickets = [ticket_issue(session=session, item=None, size="") for _ in range(3)]
    ticket_call_next(session=session)
    return tickets


def _statuses(session):
    return list(session.tickets.order_by("number").values_list("status", flat=True))


def test_tickets_still_waiting_after_the_end_did_not_come_and_called_ones_stay(session, queue):
    from services.distributions.actions.tickets import tickets_mark_no_show

    assert tickets_mark_no_show(now=at(session, 12)) == 0
    assert tickets_mark_no_show(now=at(session, 13)) == 2
    assert _statuses(session) == ["called", "no_show", "no_show"]


def test_the_task_is_idempotent(session, queue):
    DistributionSession.objects.filter(pk=session.pk).update(
        status=DistributionSession.Status.CLOSED
    )
    assert tickets_no_show.apply().get() == 2
    assert tickets_no_show.apply().get() == 0
    assert Ticket.objects.filter(status=Ticket.Status.NO_SHOW).count() == 2
