"""
A volunteer's stay ends by itself: from the day after their departure date the account
is refused everywhere (User.has_left(), read by the sign-in backend and the rules), and
the hourly task switches it off for good, with an audit entry, and cancels whatever
message still waits for them. A coordinator extends a stay, which switches back on an
account that went off because its stay ended (and only such an account).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.audit.actions import audit_record, model_update

from ..models import User
from ..signals import account_closed


def users_deactivate_departed(*, today: date | None = None) -> int:
    """Switch off every account whose stay ended before `today`. Idempotent."""
    today = today or timezone.localdate()
    departed = User.objects.filter(is_active=True, leaves_on__lt=today).order_by("pk")
    count = 0
    for pk in departed.values_list("pk", flat=True):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=pk)
            if not user.is_active or user.leaves_on is None or user.leaves_on >= today:
                continue  # extended or switched off meanwhile
            user.is_active = False
            user.left_at = timezone.now()
            user.save(update_fields=["is_active", "left_at"])
            audit_record(
                actor=None,
                action="user.departed",
                target=user,
                details={"leaves_on": user.leaves_on.isoformat()},
            )
            account_closed.send(sender=User, user=user)
            count += 1
    return count


@transaction.atomic
def user_stay_extend(*, actor: User, user: User, leaves_on: date) -> User:
    """A new departure date, today or later; an account closed by its departure reopens."""
    if not actor.has_perm("accounts.extend_stay", user):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if leaves_on < timezone.localdate():
        raise DomainError(
            _("The departure date is in the past."), field="leaves_on", code="departure_past"
        )
    if user.arrives_on and leaves_on < user.arrives_on:
        raise DomainError(
            _("The departure date comes before the arrival date."),
            field="leaves_on",
            code="stay_order",
        )
    data: dict[str, object] = {"leaves_on": leaves_on}
    if user.left_at is not None:
        data.update(is_active=True, left_at=None)
    model_update(user, data, actor=actor, action="user.stay_extend")
    return user
