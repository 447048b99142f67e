import pytest
from django.urls import reverse

from services.audit.actions import audit_record

pytestmark = pytest.mark.django_db


def test_coordinators_read_and_filter_the_log(client, coordinator, site):
    audit_record(actor=coordinator, action="site.update", target=site, details={"fields": ["name"]})
    audit_record(actor=None, action="legal.appointment.confirm", target=site)
    client.force_login(coordinator)
    page = client.get(reverse("audit:log"))
    assert page.status_code == 200
    assert "site.update" in page.text and "legal.appointment.confirm" in page.text
    only_legal = client.get(reverse("audit:log"), {"action": "legal."})
    assert "legal.appointment.confirm" in only_legal.text
    assert "site.update" not in only_legal.text
    by_actor = client.get(reverse("audit:log"), {"actor": coordinator.username})
    assert "site.update" in by_actor.text and "legal.appointment" not in by_actor.text


def test_a_bad_filter_is_shown_not_crashed_on(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("audit:log"), {"since": "not-a-date", "target_type": "nope"})
    assert page.status_code == 200
    assert "Enter a valid date." in page.text
    assert "Select a valid choice." in page.text


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_see_the_log(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("audit:log")).status_code == 403


def test_the_pages_keep_the_filter(client, coordinator, site):
    from services.audit.actions import audit_record_each

    audit_record_each(actor=coordinator, action="site.list", targets=[site] * 60)
    client.force_login(coordinator)
    first = client.get(reverse("audit:log"), {"action": "site."})
    assert "action=site.&amp;page=2" in first.text
    second = client.get(reverse("audit:log"), {"action": "site.", "page": 2})
    assert "Page 2 of 2" in second.text


def test_the_api_filters_with_the_same_filterset_as_the_screen(api_as, coordinator, site):
    audit_record(actor=coordinator, action="site.update", target=site)
    audit_record(actor=None, action="legal.appointment.confirm", target=site)
    client = api_as(coordinator)
    body = client.get("/api/v1/audit-log/", {"action": "legal.", "actor": ""}).json()
    assert [row["action"] for row in body["results"]] == ["legal.appointment.confirm"]
    by_actor = client.get("/api/v1/audit-log/", {"actor": coordinator.username}).json()
    assert [row["action"] for row in by_actor["results"]] == ["site.update"]


def test_bad_audit_filters_are_a_400_in_the_api(api_as, coordinator, site):
    audit_record(actor=coordinator, action="site.update", target=site)
    response = api_as(coordinator).get(
        "/api/v1/audit-log/", {"since": "not-a-date", "target_type": "nope", "action": "x" * 65}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"since", "target_type", "action"}
