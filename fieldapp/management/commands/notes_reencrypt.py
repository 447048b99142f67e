"""Re-encrypt clinical and legal notes with the first key of FIELD_ENCRYPTION_KEY."""

from typing import Any

from django.core.management.base import BaseCommand

from fieldapp.crypto import notes_reencrypt


class Command(BaseCommand):
    help = (
        "After putting a new key first in FIELD_ENCRYPTION_KEY (old keys after it), "
        "re-encrypt every note with the new key. Then the old keys can be removed, "
        "unless some notes are reported unreadable: no configured key opens those."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        unreadable = 0
        for field, counts in notes_reencrypt().items():
            self.stdout.write(f"{field}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
            unreadable += counts["unreadable"]
        if unreadable:
            self.stderr.write(
                f"{unreadable} notes are unreadable with every key in FIELD_ENCRYPTION_KEY: "
                "add the key they were written with (after the first) and run this again."
            )
