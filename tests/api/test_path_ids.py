"""An id in an API path that is not a number (or a check-in's, not a UUID) is a 404."""

import pytest

REQUESTS = [
    ("delete", "/api/v1/legal/availability/{}/"),
    ("get", "/api/v1/legal/appointments/{}/"),
    ("post", "/api/v1/legal/appointments/{}/notes/"),
    ("get", "/api/v1/shifts/{}/"),
    ("get", "/api/v1/shifts/{}/candidates/"),
    ("get", "/api/v1/signups/{}/"),
    ("post", "/api/v1/signups/{}/withdraw/"),
]


@pytest.mark.parametrize(("method", "path"), REQUESTS)
@pytest.mark.parametrize("bad_id", ["abc", "1e3", "١٢"])
def test_an_id_that_is_not_a_number_is_not_found(api_as, legal, method, path, bad_id):
    response = getattr(api_as(legal), method)(path.format(bad_id))

    assert response.status_code == 404


def test_a_checkin_named_by_a_malformed_uuid_is_not_found(api_as, coordinator):
    response = api_as(coordinator).post(
        "/api/v1/checkins/not-a-uuid/resolve/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 404
