"""
What a person may take at a distribution now, and from when they may take the rest.

This is the one entitlement rule: the check-in screen, the API's entitlements and
checkin_record() all ask person_entitled(), over the history that offers_with_history()
reads, so the screen never says "may take" where the check-in then refuses.

Per offered item:
- days between two (ItemType.min_interval_days = N): an item last given on day D may be
  taken again from day D + N. Days are calendar days in the local time zone
  (Europe/Paris): the hour of the handout and a daylight-saving change move nothing, and
  "next from 12/03" means from the morning of 12 March;
- the offer's limit per person at one distribution, counting what was already given there;
- "choose N" (DistributionSession.choose_limit): at most N items in all at one distribution.

The history read is exactly what these need: the person's handouts of the offered items
since the first day that the longest interval the catalogue allows can still reach
(models.MAX_INTERVAL_DAYS, held by a CHECK constraint), summed up per item as the last
one and what they were given at this distribution, in one query with the offers.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.db.models import FilteredRelation, Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from services.people.models import Person

from .models import (
    MAX_INTERVAL_DAYS,
    DistributionSession,
    ItemType,
    SessionItem,
)


class History(TypedDict):
    last_given: datetime | None  # the item's last handout, if it can still hold it back
    taken_here: int  # of this item at this distribution


type OfferWithHistory = WithAnnotations[SessionItem, History]


def history_start(today: date) -> datetime:
    """The first moment whose handouts can still hold an item back on `today`."""
    first_day = today - timedelta(days=MAX_INTERVAL_DAYS - 1)
    return datetime.combine(first_day, time.min, tzinfo=timezone.get_current_timezone())


def person_id(person_code: str) -> Subquery:
    """The person's id, as a subquery the database runs once."""
    return Subquery(Person.objects.filter(code=person_code).order_by().values("pk")[:1])


def offers_with_history(
    *, session_id: int, person_code: str, today: date
) -> QuerySet[OfferWithHistory]:
    """
    The session's offers (with the session and each item), each with the
    person's History: one query, whatever the person's history holds. Each offer is
    joined to the person's handouts of its item since history_start(), found from the
    person's own rows (their id is a subquery run once), and grouped.
    """
    theirs = FilteredRelation(
        "item__handouts",
        condition=Q(
            item__handouts__person_id=person_id(person_code),
            item__handouts__given_at__gte=history_start(today),
        ),
    )
    here = Q(theirs__checkin__session_id=session_id)
    return (
        SessionItem.objects.filter(session_id=session_id)
        .select_related("session", "item")
        .order_by("item__category", "item__name")
        .annotate(theirs=theirs)
        .annotate(
            last_given=Max("theirs__given_at"),
            taken_here=Coalesce(Sum("theirs__quantity", filter=here), 0),
        )
    )


@dataclass(frozen=True)
class OfferStatus:
    """One offered item, as one person may take it now."""

    item: ItemType
    sizes: list[str]
    limit: int
    taken_today: int
    allowed_now: int
    last_given: datetime | None  # set when it holds the item back
    next_allowed: date | None  # None: the interval does not hold it back


@dataclass(frozen=True)
class Entitlement:
    offers: list[OfferStatus]
    choose_limit: int | None
    choose_left: int | None  # None: no "choose N" at this distribution

    def refusals(self, wanted: Mapping[int, int]) -> list[str]:
        """Why `wanted` ({item id: quantity}, offered items only) is more than allowed now."""
        problems = []
        for status in self.offers:
            asked = wanted.get(status.item.pk, 0)
            if asked and (status.next_allowed or asked > status.limit - status.taken_today):
                problems.append(_refusal(status))
        if self.choose_left is not None and sum(wanted.values()) > self.choose_left:
            problems.append(
                _("%(limit)d items per person at this distribution.") % {"limit": self.choose_limit}
            )
        return problems


def _refusal(status: OfferStatus) -> str:
    if status.next_allowed is not None and status.last_given is not None:
        return _("%(item)s: already given on %(date)s; next from %(next)s.") % {
            "item": status.item,
            "date": timezone.localtime(status.last_given).strftime("%d/%m"),
            "next": status.next_allowed.strftime("%d/%m"),
        }
    return _("%(item)s: %(limit)d per person at this distribution.") % {
        "item": status.item,
        "limit": status.limit,
    }


def next_allowed(
    last_given: datetime | None, interval_days: int | None, today: date
) -> date | None:
    """The day the item may be taken again, if that is after `today`; else None."""
    if last_given is None or not interval_days:
        return None
    day = timezone.localdate(last_given) + timedelta(days=interval_days)
    return day if day > today else None


def person_entitled(
    offers: Sequence[OfferWithHistory], session: DistributionSession, *, today: date
) -> Entitlement:
    """
    What the person may take of each offer now, and from when they may take the rest.
    `offers`: offers_with_history() of `session`, for this person.
    """
    # Only offered items are handed out at a distribution, and its offers do not change.
    taken_at_session = sum(offer.taken_here for offer in offers)
    choose_left = None
    if session.choose_limit:
        choose_left = max(0, session.choose_limit - taken_at_session)
    statuses = []
    for offer in offers:
        next_day = next_allowed(offer.last_given, offer.item.min_interval_days, today)
        allowed = 0 if next_day else max(0, offer.limit_per_person - offer.taken_here)
        statuses.append(
            OfferStatus(
                item=offer.item,
                sizes=list(offer.sizes),
                limit=offer.limit_per_person,
                taken_today=offer.taken_here,
                allowed_now=allowed if choose_left is None else min(allowed, choose_left),
                last_given=offer.last_given if next_day else None,
                next_allowed=next_day,
            )
        )
    return Entitlement(statuses, session.choose_limit, choose_left)
