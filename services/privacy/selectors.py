"""
Subject access: everything fieldapp holds about one person, for them to read.

`person_record()` gathers it from every app that holds something (people,
distributions, referrals, legal, messaging, the audit log) into one plain structure,
which the page renders in the person's language and the JSON download gives as it
is. It is a sensitive read: every copy made is in the audit log, with who made it.

What of it the reader receives is still each area's: a referral's clinic, reason and
notes only for the medical role, a legal appointment's case type and notes only for
the legal role. A coordinator, who produces the copy, sees that such details are held
and which team gives them. Values are the stored
ones; labels are computed in the active language, so the caller renders under
`translation.override(person.language)`.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Q
from django.utils.translation import gettext as _

from services.accounts.models import User
from services.audit.actions import audit_record
from services.audit.models import AuditEntry
from services.distributions.models import CheckIn
from services.legal.models import Appointment
from services.messaging.actions.redact import DONE
from services.messaging.models import InboundMessage, Message
from services.people.models import Person
from services.referrals.models import Referral

Record = dict[str, Any]
M = TypeVar("M")

ACTION_WORDS: dict[str, Callable[[], str]] = {
    "person.register": lambda: _("Registered"),
    "person.update": lambda: _("Record changed"),
    "person.sms_opt_out": lambda: _("SMS stopped"),
    "person.sms_opt_in": lambda: _("SMS started again"),
    "person.subject_access": lambda: _("A copy of this record was made"),
    "person.anonymise": lambda: _("Name, phone and notes removed"),
    "person.erase": lambda: _("Record erased"),
    "referral.create": lambda: _("Referred to a clinic"),
    "legal.appointment.book": lambda: _("Legal advice appointment booked"),
}
# Reads of a record, whatever the screen: "referral.list", "legal.appointment.view".
READ_SUFFIXES = (".list", ".view", ".read", ".upcoming")
AREA_WORDS: dict[str, Callable[[], str]] = {
    "person.": lambda: _("Record changed"),
    "referral.": lambda: _("Clinic referral changed"),
    "legal.": lambda: _("Legal advice appointment changed"),
}


def action_in_words(action: str) -> str:
    """What an audit entry did, in the reader's language, for the person to read."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]()
    if action.endswith(READ_SUFFIXES):
        return _("Read by a volunteer")
    area = next((words for prefix, words in AREA_WORDS.items() if action.startswith(prefix)), None)
    return area() if area else ""


def _person(person: Person) -> Record:
    return {
        "code": person.code,
        "name": person.name,
        "phone": person.phone.as_international if person.phone else "",
        "language": person.get_language_display(),
        "sms_consent": person.sms_consent,
        "sms_consent_changed_at": person.sms_consent_changed_at,
        "home_site": str(person.home_site),
        "registered_at": person.created_at,
        "last_seen_at": person.last_seen_at,
        "anonymised_at": person.anonymised_at,
        "erased_at": person.erased_at,
    }


def _distributions(person: Person) -> list[Record]:
    checkins = (
        CheckIn.objects.filter(person=person)
        .select_related("session__site")
        .prefetch_related("handouts__item")
        .order_by("created_at")
    )
    return [
        {
            "date": checkin.session.date,
            "site": str(checkin.session.site),
            "status": checkin.get_status_display(),
            "items": [
                {"item": handout.item.name, "size": handout.size, "quantity": handout.quantity}
                for handout in checkin.handouts.all()
            ],
        }
        for checkin in checkins
    ]


def _referral_case(referral: Referral) -> Record:
    return {
        "partner": str(referral.service.partner),
        "service": referral.service.name,
        "reason": referral.get_reason_category_display(),
        "urgency": referral.get_urgency_display(),
        "notes": str(referral.clinical_notes),
    }


def _referrals(user: User, person: Person) -> list[Record]:
    referrals = (
        Referral.objects.filter(person=person)
        .select_related("service__partner", "site")
        .order_by("created_at")
    )
    return [
        {
            "created_at": referral.created_at,
            "site": str(referral.site),
            "status": referral.get_status_display(),
            "appointment_at": referral.appointment_at,
            "consent_to_share": referral.consent_to_share,
            **_case(user, "referrals.view_notes", referral, _referral_case),
        }
        for referral in referrals
    ]


def _legal_case(appointment: Appointment) -> Record:
    notes = [str(appointment.notes), str(appointment.outcome_notes)]
    return {
        "case_type": appointment.get_case_type_display(),
        "notes": "\n\n".join(note for note in notes if note),
    }


def _legal(user: User, person: Person) -> list[Record]:
    appointments = Appointment.objects.filter(person=person).select_related("site")
    return [
        {
            "starts_at": appointment.starts_at,
            "status": appointment.get_status_display(),
            "site": str(appointment.site) if appointment.site else _("By phone"),
            **_case(user, "legal.view_notes", appointment, _legal_case),
        }
        for appointment in appointments
    ]


def _case(user: User, permission: str, record: M, details: Callable[[M], Record]) -> Record:
    """
    The medical or legal details (what for, with whom, the notes) for their own role
    only: anyone else gets `withheld`, and the page says which team to ask.
    """
    if user.has_perm(permission, record):
        return {"withheld": False, **details(record)}
    return {"withheld": True}


def _messages(person: Person) -> list[Record]:
    messages = Message.objects.filter(person=person).order_by("send_at")
    return [
        {
            "send_at": message.send_at,
            "kind": message.get_kind_display(),
            "status": message.get_status_display(),
            "language": message.get_language_display(),
            "to": message.to_phone.as_international if message.to_phone else "",
            "text": message.body,
            "done": message.status in DONE,
        }
        for message in messages
    ]


def _replies(person: Person) -> list[Record]:
    replies = InboundMessage.objects.filter(people=person).order_by("received_at")
    return [
        {
            "received_at": reply.received_at,
            "from": reply.from_phone.as_international if reply.from_phone else "",
            "text": reply.body,
            "action": reply.get_action_display(),
        }
        for reply in replies
    ]


def _history(person: Person) -> list[Record]:
    """What the audit log holds about the record: when, and what was done (not by whom)."""
    targets = Q(target_type="people.person", target_id=str(person.pk))
    for model, ids in (
        ("referrals.referral", Referral.objects.filter(person=person).values_list("pk", flat=True)),
        (
            "legal.appointment",
            Appointment.objects.filter(person=person).values_list("pk", flat=True),
        ),
    ):
        targets |= Q(target_type=model, target_id__in=[str(pk) for pk in ids])
    entries = AuditEntry.objects.filter(targets).order_by("at", "id")
    return [
        {
            "at": entry.at,
            "action": entry.action,
            "in_words": action_in_words(entry.action),
        }
        for entry in entries
    ]


def person_record(*, user: User, person: Person, fmt: str) -> Record:
    """
    Everything held about the person, as the reader may receive it; audited as a copy
    made by `user` in `fmt` ("html" or "json"). The caller has asked
    privacy.view_record.
    """
    record = {
        "person": _person(person),
        "distributions": _distributions(person),
        "referrals": _referrals(user, person),
        "legal_appointments": _legal(user, person),
        "messages": _messages(person),
        "replies": _replies(person),
        "history": _history(person),
    }
    audit_record(actor=user, action="person.subject_access", target=person, details={"format": fmt})
    return record
