"""Numbered queue tickets: issued in order, called one tap at a time."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError

from ..checks import check_size
from ..models import DistributionSession, ItemType, Ticket


@transaction.atomic
def ticket_issue(
    *, session: DistributionSession, item: ItemType | None = None, size: str = ""
) -> Ticket:
    # Lock the session so two volunteers handing out tickets never print the same number.
    session = DistributionSession.objects.select_for_update().get(pk=session.pk)
    if session.status == DistributionSession.Status.CLOSED:
        raise DomainError(_("This distribution is closed."), code="session_closed")
    if item is not None:
        if not session.offers.filter(item=item).exists():
            raise DomainError(
                _("This item is not handed out at this distribution."),
                field="item",
                code="not_offered",
            )
        size = check_size(item, size)
    elif size:
        raise DomainError(
            _("Choose the item for this size."), field="item", code="size_without_item"
        )
    last = session.tickets.aggregate(n=Max("number"))["n"] or 0
    return Ticket.objects.create(session=session, number=last + 1, item=item, size=size)


@transaction.atomic
def ticket_call_next(*, session: DistributionSession) -> Ticket | None:
    ticket = (
        session.tickets.select_for_update(skip_locked=True)
        .filter(status=Ticket.Status.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        return None
    ticket.status = Ticket.Status.CALLED
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["status", "called_at"])
    return ticket


def tickets_mark_no_show(*, now: datetime | None = None) -> int:
    """
    A ticket still waiting when its distribution is over (closed, or past its end) was
    never called: it did not come. Idempotent: a second run finds nothing left waiting.
    Returns how many were marked.
    """
    local = timezone.localtime(now or timezone.now())
    over = (
        Q(session__status=DistributionSession.Status.CLOSED)
        | Q(session__date__lt=local.date())
        | Q(session__date=local.date(), session__ends_at__lte=local.time())
    )
    return Ticket.objects.filter(over, status=Ticket.Status.WAITING).update(
        status=Ticket.Status.NO_SHOW
    )
