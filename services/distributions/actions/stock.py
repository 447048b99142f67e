"""
The stock ledger. Every change is a StockMovement written in the same transaction as
the change to the site's StockBalance row: by _move() here, and by checkin.py for what
is handed out. The balance's CHECK constraint makes a negative stock impossible even
when two phones race.
"""

import uuid
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.transactions import retried_once
from services.accounts.models import User
from services.sites.models import Site

from ..checks import check_quantity, check_size
from ..models import CheckIn, Donor, ItemType, StockBalance, StockLot, StockMovement
from .lots import Draw, lot_open, lots_draw

K = StockMovement.Kind


class OutOfStock(DomainError):
    pass


def _move(
    *,
    site: Site,
    item: ItemType,
    size: str,
    quantity: int,
    kind: str,
    actor: User | None,
    reason: str = "",
    transfer_group: uuid.UUID | None = None,
    checkin: CheckIn | None = None,
    lot: StockLot | None = None,
) -> StockMovement:
    """Stock in or out of one balance, as one ledger line. Out: first expiry first."""
    balance, _created = StockBalance.objects.get_or_create(site=site, item=item, size=size)
    try:
        with transaction.atomic():
            StockBalance.objects.filter(pk=balance.pk).update(quantity=F("quantity") + quantity)
    except IntegrityError as error:  # the CHECK constraint: it would go below zero
        on_hand = StockBalance.objects.get(pk=balance.pk).quantity
        raise OutOfStock(
            _("Only %(count)d of %(item)s %(size)s left at %(site)s.")
            % {"count": on_hand, "item": item, "size": size, "site": site},
            field="quantity",
            code="out_of_stock",
        ) from error
    draws = [Draw(lot, quantity)]
    if quantity < 0:
        taken = lots_draw(site_id=site.pk, wanted=[((item.pk, size), -quantity)])
        draws = [Draw(draw.lot, -draw.quantity) for draw in taken[(item.pk, size)]]
    movements = StockMovement.objects.bulk_create(
        StockMovement(
            site=site,
            item=item,
            size=size,
            quantity=draw.quantity,
            kind=kind,
            reason=reason,
            actor=actor,
            transfer_group=transfer_group,
            checkin=checkin,
            lot=draw.lot,
        )
        for draw in draws
    )
    return movements[0]


def _lock_balances(*, sites: Iterable[Site], item: ItemType, size: str) -> None:
    """
    Lock the balance rows of one item at several sites in the one global order of every
    stock lock (site, then item and size; check-ins lock one site's rows by item and
    size), creating any that is missing in that order too.
    """
    site_ids = sorted(site.pk for site in sites)
    for site_id in site_ids:
        StockBalance.objects.get_or_create(site_id=site_id, item=item, size=size)
    rows = StockBalance.objects.filter(site_id__in=site_ids, item=item, size=size)
    list(rows.order_by("site_id", "item_id", "size").select_for_update().values_list("pk"))


def _donor_named(name: str) -> Donor | None:
    """The donor with this name (any case), recorded the first time it is given."""
    name = " ".join((name or "").split())[:80]
    if not name:
        return None
    found = Donor.objects.filter(name__iexact=name).first()
    return found or Donor.objects.get_or_create(name=name)[0]


@transaction.atomic
def stock_receive(
    *,
    actor: User,
    site: Site,
    item: ItemType,
    size: str,
    quantity: int,
    reason: str = "",
    donor: str = "",
    expires_on: date | None = None,
) -> StockMovement:
    """
    A delivery: its own lot, with its donor (by name: recorded the first time it is
    given) and its expiry date where it has one.
    """
    quantity = check_quantity(quantity)
    size = check_size(item, size)
    lot = lot_open(
        site_id=site.pk,
        item_id=item.pk,
        size=size,
        quantity=quantity,
        donor=_donor_named(donor),
        expires_on=expires_on,
    )
    return _move(
        site=site,
        item=item,
        size=size,
        quantity=quantity,
        kind=K.RECEIVED,
        actor=actor,
        reason=reason,
        lot=lot,
    )


@retried_once
def stock_transfer(
    *, actor: User, source: Site, target: Site, item: ItemType, size: str, quantity: int
) -> uuid.UUID:
    """
    Both sides or neither: a transfer that would empty the source below zero fails whole.
    Both balances are locked first in the global order, so A→B and B→A at the same moment
    queue one behind the other; a deadlock with some other writer is tried once more.
    """
    quantity = check_quantity(quantity)
    size = check_size(item, size)
    if source == target:
        raise DomainError(_("Choose two different sites."), field="target", code="same_site")
    _lock_balances(sites=[source, target], item=item, size=size)
    group = uuid.uuid4()
    _move(
        site=source,
        item=item,
        size=size,
        quantity=-quantity,
        kind=K.TRANSFER_OUT,
        actor=actor,
        transfer_group=group,
    )
    taken = StockMovement.objects.filter(transfer_group=group, site=source).select_related("lot")
    for moved in taken.order_by("pk"):
        # Each lot moves with its donor and expiry, and in the order it was taken, so the
        # oldest leaves the target first too; stock from before lots stays without one.
        lot = moved.lot and lot_open(
            site_id=target.pk,
            item_id=item.pk,
            size=size,
            quantity=-moved.quantity,
            donor=moved.lot.donor,
            expires_on=moved.lot.expires_on,
        )
        _move(
            site=target,
            item=item,
            size=size,
            quantity=-moved.quantity,
            kind=K.TRANSFER_IN,
            actor=actor,
            transfer_group=group,
            lot=lot,
        )
    return group


@transaction.atomic
def stock_adjust(
    *,
    actor: User,
    site: Site,
    item: ItemType,
    size: str,
    change: int,
    reason: str,
    write_off: bool = False,
) -> StockMovement:
    """A count that differs from the ledger, or damaged stock: always with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the stock changes."), field="reason", code="reason_required")
    if isinstance(change, bool) or not isinstance(change, int) or change == 0:
        raise DomainError(
            _("Give a whole number other than zero."), field="change", code="bad_change"
        )
    check_quantity(abs(change), field="change")
    if write_off and change > 0:
        raise DomainError(_("A write-off takes stock away."), field="change", code="bad_change")
    size = check_size(item, size)
    return _move(
        site=site,
        item=item,
        size=size,
        quantity=change,
        kind=K.WRITTEN_OFF if write_off else K.ADJUSTED,
        actor=actor,
        reason=reason[:200],
    )
