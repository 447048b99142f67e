"""
A volunteer of site A sees nothing of site B: every distributions list, on the screens
and in the API, is of the sites they work at; coordinators see every site. A check-in
at a distribution of a site that is not the volunteer's today is refused, saying so.
"""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.roles import Role
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.actions.tickets import ticket_issue
from services.distributions.models import CheckIn, DistributionSession, Handout
from tests.factories import PersonFactory, SiteFactory


@pytest.fixture
def elsewhere(db):
    return SiteFactory(name="Dunkirk – Grande-Synthe")


def a_distribution(coordinator, site, *items):
    for item in items:
        stock_receive(actor=coordinator, site=site, item=item, size="", quantity=7)
    planned = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0),
        ends_at=datetime.time(23, 59),
        offers=[Offer(item, []) for item in items],
    )
    return session_set_status(
        actor=coordinator, session=planned, status=DistributionSession.Status.OPEN
    )


def served(coordinator, session, item):
    """A check-in, then the same again from an offline phone: a conflict."""
    person = PersonFactory(home_site=session.site)
    done = [
        checkin_record(
            actor=coordinator,
            session_id=session.pk,
            person_code=person.code,
            lines=[Line(item.pk, "", 1)],
            client_uuid=uuid.uuid4(),
            offline=offline,
        )
        for offline in (False, True)
    ]
    assert [c.status for c in done] == [CheckIn.Status.RECORDED, CheckIn.Status.CONFLICT]
    ticket_issue(session=session, item=item)
    return person, done


@pytest.fixture
def two_sites(coordinator, site, elsewhere, sleeping_bag):
    here = a_distribution(coordinator, site, sleeping_bag)
    there = a_distribution(coordinator, elsewhere, sleeping_bag)
    return {
        "here": (here, *served(coordinator, here, sleeping_bag)),
        "there": (there, *served(coordinator, there, sleeping_bag)),
    }


API_LISTS = {
    "/api/v1/stock/": lambda s, checkins: {"site": s.site_id},
    "/api/v1/distributions/": lambda s, checkins: {"id": s.pk},
    "/api/v1/tickets/": lambda s, checkins: {"session": s.pk},
    "/api/v1/checkins/": lambda s, checkins: {"uuid": str(checkins[0].client_uuid)},
    "/api/v1/checkins/?status=conflict": lambda s, checkins: {"uuid": str(checkins[1].client_uuid)},
}


