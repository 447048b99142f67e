"""
The audit log in words: "Amira (coordinator) read the medical notes of C-7K2 at 14:02",
not "referrals.referral #201".

An entry names its record by type and id only (the log holds no personal value), so
the words are made when the log is read. The audit app stands below every other, so
each app tells it how to name its own records (record_namer_register(), called in its
AppConfig.ready): which field names a record, usually the card code of the person it is
about ("person__code"). One query per record type names a whole page of entries.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry

_NAMERS: dict[str, str] = {}

# What each action did, with %(record)s for the record's name. An action missing here
# is told by its last word (VERBS), then in general terms.
ACTIONS: dict[str, Promise] = {
    "person.register": gettext_lazy("registered %(record)s"),
    "person.update": gettext_lazy("changed the record of %(record)s"),
    "person.read": gettext_lazy("opened the record of %(record)s"),
    "person.search": gettext_lazy("found %(record)s in a search"),
    "person.attendance.read": gettext_lazy("read the attendance history of %(record)s"),
    "person.card_reissue": gettext_lazy("replaced card %(old)s of %(record)s by card %(new)s"),
    "person.merge": gettext_lazy("merged the record of %(merged)s into %(kept)s"),
    "person.sms_opt_out": gettext_lazy("stopped SMS to %(record)s"),
    "person.sms_opt_in": gettext_lazy("restarted SMS to %(record)s"),
    "people.cards_print": gettext_lazy("printed cards (%(record)s)"),
    "referral.read": gettext_lazy("read the medical notes of %(record)s"),
    "referral.read:status": gettext_lazy("read the medical referral status of %(record)s"),
    "referral.list": gettext_lazy("saw the medical referral of %(record)s in a list"),
    "referral.create": gettext_lazy("referred %(record)s to a clinic"),
    "legal.appointment.read": gettext_lazy("read the legal appointment of %(record)s"),
    "legal.appointment.list": gettext_lazy("saw the legal appointment of %(record)s in a list"),
    "legal.appointment.book": gettext_lazy("booked legal advice for %(record)s"),
    "legal.appointment.notes": gettext_lazy("changed the legal notes of %(record)s"),
    "legal.appointment.reschedule": gettext_lazy("moved the legal appointment of %(record)s"),
    "legal.appointment.follow_up": gettext_lazy("followed up the missed appointment of %(record)s"),
    "messaging.message.read": gettext_lazy("read the SMS log entry of %(record)s"),
    "checkin.apply": gettext_lazy("recorded a check-in of %(record)s"),
    "user.create": gettext_lazy("created the account of %(record)s"),
    "user.profile_update": gettext_lazy("changed the profile of %(record)s"),
    "user.second_factor_setup": gettext_lazy("set up the second sign-in step of %(record)s"),
    "user.second_factor_reset": gettext_lazy("reset the second sign-in step of %(record)s"),
    "user.recovery_codes_renew": gettext_lazy("made new recovery codes for %(record)s"),
    "user.recovery_code_used": gettext_lazy("signed in with a recovery code of %(record)s"),
}
VERBS: dict[str, Promise] = {
    "read": gettext_lazy("read %(record)s"),
    "list": gettext_lazy("saw %(record)s in a list"),
    "create": gettext_lazy("created %(record)s"),
    "add": gettext_lazy("added %(record)s"),
    "update": gettext_lazy("changed %(record)s"),
    "remove": gettext_lazy("removed %(record)s"),
    "cancel": gettext_lazy("cancelled %(record)s"),
}


def record_namer_register(target_type: str, field: str) -> None:
    """The log names a record of `target_type` ("legal.appointment") by `field` ("person__code")."""
    _NAMERS[target_type] = field


def _named(target_type: str, ids: list[str]) -> dict[str, str]:
    field = _NAMERS.get(target_type)
    if field is None:
        return {}
    model = apps.get_model(target_type)
    numbers = [int(pk) for pk in ids if pk.isascii() and pk.isdigit()]
    rows = model._default_manager.filter(pk__in=numbers).values_list("pk", field)
    return {str(pk): str(name) for pk, name in rows if name}


def _kind(target_type: str) -> str:
    """The record type's own name ("legal appointment"), or the type as stored."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def record_names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """The name of each entry's record, one query per record type."""
    ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        ids[entry.target_type].add(entry.target_id)
    names: dict[tuple[str, str], str] = {}
    for target_type, wanted in ids.items():
        found = _named(target_type, sorted(wanted))
        for target_id in wanted:
            names[(target_type, target_id)] = found.get(target_id) or _("%(kind)s #%(id)s") % {
                "kind": _kind(target_type),
                "id": target_id,
            }
    return names


def _did(entry: AuditEntry, record: str) -> str:
    details = entry.details if isinstance(entry.details, dict) else {}
    phrase = ACTIONS.get(f"{entry.action}:{details.get('view')}") or ACTIONS.get(entry.action)
    if phrase is None:
        phrase = VERBS.get(entry.action.rsplit(".", 1)[-1])
    if phrase is None:
        return _("did “%(action)s” to %(record)s") % {"action": entry.action, "record": record}
    # A phrase may name what its details hold (the two codes of a merge).
    values = {key: str(value) for key, value in details.items() if isinstance(value, str)}
    try:
        return str(phrase) % {**values, "record": record}
    except KeyError:
        return _("did “%(action)s” to %(record)s") % {"action": entry.action, "record": record}


def _who(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is None:
        return _("The system or the person by SMS")
    role = str(getattr(actor, "role_label", "")).lower()
    if not role:
        return actor.get_username()
    return _("%(name)s (%(role)s)") % {"name": actor.get_username(), "role": role}


def _when(at: datetime, today: object) -> str:
    local = timezone.localtime(at)
    if local.date() == today:
        return _("at %(time)s") % {"time": local.strftime("%H:%M")}
    return _("on %(date)s at %(time)s") % {
        "date": local.strftime("%d-%m-%Y"),
        "time": local.strftime("%H:%M"),
    }


@dataclass(frozen=True)
class Sentence:
    entry: AuditEntry
    text: str


def entries_in_words(entries: list[AuditEntry]) -> list[Sentence]:
    """Each entry as one sentence: who (role) did what to whose record, when."""
    names = record_names(entries)
    today = timezone.localdate()
    return [
        Sentence(
            entry,
            _("%(who)s %(did)s %(when)s")
            % {
                "who": _who(entry),
                "did": _did(entry, names[(entry.target_type, entry.target_id)]),
                "when": _when(entry.at, today),
            },
        )
        for entry in entries
    ]
