"""
Two-factor sign-in (django-otp): a TOTP app on the phone, and ten single-use recovery
codes for the day the phone is lost. Coordinators and the medical and legal roles pass
it after their password before any page (middleware.py); volunteers are not asked.

A user sets up their own: a TOTP device is made unconfirmed, shown as a QR code, and
confirmed by the first code the app gives; the recovery codes are made then and shown
once. A coordinator can reset another user's second factor (audited): they set it up
again at their next sign-in.

API tokens: the API takes a session only once it has passed its second factor (the
middleware answers 403 before). A DRF token is a bearer credential with no session,
so it carries no second factor: no page or endpoint makes one; only someone with
shell access on the server can (manage.py drf_create_token), for a machine such as
the check-in bench. Issue none to a coordinator, medical or legal account: a token
does not expire and would bypass the second factor.
"""

from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fieldapp.errors import DomainError
from services.audit.actions import audit_record

from ..models import User

RECOVERY_CODES = 10
DEVICE_NAME = "fieldapp"


def totp_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@dataclass(frozen=True)
class TotpSetup:
    device: TOTPDevice

    @property
    def secret(self) -> str:
        """The key as an authenticator app takes it when typed (base32, in groups of 4)."""
        key = b32encode(self.device.bin_key).decode()
        return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

    @property
    def config_url(self) -> str:
        return str(self.device.config_url)


@transaction.atomic
def totp_setup_start(*, user: User) -> TotpSetup:
    """
    The device to scan. The same unconfirmed one is shown again on reload, so a scan
    already made stays good; a confirmed device is never replaced here.
    """
    if totp_confirmed(user) is not None:
        raise DomainError(_("Your second factor is set up already."), code="already")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return TotpSetup(device)


def totp_setup_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm with the app's first code; returns the device and the recovery codes."""
    confirmed = _totp_confirm(user, _digits(token))
    if confirmed is None:
        raise DomainError(
            _("That code is not right. Type the 6 digits the app shows now."),
            field="token",
            code="wrong_code",
        )
    return confirmed


@transaction.atomic
def _totp_confirm(user: User, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """None for a wrong code, committed so that the device's count of wrong codes holds."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).select_for_update().first()
    if device is None:
        raise DomainError(_("Start again: scan the new code."), code="no_device")
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_make(user)
    audit_record(actor=user, action="user.second_factor_setup", target=user)
    return device, codes


def _recovery_codes_make(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New codes (the old ones stop working), shown once."""
    if totp_confirmed(user) is None:
        raise DomainError(_("Set up your second factor first."), code="no_device")
    codes = _recovery_codes_make(user)
    audit_record(actor=user, action="user.recovery_codes_renew", target=user)
    return codes


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery_codes_left: int | None  # when a recovery code was used


def second_factor_verify(*, user: User, token: str) -> Verified:
    """
    A code from the app, or a recovery code (used up). Each device counts wrong codes
    and makes the next try wait longer (django-otp's throttling), so a wrong code is
    committed, not rolled back with the refusal.
    """
    verified = _verify(user, token.strip())
    if verified is None:
        raise DomainError(
            _(
                "That code is not right. Type the 6 digits the app shows now, or a "
                "recovery code. After several wrong codes, wait a little between tries."
            ),
            field="token",
            code="wrong_code",
        )
    return verified


@transaction.atomic
def _verify(user: User, token: str) -> Verified | None:
    totp = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
    if totp is not None and _digits(token).isdigit() and totp.verify_token(_digits(token)):
        return Verified(totp, None)
    static = StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
    for device in static:
        if device.verify_token(token.replace(" ", "")):
            left = device.token_set.count()
            audit_record(
                actor=user, action="user.recovery_code_used", target=user, details={"left": left}
            )
            return Verified(device, left)
    return None


def _digits(token: str) -> str:
    return "".join(ch for ch in token if not ch.isspace())


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """
    Remove another user's second factor (a lost phone): they set it up again at their
    next sign-in. Returns how many devices were removed.
    """
    if not actor.has_perm("accounts.reset_second_factor", user):
        raise PermissionDenied
    if actor.pk == user.pk:
        raise DomainError(
            _("Another coordinator must reset your own second factor."), code="own_account"
        )
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    audit_record(
        actor=actor, action="user.second_factor_reset", target=user, details={"devices": removed}
    )
    return removed


def issuer() -> str:
    return str(getattr(settings, "OTP_TOTP_ISSUER", "fieldapp"))
