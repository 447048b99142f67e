"""
What each donor's stock became: handed out, written off, or still on the shelves.

Every line of the stock ledger that takes stock out names the lot it came from (the lots
of services/distributions, drawn first expiry first, then oldest first), and each lot
keeps its donor, across transfers too. So what a donor's stock became is the ledger
summed by the donor of each line's lot: one aggregate query, whatever the number of
people served. Lines without a lot (stock from before lots were kept, or added by a
count) belong to no donor.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from services.distributions.models import StockMovement

K = StockMovement.Kind


@dataclass(frozen=True)
class DonorOutcome:
    received: int
    handed_out_here: int
    handed_out: int
    written_off: int
    on_hand: int


def _summed(condition: Q | None = None) -> Coalesce:
    """The quantities of the lines that meet `condition`: positive in, negative out."""
    return Coalesce(Sum("quantity", filter=condition), 0)


def donor_outcomes(
    *, site_id: int, start: datetime, end: datetime
) -> dict[tuple[str, int], DonorOutcome]:
    """
    For each (donor name, item; "" for no donor): how much was received in all, handed out
    at the site from `start` to `end`, handed out anywhere, written off, and still in stock
    by `end`. Donors listed are those whose stock came into the site by `end` (received,
    sent to it, or counted in) or was handed out there in the period.
    """
    here = Q(site_id=site_id)
    handed_out = Q(kind=K.DISTRIBUTED)
    rows = (
        StockMovement.objects.filter(created_at__lt=end)
        .values("lot__donor__name", "item_id")
        .annotate(
            received=_summed(Q(kind=K.RECEIVED)),
            out_here=_summed(handed_out & here & Q(created_at__gte=start)),
            out=_summed(handed_out),
            written_off=_summed(Q(kind=K.WRITTEN_OFF) | Q(kind=K.ADJUSTED, quantity__lt=0)),
            on_hand=_summed(),
            came_here=_summed(here & Q(quantity__gt=0)),
        )
        .filter(Q(came_here__gt=0) | Q(out_here__lt=0))
        .order_by()
    )
    outcomes = {
        (row["lot__donor__name"] or "", row["item_id"]): DonorOutcome(
            received=row["received"],
            handed_out_here=-row["out_here"],
            handed_out=-row["out"],
            written_off=-row["written_off"],
            on_hand=row["on_hand"],
        )
        for row in rows
    }
    return dict(sorted(outcomes.items(), key=lambda pair: (pair[0][0] == "", pair[0])))
