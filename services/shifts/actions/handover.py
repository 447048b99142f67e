"""
The handover log: short notes a site's next shift must read, marked read by each
reader, kept HANDOVER_KEEP_DAYS days.

A person to look out for is named by their card code, never by name: a note whose text
holds the name or nickname of someone in the register is refused with a word on how to
write it, and the page shows the code only. The notes are deleted after the keeping
time by an idempotent task, each deletion audited.
"""

import re
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record, audit_record_each
from services.people.models import Person
from services.people.selectors import person_get
from services.sites.models import Site

from ..models import HANDOVER_KEEP_DAYS, NOTE_MAX, HandoverNote, HandoverRead

WORD = re.compile(r"\w+")


def _names_in(text: str) -> str | None:
    """The first word (or pair of words) of `text` that is a registered person's name."""
    words = WORD.findall(text.lower())
    candidates = {w for w in words if len(w) > 1} | {
        f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
    }
    if not candidates:
        return None
    return (
        Person.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=candidates)
        .values_list("lowered", flat=True)
        .first()
    )


def _check_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise DomainError(_("Write the note."), field="text", code="required")
    if len(text) > NOTE_MAX:
        raise DomainError(
            _("Keep it under %(count)d characters.") % {"count": NOTE_MAX},
            field="text",
            code="too_long",
        )
    name = _names_in(text)
    if name is not None:
        raise DomainError(
            _(
                "“%(word)s” is the name of someone we serve. Write their card code in the "
                "card code field instead, never a name."
            )
            % {"word": name},
            field="text",
            code="name",
        )
    return text


def _check_code(actor: User, kind: str, card_code: str) -> str:
    if not card_code.strip():
        if kind == HandoverNote.Kind.PERSON:
            raise DomainError(
                _("Give the card code of the person to look out for."),
                field="card_code",
                code="required",
            )
        return ""
    return person_get(user=actor, code=card_code, only=("code",)).code


@transaction.atomic
def handover_note_add(
    *, actor: User, site: Site, kind: str, text: str, card_code: str = ""
) -> HandoverNote:
    """A note for the next shift at this site, today."""
    if not actor.has_perm("shifts.add_handovernote", site):
        raise PermissionDenied
    if kind not in HandoverNote.Kind.values:
        raise DomainError(_("Choose what it is about."), field="kind")
    note = HandoverNote.objects.create(
        site=site,
        day=timezone.localdate(),
        kind=kind,
        text=_check_text(text),
        card_code=_check_code(actor, kind, card_code),
        written_by=actor,
    )
    HandoverRead.objects.create(note=note, user=actor)  # its writer has read it
    audit_record(actor=actor, action="handover.add", target=note)
    return note


@transaction.atomic
def handover_note_read(*, actor: User, note: HandoverNote) -> None:
    """Mark the note read by the actor; once is enough, again changes nothing."""
    if not actor.has_perm("shifts.view_handovernote", note):
        raise PermissionDenied
    HandoverRead.objects.get_or_create(note=note, user=actor)


def handover_notes_past_keeping(*, today: date | None = None) -> QuerySet[HandoverNote]:
    """The notes older than the keeping time: what the purge deletes, and a dry run counts."""
    cutoff = (today or timezone.localdate()) - timedelta(days=HANDOVER_KEEP_DAYS)
    return HandoverNote.objects.filter(day__lt=cutoff)


@transaction.atomic
def handover_notes_purge(*, today: date | None = None) -> int:
    """Delete the notes older than the keeping time, each audited. Idempotent."""
    old = list(handover_notes_past_keeping(today=today).order_by("pk"))
    if not old:
        return 0
    audit_record_each(
        actor=None, action="handover.purge", targets=old, details={"kept_days": HANDOVER_KEEP_DAYS}
    )
    HandoverNote.objects.filter(pk__in=[note.pk for note in old]).delete()
    return len(old)
