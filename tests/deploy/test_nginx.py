"""
The shipped nginx and gunicorn configs, run for real: through nginx, on a port other
than 443, with the production settings. What only shows when the config runs: the
headers, the compression and caching of static files, the upload limit, the client's
address the sign-in lockout reads, and the Host a CSRF check compares with the Origin.
"""

import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from django.conf import settings

from services.accounts.roles import Role
from tests.deploy.nginx_binary import NginxMissing, nginx_obtain
from tests.deploy.stack import Stack, started

PASSWORD = "a-long-test-password-1"
# The whole 127.0.0.0/8 is this machine: two clients nginx tells apart.
ATTACKER, REAL_USER = "127.0.0.2", "127.0.0.3"


@pytest.fixture(scope="module")
def nginx_path() -> str:
    try:
        return nginx_obtain()
    except NginxMissing as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture(scope="module")
def stack(django_db_setup, nginx_path, tmp_path_factory) -> Iterator[Stack]:
    with started(tmp_path_factory.mktemp("stack"), nginx_path) as running:
        yield running


@pytest.fixture
def account(transactional_db, make_user, settings):
    """A volunteer whose password gunicorn's hasher (the production one) can check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return make_user(Role.VOLUNTEER, username="volunteer", password=PASSWORD)


def sign_in(stack: Stack, client, password: str, origin: str | None = None) -> int:
    page = client.get(f"{stack.base_url}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = client.post(
        f"{stack.base_url}/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": "volunteer",
            "password": password,
        },
        headers={"Origin": origin or stack.base_url, "Referer": f"{stack.base_url}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def test_a_sign_in_on_a_port_other_than_443_passes_the_csrf_origin_check(stack, account):
    assert stack.layout.https_port != 443
    assert sign_in(stack, stack.client(), PASSWORD) == 302


def test_a_sign_in_from_another_origin_is_still_refused(stack, account):
    assert sign_in(stack, stack.client(), PASSWORD, origin="https://evil.example") == 403


def test_two_clients_behind_the_proxy_are_throttled_separately(stack, account):
    attacker = stack.client(ATTACKER)
    failures = [sign_in(stack, attacker, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert sign_in(stack, attacker, PASSWORD) == 429
    # A forged X-Forwarded-For does not take the attacker out of its lock.
    attacker.headers["X-Forwarded-For"] = REAL_USER
    assert sign_in(stack, attacker, PASSWORD) == 429
    assert sign_in(stack, stack.client(REAL_USER), PASSWORD) == 302


def test_pages_carry_the_security_headers_and_no_server_version(stack, transactional_db):
    response = stack.client().get(f"{stack.base_url}/login/", timeout=30)
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Server"] == "nginx"
    assert "Secure" in headers["Set-Cookie"]


def test_only_tls_1_2_and_1_3_are_offered(stack):
    context = ssl.create_default_context(cafile=stack.certificate)
    with socket.create_connection(("127.0.0.1", stack.layout.https_port)) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() == "TLSv1.3"
    tls_1_2 = ssl.create_default_context(cafile=stack.certificate)
    tls_1_2.maximum_version = ssl.TLSVersion.TLSv1_2
    tls_1_2.set_ciphers("AES256-SHA256")  # no forward secrecy: refused
    with socket.create_connection(("127.0.0.1", stack.layout.https_port)) as raw:
        with pytest.raises(ssl.SSLError):
            tls_1_2.wrap_socket(raw, server_hostname="localhost")


def test_plain_http_is_sent_to_https(stack):
    response = stack.client().get(
        f"http://localhost:{stack.layout.http_port}/login/", allow_redirects=False, timeout=30
    )
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://localhost")


def stylesheet_url(stack: Stack) -> str:
    page = stack.client().get(f"{stack.base_url}/login/", timeout=30)
    link = re.search(r'<link rel="stylesheet" href="(/static/[^"]+)"', page.text)
    assert link, page.text[:500]
    return f"{stack.base_url}{link.group(1)}"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(stack, transactional_db):
    url = stylesheet_url(stack)
    assert re.search(r"\.[0-9a-f]{12}\.css$", url), url
    response = stack.client().get(url, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_static_file_without_a_hash_is_kept_an_hour_only(stack):
    response = stack.client().get(f"{stack.base_url}/static/css/app.css", timeout=30)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=3600"


def test_an_upload_over_the_limit_is_refused_by_nginx(stack):
    eleven_megabytes = b"x" * (11 * 1024 * 1024)
    response = stack.client().post(f"{stack.base_url}/login/", data=eleven_megabytes, timeout=60)
    assert response.status_code == 413
    small = stack.client().post(f"{stack.base_url}/login/", data=b"x" * 1024, timeout=30)
    assert small.status_code != 413


def test_healthz_answers_through_nginx(stack, transactional_db):
    response = stack.client().get(f"{stack.base_url}/healthz", timeout=30)
    assert (response.status_code, response.text.strip()) == (200, "ok")


def test_a_restart_of_the_web_service_loses_no_request(stack, transactional_db):
    """A new version: gunicorn restarts while requests arrive; they wait, none fails."""
    answers: list[int | str] = []
    done = threading.Event()

    def keep_asking() -> None:
        client = stack.client()
        while not done.is_set():
            try:
                answers.append(client.get(f"{stack.base_url}/healthz", timeout=40).status_code)
            except requests.RequestException as error:
                answers.append(type(error).__name__)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(0.5)
        stack.gunicorn.restart()
        stack.wait_until_serving()
        time.sleep(0.5)
    finally:
        done.set()
        asker.join(timeout=60)
    assert len(answers) > 10
    assert set(answers) == {200}, [a for a in answers if a != 200][:5]
