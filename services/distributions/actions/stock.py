"""
The stock ledger. Every change is a StockMovement written by _move(), which also moves
the site's StockBalance row in the same transaction; the balance's CHECK constraint
makes a negative stock impossible even when two phones race.
"""

import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.sites.models import Site

from ..models import CheckIn, ItemType, StockBalance, StockMovement

MAX_QUANTITY = 100_000
K = StockMovement.Kind


class OutOfStock(DomainError):
    pass


def check_quantity(quantity: object, *, field: str = "quantity") -> int:
    """Whole, positive, and not absurd: the same rule for forms, API and sync."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError(_("Give a whole number."), field=field, code="not_whole")
    if quantity < 1:
        raise DomainError(_("Give a number above zero."), field=field, code="not_positive")
    if quantity > MAX_QUANTITY:
        raise DomainError(
            _("%(max)d at most in one go.") % {"max": MAX_QUANTITY}, field=field, code="too_many"
        )
    return quantity


def check_size(item: ItemType, size: str) -> str:
    size = (size or "").strip().upper()
    if item.sizes and size not in [s.upper() for s in item.sizes]:
        raise DomainError(
            _("%(item)s does not come in size %(size)s.") % {"item": item, "size": size or "—"},
            field="size",
            code="bad_size",
        )
    if not item.sizes and size:
        raise DomainError(
            _("%(item)s has no sizes.") % {"item": item}, field="size", code="bad_size"
        )
    return size


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
) -> StockMovement:
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
    return StockMovement.objects.create(
        site=site,
        item=item,
        size=size,
        quantity=quantity,
        kind=kind,
        reason=reason,
        actor=actor,
        transfer_group=transfer_group,
        checkin=checkin,
    )


def balances_take(*, site_id: int, wanted: list[tuple[int, str, int]]) -> set[tuple[int, str]]:
    """
    Take each (item, size, quantity) off the site's balances in one statement, each row
    only where it holds enough: the (item, size) pairs taken. The caller writes the
    movements and undoes a partial take (see checkin._take_stock). On PostgreSQL the rows
    are locked in (item, size) order, so two check-ins of the same items cannot deadlock;
    SQLite has no row locks (one writer at a time).
    """
    table = connection.ops.quote_name(StockBalance._meta.db_table)
    if connection.vendor == "postgresql":
        rows = ", ".join(["(%s::bigint, %s::text, %s::integer)"] * len(wanted))
        sql = f"""
            WITH wanted (item_id, size, quantity) AS (VALUES {rows}),
            locked AS MATERIALIZED (
                SELECT b.id, w.quantity FROM {table} b
                JOIN wanted w ON b.item_id = w.item_id AND b.size = w.size
                WHERE b.site_id = %s
                ORDER BY b.item_id, b.size
                FOR UPDATE OF b
            )
            UPDATE {table} b SET quantity = b.quantity - locked.quantity
            FROM locked WHERE b.id = locked.id AND b.quantity >= locked.quantity
            RETURNING b.item_id, b.size"""  # noqa: S608 - only the table name is formatted in
    else:
        row = "SELECT %s AS item_id, %s AS size, %s AS quantity"
        selects = " UNION ALL ".join([row] * len(wanted))
        sql = f"""
            UPDATE {table} SET quantity = {table}.quantity - w.quantity
            FROM ({selects}) AS w
            WHERE {table}.item_id = w.item_id AND {table}.size = w.size
              AND {table}.site_id = %s AND {table}.quantity >= w.quantity
            RETURNING {table}.item_id, {table}.size"""  # noqa: S608 - as above
    params = [value for line in wanted for value in line] + [site_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(item_id, size) for item_id, size in cursor.fetchall()}


@transaction.atomic
def stock_receive(
    *, actor: User, site: Site, item: ItemType, size: str, quantity: int, reason: str = ""
) -> StockMovement:
    quantity = check_quantity(quantity)
    size = check_size(item, size)
    return _move(
        site=site,
        item=item,
        size=size,
        quantity=quantity,
        kind=K.RECEIVED,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def stock_transfer(
    *, actor: User, source: Site, target: Site, item: ItemType, size: str, quantity: int
) -> uuid.UUID:
    """Both sides or neither: a transfer that would empty the source below zero fails whole."""
    quantity = check_quantity(quantity)
    size = check_size(item, size)
    if source == target:
        raise DomainError(_("Choose two different sites."), field="target", code="same_site")
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
    _move(
        site=target,
        item=item,
        size=size,
        quantity=quantity,
        kind=K.TRANSFER_IN,
        actor=actor,
        transfer_group=group,
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
