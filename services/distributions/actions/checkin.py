"""
Recording what a person received at a session.

checkin_record() is the rule book: the session is open at the volunteer's site today,
the items and sizes are offered, the person is entitled (entitlements.py, the one rule
the screen shows too) and the stock is there. Plain Django, and every guarantee is the
database's:
- two phones serving one person: the first statement marks the person seen, and that
  UPDATE holds their row until the commit, so the second phone waits, then reads what
  the first one handed out (50 phones, one sleeping bag: one succeeds);
- a replay: the phone's UUID is unique, so a check-in sent twice is recorded once (the
  constraint catches it, or, when the rule refuses what it handed out the first time, a
  look for the UUID), and a UUID sent again with other content is refused as a conflict;
- stock: one UPDATE takes every line, on rows locked in (item, size) order so two
  check-ins never deadlock, and the balance's CHECK constraint refuses a negative.
A refusal inside the transaction (UUID already there, stock short) rolls it back whole
and is answered after it. From an offline phone, a refusal for entitlement or stock is
kept as a conflict for a coordinator: the handout already happened at the table.

A check-in that goes through takes the same statements whatever the person's history:
mark the person seen, read the offers with their history, insert the check-in, take the
stock, draw it from the lots that expire first (lots.py), insert its ledger lines (one
per lot drawn) and its handouts.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.models import Case, Expression, F, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.audit.actions import model_update
from services.people.codes import code_normalise
from services.people.models import Person
from services.people.selectors import people_with_codes, person_code_refusal

from ..checks import check_quantity, check_size
from ..entitlements import History, offers_with_history, person_entitled, person_id
from ..models import (
    CheckIn,
    DistributionSession,
    Handout,
    SessionItem,
    StockBalance,
    StockMovement,
)
from .lots import lots_draw


@dataclass(frozen=True)
class Line:
    item_id: int
    size: str
    quantity: int


class NotEntitled(DomainError):
    pass


@dataclass(frozen=True)
class _Sent:
    """What the phone sent, and who sent it."""

    actor: User
    session_id: int
    person_code: str
    lines: list[Line]
    client_uuid: uuid.UUID
    client_recorded_at: datetime | None
    override_reason: str
    offline: bool


class _State(History):
    person_pk: int


type _Offer = WithAnnotations[SessionItem, _State]


class _RolledBack(Exception):  # noqa: N818 - not an error: a way out of the transaction
    """Raised inside the check-in's transaction to undo it whole, answered outside it."""


class _AlreadySent(_RolledBack):
    def __init__(self, digest: str) -> None:
        self.digest = digest


class _Short(_RolledBack):
    def __init__(self, checkin: CheckIn, lines: list[Line]) -> None:
        self.checkin, self.lines = checkin, lines


def checkin_record(
    *,
    actor: User,
    session_id: int,
    person_code: str,
    lines: list[Line],
    client_uuid: uuid.UUID,
    client_recorded_at: datetime | None = None,
    override_reason: str = "",
    offline: bool = False,
) -> CheckIn:
    """
    Record a check-in of the person with this card code (as typed: any case, with or
    without the hyphen), or refuse it with the reason. From an offline phone
    (offline=True) a refusal for entitlement or stock is kept as a conflict instead.
    """
    if not lines:
        raise DomainError(_("Tap at least one item."), field="items", code="empty")
    reason = (override_reason or "").strip()[:200]
    sent = _Sent(
        actor,
        session_id,
        person_code,
        list(lines),
        client_uuid,
        client_recorded_at,
        reason,
        offline,
    )
    try:
        with transaction.atomic():
            return _record(sent, timezone.now())
    except _AlreadySent as again:
        return _already_recorded(client_uuid, again.digest)
    except _Short as short:
        message = _shortage(short.checkin.session, short.lines)
        if not offline:
            raise DomainError(message, field="items", code="out_of_stock") from None
        return _hold_after_shortage(short.checkin, message)


def _record(sent: _Sent, now: datetime) -> CheckIn:
    code = _mark_seen(sent.actor, sent.person_code, now)
    offers = _read(sent, code, now)
    digest = _payload_hash(sent.session_id, offers[0].person_pk, sent.lines)
    session = offers[0].session
    _check_session(sent, session)
    lines = _check_lines(offers, sent.lines)
    checkin = CheckIn(
        client_uuid=sent.client_uuid,
        payload_hash=digest,
        session=session,
        person=Person.from_db(None, ["id", "code"], [offers[0].person_pk, code]),
        recorded_by=sent.actor,
        requested=[[line.item_id, line.size, line.quantity] for line in lines],
        client_recorded_at=sent.client_recorded_at,
    )
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line.item_id] = wanted.get(line.item_id, 0) + line.quantity
    problems = person_entitled(offers, session, today=timezone.localdate(now)).refusals(wanted)
    if problems and CheckIn.objects.filter(client_uuid=sent.client_uuid).exists():
        raise _AlreadySent(digest)  # sent before: refused now for what it handed out then
    if problems and not _excepted(sent, checkin, problems):
        return _insert(checkin, status=CheckIn.Status.CONFLICT, reason=" ".join(problems))
    _insert(checkin)
    given_at = sent.client_recorded_at if sent.offline and sent.client_recorded_at else now
    _take_stock(checkin, lines)
    _hand_out(checkin, lines, actor=sent.actor, given_at=given_at)
    return checkin


