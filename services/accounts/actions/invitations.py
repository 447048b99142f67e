"""
Inviting a volunteer: the coordinator gives a phone number or an e-mail address, a role
and the sites; the person gets a one-time link by that channel and, on it, chooses a
user name and password and fills in their profile.

The account exists from the invitation on, switched off and without a password, so
that the message goes to it like any message to a volunteer (by SMS or e-mail, in its
language) and the role and sites wait on it. The link's token is random; only its
SHA-256 is stored. A link is used once, expires after INVITATION_DAYS, and stops
working when the invitation is revoked or sent again (a new link).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.errors import DomainError
from services.audit.actions import audit_record
from services.sites.models import Site

from ..models import Channel, Invitation, User
from ..roles import Role
from ..scoping import sites_of
from ..signals import account_closed, account_message_send
from .profile import Profile, profile_apply, profile_check

# The messaging Kind and Cause of an invitation (messaging stands above accounts).
KIND = "invitation"
CAUSE = "invitation"
USERNAME_MAX = 150


@dataclass(frozen=True)
class Invited:
    invitation: Invitation
    link: str  # the one-time link, as sent; nowhere stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


def _address_check(phone: PhoneNumber | None, email: str) -> Q:
    """The accounts with this address; refuse if one is in use or invited already."""
    if bool(phone) == bool(email):
        raise DomainError(
            _("Type a phone number or an e-mail address."), field="address", code="address"
        )
    same = Q(phone=phone) if phone else Q(email__iexact=email)
    for user in User.objects.filter(same).select_related("invitation"):
        invitation: Invitation | None = getattr(user, "invitation", None)
        if invitation is None or invitation.accepted_at is not None:
            raise DomainError(
                _(
                    "Someone has an account with this address already. If they are back, "
                    "extend their stay on the team page."
                ),
                field="address",
                code="has_account",
            )
        if invitation.revoked_at is None and not invitation.has_expired:
            raise DomainError(
                _("An invitation to this address is waiting: send it again from the list."),
                field="address",
                code="invited",
            )
    return same


def _sites_check(actor: User, sites: list[Site]) -> None:
    if not sites:
        raise DomainError(_("Choose at least one site."), field="sites", code="no_site")
    allowed = set(sites_of(actor).values_list("pk", flat=True))
    if any(site.pk not in allowed for site in sites):
        raise DomainError(_("Choose sites from the list."), field="sites", code="not_yours")


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    role: str,
    sites: list[Site],
    base_url: str,
    phone: PhoneNumber | None = None,
    email: str = "",
    language: str = "",
) -> Invited:
    """Invite the person at `phone` or `email`; the link goes by that channel."""
    if not actor.has_perm("accounts.add_invitation"):
        raise PermissionDenied
    if role not in Role.values:
        raise DomainError(_("Choose a role from the list."), field="role", code="role")
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language from the list."), field="language")
    same = _address_check(phone, email)
    _sites_check(actor, sites)
    # A revoked or expired invitation to this address is renewed, not piled up.
    user = User.objects.filter(same).first() or User(username=_placeholder_username())
    user.phone, user.email = phone or "", email
    user.notify_by = Channel.SMS if phone else Channel.EMAIL
    user.language = language
    user.is_active = False
    user.is_staff = role == Role.COORDINATOR
    user.set_unusable_password()
    user.save()
    user.sites.set(sites)
    user.groups.set([Group.objects.get(name=role)])
    token = secrets.token_urlsafe(16)
    now = timezone.now()
    invitation, created = Invitation.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": token_hash(token),
            "channel": user.notify_by,
            "created_by": actor,
            "sent_at": now,
            "expires_at": now + timedelta(days=settings.INVITATION_DAYS),
            "revoked_at": None,
        },
    )
    if not created:
        invitation.sends += 1
        invitation.save(update_fields=["sends"])
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        details={"role": role, "channel": invitation.channel, "sites": [s.pk for s in sites]},
    )
    return _send(invitation, token, base_url)


def _placeholder_username() -> str:
    """Until they choose theirs; no one can sign in with it (no password, switched off)."""
    return f"invited-{secrets.token_hex(6)}"


def _send(invitation: Invitation, token: str, base_url: str) -> Invited:
    link = _link(base_url, token)
    account_message_send(
        user=invitation.user,
        key=f"invitation:{invitation.pk}:{invitation.sends}",
        kind=KIND,
        channel=invitation.channel,
        context={"link": link, "days": str(settings.INVITATION_DAYS)},
        cause_type=CAUSE,
        cause_id=invitation.pk,
        require_consent=False,
    )
    return Invited(invitation, link)


def _pending_locked(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise DomainError(_("This invitation has been accepted."), code="used")
    if locked.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn."), code="revoked")
    return locked


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, base_url: str) -> Invited:
    """A new link (the old one stops working), valid for INVITATION_DAYS from now."""
    if not actor.has_perm("accounts.change_invitation", invitation):
        raise PermissionDenied
    invitation = _pending_locked(invitation)
    token = secrets.token_urlsafe(16)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
    invitation.sends += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "sends"])
    audit_record(actor=actor, action="invitation.resend", target=invitation)
    return _send(invitation, token, base_url)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """The link stops working and a message still waiting is not sent."""
    if not actor.has_perm("accounts.change_invitation", invitation):
        raise PermissionDenied
    invitation = _pending_locked(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation)
    account_closed.send(sender=User, user=invitation.user)


class InvitationUnusable(DomainError):
    """The link cannot be used: code is unknown, used, revoked or expired."""


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation of this link, or InvitationUnusable saying why not."""
    found = Invitation.objects.select_related("user").filter(token_hash=token_hash(token))
    return _usable(found.first())


def _usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationUnusable(_("This invitation link is not valid."), code="unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable(_("This invitation link has been used already."), code="used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable(_("This invitation was withdrawn."), code="revoked")
    if invitation.has_expired:
        raise InvitationUnusable(_("This invitation link has expired."), code="expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, profile: Profile) -> User:
    """
    Open the account: their user name, password and profile, all saved or none. Two
    tabs sending the form at once: the second finds the link used.
    """
    locked = Invitation.objects.select_for_update().select_related("user")
    invitation = _usable(locked.filter(token_hash=token_hash(token)).first())
    user = invitation.user
    _username_check(username, user)
    user.username = username
    _password_check(password, user)
    profile_check(profile)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["username", "password", "is_active"])
    profile_apply(user, profile, actor=user, action="user.profile_update")
    if len(sites := list(user.sites.all())) == 1:
        user.site = sites[0]
        user.save(update_fields=["site"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(actor=user, action="invitation.accept", target=invitation)
    return user


def _username_check(username: str, user: User) -> None:
    username = username.strip()
    if not username:
        raise DomainError(_("Choose a user name."), field="username", code="username")
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise DomainError(
            _("Use letters, digits and @ . + - _ only in the user name."),
            field="username",
            code="username",
        ) from error
    if len(username) > USERNAME_MAX or username.startswith("invited-"):
        raise DomainError(_("Choose another user name."), field="username", code="username")
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise DomainError(
            _("This user name is taken: choose another."), field="username", code="taken"
        )


def _password_check(password: str, user: Any) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password", code="password") from error
