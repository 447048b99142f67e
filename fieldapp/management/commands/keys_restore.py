"""
Print the encryption keys from a key backup (keys_backup), to put back as
FIELD_ENCRYPTION_KEY in /etc/fieldapp/fieldapp.env when restoring a server.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fieldapp.keybackup import KeyBackupError, unseal

from ._passphrase import passphrase_read


class Command(BaseCommand):
    help = "Print FIELD_ENCRYPTION_KEY from a key backup file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="the file keys_backup wrote")
        parser.add_argument(
            "--passphrase-file", help="a file holding the passphrase, or - for standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = passphrase_read(options["passphrase_file"], confirm=False)
        try:
            keys = unseal(Path(options["backup"]).read_text(), passphrase)
        except (KeyBackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"FIELD_ENCRYPTION_KEY={keys}")
