"""No page or API answer shown to a signed-in user is kept in a browser's or proxy's cache."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/people/", "/account/profile/"])
def test_signed_in_pages_are_not_stored(client, volunteer, path):
    client.force_login(volunteer)
    response = client.get(path)
    assert response.status_code == 200
    assert no_store(response)


def test_api_answers_are_not_stored_by_session_or_token(client, volunteer):
    client.force_login(volunteer)
    assert no_store(client.get("/api/v1/people/"))
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=volunteer).key}")
    response = token.get("/api/v1/people/")
    assert response.status_code == 200 and no_store(response)


def test_an_error_page_for_a_signed_in_user_is_not_stored(client, volunteer):
    client.force_login(volunteer)
    assert no_store(client.get("/people/no-such-person/"))
