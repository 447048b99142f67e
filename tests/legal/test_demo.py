import pytest

from fieldapp.demo import demo_load
from services.legal.models import Appointment
from services.scheduling.models import Availability


@pytest.mark.django_db
def test_the_demo_has_advisors_an_interpreter_availability_and_bookings_once():
    passwords = demo_load(people=60)
    assert {"advisor2", "interpreter"} <= set(passwords)
    assert Availability.objects.count() == 5
    assert Appointment.objects.filter(interpreter__username="interpreter").exists()
    booked = Appointment.objects.count()
    demo_load(people=60)
    assert Appointment.objects.count() == booked
