import uuid
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from services.distributions.models import (
    CheckIn,
    DistributionSession,
    Handout,
    SessionItem,
    StockBalance,
)
from tests.factories import PersonFactory


def checkin_payload(session, person, item, size="", **extra):
    return {
        "uuid": str(uuid.uuid4()),
        "session": session.pk,
        "person": person.code,
        "items": [{"item": item.pk, "size": size, "quantity": 1}],
        **extra,
    }


def test_check_in_through_the_api_and_replay(api_as, volunteer, session, person, shoes):
    client = api_as(volunteer)
    payload = checkin_payload(session, person, shoes, "42")
    first = client.post("/api/v1/checkins/", payload, format="json")
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/checkins/", payload, format="json")
    assert again.status_code == 200 and again.json()["uuid"] == first.json()["uuid"]
    assert StockBalance.objects.get(item=shoes, size="42").quantity == 4
    changed = client.post(
        "/api/v1/checkins/", {**payload, "items": [{"item": shoes.pk, "size": "41"}]}, format="json"
    )
    assert changed.status_code == 409 and changed.json()["code"] == "uuid_reused"


def test_entitlements_for_the_table(api_as, volunteer, session, person, sleeping_bag):
    client = api_as(volunteer)
    client.post("/api/v1/checkins/", checkin_payload(session, person, sleeping_bag), format="json")
    body = client.get(
        f"/api/v1/distributions/{session.pk}/entitlements/", {"person": person.code.lower()}
    ).json()
    bag = next(o for o in body["offers"] if o["item"] == sleeping_bag.pk)
    assert bag["allowed_now"] == 0 and bag["next_allowed"]
    assert body["recent"][0]["item"] == "Sleeping bag"


def test_refusals_are_clear_400s(api_as, volunteer, session, person, sleeping_bag, shoes):
    client = api_as(volunteer)
    client.post("/api/v1/checkins/", checkin_payload(session, person, sleeping_bag), format="json")
    second = client.post(
        "/api/v1/checkins/", checkin_payload(session, person, sleeping_bag), format="json"
    )
    assert second.status_code == 400 and second.json()["code"] == "not_entitled"
    for bad in (
        {"items": [{"item": shoes.pk, "size": "XL", "quantity": 1}]},
        {"items": [{"item": shoes.pk, "size": "42", "quantity": 0}]},
        {"items": [{"item": shoes.pk, "size": "42", "quantity": 1.5}]},
        {"items": []},
        {"person": "ZZZ-ZZZ"},
        {"uuid": "not-a-uuid"},
        {"session": 99999},
    ):
        response = client.post(
            "/api/v1/checkins/",
            {**checkin_payload(session, person, shoes, "42"), **bad},
            format="json",
        )
        assert response.status_code in (400, 404), (bad, response.json())
    assert CheckIn.objects.count() == 1


def test_an_unknown_session_or_one_without_offers_is_refused_on_its_field(
    api_as, volunteer, session, person, shoes
):
    client = api_as(volunteer)
    unknown = client.post(
        "/api/v1/checkins/",
        {**checkin_payload(session, person, shoes, "42"), "session": session.pk + 1000},
        format="json",
    )
    assert unknown.status_code == 400 and "session" in str(unknown.json()), unknown.json()
    SessionItem.objects.filter(session=session).delete()  # a session left with no offers
    nothing = client.post(
        "/api/v1/checkins/",
        checkin_payload(session, person, shoes, "42"),
        format="json",
    )
    assert nothing.status_code == 400 and nothing.json()["code"] == "not_offered", nothing.json()


