"""
Every list of people, sites, messaging and the audit log, on its screen and in the API,
given hostile filter input: an error in words or the input ignored, never a 500.
"""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

HOSTILE = [
    "99999999999999999999",
    "-1",
    "\x00",
    "' OR 1=1 --",
    "%",
    "\u202e",
    "x" * 5000,
    "2026-13-45",
]
SCREENS = {
    "people:list": ["q", "site", "language", "sms_consent", "page"],
    "sites:list": ["kind", "is_active", "page"],
    "messaging:list": ["person", "status", "kind", "since", "until", "broadcast", "page"],
    "messaging:replies": ["action", "page"],
    "audit:log": ["action", "target_type", "target_id", "actor", "since", "until", "page"],
}
ENDPOINTS = {
    "/api/v1/people/": SCREENS["people:list"],
    "/api/v1/sites/": SCREENS["sites:list"],
    "/api/v1/messages/": SCREENS["messaging:list"],
    "/api/v1/replies/": SCREENS["messaging:replies"],
    "/api/v1/broadcasts/": ["page"],
    "/api/v1/audit-log/": SCREENS["audit:log"],
}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filters_on_every_list_screen(client, coordinator, site, value):
    PersonFactory(home_site=site)
    client.force_login(coordinator)
    for name, fields in SCREENS.items():
        for field in fields:
            response = client.get(reverse(name), {field: value})
            assert response.status_code in (200, 400), (name, field, response.status_code)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filters_on_every_list_endpoint(api_as, coordinator, site, value):
    PersonFactory(home_site=site)
    client = api_as(coordinator)
    for url, fields in ENDPOINTS.items():
        for field in fields:
            response = client.get(url, {field: value})
            assert response.status_code in (200, 400, 404), (url, field, response.status_code)
            if response.status_code != 200:
                assert response.json()["detail"], (url, field)
