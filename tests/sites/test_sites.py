import pytest
from django.urls import reverse

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.sites.actions import site_create, site_update
from services.sites.models import Site

URL = "/api/v1/sites/"


def test_site_names_are_unique_whatever_the_case(coordinator, site):
    with pytest.raises(DomainError) as refused:
        site_create(actor=coordinator, name=site.name.upper(), kind=Site.Kind.CAMP)
    assert refused.value.field == "name"


def test_closing_a_site_is_audited(coordinator, site):
    site_update(actor=coordinator, site=site, is_active=False)
    assert AuditEntry.objects.filter(action="site.update", target_id=str(site.pk)).exists()


def test_coordinators_manage_sites_in_the_app(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("sites:create"),
        {"name": "Dunkirk – Loon-Plage", "kind": "camp", "area": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Site.objects.filter(name="Dunkirk – Loon-Plage").exists()


def test_volunteers_cannot_manage_sites(client, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("sites:list")).status_code == 403
    assert client.post(reverse("sites:create"), {"name": "X", "kind": "camp"}).status_code == 403


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_add_sites_through_the_api(request, api_as, role):
    client = api_as(request.getfixturevalue(role))
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"name": "New", "kind": "camp"}, format="json").status_code == 403


def test_coordinator_adds_and_closes_a_site_through_the_api(api_as, coordinator):
    client = api_as(coordinator)
    created = client.post(URL, {"name": "Van 2", "kind": "van"}, format="json")
    assert created.status_code == 201
    closed = client.patch(f"{URL}{created.json()['id']}/", {"is_active": False}, format="json")
    assert closed.status_code == 200 and closed.json()["is_active"] is False


def test_bad_site_input_is_a_400(api_as, coordinator):
    response = api_as(coordinator).post(URL, {"name": "", "kind": "palace"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "kind"}
