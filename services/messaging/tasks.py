"""Celery tasks: thin, idempotent callers of actions/dispatch.py."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from .actions import dispatch

DISPATCH_LOCK = "messaging:dispatch-lock"


@shared_task(ignore_result=True)
def messages_dispatch() -> int:
    """
    Beat runs this every SMS_DISPATCH_INTERVAL_SECONDS: recover what was lost, then
    claim what is due, at most the provider's rate for the interval, and hand it to
    workers spread over the interval. Two runs never overlap.
    """
    interval = settings.SMS_DISPATCH_INTERVAL_SECONDS
    if not cache.add(DISPATCH_LOCK, 1, timeout=max(30, int(interval * 6))):
        return 0
    try:
        recovery = dispatch.messages_recover_stale()
        for message_id in recovery.unresolved:
            message_recover.delay(message_id)
        for stale_claim in recovery.requeue:
            _hand_out(stale_claim, already_handed=0)
        budget = max(1, int(settings.SMS_MAX_PER_SECOND * interval))
        handed = 0
        while handed < budget:
            claim = dispatch.messages_claim_due(limit=min(500, budget - handed))
            if claim is None:
                break
            _hand_out(claim, already_handed=handed)
            handed += len(claim.message_ids)
        return handed
    finally:
        cache.delete(DISPATCH_LOCK)


def _hand_out(claim: dispatch.Claim, *, already_handed: int) -> None:
    """Queue the claim in batches, spread over time at the provider's rate."""
    batch = max(1, settings.SMS_SEND_BATCH)
    for start in range(0, len(claim.message_ids), batch):
        ids = claim.message_ids[start : start + batch]
        delay = (already_handed + start) / settings.SMS_MAX_PER_SECOND
        messages_send.apply_async((ids, str(claim.token)), countdown=delay or None)


@shared_task(ignore_result=True, acks_late=True)
def messages_send(message_ids: list[int], claim_token: str) -> int:
    report = dispatch.messages_send_claimed(message_ids=message_ids, claim_token=claim_token)
    for message_id in report.unknown:
        message_recover.apply_async(
            (message_id,), countdown=settings.SMS_UNKNOWN_OUTCOME_RECHECK_SECONDS
        )
    return report.accepted


@shared_task(ignore_result=True, acks_late=True)
def message_recover(message_id: int) -> None:
    dispatch.message_recover(message_id=message_id)
