"""
A check-in reads its session and offers from the cache; a change is seen at once, and a
stale cache never lets a check-in through that the database would refuse.
"""

import uuid
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.distributions import selectors, snapshot
from services.distributions.actions.catalogue import item_type_save
from services.distributions.actions.sessions import session_set_status
from services.distributions.models import CheckIn, SessionItem


def post(client, session, person, item, size=""):
    payload = {
        "uuid": str(uuid.uuid4()),
        "session": session.pk,
        "person": person.code,
        "items": [{"item": item.pk, "size": size, "quantity": 1}],
    }
    return client.post("/api/v1/checkins/", payload, format="json")


def cached(session):
    return snapshot.snapshot_get(session.pk)[1]


def test_the_second_read_comes_from_the_cache(session):
    first, offers = selectors.session_for_checkin(session_id=session.pk)
    with CaptureQueriesContext(connection) as captured:
        again, offers_again = selectors.session_for_checkin(session_id=session.pk)
    assert len(captured) == 0
    assert again.pk == session.pk and again.site.name == session.site.name
    assert [o.item.name for o in offers_again] == [o.item.name for o in offers]


def test_closing_the_session_drops_the_snapshot(coordinator, session):
    selectors.session_for_checkin(session_id=session.pk)
    assert cached(session) is not None
    session_set_status(actor=coordinator, session=session, status="closed")
    assert cached(session) is None


def test_changing_an_item_drops_the_snapshot(coordinator, session, sleeping_bag):
    selectors.session_for_checkin(session_id=session.pk)
    item_type_save(actor=coordinator, item=sleeping_bag, min_interval_days=60)
    assert cached(session) is None


def test_removing_an_offer_drops_the_snapshot(session, shoes):
    selectors.session_for_checkin(session_id=session.pk)
    SessionItem.objects.filter(session=session, item=shoes).delete()
    assert cached(session) is None


def test_a_session_closed_behind_the_cache_refuses_the_check_in(
    api_as, volunteer, coordinator, session, person, shoes
):
    client = api_as(volunteer)
    assert post(client, session, person, shoes, "42").status_code == 201
    with mock.patch.object(snapshot, "_new_generation"):  # the cache is not told
        session_set_status(actor=coordinator, session=session, status="closed")
    assert cached(session) is not None
    refused = post(client, session, person, shoes, "41")
    assert refused.status_code == 400 and refused.json()["code"] == "session_closed"
    assert CheckIn.objects.count() == 1


def test_an_offer_removed_behind_the_cache_is_not_handed_out(
    api_as, volunteer, session, person, shoes, jumper
):
    client = api_as(volunteer)
    assert post(client, session, person, jumper, "M").status_code == 201
    with mock.patch.object(snapshot, "_new_generation"):
        SessionItem.objects.filter(session=session, item=shoes).delete()
    refused = post(client, session, person, shoes, "42")
    assert refused.status_code == 400 and refused.json()["code"] == "not_offered"


def test_an_item_rule_changed_behind_the_cache_is_applied(
    api_as, volunteer, coordinator, session, person, jumper
):
    client = api_as(volunteer)
    assert post(client, session, person, jumper, "M").status_code == 201
    with mock.patch.object(snapshot, "_new_generation"):
        item_type_save(actor=coordinator, item=jumper, min_interval_days=30)
    refused = post(client, session, person, jumper, "L")  # the limit alone would allow 2
    assert refused.status_code == 400 and refused.json()["code"] == "not_entitled"


def test_without_the_cache_the_database_answers(api_as, volunteer, session, person, shoes):
    with mock.patch("services.distributions.snapshot.cache.get_many", side_effect=ConnectionError):
        assert post(api_as(volunteer), session, person, shoes, "42").status_code == 201
