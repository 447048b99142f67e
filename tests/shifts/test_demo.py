import pytest

from fieldapp.demo import demo_load
from services.accounts.models import Skill, SpokenLanguage
from services.shifts.coverage import coverage_load
from services.shifts.models import Shift, SignUp


@pytest.mark.django_db
def test_the_demo_has_a_week_of_shifts_with_gaps_and_volunteers_with_languages_once():
    passwords = demo_load(people=30)
    assert {"tesfay", "nawid", "teamlead"} <= set(passwords)
    assert SpokenLanguage.objects.filter(user__username="tesfay", language="ti").exists()
    assert Skill.objects.filter(user__username="teamlead", kind="team_lead").exists()
    shifts = list(Shift.objects.all())
    assert len(shifts) >= 10 and SignUp.objects.exists()
    coverages = coverage_load(shifts).values()
    assert any(not c.covered for c in coverages)
    assert any("speaker" in c.words() for c in coverages)
    demo_load(people=30)
    assert Shift.objects.count() == len(shifts)
