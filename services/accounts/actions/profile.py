"""
A volunteer's profile: what shift planning needs to know of them (languages and how
well, skills, stay dates) and how to reach them (phone or e-mail, in which language).
The invitation fills it in once; the profile page keeps it up to date. Both go through
profile_check() and profile_apply(), so the same input is refused in the same words.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.errors import DomainError
from fieldapp.languages import Spoken
from services.audit.actions import audit_record, model_update

from ..models import Channel, Skill, SpokenLanguage, User


@dataclass(frozen=True)
class Profile:
    phone: PhoneNumber | None
    email: str
    notify_by: str
    language: str
    arrives_on: date | None
    leaves_on: date | None
    spoken: dict[str, str] = field(default_factory=dict)  # language -> level
    skills: frozenset[str] = frozenset()


def profile_of(user: User) -> Profile:
    return Profile(
        phone=user.phone or None,
        email=user.email,
        notify_by=user.notify_by,
        language=user.language,
        arrives_on=user.arrives_on,
        leaves_on=user.leaves_on,
        spoken=dict(user.spoken_languages.values_list("language", "level")),
        skills=frozenset(user.skills.values_list("kind", flat=True)),
    )


def profile_check(profile: Profile, *, leaves_on_before: date | None = None) -> None:
    """
    Refuse what cannot be planned with or reached. A departure date already past is
    refused unless it is the one already saved (leaves_on_before).
    """
    if profile.notify_by not in Channel.values:
        raise DomainError(_("Choose SMS or e-mail."), field="notify_by")
    if profile.notify_by == Channel.SMS and not profile.phone:
        raise DomainError(_("Give a phone number to get SMS."), field="phone", code="no_phone")
    if profile.notify_by == Channel.EMAIL and not profile.email:
        raise DomainError(
            _("Give an e-mail address to get e-mails."), field="email", code="no_email"
        )
    if profile.language and profile.language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language from the list."), field="language")
    _dates_check(profile.arrives_on, profile.leaves_on, leaves_on_before)
    for language, level in profile.spoken.items():
        if language not in Spoken.values or level not in SpokenLanguage.Level.values:
            raise DomainError(_("Choose languages and levels from the list."), field="spoken")
    if not profile.skills <= set(Skill.Kind.values):
        raise DomainError(_("Choose skills from the list."), field="skills")


def _dates_check(arrives_on: date | None, leaves_on: date | None, saved: date | None) -> None:
    if leaves_on and leaves_on != saved and leaves_on < timezone.localdate():
        raise DomainError(
            _("The departure date is in the past."), field="leaves_on", code="departure_past"
        )
    if arrives_on and leaves_on and leaves_on < arrives_on:
        raise DomainError(
            _("The departure date comes before the arrival date."),
            field="leaves_on",
            code="stay_order",
        )


def profile_apply(user: User, profile: Profile, *, actor: User, action: str) -> list[str]:
    """Write the profile (the caller holds the transaction); returns what changed."""
    changed = model_update(
        user,
        {
            "phone": profile.phone or "",
            "email": profile.email,
            "notify_by": profile.notify_by,
            "language": profile.language,
            "arrives_on": profile.arrives_on,
            "leaves_on": profile.leaves_on,
        },
        actor=actor,
        action=action,
    )
    before = profile_of(user)
    if before.spoken != profile.spoken:
        user.spoken_languages.exclude(language__in=list(profile.spoken)).delete()
        for language, level in profile.spoken.items():
            SpokenLanguage.objects.update_or_create(
                user=user, language=language, defaults={"level": level}
            )
        changed.append("spoken_languages")
    if before.skills != profile.skills:
        user.skills.exclude(kind__in=list(profile.skills)).delete()
        Skill.objects.bulk_create(
            [Skill(user=user, kind=kind) for kind in sorted(profile.skills - before.skills)]
        )
        changed.append("skills")
    if {"spoken_languages", "skills"} & set(changed):
        audit_record(
            actor=actor,
            action=action,
            target=user,
            details={"fields": [n for n in changed if n in ("spoken_languages", "skills")]},
        )
    return changed


@transaction.atomic
def profile_update(*, actor: User, profile: Profile) -> list[str]:
    """The volunteer's own profile page: everything or nothing is saved."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    profile_check(profile, leaves_on_before=user.leaves_on)
    return profile_apply(user, profile, actor=actor, action="user.profile_update")


@transaction.atomic
def user_sms_stop(*, user: User, reason: str) -> bool:
    """They replied STOP (or the provider says they did): no SMS to them from now on."""
    changed = User.objects.filter(pk=user.pk, sms_stopped_at__isnull=True).update(
        sms_stopped_at=timezone.now()
    )
    if changed:
        audit_record(actor=None, action="user.sms_stop", target=user, details={"via": reason})
    return bool(changed)


@transaction.atomic
def user_sms_start(*, user: User, reason: str) -> bool:
    """They replied START from their phone: SMS again, if SMS is their channel."""
    changed = User.objects.filter(pk=user.pk, sms_stopped_at__isnull=False).update(
        sms_stopped_at=None
    )
    if changed:
        audit_record(actor=None, action="user.sms_start", target=user, details={"via": reason})
    return bool(changed)