def listed(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def shows(rows, marks):
    return any(all(row.get(key) == value for key, value in marks.items()) for row in rows)


@pytest.mark.parametrize("path", API_LISTS)
def test_a_volunteer_lists_their_sites_only_through_the_api(api_as, volunteer, two_sites, path):
    rows = listed(api_as(volunteer).get(path))
    here, there = two_sites["here"], two_sites["there"]
    assert shows(rows, API_LISTS[path](here[0], here[2]))
    assert not shows(rows, API_LISTS[path](there[0], there[2])), rows


@pytest.mark.parametrize("path", API_LISTS)
def test_a_coordinator_lists_every_site(api_as, coordinator, two_sites, path):
    rows = listed(api_as(coordinator).get(path))
    for session, _person, checkins in two_sites.values():
        assert shows(rows, API_LISTS[path](session, checkins)), rows


def test_another_sites_rows_are_not_found_through_the_api(api_as, volunteer, two_sites):
    client = api_as(volunteer)
    there, person, checkins = two_sites["there"]
    for path in (
        f"/api/v1/distributions/{there.pk}/",
        f"/api/v1/distributions/{there.pk}/demand/",
        f"/api/v1/distributions/{there.pk}/entitlements/?person={person.code}",
        f"/api/v1/checkins/{checkins[0].client_uuid}/",
        f"/api/v1/checkins/{checkins[1].client_uuid}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/api/v1/distributions/{there.pk}/call-next/").status_code == 404
    for path, site_filter in (
        ("/api/v1/stock/", {"site": there.site_id}),
        ("/api/v1/distributions/", {"site": there.site_id}),
        ("/api/v1/tickets/", {"session": there.pk}),
        ("/api/v1/checkins/", {"session": there.pk}),
        ("/api/v1/checkins/", {"site": there.site_id}),
    ):
        assert client.get(path, site_filter).status_code == 400, (path, site_filter)
    ticket = client.post("/api/v1/tickets/", {"session": there.pk}, format="json")
    assert ticket.status_code == 403
    assert there.tickets.count() == 1


def test_a_volunteer_filters_their_own_sites_through_the_api(api_as, volunteer, two_sites):
    here = two_sites["here"][0]
    rows = listed(api_as(volunteer).get("/api/v1/checkins/", {"site": here.site_id}))
    assert {row["session"] for row in rows} == {here.pk}


def test_the_table_screens_of_another_site_are_not_found(client, volunteer, two_sites):
    client.force_login(volunteer)
    here, there = two_sites["here"][0], two_sites["there"][0]
    for name in ("checkin", "tickets", "register"):
        assert client.get(reverse(f"distributions_table:{name}", args=[here.pk])).status_code == 200
        assert (
            client.get(reverse(f"distributions_table:{name}", args=[there.pk])).status_code == 404
        )
    home = client.get(reverse("distributions_table:home")).content.decode()
    assert reverse("distributions_table:checkin", args=[here.pk]) in home
    assert reverse("distributions_table:checkin", args=[there.pk]) not in home
    issued = client.post(
        reverse("distributions_table:tickets", args=[there.pk]), {"do": "issue", "once": "t"}
    )
    assert issued.status_code == 404 and there.tickets.count() == 1


def test_the_coordinators_conflicts_screen_shows_every_site_or_one(client, coordinator, two_sites):
    client.force_login(coordinator)
    url = reverse("distributions_coordinator:conflicts")
    every = client.get(url).content.decode()
    here, there = two_sites["here"], two_sites["there"]
    assert here[1].code in every and there[1].code in every
    one = client.get(url, {"site": there[0].site_id}).content.decode()
    assert there[1].code in one and here[1].code not in one


def test_a_check_in_at_another_site_is_refused_through_the_api(api_as, volunteer, two_sites):
    there = two_sites["there"][0]
    person = PersonFactory(home_site=there.site)
    refused = api_as(volunteer).post(
        "/api/v1/checkins/",
        {
            "uuid": str(uuid.uuid4()),
            "session": there.pk,
            "person": person.code,
            "items": [{"item": there.offers.get().item_id}],
        },
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "other_site"
    assert refused.json()["detail"] == (
        "This distribution is at Dunkirk – Grande-Synthe, not at your site today."
    )
    assert not Handout.objects.filter(person=person).exists()


def test_a_check_in_at_one_of_my_sites_but_not_todays_is_refused_on_the_screen(
    client, volunteer, elsewhere, two_sites
):
    volunteer.sites.add(elsewhere)  # may work there, but works at the hospital site today
    client.force_login(volunteer)
    there = two_sites["there"][0]
    person = PersonFactory(home_site=elsewhere)
    page = reverse("distributions_table:checkin", args=[there.pk])
    response = client.post(
        page,
        {
            "uuid": str(uuid.uuid4()),
            "person": person.code,
            "line": [f"{there.offers.get().item_id}:"],
        },
    )
    assert response.status_code == 200
    assert "not at your site today." in response.content.decode()
    assert not Handout.objects.filter(person=person).exists()


def test_a_volunteer_without_a_site_today_checks_in_at_their_sites_only(
    make_user, site, two_sites, sleeping_bag
):
    roaming = make_user(Role.VOLUNTEER, username="roaming")
    roaming.site = None
    roaming.save()
    here, there = two_sites["here"][0], two_sites["there"][0]

    def check_in(session):
        return checkin_record(
            actor=roaming,
            session_id=session.pk,
            person_code=PersonFactory(home_site=session.site).code,
            lines=[Line(sleeping_bag.pk, "", 1)],
            client_uuid=uuid.uuid4(),
        )

    assert check_in(here).status == CheckIn.Status.RECORDED
    with pytest.raises(Exception) as refused:  # noqa: PT011 - the DomainError's code says which
        check_in(there)
    assert refused.value.code == "other_site"
