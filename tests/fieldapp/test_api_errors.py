"""An API client gets JSON for every error, a server error included, never an HTML page."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from fieldapp.urls import handler400, handler403, handler404, handler500  # noqa: F401
from fieldapp.urls import urlpatterns as fieldapp_urlpatterns


class Broken(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug in an API view")


@login_not_required
def broken_outside_drf(request):
    raise RuntimeError("a bug before DRF answers")


urlpatterns = [
    path("api/v1/broken/", Broken.as_view()),
    path("api/v1/broken-outside-drf/", broken_outside_drf),
    path("people/broken/", broken_outside_drf),
    *fieldapp_urlpatterns,
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def client_as_in_production(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/api/v1/broken/", "/api/v1/broken-outside-drf/"])
def test_a_bug_in_the_api_answers_json_500(client_as_in_production, url):
    response = client_as_in_production.get(url, headers={"accept-language": "fr"})

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "server_error",
        "detail": "Une erreur s’est produite. Réessayez.",
    }


def test_a_bug_in_the_api_is_logged_with_its_traceback(client_as_in_production, caplog):
    client_as_in_production.get("/api/v1/broken/")

    (record,) = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert record.levelname == "ERROR"
    assert "a bug in an API view" in str(record.exc_info[1])


def test_an_unknown_api_address_answers_json_404(client_as_in_production, volunteer):
    client_as_in_production.force_login(volunteer)

    response = client_as_in_production.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_bug_on_a_page_still_shows_the_page(client_as_in_production, volunteer):
    client_as_in_production.force_login(volunteer)

    response = client_as_in_production.get("/people/broken/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_nested_input_errors_are_one_list_of_messages_per_field(api_as, volunteer):
    response = api_as(volunteer).post(
        "/api/v1/checkins/",
        {
            "uuid": "e3e70682-c209-4cac-a29f-6fbed82c07cd",
            "session": 1,
            "person": "ABC-123",
            "items": [],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["items"] == ["This list may not be empty."]


def test_an_error_inside_a_list_is_named_by_its_place(api_as, coordinator):
    response = api_as(coordinator).post(
        "/api/v1/partners/",
        {"name": "X", "kind": "dentist", "sms_place": "P", "languages": ["fr", "xx"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"languages.1": ['"xx" is not a valid choice.']}
