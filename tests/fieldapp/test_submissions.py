"""A double tap on a create form creates once; shown on person registration."""

import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fieldapp.celery import app as celery_app
from fieldapp.models import Submission
from fieldapp.submissions import submissions_purge
from services.accounts.roles import Role
from services.people import actions as people_actions
from services.people.models import Person
from tests.distributions.test_concurrency import race
from tests.once import assert_sent_once, form_token

pytestmark = pytest.mark.django_db

URL = reverse("people:create")


@pytest.fixture
def ali(site):
    return {"name": "Ali", "language": "ps", "home_site": site.pk}


def test_registering_twice_with_one_token_registers_one_person_and_shows_them(
    client, volunteer, ali
):
    client.force_login(volunteer)
    first = assert_sent_once(client, URL, ali, Person.objects.count)
    assert first["Location"] == Person.objects.get().get_absolute_url()


def test_the_repeat_says_nothing_more_was_recorded(client, volunteer, ali):
    client.force_login(volunteer)
    sent = {**ali, "submission": form_token(client, URL)}
    client.post(URL, sent)
    again = client.post(URL, sent, follow=True)
    notices = [str(message) for message in get_messages(again.wsgi_request)]
    assert "This form was already sent. Nothing more was recorded." in notices


def test_each_showing_of_the_form_has_its_own_token(client, volunteer, ali):
    client.force_login(volunteer)
    client.post(URL, {**ali, "submission": form_token(client, URL)})
    client.post(URL, {**ali, "submission": form_token(client, URL)})
    assert Person.objects.count() == 2


def test_a_post_without_a_token_still_registers(client, volunteer, ali):
    client.force_login(volunteer)
    assert client.post(URL, ali).status_code == 302
    assert client.post(URL, {**ali, "submission": "not-a-uuid"}).status_code == 302
    assert Person.objects.count() == 2 and not Submission.objects.exists()


def test_a_refused_form_keeps_its_token_for_the_corrected_one(client, volunteer, ali):
    client.force_login(volunteer)
    token = form_token(client, URL)
    refused = client.post(URL, {**ali, "language": "xx", "submission": token})
    assert refused.status_code == 200 and not Submission.objects.exists()
    assert client.post(URL, {**ali, "submission": token}).status_code == 302
    assert Person.objects.count() == 1


def test_another_users_token_neither_shows_their_result_nor_stops_the_form(
    client, volunteer, make_user, ali
):
    client.force_login(volunteer)
    token = form_token(client, URL)
    mine = client.post(URL, {**ali, "submission": token})
    client.force_login(make_user(Role.VOLUNTEER, "second"))
    theirs = client.post(URL, {**ali, "name": "Omar", "submission": token})
    assert theirs.status_code == 302 and theirs["Location"] != mine["Location"]
    assert Person.objects.get(name="Omar").get_absolute_url() == theirs["Location"]


def test_tokens_older_than_a_day_are_purged(volunteer):
    now = timezone.now()
    for age in (timedelta(hours=23), timedelta(hours=25)):
        Submission.objects.create(user=volunteer, token=uuid.uuid4(), sent_at=now - age)
    assert submissions_purge() == 1
    assert Submission.objects.get().sent_at == now - timedelta(hours=23)


def test_beat_purges_the_tokens_every_few_hours(volunteer):
    entry = settings.CELERY_BEAT_SCHEDULE["submissions-purge"]
    assert entry["schedule"] <= 6 * 60 * 60
    Submission.objects.create(
        user=volunteer, token=uuid.uuid4(), sent_at=timezone.now() - timedelta(days=2)
    )
    celery_app.loader.import_default_modules()  # as a worker does when it starts
    assert celery_app.tasks[entry["task"]].apply().get() == 1
    assert not Submission.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_sent_at_the_same_moment_registers_one_person(
    client, volunteer, ali, monkeypatch
):
    """
    The two POSTs overlap: registering is slowed, so both are past any look for the token
    before either has written. The unique (user, token) constraint decides.
    """
    register = people_actions.person_register

    def slow_register(**kwargs):
        time.sleep(0.3)
        return register(**kwargs)

    monkeypatch.setattr(people_actions, "person_register", slow_register)
    client.force_login(volunteer)
    sent = {**ali, "submission": form_token(client, URL)}
    cookies = client.cookies

    def tap():
        phone = Client()
        phone.cookies = cookies
        return phone.post(URL, sent)

    answers = race(tap)
    assert [answer.status_code for answer in answers] == [302, 302], answers
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Person.objects.count() == 1
