"""
Find nginx for the deployment tests, or install Debian's: `python -m tests.deploy.nginx_binary`
prints its path, or one line saying what to do and exits 1. `make test` runs it first, as it
does for Chromium (tests/browser/chromium.py), so the nginx test is never skipped.

Installed, unless NGINX_INSTALL=0, as root on Debian or Ubuntu by `apt-get install nginx`.
"""

import os
import shutil
import sys
from pathlib import Path

from deploy.nginx_render import nginx_binary
from tests.browser.chromium import _run_quietly, apt_allowed

WHAT_TO_DO = (
    "The deployment tests run the shipped nginx config and nginx was not found or could not "
    "be installed: run `apt-get install nginx` (as root)."
)


class NginxMissing(Exception):
    """No nginx, and its message is the one line that says what to do."""


def installing_allowed() -> bool:
    return os.environ.get("NGINX_INSTALL", "1").strip().lower() not in {"0", "no", "false"}


def apt_install() -> None:
    """Only as root on Debian or Ubuntu; anywhere else, nothing."""
    release = Path("/etc/os-release")
    if not apt_allowed(
        euid=os.geteuid() if hasattr(os, "geteuid") else -1,
        os_release=release.read_text() if release.exists() else "",
        has_apt=shutil.which("apt-get") is not None,
    ):
        return
    print("No nginx here: trying `apt-get install nginx`.", file=sys.stderr)
    _run_quietly(["apt-get", "update", "-qq"])
    _run_quietly(["apt-get", "install", "-y", "-qq", "nginx"])


def nginx_obtain() -> str:
    """nginx found, or installed; else NginxMissing."""
    if found := nginx_binary():
        return found
    if installing_allowed():
        apt_install()
        if found := nginx_binary():
            return found
    raise NginxMissing(WHAT_TO_DO)


def main() -> int:
    try:
        print(nginx_obtain())
    except NginxMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
