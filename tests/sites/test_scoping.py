"""
Site scoping of the lists of people, sites, messaging, the audit log and the home page.

Two camps, A and B, with a person each, their messages, replies and announcements. A
volunteer of A sweeps every list screen and list endpoint and finds nothing of B;
a coordinator finds both. Each of B's marks (name, code, phone) is looked for in
every answer, so a list that forgot who asks fails here.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
import rules
from django.urls import reverse

from services.accounts.roles import Role
from services.accounts.rules import has_a_role, is_coordinator
from services.audit.selectors import audit_entries
from services.messaging import selectors as messaging
from services.messaging.models import Broadcast, InboundMessage, Message
from services.messaging.sms_templates import Kind
from services.people.phones import phone_parse
from services.people.selectors import person_list, person_search
from services.sites.selectors import site_list_for
from tests.factories import PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


@dataclass
class Camp:
    site: Any
    person: Any

    @property
    def marks(self) -> list[str]:
        """What would show that this camp's person is on a page."""
        return [self.person.name, self.person.code, str(self.person.phone)[-8:]]


def _camp(name: str, person_name: str, phone: str) -> Camp:
    site = SiteFactory(name=name)
    person = PersonFactory(
        home_site=site, name=person_name, phone=phone_parse(phone), sms_consent=True
    )
    Message.objects.create(
        idempotency_key=f"camp:{person.code}",
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        person=person,
        language="ar",
        send_at="2026-11-25T10:00:00Z",
    )
    InboundMessage.objects.create(
        provider_message_id=f"SM-{person.code}", from_phone=person.phone, body=f"hello {name}"
    ).people.add(person)
    Broadcast.objects.create(site=site, kind=Kind.DISTRIBUTION_ANNOUNCEMENT, context={})
    return Camp(site, person)


@pytest.fixture
def camp_a() -> Camp:
    return _camp("Camp Alder", "Almaz", "06 11 11 11 11")


@pytest.fixture
def camp_b() -> Camp:
    return _camp("Camp Birch", "Berhane", "06 22 22 22 22")


@pytest.fixture
def volunteer_of_a(make_user, camp_a):
    user = make_user(Role.VOLUNTEER, username="volunteer-of-a")
    user.site = camp_a.site
    user.save(update_fields=["site"])
    user.sites.set([camp_a.site])
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def coordinator_of_all(make_user, camp_a, camp_b):
    user = make_user(Role.COORDINATOR, username="coordinator-of-all")
    user.site = camp_a.site
    user.save(update_fields=["site"])
    return type(user).objects.get(pk=user.pk)


def _shows(text: str, camp: Camp) -> list[str]:
    return [mark for mark in camp.marks if mark in text]


def _listed(page: str) -> str:
    """The list on a page, without the search box that repeats what was typed."""
    found = re.search(r'<ul class="people">.*?</ul>', page, re.DOTALL)
    return found.group(0) if found else ""


PEOPLE_LISTS = [
    {},
    {"q": "Berhane"},
    {"q": "Almaz"},
    {"q": "06 22 22 22 22"},
    {"q": "+33622222222"},
    {"q": "ber"},
    {"language": "ar"},
    {"sms_consent": "true"},
]


@pytest.mark.parametrize("query", PEOPLE_LISTS)
def test_a_volunteer_of_a_finds_nobody_of_b_on_the_people_screen(
    client, volunteer_of_a, camp_a, camp_b, query
):
    client.force_login(volunteer_of_a)
    page = client.get(reverse("people:list"), query)
    assert page.status_code == 200
    assert _shows(_listed(page.text), camp_b) == []
    if query.get("q", "Almaz") == "Almaz":
        assert _shows(_listed(page.text), camp_a) == camp_a.marks[:2]


@pytest.mark.parametrize("query", PEOPLE_LISTS)
def test_a_volunteer_of_a_finds_nobody_of_b_in_the_people_api(
    api_as, volunteer_of_a, camp_a, camp_b, query
):
    body = api_as(volunteer_of_a).get("/api/v1/people/", query).json()
    codes = {row["code"] for row in body["results"]}
    assert camp_b.person.code not in codes
    if query.get("q", "Almaz") == "Almaz":
        assert codes == {camp_a.person.code}


