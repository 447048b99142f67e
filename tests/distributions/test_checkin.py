import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from fieldapp.errors import Conflict, DomainError
from services.distributions.actions.checkin import (
    Line,
    NotEntitled,
    checkin_record,
    checkin_resolve,
)
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.models import CheckIn, DistributionSession, Handout, StockBalance
from services.distributions.selectors import person_entitlements, stock_from_ledger
from tests.factories import PersonFactory, SiteFactory


def record(actor, session, person, lines, **kwargs):
    kwargs.setdefault("client_uuid", uuid.uuid4())
    return checkin_record(
        actor=actor, session_id=session.pk, person_code=person.code, lines=lines, **kwargs
    )


def bag(sleeping_bag, quantity=1):
    return Line(sleeping_bag.pk, "", quantity)


def test_a_check_in_records_the_handout_and_the_stock_goes_down(
    volunteer, session, person, sleeping_bag, shoes
):
    record(volunteer, session, person, [bag(sleeping_bag), Line(shoes.pk, "42", 1)])
    assert Handout.objects.filter(person=person).count() == 2
    balance = StockBalance.objects.get(site=session.site, item=shoes, size="42")
    assert balance.quantity == 4 == stock_from_ledger(site=session.site, item=shoes, size="42")


def test_second_sleeping_bag_within_30_days_is_refused(volunteer, session, person, sleeping_bag):
    record(volunteer, session, person, [bag(sleeping_bag)])
    with pytest.raises(NotEntitled) as refused:
        record(volunteer, session, person, [bag(sleeping_bag)])
    assert "Sleeping bag" in refused.value.message


def test_a_sleeping_bag_is_allowed_again_after_30_days(
    volunteer, coordinator, session, person, sleeping_bag
):
    first = record(volunteer, session, person, [bag(sleeping_bag)])
    last_month = session_plan(
        actor=coordinator,
        site=session.site,
        day=timezone.localdate() - timedelta(days=31),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        offers=[Offer(sleeping_bag, [])],
    )
    CheckIn.objects.filter(pk=first.pk).update(session=last_month)
    Handout.objects.filter(checkin=first).update(given_at=timezone.now() - timedelta(days=31))
    record(volunteer, session, person, [bag(sleeping_bag)])
    assert Handout.objects.filter(person=person).count() == 2


def test_the_per_session_limit_counts_what_was_already_given(volunteer, session, person, jumper):
    record(volunteer, session, person, [Line(jumper.pk, "M", 1)])
    record(volunteer, session, person, [Line(jumper.pk, "L", 1)])
    with pytest.raises(NotEntitled):
        record(volunteer, session, person, [Line(jumper.pk, "M", 1)])


def test_choose_two_items_limit(volunteer, coordinator, session, person, sleeping_bag, jumper):
    session.choose_limit = 2
    session.save()
    with pytest.raises(NotEntitled):
        record(volunteer, session, person, [bag(sleeping_bag), Line(jumper.pk, "M", 2)])


def test_a_coordinator_may_override_with_a_reason(
    volunteer, coordinator, session, person, sleeping_bag
):
    record(volunteer, session, person, [bag(sleeping_bag)])
    with pytest.raises(NotEntitled):
        record(volunteer, session, person, [bag(sleeping_bag)], override_reason="tent burnt")
    checkin = record(
        coordinator, session, person, [bag(sleeping_bag)], override_reason="tent burnt"
    )
    assert checkin.override_reason == "tent burnt"


def test_replaying_the_same_check_in_records_it_once(volunteer, session, person, sleeping_bag):
    key = uuid.uuid4()
    first = record(volunteer, session, person, [bag(sleeping_bag)], client_uuid=key)
    again = record(volunteer, session, person, [bag(sleeping_bag)], client_uuid=key)
    assert again.pk == first.pk and Handout.objects.count() == 1


def test_the_same_uuid_with_other_content_is_refused_not_merged(
    volunteer, session, person, sleeping_bag, jumper
):
    key = uuid.uuid4()
    record(volunteer, session, person, [bag(sleeping_bag)], client_uuid=key)
    with pytest.raises(Conflict):
        record(volunteer, session, person, [Line(jumper.pk, "M", 1)], client_uuid=key)
    assert Handout.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 2.5, 10**6])
def test_bad_quantities_are_refused(volunteer, session, person, jumper, quantity):
    with pytest.raises(DomainError):
        record(volunteer, session, person, [Line(jumper.pk, "M", quantity)])
    assert not CheckIn.objects.exists()


def test_sizes_not_offered_or_not_belonging_are_refused(volunteer, session, person, shoes, jumper):
    with pytest.raises(DomainError):
        record(volunteer, session, person, [Line(shoes.pk, "38", 1)])  # a shoe size, not offered
    with pytest.raises(DomainError):
        record(volunteer, session, person, [Line(jumper.pk, "42", 1)])  # not a jumper size


def test_a_closed_session_refuses_check_ins(volunteer, coordinator, session, person, sleeping_bag):
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.CLOSED)
    with pytest.raises(DomainError) as refused:
        record(volunteer, session, person, [bag(sleeping_bag)])
    assert refused.value.code == "session_closed"


def test_a_volunteer_at_another_site_is_refused(volunteer, session, person, sleeping_bag):
    volunteer.site = SiteFactory(name="Elsewhere")
    volunteer.save()
    with pytest.raises(DomainError) as refused:
        record(volunteer, session, person, [bag(sleeping_bag)])
    assert refused.value.code == "other_site"


