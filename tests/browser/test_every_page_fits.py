"""
Every page, on a 360 px phone, in English and in Arabic (right to left): nothing wider
than the screen, the page's direction follows the language, and axe-core finds no serious
or critical violation. The pages and their
records are the role-by-route matrix's (tests/casework/test_access_matrix.py), each
visited by a role that may see it.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from fieldapp.languages import RTL_LANGUAGES
from services.accounts.actions import user_create
from services.accounts.roles import Role
from tests.casework.test_access_matrix import ROUTES, world  # noqa: F401 - the fixture

from .axe import axe_violations
from .conftest import PHONE_SCREEN, pass_second_factor

PASSWORD = "a-long-test-password-1"
ROLE_ORDER = ["coordinator", "medical", "legal", "volunteer"]
# Not pages: the API, machine-readable files, and fragments fetched into a page.
SKIPPED_PREFIXES = (
    "v1:",
    "schema",
    "api-docs",
    "healthz",
    "legal:feed",
    "shifts:feed",
    "privacy:record_json",
    "reports:export_download",
)
FRAGMENTS = {"messaging:broadcast_preview", "distributions_table:service_worker"}
# Pages in a language of their own, not the reader's: a person's record is in the
# person's language, a privacy notice in the one chosen. Their direction follows it.
OWN_LANGUAGE = {"privacy:record", "privacy:notice_in"}


def _pages() -> list[tuple[str, str]]:
    """(route, the first role that may see it) for every page a browser GETs."""
    pages = []
    for name, route in sorted(ROUTES.items()):
        if route.method != "get" or name.startswith(SKIPPED_PREFIXES):
            continue
        role = next((role for role in ROLE_ORDER if role in route.allowed), None)
        if role is not None and name not in FRAGMENTS:
            pages.append((name, role))
    return pages


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_fits_a_phone_and_follows_the_languages_direction(
    browser: Browser,
    live_server,
    world,  # noqa: F811 - the matrix's fixture, imported above
    site,
    language,
):
    problems = []
    for role in ROLE_ORDER:
        user_create(
            username=f"fit-{role}", password=PASSWORD, role=Role(role), site=site, language=language
        )
    contexts = {}
    for name, role in _pages():
        if role not in contexts:
            context = browser.new_context(
                viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, base_url=live_server.url
            )
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.goto("/login/")
            _sign_in(page, role)
            contexts[role] = (context, page)
        page = contexts[role][1]
        route = ROUTES[name]
        url = reverse(name, kwargs=route.kwargs(world))
        query = route.query(world)
        response = page.goto(f"{url}?{urlencode(query)}" if query else url)
        if response is None or response.status >= 400:
            problems.append(f"{name} as {role}: HTTP {response.status if response else '?'}")
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_SCREEN["width"]:
            problems.append(f"{name} as {role}: {width} px wide")
        direction = page.evaluate("document.documentElement.dir")
        shown = page.evaluate("document.documentElement.lang") if name in OWN_LANGUAGE else language
        if direction != ("rtl" if shown in RTL_LANGUAGES else "ltr"):
            problems.append(f"{name} as {role}: dir={direction!r}")
        problems += [f"{name} as {role}: {problem}" for problem in axe_violations(page)]
    for context, _page in contexts.values():
        context.close()
    assert problems == [], "\n".join(problems)


def _sign_in(page, role: str) -> None:
    """The sign-in form by its fields' names, whatever the interface language."""
    page.fill("input[name=username]", f"fit-{role}")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form button").first.click()
    pass_second_factor(page, f"fit-{role}")
