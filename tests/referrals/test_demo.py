from fieldapp.demo import demo_load
from services.partners.models import Partner
from services.referrals.models import Referral


def test_the_demo_has_partners_and_referrals_at_several_steps_and_loads_twice(db):
    demo_load(people=20)
    demo_load(people=20)
    assert Partner.objects.count() == 4
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == ["booked", "booked", "declined", "referred"]
