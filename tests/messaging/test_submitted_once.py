"""A broadcast sent twice with its one-time token goes out once (fieldapp/submissions.py)."""

from django.urls import reverse

from services.messaging.models import Broadcast, Message
from tests.once import TOKEN

from .helpers import opted_in
from .test_views_and_api import FORM


def test_send_tapped_twice_on_the_preview_sends_one_broadcast(client, coordinator, site):
    opted_in(site, phone="06 12 34 56 01", language="ar")
    opted_in(site, phone="06 12 34 56 02", language="ti")
    client.force_login(coordinator)
    url = reverse("messaging:broadcast")
    preview = client.post(url, {**FORM, "site": site.pk, "confirm": "preview"})
    (token,) = TOKEN.findall(preview.content.decode())
    send = {**FORM, "site": site.pk, "confirm": "send", "submission": token}
    first = client.post(url, send)
    again = client.post(url, send)
    assert first.status_code == 302 and again["Location"] == first["Location"]
    assert Broadcast.objects.count() == 1 and Message.objects.count() == 2
