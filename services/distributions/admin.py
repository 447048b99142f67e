from django.contrib import admin

from fieldapp.readonly_admin import ReadOnlyAdmin

from .models import CheckIn, DistributionSession, ItemType, StockMovement


@admin.register(ItemType)
class ItemTypeAdmin(ReadOnlyAdmin):
    list_display = ("name", "category", "audience", "min_interval_days", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("name",)


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "site", "item", "size", "quantity", "kind", "actor")
    list_filter = ("kind", "site")
    search_fields = ("item__name", "reason")
    list_select_related = ("site", "item", "actor")


@admin.register(DistributionSession)
class DistributionSessionAdmin(ReadOnlyAdmin):
    list_display = ("date", "starts_at", "ends_at", "site", "status")
    list_filter = ("status", "site")
    list_select_related = ("site",)


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "session", "person", "status", "recorded_by")
    list_filter = ("status",)
    search_fields = ("person__code", "client_uuid")
    list_select_related = ("session__site", "person", "recorded_by")
