"""Follow-ups after a missed appointment: the medical team marks them done."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.audit.actions import audit_record

from ..models import FollowUpTask

NOTE_MAX_LENGTH = 2000


@transaction.atomic
def followup_done(*, actor: User, task: FollowUpTask, note: str = "") -> FollowUpTask:
    if not actor.has_perm("referrals.change_followuptask", task):
        raise PermissionDenied
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Use at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
            field="note",
            code="too_long",
        )
    task = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise Conflict(_("This follow-up is already done."), code="already_done")
    task.done_at = timezone.now()
    task.done_by = actor
    task.note = note.strip()
    task.save(update_fields=["done_at", "done_by", "note"])
    audit_record(
        actor=actor,
        action="referral.followup.done",
        target=task,
        details={"referral": task.referral_id, "fields": ["note"] if task.note else []},
    )
    return task
