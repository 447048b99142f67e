"""
Find a Chromium for the browser tests, or obtain one: `python -m tests.browser.chromium`
prints its path, or one line saying what to do and exits 1.

In order: CHROMIUM_PATH; a Chromium on the machine; the one Playwright downloaded;
then, as root on Debian or Ubuntu, `apt-get install chromium`; otherwise
`playwright install chromium` (which needs the internet).
"""

import os
import shutil
import subprocess
import sys

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _executable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def _playwrights_own() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return _executable(playwright.chromium.executable_path)


def chromium_find() -> str | None:
    """A Chromium already here, or None."""
    if found := _executable(os.environ.get("CHROMIUM_PATH")):
        return found
    for name in NAMES:
        if found := _executable(shutil.which(name)):
            return found
    return _playwrights_own()


def _obtain() -> None:
    """Install one the way this machine allows; what it prints goes to stderr."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            subprocess.run(command, env=env, stdout=sys.stderr, check=False)  # noqa: S603
        return
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "playwright", "install", "chromium"], stdout=sys.stderr, check=False
    )


def main() -> int:
    found = chromium_find()
    if found is None:
        print("No Chromium here for the browser tests: installing one.", file=sys.stderr)
        _obtain()
        found = chromium_find()
    if found is None:
        print(
            "The browser tests need Chromium and none could be installed: run "
            "`apt-get install chromium` or `.venv/bin/playwright install chromium`, "
            "or set CHROMIUM_PATH to a Chromium binary.",
            file=sys.stderr,
        )
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
