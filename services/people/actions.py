"""
Writes to the people registry. Every caller (phone UI, API, demo loader) comes here,
so the rules about names, shared phones and SMS consent live in this one place.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.errors import Conflict, DomainError
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.accounts.scoping import user_site_ids
from services.audit.actions import audit_record, model_update
from services.sites.models import Site

from . import cards
from .actions_records import code_fresh
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


def _check_phone_not_shared(*, actor: User, phone: Any, exclude_pk: int | None) -> None:
    """
    A phone is on one record unless the volunteer confirms that it is shared. The
    refusal names only the records the actor's lists show: a phone number is a search,
    and a search does not reach another site's people (selectors.py).
    """
    if people_sharing_phone(phone=phone, exclude_pk=exclude_pk):
        shown = people_sharing_phone(phone=phone, exclude_pk=exclude_pk, user=actor)
        raise PhoneInUse(
            _("This phone number is already on another person's record."),
            field="phone",
            code="phone_in_use",
            extra={"existing": [person.code for person in shown]},
        )


def phone_move_from_others(*, actor: User, phone: Any, exclude_pk: int | None) -> int:
    """
    The number now belongs to another person (a phone sold, lost, passed on): it is
    taken off every other record that holds it, with their SMS consent, so their
    reminders stop and nothing reaches the new owner about them. Audited on each.
    """
    others = Person.objects.select_for_update().filter(phone=phone)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    moved = 0
    for other in others:
        was_consenting = other.sms_consent
        model_update(
            other,
            {"phone": "", "sms_consent": False},
            actor=actor,
            action="person.phone_moved",
            when_changed={
                "sms_consent": {
                    "sms_consent_changed_at": timezone.now(),
                    "sms_consent_changed_by": actor,
                },
                "phone": {"phone_invalid_at": None, "phone_invalid_reason": ""},
            },
        )
        if was_consenting:
            sms_consent_withdrawn.send(sender=Person, person=other)
        moved += 1
    return moved


def _check_one_of_actors_sites(*, actor: User, home_site: Site) -> None:
    """A volunteer registers people at, and moves them to, the sites they work at."""
    site_ids = user_site_ids(actor)
    if site_ids is not None and home_site.pk not in site_ids:
        raise DomainError(_("Choose one of your sites."), field="home_site", code="not_your_site")


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
    move_phone: bool = False,
) -> Person:
    """
    A new record. A phone already on another record is refused (PhoneInUse) unless the
    volunteer says the phone is shared (allow_shared_phone) or now this person's
    (move_phone: it is taken off the other records, whose reminders stop).
    """
    name = _clean_name(name)
    _check_values(language=language, home_site=home_site, phone=phone, sms_consent=sms_consent)
    _check_one_of_actors_sites(actor=actor, home_site=home_site)
    if phone and move_phone:
        phone_move_from_others(actor=actor, phone=phone, exclude_pk=None)
    elif phone and not allow_shared_phone:
        _check_phone_not_shared(actor=actor, phone=phone, exclude_pk=None)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    code=code_fresh(),
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
    move_phone: bool = False,
    **changes: Any,
) -> Person:
    """
    Change what the person asked to change. A change of consent records who and when;
    a new phone has not bounced (old messages keep the number they went to). A phone on
    another record: as in person_register.
    """
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unknown fields {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = _cleaned_changes(actor=actor, person=person, changes=changes)
    new_phone = changes.get("phone")
    if new_phone and move_phone:
        phone_move_from_others(actor=actor, phone=new_phone, exclude_pk=person.pk)
    elif new_phone and not allow_shared_phone and new_phone != person.phone:
        _check_phone_not_shared(actor=actor, phone=new_phone, exclude_pk=person.pk)
    was_consenting = person.sms_consent
    model_update(
        person,
        changes,
        actor=actor,
        action="person.update",
        when_changed={
            "sms_consent": {
                "sms_consent_changed_at": timezone.now(),
                "sms_consent_changed_by": actor,
            },
            "phone": {"phone_invalid_at": None, "phone_invalid_reason": ""},
        },
    )
    if was_consenting and not person.sms_consent:
        sms_consent_withdrawn.send(sender=Person, person=person)
    return person


def _cleaned_changes(*, actor: User, person: Person, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes in stored form, checked against the record as it will be."""
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
    if merged["home_site"].pk != person.home_site_id:
        _check_one_of_actors_sites(actor=actor, home_site=merged["home_site"])
    return changes


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


def person_cards_print(
    *,
    actor: User,
    site: Site | None,
    registered_since: date | None,
    codes: list[str],
    per_page: int,
    with_names: bool,
    fmt: str,
) -> bytes:
    """
    Sheets of cards (cards.py) for the people of the actor's lists who match. Every print
    is in the audit log, with how many cards and whether names were on them: a card
    with a name on it can identify a person.
    """
    people = cards.people_for_cards(
        user=actor,
        site_id=site.pk if site else None,
        registered_since=registered_since,
        codes=codes,
    )
    content = cards.card_sheets_render(
        people=people, per_page=per_page, with_names=with_names, fmt=fmt
    )
    audit_record(
        actor=actor,
        action="people.cards_print",
        target=site or people[0],
        details={"count": len(people), "with_names": with_names},
    )
    return content
