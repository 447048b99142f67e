"""
How `make test` gets its Chromium (tests/browser/chromium.py): CHROMIUM_PATH, then a
Chromium or Chrome on the PATH, then Playwright's own; then Playwright's installer, then
apt as root on Debian or Ubuntu; and when all fail, one line saying what to do, never
browser tests skipped. No real installer runs here: they are replaced, or forbidden.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.browser.chromium import (
    WHAT_TO_DO,
    ChromiumMissing,
    apt_allowed,
    apt_install,
    chromium_obtain,
    playwright_install,
)

ROOT = Path(__file__).resolve().parents[1]
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
UBUNTU = "NAME=Ubuntu\nID=ubuntu\nID_LIKE=debian\n"
FEDORA = "NAME=Fedora\nID=fedora\n"


def executable(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def playwrights_download_path() -> str:
    """Where Playwright would keep its own Chromium, whether or not it is there."""
    answer = subprocess.run(
        [sys.executable, "-c", chromium.PLAYWRIGHTS_PATH_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
    )
    return answer.stdout.strip()


def never() -> None:
    raise AssertionError("nothing should be installed when a Chromium is found")


@pytest.fixture
def bare_machine(tmp_path, monkeypatch) -> Path:
    """No CHROMIUM_PATH, an empty PATH, no browser downloaded by Playwright."""
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.delenv("CHROMIUM_INSTALL", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "playwright"))
    return tmp_path


def test_chromium_path_comes_first(bare_machine, monkeypatch):
    chosen = executable(bare_machine / "chosen" / "chrome")
    executable(bare_machine / "bin" / "chromium")
    monkeypatch.setenv("CHROMIUM_PATH", chosen)
    assert chromium_obtain(installers=[never]) == chosen


def test_a_chromium_or_chrome_on_the_path_comes_next(bare_machine):
    chrome = executable(bare_machine / "bin" / "google-chrome")
    assert chromium_obtain(installers=[never]) == chrome


def test_playwrights_own_comes_after_the_path_and_before_any_install(bare_machine):
    downloaded = executable(Path(playwrights_download_path()))
    assert chromium_obtain(installers=[never]) == downloaded
    on_path = executable(bare_machine / "bin" / "chromium")
    assert chromium_obtain(installers=[never]) == on_path


def test_playwrights_installer_then_apt_until_one_gives_a_chromium(bare_machine):
    tried = []

    def playwright_fails() -> None:
        tried.append("playwright")

    def apt_works() -> None:
        tried.append("apt")
        executable(bare_machine / "bin" / "chromium")

    assert chromium.INSTALLERS == (playwright_install, apt_install)
    found = chromium_obtain(installers=[playwright_fails, apt_works])
    assert (found, tried) == (str(bare_machine / "bin" / "chromium"), ["playwright", "apt"])


def test_nothing_is_installed_when_chromium_install_is_0(bare_machine, monkeypatch):
    monkeypatch.setenv("CHROMIUM_INSTALL", "0")
    with pytest.raises(ChromiumMissing) as missing:
        chromium_obtain(installers=[never])
    assert str(missing.value) == WHAT_TO_DO


def test_a_chromium_path_that_is_no_executable_is_named_not_passed_over(bare_machine, monkeypatch):
    executable(bare_machine / "bin" / "chromium")
    monkeypatch.setenv("CHROMIUM_PATH", str(bare_machine / "nowhere" / "chromium"))
    with pytest.raises(ChromiumMissing, match="CHROMIUM_PATH is .*nowhere/chromium"):
        chromium_obtain(installers=[never])


@pytest.mark.parametrize(
    ("euid", "os_release", "has_apt", "allowed"),
    [
        (0, DEBIAN, True, True),
        (0, UBUNTU, True, True),
        (1000, DEBIAN, True, False),
        (0, FEDORA, True, False),
        (0, DEBIAN, False, False),
    ],
)
def test_apt_is_tried_only_as_root_on_debian_or_ubuntu(euid, os_release, has_apt, allowed):
    assert apt_allowed(euid=euid, os_release=os_release, has_apt=has_apt) is allowed


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_without_any_chromium_the_finder_says_in_one_line_what_to_do(bare_machine):
    env = {**os.environ, "CHROMIUM_INSTALL": "0"}
    result = _run([sys.executable, "-m", "tests.browser.chromium"], env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [WHAT_TO_DO]


def test_make_test_stops_before_pytest_when_chromium_path_is_wrong(tmp_path):
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "nowhere")}
    result = _run(["make", "--no-print-directory", "test"], env)
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if "CHROMIUM" in line]
    assert len(ours) == 1 and ours[0].startswith(f"CHROMIUM_PATH is {tmp_path / 'nowhere'},")
    assert "passed" not in result.stdout and "collected" not in result.stdout


def test_a_browser_test_without_chromium_stops_the_run_and_is_not_skipped(bare_machine):
    result = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-x",
            "tests/browser/test_checkin_flow.py",
        ],
        dict(os.environ),
    )
    assert result.returncode == 1
    assert "The browser tests need Chromium" in result.stdout
    assert "skipped" not in result.stdout and "passed" not in result.stdout
