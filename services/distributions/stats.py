"""
Counts of distributions and stock, for the dashboard and any report of numbers.

Each function is one aggregate query (GROUP BY in the database), so its cost and its
query count do not grow with the rows, and it returns counts only: never a person.
Hide small counts with fieldapp.suppression before showing them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from fieldapp.figures import Scope
from services.accounts.scoping import in_scope

from .models import CheckIn, Handout, LowStockLevel, StockBalance, StockLot

EXPIRY_WARNING_DAYS = 14


@dataclass(frozen=True)
class ServedDay:
    day: date
    site_id: int
    people: int
    new: int

    @property
    def returning(self) -> int:
        return self.people - self.new


def people_served_by_day(scope: Scope) -> list[ServedDay]:
    """
    People served per distribution day and site; new: registered that day, as a person
    is at their first visit, when they get their card. (Asking "served ever before?"
    of every check-in is a look-up per row: seconds at 100,000 check-ins.)
    """
    recorded = CheckIn.objects.filter(status=CheckIn.Status.RECORDED)
    rows = (
        in_scope(recorded, scope=scope, field="session__site")
        .filter(session__date__range=(scope.start, scope.end))
        .values("session__date", "session__site_id")
        .annotate(
            people=Count("person_id", distinct=True),
            new=Count(
                "person_id",
                distinct=True,
                filter=Q(person__created_at__date=F("session__date")),
            ),
        )
        .order_by("session__date", "session__site_id")
    )
    return [
        ServedDay(row["session__date"], row["session__site_id"], row["people"], row["new"])
        for row in rows
    ]


@dataclass(frozen=True)
class ItemCount:
    item_id: int
    category: str
    size: str
    handed_out: int
    on_hand: int


def handouts_against_stock(scope: Scope) -> list[ItemCount]:
    """
    Items handed out in the range per item and size, beside the stock on hand now.
    Handed out: by the time the person received them (given_at), so that over every site
    the count reads the handouts alone, without a join; a chosen site adds the one to
    the check-in's session.
    """
    handouts = Handout.objects.filter(
        given_at__gte=scope.starts_at(), given_at__lt=scope.ends_before()
    )
    handed = (
        in_scope(handouts, scope=scope, field="checkin__session__site")
        .values("item_id", "item__category", "size")
        .annotate(quantity=Sum("quantity"))
    )
    stock = (
        in_scope(StockBalance.objects.all(), scope=scope)
        .values("item_id", "item__category", "size")
        .annotate(quantity=Sum("quantity"))
    )
    counts: dict[tuple[int, str, str], list[int]] = {}
    for row in handed:
        counts.setdefault(_key(row), [0, 0])[0] = row["quantity"]
    for row in stock:
        counts.setdefault(_key(row), [0, 0])[1] = row["quantity"]
    return [
        ItemCount(item_id, category, size, out, on_hand)
        for (item_id, category, size), (out, on_hand) in sorted(
            counts.items(), key=lambda pair: (pair[0][1], pair[0][0], pair[0][2])
        )
        if out or on_hand
    ]


def _key(row: Mapping[str, Any]) -> tuple[int, str, str]:
    return row["item_id"], row["item__category"], row["size"]


@dataclass(frozen=True)
class LowItem:
    site_id: int
    item_id: int
    level: int
    on_hand: int


def items_low(scope: Scope) -> list[LowItem]:
    """Items at or below their low-stock level at a site (all sizes together)."""
    on_hand = (
        StockBalance.objects.filter(site_id=OuterRef("site_id"), item_id=OuterRef("item_id"))
        .values("site_id", "item_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    rows = (
        in_scope(LowStockLevel.objects.all(), scope=scope)
        .annotate(on_hand=Coalesce(Subquery(on_hand, output_field=IntegerField()), 0))
        .filter(on_hand__lte=F("level"))
        .order_by("site_id", "item__category", "item__name")
        .values("site_id", "item_id", "level", "on_hand")
    )
    return [LowItem(**row) for row in rows]


@dataclass(frozen=True)
class Expiring:
    site_id: int
    item_id: int
    size: str
    expires_on: date
    left: int


def lots_expiring(scope: Scope, *, today: date) -> list[Expiring]:
    """Stock that expires within EXPIRY_WARNING_DAYS of today, or has expired, still held."""
    rows = (
        in_scope(StockLot.objects.filter(left__gt=0), scope=scope)
        .filter(expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS))
        .values("site_id", "item_id", "size", "expires_on")
        .annotate(left=Sum("left"))
        .order_by("expires_on", "site_id", "item_id", "size")
    )
    return [Expiring(**row) for row in rows]  # type: ignore[arg-type]  # expires_on set
