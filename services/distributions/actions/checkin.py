"""
Recording what a person received at a session.

checkin_record() is the rule book: the session is open at this site, the items and
sizes are offered, the person is entitled (minimum interval per item, per-session and
"choose N" limits) and the stock is there. The person's row is locked first, so two
phones checking in one person at the same moment are served one after the other and
the second sees the first's handout. The phone's UUID makes a retry or replay a no-op.
"""

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.accounts.roles import Role, user_has_role
from services.people.models import Person

from .. import selectors, snapshot
from ..models import CheckIn, DistributionSession, Handout, SessionItem, StockBalance, StockMovement
from .stock import balances_take, check_quantity, check_size


@dataclass(frozen=True)
class Line:
    item_id: int
    size: str
    quantity: int


class NotEntitled(DomainError):
    pass


def _payload_hash(session: DistributionSession, person: Person, lines: list[Line]) -> str:
    canonical = json.dumps(
        [session.pk, person.pk, sorted((ln.item_id, ln.size, ln.quantity) for ln in lines)]
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_lines(
    session: DistributionSession, lines: list[Line], session_offers: list[SessionItem] | None
) -> tuple[list[Line], dict[int, SessionItem]]:
    if not lines:
        raise DomainError(_("Tap at least one item."), field="items", code="empty")
    if session_offers is None:
        session_offers = list(session.offers.select_related("item"))
    offers = {offer.item_id: offer for offer in session_offers}
    merged: dict[tuple[int, str], int] = {}
    for line in lines:
        offer = offers.get(line.item_id)
        if offer is None:
            raise DomainError(
                _("This item is not handed out at this distribution."),
                field="items",
                code="not_offered",
            )
        size = check_size(offer.item, line.size)
        if offer.sizes and size not in [s.upper() for s in offer.sizes]:
            raise DomainError(
                _("Size %(size)s of %(item)s is not handed out today.")
                % {"size": size, "item": offer.item},
                field="items",
                code="size_not_offered",
            )
        quantity = check_quantity(line.quantity, field="items")
        merged[(line.item_id, size)] = merged.get((line.item_id, size), 0) + quantity
    # Sorted, so every check-in locks stock rows in the same order: two phones sending the
    # same items in another order would otherwise deadlock on the balances.
    lines = [Line(item_id, size, qty) for (item_id, size), qty in sorted(merged.items())]
    return lines, offers


def _entitlement_problems(
    session: DistributionSession,
    lines: list[Line],
    offers: dict[int, SessionItem],
    now: datetime,
    history: list[dict],
) -> list[str]:
    """`history`: the person's handouts that _read_state() returned."""
    this_session_total = sum(
        h["quantity"] for h in history if h["checkin__session_id"] == session.pk
    )
    problems = []
    for line in lines:
        offer = offers[line.item_id]
        item = offer.item
        in_session = sum(
            h["quantity"]
            for h in history
            if h["item_id"] == item.pk and h["checkin__session_id"] == session.pk
        )
        if in_session + line.quantity > offer.limit_per_person:
            problems.append(
                _("%(item)s: %(limit)d per person at this distribution.")
                % {"item": item, "limit": offer.limit_per_person}
            )
        if item.min_interval_days:
            cutoff = now - timedelta(days=item.min_interval_days)
            last = max(
                (
                    h["given_at"]
                    for h in history
                    if h["item_id"] == item.pk and h["given_at"] >= cutoff
                ),
                default=None,
            )
            if last is not None:
                next_date = timezone.localtime(last + timedelta(days=item.min_interval_days)).date()
                problems.append(
                    _("%(item)s: already given on %(date)s; next from %(next)s.")
                    % {
                        "item": item,
                        "date": timezone.localtime(last).strftime("%d/%m"),
                        "next": next_date.strftime("%d/%m"),
                    }
                )
    if session.choose_limit:
        wanted = sum(line.quantity for line in lines)
        if this_session_total + wanted > session.choose_limit:
            problems.append(
                _("%(limit)d items per person at this distribution.")
                % {"limit": session.choose_limit}
            )
    return problems


@transaction.atomic
def checkin_record(
    *,
    actor: User,
    session: DistributionSession,
    person: Person,
    lines: list[Line],
    client_uuid: uuid.UUID,
    client_recorded_at: datetime | None = None,
    override_reason: str = "",
    offline: bool = False,
    offers: list[SessionItem] | None = None,
) -> CheckIn:
    """
    Record a check-in, or refuse it with the reason. From an offline phone (offline=True)
    a refusal for entitlement or stock is kept as a conflict for a coordinator instead:
    the handout already happened at the table, and must not be lost. `offers`: the
    session's offers with their items, when the caller has read them already
    (selectors.session_with_offers); read here otherwise.
    """
    digest = _payload_hash(session, person, lines)
    now = timezone.now()
    # Locks the person's row until commit: a second phone serving the same person (or
    # re-sending the same check-in) waits here, then sees the first one.
    _lock_person(person, now)
    if offers is None:
        offers = list(session.offers.select_related("item"))
    state = _read_state(session, person, lines, offers, client_uuid, now)
    if state.recorded is not None:
        return _already_recorded(state.recorded, digest)
    cached = getattr(session, "checkin_fingerprint", None)
    if cached is not None and cached != state.fingerprint:  # a stale snapshot: read it again
        fresh, offers = selectors.session_with_offers(session_id=session.pk)
        session = fresh or session
        state = _read_state(session, person, lines, offers, client_uuid, now)
    if state.fingerprint is None:  # the session was deleted
        raise DomainError(
            _("This distribution is not open."), field="session", code="session_closed"
        )
    allowed_statuses: set[str] = {DistributionSession.Status.OPEN}
    if offline:
        allowed_statuses.add(DistributionSession.Status.CLOSED)  # recorded before it closed
    if snapshot.status_of(state.fingerprint) not in allowed_statuses:
        raise DomainError(
            _("This distribution is not open."), field="session", code="session_closed"
        )
    if (
        actor.site_id
        and actor.site_id != session.site_id
        and not user_has_role(actor, Role.COORDINATOR)
    ):
        raise DomainError(
            _("This distribution is at %(site)s, not at your site today.") % {"site": session.site},
            field="session",
            code="other_site",
        )
    lines, offered = _check_lines(session, lines, offers)
    checkin = CheckIn(
        client_uuid=client_uuid,
        payload_hash=digest,
        session=session,
        person=person,
        recorded_by=actor,
        requested=[[ln.item_id, ln.size, ln.quantity] for ln in lines],
        client_recorded_at=client_recorded_at,
    )
    problems = _entitlement_problems(session, lines, offered, now, state.history)
    override_reason = (override_reason or "").strip()[:200]
    if problems and override_reason and user_has_role(actor, Role.COORDINATOR):
        checkin.override_reason = override_reason
    elif problems:
        if not offline:
            raise NotEntitled(" ".join(problems), field="items", code="not_entitled")
        return _keep_conflict(checkin, " ".join(problems))
    try:  # no savepoint: on failure the whole check-in is rolled back anyway
        _insert_checkin(checkin)
    except IntegrityError as error:  # the same UUID, for another person, at the same moment
        raise Conflict(
            _("This check-in was already sent with different content. Nothing was changed."),
            code="uuid_reused",
        ) from error
    given_at = client_recorded_at if offline and client_recorded_at else now
    if offline:
        # A shortage keeps the check-in as a conflict with nothing handed out, so the
        # stock is taken (all or nothing) before anything else is written for it.
        if short := _take_stock(session, lines, offered):
            return _keep_conflict(checkin, short)
        _hand_out(checkin, lines, actor=actor, given_at=given_at)
        return checkin
    # Every check-in of the session locks the same few balance rows: take them last, so
    # they are held only until the commit. A shortage rolls the whole check-in back.
    _hand_out(checkin, lines, actor=actor, given_at=given_at)
    if short := _take_stock(session, lines, offered):
        raise DomainError(short, field="items", code="out_of_stock")
    return checkin


def _hand_out(
    checkin: CheckIn, lines: list[Line], *, actor: User, given_at: datetime, reason: str = ""
) -> None:
    """
    The ledger lines and the person's handouts for a check-in whose stock was taken: in
    one statement on PostgreSQL, written as bulk_create() would write them.
    """
    movements = [
        StockMovement(
            site_id=checkin.session.site_id,
            item_id=line.item_id,
            size=line.size,
            quantity=-line.quantity,
            kind=StockMovement.Kind.DISTRIBUTED,
            actor=actor,
            checkin=checkin,
            reason=reason,
        )
        for line in lines
    ]
    handouts = [
        Handout(
            checkin=checkin,
            person_id=checkin.person_id,
            item_id=line.item_id,
            size=line.size,
            quantity=line.quantity,
            given_at=given_at,
        )
        for line in lines
    ]
    (ledger, ledger_params), (given, given_params) = _insert(movements), _insert(handouts)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH ledger AS ({ledger}) {given}", ledger_params + given_params)
        else:
            cursor.execute(ledger, ledger_params)
            cursor.execute(given, given_params)


def _lock_person(person: Person, now: datetime) -> None:
    """An UPDATE, as Person.objects.filter(pk=...).update() writes it, without compiling it."""
    field = Person._meta.get_field("last_seen_at")
    quote = connection.ops.quote_name
    table, column = quote(Person._meta.db_table), quote(str(field.column))
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s"  # noqa: S608 - names only
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(now, connection), person.pk])


