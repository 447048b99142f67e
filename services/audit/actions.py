"""audit_record() is the one way anything writes to the audit log; model_update() changes a
record's fields and records which, for every update action."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record an action. details names what changed (field names), never sensitive values."""
    # None for the person by SMS, the system, or an anonymous visitor.
    account = actor if isinstance(actor, get_user_model()) else None
    return AuditEntry.objects.create(
        actor=account,
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
    account = actor if isinstance(actor, get_user_model()) else None
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=account,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            details=details or {},
        )
        for target in targets
    )


def model_update(
    instance: models.Model,
    data: Mapping[str, Any],
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    details: dict[str, Any] | None = None,
    when_changed: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """
    Change the fields of `instance` whose values differ from `data`, save only those
    (with any auto_now field), and audit their names under `action`; the values are
    never written to the log. Returns the names that changed: none, nothing written.

    `when_changed` names what follows from a change, saved with it but not audited as a
    change of its own: {"phone": {"phone_invalid_at": None}} clears the bounce mark
    whenever the phone changes. The caller has validated `data` and holds the row's
    lock where a race matters.
    """
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    following = {
        name: value
        for field in changed
        for name, value in (when_changed or {}).get(field, {}).items()
        if name not in data
    }
    for name, value in {**{name: data[name] for name in changed}, **following}.items():
        setattr(instance, name, value)
    written = [*changed, *following]
    stamped = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in written
    ]
    instance.save(update_fields=[*written, *stamped])
    audit_record(
        actor=actor, action=action, target=instance, details={**(details or {}), "fields": changed}
    )
    return changed
