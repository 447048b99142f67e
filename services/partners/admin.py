from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from fieldapp.readonly_admin import ReadOnlyAdmin

from .models import Partner, PartnerService


class PartnerServiceInline(admin.TabularInline):
    model = PartnerService
    fields = ("name", "area", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "sms_place", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "sms_place")
    inlines = [PartnerServiceInline]
