from pathlib import Path

import polib
import pytest
from django.conf import settings

from fieldapp.languages import RTL_LANGUAGES

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_translates_every_string(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        expected = sorted(placeholder.findall(entry.msgid))
        for text in (
            [entry.msgstr, *entry.msgstr_plural.values()] if entry.msgid_plural else [entry.msgstr]
        ):
            if entry.msgid_plural and not text:
                continue
            found = sorted(placeholder.findall(text))
            if entry.msgid_plural:
                assert set(found) <= set(placeholder.findall(entry.msgid + entry.msgid_plural)), (
                    language,
                    entry.msgid,
                )
            else:
                assert found == expected, (language, entry.msgid, text)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_pages_declare_language_and_direction(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/login/").content.decode()
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_sign_in_page_is_translated(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/login/").content.decode()
    assert "<h1>Sign in</h1>" not in page


def test_the_language_choice_is_remembered_on_the_account(client, volunteer):
    client.force_login(volunteer)
    response = client.post("/language/", {"language": "ti", "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    volunteer.refresh_from_db()
    assert volunteer.language == "ti"
    assert 'lang="ti"' in client.get("/").content.decode()


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, volunteer):
    client.force_login(volunteer)
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    volunteer.refresh_from_db()
    assert volunteer.language == ""