def test_a_person_from_another_camp_is_served_on_their_card(volunteer, session, sleeping_bag):
    """The card is the person's own proof: their home site is no bar at the table."""
    evicted = PersonFactory(home_site=SiteFactory(name="Grande-Synthe"))
    record(volunteer, session, evicted, [bag(sleeping_bag)])
    assert Handout.objects.filter(person=evicted).count() == 1


def test_out_of_stock_writes_nothing(volunteer, session, person, shoes, sleeping_bag):
    StockBalance.objects.filter(item=shoes, size="43").update(quantity=0)
    with pytest.raises(DomainError) as refused:
        record(volunteer, session, person, [bag(sleeping_bag), Line(shoes.pk, "43", 1)])
    assert refused.value.code == "out_of_stock"
    assert not CheckIn.objects.exists()
    assert StockBalance.objects.get(item=sleeping_bag).quantity == 10


def test_stock_is_taken_at_the_session_site_only_and_per_size(
    volunteer, coordinator, session, person, shoes, jumper
):
    elsewhere = SiteFactory(name="Elsewhere")
    stock_receive(actor=coordinator, site=elsewhere, item=shoes, size="42", quantity=5)
    record(volunteer, session, person, [Line(jumper.pk, "L", 2), Line(shoes.pk, "42", 1)])
    balances = {
        (b.site_id, b.item_id, b.size): b.quantity
        for b in StockBalance.objects.filter(item__in=[shoes, jumper])
    }
    assert balances[(session.site_id, shoes.pk, "42")] == 4
    assert balances[(session.site_id, shoes.pk, "41")] == 5
    assert balances[(elsewhere.pk, shoes.pk, "42")] == 5
    assert balances[(session.site_id, jumper.pk, "L")] == 18
    assert balances[(session.site_id, jumper.pk, "M")] == 20


def test_out_of_stock_on_a_later_line_gives_back_the_earlier_ones(
    volunteer, session, person, shoes, jumper
):
    # Two sizes of one item: the jumper's limit is 2 per person (shoes: 1, see below).
    StockBalance.objects.filter(item=jumper, size="M").update(quantity=0)
    conflict = record(
        volunteer, session, person, [Line(jumper.pk, "L", 1), Line(jumper.pk, "M", 1)], offline=True
    )
    assert conflict.status == CheckIn.Status.CONFLICT and "Jumper M" in conflict.conflict_reason
    assert StockBalance.objects.get(item=jumper, size="L").quantity == 20
    assert not Handout.objects.exists()


def test_the_limit_per_person_counts_every_size_of_the_item(volunteer, session, person, shoes):
    with pytest.raises(NotEntitled) as refused:
        record(volunteer, session, person, [Line(shoes.pk, "42", 1), Line(shoes.pk, "43", 1)])
    assert refused.value.message == "Shoes: 1 per person at this distribution."
    assert not CheckIn.objects.exists()


def test_an_offline_conflict_is_kept_for_a_coordinator_and_can_be_applied(
    volunteer, coordinator, session, person, sleeping_bag
):
    record(volunteer, session, person, [bag(sleeping_bag)])
    conflict = record(volunteer, session, person, [bag(sleeping_bag)], offline=True)
    assert conflict.status == CheckIn.Status.CONFLICT and "Sleeping bag" in conflict.conflict_reason
    assert Handout.objects.count() == 1
    checkin_resolve(actor=coordinator, checkin=conflict, apply=True, reason="two phones, one queue")
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.RECORDED and Handout.objects.count() == 2
    assert StockBalance.objects.get(item=sleeping_bag).quantity == 8


def test_an_offline_out_of_stock_is_a_conflict_with_nothing_taken(
    volunteer, session, person, shoes, sleeping_bag
):
    StockBalance.objects.filter(item=shoes, size="43").update(quantity=0)
    conflict = record(
        volunteer, session, person, [bag(sleeping_bag), Line(shoes.pk, "43", 1)], offline=True
    )
    assert conflict.status == CheckIn.Status.CONFLICT
    assert StockBalance.objects.get(item=sleeping_bag).quantity == 10


def test_entitlements_show_what_may_be_taken_now(volunteer, session, person, sleeping_bag, jumper):
    record(volunteer, session, person, [bag(sleeping_bag), Line(jumper.pk, "M", 1)])
    entitled = {
        status.item.name: status
        for status in person_entitlements(person=person, session=session).offers
    }
    assert entitled["Sleeping bag"].allowed_now == 0 and entitled["Sleeping bag"].next_allowed
    assert entitled["Jumper"].allowed_now == 1
    assert entitled["Shoes"].allowed_now == 1


def test_an_offline_conflict_sent_again_is_the_same_conflict(
    volunteer, session, person, sleeping_bag
):
    record(volunteer, session, person, [bag(sleeping_bag)])
    key = uuid.uuid4()
    first = record(volunteer, session, person, [bag(sleeping_bag)], client_uuid=key, offline=True)
    again = record(volunteer, session, person, [bag(sleeping_bag)], client_uuid=key, offline=True)
    assert first.status == CheckIn.Status.CONFLICT and again.pk == first.pk
    assert CheckIn.objects.count() == 2 and Handout.objects.count() == 1


def test_an_offline_shortage_sent_again_is_the_same_conflict(volunteer, session, person, shoes):
    StockBalance.objects.filter(item=shoes, size="43").update(quantity=0)
    key = uuid.uuid4()
    first = record(
        volunteer, session, person, [Line(shoes.pk, "43", 1)], client_uuid=key, offline=True
    )
    again = record(
        volunteer, session, person, [Line(shoes.pk, "43", 1)], client_uuid=key, offline=True
    )
    assert first.status == CheckIn.Status.CONFLICT and again.pk == first.pk
    assert CheckIn.objects.count() == 1 and not Handout.objects.exists()
