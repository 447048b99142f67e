"""
A forgotten password: the volunteer types their e-mail address or phone number and gets
a link by that channel (Django's token generator: it works once, since it changes with
the password, and for PASSWORD_RESET_TIMEOUT).

Nothing shows whether an account has that address: the page answers the same, and the
request does the same work, for any input; the look-up and the message happen in a
Celery task (tasks.py), after the answer.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from phonenumber_field.phonenumber import PhoneNumber

from services.audit.actions import audit_record

from ..models import Channel, User
from ..signals import account_message_send

KIND = "password_reset"
CAUSE = "account"
# One link per account per window: asking again within it re-sends nothing new once
# the first has gone, so a stranger cannot make us text someone again and again.
WINDOW_SECONDS = 15 * 60
# Accounts that share one address (a phone lent on) each get their own link, up to this.
MAX_ACCOUNTS = 3


def password_reset_link(user: User, base_url: str) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def _accounts_with(*, email: str, phone: PhoneNumber | None) -> list[User]:
    same = Q(email__iexact=email) if email else Q(phone=phone)
    found = User.objects.filter(same, is_active=True)
    return [user for user in found.order_by("pk")[:MAX_ACCOUNTS] if not user.has_left()]


@transaction.atomic
def password_reset_send(*, email: str = "", phone: PhoneNumber | None = None, base_url: str) -> int:
    """Send a link to each account with this address; returns how many (for tests)."""
    if not email and not phone:
        return 0
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    users = _accounts_with(email=email, phone=phone)
    for user in users:
        account_message_send(
            user=user,
            key=f"password-reset:{user.pk}:{window}",
            kind=KIND,
            channel=Channel.EMAIL if email else Channel.SMS,
            context={"link": password_reset_link(user, base_url), "hours": _hours()},
            cause_type=CAUSE,
            cause_id=user.pk,
            respect_quiet_hours=False,
            require_consent=False,
        )
        audit_record(actor=None, action="user.password_reset_request", target=user)
    return len(users)


@transaction.atomic
def user_password_reset(*, user: User, password: str) -> None:
    """The new password from a reset link (the form has checked it)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.password_reset", target=user)


def _hours() -> str:
    return str(max(1, settings.PASSWORD_RESET_TIMEOUT // 3600))
