"""
Screens of the table at 360x740, in English and Arabic, as PNG files beside this script:
the check-in screen with a person found, and "Which person?" for two people of one name.

    .venv/bin/python docs/screens/make.py

It runs fieldapp as bench/field.py does (its database, gunicorn with DEBUG=0 behind nginx,
the static files collected), on the full-speed network, with Debian's Chromium.
"""

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))

import field  # noqa: E402 - bench/field.py: the same server and data

LANGUAGES = ["en", "ar"]


def namesakes() -> str:
    """Two people called Samir at the bench site, who speak different languages."""
    from services.people.codes import code_generate
    from services.people.models import Person
    from services.sites.models import Site

    site = Site.objects.get(name=field.SITE)
    for language in ("ti", "fa"):
        if not Person.objects.filter(home_site=site, name="Samir", language=language).exists():
            Person.objects.create(
                code=code_generate(), name="Samir", language=language, home_site=site
            )
    return "Samir"


def shoot(base: str, session_id: int, code: str, username: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=field.CHROMIUM_ARGS,
        )
        for language in LANGUAGES:
            context = browser.new_context(
                viewport=field.PHONE,
                device_scale_factor=1,
                is_mobile=True,
                has_touch=True,
                base_url=base,
            )
            context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            page = context.new_page()
            page.goto("/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", field.PASSWORD)
            page.locator("main form button").first.click()
            page.wait_for_url(lambda url: "/login/" not in url)
            page.goto(f"/distributions/{session_id}/checkin/")
            field.wait_until(page, "() => document.getElementById('checkin').dataset.ready === '1'")
            page.locator("#code").fill(code)
            page.locator(".person h2").wait_for()
            page.locator("input[name=line]:not([disabled])").first.check()
            made.append(HERE / f"checkin-{language}.png")
            page.screenshot(path=made[-1])
            page.locator("#code").fill("Samir")
            page.locator("#find button.primary").click()
            page.locator(".people li").nth(1).wait_for()
            made.append(HERE / f"which-person-{language}.png")
            page.screenshot(path=made[-1])
            context.close()
        browser.close()
    return made


def main() -> int:
    field.configure()
    folder = Path(tempfile.mkdtemp(prefix="fieldapp-screens-"))
    server_log = (folder / "gunicorn.log").open("w+")
    processes = []
    try:
        field.database_prepare(field.DATABASE_URL, False)
        static = field.static_collect()
        import django

        django.setup()
        session_id, codes, username = field.prepare(1)
        namesakes()
        gunicorn, upstream = field.server_start(server_log)
        processes.append(gunicorn)
        nginx, base = field.nginx_start(folder, static, upstream)
        processes.append(nginx)
        for path in shoot(base, session_id, codes[0], username):
            print(path.relative_to(HERE.parents[1]))
    finally:
        for process in reversed(processes):
            field.server_stop(process)
        server_log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
