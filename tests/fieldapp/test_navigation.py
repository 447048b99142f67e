"""
Every page a role may open is reached by following links from the home page: no page
is known only by its address. A crawler signs in as each role, follows every link of
the site from "/", and names the routes it reached; every GET route without an id that
the access matrix lets the role open must be among them.
"""

import re
from html import unescape

import pytest
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from services.accounts.roles import Role
from tests.casework.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db

# Not pages to navigate to: machines' addresses, fragments, the API, and the pages of
# signing in (reached from the sign-in page, before one is signed in).
NOT_PAGES = {
    "login",
    "healthz",
    "distributions_table:service_worker",
    "messaging:broadcast_preview",
    "api-docs",
    "schema",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:second_factor_verify",
    "accounts:second_factor_setup",  # where signing in sends a role that needs it first
}
LINK = re.compile(r'href="([^"#]+)')


def _pages_for(role: str) -> set[str]:
    return {
        name
        for name, route in ROUTES.items()
        if route.method == "get"
        and role in route.allowed
        and route.kwargs.__name__ == "none"
        and route.query.__name__ == "none"
        and name not in NOT_PAGES
        and not name.startswith("v1:")
    }


def _crawl(client: APIClient, per_route: int = 2) -> set[str]:
    """The routes reached from "/"; each route is opened at most `per_route` times."""
    opened: dict[str, int] = {}
    seen: set[str] = set()
    queue = ["/"]
    while queue:
        path = queue.pop(0)
        name = resolve(path.split("?")[0]).view_name
        if path in seen or opened.get(name, 0) >= per_route:
            continue
        seen.add(path)
        opened[name] = opened.get(name, 0) + 1
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        landed = resolve(response.request["PATH_INFO"]).view_name  # where a redirect led
        opened[landed] = opened.get(landed, 0) + (landed != name)
        for href in LINK.findall(response.content.decode()):
            href = unescape(href)
            if not href.startswith("/") or href.startswith(("/admin/", "/api/", "/static/")):
                continue
            try:
                resolve(href.split("?")[0])
            except Resolver404:
                continue
            queue.append(href)
    return {name for name, count in opened.items() if count}


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "medical", "legal"])
def test_every_page_of_a_role_is_reached_from_the_home_page(role, make_user):
    client = APIClient()
    client.force_login(make_user(Role(role), username=f"nav-{role}"))
    missing = _pages_for(role) - _crawl(client)
    assert sorted(missing) == [], f"{role} reaches these pages only by their address"
