"""A partner form sent twice with its one-time token adds once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.partners.models import Partner, PartnerService
from tests.once import assert_sent_once

from .test_partners import FORM


def test_a_partner_added_twice_is_added_once(client, coordinator):
    client.force_login(coordinator)
    assert_sent_once(client, reverse("partners:create"), FORM, Partner.objects.count)


def test_a_service_added_twice_is_added_once(client, coordinator):
    partner = Partner.objects.create(name="Dentiste Nord", kind="dentist", sms_place="Place 4")
    client.force_login(coordinator)
    url = reverse("partners:service_create", args=[partner.pk])
    data = {"name": "Emergency dental care", "area": "medical", "is_active": "on"}
    assert_sent_once(client, url, data, PartnerService.objects.count)
