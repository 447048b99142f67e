import datetime

import pytest
from django.utils import timezone

from services.partners.models import Partner, PartnerService
from services.referrals.models import ReasonCategory, Referral, Status, Urgency
from tests.factories import PersonFactory

NOTES = "Suspected fracture, left wrist"


@pytest.fixture
def booked(site, medical):
    person = PersonFactory(home_site=site)
    partner = Partner.objects.create(
        name="PASS psychiatry unit",
        kind=Partner.Kind.PSYCHOLOGIST,
        address="1 Rue Example",
        sms_place="Hôpital de Calais, entrée B",
    )
    service = PartnerService.objects.create(partner=partner, name="Consultation", area="medical")
    referral = Referral.objects.create(
        person=person,
        service=service,
        site=site,
        urgency=Urgency.URGENT,
        reason_category=ReasonCategory.MENTAL_HEALTH,
        clinical_notes=NOTES,
        consent_to_share=True,
        status=Status.BOOKED,
        appointment_at=timezone.now() + datetime.timedelta(days=1),
        appointment_place="Hôpital de Calais, entrée B",
        created_by=medical,
    )
    return person, referral
