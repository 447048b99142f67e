"""
`manage.py retention --dry-run` shows what the nightly run would anonymise and purge,
and changes nothing; without --dry-run it runs it now (services/privacy/retention.py).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from services.privacy.retention import (
    RetentionRun,
    inactive_days,
    retention_apply,
    retention_plan,
    sms_keep_days,
)


class Command(BaseCommand):
    help = "Anonymise inactive people and purge old SMS text (--dry-run: only show it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        run = retention_plan() if dry_run else retention_apply()
        self.stdout.write(self._report(run))

    def _report(self, run: RetentionRun) -> str:
        verb = "would be" if run.dry_run else "were"
        lines = [
            f"People inactive for {inactive_days()} days who {verb} anonymised: {len(run.people)}",
            *(f"  {code}" for code in run.people),
            f"SMS older than {sms_keep_days()} days whose text and number {verb} removed: "
            f"{run.messages}",
            f"Replies older than {sms_keep_days()} days whose text and number {verb} removed: "
            f"{run.replies}",
            f"Handover notes past their keeping time that {verb} deleted: {run.handover_notes}",
        ]
        if run.dry_run:
            lines.append("Dry run: nothing was changed.")
        return "\n".join(lines)
