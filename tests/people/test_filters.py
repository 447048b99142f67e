"""The people list's one FilterSet: the same answers on the screen and in the API, and
bad input shown or refused in words, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

URL = "/api/v1/people/"


@pytest.fixture
def people(site):
    return {
        "ti": PersonFactory(home_site=site, language="ti", name="Selam"),
        "am": PersonFactory(home_site=site, language="am", name="Dawit", sms_consent=False),
    }


def test_the_screen_and_the_api_filter_alike(client, api_as, volunteer, site, people):
    client.force_login(volunteer)
    query = {"language": "ti", "site": site.pk}
    page = client.get(reverse("people:list"), query).text
    assert "Selam" in page and "Dawit" not in page
    body = api_as(volunteer).get(URL, query).json()
    assert [row["name"] for row in body["results"]] == ["Selam"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"site": "nope"}, "site", "Choose one of the listed sites."),
        ({"site": "99999"}, "site", "Choose one of the listed sites."),
        ({"language": "xx"}, "language", "Choose one of the listed languages."),
    ],
)
def test_bad_filters_are_named_on_the_screen_and_refused_by_the_api(
    client, api_as, volunteer, people, query, field, message
):
    client.force_login(volunteer)
    page = client.get(reverse("people:list"), query)
    assert page.status_code == 200
    response = api_as(volunteer).get(URL, query)
    assert response.status_code == 400
    assert response.json()["fields"][field] == [message]
    if field == "site":  # the one filter the screen shows besides the search
        assert message in page.text


def test_a_bad_filter_on_the_screen_leaves_the_others_working(client, volunteer, people):
    client.force_login(volunteer)
    page = client.get(reverse("people:list"), {"site": "nope", "q": "Sel"}).text
    assert "Selam" in page and "Dawit" not in page


def test_a_filter_error_is_in_the_readers_language(api_as, volunteer, people):
    response = api_as(volunteer).get(URL, {"site": "nope"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["fields"]["site"] != ["Choose one of the listed sites."]


def test_an_unreadable_yes_or_no_is_ignored(client, api_as, volunteer, people):
    assert api_as(volunteer).get(URL, {"sms_consent": "maybe"}).json()["count"] == 2
    client.force_login(volunteer)
    assert client.get(reverse("people:list"), {"sms_consent": "maybe"}).status_code == 200


def test_an_over_long_search_counts_its_first_100_characters(client, api_as, volunteer, people):
    long = "Selam" + "x" * 5000
    assert api_as(volunteer).get(URL, {"q": long}).status_code == 200
    client.force_login(volunteer)
    assert client.get(reverse("people:list"), {"q": long}).status_code == 200