def test_the_people_filter_offers_only_the_volunteers_sites(client, volunteer_of_a, camp_a, camp_b):
    client.force_login(volunteer_of_a)
    page = client.get(reverse("people:list"))
    assert camp_a.site.name in page.text and camp_b.site.name not in page.text
    by_b = client.get(reverse("people:list"), {"site": camp_b.site.pk})
    assert by_b.status_code == 200 and _shows(by_b.text, camp_b) == []
    assert "Choose one of the listed sites." in by_b.text


def test_asking_the_api_for_another_sites_people_is_a_400(api_as, volunteer_of_a, camp_b):
    response = api_as(volunteer_of_a).get("/api/v1/people/", {"site": camp_b.site.pk})
    assert response.status_code == 400
    assert response.json()["fields"]["site"] == ["Choose one of the listed sites."]


def test_coordinators_find_people_of_every_site(client, api_as, coordinator_of_all, camp_a, camp_b):
    client.force_login(coordinator_of_all)
    page = client.get(reverse("people:list")).text
    assert _shows(page, camp_a)[:2] == camp_a.marks[:2]
    assert _shows(page, camp_b)[:2] == camp_b.marks[:2]
    assert client.get(reverse("people:list"), {"q": "Berhane"}).text.count("Berhane") >= 1
    body = api_as(coordinator_of_all).get("/api/v1/people/", {"site": camp_b.site.pk}).json()
    assert [row["code"] for row in body["results"]] == [camp_b.person.code]
    assert person_list(user=coordinator_of_all).count() == 2


def test_the_selectors_scope_search_by_name_phone_and_site(volunteer_of_a, camp_a, camp_b):
    assert list(person_list(user=volunteer_of_a)) == [camp_a.person]
    assert not person_search(user=volunteer_of_a, query="Berhane").exists()
    assert not person_search(user=volunteer_of_a, query="0622222222").exists()
    assert not person_search(user=volunteer_of_a, site_id=camp_b.site.pk).exists()


def test_the_home_page_counts_only_the_people_the_volunteer_may_list(
    client, volunteer_of_a, camp_a, camp_b
):
    PersonFactory.create_batch(2, home_site=camp_b.site)
    client.force_login(volunteer_of_a)
    assert "1 person registered here" in client.get(reverse("home")).text
    # Taken off camp A since choosing it this morning: its people are no longer theirs.
    volunteer_of_a.sites.set([SiteFactory()])
    page = client.get(reverse("home")).text
    assert "0 people registered here" in page
    assert camp_b.site.name not in page


def test_the_home_page_counts_for_a_coordinator_at_their_site(
    client, coordinator_of_all, camp_a, camp_b
):
    client.force_login(coordinator_of_all)
    page = client.get(reverse("home")).text
    assert "1 person registered here" in page
    assert camp_a.site.name in page and camp_b.site.name in page  # the site picker


def test_the_sites_list_holds_the_volunteers_sites(api_as, volunteer_of_a, camp_a, camp_b):
    client = api_as(volunteer_of_a)
    names = [row["name"] for row in client.get("/api/v1/sites/").json()["results"]]
    assert names == [camp_a.site.name]
    assert client.get(f"/api/v1/sites/{camp_b.site.pk}/").status_code == 404
    assert client.get(f"/api/v1/sites/{camp_a.site.pk}/").status_code == 200
    assert list(site_list_for(user=volunteer_of_a)) == [camp_a.site]


def test_coordinators_list_every_site_closed_ones_too(client, api_as, coordinator_of_all, camp_b):
    closed = SiteFactory(name="Camp Closed", is_active=False)
    body = api_as(coordinator_of_all).get("/api/v1/sites/").json()
    names = {row["name"] for row in body["results"]}
    assert {camp_b.site.name, closed.name} <= names
    client.force_login(coordinator_of_all)
    page = client.get(reverse("sites:list")).text
    assert camp_b.site.name in page and closed.name in page


