"""The coverage board: what each shift lacks in words, and who could fill it, best first."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services.shifts.actions.shifts import shift_create
from services.shifts.actions.signups import signup_create, signup_withdraw
from services.shifts.board import board_week, candidates, week_start
from services.shifts.coverage import coverage_load

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db


def _words(shift):
    with translation.override("en"):
        return coverage_load([shift])[shift.pk].words()


def test_the_board_names_the_gaps_in_words(shift, make_user):
    signup_create(actor=volunteer_on(make_user, "amina", speaks={"ar": "native"}), shift=shift)
    signup_create(actor=volunteer_on(make_user, "yonas", skills=["first_aid"]), shift=shift)
    assert _words(shift) == "Tue 14:15: 1 person, 1 driver, no Tigrinya speaker"


def test_a_language_counts_at_working_level_or_better(shift, make_user):
    signup_create(actor=volunteer_on(make_user, "basic", speaks={"ti": "basic"}), shift=shift)
    assert "no Tigrinya speaker" in _words(shift)
    signup_create(actor=volunteer_on(make_user, "working", speaks={"ti": "working"}), shift=shift)
    assert "Tigrinya" not in _words(shift)


def test_a_covered_shift_has_no_words(shift, make_user):
    for name, extra in [
        ("driver", {"skills": ["driver"]}),
        ("ti", {"speaks": {"ti": "fluent"}}),
        ("hands", {}),
    ]:
        signup_create(actor=volunteer_on(make_user, name, **extra), shift=shift)
    coverage = coverage_load([shift])[shift.pk]
    assert coverage.covered and coverage.words() == ""


def test_two_speakers_wanted_and_one_there_says_how_many_more(coordinator, site, day, make_user):
    shift = shift_create(actor=coordinator, site=site, plan=plan(day, languages={"ps": 2}))
    signup_create(actor=volunteer_on(make_user, "nawid", speaks={"ps": "native"}), shift=shift)
    assert _words(shift) == "Tue 14:15: 2 people, 1 Pashto speaker"


def test_a_late_withdrawal_shows_the_shift_as_short(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with mock.patch("django.utils.timezone.now", return_value=shift.starts_at - timedelta(hours=3)):
        signup_withdraw(actor=amina, signup=signup)
    coverage = coverage_load([shift])[shift.pk]
    assert coverage.short and coverage.late == ["amina"]


def test_the_week_puts_each_shift_on_its_day(shift, coordinator, site, day):
    board = board_week(user=coordinator, site=site, first=week_start(day))
    assert [len(d.coverages) for d in board.days] == [0, 1, 0, 0, 0, 0, 0]
    assert board.gaps == [coverage_load([shift])[shift.pk].words()]


def _fill(coordinator, site, make_user, day, shifts: int, people: int, tag: str) -> None:
    """`shifts` shifts over the week, each with `people` volunteers who speak and drive."""
    volunteers = [
        volunteer_on(
            make_user,
            f"{tag}{n}",
            speaks={"ti": "fluent", "ar": "working"},
            skills=["driver", "first_aid"],
        )
        for n in range(people)
    ]
    monday = week_start(day)
    for n in range(shifts):
        start = time(8 + (n // 7) % 12)
        shift = shift_create(
            actor=coordinator,
            site=site,
            plan=plan(
                monday + timedelta(days=n % 7),
                start_time=start,
                end_time=start.replace(minute=30),
                people_needed=people + 1,
                skills={"driver": 1},
                languages={"am": 1, "ti": 1},
            ),
        )
        for volunteer in volunteers:
            signup_create(actor=volunteer, shift=shift)


def test_the_boards_queries_are_the_same_for_few_and_many_shifts_and_volunteers(
    client, coordinator, site, other_site, make_user, day
):
    client.force_login(coordinator)
    url = reverse("shifts:board") + f"?site={site.pk}&week={week_start(day).isoformat()}"
    _fill(coordinator, site, make_user, day, shifts=2, people=1, tag="few")
    client.get(url)  # warm-up: sessions, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(coordinator, site, make_user, day, shifts=21, people=6, tag="many")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count('class="slot') == 23
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_candidates_come_best_match_first(shift, coordinator, make_user, site, day):
    volunteer_on(make_user, "hands")
    volunteer_on(make_user, "basic_ti", speaks={"ti": "basic"})
    volunteer_on(make_user, "driver", skills=["driver"])
    volunteer_on(make_user, "ti_native_driver", speaks={"ti": "native"}, skills=["driver"])
    volunteer_on(make_user, "ti_working", speaks={"ti": "working"})
    volunteer_on(make_user, "gone", leaves_on=day - timedelta(days=1))
    busy = volunteer_on(make_user, "busy", speaks={"ti": "native"}, skills=["driver"])
    signup_create(
        actor=busy,
        shift=shift_create(
            actor=coordinator, site=site, plan=plan(day, start_time=time(13), end_time=time(15))
        ),
    )
    found = candidates(user=coordinator, shift=shift)
    names = [c.user.username for c in found]
    assert names[:3] == ["ti_native_driver", "driver", "ti_working"]
    assert "gone" not in names and "busy" not in names
    assert [m.label for m in found[0].marks] == ["Driver with licence", "Tigrinya"]


def test_the_gaps_to_fill_leave_out_cancelled_shifts(shift, coordinator, site, day):
    from services.shifts.actions.shifts import shift_cancel

    other = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(9), end_time=time(11))
    )
    shift_cancel(actor=coordinator, shift=other, reason="Storm")
    board = board_week(user=coordinator, site=site, first=week_start(day))
    assert len(board.days[1].coverages) == 2
    assert board.gaps == [coverage_load([shift])[shift.pk].words()]
