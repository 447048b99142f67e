"""The book/move screen and the API offering and booking an interpreter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.referrals.actions.workflow import referral_book
from services.scheduling.models import SlotHold

from .conftest import in_days
from .interpreting import available, interpreter_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def when():
    return in_days(3)


@pytest.fixture
def amira(make_user, when):
    user = interpreter_for(make_user, "amira", "ar")
    available(user, when.date())
    return user


def _fields(when, **extra):
    local = timezone.localtime(when)
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "place": "", **extra}


def test_find_lists_the_free_interpreters_and_books_nothing(client, medical, referral, when, amira):
    client.force_login(medical)
    url = reverse("referrals:book", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Give the date and time, then look for a free interpreter." in page

    found = client.post(url, _fields(when, find="1"))

    assert found.status_code == 200
    page = found.content.decode()
    assert 'value="none"' in page and f'value="{amira.pk}"' in page and "amira" in page
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_when_nobody_is_free_the_screen_says_so(client, medical, referral, when):
    client.force_login(medical)
    page = client.post(
        reverse("referrals:book", args=[referral.pk]), _fields(when, find="1")
    ).content.decode()
    assert "No interpreter for this language is free at that time." in page
    assert 'value="none"' in page


def test_booking_without_choosing_asks_for_an_interpreter_or_none(
    client, medical, referral, when, amira
):
    client.force_login(medical)
    response = client.post(reverse("referrals:book", args=[referral.pk]), _fields(when))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an interpreter, or no interpreter." in page and f'value="{amira.pk}"' in page


def test_booking_with_the_chosen_interpreter(client, medical, referral, when, amira):
    client.force_login(medical)
    response = client.post(
        reverse("referrals:book", args=[referral.pk]), _fields(when, interpreter=str(amira.pk))
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.interpreter) == ("booked", amira)
    assert SlotHold.objects.filter(booking__referral=referral, user=amira).count() == 2
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "amira" in page


def test_the_move_screen_starts_at_the_booked_time_with_the_interpreter_chosen(
    client, medical, referral, when, amira
):
    referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    client.force_login(medical)
    response = client.get(reverse("referrals:book", args=[referral.pk]))
    assert timezone.localtime(when).strftime("%H:%M") in response.content.decode()
    field = response.context["form"]["interpreter"]
    assert field.value() == str(amira.pk)
    assert [str(choice.data["value"]) for choice in field if choice.data["selected"]] == [
        str(amira.pk)
    ]


def test_moving_to_a_time_the_interpreter_is_taken_is_a_409_offering_others(
    client, make_referral, medical, referral, when, amira, make_user
):
    referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    later = when + timedelta(hours=2)
    referral_book(actor=medical, referral=make_referral(), starts_at=later, interpreter=amira)
    nadia = interpreter_for(make_user, "nadia", "ar")
    available(nadia, later.date())
    client.force_login(medical)

    response = client.post(
        reverse("referrals:book", args=[referral.pk]), _fields(later, interpreter=str(amira.pk))
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "amira is not free at that time" in page
    assert f'value="{nadia.pk}"' in page and 'value="none"' in page
    referral.refresh_from_db()
    assert referral.appointment_at == when


def test_a_referral_without_an_interpreter_language_has_no_interpreter_choice(
    client, medical, make_referral, when
):
    referral = make_referral(interpreter_language="")
    client.force_login(medical)
    url = reverse("referrals:book", args=[referral.pk])
    assert 'name="interpreter"' not in client.get(url).content.decode()
    assert client.post(url, _fields(when)).status_code == 302


# API


def test_api_lists_free_interpreters_and_books_one(api_as, medical, referral, when, amira):
    api = api_as(medical)
    url = f"/api/v1/referrals/{referral.pk}/"
    listed = api.get(f"{url}interpreters/", {"starts_at": when.isoformat()})
    assert listed.status_code == 200 and listed.json() == [{"id": amira.pk, "username": "amira"}]

    booked = api.post(f"{url}book/", {"starts_at": when.isoformat(), "interpreter": amira.pk})

    assert booked.status_code == 200, booked.json()
    assert booked.json()["interpreter"] == amira.pk
    assert booked.json()["events"][-1]["interpreter"] == amira.pk
    moved = api.post(f"{url}book/", {"starts_at": (when + timedelta(hours=1)).isoformat()})
    assert moved.json()["interpreter"] == amira.pk, "left out: the interpreter stays"
    dropped = api.post(
        f"{url}book/", {"starts_at": when.isoformat(), "interpreter": None}, format="json"
    )
    assert dropped.json()["interpreter"] is None
    assert not SlotHold.objects.exists()


def test_api_taken_interpreter_is_a_409_with_the_field(
    api_as, make_referral, medical, referral, when, amira
):
    referral_book(actor=medical, referral=make_referral(), starts_at=when, interpreter=amira)
    response = api_as(medical).post(
        f"/api/v1/referrals/{referral.pk}/book/",
        {"starts_at": when.isoformat(), "interpreter": amira.pk},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "interpreter_taken"
    assert "interpreter" in response.json()["fields"]
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_api_interpreters_needs_a_valid_time(api_as, medical, referral):
    response = api_as(medical).get(f"/api/v1/referrals/{referral.pk}/interpreters/")
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["volunteer", "coordinator"])
def test_api_other_roles_neither_list_nor_book_interpreters(
    role, request, api_as, referral, when, amira
):
    api = api_as(request.getfixturevalue(role))
    url = f"/api/v1/referrals/{referral.pk}/"
    assert api.get(f"{url}interpreters/", {"starts_at": when.isoformat()}).status_code == 403
    booked = api.post(f"{url}book/", {"starts_at": when.isoformat(), "interpreter": amira.pk})
    assert booked.status_code == 403
    assert not SlotHold.objects.exists()


def test_the_book_screen_offers_the_next_times_an_interpreter_is_free_by_phone(
    client, medical, referral, when, amira
):
    from services.scheduling.grid import local_datetime

    day = when.date()
    booked = local_datetime(day, when.time().replace(hour=8, minute=0))
    other = referral_book(
        actor=medical,
        referral=referral,
        starts_at=booked,
        place="",
        interpreter=amira,
    )
    assert other.interpreter == amira
    client.force_login(medical)
    url = reverse("referrals:book", args=[referral.pk])
    times = client.get(url).context["times"]
    # Its own booking counts as free: the referral may move within it.
    assert times and all(t.interpreter == amira for t in times)
    assert [t.starts_at for t in times] == sorted(t.starts_at for t in times)


def test_one_tap_on_an_offered_time_books_it_with_the_interpreter(
    client, medical, referral, when, amira
):
    client.force_login(medical)
    url = reverse("referrals:book", args=[referral.pk])
    offered = client.get(url).context["times"][0]
    response = client.post(url, {"place": "", "take": offered.key})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.appointment_at, referral.interpreter) == (offered.starts_at, amira)
    assert SlotHold.objects.filter(user=amira).count() == 2


def test_a_time_taken_by_another_booking_is_not_offered(
    client, medical, referral, make_referral, when, amira
):
    from services.scheduling.grid import local_datetime

    first_offered = local_datetime(when.date(), when.time().replace(hour=8, minute=0))
    other = make_referral()
    referral_book(
        actor=medical, referral=other, starts_at=first_offered, place="", interpreter=amira
    )
    client.force_login(medical)
    times = client.get(reverse("referrals:book", args=[referral.pk])).context["times"]
    assert first_offered not in [t.starts_at for t in times]


def test_the_interpreter_language_of_a_new_referral_is_prefilled_from_the_person(
    client, medical, person
):
    client.force_login(medical)
    page = client.get(reverse("referrals:create", args=[person.code]))
    assert page.context["form"].initial["interpreter_language"] == person.language == "ar"
