"""
The distribution table without JavaScript: the check-in and tickets pages as plain forms,
what they weigh on a phone, and who may open them.
"""

import gzip
import re
import uuid
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from services.accounts.roles import Role
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.tickets import ticket_issue
from services.distributions.models import (
    CheckIn,
    DistributionSession,
    Handout,
    StockBalance,
    Ticket,
)
from services.people.models import Person
from tests.factories import PersonFactory, SiteFactory

HTML_BUDGET = 14 * 1024
PAGE_BUDGET = 60 * 1024


def checkin_url(session):
    return reverse("distributions_table:checkin", args=[session.pk])


def tickets_url(session):
    return reverse("distributions_table:tickets", args=[session.pk])


def stock(site, item, size=""):
    return StockBalance.objects.get(site=site, item=item, size=size).quantity


@pytest.fixture
def table(client, volunteer):
    client.force_login(volunteer)
    return client


def record_form(session, person, *lines, **extra):
    return {"uuid": str(uuid.uuid4()), "person": person.code, "line": list(lines), **extra}


# --- Who may open the pages ---


@pytest.mark.parametrize("name", ["home", "checkin", "tickets", "register"])
def test_signed_out_visitors_are_sent_to_sign_in(client, session, name):
    args = [] if name == "home" else [session.pk]
    response = client.get(reverse(f"distributions_table:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["home", "checkin", "tickets", "register"])
def test_a_role_without_the_table_gets_403(client, make_user, session, name):
    client.force_login(make_user(Role.MEDICAL))
    args = [] if name == "home" else [session.pk]
    assert client.get(reverse(f"distributions_table:{name}", args=args)).status_code == 403
    if name != "home":
        assert client.post(reverse(f"distributions_table:{name}", args=args)).status_code == 403
    assert not CheckIn.objects.exists() and not Ticket.objects.exists()


def test_an_unknown_session_is_a_404(table):
    assert table.get(reverse("distributions_table:checkin", args=[999999])).status_code == 404


# --- Today's distributions ---


def test_home_lists_today_at_my_site_with_links(table, session, coordinator, sleeping_bag):
    elsewhere = SiteFactory(name="Dunkirk – Grande-Synthe")
    other = session_plan(
        actor=coordinator,
        site=elsewhere,
        day=session.date,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        offers=[Offer(sleeping_bag, [])],
    )
    page = table.get(reverse("distributions_table:home")).content.decode()
    assert f'href="{checkin_url(session)}"' in page
    assert f'href="{tickets_url(session)}"' in page
    assert checkin_url(other) not in page


def test_home_without_a_site_says_to_choose_one(client, volunteer):
    volunteer.site = None
    volunteer.save()
    client.force_login(volunteer)
    assert "Choose where you work today." in client.get("/distributions/").content.decode()


# --- Finding the person ---


def test_find_by_code_typed_in_lowercase_without_the_hyphen(table, session, person, shoes):
    typed = person.code.replace("-", "").lower()
    response = table.get(checkin_url(session), {"code": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert person.code in page and person.name in page
    for size in ("41", "42", "43"):
        assert f'value="{shoes.pk}:{size}"' in page
    assert 'name="uuid"' in page and f'name="person" value="{person.code}"' in page


def test_find_by_phone_in_another_format(table, session, site):
    person = PersonFactory(home_site=site, phone="+33612345678")
    page = table.get(checkin_url(session), {"code": "06 12 34 56 78"}).content.decode()
    assert f'name="person" value="{person.code}"' in page


def test_a_shared_phone_lists_the_people_to_choose_from(table, session, site):
    first = PersonFactory(home_site=site, phone="+33612345678")
    second = PersonFactory(home_site=site, phone="+33612345678")
    page = table.get(checkin_url(session), {"code": "+33 6 12 34 56 78"}).content.decode()
    assert "Which person?" in page
    assert f'data-code="{first.code}"' in page and f'data-code="{second.code}"' in page
    assert 'name="person"' not in page


def test_a_name_that_reads_like_a_code_is_still_found(table, session, site):
    samuel = PersonFactory(home_site=site, name="Samuel")  # S-A-M-U-E-L: all card letters
    page = table.get(checkin_url(session), {"code": "samuel"}).content.decode()
    assert f'data-code="{samuel.code}"' in page


def test_an_unknown_code_says_so_and_offers_to_register(table, session):
    page = table.get(checkin_url(session), {"code": "zzz-zzz"}).content.decode()
    assert "No person has the code zzz-zzz." in page
    assert reverse("distributions_table:register", args=[session.pk]) in page


def test_the_entitlements_show_what_is_not_allowed_now(table, volunteer, session, person, shoes):
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(shoes.pk, "42", 1)],
        client_uuid=uuid.uuid4(),
    )
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    assert "Next from" in page
    box = re.search(rf'<input type="checkbox" name="line" value="{shoes.pk}:41"[^>]*>', page)
    assert box and "disabled" in box.group(0)


def test_the_partial_page_is_only_the_person(table, session, person):
    response = table.get(checkin_url(session), {"code": person.code, "partial": "1"})
    body = response.content.decode()
    assert person.code in body and "<html" not in body and 'id="find"' not in body


# --- Recording ---


def test_recording_items_takes_the_stock_and_returns_to_an_empty_box(
    table, session, person, shoes, sleeping_bag, site
):
    form = record_form(session, person, f"{shoes.pk}:42", f"{sleeping_bag.pk}:")
    response = table.post(checkin_url(session), form, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(checkin_url(session), 302)]
    assert f"Recorded: {person.code} · Shoes 42, Sleeping bag" in page
    assert 'name="person"' not in page and 'value=""' in page
    checkin = CheckIn.objects.get()
    assert str(checkin.client_uuid) == form["uuid"] and checkin.person == person
    assert stock(site, shoes, "42") == 4 and stock(site, sleeping_bag) == 9


def test_a_quantity_can_be_chosen_up_to_the_limit(table, session, person, jumper, site):
    value = f"{jumper.pk}:M"
    table.post(checkin_url(session), record_form(session, person, value, **{f"qty-{value}": "2"}))
    assert Handout.objects.get().quantity == 2 and stock(site, jumper, "M") == 18


def test_a_refusal_shows_the_translated_message_and_records_nothing(
    table, volunteer, session, person, sleeping_bag, site
):
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    table.cookies["django_language"] = "fr"
    response = table.post(checkin_url(session), record_form(session, person, f"{sleeping_bag.pk}:"))
    page = response.content.decode()
    assert response.status_code == 200 and 'lang="fr"' in page
    given = timezone.localtime(Handout.objects.get().given_at)
    with translation.override("fr"):
        expected = gettext("%(item)s: already given on %(date)s; next from %(next)s.") % {
            "item": sleeping_bag,
            "date": given.strftime("%d/%m"),
            "next": timezone.localtime(given + timedelta(days=30)).strftime("%d/%m"),
        }
    assert expected.startswith("Sac de couchage")  # the item's French name
    assert "already given" not in expected  # and the sentence is French too
    assert escape(expected) in page
    assert CheckIn.objects.count() == 1 and stock(site, sleeping_bag) == 9
    assert f'name="person" value="{person.code}"' in page  # the person stays on screen


def test_nothing_tapped_is_refused(table, session, person):
    page = table.post(checkin_url(session), record_form(session, person)).content.decode()
    assert "Tap at least one item." in page and not CheckIn.objects.exists()


def test_an_item_not_offered_is_refused(table, session, person, shoes):
    form = record_form(session, person, f"{shoes.pk}:36")
    page = table.post(checkin_url(session), form).content.decode()
    assert "This item is not handed out at this distribution." in page
    assert not CheckIn.objects.exists()


def test_the_same_form_sent_twice_records_once(table, session, person, shoes, site):
    form = record_form(session, person, f"{shoes.pk}:42")
    first = table.post(checkin_url(session), form)
    second = table.post(checkin_url(session), form)
    assert first.status_code == second.status_code == 302
    assert CheckIn.objects.count() == 1 and Handout.objects.count() == 1
    assert stock(site, shoes, "42") == 4


def test_a_closed_session_refuses(table, coordinator, session, person, sleeping_bag, site):
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.CLOSED)
    assert "This distribution is not open." in table.get(checkin_url(session)).content.decode()
    page = table.post(
        checkin_url(session), record_form(session, person, f"{sleeping_bag.pk}:")
    ).content.decode()
    assert page.count("This distribution is not open.") == 2
    assert not CheckIn.objects.exists() and stock(site, sleeping_bag) == 10


def test_registering_a_person_without_a_card_then_checking_them_in(table, session, site):
    url = reverse("distributions_table:register", args=[session.pk])
    assert table.get(url).status_code == 200
    refused = table.post(url, {"name": "Tesfay"})
    assert "Choose the language the person reads." in refused.content.decode()
    response = table.post(url, {"name": "Tesfay", "language": "ti"})
    person = Person.objects.get()
    assert (person.name, person.language, person.home_site) == ("Tesfay", "ti", site)
    assert response["Location"] == f"{checkin_url(session)}?code={person.code}"
    page = table.get(response["Location"]).content.decode()
    assert f"Card code: {person.code}" in page and f'name="person" value="{person.code}"' in page


# --- The offline page and its service worker ---


def test_only_the_empty_page_may_be_kept_on_the_phone(table, session, person, sleeping_bag):
    assert table.get(checkin_url(session))["X-Fieldapp-Shell"] == "1"
    assert "X-Fieldapp-Shell" not in table.get(checkin_url(session), {"code": person.code})
    table.post(checkin_url(session), record_form(session, person, f"{sleeping_bag.pk}:"))
    assert "X-Fieldapp-Shell" not in table.get(checkin_url(session))  # a notice is on it


def test_the_page_carries_every_offer_for_offline_use(table, session, shoes, jumper):
    page = table.get(checkin_url(session)).content.decode()
    offline = page[page.index('id="offline-form"') :]
    for value in (f"{shoes.pk}:41", f"{shoes.pk}:43", f"{jumper.pk}:M", f"{jumper.pk}:L"):
        assert f'value="{value}"' in offline
    assert f'name="qty-{jumper.pk}:M"' in offline
    assert 'data-t-waiting="Waiting to send: {count}"' in page


def test_the_service_worker_is_served_for_the_distributions_scope(client):
    response = client.get(reverse("distributions_table:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/distributions/"
    assert b"X-Fieldapp-Shell" in response.content


# --- Tickets ---


def test_issuing_tickets_and_calling_the_next_one(table, session, shoes):
    url = tickets_url(session)
    plain = table.post(url, {"do": "issue", "once": "a"})
    assert plain["Location"] == f"{url}?issued=1"
    assert 'class="number">1<' in table.get(plain["Location"]).content.decode()
    for_shoes = table.post(url, {"do": "issue", "want": f"{shoes.pk}:42", "once": "b"})
    assert for_shoes["Location"] == f"{url}?issued=2"
    assert Ticket.objects.get(number=2).item == shoes and Ticket.objects.get(number=2).size == "42"
    called = table.post(url, {"do": "call", "once": "c"})
    assert called["Location"] == f"{url}?called=1"
    assert Ticket.objects.get(number=1).status == Ticket.Status.CALLED
    page = table.get(called["Location"]).content.decode()
    assert "Calling number" in page and "Waiting: <strong>1</strong>" in page


def test_a_double_tap_issues_one_ticket(table, session):
    form = {"do": "issue", "once": "same"}
    first = table.post(tickets_url(session), form)
    second = table.post(tickets_url(session), form)
    assert first["Location"] == second["Location"] and Ticket.objects.count() == 1


def test_calling_with_nobody_waiting_says_so(table, session):
    response = table.post(tickets_url(session), {"do": "call", "once": "x"}, follow=True)
    assert "Nobody is waiting." in response.content.decode()


def test_a_closed_session_issues_no_ticket(table, coordinator, session):
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.CLOSED)
    response = table.post(tickets_url(session), {"do": "issue", "once": "y"}, follow=True)
    assert "This distribution is closed." in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_demand_tally_shows_run_outs(table, session, shoes, jumper):
    for _ in range(6):  # 5 pairs of 42 in stock
        ticket_issue(session=session, item=shoes, size="42")
    ticket_issue(session=session, item=jumper, size="M")
    ticket_issue(session=session)
    for page in (
        table.get(tickets_url(session)).content.decode(),
        table.get(tickets_url(session), {"partial": "live"}).content.decode(),
    ):
        rows = re.findall(r"<tr( class=\"short\")?><td>([^<]+)</td><td>([^<]+)</td>", page)
        assert (' class="short"', "Shoes", "42") in rows
        assert ("", "Jumper", "M") in rows
        assert page.count("Runs out") == 1
        assert "Waiting: <strong>8</strong>" in page


# --- Weight and safety of the check-in page ---


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes or tag == "style":
            self.inline.append(tag)
        if tag == "script":
            if attributes.get("src"):
                self.urls.append(attributes["src"])
            else:
                self.inline.append("script")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"])
        for name in ("src", "href", "action"):
            value = attributes.get(name) or ""
            assert not re.match(r"^(https?:)?//", value), f"{tag} loads from another host: {value}"


def test_the_check_in_page_fits_a_slow_phone(table, volunteer, session, person, sleeping_bag):
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    html = table.get(checkin_url(session), {"code": person.code}).content
    html_gz = len(gzip.compress(html))
    assets = _Assets()
    assets.feed(html.decode())
    assert assets.inline == []  # the CSP allows no inline script or style
    # Under the name its content's hash makes (settings.STORAGES): never stale after a deploy.
    assert any(re.search(r"/checkin\.[0-9a-f]{12}\.js$", url) for url in assets.urls), assets.urls
    assets_gz = 0
    for url in assets.urls:
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as file:
            assets_gz += len(gzip.compress(file.read()))
    print(f"check-in page: HTML {html_gz} B gz, CSS+JS {assets_gz} B gz")
    assert html_gz <= HTML_BUDGET
    assert assets_gz <= PAGE_BUDGET - html_gz
