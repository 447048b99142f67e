"""The audit log API, for coordinators: the same selector and filters as the screen."""

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from .filters import AuditEntryFilter
from .models import AuditEntry
from .selectors import audit_entries


class AuditEntrySerializer(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "action", "target_type", "target_id", "details"]
        read_only_fields = fields


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for coordinators only (audit.view_auditentry)."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return audit_entries(user=self.request.user)
