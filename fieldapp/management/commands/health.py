"""
The operator's health report, which /healthz keeps from the internet: the database, the
broker, the last worker heartbeat, and the figures to monitor (deploy/README.md): the
broker's queue, the outbox waiting and its oldest, the SMS failure rate, free disk.
"""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fieldapp import health
from services.messaging.monitoring import outbox_figures


class Command(BaseCommand):
    help = (
        "Print the database, broker and worker state and the figures to monitor as JSON "
        "(--metrics: one `fieldapp_<name> <value>` line each); fail if the database is down, "
        "or if no worker ran within --max-heartbeat-age seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-heartbeat-age", type=int, default=None)
        parser.add_argument(
            "--metrics",
            action="store_true",
            help="Prometheus text format, for node_exporter's textfile collector",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report: dict[str, Any] = health.report()
        if report["database"] == "ok":
            report.update(outbox_figures(now=timezone.now()))
        report["broker_queue_length"] = health.broker_queue_length()
        report["disk_free_percent"] = health.disk_free_percent(settings.VAR_DIR)
        self.stdout.write(metrics_text(report) if options["metrics"] else json.dumps(report))
        if report["database"] != "ok":
            raise CommandError("The database cannot be reached.")
        limit, seen = options["max_heartbeat_age"], report["worker_last_seen_seconds"]
        if limit is not None and (seen is None or seen > limit):
            raise CommandError(f"No worker has run in the last {limit} seconds.")


def metrics_text(report: dict[str, Any]) -> str:
    """Numbers as they are, states as 1 (ok) or 0; a figure with no value is left out."""
    lines = []
    for name, value in report.items():
        if isinstance(value, str):
            value = int(value == "ok")
        if value is not None:
            lines.append(f"fieldapp_{name} {value}")
    return "\n".join(lines)
