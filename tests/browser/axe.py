"""
The accessibility check that every browser test runs: axe-core (vendored, tests/browser/vendor)
on the page as the test leaves it, in English and again in Arabic (right to left). A serious
or critical violation fails the test, with what axe found and where.

Playwright's evaluate() runs the script through the DevTools protocol, so the pages' CSP
(script-src 'self') needs no exception for it.
"""

import time
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
RUN_AXE = """
async (impacts) => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}
"""


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[str]:
    """The serious and critical violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(RUN_AXE, list(FAILING_IMPACTS))


def assert_accessible(page: Page) -> None:
    problems = axe_violations(page)
    assert problems == [], f"axe on {page.url}:\n" + "\n".join(problems)


def assert_accessible_in_english_and_arabic(page: Page, origin: str) -> None:
    """
    The page as the test left it, then the same address in Arabic (the language cookie the
    language switch sets): a GET, so nothing is sent twice.
    """
    if page.is_closed() or not page.url.startswith(origin):
        return
    assert_accessible(page)
    url = page.url
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": origin}])
    page.goto(url)
    assert page.evaluate("document.documentElement.dir") == "rtl", url
    assert_accessible(page)


def wait_until(page: Page, predicate: str, timeout: float = 15) -> None:
    """
    Poll a JavaScript function until it returns true. Playwright's wait_for_function
    evaluates strings inside the page, which the pages' CSP (no 'unsafe-eval') refuses.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {predicate}"
        page.wait_for_timeout(100)
