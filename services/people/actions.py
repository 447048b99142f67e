"""
Writes to the people registry. Every caller (phone UI, API, demo loader) comes here,
so the rules about names, shared phones and SMS consent live in this one place.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.errors import Conflict, DomainError
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.audit.actions import audit_record
from services.sites.models import Site

from .codes import code_generate
from .models import NAME_MAX_LENGTH, Person
from .selectors import people_sharing_phone
from .signals import sms_consent_withdrawn

PERSON_FIELDS = ("name", "phone", "language", "sms_consent", "home_site")


class PhoneInUse(Conflict):
    """Another record has this phone. Shared phones are real, so the caller may confirm."""


def _clean_name(name: str) -> str:
    name = clean_display_text(name)
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(
            _("Use at most %(max)d characters for the name.") % {"max": NAME_MAX_LENGTH},
            field="name",
            code="max_length",
        )
    return name


def _check_values(*, language: str, home_site: Site, phone: Any, sms_consent: bool) -> None:
    if language not in Language.values:
        raise DomainError(
            _("Choose one of the listed languages."), field="language", code="invalid_choice"
        )
    if not home_site.is_active:
        raise DomainError(
            _("%(site)s is closed. Choose a site in use.") % {"site": home_site},
            field="home_site",
            code="site_closed",
        )
    if phone and not (isinstance(phone, PhoneNumber) and phone.is_valid()):
        raise DomainError(_("This is not a phone number we can send to."), field="phone")
    if sms_consent and not phone:
        raise DomainError(
            _("To agree to SMS, the person needs a phone number."),
            field="sms_consent",
            code="consent_without_phone",
        )


def _check_phone_not_shared(*, phone: Any, exclude_pk: int | None) -> None:
    others = people_sharing_phone(phone=phone, exclude_pk=exclude_pk)
    if others:
        raise PhoneInUse(
            _("This phone number is already on another person's record."),
            field="phone",
            code="phone_in_use",
            extra={"existing": [person.code for person in others]},
        )


@transaction.atomic
def person_register(
    *,
    actor: User,
    home_site: Site,
    language: str,
    name: str = "",
    phone: PhoneNumber | None = None,
    sms_consent: bool = False,
    allow_shared_phone: bool = False,
) -> Person:
    name = _clean_name(name)
    _check_values(language=language, home_site=home_site, phone=phone, sms_consent=sms_consent)
    if phone and not allow_shared_phone:
        _check_phone_not_shared(phone=phone, exclude_pk=None)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    code=code_generate(),
                    name=name,
                    phone=phone or "",
                    language=language,
                    sms_consent=sms_consent,
                    sms_consent_changed_at=now if sms_consent else None,
                    sms_consent_changed_by=actor if sms_consent else None,
                    home_site=home_site,
                    created_by=actor,
                    last_seen_at=now,
                )
            break
        except IntegrityError:
            continue  # a code collision: one in a billion, so a few retries is plenty
    else:
        raise DomainError(_("Could not make a new card code. Try again."), code="code_exhausted")
    audit_record(
        actor=actor,
        action="person.register",
        target=person,
        details={
            "sms_consent": sms_consent,
            "fields": [f for f in PERSON_FIELDS if getattr(person, f)],
        },
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    allow_shared_phone: bool = False,
    **changes: Any,
) -> Person:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unknown fields {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    if "phone" in changes:
        changes["phone"] = changes["phone"] or ""
    merged = {field: changes.get(field, getattr(person, field)) for field in PERSON_FIELDS}
    _check_values(
        language=merged["language"],
        home_site=merged["home_site"],
        phone=merged["phone"],
        sms_consent=merged["sms_consent"],
    )
    phone_changed = "phone" in changes and changes["phone"] != person.phone
    if phone_changed and changes["phone"] and not allow_shared_phone:
        _check_phone_not_shared(phone=changes["phone"], exclude_pk=person.pk)
    changed = [field for field, value in changes.items() if getattr(person, field) != value]
    if not changed:
        return person
    for field in changed:
        setattr(person, field, changes[field])
    update_fields = [*changed, "updated_at"]
    if "sms_consent" in changed:
        person.sms_consent_changed_at = timezone.now()
        person.sms_consent_changed_by = actor
        update_fields += ["sms_consent_changed_at", "sms_consent_changed_by"]
    if "phone" in changed:
        # A new number has not bounced; old messages keep the number they went to.
        person.phone_invalid_at = None
        person.phone_invalid_reason = ""
        update_fields += ["phone_invalid_at", "phone_invalid_reason"]
    person.save(update_fields=update_fields)
    if "sms_consent" in changed and not person.sms_consent:
        sms_consent_withdrawn.send(sender=Person, person=person)
    audit_record(actor=actor, action="person.update", target=person, details={"fields": changed})
    return person


@transaction.atomic
def person_sms_opt_out(*, person: Person, reason: str, actor: User | None = None) -> bool:
    """
    End SMS at once: consent off, everything pending cancelled. actor None means the
    person did it themselves (replied STOP) or the provider reported it.
    """
    changed = Person.objects.filter(pk=person.pk, sms_consent=True).update(
        sms_consent=False, sms_consent_changed_at=timezone.now(), sms_consent_changed_by=actor
    )
    sms_consent_withdrawn.send(sender=Person, person=person)
    if changed:
        audit_record(
            actor=actor, action="person.sms_opt_out", target=person, details={"via": reason}
        )
    return bool(changed)


@transaction.atomic
def person_sms_opt_in(*, person: Person, reason: str) -> bool:
    """The person replied START from their own phone: their consent, recorded as theirs."""
    if not person.phone:
        return False
    changed = Person.objects.filter(pk=person.pk, sms_consent=False).update(
        sms_consent=True, sms_consent_changed_at=timezone.now(), sms_consent_changed_by=None
    )
    if changed:
        audit_record(actor=None, action="person.sms_opt_in", target=person, details={"via": reason})
    return bool(changed)
