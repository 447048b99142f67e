"""
The outbox's figures an operator watches (deploy/README.md, "What to monitor"): how much
waits to go, how long the oldest has waited, how many SMS failed lately. Counts only, no
person or text, so they may go to a monitoring system; `manage.py health` prints them.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Min, Q

from services.accounts.models import Channel

from .models import Message

WAITING = (Message.Status.PENDING, Message.Status.CLAIMED, Message.Status.SENDING)
FAILED = (Message.Status.FAILED, Message.Status.UNDELIVERED)
FINISHED = (Message.Status.SENT, Message.Status.DELIVERED, *FAILED)
FAILURE_WINDOW = timedelta(hours=24)


def outbox_figures(*, now: datetime) -> dict[str, int | float | None]:
    """
    waiting: due and not yet handed to the provider (SMS, and e-mail to volunteers);
    oldest_waiting_seconds: how long past its time the oldest of them is (None: none);
    unknown_outcome: sends a coordinator must settle; sms_failed_rate_24h: failed or
    undelivered among the SMS due in the last 24 hours that reached an outcome (None: none).
    """
    waiting = Message.objects.filter(status__in=WAITING, send_at__lte=now).aggregate(
        count=Count("id"), oldest=Min("send_at")
    )
    recent = Message.objects.filter(
        channel=Channel.SMS, status__in=FINISHED, send_at__gt=now - FAILURE_WINDOW
    ).aggregate(finished=Count("id"), failed=Count("id", filter=Q(status__in=FAILED)))
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["count"],
        "oldest_waiting_seconds": None if oldest is None else int((now - oldest).total_seconds()),
        "unknown_outcome": Message.objects.filter(status=Message.Status.UNKNOWN).count(),
        "sms_failed_rate_24h": (
            round(recent["failed"] / recent["finished"], 4) if recent["finished"] else None
        ),
    }
