"""audit_record() is the one way anything writes to the audit log."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from services.accounts.models import User

from .models import AuditEntry


def audit_record(
    *,
    actor: User | AnonymousUser | None,
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