def _insert_checkin(checkin: CheckIn) -> None:
    """checkin.save() for a new check-in (no signal listens to it), without compiling it."""
    sql, params = _insert([checkin])
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING id", params)
        checkin.pk = cursor.fetchone()[0]
    checkin._state.adding, checkin._state.db = False, connection.alias


def _insert(rows: Sequence[Model]) -> tuple[str, list[Any]]:
    """
    An INSERT of new rows of one model, every field but the id, the values prepared by
    the fields as bulk_create() prepares them (auto_now_add, foreign keys, time zones),
    without the cost of compiling a query.
    """
    meta = rows[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    params = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in rows
        for field in fields
    ]
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608
    return sql, params


@dataclass(frozen=True)
class _State:
    fingerprint: str | None  # the session's, now (snapshot.py); None: no such session
    recorded: str | None  # "id/payload hash" of a check-in with this UUID, if any
    history: list[dict]  # item_id, given_at, quantity, session_id


def _read_state(
    session: DistributionSession,
    person: Person,
    lines: list[Line],
    offers: list[SessionItem],
    client_uuid: uuid.UUID,
    now: datetime,
) -> _State:
    """
    One statement, after the person's row is locked (so it sees what a check-in that
    held the lock before wrote): the session's fingerprint, an earlier check-in with
    this UUID, and the handouts that serve every entitlement rule: this session's (any
    item, for "choose N") and the recent ones of these items (minimum intervals).
    """
    by_item = {offer.item_id: offer for offer in offers}
    items = sorted({line.item_id for line in lines if line.item_id in by_item})
    longest = max((by_item[i].item.min_interval_days or 0 for i in items), default=0)
    handout, checkin = Handout._meta.db_table, CheckIn._meta.db_table
    in_items = ", ".join(["%s"] * len(items)) or "NULL"
    sql = f"""
        SELECT {snapshot.fingerprint_sql()},
               (SELECT CAST(id AS TEXT) || '/' || payload_hash FROM {checkin}
                 WHERE client_uuid = %s),
               x.item_id, x.given_at, x.quantity, x.session_id
          FROM (SELECT 1 AS one) AS one
          LEFT JOIN (
              SELECT h.item_id, h.given_at, h.quantity, c.session_id
                FROM {handout} h JOIN {checkin} c ON c.id = h.checkin_id
               WHERE h.person_id = %s
                 AND ((h.item_id IN ({in_items}) AND h.given_at >= %s) OR c.session_id = %s)
          ) AS x ON 1 = 1"""  # noqa: S608 - table names and placeholders only
    ops = connection.ops
    params = [
        session.pk,
        CheckIn._meta.get_field("client_uuid").get_db_prep_value(client_uuid, connection),
        person.pk,
        *items,
        ops.adapt_datetimefield_value(now - timedelta(days=longest)),
        session.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    history = [
        {"item_id": r[2], "given_at": _aware(r[3]), "quantity": r[4], "checkin__session_id": r[5]}
        for r in rows
        if r[2] is not None
    ]
    return _State(rows[0][0], rows[0][1], history)


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite answers text
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _already_recorded(recorded: str, digest: str) -> CheckIn:
    checkin_id, payload_hash = recorded.split("/", 1)
    if payload_hash != digest:
        raise Conflict(
            _("This check-in was already sent with different content. Nothing was changed."),
            code="uuid_reused",
        )
    return CheckIn.objects.get(pk=int(checkin_id))


def _take_stock(
    session: DistributionSession, lines: list[Line], offers: dict[int, SessionItem]
) -> str:
    """
    Take every line off the site's balances, all or nothing: '' when all were there,
    otherwise the shortage, described, with the lines already taken put back. One
    statement when there is enough; the balance row locks serialise two phones on an item.
    """
    wanted = [(line.item_id, line.size, line.quantity) for line in lines]
    taken = balances_take(site_id=session.site_id, wanted=wanted)
    if len(taken) == len(lines):
        return ""
    for line in lines:
        if (line.item_id, line.size) in taken:
            StockBalance.objects.filter(
                site_id=session.site_id, item_id=line.item_id, size=line.size
            ).update(quantity=F("quantity") + line.quantity)
    short = next(line for line in lines if (line.item_id, line.size) not in taken)
    return _("Not enough %(item)s %(size)s left at %(site)s.") % {
        "item": offers[short.item_id].item,
        "size": short.size,
        "site": session.site,
    }


def _keep_conflict(checkin: CheckIn, reason: str) -> CheckIn:
    checkin.status = CheckIn.Status.CONFLICT
    checkin.conflict_reason = reason[:300]
    checkin.save()
    return checkin


@transaction.atomic
def checkin_resolve(*, actor: User, checkin: CheckIn, apply: bool, reason: str = "") -> CheckIn:
    """
    A coordinator settles a conflict from an offline phone: apply it as an exception
    (with a reason; stock must be there) or dismiss it. Either way nothing is lost: the
    check-in keeps what the phone asked for.
    """
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.CONFLICT:
        raise DomainError(_("This check-in has no conflict to settle."), code="not_conflict")
    if not user_has_role(actor, Role.COORDINATOR):
        raise DomainError(_("Only a coordinator can settle this."), code="not_coordinator")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("Say why."), field="reason", code="reason_required")
    checkin.resolved_by = actor
    checkin.override_reason = reason
    if not apply:
        checkin.status = CheckIn.Status.DISMISSED
        checkin.save(update_fields=["status", "resolved_by", "override_reason"])
        return checkin
    session = checkin.session
    lines = [Line(item_id, size, quantity) for item_id, size, quantity in checkin.requested]
    offers = {offer.item_id: offer for offer in session.offers.select_related("item")}
    given_at = checkin.client_recorded_at or checkin.created_at
    _hand_out(checkin, lines, actor=actor, given_at=given_at, reason=reason)
    if short := _take_stock(session, lines, offers):  # raising rolls the handouts back
        raise DomainError(short, field="items", code="out_of_stock")
    checkin.status = CheckIn.Status.RECORDED
    checkin.save(update_fields=["status", "resolved_by", "override_reason"])
    return checkin
