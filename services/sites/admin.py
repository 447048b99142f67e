from django.contrib import admin
from django.http import HttpRequest

from .models import Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "area")

    """Read-only here: sites are created and changed in the app, where each change is audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
