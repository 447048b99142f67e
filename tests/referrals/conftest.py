from datetime import timedelta

import pytest
from django.utils import timezone

from services.partners.models import Area, Partner, PartnerService
from services.people.phones import phone_parse
from services.referrals.actions.referral import referral_create
from services.referrals.actions.workflow import referral_book
from services.referrals.models import ReasonCategory, Urgency

from ..factories import PersonFactory

NOTES = "Suspected fracture of the left wrist, diabetic"


@pytest.fixture
def partner(db):
    return Partner.objects.create(
        name="PASS Calais", kind=Partner.Kind.PASS, sms_place="Rue Leveux 11", languages=["fr"]
    )


@pytest.fixture
def medical_service(partner):
    return PartnerService.objects.create(partner=partner, name="Dental care", area=Area.MEDICAL)


@pytest.fixture
def legal_service(partner):
    lawyers = Partner.objects.create(name="Lawyers", kind=Partner.Kind.LAWYER, sms_place="Quai 2")
    return PartnerService.objects.create(partner=lawyers, name="Asylum advice", area=Area.LEGAL)


@pytest.fixture
def person(site):
    return PersonFactory(
        home_site=site, phone=phone_parse("0612345678"), sms_consent=True, language="ar"
    )


@pytest.fixture
def make_referral(medical, medical_service, person, site):
    def make(*, refer=True, consent=True, **overrides):
        values = {
            "actor": medical,
            "person": person,
            "service": medical_service,
            "site": site,
            "urgency": Urgency.URGENT,
            "reason_category": ReasonCategory.DENTAL,
            "clinical_notes": NOTES,
            "interpreter_language": "ar",
            "consent": consent,
            "refer": refer,
        }
        return referral_create(**(values | overrides))

    return make


@pytest.fixture
def referral(make_referral):
    return make_referral()


def in_days(days: int, hour: int = 10) -> timezone.datetime:
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=30, second=0, microsecond=0)


@pytest.fixture
def booked(referral, medical):
    return referral_book(actor=medical, referral=referral, starts_at=in_days(3))
