"""
Counts of text messages, for the dashboard and any report of numbers: what became of
them, why the failed ones failed (in words), and segments and cost per language.

A message belongs to a site through its person's home site or its announcement's site;
a volunteer's own reminders belong to none and are counted only when no site is chosen.
Aggregate queries only; counts only, never a number or a text.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from fieldapp.figures import Scope
from services.accounts.models import Channel
from services.accounts.scoping import user_site_ids

from .models import Message
from .reasons import reason_in_words

S = Message.Status
WENT = (S.SENT, S.DELIVERED, S.UNDELIVERED, S.FAILED, S.UNKNOWN)
FAILED = (S.UNDELIVERED, S.FAILED)
TOP_REASONS = 5


def _texts(scope: Scope) -> QuerySet[Message]:
    texts = Message.objects.filter(channel=Channel.SMS)
    chosen = user_site_ids(scope.user)
    if scope.site_ids is not None:
        chosen = set(scope.site_ids) if chosen is None else chosen & scope.site_ids
    if chosen is None:
        return texts
    ids = sorted(chosen)
    return texts.filter(Q(person__home_site_id__in=ids) | Q(broadcast__site_id__in=ids))


def _in_range(scope: Scope) -> QuerySet[Message]:
    return _texts(scope).filter(send_at__gte=scope.starts_at(), send_at__lt=scope.ends_before())


def sms_outcomes(scope: Scope) -> dict[str, int]:
    """Texts due in the range: sent (handed to the provider), delivered, failed."""
    return _in_range(scope).aggregate(
        sent=Count("id", filter=Q(status__in=WENT)),
        delivered=Count("id", filter=Q(status=S.DELIVERED)),
        failed=Count("id", filter=Q(status__in=FAILED)),
    )


@dataclass(frozen=True)
class Reason:
    code: str
    words: str
    count: int


def sms_failure_reasons(scope: Scope) -> list[Reason]:
    """The commonest reasons texts in the range failed, in words."""
    rows = (
        _in_range(scope)
        .filter(status__in=FAILED)
        .values("error_code")
        .annotate(count=Count("id"))
        .order_by("-count", "error_code")[:TOP_REASONS]
    )
    return [
        Reason(row["error_code"], reason_in_words(row["error_code"]), row["count"]) for row in rows
    ]


@dataclass(frozen=True)
class LanguageCost:
    language: str
    texts: int
    segments: int

    @property
    def cost(self) -> Decimal:
        return Decimal(settings.SMS_PRICE_PER_SEGMENT) * self.segments


def sms_month_by_language(scope: Scope) -> list[LanguageCost]:
    """Texts sent in the month of the range's last day: segments and cost per language."""
    month = Scope(scope.user, scope.site_ids, scope.end.replace(day=1), scope.end)
    rows = (
        _in_range(month)
        .filter(status__in=WENT)
        .values("language")
        .annotate(texts=Count("id"), segments=Sum("segments"))
        .order_by("-segments", "language")
    )
    return [LanguageCost(row["language"], row["texts"], row["segments"] or 0) for row in rows]
