"""The passphrase of a key backup: from a file (or - for standard input), else typed twice."""

import getpass
import sys
from pathlib import Path

from django.core.management.base import CommandError


def passphrase_read(path: str | None, *, confirm: bool) -> str:
    if path == "-":
        return sys.stdin.readline().rstrip("\n")
    if path:
        return Path(path).read_text().rstrip("\n")
    if not sys.stdin.isatty():
        raise CommandError("Give --passphrase-file, or run this in a terminal to type it.")
    typed = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("The same again: ") != typed:
        raise CommandError("The two passphrases differ.")
    return typed
