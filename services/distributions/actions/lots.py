"""
Which delivery stock leaves from: the one that expires first (first-expiry-first-out),
then the oldest; lots without an expiry date after those with one, and stock received
before lots were kept last of all.

Called inside the transaction that takes the stock off the balance (stock.py, and
checkin.py for what is handed out), after the balance row is locked, so two phones
drawing from one lot queue on the balance first and never both take its last unit.
One SELECT ... FOR UPDATE and at most one UPDATE, whatever the number of lines.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Case, F, PositiveIntegerField, Q, Value, When

from ..models import Donor, StockLot

type Key = tuple[int, str]  # item id, size


@dataclass(frozen=True)
class Draw:
    """Part of one line of stock taken from one lot (None: stock from before lots)."""

    lot: StockLot | None
    quantity: int


def lot_open(
    *,
    site_id: int,
    item_id: int,
    size: str,
    quantity: int,
    donor: Donor | None = None,
    expires_on: date | None = None,
) -> StockLot:
    return StockLot.objects.create(
        site_id=site_id,
        item_id=item_id,
        size=size,
        donor=donor,
        expires_on=expires_on,
        received=quantity,
        left=quantity,
    )


def lots_draw(*, site_id: int, wanted: Iterable[tuple[Key, int]]) -> dict[Key, list[Draw]]:
    """
    Take `wanted` (item and size, quantity) from the site's lots, first expiry first.
    The balance has already been taken: whatever the lots lack came before them.
    """
    wanted = [(key, quantity) for key, quantity in wanted if quantity > 0]
    if not wanted:
        return {}
    keys = reduce(or_, (Q(item_id=item_id, size=size) for (item_id, size), _q in wanted))
    lots = (
        StockLot.objects.filter(keys, site_id=site_id, left__gt=0)
        .order_by(F("expires_on").asc(nulls_last=True), "received_at", "id")
        .select_for_update()
    )
    by_key: dict[Key, list[StockLot]] = {}
    for lot in lots:
        by_key.setdefault((lot.item_id, lot.size), []).append(lot)
    draws = {key: _draw(by_key.get(key, []), quantity) for key, quantity in wanted}
    _save_left([draw for line in draws.values() for draw in line if draw.lot is not None])
    return draws


def _draw(lots: list[StockLot], quantity: int) -> list[Draw]:
    draws: list[Draw] = []
    for lot in lots:
        if quantity == 0:
            break
        taken = min(lot.left, quantity)
        lot.left -= taken
        quantity -= taken
        draws.append(Draw(lot, taken))
    if quantity:
        draws.append(Draw(None, quantity))
    return draws


def _save_left(draws: list[Draw]) -> None:
    if not draws:
        return
    StockLot.objects.filter(pk__in=[draw.lot.pk for draw in draws if draw.lot]).update(
        left=Case(
            *(When(pk=draw.lot.pk, then=Value(draw.lot.left)) for draw in draws if draw.lot),
            default=F("left"),
            output_field=PositiveIntegerField(),
        )
    )
