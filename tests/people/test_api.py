import pytest

from services.people.models import Person
from tests.factories import PersonFactory

URL = "/api/v1/people/"


def test_people_api_needs_authentication(api_client):
    response = api_client.get(URL)
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal", "coordinator"])
def test_every_role_can_find_people(request, api_as, role, site):
    PersonFactory(home_site=site, phone="+33612345678")
    client = api_as(request.getfixturevalue(role))
    response = client.get(URL, {"q": "06 12 34 56 78"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_register_and_fetch_by_code(api_as, volunteer, site):
    client = api_as(volunteer)
    response = client.post(
        URL,
        {"name": "Hiwa", "phone": "0612345678", "language": "ckb", "home_site": site.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert response.json()["phone"] == "+33612345678"
    fetched = client.get(f"{URL}{code.lower()}/")
    assert fetched.status_code == 200 and fetched.json()["name"] == "Hiwa"


def test_bad_input_gets_field_errors_in_one_shape(api_as, volunteer, site):
    response = api_as(volunteer).post(
        URL, {"phone": "12", "language": "xx", "home_site": 99999}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"phone", "language", "home_site"}
    assert not Person.objects.exists()


def test_errors_follow_accept_language(api_as, volunteer, site):
    response = api_as(volunteer).post(
        URL, {"language": "xx", "home_site": site.pk}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["language"] != ["Choose one of the listed languages."]


def test_a_duplicate_phone_is_a_409_naming_the_other_record(api_as, volunteer, site):
    first = PersonFactory(home_site=site, phone="+33612345678")
    client = api_as(volunteer)
    payload = {"phone": "+33 6 12 34 56 78", "language": "ar", "home_site": site.pk}
    response = client.post(URL, payload, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "phone_in_use" and response.json()["existing"] == [first.code]
    confirmed = client.post(URL, {**payload, "allow_shared_phone": True}, format="json")
    assert confirmed.status_code == 201


def test_update_with_patch(api_as, volunteer, site):
    person = PersonFactory(home_site=site, name="Ali")
    response = api_as(volunteer).patch(
        f"{URL}{person.code}/", {"name": "\u202eAli B"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Ali B"


def test_unknown_code_is_404(api_as, volunteer):
    response = api_as(volunteer).get(f"{URL}ZZZ-ZZZ/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_filters_and_pagination(api_as, volunteer, site):
    PersonFactory.create_batch(3, home_site=site, language="ti")
    PersonFactory.create_batch(2, home_site=site, language="am")
    response = api_as(volunteer).get(URL, {"language": "ti", "page_size": 2})
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api_as(volunteer).get(URL, {"language": "zz"}).status_code == 400


def test_token_auth(api_client, volunteer):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=volunteer)
    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert api_client.get(URL, HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_opening_a_person_and_searching_through_the_api_are_in_the_audit_log(
    api_as, volunteer, site
):
    from services.audit.models import AuditEntry
    from tests.factories import PersonFactory

    person = PersonFactory(home_site=site, name="Samira")
    client = api_as(volunteer)
    assert client.get("/api/v1/people/", {"q": "Samir"}).status_code == 200
    assert client.get(f"/api/v1/people/{person.code}/").status_code == 200
    assert client.get("/api/v1/people/").status_code == 200  # a list without a search: no entry
    assert sorted(
        AuditEntry.objects.filter(actor=volunteer, target_id=str(person.pk)).values_list(
            "action", flat=True
        )
    ) == ["person.read", "person.search"]
