"""
A whole card code opens its person's record wherever they were registered; a list, a
search by name or phone, and the records named when a phone is in use stay within the
volunteer's sites. Registering at, or moving someone to, a site is for those who work
there. (services/people/selectors.py gives the reasons.)
"""

import pytest
from django.urls import reverse

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.people.actions import person_cards_print, person_register, person_update
from services.people.phones import phone_parse
from services.people.selectors import PersonNotFound, person_get
from tests.factories import PersonFactory, SiteFactory

PHONE = "06 33 33 33 33"


@pytest.fixture
def other_camp(db):
    return SiteFactory(name="Camp Elsewhere")


@pytest.fixture
def stranger(other_camp):
    """Someone registered at a camp the volunteer does not work at, holding their card."""
    return PersonFactory(home_site=other_camp, name="Tesfay", phone=phone_parse(PHONE))


def test_typing_a_whole_card_code_of_another_camp_opens_the_record(client, volunteer, stranger):
    client.force_login(volunteer)
    typed = stranger.code.lower().replace("-", " ")
    response = client.get(reverse("people:list"), {"q": typed})
    assert response.status_code == 302 and response["Location"] == stranger.get_absolute_url()
    page = client.get(stranger.get_absolute_url())
    assert page.status_code == 200 and "Tesfay" in page.text


def test_the_api_opens_a_card_code_of_another_camp_but_does_not_list_it(
    api_as, volunteer, stranger
):
    client = api_as(volunteer)
    opened = client.get(f"/api/v1/people/{stranger.code}/")
    assert opened.status_code == 200 and opened.json()["name"] == "Tesfay"
    assert client.get("/api/v1/people/", {"q": stranger.code}).json()["count"] == 0


def test_a_name_a_phone_or_the_start_of_a_code_does_not_reach_another_camp(
    client, api_as, volunteer, stranger
):
    client.force_login(volunteer)
    for query in ("Tesfay", PHONE, "+33633333333", stranger.code[:4]):
        page = client.get(reverse("people:list"), {"q": query})
        assert page.status_code == 200 and stranger.get_absolute_url() not in page.text, query
        assert api_as(volunteer).get("/api/v1/people/", {"q": query}).json()["count"] == 0


def test_a_card_code_needs_the_right_to_see_people(django_user_model, stranger):
    nobody = django_user_model.objects.create_user(username="no-role", password="x-long-pass-9")
    with pytest.raises(PersonNotFound):
        person_get(user=nobody, code=stranger.code)


def test_a_phone_on_another_camps_record_is_refused_without_naming_it(
    client, api_as, volunteer, site, stranger
):
    response = api_as(volunteer).post(
        "/api/v1/people/",
        {"phone": PHONE, "language": "ti", "home_site": site.pk},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "phone_in_use" and response.json()["existing"] == []
    client.force_login(volunteer)
    page = client.post(
        reverse("people:create"), {"phone": PHONE, "language": "ti", "home_site": site.pk}
    ).text
    assert "someone at another site" in page
    assert stranger.code not in page and "Tesfay" not in page
    confirmed = client.post(
        reverse("people:create"),
        {"phone": PHONE, "language": "ti", "home_site": site.pk, "allow_shared_phone": "on"},
    )
    assert confirmed.status_code == 302


def test_a_coordinator_is_shown_the_record_with_the_phone(api_as, coordinator, site, stranger):
    response = api_as(coordinator).post(
        "/api/v1/people/",
        {"phone": PHONE, "language": "ti", "home_site": site.pk},
        format="json",
    )
    assert response.status_code == 409 and response.json()["existing"] == [stranger.code]


def test_a_volunteer_registers_people_at_their_own_sites_only(volunteer, site, other_camp):
    with pytest.raises(DomainError) as refused:
        person_register(actor=volunteer, home_site=other_camp, language="ar")
    assert (refused.value.field, refused.value.code) == ("home_site", "not_your_site")
    assert person_register(actor=volunteer, home_site=site, language="ar").home_site == site


def test_the_register_form_offers_the_volunteers_sites(client, volunteer, site, other_camp):
    client.force_login(volunteer)
    page = client.get(reverse("people:create")).text
    assert site.name in page and other_camp.name not in page
    refused = client.post(
        reverse("people:create"), {"language": "ar", "home_site": other_camp.pk}
    ).text
    assert "Choose one of the listed sites." in refused


def test_a_person_from_another_camp_can_be_corrected_and_moved_here(
    client, volunteer, site, stranger
):
    person_update(actor=volunteer, person=stranger, name="Tesfay M")
    client.force_login(volunteer)
    page = client.get(reverse("people:edit", args=[stranger.code])).text
    assert site.name in page and stranger.home_site.name in page
    response = client.post(
        reverse("people:edit", args=[stranger.code]),
        {"name": "Tesfay M", "phone": PHONE, "language": "ti", "home_site": site.pk},
    )
    assert response.status_code == 302
    stranger.refresh_from_db()
    assert (stranger.name, stranger.home_site) == ("Tesfay M", site)


def test_nobody_is_moved_to_a_site_the_volunteer_does_not_work_at(volunteer, site, other_camp):
    person = person_register(actor=volunteer, home_site=site, language="ar")
    with pytest.raises(DomainError) as refused:
        person_update(actor=volunteer, person=person, home_site=other_camp)
    assert refused.value.code == "not_your_site"
    person.refresh_from_db()
    assert person.home_site == site


def test_cards_reprinted_by_code_reach_another_camp_but_by_site_do_not(volunteer, site, stranger):
    here = PersonFactory(home_site=site)
    content = person_cards_print(
        actor=volunteer,
        site=None,
        registered_since=None,
        codes=[stranger.code],
        per_page=8,
        with_names=False,
        fmt="pdf",
    )
    assert content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="people.cards_print")
    assert (entry.actor, entry.target_id, entry.details) == (
        volunteer,
        str(stranger.pk),
        {"count": 1, "with_names": False},
    )
    person_cards_print(
        actor=volunteer,
        site=None,
        registered_since=None,
        codes=[],
        per_page=8,
        with_names=False,
        fmt="pdf",
    )
    latest = AuditEntry.objects.filter(action="people.cards_print").first()
    assert latest is not None and latest.target_id == str(here.pk)
    assert latest.details["count"] == 1


def test_a_print_that_fails_writes_nothing_to_the_audit_log(volunteer, other_camp):
    with pytest.raises(DomainError):
        person_cards_print(
            actor=volunteer,
            site=None,
            registered_since=None,
            codes=[],
            per_page=8,
            with_names=False,
            fmt="pdf",
        )
    assert not AuditEntry.objects.filter(action="people.cards_print").exists()
