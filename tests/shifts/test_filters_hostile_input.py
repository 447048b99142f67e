"""
The shift lists, on the screen and in the API, given hostile filter input (the same
values as tests/fieldapp/test_list_filters_hostile_input.py): an error in words or the
input ignored, never a 500.
"""

import pytest
from django.urls import reverse

from tests.fieldapp.test_list_filters_hostile_input import HOSTILE

SCREENS = {
    "shifts:open": ["site", "task", "day", "open"],
    "shifts:board": ["site", "week"],
    "shifts:today": ["site"],
    "shifts:handover": ["site", "day"],
}
ENDPOINTS = {
    "/api/v1/shifts/": ["site", "task", "day", "open", "page"],
    "/api/v1/signups/": ["shift", "site", "standing", "upcoming", "page"],
    "/api/v1/shifts/board/": ["site", "week"],
}


@pytest.mark.parametrize("value", [*HOSTILE, "9999-12-31", "0001-01-01"])
def test_hostile_filters_on_the_shift_screens(client, coordinator, shift, value):
    client.force_login(coordinator)
    for name, fields in SCREENS.items():
        for field in fields:
            response = client.get(reverse(name), {field: value})
            assert response.status_code in (200, 400), (name, field, response.status_code)


@pytest.mark.parametrize("value", [*HOSTILE, "9999-12-31", "0001-01-01"])
def test_hostile_filters_on_the_shift_endpoints(api_as, coordinator, shift, site, value):
    client = api_as(coordinator)
    for url, fields in ENDPOINTS.items():
        for field in fields:
            response = client.get(url, {"site": site.pk, field: value})
            assert response.status_code in (200, 400, 404), (url, field, response.status_code)
            if response.status_code != 200:
                assert response.json()["detail"], (url, field)
