"""
Reads for distributions: stock, sessions, tickets, check-ins and conflicts, what a
person may take, and the demand at a queue.

Every list is of the sites the asker works at (services/accounts/scoping.py): a
volunteer sees their sites' rows, a coordinator every site's. A read of one site's or one
session's rows is for a caller that has checked the object (`has_perm(..., obj)`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from services.accounts.rules import is_coordinator, is_volunteer
from services.accounts.scoping import in_user_sites
from services.people.models import Person
from services.sites.models import Site

from .entitlements import OfferStatus, offers_with_history, person_entitled
from .models import (
    CheckIn,
    DistributionSession,
    Handout,
    ItemType,
    LowStockLevel,
    StockBalance,
    StockMovement,
    Ticket,
)
from .sizes import size_key

# What the table shows of a person's past handouts; what they may take is the rule's.
RECENT_DAYS = 60
RECENT_SHOWN = 30


def stock_balances(*, user: Any) -> QuerySet[StockBalance]:
    """Stock on hand at the user's sites."""
    balances = StockBalance.objects.select_related("item").order_by("site", "item", "size")
    return in_user_sites(balances, user=user)


def stock_on_hand(*, site: Site) -> list[StockBalance]:
    """The site's stock, item by item, each item's sizes in shop order (sizes.py)."""
    balances = StockBalance.objects.filter(site=site).select_related("item")
    return sorted(
        balances, key=lambda b: (b.item.category, b.item.name, b.item_id, size_key(b.size))
    )


def low_stock_levels(*, site: Site) -> QuerySet[LowStockLevel]:
    return (
        LowStockLevel.objects.filter(site=site)
        .select_related("item")
        .order_by("item__category", "item__name")
    )


def stock_from_ledger(*, site: Site, item: ItemType, size: str = "") -> int:
    """The sum of the movements: what StockBalance must always equal."""
    total = StockMovement.objects.filter(site=site, item=item, size=size).aggregate(
        n=Sum("quantity")
    )
    return total["n"] or 0


def stock_movements(*, site: Site) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(site=site).select_related("item", "actor")


def sessions_visible(*, user: Any) -> QuerySet[DistributionSession]:
    """The distributions at the user's sites, with their site."""
    return in_user_sites(DistributionSession.objects.select_related("site"), user=user)


def sessions_for_site(
    *, user: Any, site: Site, since: date | None = None
) -> QuerySet[DistributionSession]:
    since = since or timezone.localdate() - timedelta(days=7)
    return sessions_visible(user=user).filter(site=site, date__gte=since)


def tickets_visible(*, user: Any) -> QuerySet[Ticket]:
    return in_user_sites(Ticket.objects.all(), user=user, field="session__site")


def checkins_visible(*, user: Any) -> QuerySet[CheckIn]:
    return in_user_sites(CheckIn.objects.select_related("person"), user=user, field="session__site")


def checkin_conflicts(*, user: Any) -> QuerySet[CheckIn]:
    """Check-ins from offline phones waiting for a coordinator, at the user's sites."""
    return (
        checkins_visible(user=user)
        .filter(status=CheckIn.Status.CONFLICT)
        .select_related("session__site", "recorded_by")
    )


@dataclass(frozen=True)
class Entitlements:
    recent: list[Handout]
    offers: list[OfferStatus]
    audience: str  # ItemType.Audience of the kits they took before; "" when none yet

    def applying(self) -> list[OfferStatus]:
        """The offers that apply to this person: no men's kit to whom took women's kits."""
        return [o for o in self.offers if offer_applies(o.item, self.audience)]


def offer_applies(item: ItemType, audience: str) -> bool:
    """
    An item for anyone applies to everyone; a men's or women's item to whom took that
    audience's items before, and to a newcomer (the volunteer chooses). Nothing about a
    person's sex is stored: only what they were handed, which the ledger already holds.
    """
    return not item.audience or not audience or item.audience == audience


def person_audience(*, person: Person) -> str:
    """The audience of the last men's or women's item the person took, or ""."""
    last = (
        Handout.objects.filter(person=person)
        .exclude(item__audience="")
        .order_by("-given_at")
        .values_list("item__audience", flat=True)
        .first()
    )
    return last or ""


def person_entitlements(
    *, person: Person, session: DistributionSession, now: datetime | None = None
) -> Entitlements:
    """
    What the volunteer sees at the table: what the person may take of each offer now
    and from when (entitlements.py, the rule the check-in applies), and their recent
    handouts.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    offers = offers_with_history(session_id=session.pk, person_code=person.code, today=today)
    entitled = person_entitled(list(offers), session, today=today)
    recent = list(
        Handout.objects.filter(person=person, given_at__gte=now - timedelta(days=RECENT_DAYS))
        .select_related("item")
        .order_by("-given_at")[:RECENT_SHOWN]
    )
    return Entitlements(recent, entitled.offers, person_audience(person=person))


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


def session_to_serve_at_sign_in(*, user: Any) -> DistributionSession | None:
    """
    The one distribution open today at a table volunteer's site, which they land on when
    they sign in, or None (several, none, no site, or a coordinator, who plans first).
    """
    if is_coordinator(user) or not is_volunteer(user) or user.site_id is None:
        return None
    today = list(
        sessions_visible(user=user).filter(
            site_id=user.site_id, date=timezone.localdate(), status=DistributionSession.Status.OPEN
        )[:2]
    )
    if len(today) != 1:
        return None
    session = today[0]
    return session if user.has_perm("distributions.add_checkin", session) else None
