"""
Legal appointments in the admin: read-only, for coordinators (the admin is theirs), so
with STATUS access only: no case type, no notes. Every appointment opened is audited.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fieldapp.admin_site import ReadOnlyAdmin
from services.audit.actions import audit_record
from services.casework.access import Access, Area, area_access

from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "person", "site", "language", "advisor", "interpreter", "status")
    list_filter = ("status", "language")
    fields = list_display
    readonly_fields = list_display

    def has_module_permission(self, request: HttpRequest) -> bool:
        return area_access(request.user, Area.LEGAL) >= Access.STATUS

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return area_access(request.user, Area.LEGAL) >= Access.STATUS

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        appointment = super().get_object(request, object_id, from_field)
        if appointment is not None:
            audit_record(actor=request.user, action="legal.appointment.read", target=appointment)
        return appointment
