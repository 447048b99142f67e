"""The SMS log's and the replies' FilterSets: bad input shown or refused, never a 500."""

import pytest
from django.urls import reverse

from services.messaging.models import InboundMessage, Message
from services.messaging.sms_templates import Kind

from .helpers import opted_in


@pytest.fixture
def log(site):
    person = opted_in(site)
    for key, status in (("k1", Message.Status.FAILED), ("k2", Message.Status.SENT)):
        Message.objects.create(
            idempotency_key=key,
            kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
            person=person,
            language="ar",
            send_at="2026-11-25T10:00:00Z",
            status=status,
        )
    InboundMessage.objects.create(provider_message_id="SM1", body="STOP", action="opt_out")
    InboundMessage.objects.create(provider_message_id="SM2", body="where?")
    return person


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "not a date"}, "since"),
        ({"until": "31/02/2026"}, "until"),
        ({"status": "nope"}, "status"),
        ({"kind": "birthday"}, "kind"),
        ({"person": "x" * 500}, "person"),
        ({"broadcast": "x"}, "broadcast"),
    ],
)
def test_bad_log_filters_are_shown_on_the_screen_and_refused_by_the_api(
    client, api_as, coordinator, log, query, field
):
    client.force_login(coordinator)
    page = client.get(reverse("messaging:list"), query)
    assert page.status_code == 200
    response = api_as(coordinator).get("/api/v1/messages/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_a_bad_date_is_named_next_to_its_field(client, coordinator, log):
    client.force_login(coordinator)
    page = client.get(reverse("messaging:list"), {"since": "not a date", "status": "failed"})
    assert "Enter a valid date." in page.text
    assert page.text.count('class="entry"') == 1, "the valid filter still applies"


def test_the_card_code_is_read_however_it_is_typed(client, api_as, coordinator, log):
    typed = log.code.lower().replace("-", " ")
    body = api_as(coordinator).get("/api/v1/messages/", {"person": typed}).json()
    assert body["count"] == 2


def test_replies_are_filtered_by_what_they_did(client, api_as, coordinator, log):
    client.force_login(coordinator)
    page = client.get(reverse("messaging:replies"), {"action": "opt_out"}).text
    assert "STOP" in page and "where?" not in page
    body = api_as(coordinator).get("/api/v1/replies/", {"action": "opt_out"}).json()
    assert [row["body"] for row in body["results"]] == ["STOP"]
    bad = client.get(reverse("messaging:replies"), {"action": "nope"})
    assert bad.status_code == 200 and "Select a valid choice." in bad.text
    assert api_as(coordinator).get("/api/v1/replies/", {"action": "nope"}).status_code == 400
