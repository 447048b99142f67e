"""
Wrong passwords lock one account from one address, never the account for everyone.

The requests come as nginx passes them on (deploy/nginx/fieldapp.conf): from 127.0.0.1,
with the client's address appended to X-Forwarded-For.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-test-password-1"
ATTACKER = "92.184.10.66"
REAL_USER = "81.250.3.17"


def through_nginx(client_address: str, sent_header: str = "") -> Client:
    """A browser at client_address; sent_header is an X-Forwarded-For it forged itself."""
    forwarded = f"{sent_header}, {client_address}" if sent_header else client_address
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def sign_in(client: Client, password: str) -> int:
    response = client.post(reverse("login"), {"username": "volunteer", "password": password})
    return response.status_code


@pytest.fixture
def failures():
    return settings.AXES_FAILURE_LIMIT


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(volunteer, failures):
    attacker = through_nginx(ATTACKER)
    for _ in range(failures):
        sign_in(attacker, "wrong")
    assert sign_in(attacker, PASSWORD) == 429
    assert sign_in(through_nginx(REAL_USER), PASSWORD) == 302


def test_forged_forwarded_addresses_neither_lock_the_user_out_nor_escape_the_lock(
    volunteer, failures
):
    for number in range(failures * 3):
        sign_in(through_nginx(ATTACKER, sent_header=f"81.250.3.{number}"), "wrong")
    assert sign_in(through_nginx(ATTACKER, sent_header="81.250.3.200"), PASSWORD) == 429
    assert sign_in(through_nginx(REAL_USER), PASSWORD) == 302
    assert sign_in(through_nginx(ATTACKER, sent_header=REAL_USER), PASSWORD) == 429


def test_the_address_is_the_one_the_trusted_proxies_saw(settings, volunteer, failures):
    """Two proxies (a load balancer, then nginx): the load balancer's entry is not the client."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    balancer = "10.0.0.2"
    attacker = through_nginx(balancer, sent_header=ATTACKER)
    for _ in range(failures):
        sign_in(attacker, "wrong")
    assert sign_in(through_nginx(balancer, sent_header=REAL_USER), PASSWORD) == 302
