"""A referral form sent twice with its one-time token acts once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.referrals.models import Referral, ReferralEvent
from tests.once import assert_sent_once

from .conftest import in_days
from .test_screens_and_api import _form


def test_a_referral_sent_twice_is_made_once(client, medical, person, medical_service, site):
    client.force_login(medical)
    url = reverse("referrals:create", args=[person.code])
    first = assert_sent_once(client, url, _form(medical_service, site), Referral.objects.count)
    assert first["Location"] == reverse("referrals:detail", args=[Referral.objects.get().pk])


def test_an_appointment_booked_twice_is_booked_once(client, medical, referral):
    client.force_login(medical)
    url = reverse("referrals:book", args=[referral.pk])
    data = {
        "date": in_days(2).date().isoformat(),
        "time": "14:30",
        "place": "",
        "interpreter": "none",
    }
    assert_sent_once(
        client, url, data, ReferralEvent.objects.filter(referral=referral, status="booked").count
    )
