from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fieldapp.demo import demo_load, demo_second_factors


class Command(BaseCommand):
    help = "Load demo sites, one account per role and ~200 people (once; safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        passwords = demo_load(people=int(options["people"]))
        second_factors = demo_second_factors()
        if not passwords and not second_factors:
            self.stdout.write(
                "Demo data is loaded. The account passwords and second factors were printed "
                "when they were made; to set a new password: "
                ".venv/bin/python manage.py changepassword volunteer"
            )
            return
        if passwords:
            self.stdout.write(
                self.style.SUCCESS("Demo accounts (shown this once, write them down):")
            )
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<12} {password}")
        if second_factors:
            self.stdout.write(
                self.style.SUCCESS(
                    "Second factor of the coordinator, medical and legal accounts (shown "
                    "this once): type the key into an authenticator app, or sign in with a "
                    "recovery code (each works once)."
                )
            )
            for username, factor in second_factors.items():
                self.stdout.write(f"  {username:<12} key: {factor.secret}")
                self.stdout.write(f"  {'':<12} recovery codes: {' '.join(factor.recovery_codes)}")
