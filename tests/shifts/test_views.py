"""The phone screens: what each shows to whom, the one-tap forms, bad input in words."""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.scheduling.actions import calendar_feed_renew
from services.shifts import today
from services.shifts.actions.handover import handover_note_add, handover_notes_purge
from services.shifts.actions.shifts import shift_cancel, shift_create
from services.shifts.actions.signups import signup_create
from services.shifts.board import week_start
from services.shifts.models import HandoverNote, HandoverRead, Shift, SignUp
from tests.factories import PersonFactory

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db


def test_my_shifts_lists_mine_with_a_withdraw_button_and_my_calendar_address(
    client, shift, make_user
):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    calendar_feed_renew(actor=amina)
    client.force_login(amina)
    page = client.get(reverse("shifts:mine")).content.decode()
    assert "Distribution" in page and shift.site.name in page
    assert reverse("shifts:withdraw", args=[signup.pk]) in page
    assert "/shifts/calendar-feed/" in page


def test_open_shifts_fit_the_volunteer_and_mark_what_they_bring(
    client, shift, coordinator, site, other_site, day, make_user
):
    amina = volunteer_on(
        make_user, "amina", speaks={"ti": "native"}, skills=["driver"], leaves_on=day
    )
    after_stay = shift_create(actor=coordinator, site=site, plan=plan(day + timedelta(days=1)))
    elsewhere = shift_create(actor=coordinator, site=other_site, plan=plan(day))
    mine = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(9), end_time=time(11))
    )
    signup_create(actor=amina, shift=mine)
    clashing = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(10), end_time=time(12))
    )
    client.force_login(amina)
    response = client.get(reverse("shifts:open"))
    shown = [row.shift.pk for row in response.context["rows"]]
    assert shown == [shift.pk]
    assert {after_stay.pk, elsewhere.pk, mine.pk, clashing.pk}.isdisjoint(shown)
    [row] = response.context["rows"]
    assert [(m.label, m.lacking) for m in row.marks] == [
        ("Driver with licence", True),
        ("Tigrinya", True),
    ]
    assert row.match


