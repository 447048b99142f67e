"""A site form sent twice with its one-time token adds once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.sites.models import Site
from tests.once import assert_sent_once


def test_a_site_added_twice_is_added_once(client, coordinator):
    client.force_login(coordinator)
    data = {"name": "Dunkirk – Loon-Plage", "kind": "camp", "area": "", "is_active": "on"}
    assert_sent_once(
        client,
        reverse("sites:create"),
        data,
        Site.objects.filter(name="Dunkirk – Loon-Plage").count,
    )
