"""
What each donor's stock became: handed out, written off, or still on the shelves.

The ledger pools stock: a sleeping bag handed out is not marked with the donation it
came from. Warehouses answer the question first in, first out, and so does this: at each
site, for each item and size, what goes out is taken from the oldest stock there, and a
transfer carries its share of each donation to the site it goes to. Handouts are read
summed by day (one row per site, item, size and day), so the work grows with days and
items, not with the people served; within a day, stock arriving counts before stock
leaving.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncDate

from services.distributions.models import StockMovement

K = StockMovement.Kind
Place = tuple[int, int, str]  # site, item, size


@dataclass
class DonorOutcome:
    received: int = 0
    handed_out_here: int = 0
    handed_out: int = 0
    written_off: int = 0
    on_hand: int = 0


@dataclass
class _Ledger:
    """The donations on the shelves of each place, oldest first."""

    lots: dict[Place, deque[list]] = field(default_factory=lambda: defaultdict(deque))

    def put(self, place: Place, shares: list[tuple[str, int]]) -> None:
        for donor, quantity in shares:
            if quantity > 0:
                self.lots[place].append([donor, quantity])

    def take(self, place: Place, quantity: int) -> list[tuple[str, int]]:
        """The shares of `quantity` taken from the oldest stock at `place`."""
        shares: list[tuple[str, int]] = []
        queue = self.lots[place]
        while quantity > 0 and queue:
            lot = queue[0]
            used = min(lot[1], quantity)
            shares.append((lot[0], used))
            lot[1] -= used
            quantity -= used
            if lot[1] == 0:
                queue.popleft()
        if quantity > 0:  # older than the ledger's records: no donor known
            shares.append(("", quantity))
        return shares


def _events(until: datetime) -> list[tuple[date, int, int, dict]]:
    """Every movement up to `until` in the order they count: by day, arrivals first."""
    singles = (
        StockMovement.objects.filter(created_at__lt=until)
        .exclude(kind=K.DISTRIBUTED)
        .order_by("created_at", "id")
        .values("id", "site_id", "item_id", "size", "quantity", "kind", "donor", "transfer_group")
    )
    handouts = (
        StockMovement.objects.filter(created_at__lt=until, kind=K.DISTRIBUTED)
        .annotate(day=TruncDate("created_at"))
        .values("day", "site_id", "item_id", "size")
        .annotate(total=Sum("quantity"))
        .order_by("day")
    )
    rank: dict[str, int] = {
        K.RECEIVED: 0,
        K.ADJUSTED: 1,
        K.TRANSFER_OUT: 2,
        K.TRANSFER_IN: 3,
        K.WRITTEN_OFF: 5,
    }
    events: list[tuple[date, int, int, dict]] = []
    for single in singles.annotate(day=TruncDate("created_at")):
        moved: dict[str, Any] = dict(single)
        order = rank[moved["kind"]] if moved["quantity"] > 0 or moved["kind"] != K.ADJUSTED else 5
        events.append((moved["day"], order, moved["id"], moved))
    for n, summed in enumerate(handouts):
        day_out: dict[str, Any] = {
            **dict(summed),
            "kind": K.DISTRIBUTED,
            "quantity": summed["total"],
        }
        events.append((summed["day"], 4, n, day_out))
    events.sort(key=lambda event: event[:3])
    return events


def donor_outcomes(
    *, site_id: int, since: date, until: date, until_instant: datetime
) -> dict[tuple[str, int], DonorOutcome]:
    """
    For each (donor, item): how much was received in all, how much was handed out here
    between `since` and `until`, handed out anywhere, written off, and still on hand, by
    `until_instant` (the end of the period). Donors listed are those whose stock was
    received at the site, sent to it, or handed out there in the period.
    """
    ledger = _Ledger()
    outcomes: dict[tuple[str, int], DonorOutcome] = defaultdict(DonorOutcome)
    in_transit: dict[object, list[tuple[str, int]]] = {}
    here: set[tuple[str, int]] = set()
    for day, _order, _n, row in _events(until_instant):
        place = (row["site_id"], row["item_id"], row["size"])
        quantity, kind = row["quantity"], row["kind"]
        if kind == K.RECEIVED or (kind == K.ADJUSTED and quantity > 0):
            donor = row["donor"] if kind == K.RECEIVED else ""
            ledger.put(place, [(donor, quantity)])
            outcomes[(donor, row["item_id"])].received += quantity
            if row["site_id"] == site_id:
                here.add((donor, row["item_id"]))
        elif kind == K.TRANSFER_OUT:
            in_transit[row["transfer_group"]] = ledger.take(place, -quantity)
        elif kind == K.TRANSFER_IN:
            shares = in_transit.pop(row["transfer_group"], [("", quantity)])
            ledger.put(place, shares)
            if row["site_id"] == site_id:
                here.update((donor, row["item_id"]) for donor, _share in shares)
        else:
            _going_out(ledger, outcomes, here, place, -quantity, kind, site_id, since <= day)
    for (_site, item_id, _size), queue in ledger.lots.items():
        for donor, quantity in queue:
            outcomes[(donor, item_id)].on_hand += quantity
    return {key: outcomes[key] for key in sorted(here, key=lambda key: (key[0] == "", key))}


def _going_out(
    ledger: _Ledger,
    outcomes: dict[tuple[str, int], DonorOutcome],
    here: set[tuple[str, int]],
    place: Place,
    quantity: int,
    kind: str,
    site_id: int,
    in_period: bool,
) -> None:
    for donor, share in ledger.take(place, quantity):
        outcome = outcomes[(donor, place[1])]
        if kind != K.DISTRIBUTED:
            outcome.written_off += share
            continue
        outcome.handed_out += share
        if place[0] == site_id and in_period:
            outcome.handed_out_here += share
            here.add((donor, place[1]))
