"""
The iCal feed's address is its only key: it must be unguessable, stop working when the
person leaves (deactivated, or no longer a volunteer of any role), and never be kept
by a proxy or a browser cache.
"""

import pytest
from django.urls import reverse

from services.scheduling.actions import calendar_feed_renew

pytestmark = pytest.mark.django_db


def test_the_token_is_long_random_and_new_each_time(interpreter):
    tokens = {calendar_feed_renew(actor=interpreter).token for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64


def test_no_cache_keeps_the_feed(client, interpreter, booked):
    response = client.get(
        reverse("legal:feed", args=[calendar_feed_renew(actor=interpreter).token])
    )
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_deactivated_users_feed_is_gone(client, interpreter, booked):
    feed = calendar_feed_renew(actor=interpreter)
    interpreter.is_active = False
    interpreter.save(update_fields=["is_active"])
    assert client.get(reverse("legal:feed", args=[feed.token])).status_code == 404


def test_a_feed_of_someone_with_no_role_left_is_gone(client, interpreter, booked):
    feed = calendar_feed_renew(actor=interpreter)
    interpreter.groups.clear()
    assert client.get(reverse("legal:feed", args=[feed.token])).status_code == 404
