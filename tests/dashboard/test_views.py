"""The dashboard page: coordinators only, filters refused in words, small counts hidden."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SiteFactory


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_volunteer_may_not_see_the_dashboard(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/dashboard/").status_code == 403


def test_people_served_split_new_and_returning_with_small_counts_hidden(
    as_coordinator, site, serve, people
):
    today = timezone.localdate()
    regulars = people(6, registered=today - timedelta(days=30))
    newcomers = people(2, registered=today - timedelta(days=1))
    serve(site, today - timedelta(days=3), regulars)
    serve(site, today - timedelta(days=1), regulars + newcomers)
    page = as_coordinator.get("/dashboard/").content.decode()
    day = (today - timedelta(days=1)).strftime("%d/%m")
    # 2 new are hidden; 6 returning shown; the total 8 would tell the 2: withheld.
    assert (
        f'<th scope="row">{day}</th><td><span dir="ltr">&lt;5</span></td><td>6</td><td>—</td>'
        in page
    )
    first = (today - timedelta(days=3)).strftime("%d/%m")
    assert f'<th scope="row">{first}</th><td>0</td><td>6</td><td>6</td>' in page
    assert "<svg" in page and "hidden-count" in page


def test_no_personal_data_on_the_page(as_coordinator, site, serve, people):
    served = people(7)
    serve(site, timezone.localdate(), served)
    page = as_coordinator.get("/dashboard/").content.decode()
    for person in served:
        assert person.code not in page and (not person.name or person.name not in page)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("start=2026-03-10&end=2026-03-01", "ends before it starts"),
        ("start=2020-01-01&end=2026-01-01", "at most two years"),
        ("site=999999", "no such site"),
        ("site=abc", "no such site"),
        ("start=31/02/2026", "valid date"),
    ],
)
def test_bad_filters_are_refused_in_words(as_coordinator, query, words):
    response = as_coordinator.get(f"/dashboard/?{query}")
    assert response.status_code == 400
    assert words in response.content.decode()


def test_a_site_filter_counts_that_site_only(as_coordinator, site, serve, people):
    other = SiteFactory(name="Grande-Synthe")
    serve(site, timezone.localdate(), people(5))
    serve(other, timezone.localdate(), people(9))
    page = as_coordinator.get(f"/dashboard/?site={other.pk}").content.decode()
    assert "Grande-Synthe" in page and "<td>9</td>" in page
    assert site.name not in page.split("<h1>")[1].split("</form>")[1]


def test_the_query_count_does_not_grow_with_the_data(as_coordinator, site, serve, people):
    today = timezone.localdate()
    serve(site, today, people(5))
    with CaptureQueriesContext(connection) as small:
        assert as_coordinator.get("/dashboard/").status_code == 200
    for back in range(1, 20):
        serve(site, today - timedelta(days=back), people(6))
    with CaptureQueriesContext(connection) as large:
        assert as_coordinator.get("/dashboard/").status_code == 200
    assert len(small) == len(large)


def test_the_dashboard_is_right_to_left_in_arabic(as_coordinator, site, serve, people):
    serve(site, timezone.localdate(), people(5))
    as_coordinator.cookies["django_language"] = "ar"
    page = as_coordinator.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "<svg" in page
