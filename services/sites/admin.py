from django.contrib import admin

from fieldapp.readonly_admin import ReadOnlyAdmin

from .models import Site


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "area")
