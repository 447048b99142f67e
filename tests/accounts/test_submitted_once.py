"""An invitation sent twice with its one-time token is sent once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.accounts.models import Invitation
from tests.once import assert_sent_once


def test_an_invitation_sent_twice_is_made_once(client, coordinator, site):
    client.force_login(coordinator)
    data = {
        "address": "new.volunteer@example.org",
        "role": "volunteer",
        "sites": [site.pk],
        "language": "en",
    }
    url = reverse("accounts:invitation_create")
    assert_sent_once(client, url, data, Invitation.objects.count)
