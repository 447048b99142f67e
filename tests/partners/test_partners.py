"""Partners: coordinators manage them; medical and legal volunteers read; volunteers do not."""

import pytest
from django.urls import reverse

from services.audit.models import AuditEntry
from services.partners.models import Area, Partner, PartnerService

FORM = {
    "name": "PASS Calais",
    "kind": "pass",
    "sms_place": "Rue Leveux 11",
    "address": "11 rue Leveux, Calais",
    "opening_hours": "Mon-Fri 9-12",
    "languages": ["fr", "en"],
    "contact_name": "Claire",
    "contact_phone": "03 21 00 00 00",
    "contact_email": "pass@example.org",
    "is_active": "on",
}


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Dentiste Nord", kind="dentist", sms_place="Place 4")


def test_a_coordinator_adds_a_partner_on_the_phone_screens(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("partners:create")).status_code == 200
    response = client.post(reverse("partners:create"), FORM)
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert (partner.sms_place, partner.languages, str(partner.contact_phone)) == (
        "Rue Leveux 11",
        ["fr", "en"],
        "+33321000000",
    )
    assert AuditEntry.objects.filter(action="partner.create", target_id=str(partner.pk)).exists()
    listing = client.get(reverse("partners:list"))
    assert "PASS Calais" in listing.content.decode()


def test_a_partner_without_an_sms_place_is_refused_with_a_clear_error(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("partners:create"), FORM | {"sms_place": ""})
    assert response.status_code == 200
    assert "Give a short, neutral place name for SMS." in response.content.decode()
    assert not Partner.objects.exists()


def test_the_sms_place_help_says_to_leave_out_the_service(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("partners:create")).content.decode()
    assert "Never the kind of service" in page


def test_a_coordinator_edits_deactivates_and_adds_a_service(client, coordinator, partner):
    client.force_login(coordinator)
    edit = reverse("partners:edit", args=[partner.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, FORM | {"name": "Dentiste Nord", "sms_place": "Place 5"})
    partner.refresh_from_db()
    assert partner.sms_place == "Place 5"
    client.post(reverse("partners:set_active", args=[partner.pk]), {"active": "0"})
    partner.refresh_from_db()
    assert partner.is_active is False
    client.post(
        reverse("partners:service_create", args=[partner.pk]),
        {"name": "Emergency dental care", "area": "medical", "is_active": "on"},
    )
    service = PartnerService.objects.get()
    assert (service.partner, service.area) == (partner, Area.MEDICAL)
    response = client.post(
        reverse("partners:service_edit", args=[service.pk]),
        {"name": "Dental care", "area": "medical"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.is_active) == ("Dental care", False)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partner.update", "partner.service.create", "partner.service.update"} <= actions


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_reach_the_partner_screens(client, request, role, partner):
    client.force_login(request.getfixturevalue(role))
    for url in [
        reverse("partners:list"),
        reverse("partners:create"),
        reverse("partners:edit", args=[partner.pk]),
        reverse("partners:service_create", args=[partner.pk]),
    ]:
        assert client.get(url).status_code == 403, url


def test_api_coordinator_writes_partners_and_services(api_as, coordinator):
    api = api_as(coordinator)
    created = api.post(
        "/api/v1/partners/",
        {"name": "MSF", "kind": "ngo_clinic", "sms_place": "Rue 2", "languages": ["ar"]},
        format="json",
    )
    assert created.status_code == 201, created.data
    service = api.post(
        "/api/v1/partner-services/",
        {"partner": created.data["id"], "name": "General", "area": "medical"},
        format="json",
    )
    assert service.status_code == 201, service.data
    read = api.get(f"/api/v1/partners/{created.data['id']}/")
    assert [s["name"] for s in read.data["services"]] == ["General"]
    patched = api.patch(
        f"/api/v1/partners/{created.data['id']}/", {"is_active": False}, format="json"
    )
    assert patched.data["is_active"] is False


def test_api_refuses_an_unknown_language_with_a_field_error(api_as, coordinator):
    response = api_as(coordinator).post(
        "/api/v1/partners/",
        {"name": "X", "kind": "dentist", "sms_place": "P", "languages": ["xx"]},
        format="json",
    )
    assert response.status_code == 400
    assert "languages.0" in response.data["fields"]  # the first language given
    assert not Partner.objects.exists()


@pytest.mark.parametrize("role", ["medical", "legal"])
def test_api_medical_and_legal_read_but_do_not_write(api_as, request, role, partner):
    api = api_as(request.getfixturevalue(role))
    PartnerService.objects.create(partner=partner, name="Care", area="medical")
    assert api.get("/api/v1/partners/").status_code == 200
    listed = api.get("/api/v1/partner-services/?area=medical")
    assert [s["name"] for s in listed.data["results"]] == ["Care"]
    refused = api.post("/api/v1/partners/", {"name": "Y"}, format="json")
    assert refused.status_code == 403


def test_api_volunteers_get_nothing(api_as, volunteer, partner):
    api = api_as(volunteer)
    assert api.get("/api/v1/partners/").status_code == 403
    assert api.get(f"/api/v1/partners/{partner.pk}/").status_code == 403
    assert api.get("/api/v1/partner-services/").status_code == 403
