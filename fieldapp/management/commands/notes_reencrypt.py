"""Re-encrypt clinical and legal notes with the first key of FIELD_ENCRYPTION_KEY."""

from typing import Any

from django.core.management.base import BaseCommand

from fieldapp.crypto import notes_reencrypt


class Command(BaseCommand):
    help = (
        "After putting a new key first in FIELD_ENCRYPTION_KEY (old keys after it), "
        "re-encrypt every note with the new key. Then the old keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for model, count in notes_reencrypt().items():
            self.stdout.write(f"{model}: {count} re-encrypted")