def test_one_tap_signs_up_and_lands_on_my_shifts(client, shift, make_user):
    amina = volunteer_on(make_user, "amina")
    client.force_login(amina)
    response = client.post(reverse("shifts:signup", args=[shift.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("shifts:mine")
    assert SignUp.objects.get().user == amina
    page = client.get(reverse("shifts:mine")).content.decode()
    assert "You are on it" in page


def test_a_refused_sign_up_says_why_and_a_foreign_next_is_ignored(
    client, coordinator, site, day, make_user
):
    full = shift_create(actor=coordinator, site=site, plan=plan(day, people_needed=1))
    signup_create(actor=volunteer_on(make_user, "first"), shift=full)
    client.force_login(volunteer_on(make_user, "amina"))
    response = client.post(
        reverse("shifts:signup", args=[full.pk]), {"next": "https://evil.example/"}, follow=True
    )
    assert "This shift is full." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("shifts:open")


def test_the_board_shows_a_week_in_words_for_a_coordinator(client, shift, coordinator, day):
    client.force_login(coordinator)
    response = client.get(reverse("shifts:board"), {"site": shift.site_id, "week": day.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tue 14:15: 3 people, 1 driver, no Tigrinya speaker" in page
    assert reverse("shifts:copy") in page


def test_the_board_takes_any_week_text_without_failing(client, coordinator, site):
    client.force_login(coordinator)
    for week in ("", "nonsense", "2026-13-45", "9999-12-31", "0001-01-01"):
        response = client.get(reverse("shifts:board"), {"site": "x" * 40, "week": week})
        assert response.status_code == 200, week


def test_a_volunteer_is_kept_off_the_board(client, make_user):
    client.force_login(volunteer_on(make_user, "amina"))
    assert client.get(reverse("shifts:board")).status_code == 403


def test_a_team_lead_sees_the_board_of_their_site(client, shift, make_user):
    client.force_login(volunteer_on(make_user, "lead", skills=["team_lead"]))
    assert client.get(reverse("shifts:board")).status_code == 200


def test_planning_a_shift_with_bad_input_says_so_and_saves_nothing(client, coordinator, site, day):
    client.force_login(coordinator)
    data = {
        "site": site.pk,
        "task": "distribution",
        "day": day.isoformat(),
        "start_time": "16:45",
        "end_time": "14:15",
        "people_needed": "3",
    }
    response = client.post(reverse("shifts:create"), data)
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    response = client.post(
        reverse("shifts:create"), {**data, "end_time": "18:00", "people_needed": "0"}
    )
    assert "A shift needs at least one person." in response.content.decode()
    assert not Shift.objects.exists()


def test_planning_a_shift_on_the_form(client, coordinator, site, day):
    client.force_login(coordinator)
    response = client.post(
        reverse("shifts:create"),
        {
            "site": site.pk,
            "task": "distribution",
            "day": day.isoformat(),
            "start_time": "14:15",
            "end_time": "16:45",
            "people_needed": "4",
            "skill_driver": "1",
            "language_ti": "1",
            "language_om": "",
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert sorted(shift.needs.values_list("code", flat=True)) == ["driver", "ti"]


def test_copying_a_week_on_the_form_says_which_days_were_skipped(client, coordinator, site, day):
    monday = week_start(day)
    shift_create(actor=coordinator, site=site, plan=plan(monday))
    shift_create(actor=coordinator, site=site, plan=plan(monday + timedelta(days=8)))
    client.force_login(coordinator)
    response = client.post(
        reverse("shifts:copy"),
        {
            "site": site.pk,
            "days": "7",
            "from_day": (monday + timedelta(days=3)).isoformat(),
            "to_day": (monday + timedelta(days=9)).isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Shifts copied: 1." in page
    assert "already has shifts: not copied." not in page  # Tuesday had nothing to copy
    assert Shift.objects.count() == 3


def test_the_shift_page_offers_candidates_and_putting_one_on(client, shift, coordinator, make_user):
    tigrinya = volunteer_on(make_user, "tesfay", speaks={"ti": "native"})
    client.force_login(coordinator)
    page = client.get(shift.get_absolute_url()).content.decode()
    assert "tesfay" in page and reverse("shifts:assign", args=[shift.pk]) in page
    client.post(reverse("shifts:assign", args=[shift.pk]), {"user": tigrinya.pk})
    assert SignUp.objects.get().user == tigrinya


def test_cancelling_on_the_form_needs_a_reason(client, shift, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("shifts:cancel", args=[shift.pk]), {"reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(reverse("shifts:cancel", args=[shift.pk]), {"reason": "Storm"})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.cancel_reason == "Storm"


def test_today_shows_who_is_on_their_phones_and_the_languages_covered(
    client, coordinator, site, make_user
):
    # Noon today, whatever the clock says: a run just after midnight must not push the shift
    # that is "on now" into yesterday or tomorrow.
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with mock.patch("django.utils.timezone.now", return_value=noon - timedelta(hours=3)):
        shift = shift_create(
            actor=coordinator,
            site=site,
            plan=plan(noon.date(), start_time=time(11, 30), end_time=time(16, 45)),
        )
        here = volunteer_on(make_user, "here", speaks={"ps": "native"}, phone="+33612345678")
        coming = volunteer_on(make_user, "coming", speaks={"ar": "fluent"})
        arrived = signup_create(actor=here, shift=shift)
        signup_create(actor=coming, shift=shift)
    lead = volunteer_on(make_user, "lead", skills=["team_lead"])
    client.force_login(lead)
    with mock.patch("django.utils.timezone.now", return_value=noon):
        response = client.post(reverse("shifts:arrived", args=[arrived.pk]), {"arrived": "1"})
        assert response.status_code == 302
        day = client.get(reverse("shifts:today")).context["day"]
        assert day.covered == {"Pashto": ["here"]} and day.expected == {"Arabic": ["coming"]}
        page = client.get(reverse("shifts:today")).content.decode()
        assert "tel:+33612345678" in page


def test_today_is_the_team_leads_and_coordinators_only(client, make_user):
    client.force_login(volunteer_on(make_user, "amina"))
    assert client.get(reverse("shifts:today")).status_code == 403


def test_a_handover_note_with_a_persons_name_is_refused_and_a_card_code_is_kept(
    client, site, make_user
):
    person = PersonFactory(home_site=site, name="Dawit")
    amina = volunteer_on(make_user, "amina")
    client.force_login(amina)
    url = reverse("shifts:handover") + f"?site={site.pk}"
    response = client.post(
        url, {"kind": "person", "text": "Dawit was upset at the gate", "card_code": ""}
    )
    assert response.status_code == 400
    assert "is the name of someone we serve" in response.content.decode()
    response = client.post(
        url,
        {"kind": "person", "text": "Upset at the gate, check in early", "card_code": person.code},
    )
    assert response.status_code == 302
    note = HandoverNote.objects.get()
    assert note.card_code == person.code
    page = client.get(url).content.decode()
    assert person.code in page and "Dawit" not in page


def test_a_handover_note_is_marked_read_once(client, site, make_user):
    amina = volunteer_on(make_user, "amina")
    note = handover_note_add(actor=amina, site=site, kind="stock", text="Few sleeping bags left")
    reader = volunteer_on(make_user, "yonas")
    assert today.handover_unread(user=amina, site=site) == 0  # its writer has read it
    assert today.handover_unread(user=reader, site=site) == 1
    client.force_login(reader)
    for _ in range(2):
        client.post(reverse("shifts:handover_read", args=[note.pk]))
    assert HandoverRead.objects.filter(note=note, user=reader).count() == 1
    assert today.handover_unread(user=reader, site=site) == 0


def test_handover_notes_older_than_30_days_are_deleted_once_and_audited(site, make_user):
    amina = volunteer_on(make_user, "amina")
    old = handover_note_add(actor=amina, site=site, kind="incident", text="Fight at the queue")
    HandoverNote.objects.filter(pk=old.pk).update(day=timezone.localdate() - timedelta(days=31))
    kept = handover_note_add(actor=amina, site=site, kind="stock", text="No more tents")
    assert handover_notes_purge() == 1
    assert handover_notes_purge() == 0
    assert list(HandoverNote.objects.all()) == [kept]
    assert AuditEntry.objects.filter(action="handover.purge", target_id=str(old.pk)).exists()


def test_shifts_register_their_calendar_source():
    from services.scheduling.calendar import calendar_sources

    assert "shifts" in calendar_sources()


def test_the_calendar_feed_holds_my_shifts_and_marks_a_cancelled_one(
    client, shift, coordinator, make_user
):
    amina = volunteer_on(make_user, "amina")
    signup_create(actor=amina, shift=shift)
    feed = calendar_feed_renew(actor=amina)
    body = client.get(reverse("shifts:feed", args=[feed.token])).content.decode()
    assert "SUMMARY:Shift: Distribution" in body and "STATUS:CONFIRMED" in body
    shift_cancel(actor=coordinator, shift=shift, reason="Storm")
    body = client.get(reverse("shifts:feed", args=[feed.token])).content.decode()
    assert "STATUS:CANCELLED" in body


def test_the_home_page_links_to_my_shifts(client, make_user):
    client.force_login(make_user(Role.VOLUNTEER, "amina"))
    assert reverse("shifts:mine") in client.get("/").content.decode()
