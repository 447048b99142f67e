"""
Referrals in the admin: statuses only. The admin is for coordinators (STATUS access),
so no note, reason or service field is ever shown here, whoever signs in; reads are
audited like everywhere else.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from fieldapp.admin_site import ReadOnlyAdmin
from services.casework.access import Access, Area, area_access

from . import selectors
from .models import Referral


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "status", "urgency", "created_at", "updated_at")
    list_filter = ("status", "urgency")
    search_fields = ("person__code",)
    fields = ("person", "status", "urgency", "created_at", "updated_at")
    readonly_fields = fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return area_access(request.user, Area.MEDICAL) >= Access.STATUS

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return area_access(request.user, Area.MEDICAL) >= Access.STATUS

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return selectors.referral_statuses_visible(request.user)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            selectors.referrals_audit_list(
                user=request.user, referrals=list(changelist.result_list), view="admin"
            )
        return response

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
