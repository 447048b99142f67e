"""Which slots are offered for a person's language."""

from datetime import time

from services.accounts.roles import Role
from services.legal.actions import appointment_book
from services.legal.models import Appointment
from services.scheduling.slots import slots_offer
from tests.factories import SiteFactory

from .conftest import at, choice, speaks, weekly


def offered(language, day):
    return [
        (s.starts_at, s.advisor.username, s.interpreter.username if s.interpreter else None)
        for s in slots_offer(language=language, first=day, days=1)
    ]


def test_an_advisor_who_speaks_the_language_is_offered_alone_on_the_half_hour_grid(
    advisor, interpreter, day
):
    assert offered("fr", day) == [
        (at(day, h, m), "advisor", None) for h, m in [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0)]
    ]


def test_another_language_is_offered_with_an_interpreter_who_speaks_it(advisor, interpreter, day):
    slots = offered("ar", day)
    assert len(slots) == 5
    assert {(name, helper) for _start, name, helper in slots} == {("advisor", "interpreter")}


def test_a_busy_interpreter_is_not_offered_for_the_cells_they_hold(
    advisor, interpreter, person, site, day, make_user
):
    other = speaks(make_user(Role.LEGAL, "advisor2"), "en")
    weekly(other, "advisor", day, site=site)
    appointment_book(
        actor=advisor,
        person=person,
        language="ar",
        slot=choice(day, 10, advisor, interpreter, site),
        case_type=Appointment.CaseType.OTHER,
    )
    arabic = offered("ar", day)
    # advisor is held 10:00-11:00; the only interpreter too, so advisor2 has no Arabic then.
    assert [(start, name) for start, name, _i in arabic] == [
        (at(day, 9), "advisor"),
        (at(day, 9), "advisor2"),
        (at(day, 11), "advisor"),
        (at(day, 11), "advisor2"),
    ]
    # In English advisor2 needs nobody, so all five of their slots stay.
    assert len([s for s in offered("en", day) if s[1] == "advisor2"]) == 5


def test_no_slot_when_nobody_speaks_the_language(advisor, interpreter, day):
    assert offered("ti", day) == []


def test_basic_knowledge_of_a_language_is_not_enough(advisor, make_user, site, day):
    helper = speaks(make_user(Role.VOLUNTEER, "learner"), "ps", level="basic")
    weekly(helper, "interpreter", day, site=site)
    assert offered("ps", day) == []


def test_an_interpreter_elsewhere_cannot_serve_a_site_slot_but_one_by_phone_can(
    advisor, make_user, site, day
):
    elsewhere = speaks(make_user(Role.VOLUNTEER, "far"), "ur")
    weekly(elsewhere, "interpreter", day, site=SiteFactory(name="Grande-Synthe"))
    assert offered("ur", day) == []
    by_phone = speaks(make_user(Role.VOLUNTEER, "phone"), "ur")
    weekly(by_phone, "interpreter", day, start=time(10), end=time(11))
    assert offered("ur", day) == [(at(day, 10), "advisor", "phone")]


def test_a_by_phone_slot_takes_an_interpreter_at_any_site(make_user, interpreter, day):
    phone_advisor = speaks(make_user(Role.LEGAL, "phoneadvisor"), "en")
    weekly(phone_advisor, "advisor", day, start=time(9), end=time(10))
    slots = slots_offer(language="ar", first=day, days=1)
    assert [(s.site, s.interpreter.username) for s in slots] == [(None, "interpreter")]


def test_slots_in_the_past_and_outside_validity_are_not_offered(advisor, interpreter, site):
    from django.utils import timezone

    assert all(
        slot.starts_at > timezone.now()
        for slot in slots_offer(language="fr", first=timezone.localdate(), days=8)
    )


def test_work_is_shared_between_interpreters(advisor, interpreter, person, site, day, make_user):
    second = speaks(make_user(Role.VOLUNTEER, "second"), "ar")
    weekly(second, "interpreter", day, site=site)
    appointment_book(
        actor=advisor,
        person=person,
        language="ar",
        slot=choice(day, 9, advisor, interpreter, site),
        case_type=Appointment.CaseType.OTHER,
    )
    assert {s.interpreter.username for s in slots_offer(language="ar", first=day, days=1)} == {
        "second"
    }
