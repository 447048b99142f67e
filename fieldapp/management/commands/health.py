"""The operator's health report, which /healthz keeps from the internet."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fieldapp import health


class Command(BaseCommand):
    help = "Print the database, broker and worker state as JSON; fail if the database is down."

    def handle(self, *args: Any, **options: Any) -> None:
        report = health.report()
        self.stdout.write(json.dumps(report))
        if report["database"] != "ok":
            raise CommandError("The database cannot be reached.")
