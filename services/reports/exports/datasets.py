"""
What each export holds, column by column: pseudonymous codes, never a name or a phone
number unless the export was granted them (then two more columns), never a note, an
SMS text or a medical or legal reason in words.

Rows are read with .iterator(), a server-side cursor on PostgreSQL, so an export of any
length holds one chunk of rows in memory at a time.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.distributions.models import Handout, StockMovement
from services.legal.models import Appointment
from services.messaging.models import Message
from services.referrals.models import Referral
from services.shifts.models import Shift

from ..models import Dataset

CHUNK = 2000

Row = list[Any]


@dataclass(frozen=True)
class Scope:
    """Which rows: the sites (None: every site the coordinator sees) and the instants."""

    site_ids: list[int] | None
    start: datetime
    end: datetime
    identities: bool


def local(moment: datetime | None) -> datetime | None:
    """Paris time without a zone: what a spreadsheet can hold."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _label(choices: Any) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda code: str(labels.get(code, code))


def _in(queryset: QuerySet[Any], scope: Scope, site: str, when: str) -> QuerySet[Any]:
    queryset = queryset.filter(**{f"{when}__gte": scope.start, f"{when}__lt": scope.end})
    if scope.site_ids is not None:
        queryset = queryset.filter(**{f"{site}__in": scope.site_ids})
    return queryset.order_by(when, "pk")


def _person(scope: Scope, prefix: str = "person__") -> tuple[list[str], list[Any]]:
    fields = [f"{prefix}code"]
    headers: list[Any] = [_("Card code")]
    if scope.identities:
        fields += [f"{prefix}name", f"{prefix}phone"]
        headers += [_("Name"), _("Phone")]
    return fields, headers


def _rows(queryset: QuerySet[Any], fields: list[str]) -> Iterator[tuple[Any, ...]]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def distributions(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    person_fields, person_headers = _person(scope)
    headers = [_("Handed out at"), _("Site"), _("Distribution"), *person_headers]
    headers += [_("Item"), _("Size"), _("How many")]
    fields = ["given_at", "checkin__session__site__name", "checkin__session_id"]
    fields += [*person_fields, "item__name", "size", "quantity"]
    queryset = QUERYSETS[Dataset.DISTRIBUTIONS](scope)
    return headers, ([local(r[0]), *r[1:]] for r in _rows(queryset, fields))


def stock(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    headers = [_("When"), _("Site"), _("Item"), _("Size"), _("Change"), _("Kind"), _("Donor")]
    headers += [_("Reason"), _("Transfer"), _("Recorded by (account number)")]
    fields = [
        "created_at",
        "site__name",
        "item__name",
        "size",
        "quantity",
        "kind",
        "lot__donor__name",
    ]
    fields += ["reason", "transfer_group", "actor_id"]
    kind = _label(StockMovement.Kind.choices)
    queryset = QUERYSETS[Dataset.STOCK](scope)
    return headers, (
        [local(r[0]), *r[1:5], kind(r[5]), r[6] or "", r[7], str(r[8] or ""), r[9]]
        for r in _rows(queryset, fields)
    )


def referrals(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    person_fields, person_headers = _person(scope)
    headers = [_("Referral"), _("Made on"), _("Site"), *person_headers, _("Partner service")]
    headers += [_("Urgency"), _("Reason"), _("Status"), _("Appointment"), _("Interpreter")]
    fields = ["id", "created_at", "site__name", *person_fields, "service__name"]
    fields += ["urgency", "reason_category", "status", "appointment_at", "interpreter_language"]
    queryset = QUERYSETS[Dataset.REFERRALS](scope)
    n = len(person_fields)
    return headers, (
        [r[0], local(r[1]), *r[2 : 4 + n], *r[4 + n : 7 + n], local(r[7 + n]), r[8 + n]]
        for r in _rows(queryset, fields)
    )


def appointments(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    person_fields, person_headers = _person(scope)
    headers = [_("Appointment"), _("Starts"), _("Ends"), _("Site"), *person_headers]
    headers += [_("Language"), _("Case type"), _("Status")]
    fields = ["id", "starts_at", "ends_at", "site__name", *person_fields]
    fields += ["language", "case_type", "status"]
    status = _label(Appointment.Status.choices)
    queryset = QUERYSETS[Dataset.APPOINTMENTS](scope)
    return headers, (
        [r[0], local(r[1]), local(r[2]), *r[3:-1], status(r[-1])] for r in _rows(queryset, fields)
    )


def shifts(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    headers = [_("Shift"), _("Site"), _("Task"), _("Starts"), _("Ends"), _("People needed")]
    headers += [_("Signed up"), _("Cancelled")]
    fields = ["id", "site__name", "task", "starts_at", "ends_at", "people_needed", "signed_up"]
    fields += ["cancelled_at"]
    task = _label(Shift.Task.choices)
    queryset = QUERYSETS[Dataset.SHIFTS](scope)
    return headers, (
        [r[0], r[1], task(r[2]), local(r[3]), local(r[4]), r[5], r[6], local(r[7])]
        for r in _rows(queryset, fields)
    )


def messages(scope: Scope) -> tuple[list[Any], Iterator[Row]]:
    headers: list[Any] = [_("Message"), _("Made"), _("Kind"), _("Card code")]
    headers += [_("Volunteer (account number)"), _("Channel"), _("Language"), _("Segments")]
    headers += [_("Status"), _("Error")]
    fields = ["id", "created_at", "kind", "person__code", "user_id", "channel", "language"]
    fields += ["segments", "status", "error_code"]
    if scope.identities:
        headers.append(_("Sent to"))
        fields.append("to_phone")
    status = _label(Message.Status.choices)
    return headers, (
        [r[0], local(r[1]), *r[2:8], status(r[8]), *r[9:]]
        for r in _rows(QUERYSETS[Dataset.MESSAGES](scope), fields)
    )


def _messages(scope: Scope) -> QuerySet[Any]:
    queryset = Message.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.site_ids is not None:
        queryset = queryset.filter(
            Q(person__home_site__in=scope.site_ids) | Q(broadcast__site__in=scope.site_ids)
        )
    return queryset.order_by("created_at", "pk")


QUERYSETS: dict[str, Callable[[Scope], QuerySet[Any]]] = {
    Dataset.DISTRIBUTIONS: lambda scope: _in(
        Handout.objects.all(), scope, "checkin__session__site", "given_at"
    ),
    Dataset.STOCK: lambda scope: _in(StockMovement.objects.all(), scope, "site", "created_at"),
    Dataset.REFERRALS: lambda scope: _in(Referral.objects.all(), scope, "site", "created_at"),
    Dataset.APPOINTMENTS: lambda scope: _in(Appointment.objects.all(), scope, "site", "starts_at"),
    Dataset.SHIFTS: lambda scope: _in(Shift.objects.all(), scope, "site", "starts_at"),
    Dataset.MESSAGES: _messages,
}


def rows_count(dataset: str, scope: Scope) -> int:
    return QUERYSETS[dataset](scope).count()


DATASETS: dict[str, Callable[[Scope], tuple[list[Any], Iterator[Row]]]] = {
    Dataset.DISTRIBUTIONS: distributions,
    Dataset.STOCK: stock,
    Dataset.REFERRALS: referrals,
    Dataset.APPOINTMENTS: appointments,
    Dataset.SHIFTS: shifts,
    Dataset.MESSAGES: messages,
}