def _mark_seen(actor: User, typed_code: str, now: datetime) -> str:
    """
    Mark the person seen now, found by card code among the people `actor` may see: the
    UPDATE locks their row until the commit. Returns the code as stored.
    """
    code = code_normalise(typed_code)
    if code is None or not people_with_codes(user=actor, codes=[code]).update(last_seen_at=now):
        raise person_code_refusal(typed_code, field="person")  # unknown, or "replaced"
    return code


def _read(sent: _Sent, code: str, now: datetime) -> list[_Offer]:
    """The offers with the person's history (entitlements.py) and id: one query, after the lock."""
    offers: list[_Offer] = list(
        offers_with_history(
            session_id=sent.session_id, person_code=code, today=timezone.localdate(now)
        ).annotate(person_pk=person_id(code))
    )
    if offers:
        return offers
    if DistributionSession.objects.filter(pk=sent.session_id).exists():
        raise DomainError(
            _("This item is not handed out at this distribution."),
            field="items",
            code="not_offered",
        )
    raise DomainError(_("This distribution is not open."), field="session", code="no_session")


def _payload_hash(session_id: int, person_id: int, lines: list[Line]) -> str:
    canonical = json.dumps(
        [session_id, person_id, sorted((ln.item_id, ln.size, ln.quantity) for ln in lines)]
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_session(sent: _Sent, session: DistributionSession) -> None:
    allowed: set[str] = {DistributionSession.Status.OPEN}
    if sent.offline:
        allowed.add(DistributionSession.Status.CLOSED)  # recorded before it closed
    if session.status not in allowed:
        raise DomainError(
            _("This distribution is not open."), field="session", code="session_closed"
        )
    if not sent.actor.has_perm("distributions.add_checkin", session):
        raise DomainError(
            _("This distribution is at %(site)s, not at your site today.") % {"site": session.site},
            field="session",
            code="other_site",
        )


def _check_lines(offers: list[_Offer], lines: list[Line]) -> list[Line]:
    """The lines, each item and size offered, merged and sorted by (item, size)."""
    by_item = {offer.item_id: offer for offer in offers}
    merged: dict[tuple[int, str], int] = {}
    for line in lines:
        offer = by_item.get(line.item_id)
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
    return [Line(item_id, size, quantity) for (item_id, size), quantity in sorted(merged.items())]


def _excepted(sent: _Sent, checkin: CheckIn, problems: list[str]) -> bool:
    """
    True: hand out all the same, as a coordinator's exception with its reason. False:
    keep it as a conflict (an offline phone). Otherwise refuse.
    """
    if sent.override_reason and sent.actor.has_perm(
        "distributions.override_entitlement", checkin.session
    ):
        checkin.override_reason = sent.override_reason
        return True
    if sent.offline:
        return False
    raise NotEntitled(" ".join(problems), field="items", code="not_entitled")


def _insert(
    checkin: CheckIn, *, status: str = CheckIn.Status.RECORDED, reason: str = ""
) -> CheckIn:
    checkin.status, checkin.conflict_reason = status, reason[:300]
    try:  # no savepoint: on failure the whole check-in is rolled back anyway
        checkin.save(force_insert=True)
    except IntegrityError as error:  # this UUID, sent for another person at the same moment
        raise _AlreadySent(checkin.payload_hash) from error
    return checkin


def _hand_out(
    checkin: CheckIn, lines: list[Line], *, actor: User, given_at: datetime, reason: str = ""
) -> None:
    """
    The ledger lines and the person's handouts of a check-in, after the stock is taken:
    one ledger line per lot each line is drawn from, first expiry first (lots.py).
    """
    site_id = checkin.session.site_id
    draws = lots_draw(
        site_id=site_id, wanted=[((line.item_id, line.size), line.quantity) for line in lines]
    )
    StockMovement.objects.bulk_create(
        StockMovement(
            site_id=site_id,
            item_id=line.item_id,
            size=line.size,
            quantity=-draw.quantity,
            kind=StockMovement.Kind.DISTRIBUTED,
            actor=actor,
            checkin=checkin,
            reason=reason,
            lot=draw.lot,
        )
        for line in lines
        for draw in draws[(line.item_id, line.size)]
    )
    Handout.objects.bulk_create(
        Handout(
            checkin=checkin,
            person_id=checkin.person_id,
            item_id=line.item_id,
            size=line.size,
            quantity=line.quantity,
            given_at=given_at,
        )
        for line in lines
    )


def _balances(site_id: int, lines: list[Line]) -> QuerySet[StockBalance]:
    keys = reduce(or_, (Q(item_id=line.item_id, size=line.size) for line in lines))
    return StockBalance.objects.filter(keys, site_id=site_id)


def _take_stock(checkin: CheckIn, lines: list[Line]) -> None:
    """
    Every line off the session site's balances in one UPDATE, on rows locked first in
    (item, size) order. A line without a balance row, or the CHECK constraint refusing
    a negative, raises _Short: the caller's transaction is then rolled back whole.
    """
    rows = _balances(checkin.session.site_id, lines)
    locked = rows.order_by("item_id", "size").select_for_update().values("pk")
    try:
        count = StockBalance.objects.filter(pk__in=Subquery(locked)).update(quantity=_less(lines))
    except IntegrityError as error:  # stock_never_negative
        raise _Short(checkin, lines) from error
    if count < len(lines):
        raise _Short(checkin, lines)


def _less(lines: list[Line]) -> Expression:
    """Each row's quantity less its line's: one subtraction when every line is the same
    number, as at the table it nearly always is (one of each), which costs the ORM a
    third of a CASE with a condition per line."""
    quantities = {line.quantity for line in lines}
    if len(quantities) == 1:
        return F("quantity") - quantities.pop()
    return Case(
        *(
            When(item_id=line.item_id, size=line.size, then=F("quantity") - line.quantity)
            for line in lines
        ),
        default=F("quantity"),
    )


def _shortage(session: DistributionSession, lines: list[Line]) -> str:
    """Which line there is not enough of, read after the rollback."""
    on_hand = {
        (balance.item_id, balance.size): balance
        for balance in _balances(session.site_id, lines).select_related("item")
    }
    short = next(
        (
            line
            for line in lines
            if (balance := on_hand.get((line.item_id, line.size))) is None
            or balance.quantity < line.quantity
        ),
        lines[0],  # back in stock since: the first line, as good as any
    )
    balance = on_hand.get((short.item_id, short.size))
    return _("Not enough %(item)s %(size)s left at %(site)s.") % {
        "item": balance.item if balance else short.item_id,
        "size": short.size,
        "site": session.site,
    }


def _hold_after_shortage(refused: CheckIn, reason: str) -> CheckIn:
    """An offline check-in without the stock: kept as a conflict, nothing handed out."""
    checkin = CheckIn(
        client_uuid=refused.client_uuid,
        payload_hash=refused.payload_hash,
        session=refused.session,
        person=refused.person,
        recorded_by=refused.recorded_by,
        requested=refused.requested,
        client_recorded_at=refused.client_recorded_at,
    )
    try:
        with transaction.atomic():
            return _insert(checkin, status=CheckIn.Status.CONFLICT, reason=reason)
    except _AlreadySent as again:
        return _already_recorded(checkin.client_uuid, again.digest)


def _already_recorded(client_uuid: uuid.UUID, digest: str) -> CheckIn:
    """The check-in sent before with this UUID, if it is this one."""
    recorded = CheckIn.objects.filter(client_uuid=client_uuid).first()
    if recorded is None or recorded.payload_hash != digest:
        raise Conflict(
            _("This check-in was already sent with different content. Nothing was changed."),
            code="uuid_reused",
        )
    return recorded


def checkin_resolve(*, actor: User, checkin: CheckIn, apply: bool, reason: str = "") -> CheckIn:
    """
    A coordinator settles a conflict from an offline phone: apply it as an exception
    (with a reason; stock must be there) or dismiss it. Either way nothing is lost: the
    check-in keeps what the phone asked for.
    """
    try:
        with transaction.atomic():
            return _resolve(actor, checkin, apply, reason)
    except _Short as short:
        message = _shortage(short.checkin.session, short.lines)
        raise DomainError(message, field="items", code="out_of_stock") from None


def _resolve(actor: User, checkin: CheckIn, apply: bool, reason: str) -> CheckIn:
    checkin = CheckIn.objects.select_for_update().select_related("session__site").get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.CONFLICT:
        raise DomainError(_("This check-in has no conflict to settle."), code="not_conflict")
    if not actor.has_perm("distributions.change_checkin", checkin):
        raise DomainError(_("Only a coordinator can settle this."), code="not_coordinator")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("Say why."), field="reason", code="reason_required")
    if apply:
        lines = [Line(item_id, size, quantity) for item_id, size, quantity in checkin.requested]
        given_at = checkin.client_recorded_at or checkin.created_at
        _take_stock(checkin, lines)  # a shortage rolls the whole settling back
        _hand_out(checkin, lines, actor=actor, given_at=given_at, reason=reason)
    status = CheckIn.Status.RECORDED if apply else CheckIn.Status.DISMISSED
    model_update(
        checkin,
        {"status": status, "resolved_by": actor, "override_reason": reason},
        actor=actor,
        action="checkin.apply" if apply else "checkin.dismiss",
    )
    return checkin
