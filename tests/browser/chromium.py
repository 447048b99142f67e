"""
Find a Chromium for the browser tests, or obtain one: `python -m tests.browser.chromium`
prints its path, or one line saying what to do and exits 1. `make test` runs it first.

Found, in this order: CHROMIUM_PATH; a Chromium or Chrome on the PATH; the one
Playwright downloaded. Otherwise installed, unless CHROMIUM_INSTALL=0: by
`playwright install chromium` (which needs the internet), then, as root on Debian or
Ubuntu, by `apt-get install chromium`.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WHAT_TO_DO = (
    "The browser tests need Chromium and none was found or could be installed: run "
    "`apt-get install chromium` (as root) or `.venv/bin/python -m playwright install "
    "chromium`, or set CHROMIUM_PATH to a Chromium binary."
)
INSTALL_TIMEOUT_SECONDS = 900


class ChromiumMissing(Exception):
    """No Chromium, and its message is the one line that says what to do."""


def _executable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def from_environment() -> str | None:
    """CHROMIUM_PATH, when set, is the one to use: a wrong one is an error, not a hint."""
    path = os.environ.get("CHROMIUM_PATH")
    if path and not _executable(path):
        raise ChromiumMissing(
            f"CHROMIUM_PATH is {path}, which is not an executable file: point it at a "
            "Chromium binary, or unset it to let the tests find one."
        )
    return path or None


def on_the_path() -> str | None:
    return next(filter(None, (_executable(shutil.which(name)) for name in NAMES)), None)


PLAYWRIGHTS_PATH_SCRIPT = (
    "from playwright.sync_api import sync_playwright\n"
    "with sync_playwright() as p: print(p.chromium.executable_path)"
)


def playwrights_own() -> str | None:
    """
    Where Playwright keeps its own download, asked in a process of its own: Playwright's
    sync API refuses to start inside a running event loop, such as a test run's browser.
    """
    answer = subprocess.run(
        [sys.executable, "-c", PLAYWRIGHTS_PATH_SCRIPT], capture_output=True, text=True, check=False
    )
    return _executable(answer.stdout.strip()) if answer.returncode == 0 else None


FINDERS: tuple[Callable[[], str | None], ...] = (from_environment, on_the_path, playwrights_own)


def _run_quietly(command: list[str]) -> None:
    """Run an installer; a failure shows as no Chromium afterwards, not as a traceback."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, timeout=INSTALL_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        pass


def playwright_install() -> None:
    print("No Chromium here: trying `playwright install chromium`.", file=sys.stderr)
    _run_quietly([sys.executable, "-m", "playwright", "install", "chromium"])


def debian_like(os_release: str) -> bool:
    """Whether /etc/os-release's text names Debian or Ubuntu (or a system built on them)."""
    fields = dict(
        line.split("=", 1) for line in os_release.splitlines() if "=" in line and line[0] != "#"
    )
    names = f"{fields.get('ID', '')} {fields.get('ID_LIKE', '')}".replace('"', "").split()
    return bool({"debian", "ubuntu"} & set(names))


def apt_allowed(*, euid: int, os_release: str, has_apt: bool) -> bool:
    return euid == 0 and has_apt and debian_like(os_release)


def apt_install() -> None:
    """Only as root on Debian or Ubuntu; anywhere else, nothing."""
    release = Path("/etc/os-release")
    if not apt_allowed(
        euid=os.geteuid() if hasattr(os, "geteuid") else -1,
        os_release=release.read_text() if release.exists() else "",
        has_apt=shutil.which("apt-get") is not None,
    ):
        return
    print("Trying `apt-get install chromium`.", file=sys.stderr)
    _run_quietly(["apt-get", "update", "-qq"])
    _run_quietly(["apt-get", "install", "-y", "-qq", "chromium"])


INSTALLERS: tuple[Callable[[], None], ...] = (playwright_install, apt_install)


def installing_allowed() -> bool:
    return os.environ.get("CHROMIUM_INSTALL", "1").strip().lower() not in {"0", "no", "false"}


def chromium_find(finders: Sequence[Callable[[], str | None]] = FINDERS) -> str | None:
    """The first Chromium the finders give, asking each in turn; None if none does."""
    return next(filter(None, (find() for find in finders)), None)


def chromium_obtain(
    finders: Sequence[Callable[[], str | None]] = FINDERS,
    installers: Sequence[Callable[[], None]] = INSTALLERS,
) -> str:
    """A Chromium found, or installed by the first installer that works; else ChromiumMissing."""
    if found := chromium_find(finders):
        return found
    for install in installers if installing_allowed() else ():
        install()
        if found := chromium_find(finders):
            return found
    raise ChromiumMissing(WHAT_TO_DO)


def main() -> int:
    try:
        print(chromium_obtain())
    except ChromiumMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