def test_offline_conflicts_reach_coordinators(
    api_as, volunteer, coordinator, session, person, sleeping_bag
):
    client = api_as(volunteer)
    client.post("/api/v1/checkins/", checkin_payload(session, person, sleeping_bag), format="json")
    late = client.post(
        "/api/v1/checkins/",
        checkin_payload(session, person, sleeping_bag, offline=True),
        format="json",
    )
    assert late.status_code == 201 and late.json()["status"] == "conflict"
    conflicts = api_as(coordinator).get("/api/v1/checkins/", {"status": "conflict"}).json()
    assert conflicts["count"] == 1
    uuid_ = late.json()["uuid"]
    assert (
        api_as(volunteer)
        .post(f"/api/v1/checkins/{uuid_}/resolve/", {"apply": True, "reason": "x"}, format="json")
        .status_code
        == 403
    )
    resolved = api_as(coordinator).post(
        f"/api/v1/checkins/{uuid_}/resolve/",
        {"apply": False, "reason": "same person, already served"},
        format="json",
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "dismissed"


@pytest.mark.parametrize("path", ["receive", "transfer", "adjust"])
def test_only_coordinators_move_stock(api_as, volunteer, site, shoes, path):
    response = api_as(volunteer).post(
        f"/api/v1/stock/{path}/",
        {"site": site.pk, "item": shoes.pk, "size": "42", "quantity": 1},
        format="json",
    )
    assert response.status_code == 403


def test_stock_through_the_api(api_as, coordinator, site, shoes):
    from tests.factories import SiteFactory

    van = SiteFactory(name="Van")
    client = api_as(coordinator)
    assert (
        client.post(
            "/api/v1/stock/receive/",
            {"site": site.pk, "item": shoes.pk, "size": "42", "quantity": 5},
            format="json",
        ).status_code
        == 201
    )
    moved = client.post(
        "/api/v1/stock/transfer/",
        {"site": site.pk, "target": van.pk, "item": shoes.pk, "size": "42", "quantity": 9},
        format="json",
    )
    assert moved.status_code == 400 and moved.json()["code"] == "out_of_stock"
    no_reason = client.post(
        "/api/v1/stock/adjust/",
        {"site": site.pk, "item": shoes.pk, "size": "42", "quantity": 1, "direction": "out"},
        format="json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    for bad in (
        {"quantity": 0},
        {"quantity": -3},
        {"quantity": "lots"},
        {"size": "XL"},
        {"quantity": 10**7},
    ):
        payload = {"site": site.pk, "item": shoes.pk, "size": "42", "quantity": 1, **bad}
        assert client.post("/api/v1/stock/receive/", payload, format="json").status_code == 400, bad
    listing = client.get("/api/v1/stock/", {"site": site.pk}).json()
    assert listing["results"][0]["quantity"] == 5


def test_plan_open_tickets_and_demand(api_as, coordinator, volunteer, site, shoes, sleeping_bag):
    from services.distributions.actions.stock import stock_receive

    stock_receive(actor=coordinator, site=site, item=shoes, size="42", quantity=1)
    client = api_as(coordinator)
    planned = client.post(
        "/api/v1/distributions/",
        {
            "site": site.pk,
            "date": "2026-11-28",
            "starts_at": "10:00",
            "ends_at": "12:00",
            "choose_limit": 2,
            "offers": [{"item": shoes.pk, "sizes": ["42", "43"]}, {"item": sleeping_bag.pk}],
        },
        format="json",
    )
    assert planned.status_code == 201, planned.json()
    session_id = planned.json()["id"]
    assert api_as(volunteer).post(f"/api/v1/distributions/{session_id}/open/").status_code == 403
    assert client.post(f"/api/v1/distributions/{session_id}/open/").json()["status"] == "open"
    table = api_as(volunteer)
    for _ in range(3):
        assert (
            table.post(
                "/api/v1/tickets/",
                {"session": session_id, "item": shoes.pk, "size": "42"},
                format="json",
            ).status_code
            == 201
        )
    demand = table.get(f"/api/v1/distributions/{session_id}/demand/").json()
    assert demand == [{"item": "Shoes", "size": "42", "waiting": 3, "on_hand": 1}]
    called = table.post(f"/api/v1/distributions/{session_id}/call-next/").json()
    assert called["number"] == 1 and called["status"] == "called"
    bad = client.post(
        "/api/v1/distributions/",
        {
            "site": site.pk,
            "date": "2026-11-28",
            "starts_at": "12:00",
            "ends_at": "10:00",
            "offers": [{"item": shoes.pk, "sizes": ["XL"]}],
        },
        format="json",
    )
    assert bad.status_code == 400


TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def give_history(person, site, items, weeks=20):
    """Two handouts a week for `weeks` weeks, in closed sessions: a regular's record."""
    now = timezone.now()
    for week in range(1, weeks + 1):
        given_at = now - timedelta(days=7 * week - 6)  # the first weeks inside 30 days
        past = DistributionSession.objects.create(
            site=site,
            date=given_at.date(),
            starts_at=time(10),
            ends_at=time(13),
            status=DistributionSession.Status.CLOSED,
        )
        checkin = CheckIn.objects.create(client_uuid=uuid.uuid4(), session=past, person=person)
        Handout.objects.bulk_create(
            Handout(
                checkin=checkin, person=person, item=item, size=size, quantity=1, given_at=given_at
            )
            for item, size in items
        )


def test_a_check_in_takes_the_same_few_queries_whatever_the_persons_history(
    volunteer, session, site, sleeping_bag, shoes, jumper
):
    """
    The token and its user, the user's roles, the person marked seen (the lock), the
    session's offers with the person's history and the UUID, the check-in, the stock,
    the lots it is drawn from and what they have left (first expiry first), its ledger
    lines, its handouts: 10, on PostgreSQL and SQLite alike, no cache.
    """
    token = Token.objects.create(user=volunteer)
    client = APIClient(headers={"authorization": f"Token {token.key}"})
    newcomer, regular = PersonFactory(home_site=site), PersonFactory(home_site=site)
    give_history(regular, site, [(jumper, "M"), (shoes, "41")])
    assert Handout.objects.filter(person=regular).count() == 40
    lines = [{"item": sleeping_bag.pk}, {"item": jumper.pk, "size": "M"}]

    def check_in(person) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/checkins/",
                {**checkin_payload(session, person, jumper, "L"), "items": lines},
                format="json",
            )
        assert response.status_code == 201, response.json()
        return [q["sql"] for q in captured if not q["sql"].startswith(TRANSACTION)]

    first, second = check_in(newcomer), check_in(regular)
    assert len(first) == len(second) <= 10, second


def test_the_catalogue_api_goes_through_the_same_rules_and_audit(api_as, coordinator, volunteer):
    from services.audit.models import AuditEntry

    payload = {"name": "Tent", "category": "shelter", "sizes": [], "min_interval_days": 60}
    assert api_as(volunteer).post("/api/v1/items/", payload, format="json").status_code == 403
    created = api_as(coordinator).post("/api/v1/items/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert AuditEntry.objects.filter(action="itemtype.create").exists()
    duplicate = api_as(coordinator).post(
        "/api/v1/items/", {**payload, "name": "TENT"}, format="json"
    )
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate"
