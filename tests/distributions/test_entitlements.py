"""
The one entitlement rule (services/distributions/entitlements.py), at its boundaries:
every interval from 1 to 365 days, the day before, the day of and the day after the item
may be taken again, at either end of the day, across daylight-saving changes in
Europe/Paris. And the screen and the check-in agree, because they ask the same rule.
"""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from services.distributions.actions.checkin import Line, NotEntitled, checkin_record
from services.distributions.entitlements import history_start, offers_with_history
from services.distributions.models import (
    MAX_INTERVAL_DAYS,
    CheckIn,
    DistributionSession,
    Handout,
    ItemType,
    SessionItem,
)
from services.distributions.selectors import person_entitlements
from tests.factories import PersonFactory

PARIS = ZoneInfo("Europe/Paris")
INTERVALS = range(1, MAX_INTERVAL_DAYS + 1)
EARLY, LATE = time(0, 0, 30), time(23, 59, 30)
# Days just after a clock change (29 March and 25 October 2026): an interval reaching
# back from them crosses one change or two, the shortest one the change itself.
DAYS_AFTER_A_CHANGE = [date(2026, 3, 30), date(2026, 10, 26)]


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


@pytest.fixture
def every_interval(site):
    """Items given every 1, 2, ... 365 days, by their interval."""
    items = ItemType.objects.bulk_create(
        ItemType(name=f"Every {n} days", category=ItemType.Category.FOOD, min_interval_days=n)
        for n in INTERVALS
    )
    return {item.min_interval_days: item for item in items}


def open_session(site, day, items):
    session = DistributionSession.objects.create(
        site=site,
        date=day,
        starts_at=time(0),
        ends_at=time(23, 59),
        status=DistributionSession.Status.OPEN,
    )
    SessionItem.objects.bulk_create(SessionItem(session=session, item=item) for item in items)
    return session


def given(person, site, handouts):
    """handouts: (item, when) pairs, recorded at a past distribution."""
    past = DistributionSession.objects.create(
        site=site,
        date=date(2020, 1, 1),
        starts_at=time(10),
        ends_at=time(12),
        status=DistributionSession.Status.CLOSED,
    )
    checkin = CheckIn.objects.create(client_uuid=uuid.uuid4(), session=past, person=person)
    Handout.objects.bulk_create(
        Handout(checkin=checkin, person=person, item=item, quantity=1, given_at=when)
        for item, when in handouts
    )


@pytest.mark.parametrize("today", DAYS_AFTER_A_CHANGE)
@pytest.mark.parametrize(("given_time", "now_time"), [(LATE, EARLY), (EARLY, LATE)])
def test_every_interval_holds_until_its_day_and_not_a_day_longer(
    site, every_interval, today, given_time, now_time
):
    session = open_session(site, today, every_interval.values())
    # Each person had every item on the day that puts today one day before, on, or one
    # day after the day it may be taken again.
    boundary = {"day before": 1, "day of": 0, "day after": -1}
    people = {}
    for case, shift in boundary.items():
        people[case] = PersonFactory(home_site=site)
        given(
            people[case],
            site,
            [
                (item, at(today - timedelta(days=n - shift), given_time))
                for n, item in every_interval.items()
            ],
        )
    now = at(today, now_time)
    for case, person in people.items():
        statuses = person_entitlements(person=person, session=session, now=now).offers
        assert len(statuses) == MAX_INTERVAL_DAYS
        for status in statuses:
            n = status.item.min_interval_days
            if case == "day before":
                assert (status.allowed_now, status.next_allowed) == (0, today + timedelta(1)), n
            else:
                assert (status.allowed_now, status.next_allowed) == (1, None), (case, n)


def test_the_history_read_reaches_exactly_as_far_as_the_longest_interval(site, every_interval):
    today = DAYS_AFTER_A_CHANGE[0]
    longest = every_interval[MAX_INTERVAL_DAYS]
    still_counts, too_old = PersonFactory(home_site=site), PersonFactory(home_site=site)
    given(still_counts, site, [(longest, at(today - timedelta(MAX_INTERVAL_DAYS - 1), EARLY))])
    given(too_old, site, [(longest, at(today - timedelta(MAX_INTERVAL_DAYS), LATE))])
    session = open_session(site, today, [longest])
    assert history_start(today) == at(today - timedelta(MAX_INTERVAL_DAYS - 1), time(0))

    def last_given(person):
        offers = offers_with_history(session_id=session.pk, person_code=person.code, today=today)
        return offers.get().last_given

    assert last_given(still_counts) == at(today - timedelta(MAX_INTERVAL_DAYS - 1), EARLY)
    assert last_given(too_old) is None  # not read at all


def test_no_interval_may_be_longer_than_the_history_read(site):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ItemType.objects.create(
            name="Tent", category=ItemType.Category.SHELTER, min_interval_days=MAX_INTERVAL_DAYS + 1
        )


@pytest.fixture
def tent(session, coordinator):
    """A 90-day item, offered at the session, with stock."""
    from services.distributions.actions.stock import stock_receive

    item = ItemType.objects.create(
        name="Tent", category=ItemType.Category.SHELTER, min_interval_days=90
    )
    SessionItem.objects.create(session=session, item=item)
    stock_receive(actor=coordinator, site=session.site, item=item, size="", quantity=5)
    return item


def tent_status(person, session, tent):
    entitled = person_entitlements(person=person, session=session)
    return next(status for status in entitled.offers if status.item == tent)


def test_a_90_day_item_given_70_days_ago_is_refused_on_the_screen_and_at_check_in(
    volunteer, session, person, tent
):
    given_at = timezone.now() - timedelta(days=70)
    given(person, session.site, [(tent, given_at)])
    status = tent_status(person, session, tent)
    expected = timezone.localdate(given_at) + timedelta(days=90)
    assert (status.allowed_now, status.next_allowed) == (0, expected)
    with pytest.raises(NotEntitled) as refused, translation.override("en"):
        checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(tent.pk, "", 1)],
            client_uuid=uuid.uuid4(),
        )
    assert f"next from {expected:%d/%m}" in refused.value.message


def test_a_90_day_item_given_90_days_ago_is_allowed_on_the_screen_and_at_check_in(
    volunteer, session, person, tent
):
    given(person, session.site, [(tent, timezone.now() - timedelta(days=90))])
    status = tent_status(person, session, tent)
    assert (status.allowed_now, status.next_allowed) == (1, None)
    checkin = checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(tent.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    assert checkin.status == CheckIn.Status.RECORDED


def test_choose_n_caps_what_the_screen_offers(volunteer, session, person, jumper, sleeping_bag):
    session.choose_limit = 2
    session.save()
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(jumper.pk, "M", 1)],
        client_uuid=uuid.uuid4(),
    )
    statuses = {s.item.name: s for s in person_entitlements(person=person, session=session).offers}
    assert statuses["Jumper"].allowed_now == 1  # 2 per person, but one item left to choose
    assert statuses["Sleeping bag"].allowed_now == 1
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    statuses = {s.item.name: s for s in person_entitlements(person=person, session=session).offers}
    assert all(status.allowed_now == 0 for status in statuses.values())
    with pytest.raises(NotEntitled):
        checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(jumper.pk, "L", 1)],
            client_uuid=uuid.uuid4(),
        )
