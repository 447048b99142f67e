import pytest

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.people.actions import PhoneInUse, person_register, person_update
from services.people.phones import phone_parse

PHONE = phone_parse("06 12 34 56 78")


def register(actor, site, **kwargs):
    return person_register(
        actor=actor, home_site=site, language=kwargs.pop("language", "ar"), **kwargs
    )


def test_registering_gives_a_code_and_records_consent_with_who_and_when(volunteer, site):
    person = register(volunteer, site, name="Yonas", phone=PHONE, sms_consent=True)
    assert len(person.code) == 7
    assert person.sms_consent is True
    assert person.sms_consent_changed_by == volunteer
    assert person.sms_consent_changed_at is not None
    entry = AuditEntry.objects.get(action="person.register")
    assert entry.actor == volunteer and entry.target_id == str(person.pk)


def test_a_phone_already_on_another_record_is_refused_with_that_record(volunteer, site):
    first = register(volunteer, site, phone=PHONE)
    with pytest.raises(PhoneInUse) as refused:
        register(volunteer, site, phone=phone_parse("+33 6 12 34 56 78"))
    assert refused.value.extra["existing"] == [first.code]


def test_a_shared_phone_can_be_confirmed(volunteer, site):
    register(volunteer, site, phone=PHONE)
    second = register(volunteer, site, phone=PHONE, allow_shared_phone=True)
    assert second.phone == PHONE


def test_direction_overrides_and_control_characters_are_stripped_from_names(volunteer, site):
    person = register(volunteer, site, name="\u202eAli\u0000\u2066 \n Hassan\u200f")
    assert person.name == "Ali Hassan"


def test_zero_width_non_joiner_stays_in_persian_names(volunteer, site):
    person = register(volunteer, site, name="می\u200cخواهم", language="fa")
    assert "\u200c" in person.name


def test_over_long_names_are_refused(volunteer, site):
    with pytest.raises(DomainError) as refused:
        register(volunteer, site, name="A" * 61)
    assert refused.value.field == "name"


def test_unknown_language_is_refused(volunteer, site):
    with pytest.raises(DomainError) as refused:
        register(volunteer, site, language="xx")
    assert refused.value.field == "language"


def test_consent_without_a_phone_is_refused(volunteer, site):
    with pytest.raises(DomainError) as refused:
        register(volunteer, site, sms_consent=True)
    assert refused.value.code == "consent_without_phone"


def test_a_closed_site_cannot_be_a_home_site(volunteer, site):
    site.is_active = False
    site.save()
    with pytest.raises(DomainError):
        register(volunteer, site)


def test_withdrawing_consent_records_who_and_when(volunteer, coordinator, site):
    person = register(volunteer, site, phone=PHONE, sms_consent=True)
    person = person_update(actor=coordinator, person=person, sms_consent=False)
    assert person.sms_consent is False
    assert person.sms_consent_changed_by == coordinator
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert entry.details == {"fields": ["sms_consent"]}


def test_changing_to_a_phone_used_elsewhere_is_refused(volunteer, site):
    register(volunteer, site, phone=PHONE)
    other = register(volunteer, site)
    with pytest.raises(PhoneInUse):
        person_update(actor=volunteer, person=other, phone=PHONE)


def test_an_update_that_changes_nothing_writes_no_audit_entry(volunteer, site):
    person = register(volunteer, site, name="Ali")
    person_update(actor=volunteer, person=person, name="Ali")
    assert not AuditEntry.objects.filter(action="person.update").exists()


def test_a_new_phone_clears_the_bounce_mark_and_only_the_phone_is_audited(volunteer, site):
    from django.utils import timezone

    from services.people.models import Person

    person = register(volunteer, site, phone=PHONE)
    Person.objects.filter(pk=person.pk).update(
        phone_invalid_at=timezone.now(), phone_invalid_reason="Unknown number."
    )
    person = person_update(actor=volunteer, person=person, phone=phone_parse("07 65 43 21 09"))
    person.refresh_from_db()
    assert (person.phone_invalid_at, person.phone_invalid_reason) == (None, "")
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.details == {"fields": ["phone"]}


def test_an_unchanged_consent_keeps_who_gave_it(volunteer, coordinator, site):
    person = register(volunteer, site, phone=PHONE, sms_consent=True)
    person = person_update(actor=coordinator, person=person, sms_consent=True, name="Ali")
    person.refresh_from_db()
    assert person.sms_consent_changed_by == volunteer
