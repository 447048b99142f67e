"""The counts behind the dashboard: texts and shifts, read by aggregate queries."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from fieldapp.figures import Scope
from services.messaging.models import Message
from services.messaging.stats import sms_failure_reasons, sms_month_by_language, sms_outcomes
from services.shifts.models import Shift
from services.shifts.stats import coverage_by_day
from tests.factories import PersonFactory, SiteFactory


def _text(person, status, *, code="", segments=1, n=[0]):  # noqa: B006 - a counter for keys
    n[0] += 1
    return Message.objects.create(
        idempotency_key=f"test:{n[0]}",
        kind="distribution_announcement",
        person=person,
        channel="sms",
        language=person.language,
        segments=segments,
        send_at=timezone.now() - timedelta(hours=1),
        status=status,
        error_code=code,
    )


def test_texts_are_counted_by_outcome_with_the_reasons_in_words(coordinator, site):
    person = PersonFactory(home_site=site, language="ti")
    for _ in range(3):
        _text(person, Message.Status.DELIVERED, segments=2)
    _text(person, Message.Status.FAILED, code="30003")
    _text(person, Message.Status.UNDELIVERED, code="30003")
    _text(person, Message.Status.CANCELLED)
    today = timezone.localdate()
    scope = Scope(coordinator, None, today - timedelta(days=1), today)
    assert sms_outcomes(scope) == {"sent": 5, "delivered": 3, "failed": 2}
    [reason] = sms_failure_reasons(scope)
    assert (reason.count, reason.words) == (2, "The phone is switched off or out of reach.")
    [month] = sms_month_by_language(scope)
    assert (month.language, month.texts, month.segments) == ("ti", 5, 8)


def test_texts_of_another_site_are_not_counted_when_a_site_is_chosen(coordinator, site):
    other = SiteFactory()
    _text(PersonFactory(home_site=other), Message.Status.DELIVERED)
    today = timezone.localdate()
    scope = Scope(coordinator, frozenset([site.pk]), today - timedelta(days=1), today)
    assert sms_outcomes(scope)["sent"] == 0


def test_shift_coverage_counts_places_needed_filled_and_shifts_short(coordinator, site):
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(tomorrow, time(9)))
    for needed, filled in ((4, 4), (3, 1)):
        Shift.objects.create(
            site=site,
            task=Shift.Task.values[0],
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            people_needed=needed,
            signed_up=filled,
            created_by=coordinator,
        )
    scope = Scope(coordinator, None, tomorrow, tomorrow)
    [day] = coverage_by_day(scope, first_day=timezone.localdate())
    assert (day.day, day.shifts, day.needed, day.filled, day.short) == (tomorrow, 2, 7, 5, 1)
