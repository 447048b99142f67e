"""Planning, opening, closing and announcing distribution sessions (coordinators)."""

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record, model_update
from services.messaging.actions.broadcast import broadcast_send
from services.messaging.models import Broadcast
from services.messaging.sms_templates import Kind
from services.sites.models import Site

from ..checks import check_size
from ..models import DistributionSession, ItemType, SessionItem

S = DistributionSession.Status


@dataclass(frozen=True)
class Offer:
    item: ItemType
    sizes: list[str]
    limit_per_person: int = 1


@transaction.atomic
def session_plan(
    *,
    actor: User,
    site: Site,
    day: date,
    starts_at: time,
    ends_at: time,
    offers: list[Offer],
    choose_limit: int | None = None,
) -> DistributionSession:
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at", code="bad_times")
    if not offers:
        raise DomainError(_("Offer at least one item."), field="offers", code="empty")
    if choose_limit is not None and choose_limit < 1:
        raise DomainError(_("Give a number above zero."), field="choose_limit", code="not_positive")
    session = DistributionSession.objects.create(
        site=site,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        choose_limit=choose_limit,
        created_by=actor,
    )
    seen = set()
    for offer in offers:
        if offer.item.pk in seen:
            raise DomainError(_("Each item once."), field="offers", code="duplicate")
        seen.add(offer.item.pk)
        sizes = [check_size(offer.item, size) for size in offer.sizes] if offer.item.sizes else []
        if offer.limit_per_person < 1 or offer.limit_per_person > 50:
            raise DomainError(_("Give a limit between 1 and 50."), field="offers", code="bad_limit")
        SessionItem.objects.create(
            session=session,
            item=offer.item,
            sizes=sizes or list(offer.item.sizes),
            limit_per_person=offer.limit_per_person,
        )
    audit_record(actor=actor, action="distribution.plan", target=session)
    return session


def session_set_status(
    *, actor: User, session: DistributionSession, status: str
) -> DistributionSession:
    allowed: dict[str, set[str]] = {S.PLANNED: {S.OPEN}, S.OPEN: {S.CLOSED}, S.CLOSED: {S.OPEN}}
    if status not in allowed.get(session.status, set()):
        raise DomainError(
            _("A distribution cannot go from %(old)s to %(new)s.")
            % {"old": session.get_status_display(), "new": S(status).label},
            code="bad_status",
        )
    model_update(session, {"status": status}, actor=actor, action=f"distribution.{status}")
    return session


def announcement_context(session: DistributionSession) -> dict[str, str]:
    """The values of the announcement SMS, for the preview and for the send."""
    return {
        "date": session.date.isoformat(),  # in words in each reader's language
        "time": session.starts_at.strftime("%H:%M"),
        "place": session.site.name,
    }


@transaction.atomic
def session_announce(*, actor: User, session: DistributionSession) -> Broadcast:
    """
    An SMS to the site's opted-in people, each in their language, through the engine.
    Once per distribution: a second tap on Send (or a second coordinator) sends nothing.
    """
    session = (
        DistributionSession.objects.select_for_update().select_related("site").get(pk=session.pk)
    )
    if session.status == S.CLOSED or session.date < timezone.localdate():
        raise DomainError(
            _("This distribution is over: there is nothing to announce."), code="session_over"
        )
    if session.announced_at is not None:
        raise DomainError(
            _("This distribution was already announced on %(when)s.")
            % {"when": timezone.localtime(session.announced_at).strftime("%d/%m %H:%M")},
            code="already_announced",
        )
    session.announced_at = timezone.now()
    session.save(update_fields=["announced_at"])
    return broadcast_send(
        actor=actor,
        site=session.site,
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        context=announcement_context(session),
    )
