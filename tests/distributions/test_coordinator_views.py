"""The coordinators' distribution screens, through the test client: every write through
an action, every refusal back on the form with what was typed, nothing written."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldapp.demo import demo_load
from services.accounts.models import User
from services.audit.models import AuditEntry
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.models import (
    CheckIn,
    DistributionSession,
    Handout,
    ItemType,
    SessionItem,
    StockBalance,
    StockMovement,
)
from services.distributions.selectors import stock_from_ledger
from services.messaging.models import Broadcast, Message
from services.people.models import Person
from services.sites.models import Site
from tests.factories import SiteFactory
from tests.messaging.helpers import opted_in

NS = "distributions_coordinator"


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def camp(db):
    return SiteFactory(name="Grande-Synthe – Puythouck")


def page(response):
    return response.content.decode()


def ledger_snapshot():
    return (
        StockMovement.objects.count(),
        sorted(StockBalance.objects.values_list("site_id", "item_id", "size", "quantity")),
    )


# Who may come in


def every_page(session, conflict_pk, site_pk, item_pk):
    return [
        ("get", url("index")),
        ("get", url("items")),
        ("get", url("item_create")),
        ("get", url("item_edit", item_pk)),
        ("get", url("stock")),
        ("get", url("stock_site", site_pk)),
        ("get", url("stock_receive", site_pk)),
        ("post", url("stock_receive", site_pk)),
        ("get", url("stock_transfer", site_pk)),
        ("get", url("stock_adjust", site_pk)),
        ("get", url("stock_write_off", site_pk)),
        ("get", url("sessions")),
        ("get", url("session_plan")),
        ("post", url("session_status", session.pk)),
        ("get", url("session_announce", session.pk)),
        ("post", url("session_announce", session.pk)),
        ("get", url("conflicts")),
        ("post", url("conflict_resolve", conflict_pk)),
    ]


@pytest.fixture
def conflict(volunteer, session, person, sleeping_bag):
    """A second sleeping bag within 30 days, recorded by a phone that was offline."""
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    held = checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
        offline=True,
        client_recorded_at=timezone.now(),
    )
    assert held.status == CheckIn.Status.CONFLICT
    return held


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_reach_the_screens(
    client, request, role, session, conflict, sleeping_bag
):
    client.force_login(request.getfixturevalue(role))
    before = ledger_snapshot(), DistributionSession.objects.get().status
    for method, address in every_page(session, conflict.pk, session.site_id, sleeping_bag.pk):
        response = getattr(client, method)(address, {"status": "closed", "quantity": "1"})
        assert response.status_code == 403, (role, address)
    assert (ledger_snapshot(), DistributionSession.objects.get().status) == before
    assert CheckIn.objects.get(pk=conflict.pk).status == CheckIn.Status.CONFLICT
    assert not Broadcast.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, session, conflict, sleeping_bag):
    before = ledger_snapshot()
    for method, address in every_page(session, conflict.pk, session.site_id, sleeping_bag.pk):
        response = getattr(client, method)(address)
        assert response.status_code in (302, 403), address
        assert response.status_code == 403 or response.url.startswith("/login/"), address
    assert ledger_snapshot() == before and not Broadcast.objects.exists()


def test_every_page_opens_for_a_coordinator(as_coordinator, session, conflict, sleeping_bag):
    for method, address in every_page(session, conflict.pk, session.site_id, sleeping_bag.pk):
        if method == "get":
            assert as_coordinator.get(address, follow=True).status_code == 200, address


def test_the_index_links_to_each_screen(as_coordinator, conflict):
    html = page(as_coordinator.get("/distributions/manage/"))
    for name in ("sessions", "stock", "items", "conflicts"):
        assert f'href="{url(name)}"' in html
    assert "Conflicts from offline phones: 1" in html


# The catalogue

ITEM = {
    "name": "Sleeping mat",
    "name_fr": "Tapis de sol",
    "name_ar": "حصيرة نوم",
    "category": "bedding",
    "sizes": "",
    "size_preset": "",
    "audience": "",
    "min_interval_days": "30",
    "per_session_limit": "1",
    "is_active": "on",
}


def test_adding_an_item_with_translated_names(as_coordinator):
    response = as_coordinator.post(url("item_create"), ITEM)
    assert response.status_code == 302
    item = ItemType.objects.get(name="Sleeping mat")
    assert item.names == {"fr": "Tapis de sol", "ar": "حصيرة نوم"}
    assert item.min_interval_days == 30 and item.sizes == [] and item.is_active
    assert AuditEntry.objects.filter(action="itemtype.create", target_id=str(item.pk)).exists()
    listing = page(as_coordinator.get(url("items")))
    assert "Sleeping mat" in listing and "Bedding" in listing


def test_sizes_are_cleaned_and_a_preset_joins_them(as_coordinator):
    data = {**ITEM, "name": "Gloves", "category": "clothing", "sizes": " xs, s ,S,, one size "}
    assert as_coordinator.post(url("item_create"), data).status_code == 302
    assert ItemType.objects.get(name="Gloves").sizes == ["XS", "S", "ONE SIZE"]
    data = {**ITEM, "name": "Boots", "category": "shoes", "sizes": "48", "size_preset": "shoes"}
    assert as_coordinator.post(url("item_create"), data).status_code == 302
    assert ItemType.objects.get(name="Boots").sizes == ["48", *[str(n) for n in range(36, 48)]]
    data = {**ITEM, "name": "Coat", "category": "clothing", "size_preset": "clothes"}
    assert as_coordinator.post(url("item_create"), data).status_code == 302
    assert ItemType.objects.get(name="Coat").sizes == ["XS", "S", "M", "L", "XL", "XXL"]


def test_editing_an_item_keeps_the_form_filled_and_is_audited(as_coordinator, jumper):
    form = page(as_coordinator.get(url("item_edit", jumper.pk)))
    assert 'value="XS, S, M, L, XL, XXL"' in form and 'value="Jumper"' in form
    data = {**ITEM, "name": "Jumper", "category": "clothing", "sizes": "XS, S, M, L, XL, XXL"}
    data.update(name_fr="Pull", per_session_limit="2", min_interval_days="")
    assert as_coordinator.post(url("item_edit", jumper.pk), data).status_code == 302
    jumper.refresh_from_db()
    assert jumper.per_session_limit == 2 and jumper.names["fr"] == "Pull"
    entry = AuditEntry.objects.get(action="itemtype.update", target_id=str(jumper.pk))
    assert set(entry.details["fields"]) == {"names", "per_session_limit"}


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"name": ""}, "An item needs a name."),
        ({"name": "   "}, "An item needs a name."),
        ({"name": "x" * 61}, "Use at most 60 characters."),
        ({"name": "SLEEPING BAG"}, "An item called SLEEPING BAG already exists."),
        ({"name_ar": "x" * 61}, "Use at most 60 characters."),
        ({"category": "weapons"}, "Choose one of the listed options."),
        ({"audience": "children"}, "Choose one of the listed options."),
        ({"size_preset": "hats"}, "Choose one of the listed options."),
        ({"sizes": "S, THIRTEEN-CHAR"}, "A size has at most 12 characters"),
        ({"min_interval_days": "-1"}, "from 0 to 365"),
        ({"min_interval_days": "366"}, "from 0 to 365"),
        ({"min_interval_days": "1.5"}, "Give a whole number."),
        ({"per_session_limit": "0"}, "Give a limit between 1 and 50."),
        ({"per_session_limit": "51"}, "Give a limit between 1 and 50."),
        ({"per_session_limit": "9" * 40}, "Give a limit between 1 and 50."),
        ({"per_session_limit": ""}, "This field is required."),
    ],
)
def test_bad_item_input_is_refused_with_what_was_typed_kept(
    as_coordinator, sleeping_bag, changes, field_error
):
    before = list(ItemType.objects.values())
    data = {**ITEM, **changes}
    response = as_coordinator.post(url("item_create"), data)
    html = page(response)
    assert response.status_code == 200
    assert field_error in html
    assert 'value="Tapis de sol"' in html
    assert list(ItemType.objects.values()) == before
    assert not AuditEntry.objects.filter(action__startswith="itemtype").exists()


def test_a_size_still_in_stock_cannot_be_removed(as_coordinator, stocked, shoes):
    data = {**ITEM, "name": "Shoes", "category": "shoes", "sizes": "36, 37, 38"}
    response = as_coordinator.post(url("item_edit", shoes.pk), data)
    assert response.status_code == 200
    assert "There is still stock of Shoes in 41, 42, 43" in page(response)
    shoes.refresh_from_db()
    assert shoes.sizes == [str(n) for n in range(36, 48)]


def test_an_unknown_item_is_a_404(as_coordinator):
    assert as_coordinator.get(url("item_edit", 999_999)).status_code == 404
    assert (
        as_coordinator.get("/distributions/manage/items/99999999999999999999/edit/").status_code
        == 404
    )


# Stock


def test_the_stock_page_defaults_to_the_coordinators_site(as_coordinator, stocked, camp):
    response = as_coordinator.get(url("stock"))
    assert response.status_code == 302 and response.url == url("stock_site", stocked.pk)
    response = as_coordinator.get(url("stock"), {"site": camp.pk})
    assert response.url == url("stock_site", camp.pk)
    for bad in ("abc", "99999999999999999999", "-1"):
        assert as_coordinator.get(url("stock"), {"site": bad}).url == url("stock_site", stocked.pk)


def test_the_stock_page_shows_what_is_on_hand_and_who_moved_it_why(as_coordinator, stocked, shoes):
    html = page(as_coordinator.get(url("stock_site", stocked.pk)))
    assert "Sleeping bag" in html and "Shoes" in html and "<td>10</td>" in html
    assert "Received" in html and "coordinator" in html


def test_receiving_stock(as_coordinator, site, jumper):
    data = {"item": jumper.pk, "size": "xl", "quantity": "12", "reason": "Donation, church"}
    response = as_coordinator.post(url("stock_receive", site.pk), data)
    assert response.status_code == 302
    assert stock_from_ledger(site=site, item=jumper, size="XL") == 12
    movement = StockMovement.objects.get()
    assert movement.reason == "Donation, church" and movement.actor.username == "coordinator"
    assert "Donation, church" in page(as_coordinator.get(url("stock_site", site.pk)))


def test_receiving_stock_with_its_donor_and_expiry_date(as_coordinator, site, sleeping_bag):
    data = {
        "item": sleeping_bag.pk,
        "quantity": "4",
        "donor": "Secours Populaire",
        "expires_on": "2031-05-20",
    }
    assert as_coordinator.post(url("stock_receive", site.pk), data).status_code == 302
    lot = StockMovement.objects.get().lot
    assert (lot.donor.name, lot.expires_on.isoformat(), lot.left) == (
        "Secours Populaire",
        "2031-05-20",
        4,
    )


def test_a_low_stock_level_is_set_on_its_page(as_coordinator, site, sleeping_bag):
    response = as_coordinator.post(
        url("stock_levels", site.pk), {"item": sleeping_bag.pk, "level": "15"}
    )
    assert response.status_code == 302
    assert "<td>15</td>" in page(as_coordinator.get(url("stock_levels", site.pk)))
    refused = as_coordinator.post(url("stock_levels", site.pk), {"item": "x", "level": "-2"})
    assert refused.status_code == 200 and 'class="error"' in page(refused)


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("-3", "Give a number of at least 1."),
        ("0", "Give a number of at least 1."),
        ("1.5", "Give a whole number."),
        ("1,5", "Give a whole number."),
        ("1e3", "Give a whole number."),
        ("abc", "Give a whole number."),
        ("", "This field is required."),
        ("100001", "100000 at most in one go."),
        ("9" * 40, "100000 at most in one go."),
    ],
)
@pytest.mark.parametrize(
    "kind", ["stock_receive", "stock_transfer", "stock_adjust", "stock_write_off"]
)
def test_bad_quantities_are_form_errors_and_write_nothing(
    as_coordinator, stocked, camp, sleeping_bag, kind, quantity, error
):
    before = ledger_snapshot()
    data = {
        "item": sleeping_bag.pk,
        "size": "",
        "quantity": quantity,
        "target": camp.pk,
        "direction": "out",
        "reason": "counted",
    }
    response = as_coordinator.post(url(kind, stocked.pk), data)
    html = page(response)
    assert response.status_code == 200
    assert error in html
    assert f'value="{quantity}"' in html or quantity == ""
    assert ledger_snapshot() == before


@pytest.mark.parametrize(
    "kind", ["stock_receive", "stock_transfer", "stock_adjust", "stock_write_off"]
)
def test_a_size_the_item_does_not_come_in_is_refused(
    as_coordinator, stocked, camp, shoes, sleeping_bag, kind
):
    before = ledger_snapshot()
    base = {"quantity": "1", "target": camp.pk, "direction": "in", "reason": "counted"}
    response = as_coordinator.post(url(kind, stocked.pk), {**base, "item": shoes.pk, "size": "XL"})
    assert "Shoes does not come in size XL." in page(response)
    assert 'value="XL"' in page(response)
    response = as_coordinator.post(
        url(kind, stocked.pk), {**base, "item": sleeping_bag.pk, "size": "M"}
    )
    assert "Sleeping bag has no sizes." in page(response)
    assert ledger_snapshot() == before


def test_a_transfer_that_would_go_negative_moves_nothing(as_coordinator, stocked, camp, shoes):
    before = ledger_snapshot()
    data = {"item": shoes.pk, "size": "42", "quantity": "6", "target": camp.pk}
    response = as_coordinator.post(url("stock_transfer", stocked.pk), data)
    assert response.status_code == 200
    assert "Only 5 of Shoes 42 left at" in page(response)
    assert ledger_snapshot() == before
    assert not StockBalance.objects.filter(site=camp, quantity__gt=0).exists()


def test_a_transfer_moves_both_sides(as_coordinator, stocked, camp, shoes):
    data = {"item": shoes.pk, "size": "42", "quantity": "2", "target": camp.pk}
    assert as_coordinator.post(url("stock_transfer", stocked.pk), data).status_code == 302
    assert stock_from_ledger(site=stocked, item=shoes, size="42") == 3
    assert stock_from_ledger(site=camp, item=shoes, size="42") == 2


def test_a_transfer_to_the_same_site_or_a_bad_target_is_refused(as_coordinator, stocked, shoes):
    before = ledger_snapshot()
    for target in (stocked.pk, "", "abc", "99999999999999999999"):
        data = {"item": shoes.pk, "size": "42", "quantity": "1", "target": target}
        response = as_coordinator.post(url("stock_transfer", stocked.pk), data)
        assert response.status_code == 200
        assert "Choose one of the listed sites." in page(response) or "required" in page(response)
    assert ledger_snapshot() == before


@pytest.mark.parametrize("kind", ["stock_adjust", "stock_write_off"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_an_adjustment_or_write_off_needs_a_reason(
    as_coordinator, stocked, sleeping_bag, kind, reason
):
    before = ledger_snapshot()
    data = {"item": sleeping_bag.pk, "size": "", "quantity": "2", "direction": "out"}
    response = as_coordinator.post(url(kind, stocked.pk), {**data, "reason": reason})
    assert response.status_code == 200
    assert "Say why the stock changes." in page(response)
    assert 'value="2"' in page(response)
    assert ledger_snapshot() == before


def test_adjusting_in_and_out_and_writing_off(as_coordinator, stocked, sleeping_bag):
    base = {"item": sleeping_bag.pk, "size": ""}
    post = as_coordinator.post
    found_more = {**base, "quantity": "3", "direction": "in", "reason": "found a box"}
    assert post(url("stock_adjust", stocked.pk), found_more).status_code == 302
    counted_less = {**base, "quantity": "1", "direction": "out", "reason": "count"}
    assert post(url("stock_adjust", stocked.pk), counted_less).status_code == 302
    mouldy = {**base, "quantity": "2", "reason": "wet and mouldy"}
    assert post(url("stock_write_off", stocked.pk), mouldy).status_code == 302
    assert stock_from_ledger(site=stocked, item=sleeping_bag) == 10 + 3 - 1 - 2
    kinds = list(
        StockMovement.objects.filter(reason__in=["found a box", "count", "wet and mouldy"])
        .order_by("id")
        .values_list("kind", "quantity")
    )
    assert kinds == [("adjusted", 3), ("adjusted", -1), ("written_off", -2)]


def test_writing_off_more_than_there_is_is_refused(as_coordinator, stocked, sleeping_bag):
    before = ledger_snapshot()
    data = {"item": sleeping_bag.pk, "size": "", "quantity": "11", "reason": "flooded"}
    response = as_coordinator.post(url("stock_write_off", stocked.pk), data)
    assert "Only 10 of Sleeping bag" in page(response)
    assert ledger_snapshot() == before


def test_an_unknown_item_or_direction_is_refused(as_coordinator, stocked, sleeping_bag):
    before = ledger_snapshot()
    for data in (
        {"item": "999999", "size": "", "quantity": "1", "direction": "in", "reason": "x"},
        {"item": "x' OR 1=1", "size": "", "quantity": "1", "direction": "in", "reason": "x"},
        {"item": sleeping_bag.pk, "size": "", "quantity": "1", "direction": "up", "reason": "x"},
    ):
        response = as_coordinator.post(url("stock_adjust", stocked.pk), data)
        assert response.status_code == 200
        assert "Choose one of the listed options." in page(response)
    assert ledger_snapshot() == before


def test_an_inactive_item_cannot_be_received(as_coordinator, site, sleeping_bag):
    ItemType.objects.filter(pk=sleeping_bag.pk).update(is_active=False)
    data = {"item": sleeping_bag.pk, "size": "", "quantity": "1"}
    response = as_coordinator.post(url("stock_receive", site.pk), data)
    assert "Choose one of the listed options." in page(response)
    assert not StockMovement.objects.exists()


# Sessions


def plan_data(site, *items, **extra):
    data = {"site": site.pk, "date": "2031-05-12", "starts_at": "10:00", "ends_at": "13:00"}
    for item in items:
        data[f"offer_{item.pk}"] = "on"
        data[f"limit_{item.pk}"] = "1"
    data.update(extra)
    return data


def test_planning_a_distribution(as_coordinator, site, sleeping_bag, shoes, jumper):
    form = page(as_coordinator.get(url("session_plan")))
    assert f'name="sizes_{shoes.pk}"' in form and f'name="offer_{jumper.pk}"' in form
    data = plan_data(site, sleeping_bag, shoes, choose_limit="2")
    data[f"sizes_{shoes.pk}"] = ["41", "42"]
    data[f"limit_{shoes.pk}"] = "1"
    data[f"limit_{jumper.pk}"] = "banana"  # not offered: ignored
    response = as_coordinator.post(url("session_plan"), data)
    assert response.status_code == 302
    session = DistributionSession.objects.get()
    assert session.status == "planned" and session.choose_limit == 2
    offers = {o.item.name: o.sizes for o in SessionItem.objects.filter(session=session)}
    assert offers == {"Sleeping bag": [], "Shoes": ["41", "42"]}
    listing = page(as_coordinator.get(response.url))
    assert "12/05" in listing and "Sleeping bag" in listing and "Announce by SMS" in listing


def test_no_sizes_ticked_offers_every_size(as_coordinator, site, jumper):
    assert as_coordinator.post(url("session_plan"), plan_data(site, jumper)).status_code == 302
    assert SessionItem.objects.get().sizes == ["XS", "S", "M", "L", "XL", "XXL"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"sizes_SHOES": ["41", "XL"]}, "Shoes does not come in size XL."),
        ({"limit_SHOES": "0"}, "Give a number of at least 1."),
        ({"limit_SHOES": "51"}, "Give a number of at most 50."),
        ({"limit_SHOES": "1.5"}, "Give a whole number."),
        ({"ends_at": "09:00"}, "The end must be after the start."),
        ({"ends_at": "25:99"}, "Give a time like 15:00."),
        ({"date": "31/02/2031"}, "Give a real date."),
        ({"date": ""}, "Give the date."),
        ({"choose_limit": "0"}, "Give a number of at least 1."),
        ({"choose_limit": "-2"}, "Give a number of at least 1."),
        ({"site": "999999"}, "Choose one of the listed sites."),
        ({"offer_SHOES": ""}, "Offer at least one item."),
    ],
)
def test_bad_plans_are_refused_and_write_nothing(as_coordinator, site, shoes, changes, error):
    data = plan_data(site, shoes)
    data.update({key.replace("SHOES", str(shoes.pk)): value for key, value in changes.items()})
    response = as_coordinator.post(url("session_plan"), data)
    assert response.status_code == 200
    assert error in page(response)
    assert not DistributionSession.objects.exists() and not SessionItem.objects.exists()


def test_opening_and_closing(as_coordinator, coordinator, stocked, sleeping_bag):
    from services.distributions.actions.sessions import Offer, session_plan

    planned = session_plan(
        actor=coordinator,
        site=stocked,
        day=timezone.localdate() + datetime.timedelta(days=1),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        offers=[Offer(sleeping_bag, [])],
    )
    html = page(as_coordinator.get(url("sessions")))
    assert 'name="status" value="open"' in html
    for status in ("open", "closed", "open"):
        response = as_coordinator.post(url("session_status", planned.pk), {"status": status})
        assert response.status_code == 302
        planned.refresh_from_db()
        assert planned.status == status
    assert AuditEntry.objects.filter(action="distribution.closed").exists()


def test_a_status_change_that_is_not_allowed_is_a_message_not_an_error(as_coordinator, session):
    for status in ("open", "planned", "deleted", ""):
        response = as_coordinator.post(
            url("session_status", session.pk), {"status": status}, follow=True
        )
        assert response.status_code == 200
        session.refresh_from_db()
        assert session.status == "open"
    assert as_coordinator.get(url("session_status", session.pk)).status_code == 405


def test_announcing_shows_the_cost_first_then_says_how_many_it_goes_to(as_coordinator, session):
    opted_in(session.site, phone="06 12 34 56 01", language="ar")
    opted_in(session.site, phone="06 12 34 56 02", language="ti")
    preview = as_coordinator.get(url("session_announce", session.pk))
    assert "2 people will get it" in page(preview) and "Send to 2 people" in page(preview)
    assert not Broadcast.objects.exists()
    response = as_coordinator.post(url("session_announce", session.pk), follow=True)
    html = page(response)
    assert "The announcement goes to 2 people." in html
    assert f'<a href="{reverse("messaging:list")}?kind=distribution_announcement">' in html
    broadcast = Broadcast.objects.get()
    assert broadcast.recipients == 2 and Message.objects.count() == 2


def test_a_past_or_closed_distribution_is_not_announced(as_coordinator, session):
    session.status = DistributionSession.Status.CLOSED
    session.save()
    response = as_coordinator.post(url("session_announce", session.pk), follow=True)
    assert "nothing to announce" in page(response)
    assert not Broadcast.objects.exists()


# Conflicts


def test_conflicts_show_who_what_and_why(as_coordinator, conflict, person):
    html = page(as_coordinator.get(url("conflicts")))
    assert person.code in html
    assert "1 × Sleeping bag" in html
    assert "Sleeping bag: already given on" in html
    assert "Apply as an exception" in html and "Dismiss" in html


@pytest.mark.parametrize("decision", ["apply", "dismiss"])
@pytest.mark.parametrize("reason", ["", "  "])
def test_settling_a_conflict_needs_a_reason(as_coordinator, conflict, decision, reason):
    before = ledger_snapshot()
    response = as_coordinator.post(
        url("conflict_resolve", conflict.pk),
        {f"c{conflict.pk}-reason": reason, "decision": decision},
    )
    assert response.status_code == 200
    assert "Say why." in page(response)
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.CONFLICT and ledger_snapshot() == before


def test_a_conflict_without_a_decision_is_refused(as_coordinator, conflict):
    response = as_coordinator.post(
        url("conflict_resolve", conflict.pk), {f"c{conflict.pk}-reason": "checked"}
    )
    assert "Choose to apply or to dismiss." in page(response)
    assert 'value="checked"' in page(response)
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.CONFLICT


def test_applying_a_conflict_as_an_exception(as_coordinator, conflict, person, site, sleeping_bag):
    response = as_coordinator.post(
        url("conflict_resolve", conflict.pk),
        {f"c{conflict.pk}-reason": "his bag was stolen", "decision": "apply"},
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.RECORDED
    assert conflict.override_reason == "his bag was stolen"
    assert Handout.objects.filter(person=person).count() == 2
    assert stock_from_ledger(site=site, item=sleeping_bag) == 8
    assert "No conflicts to settle." in page(as_coordinator.get(url("conflicts")))


def test_dismissing_a_conflict(as_coordinator, conflict, person):
    response = as_coordinator.post(
        url("conflict_resolve", conflict.pk),
        {f"c{conflict.pk}-reason": "recorded twice", "decision": "dismiss"},
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.DISMISSED
    assert Handout.objects.filter(person=person).count() == 1
    again = as_coordinator.post(
        url("conflict_resolve", conflict.pk),
        {f"c{conflict.pk}-reason": "again", "decision": "apply"},
        follow=True,
    )
    assert "This check-in has no conflict to settle." in page(again)
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.DISMISSED


def test_applying_without_the_stock_keeps_the_conflict_and_the_reason(
    as_coordinator, coordinator, conflict, site, sleeping_bag
):
    from services.distributions.actions.stock import stock_adjust

    stock_adjust(
        actor=coordinator, site=site, item=sleeping_bag, size="", change=-9, reason="flooded"
    )
    before = ledger_snapshot()
    response = as_coordinator.post(
        url("conflict_resolve", conflict.pk),
        {f"c{conflict.pk}-reason": "checked the card", "decision": "apply"},
    )
    assert response.status_code == 200
    html = page(response)
    assert "Not enough Sleeping bag" in html and 'value="checked the card"' in html
    conflict.refresh_from_db()
    assert conflict.status == CheckIn.Status.CONFLICT and ledger_snapshot() == before


def test_conflicts_filter_by_site(as_coordinator, conflict, camp):
    assert "No conflicts to settle." in page(
        as_coordinator.get(url("conflicts"), {"site": camp.pk})
    )
    shown = page(as_coordinator.get(url("conflicts"), {"site": conflict.session.site_id}))
    assert conflict.person.code in shown
    assert as_coordinator.get(url("conflicts"), {"site": "abc"}).status_code == 200


# The admin is for looking


def test_the_admin_shows_distributions_read_only(as_coordinator, session, conflict):
    for model in ("itemtype", "stockmovement", "distributionsession", "checkin"):
        assert as_coordinator.get(f"/admin/distributions/{model}/").status_code == 200
        assert as_coordinator.get(f"/admin/distributions/{model}/add/").status_code == 403


# Demo data


def test_demo_load_twice_creates_nothing_twice(db):
    demo_load(people=5)
    counts = (
        ItemType.objects.count(),
        StockMovement.objects.count(),
        DistributionSession.objects.count(),
        SessionItem.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Site.objects.count(),
    )
    demo_load(people=5)
    assert counts == (
        ItemType.objects.count(),
        StockMovement.objects.count(),
        DistributionSession.objects.count(),
        SessionItem.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Site.objects.count(),
    )
    assert ItemType.objects.count() == 8
    assert ItemType.objects.get(name="Shoes").sizes == [str(n) for n in range(36, 48)]
    assert ItemType.objects.get(name="Sleeping bag").names["fr"] == "Sac de couchage"
    session = DistributionSession.objects.get()
    assert session.status == "open" and session.date == timezone.localdate()
    assert session.site.name == "Calais – Hospital site"
    camp = Site.objects.get(name="Calais – BMX track")
    tent = ItemType.objects.get(name="Tent")
    assert stock_from_ledger(site=camp, item=tent) == 10
    warehouse = Site.objects.get(name="Warehouse")
    assert stock_from_ledger(site=warehouse, item=tent) == 40 - 3 * 10
    assert StockBalance.objects.get(site=warehouse, item=tent, size="").quantity == 10
    assert AuditEntry.objects.filter(action="itemtype.create").count() == 8


# Robustness: no input answers 500, no inline style or script, right-to-left pages


def test_huge_or_unknown_ids_are_404s(as_coordinator, session):
    huge = "99999999999999999999"
    for address in (
        f"/distributions/manage/stock/{huge}/",
        f"/distributions/manage/stock/{huge}/receive/",
        f"/distributions/manage/items/{huge}/edit/",
    ):
        assert as_coordinator.get(address).status_code == 404, address
    for address in (
        f"/distributions/manage/sessions/{huge}/status/",
        f"/distributions/manage/sessions/{huge}/announce/",
        f"/distributions/manage/conflicts/{huge}/resolve/",
    ):
        assert as_coordinator.post(address, {"status": "open"}).status_code == 404, address
    response = as_coordinator.post(
        url("session_plan"), {"site": huge, "date": "2031-01-01", "starts_at": "10:00"}
    )
    assert response.status_code == 200 and "Choose one of the listed sites." in page(response)
    assert as_coordinator.get(url("sessions"), {"site": huge}).status_code == 200


def test_a_percent_sign_in_an_item_name_is_harmless(as_coordinator, coordinator, site):
    from services.distributions.actions.catalogue import item_type_save

    item = item_type_save(
        actor=coordinator, name="100% wool socks", category="clothing", sizes="S,M"
    )
    data = plan_data(site, item)
    data[f"sizes_{item.pk}"] = ["XL"]
    response = as_coordinator.post(url("session_plan"), data)
    assert "100% wool socks does not come in size XL." in page(response)
    assert not DistributionSession.objects.exists()


def test_the_templates_have_no_inline_style_or_script():
    from pathlib import Path

    import services.distributions

    folder = Path(services.distributions.__file__).parent / "templates" / "distributions"
    templates = list(folder.glob("manage_*.html"))
    assert len(templates) >= 9
    for template in templates:
        source = template.read_text()
        assert "style=" not in source and "<style" not in source, template.name
        assert "<script" not in source and " on" + "click=" not in source, template.name


@pytest.mark.parametrize("language", ["ar", "ti", "fr"])
def test_the_screens_render_in_other_languages_and_scripts(
    client, coordinator, settings, session, conflict, language
):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, args in [
        ("index", []),
        ("items", []),
        ("item_create", []),
        ("stock_site", [session.site_id]),
        ("stock_adjust", [session.site_id]),
        ("sessions", []),
        ("session_plan", []),
        ("session_announce", [session.pk]),
        ("conflicts", []),
    ]:
        response = client.get(url(name, *args))
        assert response.status_code == 200, name
        direction = "rtl" if language == "ar" else "ltr"
        assert f'dir="{direction}"' in page(response)
    if language == "ar":
        assert "كيس نوم" in page(client.get(url("stock_site", session.site_id)))
