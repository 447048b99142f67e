"""
Referrals in the admin: statuses only. The admin is for coordinators
(referrals.view_status), so no note, reason or service field is ever shown here,
whoever signs in; reads are audited like everywhere else, through the selectors.
"""

from collections.abc import Sequence
from typing import cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from fieldapp.readonly_admin import CaseworkAdmin
from services.accounts.requests import request_actor

from . import selectors
from .models import Referral


@admin.register(Referral)
class ReferralAdmin(CaseworkAdmin):
    view_permission = "referrals.view_status"
    list_display = ("id", "person", "status", "urgency", "created_at", "updated_at")
    list_filter = ("status", "urgency")
    search_fields = ("person__code",)
    fields = ("person", "status", "urgency", "created_at", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Referral]:
        return selectors.referral_statuses_visible(request_actor(request))

    def audit_listed(self, request: HttpRequest, rows: Sequence[Model]) -> None:
        selectors.referrals_audit_list(
            user=request_actor(request), referrals=cast(list[Referral], list(rows)), view="admin"
        )

    def audit_opened(self, request: HttpRequest, object_id: str) -> None:
        selectors.referral_status_get(user=request_actor(request), pk=int(object_id))
