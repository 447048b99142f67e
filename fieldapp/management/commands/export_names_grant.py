from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.reports.grants import export_identities_grant


class Command(BaseCommand):
    help = (
        "Let a coordinator export names and phone numbers (with a reason each time), "
        "or take it back with --revoke. Recorded in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account called {options['username']}.")
        try:
            changed = export_identities_grant(user=user, grant=not options["revoke"])
        except DomainError as error:
            raise CommandError(error.message) from error
        state = "may not" if options["revoke"] else "may"
        note = "" if changed else " (already so)"
        self.stdout.write(f"{user.get_username()} {state} export names and phone numbers{note}.")
