"""
Referrals in the admin: statuses only. The admin is for coordinators (STATUS access),
so no note, reason or service field is ever shown here, whoever signs in; reads are
audited like everywhere else (services/casework/admin.py).
"""

from collections.abc import Sequence
from typing import Any, cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from services.casework.access import Area
from services.casework.admin import CaseworkAdmin

from . import selectors
from .models import Referral


@admin.register(Referral)
class ReferralAdmin(CaseworkAdmin):
    area = Area.MEDICAL
    list_display = ("id", "person", "status", "urgency", "created_at", "updated_at")
    list_filter = ("status", "urgency")
    search_fields = ("person__code",)
    fields = ("person", "status", "urgency", "created_at", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return selectors.referral_statuses_visible(request.user)

    def audit_listed(self, request: HttpRequest, rows: Sequence[Model]) -> None:
        referrals = cast(list[Referral], list(rows))
        selectors.referrals_audit_list(user=request.user, referrals=referrals, view="admin")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if object_id.isdigit():
            selectors.referral_status_get(user=request.user, pk=int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)
