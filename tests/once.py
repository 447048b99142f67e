"""Sending a create form twice with its one-time token (fieldapp/submissions.py)."""

import re
from collections.abc import Callable

TOKEN = re.compile(r'name="submission" value="([0-9a-f-]{36})"')


def form_token(client, url: str) -> str:
    """The token of the create form on this page, as the volunteer's phone would send it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    found = TOKEN.findall(page.content.decode())
    assert len(found) == 1, found
    return found[0]


def assert_sent_once(client, form_url: str, data: dict, created: Callable[[], int], post_url=None):
    """
    The form sent twice with the token of its page: one thing created, and the second
    answer is the first result's page.
    """
    token = form_token(client, form_url)
    sent = {**data, "submission": token}
    first = client.post(post_url or form_url, sent)
    assert first.status_code == 302, first.content.decode()[:2000]
    again = client.post(post_url or form_url, sent)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert created() == 1
    return first
