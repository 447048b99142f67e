"""The sites list's FilterSet, on the coordinators' screen and in the API."""

from django.urls import reverse

from tests.factories import SiteFactory

URL = "/api/v1/sites/"


def test_the_screen_and_the_api_filter_sites_alike(client, api_as, coordinator, site):
    van = SiteFactory(name="Van 1", kind="van")
    camp = SiteFactory(name="Camp North", kind="camp")
    closed = SiteFactory(name="Old camp", is_active=False)
    client.force_login(coordinator)
    page = client.get(reverse("sites:list"), {"kind": "van"}).text
    assert van.name in page and camp.name not in page
    closed_only = client.get(reverse("sites:list"), {"is_active": "false"}).text
    assert closed.name in closed_only and camp.name not in closed_only
    body = api_as(coordinator).get(URL, {"is_active": "false"}).json()
    assert [row["name"] for row in body["results"]] == [closed.name]


def test_bad_site_filters_are_named_on_the_screen_and_refused_by_the_api(
    client, api_as, coordinator, site
):
    client.force_login(coordinator)
    page = client.get(reverse("sites:list"), {"kind": "palace"})
    assert page.status_code == 200 and "Choose one of the listed kinds." in page.text
    response = api_as(coordinator).get(URL, {"kind": "palace"})
    assert response.status_code == 400
    assert response.json()["fields"]["kind"] == ["Choose one of the listed kinds."]
