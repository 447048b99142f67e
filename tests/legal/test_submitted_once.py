"""A legal form sent twice with its one-time token acts once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.legal.models import Appointment
from services.scheduling.models import Availability
from services.scheduling.slots import slots_offer
from tests.once import assert_sent_once


def test_an_appointment_booked_twice_is_booked_once(client, advisor, interpreter, person, day):
    client.force_login(advisor)
    url = f"{reverse('legal:book')}?code={person.code}&first={day.isoformat()}"
    key = slots_offer(language="ar", first=day, days=1)[2].key
    data = {"slot": key, "case_type": "asylum_france", "notes": "Arrived May."}
    first = assert_sent_once(client, url, data, Appointment.objects.count)
    assert first["Location"] == Appointment.objects.get().get_absolute_url()


def test_availability_added_twice_is_added_once(client, interpreter, day):
    client.force_login(interpreter)
    before = Availability.objects.filter(user=interpreter).count()
    data = {
        "role": "interpreter",
        "repeat": "once",
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
    }
    assert_sent_once(
        client,
        reverse("legal:availability"),
        data,
        lambda: Availability.objects.filter(user=interpreter).count() - before,
        post_url=reverse("legal:availability_add"),
    )
