"""
Reads for the coordinators' team pages: who is here, who is invited, who has left.
Each asks who is asking; a coordinator's organisation is every site today (scoping.py).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from fieldapp.errors import NotFound

from .models import Invitation, User


def invitations_pending(*, user: User) -> QuerySet[Invitation]:
    """Invitations not accepted nor revoked, expired ones included (to send again)."""
    if not user.has_perm("accounts.view_invitation"):
        raise PermissionDenied
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("user", "created_by")
        .prefetch_related("user__groups", "user__sites")
        .order_by("-sent_at", "-id")
    )


def invitation_get(*, user: User, pk: int) -> Invitation:
    found = invitations_pending(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This invitation is no longer waiting."))
    return found


def team_list(*, user: User, query: str = "", left: bool = False) -> QuerySet[User]:
    """
    The accounts in use (or those whose stay has ended), without the invited ones,
    soonest departure first.
    """
    if not user.has_perm("accounts.view_user"):
        raise PermissionDenied
    accounts = User.objects.exclude(invitation__isnull=False, invitation__accepted_at__isnull=True)
    today = timezone.localdate()
    gone = Q(is_active=False) | Q(leaves_on__lt=today)
    accounts = accounts.filter(gone) if left else accounts.exclude(gone)
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return accounts.prefetch_related("groups", "sites", "spoken_languages", "skills").order_by(
        "leaves_on", "username"
    )


def team_member(*, user: User, pk: int) -> User:
    if not user.has_perm("accounts.view_user"):
        raise PermissionDenied
    member = (
        User.objects.filter(pk=pk)
        .annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
        .prefetch_related("groups", "sites", "spoken_languages", "skills")
        .first()
    )
    if member is None:
        raise NotFound(_("No such account."))
    return member
