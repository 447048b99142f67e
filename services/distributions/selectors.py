"""Reads for distributions: stock on hand, what a person may take, demand, conflicts."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from services.people.models import Person
from services.sites.models import Site

from . import snapshot
from .models import (
    CheckIn,
    DistributionSession,
    Handout,
    ItemType,
    SessionItem,
    StockBalance,
    StockMovement,
    Ticket,
)

HISTORY_DAYS = 60


def stock_on_hand(*, site: Site) -> QuerySet[StockBalance]:
    return (
        StockBalance.objects.filter(site=site)
        .select_related("item")
        .order_by("item__category", "item__name", "size")
    )


def stock_from_ledger(*, site: Site, item: ItemType, size: str = "") -> int:
    """The sum of the movements: what StockBalance must always equal."""
    total = StockMovement.objects.filter(site=site, item=item, size=size).aggregate(
        n=Sum("quantity")
    )
    return total["n"] or 0


def stock_movements(*, site: Site) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(site=site).select_related("item", "actor")


def sessions_for_site(*, site: Site, since: date | None = None) -> QuerySet[DistributionSession]:
    since = since or timezone.localdate() - timedelta(days=7)
    return DistributionSession.objects.filter(site=site, date__gte=since).select_related("site")


def session_with_offers(*, session_id: int) -> tuple[DistributionSession | None, list[SessionItem]]:
    """
    A session (with its site) and its offers (with their items) in one query, for a
    check-in: (None, []) when there is no such session. The session carries
    `checkin_fingerprint`, read in the same statement (see snapshot.py); None when the
    session has no offers.
    """
    offers: list[SessionItem] = list(
        SessionItem.objects.filter(session_id=session_id)
        .select_related("session__site", "item")
        .annotate(checkin_fingerprint=RawSQL(snapshot.fingerprint_sql(), [session_id]))  # noqa: S611
    )
    if not offers:
        session = DistributionSession.objects.select_related("site").filter(pk=session_id).first()
        return session, []
    session = offers[0].session
    session.checkin_fingerprint = offers[0].checkin_fingerprint  # type: ignore[attr-defined]
    for offer in offers:  # one session object, not one per row
        offer.session = session
    return session, offers


def session_for_checkin(*, session_id: int) -> tuple[DistributionSession | None, list[SessionItem]]:
    """
    session_with_offers(), from the cache when it has them. checkin_record() checks the
    snapshot against the database in its locking statement (snapshot.py).
    """
    generation, cached = snapshot.snapshot_get(session_id)
    if cached is not None:
        return cached
    session, offers = session_with_offers(session_id=session_id)
    if offers:
        snapshot.snapshot_set(session_id, generation, (session, offers))
    return session, offers


@dataclass(frozen=True)
class OfferStatus:
    item: ItemType
    sizes: list[str]
    limit: int
    taken_today: int
    next_allowed: date | None  # None: may take it now

    @property
    def allowed_now(self) -> int:
        return 0 if self.next_allowed else max(0, self.limit - self.taken_today)


@dataclass(frozen=True)
class Entitlements:
    recent: list[Handout]
    offers: list[OfferStatus]


def person_entitlements(*, person: Person, session: DistributionSession) -> Entitlements:
    """What the volunteer sees at the table: recent handouts and what is allowed now."""
    now = timezone.now()
    recent = list(
        Handout.objects.filter(person=person, given_at__gte=now - timedelta(days=HISTORY_DAYS))
        .select_related("item", "checkin")
        .order_by("-given_at")[:30]
    )
    offers = []
    for offer in session.offers.select_related("item").order_by("item__category", "item__name"):
        item = offer.item
        taken_today = sum(
            h.quantity
            for h in recent
            if h.item_id == item.pk and h.checkin.session_id == session.pk
        )
        next_allowed = None
        if item.min_interval_days:
            last = next((h.given_at for h in recent if h.item_id == item.pk), None)
            if last is not None and last > now - timedelta(days=item.min_interval_days):
                next_allowed = timezone.localtime(
                    last + timedelta(days=item.min_interval_days)
                ).date()
        offers.append(
            OfferStatus(item, list(offer.sizes), offer.limit_per_person, taken_today, next_allowed)
        )
    return Entitlements(recent, offers)


@dataclass(frozen=True)
class DemandRow:
    item: ItemType
    size: str
    waiting: int
    on_hand: int


def ticket_demand(*, session: DistributionSession) -> list[DemandRow]:
    """Tickets waiting per item and size, against stock at the site: run-outs seen early."""
    waiting = (
        Ticket.objects.filter(session=session, status=Ticket.Status.WAITING, item__isnull=False)
        .values("item", "size")
        .annotate(n=Count("id"))
    )
    balances = {
        (b.item_id, b.size): b.quantity
        for b in StockBalance.objects.filter(site_id=session.site_id)
    }
    items = {item.pk: item for item in ItemType.objects.filter(pk__in=[w["item"] for w in waiting])}
    return [
        DemandRow(items[w["item"]], w["size"], w["n"], balances.get((w["item"], w["size"]), 0))
        for w in waiting
    ]


def checkin_conflicts(*, site: Site | None = None) -> QuerySet[CheckIn]:
    conflicts = CheckIn.objects.filter(status=CheckIn.Status.CONFLICT).select_related(
        "person", "session__site", "recorded_by"
    )
    return conflicts.filter(session__site=site) if site else conflicts