@pytest.mark.parametrize(
    "url",
    [
        "messaging:list",
        "messaging:replies",
        "sites:list",
        "audit:log",
    ],
)
def test_the_coordinators_lists_show_a_volunteer_nothing(client, volunteer_of_a, camp_b, url):
    client.force_login(volunteer_of_a)
    response = client.get(reverse(url))
    assert response.status_code == 403 and _shows(response.text, camp_b) == []


@pytest.mark.parametrize(
    "url", ["/api/v1/messages/", "/api/v1/replies/", "/api/v1/broadcasts/", "/api/v1/audit-log/"]
)
def test_the_coordinators_endpoints_show_a_volunteer_nothing(api_as, volunteer_of_a, camp_b, url):
    response = api_as(volunteer_of_a).get(url)
    assert response.status_code == 403 and _shows(response.text, camp_b) == []


def test_the_messaging_and_audit_selectors_give_a_volunteer_nothing(volunteer_of_a, camp_b):
    assert not messaging.message_log(user=volunteer_of_a).exists()
    assert not messaging.inbound_log(user=volunteer_of_a).exists()
    assert not messaging.broadcast_list(user=volunteer_of_a).exists()
    assert not audit_entries(user=volunteer_of_a).exists()


def test_coordinators_read_the_sms_log_and_replies_of_every_site(
    client, api_as, coordinator_of_all, camp_a, camp_b
):
    client.force_login(coordinator_of_all)
    for url in ("messaging:list", "messaging:replies"):
        page = client.get(reverse(url)).text
        assert camp_a.person.code in page and camp_b.person.code in page, url
    api = api_as(coordinator_of_all)
    assert api.get("/api/v1/messages/").json()["count"] == 2
    assert api.get("/api/v1/replies/").json()["count"] == 2
    assert api.get("/api/v1/broadcasts/").json()["count"] == 2


@pytest.fixture
def volunteers_read_messaging():
    """As if the rules let every role read the SMS log, replies and announcements."""
    names = [
        "messaging.view_message",
        "messaging.view_inboundmessage",
        "messaging.view_broadcast",
    ]
    for name in names:
        rules.set_perm(name, has_a_role)
    yield
    for name in names:
        rules.set_perm(name, is_coordinator)


def test_were_volunteers_let_read_the_sms_log_they_would_see_their_sites_only(
    client, api_as, volunteer_of_a, camp_a, camp_b, volunteers_read_messaging
):
    """The selectors scope by site themselves: a rule that lets more roles in widens nothing."""
    PersonFactory(home_site=camp_b.site)  # shares a reply with camp A's person below
    shared = InboundMessage.objects.create(provider_message_id="SM-shared", body="both")
    shared.people.add(camp_a.person, camp_b.person)
    InboundMessage.objects.create(provider_message_id="SM-unknown", body="nobody's")
    Message.objects.create(
        idempotency_key="to-no-person",
        kind=Kind.SHIFT_REMINDER,
        language="en",
        send_at="2026-11-25T10:00:00Z",
    )
    assert [m.person for m in messaging.message_log(user=volunteer_of_a)] == [camp_a.person]
    replies = list(messaging.inbound_log(user=volunteer_of_a))
    assert sorted(r.provider_message_id for r in replies) == sorted(
        [f"SM-{camp_a.person.code}", "SM-shared"]
    )
    assert [b.site for b in messaging.broadcast_list(user=volunteer_of_a)] == [camp_a.site]
    client.force_login(volunteer_of_a)
    page = client.get(reverse("messaging:list")).text
    assert camp_a.person.code in page and camp_b.person.code not in page
    api = api_as(volunteer_of_a)
    assert api.get("/api/v1/messages/").json()["count"] == 1
    assert api.get("/api/v1/replies/").json()["count"] == 2
    assert api.get("/api/v1/broadcasts/").json()["count"] == 1
