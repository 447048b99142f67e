"""
The booking offer: the next free slots with an advisor and an interpreter for the
person's language, at the site or by phone, the language prefilled, one tap to hold.
"""

from datetime import time

import pytest
from django.urls import reverse

from services.legal.models import Appointment
from services.scheduling.models import SlotHold

from .conftest import at, speaks, weekly

pytestmark = pytest.mark.django_db
BOOK = reverse("legal:book")


def test_the_language_is_prefilled_from_the_person(client, advisor, interpreter, person):
    client.force_login(advisor)
    page = client.get(BOOK, {"code": person.code})
    assert page.status_code == 200
    assert '<option value="ar" selected>' in page.text


def test_the_offer_lists_the_next_free_slots_with_an_interpreter_soonest_first(
    client, advisor, interpreter, person, site, day
):
    client.force_login(advisor)
    page = client.get(BOOK, {"code": person.code, "first": day.isoformat()})
    offers = page.context["offers"]
    starts = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0)]
    assert [offer.key.split("|")[0] for offer in offers[:5]] == [
        at(day, hour, minute).isoformat() for hour, minute in starts
    ]
    assert all("with interpreter interpreting" in offer.who for offer in offers)
    assert page.text.count('name="slot"') == len(offers)


def test_an_interpreter_by_phone_makes_a_slot_at_the_site_and_says_so(
    client, make_user, advisor, person, site, day
):
    from services.accounts.roles import Role

    by_phone = speaks(make_user(Role.VOLUNTEER, "farah"), "ar")
    weekly(by_phone, "interpreter", day, start=time(9), end=time(11), site=None)
    client.force_login(advisor)
    offers = client.get(BOOK, {"code": person.code}).context["offers"]
    assert offers and all("farah interpreting by phone" in offer.who for offer in offers)
    assert offers[0].place == site.name


def test_one_tap_on_a_slot_holds_the_advisor_and_the_interpreter(
    client, advisor, interpreter, person, site, day
):
    client.force_login(advisor)
    page = client.get(BOOK, {"code": person.code, "first": day.isoformat()})
    first = page.context["offers"][0]
    response = client.post(
        f"{BOOK}?code={person.code}&first={day.isoformat()}",
        {"slot": first.key, "case_type": "dublin", "notes": ""},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == appointment.get_absolute_url()
    assert (appointment.starts_at, appointment.interpreter) == (at(day, 9), interpreter)
    assert SlotHold.objects.filter(booking=appointment.booking).count() == 4


def test_a_tap_without_a_case_type_says_so_and_books_nothing(client, advisor, interpreter, person):
    client.force_login(advisor)
    first = client.get(BOOK, {"code": person.code}).context["offers"][0]
    response = client.post(f"{BOOK}?code={person.code}", {"slot": first.key})
    assert response.status_code == 400 and "Choose one from the list." in response.text
    assert not Appointment.objects.exists()


def test_the_first_few_are_shown_and_more_on_request(client, advisor, interpreter, person, day):
    weekly(advisor, "advisor", day, start=time(13), end=time(18))
    weekly(interpreter, "interpreter", day, start=time(13), end=time(18))
    client.force_login(advisor)
    short = client.get(BOOK, {"code": person.code})
    assert len(short.context["offers"]) == 6 and "more=1" in short.text
    everything = client.get(BOOK, {"code": person.code, "more": "1"})
    assert len(everything.context["offers"]) > 6
