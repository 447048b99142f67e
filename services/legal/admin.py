"""
Legal appointments in the admin: read-only, for coordinators (the admin is theirs), so
statuses only: no case type, no notes. Every appointment listed or opened is audited,
through the selectors.
"""

from collections.abc import Sequence
from typing import cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from fieldapp.readonly_admin import CaseworkAdmin
from services.accounts.requests import request_actor

from . import selectors
from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(CaseworkAdmin):
    view_permission = "legal.view_status"
    list_display = ("starts_at", "person", "site", "language", "advisor", "interpreter", "status")
    list_filter = ("status", "language")
    fields = list_display
    readonly_fields = list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        return selectors.appointments_visible(request_actor(request))

    def audit_listed(self, request: HttpRequest, rows: Sequence[Model]) -> None:
        selectors.appointments_listed(
            user=request_actor(request),
            appointments=cast(list[Appointment], list(rows)),
            view="admin",
        )

    def audit_opened(self, request: HttpRequest, object_id: str) -> None:
        selectors.appointment_read(user=request_actor(request), pk=int(object_id))
