from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "site", "is_active", "last_login")
    list_filter = ("groups", "is_active", "site")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("fieldapp", {"fields": ("site", "sites", "language")}),
    )
