from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fieldapp.demo import demo_load


class Command(BaseCommand):
    help = "Load demo sites, one account per role and ~200 people (once; safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        passwords = demo_load(people=int(options["people"]))
        if not passwords:
            self.stdout.write(
                "Demo data is loaded. The account passwords were printed when they were made; "
                "to set a new one: .venv/bin/python manage.py changepassword volunteer"
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo accounts (shown this once, write them down):"))
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<12} {password}")
