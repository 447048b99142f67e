"""
While PostgreSQL is away (stopped, restarting, its disk full) every page answers 503 with
a page that says what happened and needs no database itself, the API answers 503 in its
error shape, both with Retry-After; the next request after it is back is served as usual.
bench/faults.py stops a real PostgreSQL under load; here the database refuses every
statement through Django's own execute wrapper, the failure psycopg raises then.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client


def refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def signed_in(volunteer):
    client = Client(raise_request_exception=False)
    client.force_login(volunteer)
    return client


@pytest.mark.django_db
def test_a_page_is_503_with_a_clear_page_while_the_database_is_away(signed_in):
    with connection.execute_wrapper(refuse):
        response = signed_in.get("/people/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<h1>Back in a minute</h1>" in page
    assert "Nothing was saved" in page
    assert signed_in.get("/people/").status_code == 200


@pytest.mark.django_db
def test_the_page_is_right_to_left_in_arabic(signed_in):
    signed_in.cookies["django_language"] = "ar"
    with connection.execute_wrapper(refuse):
        response = signed_in.get("/people/", headers={"accept-language": "ar"})
    assert response.status_code == 503
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_a_form_post_is_503_and_saves_nothing(signed_in, site):
    from services.people.models import Person

    before = Person.objects.count()
    with connection.execute_wrapper(refuse):
        response = signed_in.post("/people/new/", {"language": "ar", "home_site": site.pk})
    assert response.status_code == 503
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_the_api_is_503_in_its_error_shape(volunteer):
    client = Client(raise_request_exception=False)
    client.force_login(volunteer)
    with connection.execute_wrapper(refuse):
        response = client.get("/api/v1/people/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "unavailable"
    assert client.get("/api/v1/people/").status_code == 200


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(signed_in):
    def broken(execute, sql, params, many, context):
        raise ValueError("a bug")

    with connection.execute_wrapper(broken):
        response = signed_in.get("/people/")
    assert response.status_code == 500
