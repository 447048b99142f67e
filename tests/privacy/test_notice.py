"""The privacy notice: every supported language, right-to-left where the script is."""

import pytest
from django.urls import reverse

from fieldapp.languages import RTL_LANGUAGES, Language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", Language.values)
def test_the_notice_is_shown_in_every_language(client, volunteer, language):
    client.force_login(volunteer)
    page = client.get(reverse("privacy:notice_in", kwargs={"language": language}))
    assert page.status_code == 200
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page.content.decode()


def test_the_notice_says_how_long_from_the_settings(client, volunteer, settings):
    settings.PRIVACY_INACTIVE_DAYS = 90
    client.force_login(volunteer)
    html = client.get(reverse("privacy:notice_in", kwargs={"language": "en"})).content.decode()
    assert "If we do not see you for 90 days" in html
    assert "removed after 30 days" in html


def test_the_notice_links_every_language(client, volunteer):
    client.force_login(volunteer)
    html = client.get(reverse("privacy:notice")).content.decode()
    for code in Language.values:
        assert reverse("privacy:notice_in", kwargs={"language": code}) in html


def test_an_unknown_language_is_not_found(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/privacy/notice/xx/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    page = client.get(reverse("privacy:notice"))
    assert page.status_code in (302, 403)
