"""
Compile locale/*.po to .mo. Uses GNU msgfmt (Django's compilemessages) when it is
installed, and polib otherwise, so `make` needs nothing beyond Python.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the gettext catalogues in locale/ (msgfmt if present, else polib)."

    def handle(self, *args: object, **options: object) -> None:
        if shutil.which("msgfmt"):
            call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
            return
        import polib

        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
