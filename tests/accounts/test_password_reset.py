"""
A forgotten password: a link by e-mail or SMS that works once and not for long, and
nothing on the way tells whether an account has the address typed.
"""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.accounts.actions.passwords import password_reset_send
from services.accounts.models import User
from services.accounts.tasks import password_reset
from services.audit.models import AuditEntry
from services.messaging.actions import dispatch
from services.messaging.models import Message
from services.people.phones import phone_parse

BASE = "http://testserver/"
NEW_PASSWORD = "a-brand-new-pass-42"


@pytest.fixture
def amina(volunteer):
    volunteer.email = "amina@example.org"
    volunteer.phone = phone_parse("+44 7911 123456")
    volunteer.save()
    return volunteer


def ask(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("accounts:password_reset"), {"address": address})
    return response, len(queries)


def send_due():
    claim = dispatch.messages_claim_due(limit=10)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))


def test_a_known_and_an_unknown_address_get_the_same_answer_after_the_same_work(
    client, amina, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        known, known_queries = ask(client, "amina@example.org")
        unknown, unknown_queries = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert known_queries == unknown_queries
    assert len(queued) == 2  # the look-up is a task, queued after the answer, for both
    assert not Message.objects.exists()  # nothing was looked up or written in the request
    page = client.get(known["Location"]).content.decode()
    assert "If an account has this address or number" in page


def test_the_task_sends_a_link_to_a_known_address_and_nothing_to_an_unknown_one(amina):
    assert password_reset("nobody@example.org", BASE) == 0
    assert password_reset("Amina@Example.org", BASE) == 1
    message = Message.objects.get()
    assert (message.user, message.kind, message.channel) == (amina, "password_reset", "email")
    assert not message.respect_quiet_hours
    assert AuditEntry.objects.filter(action="user.password_reset_request").count() == 1


def test_a_phone_number_gets_the_link_by_sms(amina):
    assert password_reset("+44 7911 000000", BASE) == 0
    assert password_reset("+44 7911 123456", BASE) == 1
    assert Message.objects.get().channel == "sms"


def test_asking_again_at_once_sends_nothing_more(amina):
    password_reset_send(email="amina@example.org", base_url=BASE)
    send_due()
    password_reset_send(email="amina@example.org", base_url=BASE)
    assert Message.objects.count() == 1 and len(mail.outbox) == 1


def test_a_switched_off_or_departed_account_gets_nothing(amina):
    User.objects.filter(pk=amina.pk).update(is_active=False)
    assert password_reset_send(email="amina@example.org", base_url=BASE) == 0


def reset_link() -> str:
    send_due()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return link.removeprefix(BASE.rstrip("/"))


def test_the_link_sets_a_new_password_once(client, amina):
    password_reset_send(email="amina@example.org", base_url=BASE)
    link = reset_link()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "New password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="user.password_reset", actor=amina).exists()
    again = client.get(link, follow=True)
    assert "This link cannot be used" in again.content.decode()
    assert Message.objects.get().context["link"] == "[removed]"


def test_an_old_link_no_longer_works(client, amina, settings):
    password_reset_send(email="amina@example.org", base_url=BASE)
    link = reset_link()
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert "This link cannot be used" in client.get(link, follow=True).content.decode()


def test_a_mismatched_new_password_gets_a_clear_error(client, amina):
    password_reset_send(email="amina@example.org", base_url=BASE)
    form = client.get(reset_link(), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"}
    )
    assert "The two passwords are not the same." in response.content.decode()
    amina.refresh_from_db()
    assert not amina.check_password(NEW_PASSWORD)


def test_what_is_neither_an_address_nor_a_number_is_refused_before_anything(client, db):
    response, _queries = ask(client, "hello")
    assert response.status_code == 400
    assert "This is not a phone number we can send to" in response.content.decode()
