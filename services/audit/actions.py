"""audit_record() is the one way anything writes to the audit log."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from services.accounts.models import User

from .models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record an action. details names what changed (field names), never sensitive values."""
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        details=details or {},
    )


def audit_record_each(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    targets: Sequence[models.Model],
    details: dict[str, Any] | None = None,
) -> list[AuditEntry]:
    """
    One entry per record, in one INSERT: a list page that shows 30 referrals records
    30 reads, so "who has seen this record" is answered by filtering on the record.
    """
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor if isinstance(actor, User) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            details=details or {},
        )
        for target in targets
    )
