"""Reads of the audit log: for those the rules let read it (coordinators), all of it."""

from django.db.models import QuerySet

from fieldapp.types import Viewer, viewer_may

from .models import AuditEntry


def audit_entries(*, user: Viewer) -> QuerySet[AuditEntry]:
    """
    The log, newest first, narrowed by filters.AuditEntryFilter. A coordinator sees
    their organisation's, and an installation serves one organisation today: every
    entry. Entries name their record by type and id and have no site, so a log scoped
    by site would need a join per record type; no role below coordinator reads it.
    """
    if not viewer_may(user, "audit.view_auditentry"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor").prefetch_related("actor__groups")


def audit_record_types() -> list[str]:
    return list(
        AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )
