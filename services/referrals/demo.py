"""Demo referrals for `make demo` (fieldapp/demo.py): a few, at each step, through the actions."""

from datetime import timedelta

from django.utils import timezone

from services.accounts.models import User
from services.partners.models import Area, PartnerService
from services.people.models import Person
from services.sites.models import Site

from .actions.referral import referral_create
from .actions.workflow import referral_book, referral_decline
from .models import ReasonCategory, Referral, Urgency


def demo_referrals(medical: User, site: Site) -> None:
    """Once: one referred, two booked (reminders scheduled), one declined."""
    if Referral.objects.exists():
        return
    services = list(PartnerService.objects.filter(area=Area.MEDICAL, is_active=True)[:3])
    people = list(Person.objects.filter(home_site=site).order_by("id")[:4])
    if not services or len(people) < 4:
        return
    tomorrow = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    tomorrow += timedelta(days=1)
    made = [
        referral_create(
            actor=medical,
            person=person,
            service=services[index % len(services)],
            site=site,
            urgency=[Urgency.URGENT, Urgency.ROUTINE][index % 2],
            reason_category=[ReasonCategory.WOUND, ReasonCategory.DENTAL][index % 2],
            clinical_notes="Demo notes.",
            interpreter_language=person.language,
            consent=True,
        )
        for index, person in enumerate(people)
    ]
    referral_book(actor=medical, referral=made[1], starts_at=tomorrow)
    referral_book(actor=medical, referral=made[2], starts_at=tomorrow + timedelta(days=2))
    referral_decline(actor=medical, referral=made[3], reason="Demo: the clinic is full.")
