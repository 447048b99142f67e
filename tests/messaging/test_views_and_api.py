from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from services.messaging.models import Broadcast, Message
from services.messaging.sms_templates import Kind
from tests.factories import PersonFactory

from .helpers import opted_in

FORM = {"kind": Kind.DISTRIBUTION_MOVED, "date": "2026-11-28", "time": "15:00", "place": ""}


@pytest.fixture
def audience(site):
    people = [
        opted_in(site, phone=f"06 12 34 56 {n:02d}", language=lang)
        for n, lang in enumerate(["ar", "ar", "ti", "fa"])
    ]
    opted_in(site, phone="06 12 34 56 00", language="ps")  # shares a phone: one copy only
    PersonFactory(home_site=site, phone="+33612345699")  # no consent
    return people


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_reach_the_sms_screens(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for name in ("messaging:list", "messaging:replies", "messaging:broadcast"):
        assert client.get(reverse(name)).status_code == 403


def test_the_preview_shows_each_language_count_and_cost_before_anything_is_sent(
    client, coordinator, site, audience
):
    client.force_login(coordinator)
    response = client.post(
        reverse("messaging:broadcast"), {**FORM, "site": site.pk, "confirm": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 people will get it" in page
    assert "UCS-2" in page and "GSM-7" in page
    assert "28 November" in page and "15:00" in page and site.name in page
    assert not Message.objects.exists()


def test_sending_a_broadcast_queues_one_message_per_opted_in_phone(
    client, coordinator, site, audience
):
    client.force_login(coordinator)
    response = client.post(
        reverse("messaging:broadcast"), {**FORM, "site": site.pk, "confirm": "send"}
    )
    assert response.status_code == 302
    broadcast = Broadcast.objects.get()
    assert broadcast.recipients == 4
    assert Message.objects.filter(broadcast=broadcast, status=Message.Status.PENDING).count() == 4
    assert {m.language for m in Message.objects.all()} == {"ar", "ti", "fa"}


def test_bad_broadcast_input_is_refused_with_what_was_typed_kept(client, coordinator, site):
    client.force_login(coordinator)
    response = client.post(
        reverse("messaging:broadcast"),
        {
            "site": site.pk,
            "kind": "birthday",
            "date": "31/02/2026",
            "time": "25:99",
            "place": "x" * 60,
            "confirm": "send",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the listed messages." in page and "Give a real date." in page
    assert 'value="31/02/2026"' in page
    assert not Broadcast.objects.exists()


def test_the_live_preview_fragment(client, coordinator, site, audience):
    client.force_login(coordinator)
    response = client.get(reverse("messaging:broadcast_preview"), {**FORM, "site": site.pk})
    assert response.status_code == 200 and 'id="preview"' in response.content.decode()
    empty = client.get(reverse("messaging:broadcast_preview"), {"site": "x"})
    assert empty.status_code == 200 and "Fill in the form" in empty.content.decode()


def test_the_log_filters_and_shows_reasons_in_words(client, coordinator, site):
    client.force_login(coordinator)
    person = opted_in(site)
    Message.objects.create(
        idempotency_key="k1",
        kind=Kind.REFERRAL_REMINDER,
        person=person,
        language="ar",
        send_at="2026-11-25T10:00:00Z",
        status=Message.Status.FAILED,
        error_code="21614",
    )
    Message.objects.create(
        idempotency_key="k2",
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        person=person,
        language="ar",
        send_at="2026-11-25T10:00:00Z",
        status=Message.Status.SENT,
    )
    page = client.get(
        reverse("messaging:list"), {"status": "failed", "person": person.code.lower()}
    ).content.decode()
    assert "Not a mobile number" in page and page.count('class="entry"') == 1
    assert (
        client.get(reverse("messaging:list"), {"since": "not a date", "status": "nope"}).status_code
        == 200
    )


def test_the_message_log_api_is_for_coordinators(api_as, coordinator, volunteer, site):
    person = opted_in(site)
    Message.objects.create(
        idempotency_key="k1",
        kind=Kind.REFERRAL_REMINDER,
        person=person,
        language="ar",
        send_at="2026-11-25T10:00:00Z",
        status=Message.Status.FAILED,
        error_code="21211",
    )
    assert api_as(volunteer).get("/api/v1/messages/").status_code == 403
    body = (
        api_as(coordinator)
        .get("/api/v1/messages/", {"status": "failed", "person": person.code})
        .json()
    )
    assert body["count"] == 1 and body["results"][0]["person"] == person.code
    assert api_as(coordinator).get("/api/v1/replies/").status_code == 200


def test_broadcast_api_preview_then_send(api_as, coordinator, volunteer, site, audience):
    payload = {
        "site": site.pk,
        "kind": Kind.DISTRIBUTION_ANNOUNCEMENT,
        "date": "28/11",
        "time": "15:00",
    }
    assert (
        api_as(volunteer).post("/api/v1/broadcasts/preview/", payload, format="json").status_code
        == 403
    )
    client = api_as(coordinator)
    preview = client.post("/api/v1/broadcasts/preview/", payload, format="json").json()
    assert preview["recipients"] == 4 and len(preview["languages"]) == 9
    assert {row["encoding"] for row in preview["languages"]} == {"GSM-7", "UCS-2"}
    assert not Message.objects.exists()
    created = client.post("/api/v1/broadcasts/", payload, format="json")
    assert created.status_code == 201 and Message.objects.count() == 4
    bad = client.post(
        "/api/v1/broadcasts/", {**payload, "kind": "birthday", "site": 999}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"kind", "site"}
    missing = client.post(
        "/api/v1/broadcasts/",
        {"site": site.pk, "kind": Kind.DISTRIBUTION_MOVED, "date": "28/11"},
        format="json",
    )
    assert missing.status_code == 400 and missing.json()["code"] == "missing_context"


def test_a_bounced_number_shows_on_the_persons_record(client, volunteer, site):
    from django.utils import timezone

    person = opted_in(site)
    type(person).objects.filter(pk=person.pk).update(
        phone_invalid_at=timezone.now(),
        phone_invalid_reason="Unknown number, or no longer in service.",
    )
    client.force_login(volunteer)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "SMS to this number failed" in page and "no longer in service" in page


def test_a_coordinator_reads_the_message_admin(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/messaging/message/").status_code == 200


def test_a_coordinator_reads_each_language_fallback_chain_with_its_reason(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("messaging:broadcast")).content.decode()
    assert 'id="fallbacks"' in page
    assert "ti → am → en" in page and "ps → fa → en" in page and "ckb → ar → en" in page
    assert "same Ge&#x27;ez script" in page or "same Ge'ez script" in page


def test_the_preview_shows_the_cost_of_each_language(client, coordinator, site, audience):
    client.force_login(coordinator)
    response = client.post(
        reverse("messaging:broadcast"), {**FORM, "site": site.pk, "confirm": "preview"}
    )
    rows = {row.language: row for row in response.context["preview"].languages}
    assert rows["ar"].recipients == 2 and rows["ar"].cost > 0
    assert rows["fr"].recipients == 0 and rows["fr"].cost == 0
    assert sum(row.cost for row in rows.values()) == response.context["preview"].cost


def test_the_log_shows_cost_by_language_and_by_kind(client, coordinator, site):
    ar, ti = opted_in(site, language="ar"), opted_in(site, phone="0612345679", language="ti")
    for n, (person, kind, segments) in enumerate(
        [
            (ar, Kind.APPOINTMENT_REMINDER, 2),
            (ar, Kind.DISTRIBUTION_MOVED, 3),
            (ti, Kind.DISTRIBUTION_MOVED, 1),
        ]
    ):
        Message.objects.create(
            idempotency_key=f"cost:{n}",
            kind=kind,
            person=person,
            language=person.language,
            rendered_language=person.language,
            segments=segments,
            status=Message.Status.DELIVERED,
            send_at=timezone.now(),
        )
    Message.objects.create(  # not sent: costs nothing
        idempotency_key="cost:waiting",
        kind=Kind.DISTRIBUTION_MOVED,
        person=ar,
        language="ar",
        segments=5,
        send_at=timezone.now(),
    )
    client.force_login(coordinator)
    costs = client.get(reverse("messaging:list")).context["costs"]
    by_language = {row.label: row.segments for row in costs.by_language}
    by_kind = {row.label: row.segments for row in costs.by_kind}
    assert by_language == {"العربية": 5, "ትግርኛ": 1}
    assert by_kind == {"Distribution moved": 4, "Legal appointment reminder": 2}
    assert costs.total == Decimal(settings.SMS_PRICE_PER_SEGMENT) * 6
