"""
CSRF on every form: each route of the access matrix (tests/casework/test_access_matrix.py)
is posted by a signed-in user who may use it, with their session cookie and no CSRF
token, as a page on another site would make their browser do. Every one is refused with
403 before the view runs: pages by Django's CsrfViewMiddleware (the explaining page),
the API by DRF's SessionAuthentication. Only Twilio's webhooks take posts without a
token: they are signed instead (tests/messaging checks the signatures).
"""

import pytest
from django.test import Client
from django.urls import reverse

from services.accounts.roles import Role
from tests.casework import test_access_matrix as matrix
from tests.casework.test_access_matrix import ROUTES, UNROLED

pytestmark = pytest.mark.django_db
world = matrix.world  # the matrix's records, one of each kind: the same fixture

SIGNED_ELSEWHERE = {"messaging:twilio_status", "messaging:twilio_inbound"}
# drf-spectacular's Swagger page takes GET only and answers a POST 403 from its own
# permission check, before any CSRF check: nothing there changes state.
NO_CSRF_CHECK_NEEDED = {"api-docs"}


def test_the_only_routes_without_csrf_are_the_signed_webhooks():
    assert set(UNROLED) == SIGNED_ELSEWHERE


def _unrefused(route: str, world, clients: dict[str, Client]) -> str | None:
    """What is wrong with the route's answer to a post without the token, or None."""
    spec = ROUTES[route]
    # One who may use it; a route on someone else's record (no role may) as a volunteer.
    role = (sorted(spec.allowed - {"anonymous"}) or ["volunteer"])[0]
    url = reverse(route, kwargs=spec.kwargs(world))
    response = clients[role].post(url, {"name": "From another site"})
    said = f"{role} POST {url}: {response.status_code}"
    if response.status_code != 403:
        return said
    if route in NO_CSRF_CHECK_NEEDED:
        return None
    if url.startswith("/api/"):  # DRF's answer in JSON
        body = response.content.decode()
        return None if "CSRF Failed" in body else f"{said} {body[:200]}"
    templates = [template.name for template in response.templates]
    return None if "403_csrf.html" in templates else f"{said} (not CSRF: {templates})"


def test_a_post_without_the_token_is_refused_on_every_route(world, make_user):
    """One world for every route: each post is refused before any view runs."""
    clients = {}
    for role in ("volunteer", "coordinator", "medical", "legal"):
        clients[role] = Client(enforce_csrf_checks=True)
        clients[role].force_login(make_user(Role(role), username=f"csrf-{role}"))
    problems = [_unrefused(route, world, clients) for route in sorted(ROUTES)]
    assert [problem for problem in problems if problem] == []


def test_the_sign_in_form_refuses_a_post_without_the_token(volunteer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": volunteer.username, "password": "a-long-test-password-1"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_with_the_token_the_same_post_goes_through(volunteer):
    """So that the 403s above are the missing token's, not the form's."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {
            "username": volunteer.username,
            "password": "a-long-test-password-1",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
