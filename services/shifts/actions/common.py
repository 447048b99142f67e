"""What every write to a shift starts with: the shift's lock, and whether it may change."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError

from ..models import Shift


def shift_refusal(shift: Shift) -> DomainError | None:
    """Why this shift can no longer be changed or signed up for, or None."""
    if shift.is_cancelled:
        return DomainError(_("This shift is cancelled."), code="cancelled")
    if shift.starts_at <= timezone.now():
        return DomainError(
            _("This shift has already started: it can no longer be changed."), code="past"
        )
    return None


def shift_locked(shift: Shift) -> Shift:
    """The shift's row, locked until the change commits, if it may still change."""
    locked = Shift.objects.select_for_update(of=("self",)).select_related("site").get(pk=shift.pk)
    refusal = shift_refusal(locked)
    if refusal is not None:
        raise refusal
    return locked
