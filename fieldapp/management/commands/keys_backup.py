"""
Write FIELD_ENCRYPTION_KEY, encrypted under a passphrase, to a file to keep apart from the
database dumps (fieldapp/keybackup.py). Run it after install and after each key rotation.
"""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fieldapp.keybackup import KeyBackupError, seal

from ._passphrase import passphrase_read


class Command(BaseCommand):
    help = "Write the encryption keys, sealed under a passphrase, to --output (mode 0600)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument(
            "--passphrase-file", help="a file holding the passphrase, or - for standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = passphrase_read(options["passphrase_file"], confirm=True)
        try:
            text = seal(settings.FIELD_ENCRYPTION_KEY, passphrase)
        except KeyBackupError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        os.chmod(output, 0o600)
        self.stdout.write(
            f"Keys sealed in {output}. Keep it, and the passphrase, apart from the dumps."
        )
