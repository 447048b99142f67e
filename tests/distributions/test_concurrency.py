"""Two phones, one person, the same moment: the database decides, exactly once."""

import threading
import uuid

import pytest
from django.db import connection

from fieldapp.errors import DomainError
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.models import Handout, StockBalance

pytestmark = pytest.mark.django_db(transaction=True)


def race(target, count=2):
    barrier = threading.Barrier(count)
    results: list[object] = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 - any failure is a result to assert on
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_simultaneous_check_ins_for_one_rationed_item_exactly_one_succeeds(
    volunteer, session, person, sleeping_bag
):
    results = race(
        lambda: checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(sleeping_bag.pk, "", 1)],
            client_uuid=uuid.uuid4(),
        )
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(results) == 2 and len(refused) == 1
    assert refused[0].code == "not_entitled"
    assert Handout.objects.filter(person=person).count() == 1
    assert StockBalance.objects.get(item=sleeping_bag).quantity == 9


def test_the_last_item_in_stock_goes_to_exactly_one_person(volunteer, session, shoes, site):
    from tests.factories import PersonFactory

    StockBalance.objects.filter(item=shoes, size="41").update(quantity=1)
    people = [PersonFactory(home_site=site) for _ in range(2)]
    turns = iter(people)
    lock = threading.Lock()

    def next_person():
        with lock:
            return next(turns)

    results = race(
        lambda: checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=next_person().code,
            lines=[Line(shoes.pk, "41", 1)],
            client_uuid=uuid.uuid4(),
        )
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert StockBalance.objects.get(item=shoes, size="41").quantity == 0


def test_the_same_upload_twice_at_once_is_recorded_once(volunteer, session, person, jumper):
    key = uuid.uuid4()
    results = race(
        lambda: checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(jumper.pk, "M", 1)],
            client_uuid=key,
        )
    )
    assert Handout.objects.count() == 1
    assert len(results) == 2 and results[0].pk == results[1].pk, results


def test_items_sent_in_opposite_orders_do_not_deadlock(volunteer, session, site, shoes, jumper):
    from tests.factories import PersonFactory

    lock = threading.Lock()
    orders = iter(())

    def check_in():
        with lock:
            person, lines = next(orders)
        return checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=lines,
            client_uuid=uuid.uuid4(),
        )

    for _ in range(2):  # 5 pairs of shoes 42 in stock: 4 used
        orders = iter(
            [
                (PersonFactory(home_site=site), [Line(shoes.pk, "42", 1), Line(jumper.pk, "M", 1)]),
                (PersonFactory(home_site=site), [Line(jumper.pk, "M", 1), Line(shoes.pk, "42", 1)]),
            ]
        )
        results = race(check_in)
        assert not [r for r in results if isinstance(r, Exception)], results


def test_fifty_phones_checking_in_one_person_for_one_sleeping_bag_hand_out_one(
    volunteer, session, person, sleeping_bag
):
    results = race(
        lambda: checkin_record(
            actor=volunteer,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(sleeping_bag.pk, "", 1)],
            client_uuid=uuid.uuid4(),
        ),
        count=50,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(results) == 50 and len(refused) == 49, refused[:3]
    assert {error.code for error in refused} == {"not_entitled"}
    assert Handout.objects.filter(person=person).count() == 1
    assert StockBalance.objects.get(item=sleeping_bag).quantity == 9


def test_opposite_transfers_at_the_same_moment_both_go_through(
    api_as, coordinator, site, sleeping_bag
):
    """A→B while B→A: each locks both balances in the same order, so neither waits forever."""
    from services.distributions.actions.stock import stock_receive
    from tests.factories import SiteFactory

    van = SiteFactory(name="Van 1")
    for where in (site, van):
        stock_receive(actor=coordinator, site=where, item=sleeping_bag, size="", quantity=50)
    lock = threading.Lock()
    directions = iter(())

    def transfer():
        with lock:
            source, target = next(directions)
        response = api_as(coordinator).post(
            "/api/v1/stock/transfer/",
            {"site": source.pk, "target": target.pk, "item": sleeping_bag.pk, "quantity": 1},
            format="json",
        )
        return response.status_code

    for _ in range(5):
        directions = iter([(site, van), (van, site)])
        assert race(transfer) == [201, 201]
    balances = StockBalance.objects.filter(item=sleeping_bag).values_list("quantity", flat=True)
    assert sorted(balances) == [50, 50]
