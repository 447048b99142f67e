"""
Legal appointments in the admin: read-only, for coordinators (the admin is theirs), so
with STATUS access only: no case type, no notes. Every appointment listed or opened is
audited (services/casework/admin.py).
"""

from collections.abc import Sequence
from typing import Any, cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from services.accounts.models import User
from services.audit.actions import audit_record
from services.casework.access import Area
from services.casework.admin import CaseworkAdmin

from . import selectors
from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(CaseworkAdmin):
    area = Area.LEGAL
    list_display = ("starts_at", "person", "site", "language", "advisor", "interpreter", "status")
    list_filter = ("status", "language")
    fields = list_display
    readonly_fields = list_display

    def audit_listed(self, request: HttpRequest, rows: Sequence[Model]) -> None:
        selectors.appointments_listed(
            user=cast(User, request.user),
            appointments=cast(list[Appointment], list(rows)),
            view="admin",
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        appointment = super().get_object(request, object_id, from_field)
        if appointment is not None:
            audit_record(actor=request.user, action="legal.appointment.read", target=appointment)
        return appointment
